//! One statement of the typed AST into `Op`s (ALTER TABLE has its own file).

use super::alter_table::alter_table;
use super::{cascade, first_keywords, has_seq, name_of, relation, words, words_iter};
use crate::evidence::sql::text::{ident, type_name};
use crate::evidence::sql::{ColumnDef, Op};
use squawk_syntax::SyntaxNode;
use squawk_syntax::ast::{self, AstNode};

pub(super) fn stmt_ops(stmt: &ast::Stmt) -> Vec<Op> {
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
            // The name follows the keyword: the body after it is never lowered.
            let mut w = words_iter(stmt.syntax());
            let name = w
                .by_ref()
                .find(|x| x == "function" || x == "procedure" || x == "trigger")
                .and_then(|_| w.next())
                .map(|x| ident(&x))
                .unwrap_or_default();
            vec![Op::CreateFunctionOrTrigger { name }]
        }
        S::DropFunction(_) | S::DropProcedure(_) | S::DropTrigger(_) => {
            let name = words_iter(stmt.syntax())
                .skip(2)
                .find(|x| x != "if" && x != "exists")
                .map(|x| ident(&x))
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
fn column_def(c: &ast::Column) -> ColumnDef {
    let w = words(c.syntax());
    ColumnDef {
        name: name_of(c.name()),
        data_type: c
            .ty()
            .map(|t| type_name(&t.syntax().to_string()))
            .unwrap_or_default(),
        not_null: has_seq(&w, &["not", "null"]) || has_seq(&w, &["primary", "key"]),
        key: has_seq(&w, &["primary", "key"]),
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
