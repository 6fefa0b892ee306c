//! Lint speed against a bare pulldown-cmark parse of the same files (the yardstick: lint within
//! 3× of it). The corpus is the real runbooks under tests/corpora, replicated to
//! `SOPKIT_BENCH_FILES` files (default 2,000). Both sides use all cores through rayon.
//!
//! Run with `cargo bench --bench lint`; `scripts/bench-corpus.sh` times the CLI on 10,000 files.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;
use sopkit::lint::{Input, Linter};
use sopkit::settings::Settings;

fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpora");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    files.push((p.display().to_string(), text));
                }
            }
        }
    }
    files.sort();
    let want: usize = std::env::var("SOPKIT_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    (0..want)
        .map(|i| {
            let (path, text) = &files[i % files.len()];
            (format!("{path}.{i}"), text.clone())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    let parse = || {
        let mut opts = Options::empty();
        opts.insert(Options::ENABLE_TABLES);
        opts.insert(Options::ENABLE_STRIKETHROUGH);
        opts.insert(Options::ENABLE_TASKLISTS);
        files
            .par_iter()
            .map(|(_, text)| Parser::new_ext(text, opts).into_offset_iter().count())
            .sum::<usize>()
    };
    let linter = Linter::with_defaults(Settings::default());
    let lint = || {
        let inputs = files
            .iter()
            .map(|(p, t)| Input {
                path: p.clone(),
                bytes: Ok(t.clone().into_bytes()),
            })
            .collect();
        linter.run(inputs).len()
    };
    group.bench_function("pulldown_cmark_parse", |b| b.iter(parse));
    group.bench_function("sopkit_lint", |b| b.iter(lint));
    group.finish();

    // The table's ratio, measured here: medians of interleaved runs of both sides, so that a
    // machine busy with other work skews them alike.
    let time = |f: &dyn Fn() -> usize| {
        let start = std::time::Instant::now();
        std::hint::black_box(f());
        start.elapsed().as_secs_f64()
    };
    let (mut floor, mut ours) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        floor.push(time(&parse));
        ours.push(time(&lint));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (floor, ours) = (median(&mut floor), median(&mut ours));
    println!(
        "lint / pulldown-cmark parse: {:.3} s / {:.3} s = {:.2}x (aim: <= 3x; {} files)",
        ours,
        floor,
        ours / floor,
        files.len()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
