#!/usr/bin/env bash
# Runs each fuzz target (fuzz/fuzz_targets/) for a while: 60 s each by default, or
# FUZZ_SECONDS. Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`); exits 0
# with a message when either is missing, so CI may call it optionally.
#   scripts/fuzz-smoke.sh                 # every target, 60 s each
#   FUZZ_SECONDS=1800 scripts/fuzz-smoke.sh lint
#   SANITIZER=address scripts/fuzz-smoke.sh   # with AddressSanitizer (slower)
# Crashes land in fuzz/artifacts/<target>/; a crash found becomes a regression test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz-smoke: no nightly toolchain (rustup toolchain install nightly); skipped"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz-smoke: cargo-fuzz is missing (cargo install cargo-fuzz); skipped"
  exit 0
fi
seconds=${FUZZ_SECONDS:-60}
# sopkit has no unsafe code, so AddressSanitizer finds nothing a panic would not; without it
# the targets build and run several times faster. SANITIZER=address brings it back.
sanitizer=${SANITIZER:-none}
# 16 codegen units: the build takes minutes instead of most of an hour on 2 cores.
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(lint config bundle)
[ -d fuzz/corpus/lint ] || fuzz/seeds.sh
status=0
for t in "${targets[@]}"; do
  echo "== $t: ${seconds} s"
  mkdir -p "fuzz/corpus/$t"
  if ! cargo +nightly fuzz run -s "$sanitizer" --codegen-units 16 "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -max_len=131072 -dict=fuzz/sopkit.dict \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1; then
    echo "fuzz-smoke: $t found a crash (see fuzz/artifacts/$t/)"
    status=1
  fi
done
exit $status
