//! The yardstick for scripts/bench-corpus.sh: walk, read and pulldown-cmark-parse every
//! Markdown file under a directory, in parallel, doing nothing else.

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let files: Vec<_> = ignore::WalkBuilder::new(dir)
        .build()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let events: usize = files
        .par_iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| Parser::new_ext(&text, opts).into_offset_iter().count())
        .sum();
    println!("{} files, {events} events", files.len());
}
