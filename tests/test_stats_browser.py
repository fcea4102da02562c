"""The `stats --html` page in a real browser: headless Chromium loads it, draws it, shows it.

Chromium is Debian's `chromium` package (.ci/run installs it); without it these tests
are skipped. The page has no script of its own: the test loads it inside a frame of a
probe page whose script measures the drawn chart and writes what it found into the DOM,
which `--dump-dom` prints. Console messages come from `--enable-logging=stderr`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsparse.stats import collect_stats, month_range
from newsparse.stats_html import render_html

from .conftest import DATA, SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
    ),
]

# Measures the page in the frame once it is drawn; writes a JSON report into the DOM.
PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<iframe id="page" src="page.html" style="width:%(width)spx;height:900px;border:0"></iframe>
<pre id="report"></pre>
<script>
document.getElementById("page").addEventListener("load", function () {
  var doc = this.contentDocument, win = this.contentWindow;
  var bars = Array.prototype.slice.call(doc.querySelectorAll("svg.chart rect.bar"));
  var svg = doc.querySelector("svg.chart").getBoundingClientRect();
  document.getElementById("report").textContent = JSON.stringify({
    months: bars.map(function (b) { return b.getAttribute("data-month"); }),
    drawn: bars.map(function (b) {
      var box = b.getBoundingClientRect();
      return {count: +b.getAttribute("data-count"), width: box.width, height: box.height,
              inside: box.left >= svg.left - 0.5 && box.right <= svg.right + 0.5};
    }),
    scrollWidth: doc.documentElement.scrollWidth,
    innerWidth: win.innerWidth,
    links: Array.prototype.map.call(doc.querySelectorAll("a"), function (a) {
      return a.getAttribute("href"); })
  });
});
</script></body></html>"""


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--no-default-browser-check",
        "--mute-audio",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--allow-file-access-from-files",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def console_errors(stderr: str) -> list[str]:
    """Return the messages the page's console reported (Chromium logs them as CONSOLE)."""
    return [
        line
        for line in stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "ERR_FILE_NOT_FOUND" in line
    ]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    directory = tmp_path_factory.mktemp("stats-html")
    stats = collect_stats([str(SAMPLES), str(DATA)])
    (directory / "page.html").write_text(render_html(stats), encoding="utf-8")
    first, last = min(stats.months), max(stats.months)
    return directory, month_range(first, last)


@pytest.mark.parametrize("width", [390, 1200])
def test_the_chart_has_one_drawn_bar_per_month(page: tuple[Path, list[str]], width: int) -> None:
    directory, months = page
    (directory / f"probe{width}.html").write_text(PROBE % {"width": width}, encoding="utf-8")
    done = chromium(
        "--virtual-time-budget=5000",
        "--dump-dom",
        (directory / f"probe{width}.html").as_uri(),
        profile=directory / f"profile-probe{width}",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="report">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found and found.group(1), f"the probe did not run: {done.stdout[-1000:]}"
    report = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert report["months"] == months
    for bar in report["drawn"]:
        assert bar["width"] > 0 and bar["inside"]
        assert (bar["height"] > 0) == (bar["count"] > 0)
    assert report["scrollWidth"] <= report["innerWidth"], "the page scrolls sideways"
    assert report["links"] and all(
        re.fullmatch(r"docs/diagnostics\.md#np\d{3}", link) for link in report["links"]
    )
    assert console_errors(done.stderr) == []


def test_the_page_loads_without_console_errors_and_is_drawn(page: tuple[Path, list[str]]) -> None:
    directory, _ = page
    screenshot = directory / "phone.png"
    done = chromium(
        "--window-size=390,900",
        f"--screenshot={screenshot}",
        (directory / "page.html").as_uri(),
        profile=directory / "profile-shot",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_errors(done.stderr) == []
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000  # a blank page compresses to far less
    keep = os.environ.get("NEWSPARSE_SCREENSHOT_DIR")
    if keep:  # for a person to look at
        shutil.copy(screenshot, Path(keep) / "stats-phone.png")


def test_console_errors_would_be_seen(tmp_path: Path) -> None:
    """The console check can fail: a page that logs an error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><script>console.error("broken chart")</script>', encoding="utf-8"
    )
    done = chromium("--dump-dom", bad.as_uri(), profile=tmp_path / "profile")
    assert any("broken chart" in line for line in console_errors(done.stderr))
