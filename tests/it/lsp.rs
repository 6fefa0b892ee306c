//! `sopkit lsp`, driven in process as an editor drives it: initialize, open, change, pull and
//! pushed diagnostics, code actions, hover, completion, a configuration change, shutdown.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

use crate::support::{root, sopkit, TODAY};

/// A client connected to an in-process server.
struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<()>>,
    next: i32,
    /// Notifications received while waiting for something else.
    inbox: Vec<Notification>,
}

const WAIT: Duration = Duration::from_secs(60);

impl Client {
    /// `pull`: whether the client announces pull diagnostics.
    fn start(pull: bool) -> Self {
        let mut caps = json!({ "workspace": { "diagnostics": { "refreshSupport": true } } });
        if pull {
            caps["textDocument"] = json!({ "diagnostic": { "dynamicRegistration": false } });
        }
        Self::start_with(caps, &[])
    }

    /// A client with these capabilities and workspace folders.
    fn start_with(caps: Value, folders: &[&Path]) -> Self {
        static DATE: std::sync::Once = std::sync::Once::new();
        // The server reads "today" from the environment, as the binary does under test.
        DATE.call_once(|| std::env::set_var("SOPKIT_TODAY", TODAY));
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            let options = sopkit::lsp::Options {
                debounce: Duration::from_millis(0),
            };
            sopkit::lsp::serve(server, options).expect("server ends cleanly");
        });
        let mut c = Self {
            conn: client,
            server: Some(handle),
            next: 0,
            inbox: Vec::new(),
        };
        let folders: Vec<Value> = folders
            .iter()
            .map(|f| json!({ "uri": uri_of(f), "name": f.display().to_string() }))
            .collect();
        let folders = match folders.is_empty() {
            true => Value::Null,
            false => Value::from(folders),
        };
        let init = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": caps,
                    "workspaceFolders": folders }),
        );
        assert_eq!(init["serverInfo"]["name"], "sopkit");
        c.notify("initialized", json!({}));
        c
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .unwrap();
        loop {
            match self.conn.receiver.recv_timeout(WAIT).expect("an answer") {
                Message::Response(r) if r.id == id => {
                    if let Some(e) = r.error {
                        panic!("{method} failed: {}", e.message);
                    }
                    return r.result.unwrap_or(Value::Null);
                }
                Message::Notification(n) => self.inbox.push(n),
                _ => {}
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .unwrap();
    }

    /// The next diagnostics pushed for a document at a version.
    fn pushed(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let matches = |n: &Notification| {
            n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == uri
                && n.params["version"].as_i64() == version
        };
        if let Some(i) = self.inbox.iter().position(matches) {
            let n = self.inbox.remove(i);
            return n.params["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            match self.conn.receiver.recv_timeout(WAIT).expect("diagnostics") {
                Message::Notification(n) if matches(&n) => {
                    return n.params["diagnostics"].as_array().unwrap().clone()
                }
                Message::Notification(n) => self.inbox.push(n),
                _ => {}
            }
        }
    }

    fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri_of(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "markdown", "version": 1, "text": text
            }}),
        );
        uri
    }

    fn pull(&mut self, uri: &str) -> Vec<Value> {
        let r = self.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        );
        assert_eq!(r["kind"], "full");
        r["items"].as_array().unwrap().clone()
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.server
            .take()
            .unwrap()
            .join()
            .expect("server thread ends");
    }
}

