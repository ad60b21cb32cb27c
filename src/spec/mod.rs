//! Input: spec files (YAML, TOML, JSON) and free-text briefs, loaded and validated into one model.

pub mod brief;
pub mod load;
pub mod time;
pub mod validate;

use crate::base::parts::Assumption;
use crate::model::Spec;

/// The form the input came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputForm {
    Yaml,
    Toml,
    Json,
    Brief,
}

/// A loaded, validated input.
#[derive(Debug, Clone)]
pub struct Input {
    /// Path as given.
    pub path: String,
    pub form: InputForm,
    pub spec: Spec,
    /// Inferences made from a brief (empty for spec files), each quoting the words behind it.
    pub assumptions: Vec<Assumption>,
}
