//! Spec YAML: form detection, parsing and validation give Ok or a located error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| rollbook_fuzz_common::spec(text, rollbook::spec::InputForm::Yaml));
