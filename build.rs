//! Converts the shipped rule packs (`rules/*/*.yaml`) to JSON at build time: the binary reads
//! JSON about twenty times faster than YAML, and every run that lints reads all the packs. The
//! YAML stays the source; `shipped_json_is_the_yaml` checks the two read alike.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut dirs: Vec<_> = std::fs::read_dir("rules")
        .expect("rules/ is readable")
        .map(|e| e.expect("rules/ entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
        let lang = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 name");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("pack folder is readable")
            .map(|e| e.expect("pack entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let yaml = std::fs::read_to_string(&file).expect("pack is readable");
            let value: serde_yaml::Value =
                serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let json =
                serde_json::to_string(&value).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let stem = file
                .file_stem()
                .and_then(|n| n.to_str())
                .expect("UTF-8 name");
            std::fs::write(Path::new(&out).join(format!("{lang}-{stem}.json")), json)
                .expect("OUT_DIR is writable");
        }
    }
}
