//! PostgreSQL front-end: squawk-syntax (error-recovering parser) into rollbook's `Op` model.
//!
//! The typed AST picks the statement and the names; small keyword scans of a node's own tokens
//! read the details (NOT VALID, CASCADE, the default expression) that vary across versions.

use super::text::{MAX_NESTING, Origin, ident, max_nesting};
use super::{Op, Statement};
use crate::base::source::LineIndex;
use squawk_syntax::ast::{self, AstNode};
use squawk_syntax::{SyntaxKind, SyntaxNode};

mod alter_table;
mod statements;

use statements::stmt_ops;

/// Parses a PostgreSQL text into statements. Never panics; unparsable statements become
/// `Op::NotUnderstood` at their line.
pub fn parse(sql: &str, origin: &Origin) -> Vec<Statement> {
    if max_nesting(sql) > MAX_NESTING {
        return vec![origin.statement(
            (1, 1),
            sql,
            vec![Op::NotUnderstood {
                error: format!("brackets nested deeper than {MAX_NESTING}: not parsed"),
            }],
        )];
    }
    // The parser is third-party code: contain any panic so one bad file cannot crash the run.
    let parsed = std::panic::catch_unwind(|| {
        let p = ast::SourceFile::parse(sql);
        let errors: Vec<(usize, String)> = p
            .errors()
            .iter()
            .map(|e| (usize::from(e.range().start()), e.message().to_string()))
            .collect();
        (p.syntax_node(), errors)
    });
    let Ok((root, errors)) = parsed else {
        return vec![origin.statement(
            (1, 1),
            sql,
            vec![Op::NotUnderstood {
                error: "the PostgreSQL parser failed on this file".into(),
            }],
        )];
    };
    // Sorted by offset, found by binary search: scanning every error per statement is quadratic,
    // minutes on a file of 100,000 broken statements.
    let mut errors = errors;
    errors.sort_by_key(|(at, _)| *at);
    let li = LineIndex::new(sql);
    let mut out = Vec::new();
    let mut used = vec![false; errors.len()];
    let mut open_broken = false;
    for child in root.children() {
        let r = child.text_range();
        let (start, end) = (usize::from(r.start()), usize::from(r.end()));
        let text = sql.get(start..end).unwrap_or("");
        let first = errors.partition_point(|(at, _)| *at < start);
        let err = errors
            .get(first)
            .filter(|(at, _)| *at <= end)
            .map(|e| (first, e));
        let ops = if let Some((i, (_, msg))) = err {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
            vec![Op::NotUnderstood { error: msg.clone() }]
        } else if child.kind() == SyntaxKind::ERROR {
            vec![Op::NotUnderstood {
                error: "not a statement".into(),
            }]
        } else if let Some(stmt) = ast::Stmt::cast(child.clone()) {
            stmt_ops(&stmt)
        } else {
            vec![Op::NotUnderstood {
                error: "not a statement".into(),
            }]
        };
        // One finding per broken statement: the error-recovering parser splits a statement it
        // cannot read into many pieces; pieces before the statement's `;` join the first.
        let broken = ops.iter().any(|o| matches!(o, Op::NotUnderstood { .. }));
        if broken && open_broken {
            open_broken = !text.trim_end().ends_with(';');
            continue;
        }
        open_broken = broken && !text.trim_end().ends_with(';');
        out.push(origin.statement(li.line_col(sql, start), text, ops));
    }
    // Errors outside every statement node (rare): still reported, never dropped.
    let mut reported = out.iter().any(is_nu);
    for (i, (at, msg)) in errors.iter().enumerate() {
        if !used.get(i).copied().unwrap_or(true) && !reported {
            reported = true;
            let tail = sql.get(*at..).unwrap_or("");
            out.push(origin.statement(
                li.line_col(sql, *at),
                tail,
                vec![Op::NotUnderstood { error: msg.clone() }],
            ));
        }
    }
    out
}

fn is_nu(s: &Statement) -> bool {
    s.ops.iter().any(|o| matches!(o, Op::NotUnderstood { .. }))
}

/// Non-trivia tokens of a node, lower-cased.
fn words(node: &SyntaxNode) -> Vec<String> {
    words_iter(node).collect()
}

/// [`words`], one at a time: a caller that needs the first few stops there instead of lowering
/// every token of a long statement (a view's whole query, a function's body).
fn words_iter(node: &SyntaxNode) -> impl Iterator<Item = String> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
        .map(|t| t.text().to_lowercase())
}

fn has_seq(words: &[String], seq: &[&str]) -> bool {
    !seq.is_empty()
        && words
            .windows(seq.len())
            .any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
}

fn name_of<N: AstNode>(n: Option<N>) -> String {
    n.map(|n| ident(&n.syntax().to_string()))
        .unwrap_or_default()
}

fn relation(n: Option<ast::TableRelationName>) -> String {
    n.and_then(|r| r.table_name_ref())
        .map(|t| ident(&t.syntax().to_string()))
        .unwrap_or_default()
}

fn cascade(b: Option<ast::DropBehavior>) -> bool {
    b.map(|b| words(b.syntax()).iter().any(|w| w == "cascade"))
        .unwrap_or(false)
}

fn first_keywords(node: &SyntaxNode, n: usize) -> String {
    words_iter(node)
        .take_while(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
