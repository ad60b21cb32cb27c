//! MySQL / MariaDB front-end: sqlparser's tokenizer splits statements (strings, comments and
//! quoted names handled by it), then each statement is parsed alone, so one bad statement does not
//! hide the rest.

use super::text::{MAX_NESTING, Origin, default_kind, ident, max_nesting, type_name};
use super::{ConstraintKind, DefaultKind, Op, Statement};
use crate::base::source::LineIndex;
use sqlparser::ast::{
    self, AlterTableAlgorithm, AlterTableOperation as A, ColumnOption, DataType, ObjectType,
    Statement as S,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

/// Parses a MySQL text into statements. Never panics.
pub fn parse(sql: &str, origin: &Origin) -> Vec<Statement> {
    parse_with(&MySqlDialect {}, sql, origin)
}

/// Parses a SQLite text into statements with sqlparser's SQLite dialect (the same statement
/// model as MySQL: `ALTER TABLE ... RENAME`, `DROP TABLE`, `CREATE INDEX`). Never panics.
pub fn parse_sqlite(sql: &str, origin: &Origin) -> Vec<Statement> {
    parse_with(&sqlparser::dialect::SQLiteDialect {}, sql, origin)
}

fn parse_with(
    dialect: &dyn sqlparser::dialect::Dialect,
    sql: &str,
    origin: &Origin,
) -> Vec<Statement> {
    let nu = |pos, text: &str, error: String| {
        origin.statement(pos, text, vec![Op::NotUnderstood { error }])
    };
    if max_nesting(sql) > MAX_NESTING {
        return vec![nu(
            (1, 1),
            sql,
            format!("brackets nested deeper than {MAX_NESTING}: not parsed"),
        )];
    }
    let tokens = match Tokenizer::new(dialect, sql).tokenize_with_location() {
        Ok(t) => t,
        Err(e) => return vec![nu((1, 1), sql, e.to_string())],
    };
    let index = LineIndex::new(sql);
    let mut out = Vec::new();
    let mut begin: Option<usize> = None;
    let flush = |from: usize, to: usize, out: &mut Vec<Statement>| {
        let text = sql.get(from..to).unwrap_or("");
        let pos = index.line_col(sql, from);
        let parsed = Parser::new(dialect)
            .try_with_sql(text)
            .and_then(|mut p| p.parse_statements());
        match parsed {
            Ok(stmts) if !stmts.is_empty() => {
                let ops = stmts.iter().flat_map(stmt_ops).collect();
                out.push(origin.statement(pos, text, ops));
            }
            Ok(_) => {}
            Err(e) => match mysql_only_form(dialect, text) {
                Some(ops) => out.push(origin.statement(pos, text, ops)),
                None => out.push(nu(pos, text, e.to_string())),
            },
        }
    };
    for t in &tokens {
        match &t.token {
            Token::Whitespace(_) | Token::EOF => {}
            Token::SemiColon => {
                if let Some(b) = begin.take() {
                    let end = index.offset(sql, t.span.end.line, t.span.end.column);
                    flush(b, end, &mut out);
                }
            }
            _ => {
                if begin.is_none() {
                    begin = Some(index.offset(sql, t.span.start.line, t.span.start.column));
                }
            }
        }
    }
    if let Some(b) = begin {
        flush(b, sql.len(), &mut out);
    }
    out
}

/// The ALTER TABLE forms of MySQL that sqlparser does not parse, read from the statement's
/// tokens: `RENAME new_name` (no `TO` or `AS`) and `CONVERT TO CHARACTER SET`, which rewrites
/// every row of the table. `None` for anything else (it stays not understood).
fn mysql_only_form(dialect: &dyn sqlparser::dialect::Dialect, text: &str) -> Option<Vec<Op>> {
    if !dialect.is::<MySqlDialect>() {
        return None;
    }
    let tokens = Tokenizer::new(dialect, text).tokenize().ok()?;
    let mut words = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_) | Token::EOF | Token::SemiColon))
        .peekable();
    let mut keyword =
        |k: &str| matches!(words.next(), Some(Token::Word(w)) if w.value.eq_ignore_ascii_case(k));
    if !(keyword("ALTER") && keyword("TABLE")) {
        return None;
    }
    // The table's name, qualified or not: words joined by periods.
    let Some(Token::Word(first)) = words.next() else {
        return None;
    };
    let mut table = vec![first.value.clone()];
    while words.next_if(|t| matches!(t, Token::Period)).is_some() {
        let Some(Token::Word(part)) = words.next() else {
            return None;
        };
        table.push(part.value.clone());
    }
    let table = ident(&table.join("."));
    let Some(Token::Word(op)) = words.next() else {
        return None;
    };
    let rest: Vec<&Token> = words.collect();
    match op.value.to_ascii_uppercase().as_str() {
        "RENAME" => match rest.as_slice() {
            [Token::Word(to)] => Some(vec![Op::RenameTable {
                from: table,
                to: ident(&to.value),
            }]),
            _ => None,
        },
        "CONVERT" => {
            let converts =
                matches!(rest.first(), Some(Token::Word(w)) if w.value.eq_ignore_ascii_case("TO"));
            converts.then(|| vec![Op::MysqlCopyAlter { table }])
        }
        _ => None,
    }
}

