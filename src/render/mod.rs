//! Renderers: the plan model to Markdown and JSON.

pub mod json;
pub mod markdown;
