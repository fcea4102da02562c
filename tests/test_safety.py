"""Hostile dumps against what newsparse shows and writes: terminals, JSON, limits, options."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsparse
from newsparse.cli import ExitStatus, main
from newsparse.console import escape_control, print_diagnostics

from .conftest import SEED

#: What must never reach a terminal raw: C0 controls but the line feed that ends each
#: diagnostic, DEL, C1 controls (U+009B is CSI), bidirectional controls, line separators.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")
NASTY = (
    "\x1b[31m",
    "\x1b]0;pwned\x07",
    "\x9b2J",
    "\x07",
    "\x08",
    "\x7f",
    "\x0c",
    "\x0b",
    "\x85",
    "\u202e",
    "\u2066",
    "\u2028",
    "\x00",
    "\r",
)
# Every place of a dump whose text can end up in a diagnostic message.
TEMPLATE = """Scris de {0}pe 15 {0}august 2022, 09:13 / actualizat: {0}ieri

## Titlu {0}Titlu {0}

Text {0}fara punct

![{0}]({0}media.png)

[{0}sursa]({0})

ADRESA: <{0}http://crct.ro/{0}>
Publicat de {0}, 31 februarie 2022 {0}
## T{0}
De {0} la 1 mai 2020, 25:61{0}
"""


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def assert_terminal_safe(text: str) -> None:
    found = RAW_CONTROL.search(text)
    assert found is None, (
        f"raw {found.group()!r} at {found.start()}: {text[found.start() - 40 :]!r}"
    )


# --- stderr -----------------------------------------------------------------------------


@pytest.mark.parametrize("nasty", NASTY, ids=[f"U+{ord(n[0]):04X}" for n in NASTY])
def test_no_control_character_from_a_dump_reaches_stderr_raw(nasty: str) -> None:
    dump = TEMPLATE.format(nasty).encode("utf-8")
    result = run("parse", input=dump)
    assert result.exit_code == ExitStatus.PROBLEMS
    assert result.stderr.count("\n") >= 3  # the dump was read and reported on
    assert_terminal_safe(result.stderr)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "name",
    ["esc\x1b[31m.txt", "line\nbreak.txt", "bidi\u202etxt.txt", "bell\x07.txt", "csi\x9b2J.txt"],
)
def test_file_names_reach_stderr_escaped(tmp_path: Path, name: str) -> None:
    try:
        path = tmp_path / name
        path.write_bytes(b"## Titlu fara byline\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses this name")
    result = run("parse", str(tmp_path))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert "NP201" in result.stderr
    assert_terminal_safe(result.stderr)
    assert result.stderr.count("\n") == len(result.stderr.splitlines())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(NASTY) | st.text(max_size=3), min_size=1, max_size=4),
    st.sampled_from([b"", b"\xef\xbb\xbf"]),
)
def test_printed_diagnostics_never_hold_raw_controls(pieces: list[str], bom: bytes) -> None:
    dump = TEMPLATE.format("".join(pieces))
    result = newsparse.parse(
        bom + dump.encode("utf-8", errors="surrogatepass"), path="dump\x1b.txt"
    )
    stream = io.StringIO()
    print_diagnostics(result.diagnostics, stream)
    printed = stream.getvalue()
    assert_terminal_safe(printed)
    assert printed.count("\n") == len(result.diagnostics)


def test_escape_control_keeps_romanian_text_and_shows_the_rest() -> None:
    assert escape_control("Știri „bune” — ăâîșț") == "Știri „bune” — ăâîșț"
    assert (
        escape_control("a\x1b[0mb\x9bc\u202ed\u2028e\tf")
        == "a\\x1b[0mb\\x9bc\\u202ed\\u2028e\\x09f"
    )


# --- stdout -----------------------------------------------------------------------------


@pytest.mark.parametrize("format_name", ["json", "jsonl"])
def test_json_on_stdout_escapes_every_control_character(format_name: str) -> None:
    title = "Titlu \x1b[31mrosu\x1b[0m \x07\x08\x7f\x9b2J\x85\u2028\u2029 gata"
    dump = f"Scris de ana pe 1 mai 2020\n\n## {title}\n\nText.\n".encode()
    result = run("parse", "-f", format_name, input=dump)
    out = result.stdout
    assert_terminal_safe(out.replace("\n", ""))
    assert "\\u001b[31m" in out and "\\u009b" in out and "\\u2028" in out
    loaded = json.loads(out.splitlines()[0] if format_name == "jsonl" else out)
    assert loaded["title"] == title  # escaped, not altered
    assert result.exit_code == ExitStatus.PROBLEMS  # NP105: control characters in the text
    assert "NP105" in result.stderr


# --- limits -----------------------------------------------------------------------------


def test_max_size_is_inclusive_and_zero_means_no_limit(tmp_path: Path) -> None:
    size = SEED.stat().st_size
    assert run("parse", "--max-size", str(size), str(SEED)).exit_code == ExitStatus.OK
    refused = run("parse", "--max-size", str(size - 1), str(SEED))
    assert refused.exit_code == ExitStatus.PROBLEMS
    assert f"NP106 file is {size:,} bytes, over the limit of {size - 1:,}" in refused.stderr
    assert json.loads(refused.stdout) == []
    assert run("parse", "--max-size", "0", str(SEED)).exit_code == ExitStatus.OK


def test_a_refused_file_does_not_stop_the_others(tmp_path: Path) -> None:
    big = tmp_path / "a_big.txt"
    big.write_bytes(SEED.read_bytes() * 40)
    (tmp_path / "b_small.txt").write_bytes(SEED.read_bytes())
    result = run("parse", "-f", "jsonl", "--max-size", "10k", str(tmp_path))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr.count("NP106") == 1


def test_very_long_line_is_read_whole_and_reported_once() -> None:
    line = "Cuvant " * 300_000  # 2.1 million characters on one line
    text = f"Scris de ana pe 1 mai 2020\n\n## T\n\n{line}\n\n[s](#)\n\nADRESA: <http://a.ro/1>\n"
    result = newsparse.parse(text)
    assert result.articles[0].paragraphs == [line.strip()]
    assert [(d.code, d.line) for d in result.diagnostics] == [("NP107", 5)]
    assert "2,099,999 characters" in result.diagnostics[0].message


def test_very_long_line_through_standard_input() -> None:
    line = b"[" * 1_000_000
    result = run("parse", "-f", "jsonl", input=b"Scris de ana pe 1 mai 2020\n\n## T\n\n" + line)
    assert json.loads(result.stdout)["paragraphs"] == ["[" * 1_000_000]
    assert "<stdin>:5:1: NP107 line of 1,000,000 characters" in result.stderr


# --- options that could break on content --------------------------------------------------


@pytest.mark.parametrize("encoding", ["hex", "rot13", "idna", "punycode", "undefined"])
def test_encodings_that_cannot_read_dumps_are_usage_errors(encoding: str) -> None:
    result = run("parse", "--encoding", encoding, str(SEED))
    assert result.exit_code == ExitStatus.USAGE
    assert "encoding cannot read dumps" in result.stderr
    assert result.stdout == ""
    with pytest.raises(newsparse.InvalidOption):
        newsparse.parse(b"x", options=newsparse.ParseOptions(encoding=encoding))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be", "ascii"])
@pytest.mark.parametrize("bom", [b"", b"\xff\xfe"])
def test_forced_encoding_never_raises_on_bytes_it_cannot_decode(
    encoding: str, bom: bytes, tmp_path: Path
) -> None:
    data = bom + SEED.read_bytes() + b"\x00\xff\x80"
    path = tmp_path / "dump.txt"
    path.write_bytes(data)
    streamed = run("parse", "--encoding", encoding, input=data)
    whole = run("parse", "--encoding", encoding, str(path))
    for result in (streamed, whole):
        assert result.exit_code == ExitStatus.PROBLEMS
        assert "Traceback" not in result.stderr
        assert result.stderr.strip()
        json.loads(result.stdout)
    # Standard input is read as a file with the same bytes would be.
    assert streamed.stdout == whole.stdout.replace(json.dumps(str(path)), "null")


def test_truncated_utf16_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16")[:-1])
    result = run("parse", str(path))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert json.loads(result.stdout)["title"].startswith("Vladimir Putin")
    assert re.search(r"cut\.txt:31:\d+: NP102 byte not valid in utf-16", result.stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_file_is_reported_and_the_others_go_on(tmp_path: Path) -> None:
    import os

    locked = tmp_path / "a_locked.txt"
    locked.write_bytes(SEED.read_bytes())
    locked.chmod(0)
    (tmp_path / "b_ok.txt").write_bytes(SEED.read_bytes())
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user that reads anything (root)")
        result = run("parse", "-f", "jsonl", str(tmp_path))
    finally:
        locked.chmod(0o644)
    assert result.exit_code == ExitStatus.PROBLEMS
    assert len(result.stdout.splitlines()) == 1
    assert "a_locked.txt:1:1: NP108 cannot read file: permission denied" in result.stderr


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc")
def test_a_read_error_is_reported_and_the_others_go_on() -> None:
    # Reading /proc/self/mem from offset 0 fails with EIO, even as root.
    result = run("parse", "-f", "jsonl", "/proc/self/mem", str(SEED))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert len(result.stdout.splitlines()) == 1
    assert "/proc/self/mem:1:1: NP108 cannot read file: input/output error" in result.stderr
    assert "Traceback" not in result.stderr


# --- standard input that never ends an article ---------------------------------------------


def test_stream_without_footers_is_cut_before_bylines(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsparse.api

    monkeypatch.setattr(newsparse.api, "_FALLBACK_AT", 50)
    data = "".join(
        f"Scris de ana pe {i} mai 2020\n\n## T{i}\n\nText {i}.\n\n" for i in range(1, 8)
    ).encode()
    results = list(newsparse.api.parse_stream(io.BytesIO(data), chunk_size=16))
    assert len(results) > 1  # it was really cut
    streamed = [a.to_dict() for r in results for a in r.articles]
    assert streamed == [a.to_dict() for a in newsparse.parse(data).articles]


def test_stream_of_one_endless_line_keeps_it_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsparse.api

    monkeypatch.setattr(newsparse.api, "_FALLBACK_AT", 1000)
    line = "Cuvant " * 20_000
    data = f"Scris de ana pe 1 mai 2020\n\n## T\n\n{line}".encode()
    results = list(newsparse.api.parse_stream(io.BytesIO(data), chunk_size=4096))
    # Past the limit with no footer or byline to cut at, the stream is cut at the last
    # line break (the title is parted from its body), but no text is lost or split.
    assert [p for r in results for a in r.articles for p in a.paragraphs] == [line.strip()]


def test_github_annotations_name_the_file_as_actions_core_does(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsparse.cli import main

    name = tmp_path / "a\x1b[31mb.txt"
    name.write_bytes(b"## no byline\n")
    result = CliRunner().invoke(main, ["validate", "-f", "github", str(name)])
    assert result.exit_code == 1
    # `file=` must name the file the runner looks for: raw, as @actions/core writes it;
    # every other line shows the escape.
    lines = result.stdout.splitlines()
    assert all("a\x1b[31mb.txt," in line for line in lines if line.startswith("::error "))
    assert not any(
        "\x1b" in line for line in lines if not line.startswith(("::error ", "::warning "))
    )
    assert "\\x1b" in result.stdout


def test_a_pipe_named_as_a_path_is_read_up_to_the_limit_and_no_further(tmp_path: Path) -> None:
    import subprocess
    import threading

    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    written = []

    def writer() -> None:  # what `<(yes)` gives: a pipe that would never end
        with open(fifo, "wb") as stream:
            try:
                for _ in range(100):  # 10 MB, ten times the limit
                    stream.write(b"y\n" * 50_000)
                    written.append(1)
            except BrokenPipeError:
                pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", "parse", "--max-size", "1MB", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    thread.join(timeout=30)
    assert done.returncode == 1, done.stderr
    assert f"{fifo}:1:1: NP106 input is over the limit of 1,000,000 bytes" in done.stderr
    assert len(written) < 100  # the reader stopped reading: the rest was never asked for


def test_read_all_stops_past_its_limit(tmp_path: Path) -> None:
    from newsparse.reading import read_all

    path = tmp_path / "grew.txt"
    path.write_bytes(b"x" * 5_000)
    fd = os.open(path, os.O_RDONLY)
    try:
        data = read_all(fd, 10, limit=100)  # looked at when it was 10 bytes long
    finally:
        os.close(fd)
    assert data == b"x" * 101  # one byte past the limit says there was more
    fd = os.open(path, os.O_RDONLY)
    try:
        assert read_all(fd, 10) == b"x" * 5_000  # no limit: to the end, as it grew
    finally:
        os.close(fd)


def test_a_stream_without_footers_is_parsed_in_small_pieces() -> None:
    import newsparse.api

    # 7 MB of one-letter lines, the costliest text to parse per byte: held whole, they
    # took about 30 times their size in memory.
    data = b"y\n" * 3_500_000
    results = list(newsparse.api.parse_stream(io.BytesIO(data)))
    assert len(results) >= 3
    assert sum(len(a.paragraphs) for r in results for a in r.articles) >= 3