fn name(n: &impl std::fmt::Display) -> String {
    ident(&n.to_string())
}

fn stmt_ops(stmt: &S) -> Vec<Op> {
    match stmt {
        S::CreateTable(t) => {
            // `PRIMARY KEY (a, b)` after the columns: its columns are NOT NULL.
            let table_key: Vec<String> = t
                .constraints
                .iter()
                .filter_map(|c| match c {
                    ast::TableConstraint::PrimaryKey(pk) => Some(&pk.columns),
                    _ => None,
                })
                .flatten()
                .map(|c| ident(&c.column.expr.to_string()))
                .collect();
            vec![
                Op::CreateTable {
                    table: name(&t.name),
                },
                Op::TableColumns {
                    table: name(&t.name),
                    columns: t
                        .columns
                        .iter()
                        .map(|c| {
                            let column = ident(&c.name.to_string());
                            let key = table_key.contains(&column)
                                || c.options.iter().any(|o| {
                                    o.option
                                        .to_string()
                                        .to_uppercase()
                                        .starts_with("PRIMARY KEY")
                                });
                            super::ColumnDef {
                                data_type: type_name(&c.data_type.to_string()),
                                not_null: key
                                    || c.options
                                        .iter()
                                        .any(|o| matches!(o.option, ColumnOption::NotNull)),
                                key,
                                name: column,
                            }
                        })
                        .collect(),
                },
            ]
        }
        S::AlterTable(t) => alter_table(&name(&t.name), &t.operations),
        S::Drop {
            object_type,
            names,
            cascade,
            table,
            ..
        } => {
            let names: Vec<String> = names.iter().map(name).collect();
            match object_type {
                ObjectType::Table => vec![Op::DropTable {
                    tables: names,
                    cascade: *cascade,
                }],
                ObjectType::Index => {
                    let _ = table;
                    vec![Op::DropIndex {
                        names,
                        concurrently: false,
                    }]
                }
                ObjectType::Schema | ObjectType::Database => names
                    .into_iter()
                    .map(|n| Op::DropDatabase { name: n })
                    .collect(),
                other => vec![Op::Other {
                    keyword: format!("drop {}", other.to_string().to_lowercase()),
                }],
            }
        }
        S::RenameTable(r) => r
            .iter()
            .map(|r| Op::RenameTable {
                from: name(&r.old_name),
                to: name(&r.new_name),
            })
            .collect(),
        S::CreateIndex(i) => vec![Op::CreateIndex {
            table: name(&i.table_name),
            name: i.name.as_ref().map(name),
            unique: i.unique,
            concurrently: false,
        }],
        S::Truncate(t) => vec![Op::Truncate {
            tables: t.table_names.iter().map(|n| name(&n.name)).collect(),
            cascade: t.cascade.is_some(),
        }],
        S::Delete(d) => {
            let from = match &d.from {
                ast::FromTable::WithFromKeyword(v) | ast::FromTable::WithoutKeyword(v) => v,
            };
            let table = from
                .first()
                .map(|t| name(&t.relation))
                .or_else(|| d.tables.first().map(name))
                .unwrap_or_default();
            vec![Op::Delete {
                table,
                has_where: d.selection.is_some(),
            }]
        }
        S::Update(u) => vec![Op::Update {
            table: name(&u.table.relation),
            has_where: u.selection.is_some(),
            columns: u
                .assignments
                .iter()
                .map(|a| {
                    let t = a.target.to_string();
                    ident(t.rsplit('.').next().unwrap_or(&t))
                })
                .collect(),
        }],
        S::Insert(i) => vec![Op::Insert {
            table: name(&i.table),
        }],
        S::StartTransaction { .. } => vec![Op::Begin],
        S::Commit { .. } => vec![Op::Commit],
        S::CreateFunction(_) | S::CreateTrigger(_) | S::CreateProcedure { .. } => {
            vec![Op::CreateFunctionOrTrigger {
                name: String::new(),
            }]
        }
        S::DropFunction(_) | S::DropTrigger(_) | S::DropProcedure { .. } => {
            vec![Op::DropFunctionOrTrigger {
                name: String::new(),
            }]
        }
        other => {
            let s = other.to_string();
            let kw: Vec<&str> = s.split_whitespace().take(2).collect();
            vec![Op::Other {
                keyword: kw.join(" ").to_lowercase(),
            }]
        }
    }
}

