use crate::assess::{Context, Finding, Level, Rule};
use crate::base::lean_regex::{LeanRegex, Reach};
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    ///
    /// The brief says a command takes capacity away: servers, hosts, nodes or instances removed,
    /// decommissioned, terminated, shut down or taken out of service.
    ///
    /// ## Why it matters for rollback
    ///
    /// "Add them back" is the way back only while what runs on that capacity survives. A command
    /// given a wrong input removes more than meant, and the systems that lose their minimum
    /// capacity must then restart, which in a large fleet nobody may have done for years: that
    /// restart, not adding the servers back, is the real rollback time.
    ///
    /// ## Example
    ///
    /// "Remove a few servers from the billing fleet with the playbook command, which takes the set
    /// of servers as its input."
    ///
    /// ## Use instead
    ///
    /// Cap what one command may remove (a floor of minimum capacity it refuses to go below, a
    /// limit on how many per run, a slower pace), dry-run its input first (list and count what it
    /// will remove), and know how long the dependent systems take to restart before running it.
    pub static CAPACITY_REMOVAL = { code: "RB030", name: "capacity-removal", family: Spec, severity: Warning, check: check, fixtures: [".md"] }
}

/// A verb that takes capacity away, then (within a few words) what it takes.
static REMOVES_CAPACITY: LazyLock<LeanRegex> = LazyLock::new(|| {
    LeanRegex::new(
        r"(?i)\b(?:remov(?:e|es|ing)|decommission(?:s|ing)?|terminat(?:e|es|ing)|shut(?:s|ting)?\s+down|tak(?:e|es|ing)|scal(?:e|es|ing)\s+(?:down|in))\s+(?:[[:word:],-]+\s+){0,5}?(?:servers?|hosts?|nodes?|instances?|machines?|capacity)\b(?:\s+(?:[[:word:],()-]+\s+){0,6}?out\s+of\s+service)?",
        // Searched over one sentence or summary: the cheap engines, built at first use.
        Reach::Short,
    )
});

/// Every match names what is removed; a text naming none of these is not searched, so most plans
/// never compile the regex (compiling it costs more than a whole spec plan).
const CAPACITY_NOUNS: &[&str] = &[
    "server", "host", "node", "instance", "machine", "capacity",
];

/// `take` removes capacity only when the sentence says "out of service".
fn removes_capacity(words: &str) -> bool {
    let lower = words.to_ascii_lowercase();
    if !CAPACITY_NOUNS.iter().any(|n| lower.contains(n)) {
        return false;
    }
    REMOVES_CAPACITY.find_iter(words).any(|m| {
        let t = m.as_str().to_ascii_lowercase();
        !t.starts_with("tak") || t.contains("out of service")
    })
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    let stated = ctx
        .spec
        .statements
        .iter()
        .enumerate()
        .find(|(_, st)| removes_capacity(&st.words))
        .map(|(i, st)| (st.words.clone(), st.evidence(ctx.spec_file, i)));
    let summarised = || {
        let s = ctx.spec.deployment.summary.as_deref()?;
        removes_capacity(s).then(|| {
            (
                s.to_string(),
                crate::base::Evidence::field(ctx.spec_file, "deployment.summary").with_excerpt(s),
            )
        })
    };
    let Some((words, evidence)) = stated.or_else(summarised) else {
        return;
    };
    out.push(
        rule.finding(CapacityRemoval { words: &words }, evidence)
            .level(Level::Complex),
    );
}

/// A command that takes capacity away.
struct CapacityRemoval<'a> {
    /// The brief's own words.
    words: &'a str,
}

impl crate::assess::Violation for CapacityRemoval<'_> {
    fn message(&self) -> String {
        format!(
            "\u{201c}{}\u{201d} removes capacity: cap what one command may remove (a floor of minimum capacity it refuses to go below), dry-run its input first (list and count what it will remove), and know the restart time of what runs on that capacity: if too much goes, that restart, not adding the servers back, is the real rollback time (at least complex)",
            self.words
        )
    }
}

#[cfg(test)]
mod tests {
    use super::removes_capacity;

    #[test]
    fn reads_capacity_taken_away_and_not_other_removals() {
        assert!(removes_capacity("remove a small number of servers from the fleet"));
        assert!(removes_capacity("Decommission the 40 old hosts in rack 12"));
        assert!(removes_capacity("take three cache nodes out of service"));
        assert!(removes_capacity("scale in the worker instances to 4"));
        assert!(!removes_capacity("take a backup of the servers"));
        assert!(!removes_capacity("remove the unused column from orders"));
        assert!(!removes_capacity("add the servers back"));
    }
}
