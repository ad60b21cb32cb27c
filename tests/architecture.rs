//! The pipeline runs one way (docs/architecture.md): a module may use its own layer and the layers
//! below it, never one above. Every `src/**/*.rs` is parsed with `syn` and every path that names
//! a module of the crate is checked: `use` trees, paths in expressions, types and patterns,
//! macro paths (`crate::declare_rule!`) and `crate::` paths inside macro arguments. Test modules
//! count too: a test that needs a higher layer belongs in `tests/`.

use proc_macro2::{Span, TokenStream, TokenTree};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// Every top-level module of `src/lib.rs`, with its layer (lowest first) and the layer's name.
const LAYERS: &[(&str, u8, &str)] = &[
    ("base", 0, "base"),
    ("model", 1, "model"),
    ("platforms", 2, "platforms"),
    ("spec", 3, "spec"),
    ("evidence", 4, "evidence"),
    ("assess", 5, "assess"),
    ("plan", 6, "plan"),
    ("render", 7, "render"),
    ("check", 8, "commands"),
    ("scan", 8, "commands"),
    ("drill", 8, "commands"),
    ("rehearse", 8, "commands"),
    ("export", 8, "commands"),
    ("cli", 9, "cli"),
];

fn layer(module: &str) -> Option<(u8, &'static str)> {
    LAYERS
        .iter()
        .find(|(m, _, _)| *m == module)
        .map(|(_, n, name)| (*n, *name))
}

/// One path of the crate named in a file: the line, the path as written (resolved from `crate`),
/// and the top-level module it lands in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Import {
    line: usize,
    path: String,
    module: String,
}

/// Collects the crate paths of one file. `module` is the file's module path (`["plan",
/// "sections"]` for `src/plan/sections/mod.rs`); inline `mod` items extend it while visited.
struct Collector<'a> {
    module: Vec<String>,
    /// Names the crate root re-exports (`crate::Error`) → the module they come from.
    root_names: &'a BTreeMap<String, String>,
    out: Vec<Import>,
}

impl Collector<'_> {
    /// Records a path given as its segments, starting at `crate`, `super` or `self`.
    fn record(&mut self, segments: &[String], span: Span) {
        let Some(first) = segments.first() else {
            return;
        };
        let mut at: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "super" | "self" => self.module.clone(),
            _ => return,
        };
        let mut rest = &segments[1..];
        if first == "super" {
            at.pop();
        }
        if first != "crate" {
            while rest.first().is_some_and(|s| s == "super") {
                at.pop();
                rest = &rest[1..];
            }
            // Still inside the file's own top-level module: not an import of another layer.
            if !at.is_empty() {
                return;
            }
        }
        let Some(top) = rest.first() else {
            return;
        };
        let module = if layer(top).is_some() {
            top.clone()
        } else {
            match self.root_names.get(top) {
                Some(m) => m.clone(),
                // `crate::SomeMacro!` or a name the root does not export: reported as unknown.
                None => top.clone(),
            }
        };
        let shown = std::iter::once("crate".to_string())
            .chain(rest.iter().cloned())
            .collect::<Vec<_>>()
            .join("::");
        self.out.push(Import {
            line: span.start().line,
            path: shown,
            module,
        });
    }

    fn use_tree(
        &mut self,
        prefix: &mut Vec<String>,
        first_span: Option<Span>,
        tree: &syn::UseTree,
    ) {
        match tree {
            syn::UseTree::Path(p) => {
                let span = first_span.unwrap_or_else(|| p.ident.span());
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, Some(span), &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let span = first_span.unwrap_or_else(|| n.ident.span());
                prefix.push(n.ident.to_string());
                self.record(&prefix.clone(), span);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                let span = first_span.unwrap_or_else(|| r.ident.span());
                prefix.push(r.ident.to_string());
                self.record(&prefix.clone(), span);
                prefix.pop();
            }
            syn::UseTree::Glob(g) => {
                let span = first_span.unwrap_or_else(|| g.star_token.span);
                prefix.push("*".into());
                self.record(&prefix.clone(), span);
                prefix.pop();
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, first_span, t);
                }
            }
        }
    }

    /// `crate::a::b` (or `$crate::a::b`) inside the unparsed tokens of a macro call or
    /// `macro_rules!` body.
    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => self.tokens(g.stream()),
                TokenTree::Ident(id) if id == "crate" => {
                    let mut segments = vec!["crate".to_string()];
                    let mut j = i + 1;
                    while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) =
                        (trees.get(j), trees.get(j + 1))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        match trees.get(j + 2) {
                            Some(TokenTree::Ident(next)) => {
                                segments.push(next.to_string());
                                j += 3;
                            }
                            _ => break,
                        }
                    }
                    if segments.len() > 1 {
                        self.record(&segments, id.span());
                    }
                    i = j.max(i + 1);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.module.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
        self.module.pop();
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), None, &u.tree);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(first) = p.segments.first() {
            self.record(&segments, first.ident.span());
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        syn::visit::visit_macro(self, m);
        self.tokens(m.tokens.clone());
    }

    // `pub(in crate::x)` and `pub(crate)` say who may see an item, not what it uses.
    fn visit_vis_restricted(&mut self, _: &'ast syn::VisRestricted) {}
}

