#!/usr/bin/env bash
# Prints each row of the performance table (issue 9) as a ratio to its floor, measured in the
# same run: medians of interleaved runs, so that a machine shared with other work skews both
# sides alike.
#
#   floor                  walk + read + pulldown-cmark of the corpus (the `parse-only` example)
#   concise, human         `sopkit lint` on N copies of tests/corpora (default 10,000 files)
#   memory                 peak RSS at 20,000 files / peak RSS at 2,500 files
#   one SOP                one 2 KB SOP, cold process / `sopkit --version`
#   1 MB P004, 1 MB human  the two 1 MB stress files: time and peak RSS, and the ratio of a
#                          2 MB file to the 1 MB one (linear: about 2)
#
# Usage: scripts/bench-corpus.sh [N] [RUNS]
# Env: PROFILE (cargo profile, default release), SKIP_BUILD=1 to use the binaries as built.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-5}
profile=${PROFILE:-release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ -z ${SKIP_BUILD:-} ]]; then
  cargo build --profile "$profile" --quiet --bin sopkit --example parse-only
fi
bin=target/$profile/sopkit
floor_bin=target/$profile/examples/parse-only

mapfile -t src < <(find tests/corpora -name '*.md' | sort)
corpus() { # corpus COUNT DIR
  local i d
  for ((i = 0; i < $1; i++)); do
    d="$2/$((i / 500))"
    mkdir -p "$d"
    cp "${src[i % ${#src[@]}]}" "$d/$i-$(basename "${src[i % ${#src[@]}]}")"
  done
}
corpus "$n" "$work/c"
corpus 2500 "$work/m2k5"
corpus 20000 "$work/m20k"
head -c 2048 examples/refund-approval.md >"$work/one.md"

# The stress files: a list whose sub-steps restart it (a P004 finding per step), and a file
# with a finding on nearly every line (human format), at 1 MB and 2 MB.
stress() { # stress KIND BYTES FILE
  python3 - "$1" "$2" "$3" <<'PY'
import sys
kind, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
head = open("examples/refund-approval.md").read().split("## Procedure")[0] + "## Procedure\n"
if kind == "p004":
    line = lambda i: f"{i % 3 + 1}. Check the refund amount twice now.\n"
else:
    line = lambda i: f"{i + 1}. Maybe you should probably check stuff etc. as needed.\n"
body, i = [], 0
total = len(head)
while total < size:
    body.append(line(i)); total += len(body[-1]); i += 1
open(out, "w").write(head + "".join(body))
PY
}
stress p004 1000000 "$work/p004-1.md"
stress p004 2000000 "$work/p004-2.md"
stress many 1000000 "$work/many-1.md"
stress many 2000000 "$work/many-2.md"

echo "files: $n, bytes: $(du -sb "$work/c" | cut -f1); medians of $runs interleaved runs"

# seconds COMMAND...: wall time of one run, output discarded. Bash's own clock, not `date`:
# forking `date` added about 2 ms to every run, which made the one-file ratio look better.
seconds() {
  local s e
  s=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || true
  e=$EPOCHREALTIME
  echo "$e - $s" | bc
}
# peak_mib lint|human ARGS...: peak resident memory of one sopkit run, in MiB. GNU time runs
# the binary itself (it cannot run the shell functions below: it measured its own failed exec).
peak_mib() {
  local how=$1
  shift
  case $how in
    lint) /usr/bin/time -f '%M' -o "$work/rss" "$bin" lint --no-config "$@" >/dev/null 2>&1 || true ;;
    human) NO_COLOR=1 /usr/bin/time -f '%M' -o "$work/rss" "$bin" lint --no-config --format human "$@" >/dev/null 2>&1 || true ;;
  esac
  echo "scale=1; $(tail -1 "$work/rss") / 1024" | bc
}
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
ratio() { echo "scale=2; $1 / $2" | bc; }

declare -A t
lint() { "$bin" lint --no-config "$@"; }
human() { NO_COLOR=1 "$bin" lint --no-config --format human "$@"; }
for ((r = 0; r < runs; r++)); do
  t[floor]+="$(seconds "$floor_bin" "$work/c")"$'\n'
  t[concise]+="$(seconds lint --format concise "$work/c")"$'\n'
  t[human]+="$(seconds human "$work/c")"$'\n'
  t[version]+="$(seconds "$bin" --version)"$'\n'
  t[one]+="$(seconds lint --format concise "$work/one.md")"$'\n'
  t[mem2k5]+="$(peak_mib lint --format concise "$work/m2k5")"$'\n'
  t[mem20k]+="$(peak_mib lint --format concise "$work/m20k")"$'\n'
  t[p004_1]+="$(seconds lint --format concise "$work/p004-1.md")"$'\n'
  t[p004_2]+="$(seconds lint --format concise "$work/p004-2.md")"$'\n'
  t[many_1]+="$(seconds human "$work/many-1.md")"$'\n'
  t[many_2]+="$(seconds human "$work/many-2.md")"$'\n'
done
declare -A m
for k in "${!t[@]}"; do m[$k]=$(printf '%s' "${t[$k]}" | median); done
p004_mem=$(peak_mib lint --format concise "$work/p004-1.md")
many_mem=$(peak_mib human "$work/many-1.md")

printf '%-34s %10s %10s %8s  %s\n' row measured floor ratio aim
printf '%-34s %9.3fs %10s %8s\n' "floor (walk+read+pulldown-cmark)" "${m[floor]}" - 1.00
printf '%-34s %9.3fs %9.3fs %7sx  %s\n' "concise, $n files" "${m[concise]}" "${m[floor]}" "$(ratio "${m[concise]}" "${m[floor]}")" "<= 3x"
printf '%-34s %9.3fs %9.3fs %7sx  %s\n' "human, $n files" "${m[human]}" "${m[floor]}" "$(ratio "${m[human]}" "${m[floor]}")" "<= 5x"
printf '%-34s %8sMi %8sMi %7sx  %s\n' "peak memory 20k / 2.5k files" "${m[mem20k]}" "${m[mem2k5]}" "$(ratio "${m[mem20k]}" "${m[mem2k5]}")" "<= 1.5x"
printf '%-34s %9.3fs %9.3fs %7sx  %s\n' "one 2 KB SOP / --version" "${m[one]}" "${m[version]}" "$(ratio "${m[one]}" "${m[version]}")" "<= 4x"
printf '%-34s %9.3fs %9.3fs %7sx  %s\n' "P004 list 2 MB / 1 MB" "${m[p004_2]}" "${m[p004_1]}" "$(ratio "${m[p004_2]}" "${m[p004_1]}")" "~2x (linear)"
printf '%-34s %8sMi %10s %8s  %s\n' "P004 list 1 MB, peak memory" "$p004_mem" - - "< 200 MiB"
printf '%-34s %9.3fs %9.3fs %7sx  %s\n' "human, findings 2 MB / 1 MB" "${m[many_2]}" "${m[many_1]}" "$(ratio "${m[many_2]}" "${m[many_1]}")" "~2x (linear)"
printf '%-34s %8sMi %10s %8s  %s\n' "human, findings 1 MB, peak memory" "$many_mem" - - "< 200 MiB"
