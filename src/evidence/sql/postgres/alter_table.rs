//! `ALTER TABLE` actions into `Op`s, one or more per action.

use super::{first_keywords, has_seq, name_of, relation, words};
use crate::evidence::sql::text::{default_kind, ident, type_name};
use crate::evidence::sql::{ConstraintKind, DefaultKind, Op};
use squawk_syntax::ast::{self, AstNode};

pub(super) fn alter_table(t: &ast::AlterTable) -> Vec<Op> {
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
            ast::Constraint::GeneratedConstraint(_) => default = Some(DefaultKind::Generated),
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
