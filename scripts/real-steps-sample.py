#!/usr/bin/env python3
"""Draw a stratified random sample of documents under tests/real that contain an ordered list
(a line `1.` / `1)` outside fenced code), for an independent judge to label: does the document
hold an ordered list of instructions (procedure steps)?  Output: TSV on stdout
(repo, path, verdict, reason) with verdict and reason left empty.

    scripts/real-steps-sample.py --per-repo 15 --seed 7 > /tmp/steps-sample.tsv
"""
import argparse, pathlib, random, re

ROOT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "real"
ORDERED = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+\S")
FENCE = re.compile(r"^\s*(```|~~~)")


def has_ordered_list(text):
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and ORDERED.match(line):
            return True
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-repo", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--exclude", help="a TSV whose (repo, path) rows are left out")
    args = ap.parse_args()
    skip = set()
    if args.exclude:
        for line in open(args.exclude, encoding="utf-8").read().splitlines()[1:]:
            cols = line.split("\t")
            skip.add((cols[0], cols[1]))
    rng = random.Random(args.seed)
    print("repo\tpath\tverdict\treason")
    for repo in sorted(p for p in ROOT.iterdir() if p.is_dir()):
        docs = []
        for f in sorted(repo.rglob("*")):
            if not f.is_file() or not re.search(r"\.(md|markdown|md\.erb)$", f.name):
                continue
            rel = f.relative_to(repo).as_posix()
            if (repo.name, rel) in skip:
                continue
            if has_ordered_list(f.read_text(encoding="utf-8", errors="replace")):
                docs.append(rel)
        for rel in sorted(rng.sample(docs, min(args.per_repo, len(docs)))):
            print(f"{repo.name}\t{rel}\t\t")


if __name__ == "__main__":
    main()
