"""`newsparse show`, `newsparse stats` and the filters, through the command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from newsparse import Article
from newsparse.cli import ExitStatus, main
from newsparse.cli.show import romanian_date
from newsparse.codes import lookup
from newsparse.text.normalize import fold

from .conftest import DATA, SAMPLES, SEED

CORPUS = DATA / "filters_corpus.txt"
SELECTIONS = json.loads((DATA / "filters_corpus.selections.json").read_text(encoding="utf-8"))
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def titles_of_jsonl(stdout: str) -> list[str]:
    return [json.loads(line)["title"] for line in stdout.splitlines()]


def short(titles: list[str]) -> list[str]:
    names = {n for case in SELECTIONS for n in case["titles"]}
    return [next(n for n in names if title.startswith(n)) for title in titles]


# --- show ------------------------------------------------------------------------------


def test_romanian_date_words() -> None:
    assert romanian_date(dt.datetime(2022, 8, 15, 9, 13)) == "luni, 15 august 2022, 09:13"
    assert romanian_date(dt.date(2023, 12, 2)) == "sâmbătă, 2 decembrie 2023"


def test_show_in_a_pipe_is_plain_text_with_the_title_and_every_paragraph() -> None:
    result = run("show", str(SEED))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stderr == ""
    parsed = json.loads(run("parse", str(SEED)).stdout)
    lines = result.stdout.splitlines()
    assert parsed["title"] in lines
    for paragraph in parsed["paragraphs"]:
        assert paragraph in lines  # one line each: nothing wrapped in a pipe
    assert "newsreporter · luni, 15 august 2022, 09:13 · stiripesurse" in lines
    assert "[imagine: media-165828855573329500 (1).png]" in lines
    assert "ADRESA: http://crct.ro/nA18" in lines
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout)
    # The diagnostics follow their article.
    assert lines[-2:] == [
        "! warning 5:30 NP305 title repeats the word 'pentru'",
        "! warning 23:1 NP304 paragraph broken by the scrape was rejoined",
    ]


def test_show_quiet_hides_the_diagnostics() -> None:
    result = run("show", "-q", str(SEED))
    assert "NP305" not in result.stdout


def test_show_reads_standard_input() -> None:
    result = run("show", input=CORPUS.read_bytes())
    assert result.exit_code == ExitStatus.PROBLEMS  # the corpus has an NP201 error
    assert result.stdout.count("==> <stdin>:") == 7


def test_show_one_article_by_number_or_line() -> None:
    second = run("show", "--article", "2", str(CORPUS))
    assert second.stdout.splitlines()[:2] == [f"==> {CORPUS}:11 <==", "Ninsori abundente în Brașov"]
    assert second.stdout.count("==>") == 1
    assert "[imagine: media-1 (1).png]" in second.stdout
    by_line = run("show", "--line", "20", str(CORPUS))
    assert by_line.stdout == second.stdout
    # Counted after the filters: the second article by Ştefan Ţăranu.
    filtered = run("show", "--article", "2", "--author", "stefan taranu", str(CORPUS))
    assert filtered.stdout.splitlines()[1] == "Spitalul județean primește aparatură nouă"
    assert filtered.stderr == ""  # reading stopped at the article: no totals to give
    everything = run("show", "--author", "stefan taranu", str(CORPUS))
    assert "5 of 7 articles dropped by the filters" in everything.stderr


def test_show_says_when_nothing_is_picked() -> None:
    result = run("show", "--article", "99", str(CORPUS))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert result.stdout == ""
    assert "no article 99 (7 articles found)" in result.stderr
    both = run("show", "--article", "1", "--line", "1", str(CORPUS))
    assert both.exit_code == ExitStatus.USAGE
    assert "--article or --line" in both.stderr


def test_show_width_wraps_in_a_pipe_without_escapes() -> None:
    result = run("show", "--width", "30", str(SEED))
    assert max(len(line) for line in result.stdout.splitlines()) <= 30
    assert "\x1b" not in result.stdout


HOSTILE = (
    "Scris de Ion\x1b[2J\x1b]0;pwned\x07 Popescu pe 15 august 2022, 09:13\n\n"
    "## Titlu \x1b[31mroșu\x1b[0m \u202eatât\u202c\n\n"
    + "Un paragraf lung despre nimic anume care trebuie să fie împărțit pe mai multe rânduri "
    "pentru că terminalul este îngust, cu un clopoțel \x07 și un backspace \x08 la mijloc. "
    * 3
    + "\n\nmedia-\x1b[5m1.png\n\n[sursa\x9b31m](#)\n\n"
    "ADRESA: <http://example.ro/a\x1b]8;;http://evil.example/\x07b>\n"
)
# What newsparse itself may send: SGR styles and OSC 8 hyperlinks, nothing else.
_OWN_ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run_in_pty(
    args: list[str], *, columns: int, rows: int, env: dict[str, str] | None = None
) -> str:
    """Run newsparse with a pseudo-terminal of COLUMNS x ROWS as its stdout; return the output."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COLUMNS", "LINES", "NO_COLOR", "PAGER")
    }
    environment.update(TERM="xterm-256color", **(env or {}))
    process = subprocess.Popen(
        [sys.executable, "-m", "newsparse", *args],
        stdout=terminal,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=environment,
    )
    os.close(terminal)
    chunks = []
    while True:
        ready, _, _ = select.select([controller], [], [], 30)
        if not ready:
            process.kill()
            raise AssertionError("newsparse show did not finish")
        try:
            data = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    _, errors = process.communicate(timeout=30)
    os.close(controller)
    assert process.returncode in (0, 1), errors.decode()
    return b"".join(chunks).decode("utf-8")


