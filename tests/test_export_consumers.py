"""Exports read by the programs people feed them to: Hugo, pandoc, check-jsonschema, LibreOffice."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import main

from .conftest import ROOT

needs_hugo = pytest.mark.skipif(
    shutil.which("hugo") is None, reason="hugo is not installed (Debian: apt-get install hugo)"
)
needs_pandoc = pytest.mark.skipif(
    shutil.which("pandoc") is None,
    reason="pandoc is not installed (Debian: apt-get install pandoc)",
)

# One article per dump, each with the `ADRESA:` footer that Hugo used to refuse.
DUMPS = {
    "luni.txt": (
        "Scris de Ana Dobre pe 4 ianuarie 2021, 07:05\n\n"
        '## "Bugetul" pe 2021: taxe, #impozite și --- C:\\noua\n\n'
        "Primul paragraf, complet.\n\n[ziarul](https://ziar.example.ro/)\n\n"
        "ADRESA: <http://crct.ro/a1>\n"
    ),
    "marti.txt": (
        "Scris de Radu Cernat pe 15 august 2022, 23:59\n\n"
        "## Vară fierbinte la Iași\n\nTermometrele au urcat.\n\n"
        "[sursa](#)\n\nADRESA: <http://crct.ro/b2>\n"
    ),
    "iarna.txt": (
        "Scris de Ioana Stan pe 30 decembrie 2019, 12:00\n\n"
        "## Zăpadă: 1/2 metru & *viscol*\n\nDrumurile sunt închise.\n\n"
        "[sursa](#)\n\nADRESA: <http://crct.ro/c3>\n"
    ),
    # A month alone: no date for Hugo (front matter null), the words in published_text.
    "primavara.txt": (
        "Scris de Ilie Moraru pe mai 2011\n\n## Flori în parc\n\n"
        "Au înflorit teii.\n\n[sursa](#)\n\nADRESA: <http://crct.ro/d4>\n"
    ),
}
# What Hugo prints for each page: one line, easy to split.
SINGLE = (
    '{{ .Title }}|{{ .Date.Format "2006-01-02T15:04:05-07:00" }}|'
    "{{ .Params.article_url }}|{{ .Params.author }}|{{ .Params.published_text }}\n"
)


def write_dumps(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in DUMPS.items():
        (directory / name).write_text(text, encoding="utf-8")


def parsed_articles(directory: Path) -> dict[str, dict]:
    result = CliRunner().invoke(main, ["parse", "-q", "-f", "jsonl", str(directory)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    return {Path(record["file"]).stem: record for record in records}


def hugo_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\ntitle = "Știri"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
        encoding="utf-8",
    )
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("list\n", encoding="utf-8")
    return site


def build(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["hugo", "--source", str(site), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@needs_hugo
def test_hugo_builds_one_page_per_article_with_its_title_and_date(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    write_dumps(dumps)
    site = hugo_site(tmp_path)
    converted = CliRunner().invoke(
        main, ["convert", "-q", "-f", "markdown", str(dumps), "-o", str(site / "content")]
    )
    assert converted.exit_code == 0, converted.output
    done = build(site)
    assert done.returncode == 0, done.stderr
    records = parsed_articles(dumps)
    pages = sorted(p.parent.name for p in (site / "public").glob("*/index.html"))
    assert pages == sorted(records)
    for name, record in records.items():
        shown = (site / "public" / name / "index.html").read_text(encoding="utf-8")
        title, date, address, author, words = html.unescape(shown).rstrip("\n").split("|")
        assert title == record["title"]
        if re.fullmatch(r"\d{4}(-\d{2})?", record["published"]):
            assert date.startswith("0001-01-01")  # Hugo's zero date: the page has none
        else:
            assert date == record["published"]
        assert address == record["url"] and author == record["author"]
        assert words == record["published_text"]
    assert any(r["published"] == "2011-05" for r in records.values())


@needs_hugo
def test_hugo_refuses_the_url_key_that_the_front_matter_avoids(tmp_path: Path) -> None:
    # The check above can fail: Hugo reads `url` as the page's permalink.
    site = hugo_site(tmp_path)
    (site / "content").mkdir()
    (site / "content" / "x.md").write_text(
        '---\ntitle: "T"\ndate: "2021-01-04T07:05:00+02:00"\nurl: "http://crct.ro/a1"\n---\n',
        encoding="utf-8",
    )
    done = build(site)
    assert done.returncode != 0
    assert "protocol" in done.stderr


PANDOC_TITLE = 'Dosarul C:\\noua -- "Atenție" și \\textbf{x}'


def pandoc_title(markdown: str, reader: str, tmp_path: Path) -> str:
    template = tmp_path / "title.plain"
    template.write_text("$title$\n", encoding="utf-8")
    done = subprocess.run(
        ["pandoc", "-f", reader, "-t", "plain", "-s", f"--template={template}"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.rstrip("\n")


@needs_pandoc
def test_pandoc_keeps_the_title_with_the_documented_reader_options(tmp_path: Path) -> None:
    dump = (
        "Scris de Ana Dobre pe 4 ianuarie 2021, 07:05\n\n"
        f"## {PANDOC_TITLE}\n\nUn paragraf.\n\n[sursa](#)\n\nADRESA: <http://crct.ro/a1>\n"
    )
    result = CliRunner().invoke(main, ["parse", "-q", "-f", "markdown", "-"], input=dump)
    assert result.exit_code == 0, result.output
    assert pandoc_title(result.stdout, "markdown-smart-raw_tex", tmp_path) == PANDOC_TITLE
    # pandoc's own defaults read the string as Markdown with TeX: text is lost.
    plain = pandoc_title(result.stdout, "markdown", tmp_path)
    assert plain != PANDOC_TITLE and "noua" not in plain


# --- check-jsonschema: the documented command over JSON Lines -----------------------------


def documented_check_command() -> str:
    """Return the check-jsonschema snippet of docs/formats.md, as a shell script."""
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    (block,) = [b for b in blocks if "check-jsonschema" in b]
    return block


@pytest.mark.slow
def test_the_documented_check_jsonschema_command_validates_json_lines(tmp_path: Path) -> None:
    pytest.importorskip(
        "check_jsonschema",
        reason="check-jsonschema is not installed (pip install -e '.[consumers]')",
    )
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    bin_dir = str(Path(sys.executable).parent)  # newsparse and check-jsonschema live here
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    # `parse` exits 1 for the malformed samples; the pipeline's status is split's.
    script = "set -eu\n" + documented_check_command()
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout
    articles = sorted((tmp_path / "articles").iterdir())
    records = CliRunner().invoke(main, ["parse", "-q", "-f", "jsonl", "samples"]).stdout
    assert len(articles) == len(records.splitlines()) > 3
    # The same command finds a broken record.
    articles[0].write_text('{"title": 5}\n', encoding="utf-8")
    last = [line for line in script.splitlines() if line.startswith("check-jsonschema")]
    failed = subprocess.run(
        ["bash", "-c", last[0]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert failed.returncode == 1 and "Schema validation errors" in failed.stdout


# --- LibreOffice: the --excel CSV with the documented import setting ---------------------

UTF8_CSV_FILTER = "Text - txt - csv (StarCalc):44,34,76"  # comma, double quote, UTF-8


def soffice_to_utf8_csv(
    source: Path, outdir: Path, profile: Path, infilter: str | None
) -> list[list[str]]:
    """Open SOURCE in LibreOffice Calc (headless) and return its cells, saved as UTF-8 CSV."""
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    if infilter is not None:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", f"csv:{UTF8_CSV_FILTER}", "--outdir", str(outdir), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=180)
    converted = outdir / source.name
    assert done.returncode == 0 and converted.exists(), done.stdout + done.stderr
    with converted.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (Debian: apt-get install "
    "--no-install-recommends libreoffice-calc-nogui)",
)
def test_libreoffice_reads_the_excel_csv_with_the_documented_setting(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    write_dumps(dumps)
    target = tmp_path / "articles.csv"
    result = CliRunner().invoke(
        main,
        [
            "parse",
            "-q",
            "-f",
            "csv",
            "--excel",
            "--columns",
            "title,author,text",
            "-o",
            str(target),
            str(dumps),
        ],
    )
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8-sig", newline="") as stream:
        expected = list(csv.reader(stream))
    assert any("ș" in cell for row in expected for cell in row)
    profile = tmp_path / "libreoffice-profile"
    cells = soffice_to_utf8_csv(target, tmp_path / "with", profile, UTF8_CSV_FILTER)
    assert cells == expected
    # Without the setting LibreOffice reads the bytes as a Western code page.
    guessed = soffice_to_utf8_csv(target, tmp_path / "without", profile, None)
    assert guessed != expected
    assert guessed[0][0] == "\u00ef\u00bb\u00bftitle"
    assert "È™" in "".join(cell for row in guessed for cell in row)  # ș read as two letters