fn uri_of(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap();
    let mut s = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// A 1-based line and character column as an LSP position (UTF-16 units).
fn position(text: &str, line: u64, column: u64) -> Value {
    let l = text.split('\n').nth(line as usize - 1).unwrap_or("");
    let units: usize = l
        .chars()
        .take(column as usize - 1)
        .map(char::len_utf16)
        .sum();
    json!({ "line": line - 1, "character": units })
}

/// `sopkit lint --format json FILE`'s diagnostics in the server's terms.
fn cli_diagnostics(path: &Path, text: &str) -> Vec<Value> {
    let out = sopkit()
        .args(["lint", "--format", "json"])
        .arg(path)
        .current_dir(root())
        .output()
        .unwrap();
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    all.iter()
        .map(|d| {
            let n = |k: &str| d[k].as_u64().unwrap();
            json!({
                "range": {
                    "start": position(text, n("line"), n("column")),
                    "end": position(text, n("end_line"), n("end_column")),
                },
                "severity": match d["severity"].as_str().unwrap() {
                    "error" => 1, "warning" => 2, _ => 3,
                },
                "code": d["code"],
                "message": d["message"],
            })
        })
        .collect()
}

fn comparable(d: &Value) -> Value {
    json!({
        "range": d["range"], "severity": d["severity"], "code": d["code"], "message": d["message"]
    })
}

fn example_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples", "examples/flawed"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                files.push(PathBuf::from(dir).join(p.file_name().unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn diagnostics_equal_the_cli_on_every_example() {
    let files = example_files();
    assert!(files.len() >= 8, "{files:?}");
    let mut pulled = Client::start(true);
    let mut pushed = Client::start(false);
    for rel in files {
        let path = root().join(&rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let want = cli_diagnostics(&rel, &text);
        let uri = pulled.open(&path, &text);
        let got: Vec<Value> = pulled.pull(&uri).iter().map(comparable).collect();
        assert_eq!(got, want, "pulled diagnostics of {}", rel.display());
        let uri = pushed.open(&path, &text);
        let got: Vec<Value> = pushed
            .pushed(&uri, Some(1))
            .iter()
            .map(comparable)
            .collect();
        assert_eq!(got, want, "pushed diagnostics of {}", rel.display());
    }
    pulled.shutdown();
    pushed.shutdown();
}

/// The byte offset of an LSP position (UTF-16 units) in a text.
fn offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let character = pos["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// A text with a workspace edit's edits for one document applied.
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = edit["changes"][uri]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

fn whole(text: &str) -> Value {
    let lines = text.split('\n').count();
    json!({ "start": { "line": 0, "character": 0 }, "end": { "line": lines, "character": 0 } })
}

fn actions(c: &mut Client, uri: &str, range: Value, only: Option<&[&str]>) -> Vec<Value> {
    let mut context = json!({ "diagnostics": [] });
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let r = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
    );
    r.as_array().cloned().unwrap_or_default()
}

/// Replaces the document's text (full sync) at a new version.
fn change(c: &mut Client, uri: &str, version: i64, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }] }),
    );
}

