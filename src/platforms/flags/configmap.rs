//! Flags kept in a Kubernetes ConfigMap: a merge patch sets the key to "false".
//! https://kubernetes.io/docs/reference/kubectl/generated/kubectl_patch/

use super::{Ctx, FlagProviderUnit, Needs, Off, text};
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{FlagChange, FlagProvider, FlagProviderKind};
use crate::platforms::splice;
use serde_json::json;

pub struct Configmap;

impl FlagProviderUnit for Configmap {
    fn kind(&self) -> FlagProviderKind {
        FlagProviderKind::Configmap
    }

    /// None: "configmap" in a brief names a config change far more often than a flag provider.
    fn words(&self) -> &'static [&'static str] {
        &[]
    }

    fn names(&self) -> (&'static str, &'static str) {
        ("ConfigMap", "CONFIGMAP")
    }

    fn needs(&self) -> Needs {
        Needs {
            environment: false,
            ..Needs::NONE
        }
    }

    fn flag_values(
        &self,
        ctx: &mut Ctx,
        flag: &FlagChange,
        p: Option<&FlagProvider>,
        ph: &mut Placeholders,
    ) {
        ctx.configmap = text(
            ph,
            flag.provider_id.as_deref(),
            &format!("{}_CONFIGMAP", slug(&flag.key)),
            "ConfigMap that holds the flag",
            "feature_flag.flag.provider_id",
            false,
        );
        ctx.namespace = text(
            ph,
            p.and_then(|p| p.namespace.as_deref()),
            "FLAG_CONFIGMAP_NAMESPACE",
            "Kubernetes namespace of the flag ConfigMap",
            "architecture.flag_provider.namespace",
            false,
        );
    }

    fn turn_off(&self, ctx: &Ctx, flag: &FlagChange) -> Off {
        let mut data = serde_json::Map::new();
        data.insert(flag.key.clone(), json!("false"));
        let body = json!({"data": data});
        Off {
            cmd: Cmd::new("kubectl patch configmap")
                .word(splice(&ctx.configmap))
                .opt("-n", splice(&ctx.namespace))
                .lit("--type merge")
                .opt("-p", Word::val(body.to_string())),
            success: "the key reads false",
            note: "Mounted ConfigMaps update in the pods after the kubelet sync (up to about a minute); apps that read the flag from environment variables need `kubectl rollout restart` of their Deployment.",
        }
    }

    fn read_state(&self, ctx: &Ctx, flag: &FlagChange) -> Cmd {
        let path = format!("{{.data.{}}}", flag.key.replace('.', "\\."));
        Cmd::new("kubectl get configmap")
            .word(splice(&ctx.configmap))
            .opt("-n", splice(&ctx.namespace))
            .opt("-o", Word::lit("jsonpath=").then(Word::val(path)))
    }
}
