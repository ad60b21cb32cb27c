//! The words that name each platform, flag provider, migration tool, metrics system and data
//! store in a brief, built from the family registries (each unit declares its own words), so a
//! tool the model knows is a tool the brief can name.
//!
//! A word is a lowercase phrase with single spaces; the brief reader matches it case-insensitively,
//! on word boundaries, with any run of whitespace between its words. Plurals are listed as words of
//! their own. When two words overlap, the longer one wins. Lists come in registry order.

use super::{datastores, deploy, flags, metrics, migrations};
use crate::model::{Engine, FlagProviderKind, Hosting, MetricsSystem, MigrationTool, Platform};

/// Words naming deploy platforms.
pub fn deploy_platforms() -> Vec<(&'static str, Platform)> {
    deploy::PLATFORMS
        .iter()
        .flat_map(|u| u.words().iter().map(move |w| (*w, u.platform())))
        .collect()
}

/// Words naming flag providers.
pub fn flag_providers() -> Vec<(&'static str, FlagProviderKind)> {
    flags::PROVIDERS
        .iter()
        .flat_map(|u| u.words().iter().map(move |w| (*w, u.kind())))
        .collect()
}

/// Words naming migration tools.
pub fn migration_tools() -> Vec<(&'static str, MigrationTool)> {
    migrations::TOOLS
        .iter()
        .flat_map(|u| u.words().iter().map(move |w| (*w, u.tool())))
        .collect()
}

/// Words naming metrics systems.
pub fn metrics_systems() -> Vec<(&'static str, MetricsSystem)> {
    metrics::SYSTEMS
        .iter()
        .flat_map(|u| u.words().iter().map(move |w| (*w, u.system())))
        .collect()
}

/// Words naming data stores: the engine and, when the word says it, the hosting.
pub fn engines() -> Vec<(&'static str, Engine, Option<Hosting>)> {
    let mut out = Vec::new();
    for e in datastores::ENGINES {
        out.extend(e.hosted_words.iter().map(|(w, h)| (*w, e.engine, Some(*h))));
        out.extend(e.words.iter().map(|w| (*w, e.engine, None)));
    }
    out
}

#[cfg(test)]
mod tests;
