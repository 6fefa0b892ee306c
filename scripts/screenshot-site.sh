#!/usr/bin/env bash
# Screenshots of the portal with headless Chromium (Debian's `chromium` package), when it is
# installed: builds the site of examples/ and writes docs/site-index.png and docs/site-sop.png.
#   scripts/screenshot-site.sh [SOPKIT_BINARY] [OUT_DIR]
# Exits 0 without screenshots when no Chromium is found (CI does not need a browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/sopkit}
out=${2:-docs}
browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
  echo "no Chromium found: install it (apt-get install chromium) to take screenshots" >&2
  exit 0
fi
[ -x "$bin" ] || cargo build --quiet
site=$(mktemp -d)/site
# A fixed date, so that the screenshots show the same review states on every run.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795564800} "$bin" site build examples -o "$site" >/dev/null
mkdir -p "$out"
shot() { # URL FILE WIDTH HEIGHT
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$3,$4" --screenshot="$2" "$1" >/dev/null 2>&1
  echo "wrote $2"
}
shot "file://$site/index.html" "$out/site-index.png" 1200 1100
shot "file://$site/sop/CS-001.html" "$out/site-sop.png" 1000 2200
if [ "${NARROW:-0}" = 1 ]; then
  shot "file://$site/sop/CS-001.html" "$out/site-sop-320.png" 320 1600
fi
# The search script, run by the browser from file://: a query in the URL filters the table.
count=$("$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$site/index.html?q=refund" 2>/dev/null \
  | sed -n 's/.*<p id="count"[^>]*>\([^<]*\)<.*/\1/p')
echo "search 'refund': ${count:-no result (the script did not run)}"
[ -n "$count" ]
if [ "${PDF:-0}" = 1 ]; then  # PDF=1: also print CS-001 to PDF, as a reader would
  "$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$out/site-sop-print.pdf" "file://$site/sop/CS-001.html" >/dev/null 2>&1
  echo "wrote $out/site-sop-print.pdf"
fi
