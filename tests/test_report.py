"""The HTML report: built by papermill on a small hostile corpus, checked in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config
from analysis.report import build_report, notebook_paths

pytestmark = pytest.mark.slow
sys.path.insert(0, str(config.PROJECT_ROOT / "scripts"))
from screenshots import chromium, find_chromium  # noqa: E402

HOSTILE_OUTLET = "<script>document.title='PWNED'</script>Le Canard Hostile"


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory, seed_path, demo_corpus_path) -> Path:
    rows = [json.loads(line) for line in demo_corpus_path.read_text(encoding="utf-8").splitlines()]
    rows = sorted(rows, key=lambda r: len(r["text"]))[:5]
    rows.append({"id": "hostile", "outlet": HOSTILE_OUTLET, "date": "2021-04-20",
                 "text": "<img src=x onerror=\"document.title='PWNED'\">Le Kremlin dénonce les "
                         "provocations de l'Otan, a déclaré le porte-parole Dmitri Peskov."})
    base = tmp_path_factory.mktemp("report")
    corpus = base / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                      encoding="utf-8")
    build_report([seed_path, corpus], base / "tables", base / "reports", n_boot=100)
    return base / "reports"


def test_report_renders_every_notebook_and_figure(report_dir):
    index = (report_dir / "index.html").read_text(encoding="utf-8")
    for notebook in notebook_paths():
        assert (report_dir / f"{notebook.stem}.html").exists()
        assert f"href='{notebook.stem}.html'" in index
    figures = sorted((report_dir / "figures").glob("*.png"))
    assert len(figures) >= 8
    for figure in figures:
        assert f"figures/{figure.name}" in index
        assert figure.with_suffix(".svg").exists()


def test_corpus_html_is_escaped_in_every_page(report_dir):
    for page in sorted(report_dir.glob("*.html")):
        content = page.read_text(encoding="utf-8")
        assert "<script>document.title='PWNED'</script>" not in content, page.name
        assert "onerror=\"document.title" not in content, page.name


@pytest.fixture(scope="module")
def chromium_binary() -> str:
    binary = find_chromium()
    if binary is None and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "chromium"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
            subprocess.run(install, env=env, capture_output=True)
        binary = find_chromium()
    if binary is None:
        pytest.skip("headless browser check not run: Chromium is not installed and could not be "
                    "installed (apt-get install chromium)")
    return binary


def test_report_opens_in_headless_chromium_and_runs_no_corpus_script(report_dir, chromium_binary):
    index = (report_dir / "index.html").resolve()
    dom = chromium(["--dump-dom", "--virtual-time-budget=3000", index.as_uri()]).stdout
    assert "<title>Conflict media analysis report</title>" in dom
    assert "PWNED" not in dom.split("<body", 1)[0]
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;Le Canard Hostile" in dom
    assert dom.count("<img ") >= 8
    page = (report_dir / "02_corpus_overview.html").resolve()
    dom = chromium(["--dump-dom", "--virtual-time-budget=3000", page.as_uri()]).stdout
    assert "<title>PWNED" not in dom and "Le Canard Hostile" in dom


def test_report_screenshot_shows_content(report_dir, chromium_binary, tmp_path):
    from screenshots import screenshot

    shot = screenshot((report_dir / "index.html").resolve().as_uri(), tmp_path / "index.png")
    from PIL import Image

    image = Image.open(shot).convert("L")
    low, high = image.getextrema()
    assert high - low > 100, "the screenshot is blank"
