#!/usr/bin/env bash
# Checks that the startup timeline renders in a real browser, and keeps the picture.
#
# 1. Runs DemoReportHtmlIT: the demo starts against a database port that refuses connections, the
#    database appears a few seconds later, and the demo writes its --report-html timeline to
#    examples/target/coldstart/demo-late-database.html (a real start with a retried component).
# 2. Opens that file in headless Chromium (Debian's `chromium` package): the DOM after its script
#    ran must hold a timeline row per component (at least the 3 database ones), and the screenshot must be a 1400x600 PNG that
#    is not blank.
# 3. Writes the screenshot to the path given (default docs/timeline.png).
#
# Needs PostgreSQL on 127.0.0.1:5432 (as ./mvnw verify does) and /usr/bin/chromium (or CHROMIUM=path).
# It is a script rather than a test so that ./mvnw verify passes on a machine without Chromium;
# without Chromium this script fails and says so: it never reports a check it did not make.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/timeline.png}
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "screenshot.sh: chromium not installed at $chromium (apt-get install -y chromium, or set CHROMIUM)." >&2
  echo "screenshot.sh: NOT CHECKED: the timeline was not rendered in a browser." >&2
  exit 1
fi

./mvnw -B -q -pl examples -am verify -Dtest=DemoReportHtmlIT -Dsurefire.failIfNoSpecifiedTests=false
html="$PWD/examples/target/coldstart/demo-late-database.html"
[ -s "$html" ] || { echo "screenshot.sh: $html was not written" >&2; exit 1; }

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
browser() {
  "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" "$@" 2>"$profile/stderr.log"
}

rows=$(browser --dump-dom "file://$html" | grep -o '<g class="row' | wc -l)
if [ "$rows" -lt 3 ]; then
  echo "screenshot.sh: Chromium's DOM holds $rows timeline rows, expected at least 3 (demo-db, demo-migrations, demo-seed)" >&2
  exit 1
fi

mkdir -p "$(dirname "$out")"
browser --screenshot="$out" --window-size=1400,600 "file://$html" >/dev/null

python3 - "$out" "$rows" <<'EOF'
import struct, sys, zlib
path = sys.argv[1]
data = open(path, 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
    sys.exit(f"screenshot.sh: {path} is not a PNG")
width, height = struct.unpack('>II', data[16:24])
if (width, height) != (1400, 600):
    sys.exit(f"screenshot.sh: {path} is {width}x{height}, expected 1400x600")
idat, i = b'', 8
while i < len(data):
    length, kind = struct.unpack('>I4s', data[i:i + 8])
    if kind == b'IDAT':
        idat += data[i + 8:i + 8 + length]
    i += 12 + length
raw = zlib.decompress(idat)
# Filtered scanlines of a blank page are almost all one value; a drawn timeline is not.
busy = sum(1 for b in raw if b not in (0, 255)) / len(raw)
if busy < 0.01:
    sys.exit(f"screenshot.sh: {path} looks blank ({busy:.2%} of bytes carry drawing)")
print(f"screenshot.sh: checked in Chromium: {sys.argv[2]} timeline rows, {path} {width}x{height}, {busy:.1%} drawn")
EOF
