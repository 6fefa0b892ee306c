#!/usr/bin/env bash
# Times `sopkit lint` on N copies of the real runbooks in tests/corpora (default 10,000 files)
# against a bare pulldown-cmark parse of the same files (the `parse-only` bench binary).
# Usage: scripts/bench-corpus.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t src < <(find tests/corpora -name '*.md' | sort)
for ((i = 0; i < n; i++)); do
  f=${src[i % ${#src[@]}]}
  d="$work/c/$((i / 500))"
  mkdir -p "$d"
  cp "$f" "$d/$i-$(basename "$f")"
done
cargo build --release --quiet --bin sopkit --example parse-only
echo "files: $n, bytes: $(du -sb "$work/c" | cut -f1)"
time_of() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
parse=$(time_of target/release/examples/parse-only "$work/c")
lint=$(time_of target/release/sopkit lint --no-config --format concise "$work/c")
echo "bare pulldown-cmark parse: ${parse}s"
echo "sopkit lint:               ${lint}s"
echo "ratio: $(echo "scale=2; $lint / $parse" | bc)"
