//! HTML runbook rendering per shipped example (the plan is built once, outside the timing).

use criterion::{Criterion, criterion_group, criterion_main};
use rollbook::plan::{self, Options};
use rollbook::render::html;
use rollbook::spec::load::load;
use std::hint::black_box;

fn render_html(c: &mut Criterion) {
    let mut paths: Vec<String> = std::fs::read_dir("examples")
        .expect("run from the project root")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "toml" | "json" | "md")
            )
        })
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    paths.sort();
    let mut group = c.benchmark_group("html");
    for path in paths {
        let input = load(&path).expect("example loads");
        let plan = plan::build(&input, &Options::default()).expect("example plans");
        let name = std::path::Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        group.bench_function(&name, |b| {
            b.iter(|| black_box(html::render(black_box(&plan))))
        });
    }
    group.finish();
}

criterion_group!(benches, render_html);
criterion_main!(benches);
