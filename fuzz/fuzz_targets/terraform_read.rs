//! Terraform plan JSON through `read_files`, as `rollbook scan` reads them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rollbook_fuzz_common::{Reader, read_file};

fuzz_target!(|data: &[u8]| read_file(data, Reader::Terraform));
