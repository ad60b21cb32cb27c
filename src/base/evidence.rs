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
    /// The excerpt on one line (runs of whitespace as one space), cut after 160 characters with
    /// `…`. Only what is kept is read: a statement can be a whole function body.
    pub fn with_excerpt(mut self, excerpt: impl AsRef<str>) -> Self {
        const MAX: usize = 160;
        let mut short = String::new();
        let (mut chars, mut cut) = (0, false);
        'words: for (i, word) in excerpt.as_ref().split_whitespace().enumerate() {
            if chars == MAX {
                cut = true;
                break;
            }
            if i > 0 {
                short.push(' ');
                chars += 1;
            }
            for c in word.chars() {
                if chars == MAX {
                    cut = true;
                    break 'words;
                }
                short.push(c);
                chars += 1;
            }
        }
        if cut {
            short.push('…');
        }
        self.excerpt = Some(short);
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

#[cfg(test)]
mod tests {
    use super::Evidence;

    /// The excerpt as first written: the whole text joined, then cut.
    fn joined_then_cut(e: &str) -> String {
        let one_line = e.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = one_line.chars().take(160).collect();
        if short.len() < one_line.len() {
            format!("{short}…")
        } else {
            short
        }
    }

    #[test]
    fn excerpts_are_one_line_and_cut_after_160_characters() {
        let word = |n: usize| "é".repeat(n);
        let cases = [
            String::new(),
            "  \n\t ".into(),
            "SELECT  1;\n\n  -- x".into(),
            word(160),
            word(161),
            format!("{} ", word(160)),
            format!("{} x", word(159)),
            format!("{} x", word(160)),
            format!("{}\n\n x", word(158)),
            format!("{} xy", word(158)),
            format!("{} {}", word(100), word(100)),
        ];
        for c in cases {
            let got = Evidence::at("f", 1, 1).with_excerpt(&c).excerpt;
            assert_eq!(got.as_deref(), Some(joined_then_cut(&c).as_str()), "{c:?}");
        }
    }
}