/// The module path of a file under `src/`: `src/plan/sections/mod.rs` → `[plan, sections]`.
fn module_of(file: &str) -> Vec<String> {
    let rel = file.strip_prefix("src/").unwrap_or(file);
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// `#[macro_export]` macros of a file: they live at the crate root (`crate::declare_rule!`) but
/// belong to the module that defines them.
fn exported_macros(file: &str, source: &str, out: &mut BTreeMap<String, String>) {
    let Ok(parsed) = syn::parse_file(source) else {
        return;
    };
    let Some(top) = module_of(file).into_iter().next() else {
        return;
    };
    struct Macros<'a>(&'a str, &'a mut BTreeMap<String, String>);
    impl<'ast> Visit<'ast> for Macros<'_> {
        fn visit_item_macro(&mut self, m: &'ast syn::ItemMacro) {
            let exported = m.attrs.iter().any(|a| a.path().is_ident("macro_export"));
            if let (true, Some(name)) = (exported, &m.ident) {
                self.1.insert(name.to_string(), self.0.to_string());
            }
        }
    }
    Macros(&top, out).visit_file(&parsed);
}

/// Names the crate root re-exports, each with the module it comes from.
fn root_names(lib: &syn::File) -> BTreeMap<String, String> {
    fn walk(tree: &syn::UseTree, top: Option<&str>, out: &mut BTreeMap<String, String>) {
        match tree {
            syn::UseTree::Path(p) => {
                let ident = p.ident.to_string();
                walk(&p.tree, Some(top.unwrap_or(&ident)), out);
            }
            syn::UseTree::Name(n) => {
                if let Some(t) = top {
                    out.insert(n.ident.to_string(), t.to_string());
                }
            }
            syn::UseTree::Rename(r) => {
                if let Some(t) = top {
                    out.insert(r.rename.to_string(), t.to_string());
                }
            }
            syn::UseTree::Glob(_) => {}
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, top, out)),
        }
    }
    let mut out = BTreeMap::new();
    for item in &lib.items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, None, &mut out);
        }
    }
    out
}

/// Every import of `source` (the text of `file`, a path under `src/`) that runs up the layers
/// or names a module with no layer, one message each.
fn violations(file: &str, source: &str, roots: &BTreeMap<String, String>) -> Vec<String> {
    let parsed = match syn::parse_file(source) {
        Ok(f) => f,
        Err(e) => {
            let at = e.span().start();
            return vec![format!("{file}:{}: does not parse: {e}", at.line)];
        }
    };
    let module = module_of(file);
    let Some((own, own_name)) = module.first().and_then(|m| layer(m)) else {
        return vec![format!(
            "{file}: its module `{}` has no layer in tests/architecture.rs",
            module.first().map(String::as_str).unwrap_or("")
        )];
    };
    let mut c = Collector {
        module,
        root_names: roots,
        out: Vec::new(),
    };
    c.visit_file(&parsed);
    c.out.sort_by_key(|i| i.line);
    let mut out = Vec::new();
    for i in c.out {
        match layer(&i.module) {
            Some((n, name)) if n > own => out.push(format!(
                "{file}:{} imports {} ({name}) from layer {own_name}",
                i.line, i.path
            )),
            Some(_) => {}
            None => out.push(format!(
                "{file}:{} imports {}, whose module `{}` has no layer",
                i.line, i.path, i.module
            )),
        }
    }
    out.dedup();
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn crate_root() -> (PathBuf, syn::File) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    (root, syn::parse_file(&lib).unwrap())
}

