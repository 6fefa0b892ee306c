//! Integration tests: `site build` on the real binary; the pages are parsed as HTML.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::support::{copy_dir, fixtures, root, sopkit};

/// A fixed build date: review states and the bundle's `created` are stable.
const EPOCH: &str = "1764028800"; // 2025-11-25

fn site(args: &[&std::ffi::OsStr]) -> assert_cmd::assert::Assert {
    sopkit()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("site")
        .arg("build")
        .args(args)
        .assert()
}

macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$(std::ffi::OsStr::new($a)),*] };
}

fn build_examples(out: &Path) {
    site(args![&root().join("examples"), "-o", out]).success();
}

fn bundle(src: &Path, out: &Path, version: &str, extra: &[&str]) -> PathBuf {
    sopkit()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["bundle", "build"])
        .arg(src)
        .args(["--name", "ops", "--version", version, "-o"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    out.join(format!("ops-{version}.sopbundle.tar.gz"))
}

fn keygen(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(name);
    sopkit()
        .arg("keygen")
        .arg("-o")
        .arg(&key)
        .assert()
        .success();
    key
}

fn html(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Every file of a folder, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn sop_pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir.join("sop"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_sop_of_the_folder_is_in_the_index_with_its_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_examples(&out);
    let index = html(&out.join("index.html"));
    let rows: Vec<_> = index.select(&sel("#sops tbody tr")).collect();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("search-index.json")).unwrap()).unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(rows.len(), entries.len());
    assert_eq!(rows.len(), sop_pages(&out).len());
    for e in entries {
        let id = e["id"].as_str().unwrap();
        let page = e["page"].as_str().unwrap();
        assert!(out.join(page).is_file(), "{page}");
        let found = rows.iter().any(|r| {
            let cells: Vec<String> = r.select(&sel("td")).map(|c| c.text().collect()).collect();
            cells[0] == id
                && r.select(&sel("a"))
                    .any(|a| a.value().attr("href") == Some(page))
        });
        assert!(found, "{id} is not in the index table");
    }
    // The documents of the examples are there by id, with their metadata.
    let table: String = index.select(&sel("#sops")).next().unwrap().text().collect();
    for id in ["CS-001", "FIN-002", "IT-003", "LAB-004"] {
        assert!(table.contains(id), "{id}");
    }
    assert!(table.contains("Customer Service Lead"));
    // Grouped by tag and by owner.
    assert!(index.select(&sel("h2#by-tag")).next().is_some());
    assert!(index.select(&sel("h2#by-owner")).next().is_some());
    // The search form is hidden until the script shows it: the page works with scripts off.
    let form = index.select(&sel("form#search")).next().unwrap();
    assert!(form.value().attr("hidden").is_some());
    let data = index.select(&sel("script#sop-index")).next().unwrap();
    let embedded: serde_json::Value =
        serde_json::from_str(&data.text().collect::<String>()).unwrap();
    assert_eq!(&embedded, &json);
}

#[test]
fn every_level_role_is_in_the_svg_of_its_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_examples(&out);
    let mut chains = 0;
    for page in sop_pages(&out) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let id = name.strip_suffix(".html").unwrap();
        let raw = out.join("raw").join(format!("{id}.md"));
        let doc = sopkit::parse(
            "x.md",
            std::fs::read_to_string(&raw).unwrap(),
            &Default::default(),
        );
        let page_html = html(&page);
        let Some(chain) = &doc.escalation else {
            continue;
        };
        chains += 1;
        let svg = page_html
            .select(&sel("svg.chain"))
            .next()
            .unwrap_or_else(|| panic!("{name}: no SVG"));
        assert_eq!(svg.value().attr("role"), Some("img"));
        let texts: String = svg
            .select(&sel("text"))
            .map(|t| t.text().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" ");
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let texts = norm(&texts);
        assert_eq!(
            svg.select(&sel("rect")).count(),
            chain.levels.len(),
            "{name}: one box per level"
        );
        for level in &chain.levels {
            if let Some(role) = &level.role {
                assert!(texts.contains(&norm(&role.value)), "{name}: {}", role.value);
            }
        }
        // The steps, numbered as written.
        let numbers: Vec<String> = page_html
            .select(&sel("details.steps > ol > li > span.n"))
            .map(|n| n.text().collect())
            .collect();
        let written: Vec<String> = doc
            .steps
            .iter()
            .filter_map(|s| s.number.as_ref().map(|n| format!("{n}.")))
            .collect();
        assert_eq!(numbers, written, "{name}");
        // The text alternative lists the levels.
        let listed = page_html.select(&sel("ol.levels li")).count();
        assert_eq!(listed, chain.levels.len(), "{name}");
        let desc: String = svg.select(&sel("desc")).next().unwrap().text().collect();
        assert!(desc.contains("Level 1"), "{name}: {desc}");
    }
    assert!(chains >= 3, "the examples have escalation chains");
}

