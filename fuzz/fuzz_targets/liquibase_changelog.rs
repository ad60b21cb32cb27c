//! Liquibase changelogs (XML, YAML, JSON) read to order migrations: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for ext in ["xml", "yaml", "json"] {
        let _ = rollbook::evidence::sql::liquibase::Changelog::parse(ext, text);
    }
});