#[test]
fn no_module_imports_a_layer_above_its_own() {
    let (root, lib) = crate_root();
    let mut roots = root_names(&lib);
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        exported_macros(&rel, &std::fs::read_to_string(f).unwrap(), &mut roots);
    }
    let mut found = Vec::new();
    let mut checked = 0;
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        // The crate root declares the modules; the binary is a separate crate using the library.
        if rel == "src/lib.rs" || rel == "src/main.rs" {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        found.extend(violations(&rel, &text, &roots));
        checked += 1;
    }
    assert!(checked > 100, "only {checked} files under src/");
    assert!(
        found.is_empty(),
        "{} import(s) against the layers (docs/architecture.md):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let (_, lib) = crate_root();
    let modules: Vec<String> = lib
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    let missing: Vec<&String> = modules.iter().filter(|m| layer(m).is_none()).collect();
    assert!(
        missing.is_empty(),
        "modules of src/lib.rs with no layer in tests/architecture.rs: {missing:?}"
    );
    // And the table names no module that is gone.
    let stale: Vec<&str> = LAYERS
        .iter()
        .map(|(m, _, _)| *m)
        .filter(|m| !modules.iter().any(|x| x == m))
        .collect();
    assert!(
        stale.is_empty(),
        "layers of modules not in src/lib.rs: {stale:?}"
    );
}

#[test]
fn the_checker_reports_upward_imports_in_every_form() {
    let mut roots: BTreeMap<String, String> = [("Error".to_string(), "base".to_string())].into();
    exported_macros(
        "src/assess/mod.rs",
        "#[macro_export]\nmacro_rules! declare_rule { () => {} }\n",
        &mut roots,
    );
    let source = r#"
use crate::base::shell;
use crate::{model::Spec, plan::model::Check};
use super::super::super::render::markdown;

fn f(p: &crate::plan::Plan) -> crate::Error {
    crate::declare_rule!(x);
    format!("{}", crate::assess::LEVEL);
    crate::unknown::thing();
    todo!()
}

#[cfg(test)]
mod tests {
    use crate::cli::run;
}

macro_rules! m {
    () => { $crate::drill::go() };
}
"#;
    let found = violations("src/spec/brief/x.rs", source, &roots);
    assert_eq!(
        found,
        [
            "src/spec/brief/x.rs:3 imports crate::plan::model::Check (plan) from layer spec",
            "src/spec/brief/x.rs:4 imports crate::render::markdown (render) from layer spec",
            "src/spec/brief/x.rs:6 imports crate::plan::Plan (plan) from layer spec",
            "src/spec/brief/x.rs:7 imports crate::declare_rule (assess) from layer spec",
            "src/spec/brief/x.rs:8 imports crate::assess::LEVEL (assess) from layer spec",
            "src/spec/brief/x.rs:9 imports crate::unknown::thing, whose module `unknown` has no layer",
            "src/spec/brief/x.rs:15 imports crate::cli::run (cli) from layer spec",
            "src/spec/brief/x.rs:19 imports crate::drill::go (commands) from layer spec",
        ]
    );
    // Downward and sideways imports pass; so does `super` within the own module.
    let fine = "use crate::base::Error;\nuse crate::model::Spec;\nuse super::load;\nfn f() -> crate::Error { todo!() }\n";
    assert_eq!(
        violations("src/spec/x.rs", fine, &roots),
        Vec::<String>::new()
    );
    // A file of a module with no layer fails.
    assert_eq!(
        violations("src/newthing/mod.rs", "", &roots),
        ["src/newthing/mod.rs: its module `newthing` has no layer in tests/architecture.rs"]
    );
}
