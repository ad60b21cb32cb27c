//! PostgreSQL front-end: squawk-syntax (error-recovering parser) into rollbook's `Op` model.
//!
//! The typed AST picks the statement and the names; small keyword scans of a node's own tokens
//! read the details (NOT VALID, CASCADE, the default expression) that vary across versions.

use super::text::{MAX_NESTING, Origin, default_kind, ident, max_nesting, type_name};
use super::{ConstraintKind, DefaultKind, Op, Statement};
use crate::base::source::LineIndex;
use squawk_syntax::ast::{self, AstNode};
use squawk_syntax::{SyntaxKind, SyntaxNode};

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
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
        .map(|t| t.text().to_lowercase())
        .collect()
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
    words(node)
        .into_iter()
        .take_while(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

fn stmt_ops(stmt: &ast::Stmt) -> Vec<Op> {
    use ast::Stmt as S;
    match stmt {
        S::CreateTable(t) => {
            let table = name_of(t.table_name());
            let columns = t
                .table_arg_list()
                .map(|l| {
                    l.args()
                        .filter_map(|a| match a {
                            ast::TableArg::Column(c) => Some(column_def(&c)),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            vec![
                Op::CreateTable {
                    table: table.clone(),
                },
                Op::TableColumns { table, columns },
            ]
        }
        S::CreateTableAs(t) => vec![Op::CreateTable {
            table: words(t.syntax())
                .iter()
                .skip_while(|w| *w != "table")
                .nth(1)
                .map(|w| ident(w))
                .unwrap_or_default(),
        }],
        S::DropTable(t) => vec![Op::DropTable {
            tables: t
                .table_name_refs()
                .map(|r| ident(&r.syntax().to_string()))
                .collect(),
            cascade: cascade(t.drop_behavior()),
        }],
        S::AlterTable(t) => alter_table(t),
        S::CreateIndex(i) => vec![Op::CreateIndex {
            table: relation(i.table_relation_name()),
            name: i.index().map(|n| ident(&n.syntax().to_string())),
            unique: i.unique_token().is_some(),
            concurrently: i.concurrently_token().is_some(),
        }],
        S::DropIndex(i) => vec![Op::DropIndex {
            names: i
                .index_refs()
                .map(|r| ident(&r.syntax().to_string()))
                .collect(),
            concurrently: i.concurrently_token().is_some(),
        }],
        S::Truncate(t) => vec![Op::Truncate {
            tables: t
                .table_list()
                .map(|l| {
                    l.table_relation_names()
                        .map(|r| relation(Some(r)))
                        .collect()
                })
                .unwrap_or_default(),
            cascade: cascade(t.drop_behavior()),
        }],
        S::Delete(d) => vec![Op::Delete {
            table: name_of(d.relation_name())
                .trim_start_matches("only")
                .to_string(),
            has_where: d.where_clause_or_current_of().is_some(),
        }],
        S::Update(u) => vec![Op::Update {
            table: name_of(u.relation_name())
                .trim_start_matches("only")
                .to_string(),
            has_where: u.where_clause_or_current_of().is_some(),
            columns: u
                .set_clause()
                .and_then(|c| c.set_column_list())
                .map(|l| l.set_columns().flat_map(|c| set_targets(&c)).collect())
                .unwrap_or_default(),
        }],
        S::Insert(i) => vec![Op::Insert {
            table: name_of(i.relation_name_ref()),
        }],
        S::CreateType(t) => vec![Op::CreateType {
            name: name_of(t.type_name()),
        }],
        S::DropType(t) => vec![Op::DropType {
            names: t
                .type_name_refs()
                .map(|r| ident(&r.syntax().to_string()))
                .collect(),
        }],
        S::AlterType(t) => match t.action() {
            Some(ast::AlterTypeAction::AddValue(v)) => vec![Op::AddEnumValue {
                type_name: name_of(t.type_name_ref()),
                value: v
                    .literal()
                    .map(|l| l.syntax().to_string().trim_matches('\'').to_string())
                    .unwrap_or_default(),
            }],
            _ => vec![Op::Other {
                keyword: "alter type".into(),
            }],
        },
        S::DropSchema(s) => vec![Op::DropSchema {
            names: s
                .schema_refs()
                .map(|r| ident(&r.syntax().to_string()))
                .collect(),
            cascade: cascade(s.drop_behavior()),
        }],
        S::DropDatabase(d) => vec![Op::DropDatabase {
            name: name_of(d.database_ref()),
        }],
        S::CreateExtension(e) => vec![Op::CreateExtension {
            name: name_of(e.extension()),
        }],
        S::DropExtension(e) => vec![Op::DropExtension {
            names: e
                .extension_refs()
                .map(|r| ident(&r.syntax().to_string()))
                .collect(),
            cascade: cascade(e.drop_behavior()),
        }],
        S::AlterSequence(s) => vec![Op::AlterSequence {
            name: name_of(s.sequence_ref()),
            restart: words(s.syntax()).iter().any(|w| w == "restart"),
        }],
        S::Select(s) => select(s.syntax()),
        S::Set(s) => {
            let w = words(s.syntax());
            if w.iter().take(3).any(|x| x == "lock_timeout") {
                vec![Op::SetLockTimeout]
            } else if w.iter().take(3).any(|x| x == "statement_timeout") {
                vec![Op::SetStatementTimeout]
            } else {
                vec![Op::Other {
                    keyword: "set".into(),
                }]
            }
        }
        S::Begin(_) => vec![Op::Begin],
        S::Commit(_) => vec![Op::Commit],
        S::Rollback(_) => vec![Op::Other {
            keyword: "rollback".into(),
        }],
        S::CreateFunction(_) | S::CreateProcedure(_) | S::CreateTrigger(_) => {
            let w = words(stmt.syntax());
            let name = w
                .iter()
                .position(|x| x == "function" || x == "procedure" || x == "trigger")
                .and_then(|i| w.get(i + 1))
                .map(|x| ident(x))
                .unwrap_or_default();
            vec![Op::CreateFunctionOrTrigger { name }]
        }
        S::DropFunction(_) | S::DropProcedure(_) | S::DropTrigger(_) => {
            let w = words(stmt.syntax());
            let name = w
                .iter()
                .skip(2)
                .find(|x| *x != "if" && *x != "exists")
                .map(|x| ident(x))
                .unwrap_or_default();
            vec![Op::DropFunctionOrTrigger { name }]
        }
        S::Vacuum(v) => {
            let w = words(v.syntax());
            if w.iter().any(|x| x == "full") {
                vec![Op::Maintenance {
                    command: "VACUUM FULL".into(),
                    target: last_name(&w),
                    concurrently: false,
                }]
            } else {
                vec![Op::Other {
                    keyword: "vacuum".into(),
                }]
            }
        }
        S::Cluster(c) => vec![Op::Maintenance {
            command: "CLUSTER".into(),
            target: last_name(&words(c.syntax())),
            concurrently: false,
        }],
        S::Reindex(r) => {
            let w = words(r.syntax());
            vec![Op::Maintenance {
                command: "REINDEX".into(),
                target: last_name(&w),
                concurrently: w.iter().any(|x| x == "concurrently"),
            }]
        }
        S::Refresh(r) => {
            let w = words(r.syntax());
            vec![Op::Maintenance {
                command: "REFRESH MATERIALIZED VIEW".into(),
                target: last_name(&w),
                concurrently: w.iter().any(|x| x == "concurrently"),
            }]
        }
        S::Lock(l) => {
            let w = words(l.syntax());
            vec![Op::LockTable {
                table: w
                    .iter()
                    .skip(1)
                    .find(|x| *x != "table" && *x != "only")
                    .map(|x| ident(x))
                    .unwrap_or_default(),
            }]
        }
        S::AlterDomain(d) => {
            let w = words(d.syntax());
            if has_seq(&w, &["add"]) && (w.iter().any(|x| x == "constraint" || x == "check")) {
                vec![Op::AlterDomainAddConstraint {
                    domain: w.get(2).map(|x| ident(x)).unwrap_or_default(),
                    not_valid: has_seq(&w, &["not", "valid"]),
                }]
            } else {
                vec![Op::Other {
                    keyword: "alter domain".into(),
                }]
            }
        }
        S::Do(_) => vec![Op::NotUnderstood {
            error: "DO block: its body is not analysed".into(),
        }],
        other => vec![Op::Other {
            keyword: first_keywords(other.syntax(), 2),
        }],
    }
}

/// A CREATE TABLE column: name, type, NOT NULL (also implied by PRIMARY KEY).
fn column_def(c: &ast::Column) -> super::ColumnDef {
    let w = words(c.syntax());
    super::ColumnDef {
        name: name_of(c.name()),
        data_type: c
            .ty()
            .map(|t| type_name(&t.syntax().to_string()))
            .unwrap_or_default(),
        not_null: has_seq(&w, &["not", "null"]) || has_seq(&w, &["primary", "key"]),
    }
}

/// The last name of a statement's words (`REINDEX TABLE x;` → `x`).
fn last_name(w: &[String]) -> String {
    w.iter()
        .rev()
        .find(|x| {
            x.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '"')
        })
        .map(|x| ident(x))
        .unwrap_or_default()
}

/// The column names one `SET` item assigns: `a = 1` or `(a, b) = (1, 2)`.
fn set_targets(c: &ast::SetColumn) -> Vec<String> {
    let text = c.syntax().to_string();
    let lhs = text.split('=').next().unwrap_or("");
    lhs.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(|n| ident(n.split('[').next().unwrap_or(n)))
        .filter(|n| !n.is_empty())
        .collect()
}

/// `SELECT setval('seq', n)` rewinds or moves a sequence.
fn select(node: &SyntaxNode) -> Vec<Op> {
    let w = words(node);
    if let Some(i) = w
        .iter()
        .position(|x| x == "setval" || x.ends_with(".setval"))
    {
        let name = w
            .iter()
            .skip(i)
            .find(|x| x.starts_with('\''))
            .map(|x| x.trim_matches('\'').to_string())
            .unwrap_or_default();
        return vec![Op::AlterSequence {
            name,
            restart: true,
        }];
    }
    vec![Op::Other {
        keyword: "select".into(),
    }]
}

fn alter_table(t: &ast::AlterTable) -> Vec<Op> {
    use ast::AlterTableAction as A;
    let table = relation(t.table_relation_name());
    let mut ops = Vec::new();
    for action in t.actions() {
        match action {
            A::AddColumn(c) => ops.extend(add_column(&table, &c)),
            A::DropColumn(c) => ops.push(Op::DropColumn {
                table: table.clone(),
                column: name_of(c.column_name_ref()),
            }),
            A::RenameColumn(c) => ops.push(Op::RenameColumn {
                table: table.clone(),
                from: name_of(c.column_name_ref()),
                to: name_of(c.column_name()),
            }),
            A::TableRenameTo(r) => ops.push(Op::RenameTable {
                from: table.clone(),
                to: name_of(r.table_name()),
            }),
            A::AlterColumn(c) => {
                let column = name_of(c.column_name_ref());
                let table = table.clone();
                use ast::AlterColumnOption as O;
                ops.push(match c.option() {
                    Some(O::SetType(s)) => Op::AlterColumnType {
                        table,
                        column,
                        to_type: s
                            .ty()
                            .map(|t| type_name(&t.syntax().to_string()))
                            .unwrap_or_default(),
                    },
                    Some(O::SetNotNull(_)) => Op::SetNotNull { table, column },
                    Some(O::DropNotNull(_)) => Op::DropNotNull { table, column },
                    Some(O::SetDefault(d)) => {
                        let text = d.syntax().to_string();
                        Op::SetDefault {
                            table,
                            column,
                            default: Some(default_kind(&text)),
                        }
                    }
                    Some(O::DropDefault(_)) => Op::DropDefault { table, column },
                    _ => Op::Other {
                        keyword: "alter column".into(),
                    },
                });
            }
            A::AddConstraint(c) => {
                let w = words(c.syntax());
                let kind = match c.constraint() {
                    Some(ast::Constraint::CheckConstraint(_)) => ConstraintKind::Check,
                    Some(ast::Constraint::ForeignKeyConstraint(_))
                    | Some(ast::Constraint::ReferencesConstraint(_)) => ConstraintKind::ForeignKey,
                    Some(ast::Constraint::UniqueConstraint(_)) => ConstraintKind::Unique,
                    Some(ast::Constraint::PrimaryKeyConstraint(_)) => ConstraintKind::PrimaryKey,
                    _ => ConstraintKind::Other,
                };
                let name = w
                    .iter()
                    .position(|x| x == "constraint")
                    .and_then(|i| w.get(i + 1))
                    .map(|x| ident(x));
                ops.push(Op::AddConstraint {
                    table: table.clone(),
                    kind,
                    // USING INDEX attaches a prebuilt index: no build or scan under the lock.
                    not_valid: has_seq(&w, &["not", "valid"]) || has_seq(&w, &["using", "index"]),
                    name,
                });
            }
            A::DropConstraint(c) => ops.push(Op::DropConstraint {
                table: table.clone(),
                name: name_of(c.constraint_name_ref()),
            }),
            A::DetachPartition(d) => {
                let w = words(d.syntax());
                ops.push(Op::Maintenance {
                    command: "DETACH PARTITION".into(),
                    target: table.clone(),
                    concurrently: w.iter().any(|x| x == "concurrently"),
                });
            }
            A::ValidateConstraint(c) => ops.push(Op::ValidateConstraint {
                table: table.clone(),
                name: name_of(c.constraint_name_ref()),
            }),
            other => ops.push(Op::Other {
                keyword: format!("alter table {}", first_keywords(other.syntax(), 2)),
            }),
        }
    }
    if ops.is_empty() {
        ops.push(Op::Other {
            keyword: "alter table".into(),
        });
    }
    ops
}

fn add_column(table: &str, c: &ast::AddColumn) -> Vec<Op> {
    let data_type = c
        .ty()
        .map(|t| type_name(&t.syntax().to_string()))
        .unwrap_or_default();
    let column = name_of(c.column_name());
    let mut not_null = false;
    let mut default = None;
    let mut extra = Vec::new();
    if matches!(
        data_type.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
    ) {
        default = Some(DefaultKind::Volatile);
    }
    for con in c.constraints() {
        match con {
            ast::Constraint::NotNullConstraint(_) => not_null = true,
            ast::Constraint::DefaultConstraint(d) => {
                let expr = d.expr().map(|e| e.syntax().to_string()).unwrap_or_default();
                default = Some(default_kind(&expr));
            }
            // Stored generated columns and identity columns are computed for every row: rewrite.
            ast::Constraint::GeneratedConstraint(_) => default = Some(DefaultKind::Volatile),
            ast::Constraint::PrimaryKeyConstraint(_) => {
                not_null = true;
                extra.push(Op::AddConstraint {
                    table: table.to_string(),
                    kind: ConstraintKind::PrimaryKey,
                    not_valid: false,
                    name: None,
                });
            }
            ast::Constraint::UniqueConstraint(_) => extra.push(Op::AddConstraint {
                table: table.to_string(),
                kind: ConstraintKind::Unique,
                not_valid: false,
                name: None,
            }),
            ast::Constraint::CheckConstraint(_) => extra.push(Op::AddConstraint {
                table: table.to_string(),
                kind: ConstraintKind::Check,
                not_valid: false,
                name: None,
            }),
            // An inline REFERENCES is a foreign key validated by a scan of the table, under lock.
            ast::Constraint::ReferencesConstraint(_) => extra.push(Op::AddConstraint {
                table: table.to_string(),
                kind: ConstraintKind::ForeignKey,
                not_valid: false,
                name: None,
            }),
            _ => {}
        }
    }
    let mut ops = vec![Op::AddColumn {
        table: table.to_string(),
        column,
        not_null,
        default,
        data_type,
    }];
    ops.extend(extra);
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(sql: &str) -> Vec<Statement> {
        parse(sql, &Origin::file("m.sql"))
    }

    #[test]
    fn lines_and_columns_of_statements() {
        let s = p("-- c\nCREATE TABLE a (id int);\n\n  DROP TABLE b CASCADE;\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].evidence.line, Some(2));
        assert_eq!(s[1].evidence.line, Some(4));
        assert_eq!(s[1].evidence.column, Some(3));
        assert_eq!(
            s[1].ops,
            vec![Op::DropTable {
                tables: vec!["b".into()],
                cascade: true
            }]
        );
    }

    #[test]
    fn dollar_quoted_bodies_stay_one_statement() {
        let s = p(
            "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  DELETE FROM x; RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nDROP TABLE y;",
        );
        assert_eq!(s.len(), 2, "{s:#?}");
        assert!(matches!(s[0].ops[0], Op::CreateFunctionOrTrigger { .. }));
        assert_eq!(s[1].evidence.line, Some(6));
    }

    #[test]
    fn unparsable_statement_is_reported_at_its_line() {
        let s = p("CREATE TABLE a (id int);\nALTER TABLE WHAT EVER;\nDROP TABLE c;");
        let nu: Vec<_> = s.iter().filter(|s| is_nu(s)).collect();
        assert!(!nu.is_empty(), "{s:#?}");
        assert_eq!(nu[0].evidence.line, Some(2));
        assert!(
            s.iter()
                .any(|st| st.ops.iter().any(|o| matches!(o, Op::DropTable { .. })))
        );
    }

    #[test]
    fn alter_table_actions() {
        let s = p(
            "ALTER TABLE users ADD COLUMN a text NOT NULL DEFAULT 'x', ADD COLUMN b uuid DEFAULT gen_random_uuid(), DROP COLUMN c, ALTER COLUMN d TYPE varchar(20), ALTER COLUMN e SET NOT NULL;\nALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users(id) NOT VALID;\nALTER TABLE o RENAME COLUMN a TO b;\nALTER TABLE o RENAME TO p;",
        );
        let ops: Vec<&Op> = s.iter().flat_map(|s| &s.ops).collect();
        assert!(ops.contains(&&Op::AddColumn {
            table: "users".into(),
            column: "a".into(),
            not_null: true,
            default: Some(DefaultKind::Constant),
            data_type: "text".into()
        }));
        assert!(ops.iter().any(|o| matches!(
            o,
            Op::AddColumn {
                default: Some(DefaultKind::Volatile),
                ..
            }
        )));
        assert!(ops.contains(&&Op::DropColumn {
            table: "users".into(),
            column: "c".into()
        }));
        assert!(ops.contains(&&Op::AlterColumnType {
            table: "users".into(),
            column: "d".into(),
            to_type: "varchar(20)".into()
        }));
        assert!(ops.contains(&&Op::SetNotNull {
            table: "users".into(),
            column: "e".into()
        }));
        assert!(ops.contains(&&Op::AddConstraint {
            table: "o".into(),
            kind: ConstraintKind::ForeignKey,
            not_valid: true,
            name: Some("fk".into())
        }));
        assert!(ops.contains(&&Op::RenameColumn {
            table: "o".into(),
            from: "a".into(),
            to: "b".into()
        }));
        assert!(ops.contains(&&Op::RenameTable {
            from: "o".into(),
            to: "p".into()
        }));
    }

    #[test]
    fn misc_statements() {
        let s = p(
            "SET lock_timeout = '2s';\nBEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY i;\nTRUNCATE a, b CASCADE;\nDELETE FROM t;\nUPDATE t SET a = 1 WHERE id = 2;\nALTER TYPE mood ADD VALUE 'meh';\nALTER SEQUENCE s RESTART WITH 1;\nSELECT setval('s', 1);\nDROP SCHEMA x CASCADE;\nCOMMIT;",
        );
        let ops: Vec<&Op> = s.iter().flat_map(|s| &s.ops).collect();
        assert_eq!(ops[0], &Op::SetLockTimeout);
        assert_eq!(ops[1], &Op::Begin);
        assert!(matches!(
            ops[2],
            Op::CreateIndex {
                concurrently: true,
                ..
            }
        ));
        assert!(matches!(
            ops[3],
            Op::DropIndex {
                concurrently: true,
                ..
            }
        ));
        assert_eq!(
            ops[4],
            &Op::Truncate {
                tables: vec!["a".into(), "b".into()],
                cascade: true
            }
        );
        assert_eq!(
            ops[5],
            &Op::Delete {
                table: "t".into(),
                has_where: false
            }
        );
        assert_eq!(
            ops[6],
            &Op::Update {
                table: "t".into(),
                has_where: true,
                columns: vec!["a".into()]
            }
        );
        assert_eq!(
            ops[7],
            &Op::AddEnumValue {
                type_name: "mood".into(),
                value: "meh".into()
            }
        );
        assert_eq!(
            ops[8],
            &Op::AlterSequence {
                name: "s".into(),
                restart: true
            }
        );
        assert_eq!(
            ops[9],
            &Op::AlterSequence {
                name: "s".into(),
                restart: true
            }
        );
        assert!(matches!(ops[10], Op::DropSchema { cascade: true, .. }));
        assert_eq!(ops[11], &Op::Commit);
    }

    #[test]
    fn hostile_nesting_is_not_parsed() {
        let sql = format!("SELECT {}1{};", "(".repeat(5000), ")".repeat(5000));
        let s = p(&sql);
        assert!(is_nu(&s[0]));
    }
}
