//! Whole-plan building from arbitrary spec or brief text, rendered as Markdown and JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| rollbook_fuzz_common::whole_plan(text));
