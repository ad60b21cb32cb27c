//! Renderers: the plan model to Markdown, JSON and an HTML runbook page.

pub mod html;
pub mod json;
pub mod markdown;