@pytest.mark.slow
def test_show_under_a_terminal_wraps_to_its_width_and_sends_no_control_from_the_dump(
    tmp_path: Path,
) -> None:
    dump = tmp_path / "hostile.txt"
    dump.write_bytes(HOSTILE.encode("utf-8"))
    output = run_in_pty(["show", "--no-pager", str(dump)], columns=40, rows=200)
    visible = _OWN_ESCAPES.sub("", output)
    assert _RAW_CONTROL.findall(visible) == []
    lines = visible.replace("\r\n", "\n").split("\n")
    assert max(len(line) for line in lines) <= 40
    assert sum(1 for line in lines if "paragraf" in line or "rânduri" in line) >= 3
    # The dump's escapes are shown, as text, where they were.
    assert "\\x1b[31m" in visible and "\\u202e" in visible and "\\x07" in visible
    # Styles are ours (a terminal gets them), and the only hyperlink is no link at all:
    # the address holds an escape, so it is not a plain URL.
    assert "\x1b[1m" in output
    assert "\x1b]8;" not in output


@pytest.mark.slow
def test_show_under_a_terminal_links_a_plain_address_and_pages_long_output(tmp_path: Path) -> None:
    record = tmp_path / "paged.txt"
    pager = tmp_path / "pager.py"
    pager.write_text(f"import sys; open({str(record)!r}, 'w').write(sys.stdin.read())\n")
    env = {"PAGER": f"{sys.executable} {pager}"}
    output = run_in_pty(["show", str(SEED)], columns=80, rows=10, env=env)
    paged = record.read_text(encoding="utf-8")
    assert "Vladimir Putin" in paged and output.strip() == ""
    assert "\x1b]8;id=" in paged or "\x1b]8;;http://crct.ro/nA18" in paged
    assert "http://crct.ro/nA18\x1b]8;;" in paged
    record.unlink()
    tall = run_in_pty(["show", str(SEED)], columns=80, rows=500, env=env)
    assert not record.exists() and "Vladimir Putin" in tall  # it fits: no pager
    no_pager = run_in_pty(["show", "--no-pager", str(SEED)], columns=80, rows=10, env=env)
    assert not record.exists() and "Vladimir Putin" in no_pager


# --- stats -----------------------------------------------------------------------------