fn constraint_kind(text: &str) -> ConstraintKind {
    let t = text.to_uppercase();
    if t.contains("FOREIGN KEY") || t.contains("REFERENCES") {
        ConstraintKind::ForeignKey
    } else if t.contains("PRIMARY KEY") {
        ConstraintKind::PrimaryKey
    } else if t.contains("UNIQUE") {
        ConstraintKind::Unique
    } else if t.contains("CHECK") {
        ConstraintKind::Check
    } else {
        ConstraintKind::Other
    }
}

/// A column `MODIFY` or `CHANGE` redefines: its type, and its nullability, which the definition
/// states whether it says so or not (no `NOT NULL`: the column becomes nullable). A key column
/// (`AUTO_INCREMENT`, `PRIMARY KEY`) stays NOT NULL whatever the definition says.
fn restated(
    table: String,
    column: String,
    data_type: &DataType,
    options: &[ColumnOption],
) -> [Op; 2] {
    let says = |word: &str| {
        options
            .iter()
            .any(|o| o.to_string().to_uppercase().contains(word))
    };
    let not_null = options.iter().any(|o| matches!(o, ColumnOption::NotNull))
        || says("AUTO_INCREMENT")
        || says("PRIMARY KEY");
    [
        Op::AlterColumnType {
            table: table.clone(),
            column: column.clone(),
            to_type: type_name(&data_type.to_string()),
        },
        Op::RestateNullability {
            table,
            column,
            not_null,
        },
    ]
}

