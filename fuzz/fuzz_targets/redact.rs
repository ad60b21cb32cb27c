//! Any text through the redaction layer of every output (`rollbook::base::redact`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        rollbook_fuzz_common::redact(text);
    }
});
