//! Brief inference and the YAML `rollbook infer` prints of it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| rollbook_fuzz_common::brief(text));
