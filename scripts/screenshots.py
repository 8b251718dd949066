"""Screenshots of the HTML report in headless Chromium, for the docs.

    python scripts/screenshots.py [--report reports] [--out docs]

Writes ``docs/report_index.png`` (the report's index page) and ``docs/report_chart.png`` (one
chart as the report shows it). Needs Debian's ``chromium`` (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]


def find_chromium() -> str | None:
    """Path of a Chromium binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium(args: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    """Run headless Chromium with a fresh profile and the flags this machine needs."""
    binary = find_chromium()
    if binary is None:
        raise RuntimeError("Chromium not found: apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)


def screenshot(url: str, target: Path, width: int = 1200, height: int = 1400) -> Path:
    """Save a PNG screenshot of ``url``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    chromium([f"--screenshot={target}", f"--window-size={width},{height}", url])
    if not target.exists():
        raise RuntimeError(f"Chromium wrote no screenshot for {url}")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--report", type=Path, default=ROOT / "reports")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    index = (args.report / "index.html").resolve()
    if not index.exists():
        print(f"{index} does not exist: run `make report` first", file=sys.stderr)
        return 1
    screenshot(index.as_uri(), args.out / "report_index.png")
    charts = sorted((args.report / "figures").glob("03_tone*.png")) or sorted(
        (args.report / "figures").glob("*.png"))
    chart_page = (args.report / charts[0].name.replace(".png", ".html")).resolve()
    chart_page.write_text(f"<!doctype html><img src='figures/{charts[0].name}'>",
                          encoding="utf-8")
    try:
        screenshot(chart_page.as_uri(), args.out / "report_chart.png", 1000, 700)
    finally:
        chart_page.unlink()
    print(f"wrote {args.out / 'report_index.png'} and {args.out / 'report_chart.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
