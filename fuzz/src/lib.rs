//! The bodies of the fuzz targets, shared by the `cargo fuzz` targets and the stable replay
//! harness (`src/bin/replay.rs`), so both exercise exactly the same code.

use rollbook::assess::{self, Context};
use rollbook::evidence::Gathered;
use rollbook::evidence::sql::{self, Dialect, Migration, layout, text::Origin};
use rollbook::plan::{self, Options};
use rollbook::render;
use rollbook::model::Spec;
use rollbook::spec::{InputForm, load};
use std::path::PathBuf;

/// Spec text of one form: detection, parsing, validation.
pub fn spec(text: &str, form: InputForm) {
    let _ = load::detect_form("fuzz", text);
    let path = match form {
        InputForm::Yaml => "fuzz.yaml",
        InputForm::Toml => "fuzz.toml",
        InputForm::Json => "fuzz.json",
        InputForm::Brief => "fuzz.md",
    };
    let _ = load::parse_spec(path, text, form);
}

/// A brief: inference, and the YAML `rollbook infer` prints of it.
pub fn brief(text: &str) {
    if let Ok(input) = rollbook::spec::brief::infer("fuzz.md", text) {
        let _ = rollbook::cli::infer_yaml(&input);
    }
}

/// A migration file: up/down sections, both parsed, the verdict, and every rule over it.
pub fn sql(text: &str, dialect: Dialect) {
    let sec = layout::sections(text);
    let up_o = Origin {
        file: "fuzz.sql".into(),
        first_line: sec.up.1,
        field: None,
    };
    let mut m = Migration {
        change: 0,
        dialect,
        up_source: up_o.source(),
        up: layout::parse(&sec.up.0, dialect, &up_o),
        down_source: None,
        down: Vec::new(),
        tool_transaction: None,
    };
    if let Some((down, line)) = &sec.down {
        let o = Origin {
            file: "fuzz.sql".into(),
            first_line: *line,
            field: None,
        };
        m.down_source = Some(o.source());
        m.down = layout::parse(down, dialect, &o);
    }
    let _ = sql::verdict(&m, Some(11));
    let _ = sql::verdict(&m, None);
    let mut spec = Spec::default();
    spec.deployment.name = "fuzz".into();
    spec.deployment
        .changes
        .push(rollbook::model::Change::new(
            rollbook::model::ChangeKind::Migration,
        ));
    let g = Gathered {
        migrations: vec![m],
        ..Gathered::default()
    };
    let _ = assess::run_rules(&Context::new(&spec, "fuzz.yaml", &g));
}

/// Whole plan from arbitrary spec text: detect, parse, build, render both formats. Paths to
/// artifacts are dropped so an input cannot make the run walk the fuzzing machine's disk.
pub fn whole_plan(text: &str) {
    let form = load::detect_form("fuzz", text);
    let input = match form {
        InputForm::Brief => rollbook::spec::brief::infer("fuzz.md", text),
        f => load::parse_spec("fuzz", text, f),
    };
    let Ok(mut input) = input else { return };
    for c in &mut input.spec.deployment.changes {
        if let Some(m) = c.as_migration_mut() {
            m.path = None;
            m.down_path = None;
        }
        if let Some(i) = c.as_infrastructure_mut() {
            i.plan = None;
        }
        if let Some(k) = c.as_config_mut() {
            k.before_path = None;
            k.after_path = None;
        }
        if let Some(d) = c.as_data_operation_mut() {
            d.script = None;
        }
    }
    for s in &mut input.spec.architecture.services {
        s.manifests.clear();
    }
    for at in [None, Some("2026-12-01T14:00:00+01:00".to_string())] {
        if let Ok(p) = plan::build(&input, &Options { at, ..Default::default() }) {
            let _ = render::markdown::render(&p);
            let _ = render::json::render(&p);
        }
    }
}

/// Which artifact reader to run.
#[derive(Debug, Clone, Copy)]
pub enum Reader {
    K8s,
    Terraform,
    Config,
}

/// An artifact reader (`read_files`, as `rollbook scan` calls it) on a temporary file holding
/// `data`. For config files the first byte picks the format by extension.
pub fn read_file(data: &[u8], reader: Reader) {
    let (ext, body) = match reader {
        Reader::K8s => ("yaml", data),
        Reader::Terraform => ("json", data),
        Reader::Config => {
            let exts = ["env", "yaml", "json", "toml", "properties", "ini"];
            match data.split_first() {
                Some((b, rest)) => (exts[usize::from(*b) % exts.len()], rest),
                None => ("env", data),
            }
        }
    };
    let dir = std::env::temp_dir().join(format!("rollbook-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path: PathBuf = dir.join(format!("input.{ext}"));
    if std::fs::write(&path, body).is_err() {
        return;
    }
    // Config files are diffed in pairs: the input is `before 0xFF after` (0xFF is never UTF-8, so
    // it cannot be part of either side); without it the before side is empty.
    let before_path = dir.join(format!("before.{ext}"));
    let (before, after) = match body.iter().position(|b| *b == 0xFF) {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (&[][..], body),
    };
    if matches!(reader, Reader::Config)
        && (std::fs::write(&before_path, before).is_err() || std::fs::write(&path, after).is_err())
    {
        return;
    }
    let paths = [path];
    match reader {
        Reader::K8s => {
            let _ = rollbook::evidence::k8s::read_files(&paths);
        }
        Reader::Terraform => {
            let _ = rollbook::evidence::terraform::read_files(&paths);
        }
        Reader::Config => {
            let pair = [before_path, paths[0].clone()];
            let _ = rollbook::evidence::config::read_files(&pair);
        }
    }
}

/// The redaction layer every output passes through: no control or bidi character survives, and
/// masking twice changes nothing more than masking once.
pub fn redact(text: &str) {
    use rollbook::base::redact::{Shape, for_output, is_unsafe_char, secrets};
    for shape in [Shape::Human, Shape::Json] {
        let out = for_output(text, shape);
        assert!(!out.chars().any(is_unsafe_char), "{out:?}");
    }
    let once = secrets(text).into_owned();
    assert_eq!(secrets(&once), once, "masking is idempotent");
}
