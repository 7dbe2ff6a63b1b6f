"""Screenshots of built pages at phone and desktop widths, light and dark, for a human to look at.

Usage: .venv/bin/python tools/screenshots.py [--site _site] [--out shots] PAGE...
Pages are site-relative paths such as ko/ or en/events/<slug>/.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--site", type=Path, default=Path("_site"))
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "shots")
    parser.add_argument("--widths", default="360,1280")
    parser.add_argument("--schemes", default="light,dark")
    parser.add_argument("--full", action="store_true", help="whole page, not just the first screen")
    parser.add_argument("--print", dest="print_pdf", action="store_true", help="also print each page to PDF")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(args.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for page_path in args.pages:
            for width in (int(w) for w in args.widths.split(",")):
                for scheme in args.schemes.split(","):
                    page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 780},
                                            color_scheme=scheme)
                    page.goto(base + page_path)
                    name = f"{page_path.strip('/').replace('/', '_') or 'root'}-{width}-{scheme}.png"
                    page.screenshot(path=str(args.out / name), full_page=args.full)
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                    print(args.out / name, "horizontal overflow px:", overflow)
                    if args.print_pdf and scheme == "light" and width > 600:
                        page.pdf(path=str(args.out / name.replace(".png", ".pdf")))
                    page.close()
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
