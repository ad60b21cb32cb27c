//! Free-text briefs: a spec inferred deterministically, each inference an assumption quoting the words
//! that caused it.
//!
//! The brief is split into sections (by heading or `Deployment:` lines), units and sentences, all kept
//! as byte ranges of the original text. Matchers run per sentence with simple negation handling;
//! whatever is not found stays `None` so the plan shows a placeholder.

mod access;
mod changes;
mod client;
mod database;
mod dfa;
mod fields;
mod finish;
mod fleet;
mod generic;
mod infer;
mod lite;
mod matcher;
mod network;
mod patterns;
mod people;
mod pickup;
mod platform;
pub mod recognisers;
mod services;
mod statements;
mod stores;
mod streams;
#[cfg(test)]
mod tests;
mod text;
mod versions;
mod vocabulary;

use super::{Input, InputForm};
use crate::base::error::{Error, Location, Result};

/// Largest brief read, in bytes.
pub const MAX_BRIEF_BYTES: usize = 1024 * 1024;

/// Infers a spec from a brief's text.
pub fn infer(path: &str, text: &str) -> Result<Input> {
    if text.len() > MAX_BRIEF_BYTES {
        return Err(Error::input(
            Location::file(path),
            format!(
                "the brief is {} bytes; briefs are read up to {MAX_BRIEF_BYTES} bytes (1 MiB)",
                text.len()
            ),
            Some(
                "shorten the brief to what a reviewer needs, or write a spec file (rollbook.yaml)"
                    .to_string(),
            ),
        ));
    }
    let text = lite::ascii_whitespace(text);
    let (spec, assumptions) = infer::run(path, &text);
    Ok(Input {
        path: path.to_string(),
        form: InputForm::Brief,
        spec,
        assumptions,
    })
}