#[test]
fn quick_fixes_and_fix_all() {
    let rel = Path::new("examples/flawed/complaint-steps.md");
    let path = root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut c = Client::start(true);
    let uri = c.open(&path, &text);
    let all = actions(&mut c, &uri, whole(&text), None);
    let fixes: Vec<&Value> = all
        .iter()
        .filter(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().starts_with("Fix "))
        .collect();
    let titles: Vec<&str> = fixes.iter().map(|a| a["title"].as_str().unwrap()).collect();
    insta::assert_yaml_snapshot!("lsp_quick_fixes", titles);
    assert!(fixes.iter().any(|a| a["isPreferred"] == true));

    // Applying the safe quick fix removes its finding.
    let safe = fixes.iter().find(|a| a["isPreferred"] == true).unwrap();
    let code = safe["diagnostics"][0]["code"].clone();
    let fixed = apply(&text, &safe["edit"], &uri);
    change(&mut c, &uri, 2, &fixed);
    let after = c.pull(&uri);
    let count = |ds: &[Value]| ds.iter().filter(|d| d["code"] == code).count();
    assert_eq!(count(&after) + 1, count(&c_pull_text(&text)));

    // Fix-all equals `sopkit lint --fix` on the same text.
    change(&mut c, &uri, 3, &text);
    let fix_all = actions(&mut c, &uri, whole(&text), Some(&["source.fixAll"]));
    assert_eq!(fix_all.len(), 1, "{fix_all:?}");
    assert_eq!(fix_all[0]["kind"], "source.fixAll.sopkit");
    let ours = apply(&text, &fix_all[0]["edit"], &uri);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("complaint-steps.md");
    std::fs::write(&copy, &text).unwrap();
    std::fs::copy(
        root().join("examples/sopkit.yaml"),
        dir.path().join("sopkit.yaml"),
    )
    .unwrap();
    sopkit()
        .args(["lint", "--fix"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(ours, std::fs::read_to_string(&copy).unwrap());
    assert_ne!(ours, text);
    c.shutdown();
}

/// The findings of a text, pulled from a fresh server.
fn c_pull_text(text: &str) -> Vec<Value> {
    let mut c = Client::start(true);
    let uri = c.open(&root().join("examples/flawed/complaint-steps.md"), text);
    let d = c.pull(&uri);
    c.shutdown();
    d
}

/// Every suppress action of every finding in examples/flawed removes exactly the findings of
/// its code on its line (or in the file), and adds none.
#[test]
fn suppress_actions_suppress_exactly_their_findings() {
    let mut c = Client::start(true);
    let mut version = 1;
    for rel in example_files()
        .iter()
        .filter(|f| f.starts_with("examples/flawed"))
    {
        let path = root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let uri = c.open(&path, &text);
        let before = c.pull(&uri);
        for d in &before {
            let code = d["code"].as_str().unwrap();
            let line = d["range"]["start"]["line"].as_u64().unwrap();
            version += 1;
            change(&mut c, &uri, version, &text);
            let offered = actions(&mut c, &uri, d["range"].clone(), Some(&["quickfix"]));
            for what in ["on this line", "in this file"] {
                let title = format!("Suppress {code} {what}");
                let Some(action) = offered.iter().find(|a| a["title"] == title.as_str()) else {
                    assert_eq!(
                        what,
                        "on this line",
                        "{title} missing in {}: {offered:#?}",
                        rel.display()
                    );
                    continue;
                };
                let edited = apply(&text, &action["edit"], &uri);
                version += 1;
                change(&mut c, &uri, version, &edited);
                let after = c.pull(&uri);
                let mut want: Vec<String> = before
                    .iter()
                    .filter(|e| {
                        e["code"] != code
                            || (what == "on this line"
                                && e["range"]["start"]["line"].as_u64() != Some(line))
                    })
                    .map(|e| format!("{} {}", e["code"], e["message"]))
                    .collect();
                let mut got: Vec<String> = after
                    .iter()
                    .map(|e| format!("{} {}", e["code"], e["message"]))
                    .collect();
                want.sort();
                got.sort();
                assert_eq!(
                    got,
                    want,
                    "{title} at line {} of {}",
                    line + 1,
                    rel.display()
                );
                version += 1;
                change(&mut c, &uri, version, &text);
            }
        }
        version += 1;
        change(&mut c, &uri, version, &text);
    }
    c.shutdown();
}

/// The position of the first occurrence of `needle` in `text`, plus `shift` characters.
fn at(text: &str, needle: &str, shift: usize) -> Value {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the text"));
    let line = text[..i].matches('\n').count();
    let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    let units: usize = text[start..i].chars().map(char::len_utf16).sum::<usize>() + shift;
    json!({ "line": line, "character": units })
}

fn hover_text(c: &mut Client, uri: &str, pos: Value) -> String {
    let r = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": pos }),
    );
    r["contents"]["value"]
        .as_str()
        .unwrap_or("(none)")
        .to_string()
}

fn completion_labels(c: &mut Client, uri: &str, pos: Value) -> Vec<String> {
    let r = c.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": pos }),
    );
    r.as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn hover_on_findings_suppressions_and_headings() {
    let path = root().join("examples/flawed/metadata.md");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "## Procedure\n",
        "## Procedure\n<!-- sopkit-disable-next-line P002 -->\n",
    );
    let mut c = Client::start(true);
    let uri = c.open(&path, &text);
    let finding = hover_text(&mut c, &uri, at(&text, "aproved", 2));
    let suppression = hover_text(&mut c, &uri, at(&text, "P002 -->", 1));
    let heading = hover_text(&mut c, &uri, at(&text, "## Escalation", 4));
    let plain = hover_text(&mut c, &uri, at(&text, "Check the proof", 2));
    insta::assert_snapshot!(
        "lsp_hover",
        format!(
            "finding:\n{finding}\n\nsuppression:\n{suppression}\n\nheading:\n{heading}\n\nplain:\n{plain}"
        )
    );
    c.shutdown();
}

/// A text with a cursor marked `‸`: the text without the mark, and the cursor's position.
fn cursor(marked: &str) -> (String, Value) {
    let text = marked.replacen('‸', "", 1);
    let pos = at(marked, "‸", 0);
    (text, pos)
}

