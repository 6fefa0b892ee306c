//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The date all tests run at, so that review-date rules are stable.
pub const TODAY: &str = "2026-11-25";

/// The real binary with a fixed date and no colour.
pub fn sopkit() -> Command {
    let mut cmd = Command::cargo_bin("sopkit").expect("binary builds");
    cmd.env("SOPKIT_TODAY", TODAY).env("NO_COLOR", "1");
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// Copies a directory tree (for tests that modify files).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