fn alter_table(table: &str, operations: &[A]) -> Vec<Op> {
    let t = || table.to_string();
    let mut ops = Vec::new();
    for op in operations {
        match op {
            A::AddColumn { column_def, .. } => {
                let mut not_null = false;
                let mut default = None;
                let data_type = type_name(&column_def.data_type.to_string());
                for o in &column_def.options {
                    match &o.option {
                        ColumnOption::NotNull => not_null = true,
                        ColumnOption::Default(e) => default = Some(default_kind(&e.to_string())),
                        ColumnOption::PrimaryKey(_) => not_null = true,
                        other => {
                            let s = other.to_string().to_uppercase();
                            if s.contains("AUTO_INCREMENT") {
                                default = Some(DefaultKind::Volatile);
                            }
                        }
                    }
                }
                ops.push(Op::AddColumn {
                    table: t(),
                    column: name(&column_def.name),
                    not_null,
                    default,
                    data_type,
                });
            }
            A::DropColumn { column_names, .. } => {
                ops.extend(column_names.iter().map(|c| Op::DropColumn {
                    table: t(),
                    column: name(c),
                }));
            }
            A::RenameColumn {
                old_column_name,
                new_column_name,
            } => ops.push(Op::RenameColumn {
                table: t(),
                from: name(old_column_name),
                to: name(new_column_name),
            }),
            A::RenameTable { table_name } => {
                let to = table_name.to_string();
                let to = to
                    .strip_prefix("TO ")
                    .or_else(|| to.strip_prefix("AS "))
                    .unwrap_or(&to);
                ops.push(Op::RenameTable {
                    from: t(),
                    to: ident(to),
                });
            }
            A::ChangeColumn {
                old_name,
                new_name,
                data_type,
                options,
                ..
            } => {
                if name(old_name) != name(new_name) {
                    ops.push(Op::RenameColumn {
                        table: t(),
                        from: name(old_name),
                        to: name(new_name),
                    });
                }
                ops.extend(restated(t(), name(new_name), data_type, options));
            }
            A::ModifyColumn {
                col_name,
                data_type,
                options,
                ..
            } => ops.extend(restated(t(), name(col_name), data_type, options)),
            A::AlterColumn { column_name, op } => {
                let column = name(column_name);
                ops.push(match op {
                    ast::AlterColumnOperation::SetNotNull => Op::SetNotNull { table: t(), column },
                    ast::AlterColumnOperation::DropNotNull => {
                        Op::DropNotNull { table: t(), column }
                    }
                    ast::AlterColumnOperation::SetDefault { value } => Op::SetDefault {
                        table: t(),
                        column,
                        default: Some(default_kind(&value.to_string())),
                    },
                    ast::AlterColumnOperation::DropDefault => {
                        Op::DropDefault { table: t(), column }
                    }
                    ast::AlterColumnOperation::SetDataType { data_type, .. } => {
                        Op::AlterColumnType {
                            table: t(),
                            column,
                            to_type: type_name(&data_type.to_string()),
                        }
                    }
                    _ => Op::Other {
                        keyword: "alter column".into(),
                    },
                });
            }
            A::AddConstraint {
                constraint,
                not_valid,
            } => {
                let text = constraint.to_string();
                let kind = constraint_kind(&text);
                if kind == ConstraintKind::PrimaryKey {
                    ops.push(Op::MysqlCopyAlter { table: t() });
                }
                ops.push(Op::AddConstraint {
                    table: t(),
                    kind,
                    not_valid: *not_valid,
                    name: None,
                });
            }
            A::DropConstraint { name: n, .. } | A::DropForeignKey { name: n, .. } => {
                ops.push(Op::DropConstraint {
                    table: t(),
                    name: name(n),
                })
            }
            A::DropPrimaryKey { .. } => {
                ops.push(Op::MysqlCopyAlter { table: t() });
                ops.push(Op::DropConstraint {
                    table: t(),
                    name: "primary".into(),
                });
            }
            A::DropIndex { name: n } => ops.push(Op::DropIndex {
                names: vec![name(n)],
                concurrently: false,
            }),
            A::Algorithm {
                algorithm: AlterTableAlgorithm::Copy,
                ..
            } => ops.push(Op::MysqlCopyAlter { table: t() }),
            other => {
                let s = other.to_string();
                let upper = s.to_uppercase();
                // `ADD INDEX` / `ADD UNIQUE KEY` come through as table constraints in some
                // versions and as their own operation in others.
                if upper.starts_with("ADD INDEX") || upper.starts_with("ADD KEY") {
                    ops.push(Op::CreateIndex {
                        table: t(),
                        name: None,
                        unique: false,
                        concurrently: false,
                    });
                } else {
                    let kw: Vec<&str> = s.split_whitespace().take(2).collect();
                    ops.push(Op::Other {
                        keyword: format!("alter table {}", kw.join(" ").to_lowercase()),
                    });
                }
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(sql: &str) -> Vec<Statement> {
        parse(sql, &Origin::file("m.sql"))
    }

    #[test]
    fn splits_on_semicolons_outside_strings_and_comments() {
        let s = p(
            "-- a; b\nINSERT INTO t VALUES ('x;y');\n/* ; */ DELETE FROM t;\nUPDATE t SET a=1 WHERE b=2;",
        );
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(s[0].evidence.line, Some(2));
        assert_eq!(s[1].evidence.line, Some(3));
        assert_eq!(s[1].evidence.column, Some(9));
        assert_eq!(
            s[1].ops,
            vec![Op::Delete {
                table: "t".into(),
                has_where: false
            }]
        );
        assert_eq!(
            s[2].ops,
            vec![Op::Update {
                table: "t".into(),
                has_where: true,
                columns: vec!["a".into()]
            }]
        );
    }

    #[test]
    fn alter_table_mysql_forms() {
        let s = p(
            "ALTER TABLE users ADD COLUMN a INT NOT NULL, DROP COLUMN b, MODIFY c VARCHAR(10), CHANGE d e TEXT, RENAME COLUMN f TO g, ALGORITHM=COPY;\nRENAME TABLE a TO b;",
        );
        let ops: Vec<&Op> = s.iter().flat_map(|s| &s.ops).collect();
        assert!(ops.contains(&&Op::AddColumn {
            table: "users".into(),
            column: "a".into(),
            not_null: true,
            default: None,
            data_type: "int".into()
        }));
        assert!(ops.contains(&&Op::DropColumn {
            table: "users".into(),
            column: "b".into()
        }));
        assert!(ops.contains(&&Op::AlterColumnType {
            table: "users".into(),
            column: "c".into(),
            to_type: "varchar(10)".into()
        }));
        assert!(ops.contains(&&Op::RenameColumn {
            table: "users".into(),
            from: "d".into(),
            to: "e".into()
        }));
        assert!(ops.contains(&&Op::RenameColumn {
            table: "users".into(),
            from: "f".into(),
            to: "g".into()
        }));
        assert!(ops.contains(&&Op::MysqlCopyAlter {
            table: "users".into()
        }));
        assert!(ops.contains(&&Op::RenameTable {
            from: "a".into(),
            to: "b".into()
        }));
    }

    #[test]
    fn bad_statement_does_not_hide_the_next() {
        let s = p("ALTER TABLE WHAT;\nDROP TABLE x;");
        assert_eq!(s.len(), 2);
        assert!(matches!(s[0].ops[0], Op::NotUnderstood { .. }));
        assert_eq!(s[1].evidence.line, Some(2));
        let s = p("SELECT 'unterminated");
        assert!(matches!(s[0].ops[0], Op::NotUnderstood { .. }));
    }
}