/// The completion labels at the `‸` of a document's text with one edit.
fn complete(c: &mut Client, path: &Path, version: &mut i64, marked: &str) -> Vec<String> {
    let (text, pos) = cursor(marked);
    let uri = uri_of(path);
    if *version == 0 {
        c.open(path, &text);
        *version = 1;
    } else {
        *version += 1;
        change(c, &uri, *version, &text);
    }
    completion_labels(c, &uri, pos)
}

#[test]
fn completion_of_keys_values_headings_roles_and_codes() {
    let path = root().join("examples/flawed/metadata.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut c = Client::start(true);
    let mut v = 0;
    let status = complete(
        &mut c,
        &path,
        &mut v,
        &text.replace("status: aproved", "status: ‸"),
    );
    let keys = complete(
        &mut c,
        &path,
        &mut v,
        &text.replace("status: aproved\n", "‸\n"),
    );
    let headings = complete(
        &mut c,
        &path,
        &mut v,
        &text.replace("## Scope\n", "## ‸\n\n## Scope\n"),
    );
    let row = "| 1 day | finance@example.com |\n";
    let roles = complete(
        &mut c,
        &path,
        &mut v,
        &text.replace(row, &format!("{row}| 3 | ‸\n")),
    );
    let comment = "## Procedure\n<!-- sopkit-disable-next-line ‸ -->\n";
    let codes = complete(
        &mut c,
        &path,
        &mut v,
        &text.replace("## Procedure\n", comment),
    );
    assert!(codes.len() > 40, "{codes:?}");
    let codes: Vec<&String> = codes.iter().filter(|c| c.starts_with('M')).collect();
    let fi = root().join("examples/flawed/seed/fi-valitus.md");
    let fi_text = std::fs::read_to_string(&fi).unwrap() + "\n## ‸";
    let fi_headings = complete(&mut c, &fi, &mut 0, &fi_text);
    insta::assert_yaml_snapshot!(
        "lsp_completion",
        json!({
            "status values": status, "front matter keys": keys, "headings": headings,
            "escalation roles": roles, "rule codes (M…)": codes, "headings (fi)": fi_headings,
        })
    );
    c.shutdown();
}

#[test]
fn a_broken_config_is_a_diagnostic_and_a_fixed_one_lints_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sop.md");
    let text = std::fs::read_to_string(root().join("examples/flawed/metadata.md")).unwrap();
    std::fs::write(&path, &text).unwrap();
    let config = dir.path().join("sopkit.yaml");
    std::fs::write(&config, "rules:\n  ignore: [M003]\n").unwrap();
    let mut c = Client::start(false);
    let uri = c.open(&path, &text);
    let first = c.pushed(&uri, Some(1));
    assert!(
        !first.is_empty() && first.iter().all(|d| d["code"] != "M003"),
        "{first:?}"
    );

    // Broken: one diagnostic on the document, one at the place in the configuration.
    std::fs::write(&config, "rules:\n  ignore: [M999]\n").unwrap();
    let changed = json!({ "changes": [{ "uri": uri_of(&config), "type": 2 }] });
    c.notify("workspace/didChangeWatchedFiles", changed.clone());
    let broken = c.pushed(&uri, Some(1));
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0]["code"], "config");
    assert!(
        broken[0]["message"].as_str().unwrap().contains("M999"),
        "{broken:?}"
    );
    let on_config = c.pushed(&uri_of(&config), None);
    assert_eq!(on_config.len(), 1, "{on_config:?}");
    assert_eq!(on_config[0]["range"]["start"]["line"], 1);

    // Still serving: hover answers.
    let _ = hover_text(&mut c, &uri, json!({ "line": 0, "character": 0 }));

    // Fixed: the document is linted with the new configuration, the config's diagnostic goes.
    std::fs::write(&config, "rules:\n  ignore: [M004]\n").unwrap();
    c.notify("workspace/didChangeWatchedFiles", changed);
    assert!(c.pushed(&uri_of(&config), None).is_empty());
    let fixed = c.pushed(&uri, Some(1));
    let cli = cli_diagnostics(&path, &text);
    assert_eq!(fixed.iter().map(comparable).collect::<Vec<_>>(), cli);
    assert!(fixed.iter().any(|d| d["code"] == "M003"));

    // Excluded: nothing to report, as a directory walk of `sopkit lint` skips the file.
    std::fs::write(&config, "exclude: [\"sop.md\"]\n").unwrap();
    let changed = json!({ "changes": [{ "uri": uri_of(&config), "type": 2 }] });
    c.notify("workspace/didChangeWatchedFiles", changed);
    assert_eq!(c.pushed(&uri, Some(1)), Vec::<Value>::new());
    c.shutdown();
}

