//! Liquibase's run order: a master changelog (XML, YAML or JSON) lists the files it applies with
//! `include` (one file), `includeAll` (a folder, in name order) and `sqlFile` changesets; the files
//! run in that order, whatever their names say.
//! <https://docs.liquibase.com/change-types/include.html>,
//! <https://docs.liquibase.com/change-types/includeall.html>

use std::path::Path;

/// Largest changelog read.
const MAX_CHANGELOG_BYTES: u64 = 256 * 1024;
/// Most files listed in one folder while looking for a changelog.
const MAX_LISTED: usize = 1_000;

/// The files a changelog applies, in order: a path as written (`/` separated, `classpath:` and
/// `./` dropped); a folder of `includeAll` ends with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changelog {
    pub entries: Vec<String>,
}

impl Changelog {
    /// Finds the changelog that orders the migrations of folder `set`: a `*changelog*.{xml,yaml,
    /// yml,json}` in the folder or the one above it (where masters usually sit beside `changes/`).
    pub fn near(set: &Path) -> Option<Changelog> {
        [Some(set), set.parent()]
            .into_iter()
            .flatten()
            .find_map(|dir| {
                let mut names: Vec<_> = std::fs::read_dir(dir)
                    .ok()?
                    .take(MAX_LISTED)
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .map(|e| e.path())
                    .filter(|p| is_changelog_name(p))
                    .collect();
                // The master first when several exist.
                names.sort_by_key(|p| (!name(p).contains("master"), p.clone()));
                names.iter().find_map(|p| Self::read(p))
            })
    }

    fn read(path: &Path) -> Option<Changelog> {
        let text = crate::base::fsio::read_text(path, MAX_CHANGELOG_BYTES).ok()?;
        Self::parse(&extension(path), &text)
    }

    /// Reads a changelog's text; `extension` (`xml`, `json`, else YAML) says its format. `None`
    /// when it cannot be read or lists no file.
    pub fn parse(extension: &str, text: &str) -> Option<Changelog> {
        let entries = match extension {
            "xml" => from_xml(text)?,
            "json" => from_tree(&serde_json::from_str(text).ok()?),
            _ => from_tree(
                &serde_saphyr::from_str_with_options::<serde_json::Value>(
                    text,
                    crate::spec::load::budgeted_yaml(
                        100_000,
                        32,
                        serde_saphyr::DuplicateKeyPolicy::LastWins,
                    ),
                )
                .ok()?,
            ),
        };
        (!entries.is_empty()).then_some(Changelog { entries })
    }

    /// Where `file` runs: the index of the first entry naming it (its path ends with the entry's
    /// components) or its folder (`includeAll`).
    pub fn position(&self, file: &Path) -> Option<usize> {
        let parts: Vec<String> = file
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        self.entries.iter().position(|entry| {
            let (folder, entry) = match entry.strip_suffix('/') {
                Some(dir) => (true, dir),
                None => (false, entry.as_str()),
            };
            let want: Vec<&str> = entry.split('/').filter(|s| !s.is_empty()).collect();
            let against = if folder {
                parts
                    .get(..parts.len().saturating_sub(1))
                    .unwrap_or_default()
            } else {
                &parts[..]
            };
            !want.is_empty() && against.ends_with_str(&want)
        })
    }
}

trait EndsWithStr {
    fn ends_with_str(&self, tail: &[&str]) -> bool;
}

impl EndsWithStr for [String] {
    fn ends_with_str(&self, tail: &[&str]) -> bool {
        self.len() >= tail.len()
            && self
                .iter()
                .rev()
                .zip(tail.iter().rev())
                .all(|(a, b)| a == b)
    }
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn extension(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn is_changelog_name(p: &Path) -> bool {
    name(p).contains("changelog")
        && matches!(extension(p).as_str(), "xml" | "yaml" | "yml" | "json")
}

/// A path as Liquibase writes it, reduced to the part that names the file.
fn clean(path: &str, folder: bool) -> String {
    let p = path.trim().replace('\\', "/");
    let p = p.strip_prefix("classpath:").unwrap_or(&p);
    let p = p.trim_start_matches("./").trim_start_matches('/');
    let mut s = p.trim_end_matches('/').to_string();
    if folder {
        s.push('/');
    }
    s
}

fn from_xml(text: &str) -> Option<Vec<String>> {
    let doc = roxmltree::Document::parse(text).ok()?;
    Some(
        doc.descendants()
            .filter(|n| n.is_element())
            .filter_map(|n| match n.tag_name().name() {
                "include" => n.attribute("file").map(|f| clean(f, false)),
                "includeAll" => n.attribute("path").map(|f| clean(f, true)),
                "sqlFile" => n.attribute("path").map(|f| clean(f, false)),
                _ => None,
            })
            .collect(),
    )
}

/// YAML and JSON changelogs: `databaseChangeLog` is a list of `include`, `includeAll` and
/// `changeSet` entries (a changeSet's `changes` may hold `sqlFile`).
fn from_tree(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let items = v
        .get("databaseChangeLog")
        .and_then(|l| l.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    for item in items {
        if let Some(f) = item.pointer("/include/file").and_then(|f| f.as_str()) {
            out.push(clean(f, false));
        } else if let Some(p) = item.pointer("/includeAll/path").and_then(|p| p.as_str()) {
            out.push(clean(p, true));
        } else if let Some(changes) = item
            .pointer("/changeSet/changes")
            .and_then(|c| c.as_array())
        {
            out.extend(
                changes
                    .iter()
                    .filter_map(|c| c.pointer("/sqlFile/path").and_then(|p| p.as_str()))
                    .map(|p| clean(p, false)),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_yaml_and_json_changelogs_list_their_files_in_order() {
        let xml = r#"<?xml version="1.0"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <include file="changes/10-b.sql" relativeToChangelogFile="true"/>
  <include file="classpath:db/changes/2-a.sql"/>
  <changeSet id="1" author="a"><sqlFile path="./sql/x.sql"/></changeSet>
  <includeAll path="more/"/>
</databaseChangeLog>"#;
        assert_eq!(
            from_xml(xml).unwrap(),
            [
                "changes/10-b.sql",
                "db/changes/2-a.sql",
                "sql/x.sql",
                "more/"
            ]
        );
        let yaml = "databaseChangeLog:\n  - include:\n      file: changes/10-b.sql\n  - includeAll:\n      path: more\n";
        let v = serde_saphyr::from_str::<serde_json::Value>(yaml).unwrap();
        assert_eq!(from_tree(&v), ["changes/10-b.sql", "more/"]);
        let json =
            r#"{"databaseChangeLog":[{"changeSet":{"changes":[{"sqlFile":{"path":"a.sql"}}]}}]}"#;
        assert_eq!(from_tree(&serde_json::from_str(json).unwrap()), ["a.sql"]);
    }

    #[test]
    fn a_file_is_placed_by_its_path_or_its_folder() {
        let c = Changelog {
            entries: vec![
                "changes/10-b.sql".into(),
                "changes/2-a.sql".into(),
                "more/".into(),
            ],
        };
        assert_eq!(c.position(Path::new("db/changes/2-a.sql")), Some(1));
        assert_eq!(c.position(Path::new("db/changes/10-b.sql")), Some(0));
        assert_eq!(c.position(Path::new("db/more/1.sql")), Some(2));
        assert_eq!(c.position(Path::new("db/other/1.sql")), None);
        // A name that only ends the same is not the file.
        assert_eq!(c.position(Path::new("db/changes/x2-a.sql")), None);
    }
}
