//! Fixture briefs and the tricky matchers.

use super::infer;
use crate::spec::model::*;

#[test]
fn dump() {
    for (p, t) in [
        (
            "flag-bump.md",
            include_str!("../../../tests/fixtures/briefs/flag-bump.md"),
        ),
        (
            "k8s-stateless.md",
            include_str!("../../../tests/fixtures/briefs/k8s-stateless.md"),
        ),
        (
            "ecs-bluegreen-mysql.md",
            include_str!("../../../tests/fixtures/briefs/ecs-bluegreen-mysql.md"),
        ),
        (
            "destructive-emails.md",
            include_str!("../../../tests/fixtures/briefs/destructive-emails.md"),
        ),
        (
            "plain.txt",
            include_str!("../../../tests/fixtures/briefs/plain.txt"),
        ),
        (
            "negations.md",
            include_str!("../../../tests/fixtures/briefs/negations.md"),
        ),
    ] {
        let i = infer(p, t).unwrap();
        println!("===== {p}\n{}", serde_saphyr::to_string(&i.spec).unwrap());
        for a in &i.assumptions {
            println!(
                "  {}:{} {:?} — {}",
                a.evidence.line.unwrap_or(0),
                a.evidence.column.unwrap_or(0),
                a.evidence.excerpt.as_deref().unwrap_or(""),
                a.text
            );
        }
    }
    let _ = Spec::default();
}