#[test]
fn bad_requests_get_errors_and_the_server_goes_on() {
    let mut c = Client::start(true);
    let path = root().join("examples/refund-approval.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = c.open(&path, &text);
    for (method, params) in [
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri } }),
        ),
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///nowhere.md" }, "position": { "line": 0, "character": 0 } }),
        ),
        ("sopkit/unknown", json!({})),
    ] {
        c.next += 1;
        let id = RequestId::from(c.next);
        c.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .unwrap();
        loop {
            match c.conn.receiver.recv_timeout(WAIT).unwrap() {
                Message::Response(r) if r.id == id => {
                    assert!(r.error.is_some(), "{method} answered {r:?}");
                    break;
                }
                _ => {}
            }
        }
    }
    // Out-of-range positions are clamped, not a crash.
    let far = json!({ "line": 100000, "character": 100000 });
    let _ = hover_text(&mut c, &uri, far.clone());
    let _ = completion_labels(&mut c, &uri, far);
    // Incremental edits with UTF-16 positions: an emoji before the edit.
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [
            { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "😀" },
            { "range": { "start": { "line": 0, "character": 2 }, "end": { "line": 0, "character": 2 } }, "text": "é" },
        ]}),
    );
    let edited = format!("😀é{text}");
    let mut fresh = Client::start(true);
    let fresh_uri = fresh.open(&path, &edited);
    let want = fresh.pull(&fresh_uri);
    fresh.shutdown();
    assert_eq!(c.pull(&uri), want);
    assert_eq!(want[0]["code"], "M001", "{want:?}");
    c.shutdown();
}

#[test]
fn a_changed_base_of_the_config_lints_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sop.md");
    let text = std::fs::read_to_string(root().join("examples/flawed/metadata.md")).unwrap();
    std::fs::write(&path, &text).unwrap();
    std::fs::write(dir.path().join("sopkit.yaml"), "extends: [base.yaml]\n").unwrap();
    let base = dir.path().join("base.yaml");
    std::fs::write(&base, "rules:\n  ignore: [M003]\n").unwrap();
    let mut c = Client::start(false);
    let uri = c.open(&path, &text);
    let has_m003 = |ds: &[Value]| ds.iter().any(|d| d["code"] == "M003");
    assert!(!has_m003(&c.pushed(&uri, Some(1))));
    std::fs::write(&base, "rules:\n  ignore: [M004]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri_of(&base), "type": 2 }] }),
    );
    assert!(has_m003(&c.pushed(&uri, Some(1))));
    c.shutdown();
}

/// `sopkit lint --format json DIR`'s diagnostics in the server's terms, by file (the path the
/// CLI shows): positions from each file's text on disk, or from `texts` for the open ones.
fn cli_folder(dir: &Path) -> std::collections::BTreeMap<String, Vec<Value>> {
    let out = sopkit()
        .args(["lint", "--format", "json"])
        .arg(dir)
        .current_dir(root())
        .output()
        .unwrap();
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_file = std::collections::BTreeMap::<String, Vec<Value>>::new();
    for d in all {
        let path = d["path"].as_str().unwrap().to_string();
        let text = std::fs::read_to_string(root().join(&path)).unwrap_or_default();
        let n = |k: &str| d[k].as_u64().unwrap();
        by_file.entry(path).or_default().push(json!({
            "range": {
                "start": position(&text, n("line"), n("column")),
                "end": position(&text, n("end_line"), n("end_column")),
            },
            "severity": match d["severity"].as_str().unwrap() {
                "error" => 1, "warning" => 2, _ => 3,
            },
            "code": d["code"],
            "message": d["message"],
        }));
    }
    by_file
}

/// The path `sopkit lint` shows for a file, run from the repository root.
fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// A file's diagnostics in a report by file (none when it has none).
fn of(by_file: &std::collections::BTreeMap<String, Vec<Value>>, key: &str) -> Vec<Value> {
    by_file.get(key).cloned().unwrap_or_default()
}

fn pull_client() -> Value {
    json!({
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostics": { "refreshSupport": true } },
    })
}

