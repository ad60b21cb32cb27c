//! Rule RB123 `mysql-multi-statement-non-transactional`.

use crate::assess::{Context, Finding, Rule};
use crate::evidence::sql::{Dialect, Op};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Detects a MySQL migration with more than one DDL statement.
    ///
    /// ## Why it matters for rollback
    ///
    /// MySQL commits each DDL on its own: a failure half-way leaves the schema half-migrated
    /// (golang-migrate marks it dirty) and neither the up nor the down applies cleanly.
    ///
    /// ## Use instead
    ///
    /// One DDL statement per migration file, or make every statement idempotent.
    pub static MYSQL_MULTI_STATEMENT_NON_TRANSACTIONAL = { code: "RB123", name: "mysql-multi-statement-non-transactional", family: Sql, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for m in ctx.migrations {
        if m.dialect != Dialect::Mysql {
            continue;
        }
        let ddl: Vec<_> = m.up.iter().filter(|s| s.ops.iter().any(|o| !matches!(o, Op::Insert { .. } | Op::Update { .. } | Op::Delete { .. } | Op::Other { .. } | Op::Begin | Op::Commit))).collect();
        if let (true, Some(second)) = (ddl.len() > 1, ddl.get(1)) {
            out.push(rule.finding(MysqlMultiStatement { ddl_statements: ddl.len() }, second.evidence.clone()).change(m.change));
        }
    }
}

/// More than one DDL statement in a MySQL migration, where DDL commits on its own.
struct MysqlMultiStatement {
    ddl_statements: usize,
}

impl crate::assess::Violation for MysqlMultiStatement {
    fn message(&self) -> String {
        format!("{} DDL statements in one MySQL migration: a failure leaves it half-applied; fix by hand before any down.", self.ddl_statements)
    }
}
