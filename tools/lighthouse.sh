#!/usr/bin/env bash
# Lighthouse scores for the Korean and English timelines and an event page (not part of CI).
# Usage: tools/lighthouse.sh [PORT]   (needs npm and Debian's chromium; about 15 s a page)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8765}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
# Build with base_url on this origin, so canonical and hreflang point at the pages Lighthouse sees.
.venv/bin/python build.py --out "$work/site" --base-url "http://127.0.0.1:$port/" --cache "$work/cache" >/dev/null 2>&1
.venv/bin/python tools/gzip_server.py "$port" "$work/site" &  # gzip, as real hosts serve it
server=$!
sleep 1
event=$(ls "$work/site/ko/events" | head -n 1)
for page in ko/ en/ "ko/events/$event/"; do
  name=$(echo "$page" | tr '/' '_')
  TMPDIR="$work" CHROME_PATH=/usr/bin/chromium npx --yes lighthouse@12 "http://127.0.0.1:$port/$page" \
    --quiet --no-enable-error-reporting --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$work/lh-$name.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --host-resolver-rules='MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'" \
    >/dev/null 2>&1 || true
  python3 - "$work/lh-$name.json" "$page" <<'PY'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print(f"{sys.argv[2]:40s} lighthouse did not produce a report"); sys.exit(0)
scores = {k: round((v["score"] or 0) * 100) for k, v in report["categories"].items()}
print(f"{sys.argv[2]:40s}", "  ".join(f"{k} {v}" for k, v in scores.items()))
for key, category in report["categories"].items():
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"    {key}: {ref['id']} ({audit['score']})")
PY
done