fn codes(ds: &[Value]) -> Vec<String> {
    ds.iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn cross_document_rules_see_the_workspace_folder_as_the_cli_does() {
    let examples = root().join("examples");
    let want = cli_folder(Path::new("examples"));
    assert!(
        want.values().flatten().any(|d| d["code"] == "X001"),
        "the examples hold a cross-document finding"
    );
    let files = example_files();
    let mut c = Client::start_with(pull_client(), &[&examples]);
    // Open half the files: the others are read from disk.
    let mut cross = 0;
    for rel in files.iter().skip(1).step_by(2) {
        let path = root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let uri = c.open(&path, &text);
        let got: Vec<Value> = c.pull(&uri).iter().map(comparable).collect();
        let key = shown(&path);
        assert_eq!(got, of(&want, &key), "{key}");
        cross += codes(&got).iter().filter(|c| c.starts_with('X')).count();
    }
    assert!(cross > 0, "an open file has a cross-document finding");
    c.shutdown();
}

/// A workspace of two SOPs with the same id, one of them excluded by a folder's config, one
/// ignored by `.gitignore`.
fn duplicate_ids(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("examples/refund-approval.md")).unwrap();
    std::fs::write(dir.path().join("a.md"), &text).unwrap();
    std::fs::write(dir.path().join("b.md"), &text).unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    std::fs::write(dir.path().join("drafts/c.md"), &text).unwrap();
    std::fs::write(dir.path().join("ignored.md"), &text).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored.md\n").unwrap();
    std::fs::write(dir.path().join("sopkit.yaml"), config).unwrap();
    dir
}

/// Sends a request and returns its raw response (result or error).
fn send_request(c: &mut Client, method: &str, params: Value) -> RequestId {
    c.next += 1;
    let id = RequestId::from(c.next);
    c.conn
        .sender
        .send(Request::new(id.clone(), method.into(), params).into())
        .unwrap();
    id
}

fn response(c: &mut Client, id: &RequestId) -> lsp_server::Response {
    loop {
        match c.conn.receiver.recv_timeout(WAIT).expect("a response") {
            Message::Response(r) if r.id == *id => return r,
            Message::Notification(n) => c.inbox.push(n),
            _ => {}
        }
    }
}

/// The items of a workspace diagnostic report, by path shown.
fn workspace_items(result: &Value) -> std::collections::BTreeMap<String, Vec<Value>> {
    result["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = r["uri"].as_str().unwrap();
            let path = uri.strip_prefix("file://").unwrap().replace("%2D", "-");
            let items = r["items"].as_array().unwrap().iter().map(comparable);
            (shown(Path::new(&path)), items.collect())
        })
        .collect()
}

#[test]
fn files_that_are_not_open_get_the_cli_diagnostics_pulled_and_cancelled() {
    let dir = duplicate_ids("exclude: [\"drafts/**\"]\n");
    let a = dir.path().join("a.md");
    let text = std::fs::read_to_string(&a).unwrap();
    let want = cli_folder(dir.path());
    let (ka, kb) = (shown(&a), shown(&dir.path().join("b.md")));
    assert!(
        want.keys().all(|k| *k == ka || *k == kb),
        "exclude and .gitignore: {want:?}"
    );
    assert!(
        codes(&of(&want, &ka)).contains(&"X001".to_string())
            || codes(&of(&want, &kb)).contains(&"X001".to_string())
    );

    let mut c = Client::start_with(pull_client(), &[dir.path()]);
    let uri = c.open(&a, &text);
    let got: Vec<Value> = c.pull(&uri).iter().map(comparable).collect();
    assert_eq!(got, of(&want, &ka), "the open file, beside the one on disk");
    // Only b.md is reported: a.md is open, drafts/ excluded, ignored.md ignored.
    let first = c.request("workspace/diagnostic", json!({ "previousResultIds": [] }));
    let items = workspace_items(&first);
    assert_eq!(items.keys().collect::<Vec<_>>(), [&kb]);
    assert_eq!(of(&items, &kb), of(&want, &kb));

    // Nothing changed: the next pull waits; cancelled, it is answered RequestCancelled.
    let waiting = send_request(
        &mut c,
        "workspace/diagnostic",
        json!({ "previousResultIds": [] }),
    );
    c.notify("$/cancelRequest", json!({ "id": c.next }));
    let r = response(&mut c, &waiting);
    assert_eq!(
        r.error.map(|e| e.code),
        Some(lsp_server::ErrorCode::RequestCanceled as i32)
    );

    // The open file's id changes: b.md's duplicate is gone, without saving a.md.
    let waiting = send_request(
        &mut c,
        "workspace/diagnostic",
        json!({ "previousResultIds": [] }),
    );
    let edited = text.replacen("id: ", "id: NEW-", 1);
    assert_ne!(edited, text);
    change(&mut c, &uri, 2, &edited);
    let r = response(&mut c, &waiting);
    let items = workspace_items(&r.result.unwrap());
    let before = codes(&of(&want, &kb))
        .iter()
        .filter(|c| c.starts_with('X'))
        .count();
    let after = codes(&of(&items, &kb))
        .iter()
        .filter(|c| c.starts_with('X'))
        .count();
    assert!(after < before, "{:?}", of(&items, &kb));
    assert!(!codes(&c.pull(&uri)).contains(&"X001".to_string()));
    c.shutdown();
}

