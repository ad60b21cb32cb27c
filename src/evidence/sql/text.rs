//! Small text helpers shared by the dialect front-ends: identifier normalising, default-expression
//! classification. Positions come from [`crate::base::source::LineIndex`].

use super::{DefaultKind, Op, Statement};
use crate::base::Evidence;

/// Where statements of one SQL text are cited: a file (lines offset by `first_line - 1`), or a
/// spec field (no line).
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: String,
    /// 1-based line of the text's first line in the file.
    pub first_line: u32,
    /// Spec field path, for inline SQL.
    pub field: Option<String>,
}

impl Origin {
    pub fn file(file: &str) -> Self {
        Origin {
            file: file.to_string(),
            first_line: 1,
            field: None,
        }
    }
    pub fn field(file: &str, field: &str) -> Self {
        Origin {
            file: file.to_string(),
            first_line: 1,
            field: Some(field.to_string()),
        }
    }
    /// The source of the whole text.
    pub fn source(&self) -> Evidence {
        match &self.field {
            Some(f) => Evidence::field(&self.file, f.clone()),
            None => Evidence::at(&self.file, self.first_line, 1),
        }
    }
    /// Evidence of a statement at (line, column) of the text.
    pub fn at(&self, (line, col): (u32, u32), excerpt: &str) -> Evidence {
        match &self.field {
            Some(f) => Evidence::field(&self.file, f.clone()).with_excerpt(excerpt),
            None => Evidence::at(
                &self.file,
                line.saturating_add(self.first_line.saturating_sub(1)),
                col,
            )
            .with_excerpt(excerpt),
        }
    }
    pub fn statement(&self, pos: (u32, u32), excerpt: &str, ops: Vec<Op>) -> Statement {
        Statement {
            evidence: self.at(pos, excerpt),
            ops,
        }
    }
}

/// Identifier as written, without quotes or whitespace; unquoted parts lower-cased.
pub fn ident(raw: &str) -> String {
    let mut out = String::new();
    let mut in_quote: Option<char> = None;
    for c in raw.chars() {
        match in_quote {
            Some(q) if c == q => in_quote = None,
            Some(_) => out.push(c),
            None if c == '"' || c == '`' => in_quote = Some(c),
            None if c.is_whitespace() => {}
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Functions whose value changes per row: a default calling them rewrites the table.
const VOLATILE: &[&str] = &[
    "random(",
    "gen_random_uuid(",
    "uuid_generate_v",
    "clock_timestamp(",
    "timeofday(",
    "nextval(",
    "txid_current(",
    "uuid(",
    "newid(",
];

/// Functions known not to be volatile: a default calling them is evaluated once for the ALTER.
const NOT_VOLATILE: &[&str] = &[
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtime",
    "localtimestamp",
    "transaction_timestamp",
    "statement_timestamp",
    "current_user",
    "session_user",
    "current_schema",
    "lower",
    "upper",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "concat",
    "length",
    "abs",
    "array",
    "jsonb_build_object",
    "json_build_object",
    "jsonb_build_array",
    "json_build_array",
    "to_jsonb",
    "to_json",
    "make_interval",
    "timezone",
    "date_trunc",
    "cast",
    "row",
    "utc_timestamp",
    "unix_timestamp",
    "current_setting",
    "replace",
    "trim",
    "substring",
    "round",
    "floor",
    "ceil",
    "md5",
];
/// Type names written with parentheses in casts (`'x'::varchar(10)`).
const TYPES: &[&str] = &[
    "varchar",
    "character",
    "char",
    "numeric",
    "decimal",
    "bit",
    "varbit",
    "timestamp",
    "timestamptz",
    "time",
    "timetz",
    "interval",
    "float",
    "double",
    "varying",
    "datetime",
];

/// Does a (lower-cased, whitespace-free) default call a function rollbook does not know? An
/// unknown function may be volatile, which rewrites the table: unknown is not instant.
fn calls_unknown_function(e: &str) -> bool {
    let b = e.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
        {
            i += 1;
        }
        if i > start && b.get(i) == Some(&b'(') {
            let name = e.get(start..i).unwrap_or("");
            let name = name.rsplit('.').next().unwrap_or(name);
            let cast = e
                .get(..start)
                .is_some_and(|p| p.ends_with("::") || p.ends_with("as"));
            let quoted = e
                .get(..start)
                .is_some_and(|p| p.matches('\'').count() % 2 == 1);
            if !cast
                && !quoted
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && !NOT_VOLATILE.contains(&name)
                && !TYPES.contains(&name)
            {
                return true;
            }
        }
        i = i.max(start + 1);
    }
    false
}

/// Classifies a default expression.
pub fn default_kind(expr: &str) -> DefaultKind {
    let e: String = expr
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if VOLATILE.iter().any(|v| e.contains(v)) || calls_unknown_function(&e) {
        DefaultKind::Volatile
    } else {
        DefaultKind::Constant
    }
}

/// Collapses whitespace and lower-cases a type name.
pub fn type_name(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Deepest bracket nesting outside quotes: hostile input guard for recursive parsers.
pub fn max_nesting(sql: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '(' | '[' => {
                    depth += 1;
                    max = max.max(depth);
                }
                ')' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    max
}

/// Deeper nesting than this is reported as not understood instead of parsed.
pub const MAX_NESTING: usize = 200;

/// Is this a comment-only or blank text?
pub fn is_blank_sql(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return true;
        }
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map(|(_, b)| b).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('#') {
            rest = r.split_once('\n').map(|(_, b)| b).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map(|(_, b)| b).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix(';') {
            rest = r;
        } else {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_idents() {
        assert_eq!(default_kind("now()"), DefaultKind::Constant);
        assert_eq!(default_kind("gen_random_uuid ()"), DefaultKind::Volatile);
        assert_eq!(ident("public.\"Users\""), "public.Users");
        assert!(is_blank_sql("-- nothing\n/* x */ ;\n"));
        assert!(!is_blank_sql("-- x\nselect 1"));
        assert_eq!(max_nesting("((')'))"), 2);
    }
}