#[test]
fn no_remote_url_in_any_script_style_font_or_image() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_dir(&root().join("examples"), &src);
    // A document that tries to load remote things.
    std::fs::write(
        src.join("remote.md"),
        "---\nid: R-1\ntitle: Remote\n---\n# Remote\n\n![x](https://cdn.example.com/x.png)\n\n<img src=\"//cdn.example.com/y.png\">\n\n<link rel=\"stylesheet\" href=\"https://cdn.example.com/s.css\">\n\n<script src=\"https://cdn.example.com/s.js\"></script>\n\n<style>@import url(https://fonts.example.com/f.css);</style>\n\n[a link](https://example.com/page)\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    site(args![&src, "-o", &out]).success();
    let remote = |v: &str| {
        let v = v.trim().to_ascii_lowercase();
        v.contains("://") || v.starts_with("//")
    };
    for (name, bytes) in files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        if name.ends_with(".css") {
            assert!(
                !text.contains("@import") && !text.contains("url("),
                "{name}"
            );
        }
        if !name.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&text);
        for (s, attr) in [
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("img", "srcset"),
            ("source", "src"),
            ("iframe", "src"),
            ("object", "data"),
            ("embed", "src"),
            ("audio", "src"),
            ("video", "src"),
        ] {
            for e in doc.select(&sel(s)) {
                if let Some(v) = e.value().attr(attr) {
                    assert!(!remote(v), "{name}: <{s} {attr}={v}>");
                }
            }
        }
        for style in doc.select(&sel("style")) {
            let css: String = style.text().collect();
            assert!(!css.contains("url("), "{name}: {css}");
        }
        // SVG namespaces are identifiers, not fetched: nothing else may be remote.
        assert!(!text.contains("cdn.example.com"), "{name}");
        assert!(!text.contains("fonts.example.com"), "{name}");
    }
    // The link stays, marked external.
    let page = html(&out.join("sop/R-1.html"));
    let body: String = page.select(&sel(".body")).next().unwrap().text().collect();
    assert!(body.contains("a link (external)"), "{body}");
}

#[test]
fn raw_html_is_sanitised() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(
        src.join("evil.md"),
        "---\nid: EV-1\ntitle: Evil\n---\n# Evil\n\n<script>alert('x')</script>\n\n<img src=\"a.png\" onerror=\"alert(1)\">\n\n<p onclick=\"alert(2)\" style=\"color:red\">Click</p>\n\n<a href=\"javascript:alert(3)\">js</a> <iframe src=\"x.html\"></iframe>\n\n<svg onload=\"alert(4)\"></svg>\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    site(args![&src, "-o", &out]).success();
    let text = std::fs::read_to_string(out.join("sop/EV-1.html")).unwrap();
    let page = Html::parse_document(&text);
    let body = page.select(&sel(".body")).next().unwrap();
    assert_eq!(body.select(&sel("script")).count(), 0);
    assert_eq!(body.select(&sel("iframe")).count(), 0);
    assert_eq!(body.select(&sel("svg")).count(), 0);
    for e in body.descendants().filter_map(scraper::ElementRef::wrap) {
        for (name, value) in e.value().attrs() {
            assert!(!name.starts_with("on"), "{name}={value}");
            assert_ne!(name, "style");
            assert!(!value.contains("javascript:"), "{name}={value}");
        }
    }
    assert!(!text.contains("alert("), "{text}");
    // The only scripts of the site are its own, from the site.
    for (name, bytes) in files(&out) {
        if name.ends_with(".html") {
            let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
            for s in doc.select(&sel("script")) {
                let own = s.value().attr("src") == Some("assets/search.js")
                    || s.value().attr("type") == Some("application/json");
                assert!(own, "{name}: {}", s.html());
            }
        }
    }
}

#[test]
fn building_twice_gives_identical_bytes_and_replaces_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    build_examples(&a);
    build_examples(&b);
    let first = files(&a);
    assert_eq!(first, files(&b));
    // A rebuild into the same folder replaces it, leaving nothing else behind.
    build_examples(&a);
    assert_eq!(first, files(&a));
    let mut left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["a", "b"]);
    // A folder that is not a site is never replaced.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    site(args![&root().join("examples"), "-o", &other])
        .code(2)
        .stderr(predicates::str::contains("not a site built by sopkit"));
    assert!(other.join("notes.txt").is_file());
}

