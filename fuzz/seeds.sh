#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets in fuzz/corpus/<target>/ from the project's own
# data: examples/, tests/fixtures/, the corpora and the real repositories (lint); every
# configuration and rule pack (config); bundles built from examples/, signed with the fuzz
# seed key fuzz/seed.key and unsigned (bundle). Usage: fuzz/seeds.sh [SOPKIT_BINARY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --quiet
  bin=target/debug/sopkit
fi
out=fuzz/corpus
mkdir -p "$out/lint" "$out/config" "$out/bundle"

# lint: every Markdown file up to 128 KB, named by its hash (so reruns add nothing twice).
find examples tests/fixtures tests/corpora tests/real -name '*.md' -size -128k -print0 |
  while IFS= read -r -d '' f; do
    cp "$f" "$out/lint/$(sha1sum "$f" | cut -c1-16)"
  done

# config: each configuration alone, and each with each shipped pack after a NUL byte.
mapfile -t configs < <(find examples templates tests/fixtures tests/real -name 'sopkit.yaml' | sort)
mapfile -t packs < <(find rules tests/fixtures/packs -name '*.yaml' | sort)
i=0
for c in "${configs[@]}"; do
  cp "$c" "$out/config/config-$i"
  i=$((i + 1))
done
for p in "${packs[@]}"; do
  { printf 'packs: [pack.yaml]\n'; printf '\0'; cat "$p"; } >"$out/config/pack-$i"
  i=$((i + 1))
done

# bundle: the first byte says how the rest is read (see sopkit::fuzzing::bundle).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOURCE_DATE_EPOCH=0 "$bin" bundle build examples/*.md examples/ms --name fuzz --version 1.0.0 -o "$tmp/signed" --sign fuzz/seed.key --include-drafts >/dev/null 2>&1 || true
SOURCE_DATE_EPOCH=0 "$bin" bundle build examples/*.md examples/ms --name fuzz --version 1.0.0 -o "$tmp/plain" --include-drafts >/dev/null 2>&1 || true
n=0
for b in "$tmp"/signed/*.sopbundle.tar.gz "$tmp"/plain/*.sopbundle.tar.gz; do
  [ -f "$b" ] || continue
  { printf '\1'; cat "$b"; } >"$out/bundle/gz-$n"
  { printf '\0'; gzip -dc "$b"; } >"$out/bundle/tar-$n"
  n=$((n + 1))
done
echo "seeds: $(ls "$out/lint" | wc -l) lint, $(ls "$out/config" | wc -l) config, $(ls "$out/bundle" | wc -l) bundle"