#[test]
fn files_that_are_not_open_get_pushed_diagnostics_until_the_client_pulls_them() {
    // A client that pushes, and one that pulls documents but never the workspace (Neovim).
    for pull in [false, true] {
        let dir = duplicate_ids("exclude: [\"drafts/**\"]\n");
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        let text = std::fs::read_to_string(&a).unwrap();
        let want = cli_folder(dir.path());
        let caps = if pull { pull_client() } else { json!({}) };
        let mut c = Client::start_with(caps, &[dir.path()]);
        let uri = c.open(&a, &text);
        let got = if pull {
            c.pull(&uri)
        } else {
            c.pushed(&uri, Some(1))
        };
        let got: Vec<Value> = got.iter().map(comparable).collect();
        assert_eq!(got, of(&want, &shown(&a)));
        let got: Vec<Value> = c.pushed(&uri_of(&b), None).iter().map(comparable).collect();
        assert_eq!(got, of(&want, &shown(&b)));
        // A file created on disk joins the workspace when the client reports it.
        let new = dir.path().join("new.md");
        std::fs::write(&new, &text).unwrap();
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": uri_of(&new), "type": 1 }] }),
        );
        let want = cli_folder(dir.path());
        let got: Vec<Value> = c
            .pushed(&uri_of(&new), None)
            .iter()
            .map(comparable)
            .collect();
        assert_eq!(got, of(&want, &shown(&new)));
        assert!(codes(&got).iter().any(|c| c.starts_with('X')), "{got:?}");
        c.shutdown();
    }
}

#[test]
fn each_workspace_folder_has_its_config_and_folders_come_and_go() {
    let one = duplicate_ids("exclude: [\"drafts/**\"]\n");
    let two = duplicate_ids("exclude: [\"drafts/**\"]\nrules:\n  ignore: [X001, M003]\n");
    let mut c = Client::start_with(pull_client(), &[one.path(), two.path()]);
    let mut uris = Vec::new();
    for dir in [&one, &two] {
        let a = dir.path().join("a.md");
        let text = std::fs::read_to_string(&a).unwrap();
        let uri = c.open(&a, &text);
        let got: Vec<Value> = c.pull(&uri).iter().map(comparable).collect();
        assert_eq!(
            got,
            of(&cli_folder(dir.path()), &shown(&a)),
            "{}",
            dir.path().display()
        );
        uris.push(uri);
    }
    let (x1, x2) = (codes(&c.pull(&uris[0])), codes(&c.pull(&uris[1])));
    assert!(x1.iter().any(|c| c.starts_with('X')), "{x1:?}");
    assert!(!x2.contains(&"X001".to_string()), "{x2:?}");

    // Folder one leaves the workspace: its document is linted alone, without b.md.
    let folder = json!({ "uri": uri_of(one.path()), "name": "one" });
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [], "removed": [folder.clone()] } }),
    );
    let alone = std::fs::read_to_string(one.path().join("a.md")).unwrap();
    let want = cli_diagnostics(&one.path().join("a.md"), &alone);
    let got: Vec<Value> = c.pull(&uris[0]).iter().map(comparable).collect();
    assert_eq!(got, want);
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [folder], "removed": [] } }),
    );
    assert_eq!(codes(&c.pull(&uris[0])), x1);
    c.shutdown();
}
