//! Issue 13, item 3: `extends` chains are bounded, cycles are found however a path is
//! spelled.

use crate::support::sopkit;

fn lint_with(dir: &std::path::Path, config: &str) -> (String, Option<i32>) {
    std::fs::write(dir.join("a.md"), "# A\n").unwrap();
    let out = sopkit()
        .current_dir(dir)
        .args(["lint", "--config", config, "a.md"])
        .output()
        .unwrap();
    // The report wraps long messages: compare with whitespace folded.
    let err = String::from_utf8_lossy(&out.stderr);
    let words: Vec<&str> = err.split_whitespace().filter(|w| *w != "│").collect();
    (words.join(" "), out.status.code())
}

/// 5,000 files, each extending the next: a located error at the 64th, not a stack overflow.
#[test]
fn a_chain_of_5000_files_is_cut_at_64_with_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..5000 {
        let text = format!("# level {i}\nextends: c{}.yaml\n", i + 1);
        std::fs::write(dir.path().join(format!("c{i}.yaml")), text).unwrap();
    }
    std::fs::write(dir.path().join("c5000.yaml"), "rules: {}\n").unwrap();
    let (err, code) = lint_with(dir.path(), "c0.yaml");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "invalid configuration c63.yaml:2:10: `extends` goes more than 64 files deep at `c64.yaml`"
        ),
        "{err}"
    );
}

#[test]
fn a_file_extending_itself_through_dotdot_is_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("self.yaml"), "extends: ../sub/./self.yaml\n").unwrap();
    let (err, code) = lint_with(dir.path(), "sub/self.yaml");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("invalid configuration sub/self.yaml:1:10: `extends` cycle:")
            && err.contains("extends this file again"),
        "{err}"
    );
}

/// A base reached twice (a diamond) is no cycle, and its settings apply.
#[test]
fn a_diamond_of_bases_loads() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        let next = format!("c{}.yaml", i + 1);
        let text = format!("extends: [{next}, ./{next}]\n");
        std::fs::write(dir.path().join(format!("c{i}.yaml")), text).unwrap();
    }
    std::fs::write(dir.path().join("c40.yaml"), "rules:\n  select: [M003]\n").unwrap();
    let (err, code) = lint_with(dir.path(), "c0.yaml");
    assert!(!err.contains("invalid configuration"), "{err}");
    assert!(matches!(code, Some(0 | 1)), "{err}");
}