def _wall(iso: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(iso)
    return value.replace(tzinfo=None)


def _nearest_rank(values: list[int], q: float) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = -(-len(ordered) * int(q * 100) // 100)
    return ordered[max(rank, 1) - 1]


def figures_from_jsonl(inputs: list[str], top: int = 10) -> dict[str, Any]:
    """Compute the stats figures from `parse -f jsonl` output and its diagnostics alone."""
    parsed = run("parse", "-f", "jsonl", *inputs)
    articles = [json.loads(line) for line in parsed.stdout.splitlines()]
    diagnostics = []
    for line in parsed.stderr.splitlines():
        found = re.match(r"(.+?):(\d+):(\d+): (NP\d{3}) ", line)
        assert found, line
        diagnostics.append((found.group(1), int(found.group(2)), found.group(4)))
    files = [str(p) for root in inputs for p in sorted(Path(root).rglob("*.txt"))]

    starts: dict[str, list[int]] = {}
    for article in articles:
        starts.setdefault(article["file"], []).append(article["line"])
    errors_in: Counter[tuple[str, int]] = Counter()
    for path, line, code in diagnostics:
        before = [s for s in starts.get(path, []) if s <= line]
        if before and lookup(code).severity.value == "error":
            errors_in[(path, max(before))] += 1
    # A month or a year alone (`2011-05`) has no day: stats counts it as undated.
    dated = [a["published"] for a in articles if a["published"] and len(a["published"]) >= 10]
    months = Counter(value[:7] for value in dated)
    all_months = []
    if months:
        year, month = map(int, min(months).split("-"))
        while f"{year:04d}-{month:02d}" <= max(months):
            all_months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def names(key: str) -> list[dict[str, Any]]:
        counts: Counter[str] = Counter()
        spelled: dict[str, str] = {}
        for article in articles:
            if article[key] and article[key].strip():
                counts[fold(article[key])] += 1
                spelled.setdefault(fold(article[key]), article[key])
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
        return [{"name": spelled[k], "articles": n} for k, n in ranked]

    def sizes(values: list[int]) -> dict[str, int | None]:
        return {
            "median": _nearest_rank(values, 0.5),
            "p90": _nearest_rank(values, 0.9),
            "max": max(values) if values else None,
            "total": sum(values),
        }

    words = [sum(len(p.split()) for p in a["paragraphs"]) for a in articles]
    by_code = Counter(code for _, _, code in diagnostics)
    return {
        "files": len(files),
        "files_with_errors": len(
            {path for path, _, code in diagnostics if lookup(code).severity.value == "error"}
        ),
        "articles": len(articles),
        "articles_with_errors": len(errors_in),
        "filters": None,
        "dates": {
            "first": min(dated, key=_wall) if dated else None,
            "last": max(dated, key=_wall) if dated else None,
            "undated": len(articles) - len(dated),
        },
        "months": {m: months.get(m, 0) for m in all_months},
        "sources": names("source"),
        "distinct_sources": len(
            {fold(a["source"]) for a in articles if a["source"] and a["source"].strip()}
        ),
        "without_source": sum(1 for a in articles if not (a["source"] or "").strip()),
        "authors": names("author"),
        "distinct_authors": len(
            {fold(a["author"]) for a in articles if a["author"] and a["author"].strip()}
        ),
        "without_author": sum(1 for a in articles if not (a["author"] or "").strip()),
        "words": sizes(words),
        "paragraphs": sizes([len(a["paragraphs"]) for a in articles]),
        "images": {
            "total": sum(len(a["images"]) for a in articles),
            "articles_with_images": sum(1 for a in articles if a["images"]),
        },
        "diagnostics": {
            code: {"count": n, "severity": lookup(code).severity.value}
            for code, n in sorted(by_code.items())
        },
        "duplicates": None,
    }


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_stats_json_equals_figures_computed_from_parse_output(jobs: str) -> None:
    inputs = [str(SAMPLES), str(DATA)]
    result = run("stats", "--format", "json", "-j", jobs, *inputs)
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stderr == ""
    figures = json.loads(result.stdout)
    expected = figures_from_jsonl(inputs)
    assert expected["articles"] > 50 and expected["diagnostics"]  # a corpus worth checking
    assert figures == expected


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_stats_dedupe_counts_what_parse_dedupe_keeps(jobs: str, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(DATA, copy)
    inputs = [str(SAMPLES), str(DATA), str(copy)]
    result = run("stats", "--format", "json", "-j", jobs, "--dedupe", "near", *inputs)
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stderr == ""
    figures = json.loads(result.stdout)
    parsed = run("parse", "-f", "jsonl", "--dedupe", "near", *inputs)
    kept = [json.loads(line) for line in parsed.stdout.splitlines()]
    left_out = re.findall(r"^(.+?):(\d+):\d+: (NP50[12]) ", parsed.stderr, re.MULTILINE)
    assert figures["articles"] == len(kept) == figures["duplicates"]["kept"]
    duplicates = figures["duplicates"]
    assert duplicates["left_out"] == len(left_out) >= len(list(DATA.rglob("*.txt")))
    assert (duplicates["exact"], duplicates["near"]) == (
        sum(code == "NP501" for *_, code in left_out),
        sum(code == "NP502" for *_, code in left_out),
    )
    listed = sorted(
        (copy["file"], copy["line"])
        for cluster in duplicates["clusters"]
        for copy in cluster["copies"]
    )
    assert listed == sorted((file, int(line)) for file, line, _ in left_out)
    for code in ("NP501", "NP502"):
        found = sum(c == code for *_, c in left_out)
        assert figures["diagnostics"].get(code, {"count": 0})["count"] == found


def test_stats_text_report_says_how_many_copies_were_left_out(tmp_path: Path) -> None:
    twice = CORPUS.read_bytes() * 2
    result = run("stats", "-j", "1", "--dedupe", input=twice)
    assert result.exit_code == ExitStatus.OK and result.stderr == ""
    once = json.loads(run("stats", "-f", "json", "-j", "1", str(CORPUS)).stdout)["articles"]
    assert re.search(rf"copies left out +│ +{once} ", result.stdout)
    assert re.search(rf"articles with copies +│ +{once} ", result.stdout)
    assert "exact," not in result.stdout  # the kinds are told apart with --dedupe near only
    near = run("stats", "-j", "1", "--dedupe", "near", input=twice)
    assert re.search(rf"copies left out +│ +{once} \({once} exact, 0 near\)", near.stdout)
    plain = run("stats", "-j", "1", input=twice)
    assert "copies" not in plain.stdout


def test_stats_dedupe_threshold_needs_near() -> None:
    result = run("stats", "--dedupe", "exact", "--dedupe-threshold", "0.7", str(CORPUS))
    assert result.exit_code == 2 and result.stdout == ""
    assert "--dedupe-threshold applies to --dedupe near only" in result.stderr


def test_stats_text_report_shows_every_month_and_the_names() -> None:
    result = run("stats", "-j", "1", str(CORPUS))
    assert result.exit_code == ExitStatus.OK
    text = result.stdout
    assert "\x1b" not in text
    for month in ("2022-08", "2022-09", "2022-10", "2022-11", "2022-12", "2023-01", "2023-04"):
        assert re.search(rf"^ ?{month} ", text, re.MULTILINE), month
    assert re.search(r"2022-09\s+0\s", text)  # an empty month is an empty bar
    assert "Agerpres" in text and "Ştefan Ţăranu" in text
    assert re.search(r"NP201\s*│\s*error\s*│\s*1", text)


def test_stats_of_nothing_fails() -> None:
    result = run("stats", "-j", "1", input=b"")
    assert result.exit_code == ExitStatus.PROBLEMS
    assert json.loads(run("stats", "-f", "json", input=b"").stdout)["articles"] == 0


def test_stats_html_is_written_whole(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run("stats", "-j", "1", "--html", str(page), "-f", "json", str(CORPUS))
    assert result.exit_code == ExitStatus.OK
    assert f"wrote {page}" in result.stderr
    html = page.read_text(encoding="utf-8")
    assert html.count('<rect class="bar"') == 9
    assert json.loads(result.stdout)["articles"] == 7
    refused = run("stats", "--html", str(CORPUS), str(CORPUS))
    assert refused.exit_code == ExitStatus.USAGE
    assert "is also an input" in refused.stderr


# --- filters ---------------------------------------------------------------------------


def filter_args(options: dict[str, Any]) -> list[str]:
    args = []
    for key in ("since", "until", "match"):
        if key in options:
            args += [f"--{key}", options[key]]
    for name in options.get("authors", []):
        args += ["--author", name]
    for name in options.get("sources", []):
        args += ["--source", name]
    return args


@pytest.mark.parametrize("case", SELECTIONS, ids=lambda case: json.dumps(case["options"]))
def test_parse_filters_select_exactly_the_expected_articles(case: dict[str, Any]) -> None:
    args = filter_args(case["options"])
    result = run("parse", "-f", "jsonl", *args, str(CORPUS))
    assert short(titles_of_jsonl(result.stdout)) == case["titles"]
    if args:
        assert f"{case['dropped']} of 7 articles dropped by the filters" in result.stderr
    else:
        assert "dropped" not in result.stderr


@pytest.mark.parametrize("case", SELECTIONS[1:6], ids=lambda case: json.dumps(case["options"]))
def test_stats_and_show_count_what_the_filters_dropped(case: dict[str, Any]) -> None:
    args = filter_args(case["options"])
    figures = json.loads(run("stats", "-f", "json", "-j", "1", *args, str(CORPUS)).stdout)
    assert figures["articles"] == len(case["titles"])
    assert figures["filters"] == {
        "seen": 7,
        "kept": len(case["titles"]),
        "dropped": case["dropped"],
        "undated": case["undated"],
    }
    shown = run("show", *args, str(CORPUS)).stdout.splitlines()
    titles = [shown[i + 1] for i, line in enumerate(shown) if line.startswith("==> ")]
    assert short(titles) == case["titles"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_convert_combine_writes_only_the_kept_articles(tmp_path: Path, jobs: str) -> None:
    combined = tmp_path / "2023.jsonl"
    result = run(
        "convert",
        "-j",
        jobs,
        "--combine",
        str(combined),
        "--since",
        "2023-01-01",
        "--source",
        "agerpres*",
        str(CORPUS),
    )
    assert result.exit_code == ExitStatus.PROBLEMS  # NP201 in the undated article
    assert short(titles_of_jsonl(combined.read_text(encoding="utf-8"))) == [
        "Ninsori",
        "Primul copil",
    ]
    assert re.search(r"articles dropped by the filters\s*│\s*5 \(1 without a date\)", result.stderr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "15.08.2022"], "is not an ISO date"),
        (["--since", "2023-02-01", "--until", "2023-01-01"], "is after --until"),
    ],
)
def test_bad_filters_are_usage_errors(args: list[str], message: str) -> None:
    for command in ("parse", "show", "stats"):
        result = run(command, *args, str(CORPUS))
        assert result.exit_code == ExitStatus.USAGE, command
        assert message in result.stderr
        assert result.stdout == ""


def test_filters_need_combine_in_convert(tmp_path: Path) -> None:
    result = run("convert", "-o", str(tmp_path / "out"), "--author", "x", str(CORPUS))
    assert result.exit_code == ExitStatus.USAGE
    assert "work with --combine" in result.stderr
    assert not (tmp_path / "out").exists()


def test_stats_text_shows_no_control_character_from_the_dump() -> None:
    dump = (
        b"Scris de Ana\x1b[31m Pop pe 1 mai 2023, 10:00\n\n## Titlu\x1b]0;x\x07\n\n"
        b"Text.\n\n[Sursa\x1b[2J](#)\n"
    )
    result = run("stats", "-j", "1", input=dump)
    assert result.exit_code == ExitStatus.OK
    assert "\x1b" not in result.stdout
    assert "Ana\\x1b[31m Pop" in result.stdout and "Sursa\\x1b[2J" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("command", [["stats", "-j", "1"], ["show"]])
def test_a_closed_pipe_ends_quietly(command: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "newsparse", *command, str(SAMPLES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before anything is written
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors.decode()
    assert errors == b""


def test_show_gives_the_update_time_and_links_only_plain_addresses() -> None:
    from newsparse.cli.show import article_lines

    result = run("show", "--line", "41", str(DATA / "byline_frames_and_authors.txt"))
    assert (
        "Ion Pepelea · luni, 1 martie 2021, 10:00 · actualizat: marți, 2 martie 2021, 11:30 · sursa"
    ) in result.stdout.splitlines()
    plain = article_lines(Article("t", url="https://example.ro/a?b=1"), [])
    assert plain[-1].link == "https://example.ro/a?b=1"
    for url in (
        "javascript:alert(1)",
        "http://example.ro/a b",
        "http://exemplu.ro/ș",
        "file:///etc/passwd",
        "http://example.ro/\x1b]8;;x\x07",
    ):
        assert article_lines(Article("t", url=url), [])[-1].link is None, url
