//! Markdown: the plan as it is pasted into a pull request or change ticket.
//!
//! Written for a reader at 3 a.m.: commands in fenced blocks ready to copy, every input-derived
//! word escaped so it cannot turn into structure or HTML, empty parts left out.

use crate::base::shell::Cmd;
use crate::plan::model::{Check, EstimateSource, Plan, SECTION_TITLES, Step};
use std::fmt::Write;

mod escape;
mod preamble;
mod sections;
#[cfg(test)]
mod tests;

use escape::*;
pub use escape::{code, esc, esc_lead, fenced};
use preamble::*;
use sections::*;

/// Renders the plan. Deterministic: the same plan gives the same bytes.
pub fn render(plan: &Plan) -> String {
    let mut o = Out::default();
    preamble(&mut o, plan);
    for (id, title) in SECTION_TITLES {
        o.line(&format!("## {title}"));
        o.blank();
        match id {
            "classification" => classification(&mut o, plan),
            "go-no-go" => go_no_go(&mut o, plan),
            "triggers" => triggers(&mut o, plan),
            "procedure" => procedure(&mut o, plan),
            "data-recovery" => data_recovery(&mut o, plan),
            "rollout" => rollout(&mut o, plan),
            _ => communication(&mut o, plan),
        }
    }
    let mut s = o.0.trim_end().to_string();
    s.push('\n');
    s
}

#[derive(Default)]
struct Out(String);

impl Out {
    fn line(&mut self, s: &str) {
        self.0.push_str(s);
        self.0.push('\n');
    }
    /// One blank line, never two.
    fn blank(&mut self) {
        if !self.0.is_empty() && !self.0.ends_with("\n\n") {
            self.0.push('\n');
        }
    }
    fn para(&mut self, s: &str) {
        self.line(s);
        self.blank();
    }
    /// A list of escaped items, followed by a blank line; nothing when empty.
    fn list<S: AsRef<str>>(&mut self, heading: Option<&str>, items: &[S]) {
        if items.is_empty() {
            return;
        }
        if let Some(h) = heading {
            self.line(h);
            self.blank();
        }
        for i in items {
            self.line(&format!("- {}", esc_lead(i.as_ref())));
        }
        self.blank();
    }
    fn fence(&mut self, content: &str, lang: &str, indent: &str) {
        self.0.push_str(&fenced(content, lang, indent));
        self.blank();
    }
    fn commands(&mut self, cmds: &[Cmd], indent: &str) {
        if cmds.is_empty() {
            return;
        }
        let body: Vec<String> = cmds.iter().map(Cmd::render).collect();
        self.fence(&body.join("\n"), "sh", indent);
    }
}
