//! Fuzz target: one cell through the number engine (the checks are in `contact_audit::fuzzing::cell`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| contact_audit::fuzzing::cell(data));
