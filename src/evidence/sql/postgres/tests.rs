use super::*;
use crate::evidence::sql::{ConstraintKind, DefaultKind};

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
