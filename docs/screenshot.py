"""Render an HTML file to a PNG in headless Chromium (the settings the browser tests use).

    python docs/screenshot.py audit.html docs/audit-page.png [--width 1100] [--height 1400] [--dark]

Needs Playwright for Python (`pip install ".[browser]"`) and a Chromium at
$CHROMIUM (default /usr/bin/chromium, Debian's `chromium` package); it never
downloads a browser.  The page is shown whole (full-page screenshot).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def screenshot(
    page_file: Path, png: Path, width: int = 1100, dark: bool = False, height: int | None = None
) -> None:
    """Save a PNG of `page_file` as Chromium shows it: the whole page, or its
    first `height` pixels."""
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=ARGS,
            viewport={"width": width, "height": height or 800},
            color_scheme="dark" if dark else "light",
        )
        try:
            page = browser.new_page()
            page.goto(page_file.resolve().as_uri())
            page.screenshot(path=str(png), full_page=height is None)
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the HTML file")
    parser.add_argument("png", type=Path, help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1100, help="viewport width in CSS pixels")
    parser.add_argument("--height", type=int, help="only the top of the page, this tall")
    parser.add_argument("--dark", action="store_true", help="emulate prefers-color-scheme: dark")
    args = parser.parse_args()
    screenshot(args.page, args.png, args.width, args.dark, args.height)


if __name__ == "__main__":
    main()
