//! Fuzz target: bytes through the CSV record reader (the checks are in `contact_audit::fuzzing::records`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| contact_audit::fuzzing::records(data));
