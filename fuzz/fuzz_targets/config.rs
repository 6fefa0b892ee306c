#![no_main]
//! See `sopkit::fuzzing::config` for what this target drives.

libfuzzer_sys::fuzz_target!(|data: &[u8]| sopkit::fuzzing::config(data));
