#![no_main]
//! See `sopkit::fuzzing::bundle` for what this target drives.

libfuzzer_sys::fuzz_target!(|data: &[u8]| sopkit::fuzzing::bundle(data));
