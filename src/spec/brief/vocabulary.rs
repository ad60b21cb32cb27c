//! The words that name platforms, flag providers, migration tools, metrics systems and data
//! stores, as matchers built from the registry's lists (`crate::platforms::vocabulary`): a value
//! the model knows is a value the brief understands, and nothing here repeats the lists.

use super::matcher::Matcher;
use super::text::collapse;
use crate::model::{Engine, FlagProviderKind, Hosting, MetricsSystem, MigrationTool, Platform};
use crate::platforms::vocabulary;

/// One alternation of the words, longest first (the longer of two overlapping words wins), on
/// ASCII word boundaries with any run of white space between a word's parts; `tail` follows it.
/// The gate words are each word's first part.
fn alternation<'a>(words: impl Iterator<Item = &'a str>, tail: &str) -> (String, Vec<String>) {
    let mut words: Vec<&str> = words.collect();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words.dedup();
    let alts: Vec<String> = words
        .iter()
        .map(|w| {
            w.split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect();
    let mut gate: Vec<String> = words
        .iter()
        .filter_map(|w| w.split_whitespace().next())
        .map(str::to_string)
        .collect();
    gate.sort();
    gate.dedup();
    (
        format!(r"(?i)(?-u:\b)({})(?-u:\b){tail}", alts.join("|")),
        gate,
    )
}

/// The value a matched word names: the matched text, white space collapsed and lowercased,
/// looked up in the list.
fn value_of<T: Copy>(list: &[(&'static str, T)], matched: &str) -> Option<T> {
    let w = collapse(matched).to_lowercase();
    list.iter().find(|(word, _)| *word == w).map(|(_, v)| *v)
}

pub(super) static PLATFORM: Matcher =
    Matcher::built(|| alternation(vocabulary::deploy_platforms().iter().map(|(w, _)| *w), ""));

pub(super) fn platform(matched: &str) -> Option<Platform> {
    value_of(&vocabulary::deploy_platforms(), matched)
}

pub(super) static PROVIDER: Matcher =
    Matcher::built(|| alternation(vocabulary::flag_providers().iter().map(|(w, _)| *w), ""));

pub(super) fn provider(matched: &str) -> Option<FlagProviderKind> {
    value_of(&vocabulary::flag_providers(), matched)
}

pub(super) static TOOL: Matcher =
    Matcher::built(|| alternation(vocabulary::migration_tools().iter().map(|(w, _)| *w), ""));

pub(super) fn tool(matched: &str) -> Option<MigrationTool> {
    value_of(&vocabulary::migration_tools(), matched)
}

pub(super) static METRICS: Matcher =
    Matcher::built(|| alternation(vocabulary::metrics_systems().iter().map(|(w, _)| *w), ""));

pub(super) fn metrics(matched: &str) -> Option<MetricsSystem> {
    value_of(&vocabulary::metrics_systems(), matched)
}

/// An engine's word (group 1) and the version written right after it (group 2).
pub(super) static ENGINE: Matcher = Matcher::built(|| {
    alternation(
        vocabulary::engines().iter().map(|(w, _, _)| *w),
        r"(?:\s+v?([0-9]{1,2}(?:\.[0-9]{1,3}){0,2})(?-u:\b))?",
    )
});

/// The engine a matched word names, its name in the spec, and the hosting the word says.
pub(super) fn engine(matched: &str) -> Option<(Engine, String, Option<Hosting>)> {
    let w = collapse(matched).to_lowercase();
    let (_, engine, hosting) = vocabulary::engines()
        .into_iter()
        .find(|(x, _, _)| *x == w)?;
    Some((engine, engine_name(engine), hosting))
}

/// The engine's name as the spec writes it (`engine: postgres`).
pub(super) fn engine_name(engine: Engine) -> String {
    serde_json::to_value(engine)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Every matcher of this file, for the word gate.
pub(super) static ALL: [&Matcher; 5] = [&PLATFORM, &PROVIDER, &TOOL, &METRICS, &ENGINE];

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word, alone in a sentence, is matched whole and read back as its value.
    fn recognised<T: Copy + PartialEq + std::fmt::Debug>(
        m: &Matcher,
        list: &[(&'static str, T)],
        read: fn(&str) -> Option<T>,
    ) {
        assert!(!list.is_empty());
        for (word, value) in list {
            for written in [
                word.to_string(),
                word.to_uppercase(),
                word.replace(' ', "  "),
            ] {
                let sentence = format!("We deploy with {written} tonight.");
                let hit = m.find(&sentence).map(|h| h.as_str());
                assert_eq!(hit, Some(written.as_str()), "{word} in {sentence:?}");
                assert_eq!(read(&written), Some(*value), "{word}");
            }
        }
    }

    #[test]
    fn every_registry_word_is_recognised_as_its_value() {
        recognised(&PLATFORM, &vocabulary::deploy_platforms(), platform);
        recognised(&PROVIDER, &vocabulary::flag_providers(), provider);
        recognised(&TOOL, &vocabulary::migration_tools(), tool);
        recognised(&METRICS, &vocabulary::metrics_systems(), metrics);
        let engines: Vec<(&'static str, (Engine, Option<Hosting>))> = vocabulary::engines()
            .into_iter()
            .map(|(w, e, h)| (w, (e, h)))
            .collect();
        recognised(&ENGINE, &engines, |w| engine(w).map(|(e, _, h)| (e, h)));
    }

    #[test]
    fn atlas_is_a_migration_tool() {
        assert_eq!(
            TOOL.find("Migrations run with Atlas.").map(|m| m.as_str()),
            Some("Atlas")
        );
        assert_eq!(tool("Atlas"), Some(MigrationTool::Atlas));
    }

    #[test]
    fn a_word_inside_another_is_not_a_match() {
        assert!(PLATFORM.find("the helmet").is_none());
        assert!(ENGINE.find("redistribute").is_none());
        assert_eq!(engine_name(Engine::Postgres), "postgres");
    }
}
