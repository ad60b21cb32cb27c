//! Redaction, the last step of every output: a whole Markdown plan (with its non-ASCII dashes and
//! arrows), the short fragments the Markdown renderer escapes one by one, and a text holding one
//! secret of each shape.

use criterion::{Criterion, criterion_group, criterion_main};
use rollbook::base::redact::secrets;
use rollbook::plan::{self, Options};
use rollbook::render;
use rollbook::spec::load::load;
use std::hint::black_box;

fn redaction(c: &mut Criterion) {
    let input = load("examples/ecs-blue-green-mysql-backfill.yaml").expect("run from the root");
    let plan = plan::build(&input, &Options::default()).expect("example plans");
    let markdown = render::markdown::render(&plan);
    let fragments: Vec<&str> = markdown.lines().collect();
    let with_secrets = "DB_PASSWORD=hunter2 postgres://app:pw123@db:5432/x \
        https://api.example.com/v1?api_key=abcdef use ghp_0123456789abcdefghijABCDEFGHIJ now \
        k = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY9 — done";

    let mut group = c.benchmark_group("redact");
    group.bench_function("whole-plan", |b| {
        b.iter(|| secrets(black_box(&markdown)).len())
    });
    group.bench_function("plan-lines", |b| {
        b.iter(|| {
            fragments
                .iter()
                .map(|f| secrets(black_box(f)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("every-shape", |b| {
        b.iter(|| secrets(black_box(with_secrets)).len())
    });
    group.finish();
}

criterion_group!(benches, redaction);
criterion_main!(benches);
