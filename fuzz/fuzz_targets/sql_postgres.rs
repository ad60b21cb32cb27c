//! PostgreSQL migration files: sections, parsing, verdict and rules.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| rollbook_fuzz_common::sql(text, rollbook::evidence::sql::Dialect::Postgres));
