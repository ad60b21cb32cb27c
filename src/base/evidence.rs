//! Where a judgement's evidence is, and the artifacts read.

use serde::Serialize;

/// Where a judgement's evidence is: a file and line, or a spec field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Evidence {
    /// File path as given (spec file, brief, migration, manifest).
    pub file: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Spec field path, e.g. `deployment.changes[1].sql`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The words or statement that caused the judgement (trimmed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

impl Evidence {
    /// Evidence from a spec field.
    pub fn field(file: &str, field: impl Into<String>) -> Self {
        Evidence {
            file: file.to_string(),
            line: None,
            column: None,
            field: Some(field.into()),
            excerpt: None,
        }
    }
    /// Evidence at a line of a file.
    pub fn at(file: &str, line: u32, column: u32) -> Self {
        Evidence {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            field: None,
            excerpt: None,
        }
    }
    pub fn with_excerpt(mut self, excerpt: impl Into<String>) -> Self {
        let e: String = excerpt.into();
        let one_line = e.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = one_line.chars().take(160).collect();
        self.excerpt = Some(if short.len() < one_line.len() {
            format!("{short}…")
        } else {
            short
        });
        self
    }
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// `file:line:col` or `file` `field`.
    pub fn cite(&self) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        if let Some(f) = &self.field {
            s.push_str(&format!(" `{f}`"));
        }
        s
    }
}

/// An artifact read while building the plan.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Artifact {
    pub path: String,
    pub kind: String,
    pub findings: usize,
}
