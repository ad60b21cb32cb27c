//! Renderers: the plan model to Markdown and JSON, and its messages to Slack and plain text.

pub mod json;
pub mod markdown;
pub mod slack;
pub mod text;
