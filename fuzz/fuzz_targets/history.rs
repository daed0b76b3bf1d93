//! Fuzz target: bytes as a call-history log (the checks are in `contact_audit::fuzzing::history`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| contact_audit::fuzzing::history(data));
