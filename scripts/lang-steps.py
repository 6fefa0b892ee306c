#!/usr/bin/env python3
"""Precision and recall of sopkit's step judgement on a labelled set of steps.

Usage: scripts/lang-steps.py LANG TSV [--bin PATH] [--show]

TSV: header `label kind domain text gloss`, label ok|bad. All steps go, in order, into one
SOP of language LANG (front matter, title, a procedure section) as a numbered list; sopkit
lints it with the preview rules on and no config; a step counts as flagged when any
finding is on its line. The same method as tests/it/lang.rs.
"""
import json, subprocess, sys, tempfile, os, collections

HEADINGS = {"en": "Procedure", "ms": "Prosedur", "id": "Prosedur", "hr": "Postupak", "fi": "Menettely"}

def main():
    args = sys.argv[1:]
    show = "--show" in args
    args = [a for a in args if a != "--show"]
    binary = "target/debug/sopkit"
    if "--bin" in args:
        i = args.index("--bin"); binary = args[i + 1]; del args[i:i + 2]
    lang, tsv = args
    rows = [l.rstrip("\n").split("\t") for l in open(tsv, encoding="utf-8")][1:]
    rows = [r for r in rows if len(r) >= 4]
    head = (f"---\nid: T-001\ntitle: Test\nversion: 1.0.0\nstatus: approved\nowner: Owner\n"
            f"approvers: [Approver]\neffective: 2026-01-01\nreview_by: 2027-12-01\nlang: {lang}\n---\n"
            f"# Test\n\n## {HEADINGS[lang]}\n\n")
    first = head.count("\n") + 1
    body = "".join(f"{i + 1}. {r[3]}\n" for i, r in enumerate(rows))
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "steps.md")
        open(p, "w", encoding="utf-8").write(head + body)
        out = subprocess.run([os.path.abspath(binary), "lint", "--no-config", "--preview", "--format", "json", "steps.md"],
                             cwd=d, capture_output=True, text=True)
    diags = json.loads(out.stdout)
    by_line = collections.defaultdict(list)
    for dg in diags:
        line = dg.get("line") or dg.get("location", {}).get("line") or dg.get("start", {}).get("line")
        by_line[line].append(dg.get("code"))
    tp = fp = fn = 0
    kinds = collections.Counter(); kinds_hit = collections.Counter()
    for i, r in enumerate(rows):
        codes = by_line.get(first + i, [])
        flagged = bool(codes)
        bad = r[0] == "bad"
        kinds[r[1]] += 1
        if flagged == bad: kinds_hit[r[1]] += 1
        tp += flagged and bad; fp += flagged and not bad; fn += bad and not flagged
        if show and flagged != bad:
            print(f"{'FP' if flagged else 'FN'}\t{r[1]}\t{','.join(codes)}\t{r[3]}")
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    print(f"{lang}: precision {prec:.3f} ({tp}/{tp + fp})  recall {rec:.3f} ({tp}/{tp + fn})")
    print("  per kind (correct/total): " + ", ".join(f"{k} {kinds_hit[k]}/{kinds[k]}" for k in sorted(kinds)))

main()
