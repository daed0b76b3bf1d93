//! Fuzz target: bytes through the encoding decision (the checks are in `contact_audit::fuzzing::encoding`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| contact_audit::fuzzing::encoding(data));
