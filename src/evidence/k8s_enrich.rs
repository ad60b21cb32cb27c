//! Fills what a spec leaves empty about a service from its manifests: namespace, replicas,
//! strategy, platform and workload name. Every value filled is an assumption citing the manifest.

use crate::base::parts::Assumption;
use crate::evidence::k8s::{K8sObject, service_files};
use crate::model::{Platform, Spec, Strategy};

/// The workload a service's manifests describe: the one named like the service's `resource` or
/// `name`, else the only workload in its manifests.
pub fn workload_of<'a>(
    service: &crate::model::Service,
    objects: &'a [K8sObject],
    spec_file: &str,
) -> Option<&'a K8sObject> {
    if service.manifests.is_empty() {
        return None;
    }
    let files = service_files(spec_file, service);
    let mine: Vec<&K8sObject> = objects
        .iter()
        .filter(|o| o.is_workload() && files.contains(&o.evidence.file))
        .collect();
    let wanted = service.resource_name();
    mine.iter()
        .find(|o| o.name == wanted)
        .or_else(|| mine.iter().find(|o| o.name == service.name))
        .or(match mine.as_slice() {
            [only] => Some(only),
            _ => None,
        })
        .copied()
}

/// The strategy a workload declares (defaults included), with the key that says so.
fn strategy(w: &K8sObject) -> Option<(Strategy, &'static str, Option<&'static str>)> {
    if w.is_rollout() {
        if w.get("/spec/strategy/blueGreen").is_some() {
            return Some((Strategy::BlueGreen, "blueGreen", None));
        }
        if w.get("/spec/strategy/canary").is_some() {
            return Some((Strategy::Canary, "canary", None));
        }
        return None;
    }
    let pointer = if w.kind == "Deployment" {
        "/spec/strategy/type"
    } else {
        "/spec/updateStrategy/type"
    };
    match w.str_at(pointer) {
        Some("Recreate") => Some((Strategy::Recreate, "type", Some("Recreate"))),
        Some("RollingUpdate") => Some((Strategy::Rolling, "type", Some("RollingUpdate"))),
        // Kubernetes' default for every workload kind is a rolling update.
        None => Some((Strategy::Rolling, "kind", None)),
        Some(_) => None,
    }
}

