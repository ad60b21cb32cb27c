//! AWS Lambda function behind an alias (weighted alias routing, optionally through CodeDeploy).
//! https://docs.aws.amazon.com/cli/latest/reference/lambda/update-alias.html

use super::common::{RECORD, aws, codedeploy_stop};
use super::{DeployPlatform, Staging};
use crate::base::parts::Stage;
use crate::base::placeholders::{Placeholders, slug};
use crate::base::shell::{Cmd, Word};
use crate::model::{Platform, Service};
use crate::platforms::{Action, fmt_pct, known, mark, splice};

pub struct Lambda;

const PREVIOUS_DESC: &str = "Lambda version number the alias pointed at before the deploy";

impl DeployPlatform for Lambda {
    fn platform(&self) -> Platform {
        Platform::Lambda
    }

    fn words(&self) -> &'static [&'static str] {
        &["lambda"]
    }

    fn unit_nouns(&self) -> &'static [&'static str] {
        &["function"]
    }

    fn record_target(&self, svc: &Service, ph: &mut Placeholders) -> (Vec<Cmd>, String) {
        let c = aws(
            Cmd::new("aws lambda get-alias")
                .opt("--function-name", Word::val(svc.resource_name()))
                .opt("--name", Word::val(alias(svc))),
            svc,
            ph,
        );
        let v = ph.text(&previous_name(svc), PREVIOUS_DESC, RECORD);
        let expect = format!("FunctionVersion is the version to return to: it fills {v}");
        (vec![c], expect)
    }

    fn rollback(&self, svc: &Service, ph: &mut Placeholders) -> Vec<Action> {
        let name = svc.name.as_str();
        let mut out = Vec::new();
        if known(svc.codedeploy_app.as_deref()).is_some() {
            out.push(codedeploy_stop(svc, ph));
        }
        // The alias takes a Lambda version number (or alias), never the release label of
        // `previous_version`: the number recorded by Go / No-Go is the only safe source.
        // https://docs.aws.amazon.com/cli/latest/reference/lambda/update-alias.html
        let v = ph.hole(&previous_name(svc), PREVIOUS_DESC, RECORD);
        let c = aws(
            update_alias(svc)
                .opt("--function-version", v)
                .lit("--routing-config AdditionalVersionWeights={}"),
            svc,
            ph,
        );
        out.push(
            Action::new(format!("Point alias {} of {name} back to the previous version", alias(svc)), name)
                .cmd(c)
                .verify(get_alias(svc, ph))
                .success("FunctionVersion is the previous version and RoutingConfig is empty")
                .minutes(1)
                .note("The alias switch is instant for new invocations; in-flight invocations finish on the new version.")
                .note("Published versions are immutable, so the old version brings back its own code and environment; shared layers, event source mappings and permissions changed with the deploy stay."),
        );
        out
    }

    fn abort(&self, svc: &Service, ph: &mut Placeholders) -> Option<Cmd> {
        Some(aws(
            update_alias(svc).lit("--routing-config AdditionalVersionWeights={}"),
            svc,
            ph,
        ))
    }

    fn not_reverted(&self) -> &'static [&'static str] {
        &[
            "environment variables and layers of $LATEST and of shared layer versions",
            "event source mappings, permissions and concurrency settings changed with the deploy",
        ]
    }

    fn staging(&self, svc: &Service, stages: &[Stage], ph: &mut Placeholders) -> Option<Staging> {
        let p = slug(&svc.name);
        let new = mark(&ph.hole(
            &format!("{p}_NEW_LAMBDA_VERSION"),
            "Lambda version published by this deploy",
            "deployment.version",
        ));
        let mut s = String::new();
        for st in stages {
            let c = if st.traffic_percent >= 100.0 {
                aws(
                    update_alias(svc)
                        .opt("--function-version", splice(&new))
                        .lit("--routing-config AdditionalVersionWeights={}"),
                    svc,
                    ph,
                )
            } else {
                let w = (st.traffic_percent.clamp(0.0, 100.0) / 100.0 * 10000.0).round() / 10000.0;
                let body = format!("AdditionalVersionWeights={{\"{new}\"={w}}}");
                aws(
                    update_alias(svc).opt("--routing-config", splice(&body)),
                    svc,
                    ph,
                )
            };
            s.push_str(&format!(
                "# {}: {}% for {} min\n{c}\n",
                st.name,
                fmt_pct(st.traffic_percent),
                st.bake_minutes
            ));
        }
        Some(Staging {
            name: "Lambda alias weighted routing".to_string(),
            snippet: s,
            language: "shell",
        })
    }
}

fn alias(svc: &Service) -> &str {
    known(svc.alias.as_deref()).unwrap_or("live")
}

fn update_alias(svc: &Service) -> Cmd {
    Cmd::new("aws lambda update-alias")
        .opt("--function-name", Word::val(svc.resource_name()))
        .opt("--name", Word::val(alias(svc)))
}

fn get_alias(svc: &Service, ph: &mut Placeholders) -> Cmd {
    aws(
        Cmd::new("aws lambda get-alias")
            .opt("--function-name", Word::val(svc.resource_name()))
            .opt("--name", Word::val(alias(svc))),
        svc,
        ph,
    )
}

fn previous_name(svc: &Service) -> String {
    format!("{}_PREVIOUS_LAMBDA_VERSION", slug(&svc.name))
}
