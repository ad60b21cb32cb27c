//! Renderers: the plan model to Markdown, JSON and an HTML runbook page, and its messages to Slack
//! and plain text.

pub mod html;
pub mod json;
pub mod markdown;
pub mod slack;
pub mod text;
