#![no_main]
//! See `sopkit::fuzzing::lint` for what this target drives.

libfuzzer_sys::fuzz_target!(|data: &[u8]| sopkit::fuzzing::lint(data));
