#!/usr/bin/env python3
"""Issue 7's structure target: in how many documents that hold an ordered list of instructions
does `sopkit export` find at least one step?

    scripts/real-steps-found.py [--sopkit PATH] [--labels tests/real/steps.tsv] [--list]

Reads the labelled documents (repo, path, verdict yes|no, reason; documents under tests/real)
and prints, per repository, how many `yes` documents have steps (recall) and how many `no`
documents do (over-detection). `--list` names the misses and the over-detections, with the
`found_by` and `reason` that `sopkit export` gives for each step list.
"""
import argparse, collections, json, pathlib, subprocess
from concurrent.futures import ThreadPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parent.parent


def export(sopkit, path):
    out = subprocess.run([sopkit, "export", str(path)], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sopkit", default=str(ROOT / "target" / "debug" / "sopkit"))
    ap.add_argument("--labels", default=str(ROOT / "tests" / "real" / "steps.tsv"))
    ap.add_argument("--corpus", default=str(ROOT / "tests" / "real"))
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    lines = open(args.labels, encoding="utf-8").read().splitlines()[1:]
    rows = [l.split("\t") for l in lines if l.strip()]
    with ThreadPoolExecutor(4) as ex:
        docs = list(ex.map(lambda r: export(args.sopkit, pathlib.Path(args.corpus) / r[0] / r[1]), rows))
    per = collections.defaultdict(lambda: [0, 0, 0, 0])
    for r, d in zip(rows, docs):
        found = bool(d and d.get("steps"))
        s = per[r[0]]
        if r[2] == "yes":
            s[0] += 1
            s[1] += found
            if args.list and not found:
                print(f"MISS {r[0]}/{r[1]} | {r[3]}")
        else:
            s[2] += 1
            s[3] += found
            if args.list and found:
                why = "; ".join(f"{l['found_by']}: {l['reason']}" for l in d["step_lists"])
                print(f"OVER {r[0]}/{r[1]} | {r[3]} | {why}")
    total = [0, 0, 0, 0]
    print(f"{'repo':58} {'yes':>4} {'found':>5} {'share':>6} {'no':>3} {'found':>5}")
    for repo in sorted(per):
        s = per[repo]
        total = [a + b for a, b in zip(total, s)]
        print(f"{repo:58} {s[0]:4} {s[1]:5} {100 * s[1] / max(s[0], 1):5.1f}% {s[2]:3} {s[3]:5}")
    t = total
    print(f"{'TOTAL':58} {t[0]:4} {t[1]:5} {100 * t[1] / max(t[0], 1):5.1f}% {t[2]:3} {t[3]:5}")


if __name__ == "__main__":
    main()
