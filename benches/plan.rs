//! Whole-plan generation per shipped example: load, read evidence, assess, build, render.

use criterion::{Criterion, criterion_group, criterion_main};
use rollbook::plan::{self, Options};
use rollbook::render;
use rollbook::spec::load::load;
use std::hint::black_box;

fn examples() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir("examples")
        .expect("run from the project root")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "toml" | "json" | "md")
            )
        })
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn whole_plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    for path in examples() {
        let name = std::path::Path::new(&path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        group.bench_function(&name, |b| {
            b.iter(|| {
                let input = load(black_box(&path)).unwrap();
                let plan = plan::build(&input, &Options::default()).unwrap();
                black_box(render::markdown::render(&plan));
                black_box(render::json::render(&plan));
            })
        });
    }
    group.finish();
}

criterion_group!(benches, whole_plan);
criterion_main!(benches);