#[test]
fn a_bundle_builds_a_site_with_hashes_and_a_bad_signature_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let key = keygen(tmp.path(), "key");
    let other = keygen(tmp.path(), "other");
    let pub_of = |k: &Path| PathBuf::from(format!("{}.pub", k.display()));
    let sign = key.to_string_lossy().into_owned();
    let b = bundle(
        &fixtures().join("bundle/v1"),
        tmp.path(),
        "1.0.0",
        &["--sign", &sign],
    );
    let out = tmp.path().join("site");
    site(args![&b, "-o", &out, "--key", &pub_of(&key)]).success();
    let manifest: serde_json::Value = {
        let listing = sopkit()
            .args(["bundle", "inspect", "--format", "json"])
            .arg(&b)
            .output()
            .unwrap();
        serde_json::from_slice(&listing.stdout).unwrap()
    };
    for d in manifest["documents"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        let page = html(&out.join(format!("sop/{id}.html")));
        let hash: String = page
            .select(&sel("code.hash"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(hash, d["md"]["sha256"].as_str().unwrap());
    }
    let footer: String = html(&out.join("index.html"))
        .select(&sel("footer"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(footer.contains("signature verified"), "{footer}");
    // Another key: refused, nothing written.
    let refused = tmp.path().join("refused");
    site(args![&b, "-o", &refused, "--key", &pub_of(&other)])
        .code(1)
        .stderr(predicates::str::contains("another key"));
    assert!(!refused.exists());
    // --key is for bundles: a folder with --key is a usage error, not an unchecked site.
    site(args![
        &root().join("examples"),
        "-o",
        &refused,
        "--key",
        &pub_of(&key)
    ])
    .code(2)
    .stderr(predicates::str::contains("give a bundle"));
    assert!(!refused.exists());
    // A tampered bundle: refused even without --key.
    let mut bytes = std::fs::read(&b).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0xff;
    let bad = tmp.path().join("bad.sopbundle.tar.gz");
    std::fs::write(&bad, bytes).unwrap();
    site(args![&bad, "-o", &refused]).failure();
    assert!(!refused.exists());
}

#[test]
fn previous_bundle_adds_the_changes_page() {
    let tmp = tempfile::tempdir().unwrap();
    let old = bundle(&fixtures().join("bundle/v1"), tmp.path(), "1.0.0", &[]);
    let new = bundle(&fixtures().join("bundle/v2"), tmp.path(), "2.0.0", &[]);
    let out = tmp.path().join("site");
    site(args![&new, "-o", &out, "--previous", &old]).success();
    let page = html(&out.join("changes.html"));
    let text: String = page.select(&sel("main")).next().unwrap().text().collect();
    let diff = sopkit()
        .args(["bundle", "diff", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    let diff: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    for d in diff["added"].as_array().unwrap() {
        assert!(text.contains(d["id"].as_str().unwrap()), "{text}");
    }
    for d in diff["changed"].as_array().unwrap() {
        assert!(text.contains(d["id"].as_str().unwrap()), "{text}");
        let bump = format!(
            "{} → {}",
            d["old_version"].as_str().unwrap(),
            d["new_version"].as_str().unwrap()
        );
        assert!(text.contains(&bump), "{text}");
    }
    assert!(!diff["changed"].as_array().unwrap().is_empty());
    // The navigation links the page from every page.
    let index = html(&out.join("index.html"));
    assert!(index
        .select(&sel("nav a"))
        .any(|a| a.value().attr("href") == Some("changes.html")));
    // A folder as input: compared with the bundle its documents would make, the same changes.
    let folder_out = tmp.path().join("folder-site");
    site(args![
        &fixtures().join("bundle/v2"),
        "-o",
        &folder_out,
        "--previous",
        &old
    ])
    .success();
    let folder_page = html(&folder_out.join("changes.html"));
    let folder_text: String = folder_page
        .select(&sel("main"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(folder_text.contains("to the folder "), "{folder_text}");
    let body = |t: &str| t[t.find("change (").unwrap()..].to_string();
    assert_eq!(body(&folder_text), body(&text));
}

#[test]
fn a_bundle_site_lints_with_config_when_given() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle(&fixtures().join("bundle/v2"), tmp.path(), "2.0.0", &[]);
    let findings = |out: &Path, extra: &[&std::ffi::OsStr]| -> String {
        let mut args: Vec<&std::ffi::OsStr> = vec![b.as_os_str(), "-o".as_ref(), out.as_os_str()];
        args.extend_from_slice(extra);
        let output = sopkit()
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["site", "build"])
            .args(&args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let default = findings(&tmp.path().join("a"), &[]);
    // A configuration that turns every rule off but one warning rule everywhere.
    let config = tmp.path().join("quiet.yaml");
    std::fs::write(&config, "rules:\n  select: [M001]\n").unwrap();
    let configured = findings(&tmp.path().join("b"), args!["--config", &config]);
    assert!(default.contains("lint:"), "{default}");
    assert!(
        configured.contains("lint: 0 errors, 0 warnings"),
        "{configured}"
    );
    assert_ne!(default, configured);
}

#[test]
fn roles_and_calendar_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_examples(&out);
    let roles = html(&out.join("roles.html"));
    let text: String = roles.select(&sel("main")).next().unwrap().text().collect();
    assert!(text.contains("Shift supervisor"), "{text}");
    assert!(text.contains("escalation level 2"), "{text}");
    let calendar = html(&out.join("calendar.html"));
    let headings: Vec<String> = calendar
        .select(&sel("main h2"))
        .map(|h| h.text().collect())
        .collect();
    assert!(!headings.is_empty());
    // Overdue first; months in order.
    let months: Vec<&String> = headings
        .iter()
        .filter(|h| h.len() == 7 && h.as_bytes()[4] == b'-')
        .collect();
    let mut sorted = months.clone();
    sorted.sort();
    assert_eq!(months, sorted);
    if let Some(i) = headings.iter().position(|h| h == "Overdue") {
        assert_eq!(i, 0);
    }
}

#[test]
fn headings_are_in_order_and_pages_are_accessible() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_examples(&out);
    for (name, bytes) in files(&out) {
        if !name.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        let root = doc.root_element();
        assert!(root.value().attr("lang").is_some(), "{name}");
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{name}");
        assert_eq!(doc.select(&sel("main")).count(), 1, "{name}");
        assert!(doc.select(&sel("meta[name=viewport]")).next().is_some());
        let mut last = 1;
        for h in doc.select(&sel("h1, h2, h3, h4, h5, h6")) {
            let level = h.value().name()[1..].parse::<u32>().unwrap();
            assert!(
                level <= last + 1,
                "{name}: <{}> after <h{last}>",
                h.value().name()
            );
            last = level;
        }
        for img in doc.select(&sel("img")) {
            assert!(img.value().attr("alt").is_some(), "{name}");
        }
    }
    let css = std::fs::read_to_string(out.join("assets/sopkit.css")).unwrap();
    let print = css
        .split("@media print")
        .nth(1)
        .expect("a print stylesheet");
    for hidden in ["header.site", "nav", ".search", ".no-print"] {
        assert!(print.contains(hidden), "{hidden} is printed");
    }
    assert!(print.contains("break-inside: avoid"));
    assert!(css.contains("max-width: 100%"));
}

#[test]
fn reviews_overdue_and_due_soon_are_marked_in_words_and_come_first() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir(&src).unwrap();
    // EPOCH is 2025-11-25.
    for (id, review, approvers) in [
        ("A-1", "2025-10-01", "[Head of Operations]"),
        ("B-2", "2025-12-10", "[Quality Lead, CFO]"),
        ("C-3", "2026-06-01", "[CFO]"),
    ] {
        std::fs::write(
            src.join(format!("{id}.md")),
            format!(
                "---\nid: {id}\ntitle: Procedure {id}\nversion: 1.0.0\nstatus: approved\nowner: Ops\napprovers: {approvers}\neffective: 2025-01-01\nreview_by: {review}\ntags: [ops]\n---\n# Procedure {id}\n\n## Procedure\n\n1. Do the thing.\n"
            ),
        )
        .unwrap();
    }
    let out = tmp.path().join("site");
    site(args![&src, "-o", &out]).success();
    let index = html(&out.join("index.html"));
    let marks: Vec<(String, String)> = index
        .select(&sel("#sops span.review"))
        .map(|s| {
            (
                s.value().attr("class").unwrap().to_string(),
                s.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            (
                "review overdue".to_string(),
                "overdue by 55 days".to_string()
            ),
            ("review due-soon".to_string(), "due in 15 days".to_string()),
        ]
    );
    let calendar = html(&out.join("calendar.html"));
    let headings: Vec<String> = calendar
        .select(&sel("main h2"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(headings, ["Overdue", "2025-12", "2026-06"]);
    // The header block of a page: version, approvers, review date and state.
    let page = html(&out.join("sop/B-2.html"));
    let header: String = page
        .select(&sel("dl.doc-control"))
        .next()
        .unwrap()
        .text()
        .collect();
    for want in ["1.0.0", "Quality Lead, CFO", "2025-12-10", "due in 15 days"] {
        assert!(header.contains(want), "{want}: {header}");
    }
    // Findings are shown on the page, not fatal to the build.
    let findings = page.select(&sel("section.findings li")).count();
    assert!(findings > 0, "the documents lack required sections");
}
