//! Rule RB202 `mutable-image-tag`.

use crate::assess::{Context, Finding, Rule, Severity};
use crate::evidence::k8s::{ImagePin, image_pin};
use serde_json::Value;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A container image referenced by `latest`, by no tag, or by a tag without a digest.
    ///
    /// ## Why it matters for rollback
    ///
    /// A tag can be moved; rolling back to `app:latest` (or to a re-pushed `app:1.4`) may pull a
    /// different image than the one that ran before, so the "previous version" is not what it was.
    ///
    /// ## Use instead
    ///
    /// Pin images by digest (`app:1.4@sha256:...`), or at least by a tag your registry makes
    /// immutable.
    pub static MUTABLE_IMAGE_TAG = { code: "RB202", name: "mutable-image-tag", family: Kubernetes, severity: Warning, check: check, fixtures: [".yaml", "-manifests.yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for o in ctx.objects {
        let mut seen: Vec<&str> = Vec::new();
        for (_, c) in o.containers() {
            let Some(image) = c.get("image").and_then(Value::as_str) else {
                continue;
            };
            if seen.contains(&image) {
                continue;
            }
            seen.push(image);
            let evidence = o.evidence_at("image", Some(image));
            match image_pin(image) {
                ImagePin::Digest => {}
                ImagePin::Latest => out.push(rule.finding(
                    MutableImageTag::Latest { workload: o.label(), image },
                    evidence,
                )),
                ImagePin::Tag => out.push(
                    rule.finding(
                        MutableImageTag::Tag { workload: o.label(), image },
                        evidence,
                    )
                    .severity(Severity::Info),
                ),
            }
        }
    }
}

/// An image that a rollback may resolve to different bytes.
enum MutableImageTag<'a> {
    /// `latest`, or no tag.
    Latest { workload: String, image: &'a str },
    /// A tag without a digest.
    Tag { workload: String, image: &'a str },
}

impl crate::assess::Violation for MutableImageTag<'_> {
    fn message(&self) -> String {
        match self {
            Self::Latest { workload, image } => format!("{workload} runs `{image}`: `latest` (or no tag) moves with every push, so a rollback may pull a different image."),
            Self::Tag { workload, image } => format!("{workload} runs `{image}` by tag without a digest: if the tag is re-pushed, a rollback pulls a different image."),
        }
    }
}