/// Fills empty service fields from the matching workload; one assumption per value filled.
pub fn enrich(spec: &mut Spec, objects: &[K8sObject], spec_file: &str) -> Vec<Assumption> {
    let mut out = Vec::new();
    for svc in spec.architecture.services.iter_mut() {
        let Some(w) = workload_of(svc, objects, spec_file) else {
            continue;
        };
        let label = w.label();
        let name = svc.name.clone();
        let mut note = |text: String, evidence: crate::base::Evidence| {
            out.push(Assumption { text, evidence });
        };
        if svc.resource.is_none() && w.name != svc.name && !w.name.is_empty() {
            svc.resource = Some(w.name.clone());
            note(
                format!("Service `{name}` is the workload {label} of its manifests."),
                w.evidence.clone(),
            );
        }
        let kind = match w.kind.as_str() {
            "StatefulSet" => Some(crate::model::WorkloadKind::Statefulset),
            "DaemonSet" => Some(crate::model::WorkloadKind::Daemonset),
            _ => None,
        };
        if svc.workload.is_none()
            && let Some(k) = kind
        {
            svc.workload = Some(k);
            note(
                format!("`{name}` is a {}, from {label}.", k.as_str()),
                w.evidence.clone(),
            );
        }
        if svc.namespace.is_none()
            && let Some(ns) = &w.namespace
        {
            svc.namespace = Some(ns.clone());
            note(
                format!("Namespace of `{name}` is `{ns}`, from {label}."),
                w.evidence_at("namespace", Some(ns)),
            );
        }
        if svc.replicas.is_none()
            && let Some(n) = w
                .get("/spec/replicas")
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
        {
            svc.replicas = Some(n);
            note(
                format!("`{name}` runs {n} replicas, from {label}."),
                w.evidence_at("replicas", Some(&n.to_string())),
            );
        }
        if svc.platform.is_none() {
            let p = if w.is_rollout() {
                Platform::ArgoRollouts
            } else {
                Platform::Kubernetes
            };
            svc.platform = Some(p);
            let what = if w.is_rollout() {
                "argo-rollouts"
            } else {
                "kubernetes"
            };
            note(
                format!("Platform of `{name}` is {what}: its manifests hold {label}."),
                w.evidence.clone(),
            );
        }
        if svc.strategy.is_none()
            && let Some((s, key, value)) = strategy(w)
        {
            svc.strategy = Some(s);
            let how = match s {
                Strategy::Rolling if key == "kind" => {
                    "rolling (the Kubernetes default; no strategy declared)"
                }
                Strategy::Rolling => "rolling",
                Strategy::Recreate => "recreate",
                Strategy::Canary => "canary",
                Strategy::BlueGreen => "blue-green",
            };
            let evidence = if key == "kind" {
                w.evidence.clone()
            } else {
                w.evidence_at(key, value)
            };
            note(
                format!("Strategy of `{name}` is {how}, from {label}."),
                evidence,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::k8s::parse_file;
    use crate::model::Service;

    fn setup(manifest: &str, svc: Service) -> (Spec, Vec<K8sObject>, Vec<Assumption>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.yaml");
        std::fs::write(&path, manifest).unwrap();
        let shown = path.display().to_string();
        let objects = parse_file(&shown, manifest).unwrap();
        let mut spec = Spec::default();
        let mut svc = svc;
        svc.manifests = vec!["app.yaml".into()];
        spec.architecture.services.push(svc);
        let spec_file = dir.path().join("rollbook.yaml").display().to_string();
        let a = enrich(&mut spec, &objects, &spec_file);
        (spec, objects, a)
    }

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-api\n  namespace: shop\nspec:\n  replicas: 4\n  strategy:\n    type: Recreate\n";

    #[test]
    fn fills_empty_fields_with_citations() {
        let (spec, _, a) = setup(DEPLOY, Service::named("web"));
        let s = &spec.architecture.services[0];
        assert_eq!(s.resource.as_deref(), Some("web-api"));
        assert_eq!(s.namespace.as_deref(), Some("shop"));
        assert_eq!(s.replicas, Some(4));
        assert_eq!(s.platform, Some(Platform::Kubernetes));
        assert_eq!(s.strategy, Some(Strategy::Recreate));
        assert_eq!(a.len(), 5);
        let lines: Vec<Option<u32>> = a.iter().map(|a| a.evidence.line).collect();
        assert_eq!(lines, [Some(2), Some(5), Some(7), Some(2), Some(9)]);
    }

    #[test]
    fn keeps_what_the_spec_says() {
        let mut svc = Service::named("web-api");
        svc.namespace = Some("other".into());
        svc.replicas = Some(9);
        svc.platform = Some(Platform::Helm);
        svc.strategy = Some(Strategy::Rolling);
        let (spec, _, a) = setup(DEPLOY, svc);
        let s = &spec.architecture.services[0];
        assert_eq!(s.namespace.as_deref(), Some("other"));
        assert_eq!(s.replicas, Some(9));
        assert_eq!(s.platform, Some(Platform::Helm));
        assert!(a.is_empty(), "{a:?}");
    }

    #[test]
    fn statefulset_commands_name_the_statefulset() {
        let m = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ledger\n  namespace: pay\nspec:\n  replicas: 3\n";
        let (spec, _, a) = setup(m, Service::named("ledger"));
        let s = &spec.architecture.services[0];
        assert_eq!(s.workload, Some(crate::model::WorkloadKind::Statefulset));
        assert!(a.iter().any(|a| a.text.contains("statefulset")), "{a:?}");
        let mut ph = crate::base::placeholders::Placeholders::default();
        let steps = crate::platforms::deploy::rollback(s, &mut ph);
        let cmds: Vec<String> = steps
            .iter()
            .flat_map(|a| a.commands.iter().map(|c| c.render()))
            .collect();
        assert!(
            cmds.iter().any(|c| c.contains("statefulset/ledger")),
            "{cmds:?}"
        );
        assert!(!cmds.iter().any(|c| c.contains("deployment/")), "{cmds:?}");
    }

    #[test]
    fn rollout_is_argo_with_its_strategy() {
        let m = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\nspec:\n  strategy:\n    blueGreen:\n      activeService: web\n";
        let (spec, _, _) = setup(m, Service::named("web"));
        let s = &spec.architecture.services[0];
        assert_eq!(s.platform, Some(Platform::ArgoRollouts));
        assert_eq!(s.strategy, Some(Strategy::BlueGreen));
    }

    #[test]
    fn two_workloads_and_no_name_match_fill_nothing() {
        let m = format!(
            "{DEPLOY}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\n"
        );
        let (spec, _, a) = setup(&m, Service::named("web"));
        assert!(a.is_empty());
        assert_eq!(spec.architecture.services[0].namespace, None);
    }
}
