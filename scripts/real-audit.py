#!/usr/bin/env python3
"""The precision audit on tests/real (issue 7).

    scripts/real-audit.py collect [--sopkit PATH] [--preview] > findings.json
        lint every repository under tests/real with its own sopkit.yaml (JSON findings,
        each tagged with its repository)
    scripts/real-audit.py sample findings.json --n 300 --seed S [--exclude audit.tsv] > sample.tsv
        a stratified random sample for an independent judge: every rule that fires gets at least
        8 findings (all of them if it has fewer), every repository at least 10, and the rest is a
        simple random sample of the remaining findings
    scripts/real-audit.py score findings.json audit.tsv
        precision of the judged findings that the current build still reports: per rule, over
        the sample, and weighted by how often each rule fires

The TSV columns: repo, path, line, column, code, message, verdict (real|false), reason.
"""
import argparse, collections, json, os, pathlib, random, subprocess, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "real"
COLUMNS = ["repo", "path", "line", "column", "code", "message", "verdict", "reason"]
MIN_PER_RULE = 8
MIN_PER_REPO = 10


def collect(args):
    sopkit = os.path.abspath(args.sopkit or str(ROOT / "target" / "release" / "sopkit"))
    out = []
    for repo in sorted(p for p in REAL.iterdir() if p.is_dir()):
        env = dict(os.environ, SOPKIT_TODAY=args.today, NO_COLOR="1")
        extra = ["--preview"] if args.preview else []
        res = subprocess.run([sopkit, "lint", "--format", "json", *extra, "."], cwd=repo,
                             capture_output=True, text=True, env=env)
        if res.returncode not in (0, 1):
            sys.exit(f"{repo.name}: exit {res.returncode}\n{res.stderr}")
        for f in json.loads(res.stdout):
            f["repo"] = repo.name
            out.append(f)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=0)


def clean(message):
    return message.replace("\t", " ").replace("\n", " ")


def key(f):
    return (f["repo"], f["path"], int(f["line"]), int(f["column"]), f["code"], clean(f["message"]))


def read_tsv(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:] if l.strip()]


def sample(args):
    findings = json.load(open(args.findings, encoding="utf-8"))
    skip = {key(r) for r in read_tsv(args.exclude)} if args.exclude else set()
    pool = sorted((f for f in findings if key(f) not in skip), key=key)
    rng = random.Random(args.seed)
    chosen = {}
    by_rule = collections.defaultdict(list)
    by_repo = collections.defaultdict(list)
    for f in pool:
        by_rule[f["code"]].append(f)
        by_repo[f["repo"]].append(f)
    for code in sorted(by_rule):
        # Spread a rule's quota over the repositories where it fires.
        groups = collections.defaultdict(list)
        for f in by_rule[code]:
            groups[f["repo"]].append(f)
        for g in groups.values():
            rng.shuffle(g)
        order = sorted(groups)
        rng.shuffle(order)
        taken = 0
        while taken < MIN_PER_RULE and any(groups[r] for r in order):
            for r in order:
                if groups[r] and taken < MIN_PER_RULE:
                    f = groups[r].pop()
                    chosen[key(f)] = f
                    taken += 1
    for repo in sorted(by_repo):
        have = sum(1 for k in chosen if k[0] == repo)
        rest = [f for f in by_repo[repo] if key(f) not in chosen]
        for f in rng.sample(rest, max(0, min(MIN_PER_REPO - have, len(rest)))):
            chosen[key(f)] = f
    rest = [f for f in pool if key(f) not in chosen]
    for f in rng.sample(rest, max(0, min(args.n - len(chosen), len(rest)))):
        chosen[key(f)] = f
    print("\t".join(COLUMNS))
    for k in sorted(chosen):
        f = chosen[k]
        print("\t".join([f["repo"], f["path"], str(f["line"]), str(f["column"]), f["code"], clean(f["message"]), "", ""]))


def score(args):
    findings = json.load(open(args.findings, encoding="utf-8"))
    present = {key(f) for f in findings}
    fires = collections.Counter(f["code"] for f in findings)
    rows = read_tsv(args.audit)
    judged = [r for r in rows if (r["repo"], r["path"], int(r["line"]), int(r["column"]), r["code"], r["message"]) in present]
    per = collections.defaultdict(lambda: [0, 0])
    for r in judged:
        per[r["code"]][0] += r["verdict"] == "real"
        per[r["code"]][1] += 1
    total_real = sum(v[0] for v in per.values())
    total = sum(v[1] for v in per.values())
    print(f"{len(rows)} judged, {total} still reported, {len(findings)} findings in all")
    print(f"{'rule':8} {'fires':>6} {'real':>5} {'n':>4} {'precision':>9}")
    weighted = 0.0
    covered = 0
    for code in sorted(set(per) | set(fires)):
        real, n = per.get(code, (0, 0))
        p = real / n if n else float("nan")
        print(f"{code:8} {fires[code]:6} {real:5} {n:4} {p:9.3f}")
        if n:
            weighted += fires[code] * p
            covered += fires[code]
    if total:
        print(f"sample precision {total_real}/{total} = {total_real / total:.3f}")
    if covered:
        print(f"precision weighted by how often each rule fires: {weighted / covered:.3f}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--sopkit")
    c.add_argument("--today", default="2026-11-25")
    c.add_argument("--preview", action="store_true", help="the preview rules too")
    s = sub.add_parser("sample")
    s.add_argument("findings")
    s.add_argument("--n", type=int, default=300)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--exclude")
    sc = sub.add_parser("score")
    sc.add_argument("findings")
    sc.add_argument("audit")
    args = ap.parse_args()
    {"collect": collect, "sample": sample, "score": score}[args.cmd](args)


if __name__ == "__main__":
    main()
