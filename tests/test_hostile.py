"""Hostile inputs and hostile conditions: no damage, no crash, no forged CI commands."""

from __future__ import annotations

import codecs
import inspect
import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsparse
import newsparse.reading
from newsparse.api import parse_stream
from newsparse.cli import main
from tests.golden import NOW
from tests.runner_commands import forged_commands, runner_commands

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_c61b72992829a382.txt"
DUMP = SEED.read_bytes()


def _run(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "newsparse", *args],
        input=input,
        capture_output=True,
        check=False,
        timeout=60,
    )


def _stdout_of(*args: str) -> bytes:
    done = _run(*args)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _mknod(path: Path, minor: int) -> None:
    """Make a character device like /dev/null (minor 3) or /dev/full (minor 7) at PATH."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("cannot make device nodes here (needs CAP_MKNOD)")


# --- -o never replaces what cannot be replaced ------------------------------------------


def test_output_to_a_null_device_writes_through_it(tmp_path: Path) -> None:
    device = tmp_path / "null"
    _mknod(device, 3)
    done = _run("parse", str(SEED), "-o", str(device))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(device.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]  # no temporary left either


def test_output_to_a_full_device_fails_and_keeps_the_device(tmp_path: Path) -> None:
    device = tmp_path / "full"
    _mknod(device, 7)
    done = _run("validate", str(SEED), "-o", str(device))
    assert done.returncode == 1
    assert b"No space left on device" in done.stderr or b"no space left" in done.stderr
    assert b"Traceback" not in done.stderr
    assert stat.S_ISCHR(device.stat().st_mode)


@pytest.mark.parametrize("command", [["parse"], ["parse", "-f", "csv"], ["validate"]])
def test_output_to_a_fifo_reaches_its_reader(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = _run(*command, str(SEED), "-o", str(fifo))
    reader.join(timeout=10)
    if reader.is_alive():  # nothing wrote to the FIFO: let the reader go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
    assert done.returncode == 0, done.stderr
    assert received == [_stdout_of(*command, str(SEED))]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_convert_never_replaces_a_fifo_or_device_standing_at_an_output(
    tmp_path: Path, jobs: str
) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    for name in ("a", "b", "c"):
        (source / f"{name}.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(out / "a.json")
    _mknod(out / "b.json", 3)
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", "convert", "-j", jobs, str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"cannot write {out / 'a.json'}: a FIFO stands there; it is left as it is" in done.stderr
    assert (
        f"cannot write {out / 'b.json'}: a device stands there; it is left as it is" in done.stderr
    )
    assert stat.S_ISFIFO(os.lstat(out / "a.json").st_mode)
    assert stat.S_ISCHR(os.lstat(out / "b.json").st_mode)
    assert json.loads((out / "c.json").read_text(encoding="utf-8"))["title"]  # the others go on
    again = subprocess.run(
        [sys.executable, "-m", "newsparse", "convert", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 1 and "a FIFO stands there" in again.stderr  # not "up to date"


def test_output_to_dev_fd_writes_through_the_descriptor() -> None:
    # What `-o >(gzip > x)` hands over: a pipe as /dev/fd/N.
    read_end, write_end = os.pipe()
    try:
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsparse",
                "parse",
                "-f",
                "jsonl",
                str(SEED),
                "-o",
                f"/dev/fd/{write_end}",
            ],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(write_end)
        write_end = -1
        with os.fdopen(read_end, "rb") as pipe:
            read_end = -1
            data = pipe.read()
        _, stderr = child.communicate(timeout=60)
    finally:
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)
    assert child.returncode == 0, stderr
    assert data == _stdout_of("parse", "-f", "jsonl", str(SEED))


def test_output_to_a_link_to_standard_output_appends_to_what_the_shell_opened(
    tmp_path: Path,
) -> None:
    # `-o /dev/stdout` with `>> file`; the link is made here, so that a writer that
    # replaced what it writes to could only replace this link, never the real /dev/stdout.
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"kept\n")
    stdout_link = tmp_path / "stdout"
    stdout_link.symlink_to("/proc/self/fd/1")
    with open(target, "ab") as stdout:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsparse",
                "parse",
                "-f",
                "jsonl",
                str(SEED),
                "-o",
                str(stdout_link),
            ],
            stdout=stdout,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    assert stdout_link.is_symlink()
    assert target.read_bytes() == b"kept\n" + _stdout_of("parse", "-f", "jsonl", str(SEED))


def test_output_through_a_symbolic_link_replaces_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real" / "articles.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = CliRunner().invoke(main, ["parse", str(SEED), "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert real.read_bytes() == _stdout_of("parse", str(SEED))
    assert sorted(p.name for p in real.parent.iterdir()) == ["articles.json"]


# --- the input is never the output --------------------------------------------------------


def test_standard_input_that_is_the_output_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "a.txt"
    dump.write_bytes(DUMP)
    with open(dump, "rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "newsparse", "parse", "-o", str(dump)],
            stdin=stdin,
            capture_output=True,
            check=False,
            timeout=60,
        )
    assert done.returncode == 2
    assert b"is also an input" in done.stderr
    assert dump.read_bytes() == DUMP


# --- file names that are not UTF-8 -------------------------------------------------------

BAD = b"bad\xff.txt"
SHOWN = "bad\\xff.txt"


def _tree_with_a_bad_name(tmp_path: Path) -> Path:
    tree = tmp_path / "d"
    tree.mkdir()
    for index in range(5):
        (tree / f"{index}_ok.txt").write_bytes(DUMP)
    with open(os.path.join(os.fsencode(tree), BAD), "wb") as bad:
        bad.write(DUMP)
    return tree


@pytest.mark.parametrize("format_name", ["json", "jsonl", "csv", "markdown", "dump"])
def test_parse_shows_a_name_that_is_not_utf8_escaped(tmp_path: Path, format_name: str) -> None:
    tree = _tree_with_a_bad_name(tmp_path)
    done = _run("parse", "-f", format_name, str(tree))
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")  # valid UTF-8, whole
    assert b"Traceback" not in done.stderr
    assert f"{SHOWN}:1:1: NP109".encode() in done.stderr
    expected = [str(tree / f"{i}_ok.txt") for i in range(5)] + [str(tree / SHOWN)]
    if format_name in ("json", "jsonl"):
        records = (
            json.loads(text)
            if format_name == "json"
            else [json.loads(line) for line in text.splitlines()]
        )
        assert [r["file"] for r in records] == expected
    elif format_name == "csv":
        assert f"\r\n{tree / SHOWN}," in text


def test_parquet_holds_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    tree = _tree_with_a_bad_name(tmp_path)
    out = tmp_path / "a.parquet"
    done = _run("parse", "-f", "parquet", str(tree), "-o", str(out))
    assert done.returncode == 0, done.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(out).column("file").to_pylist()[-1] == str(tree / SHOWN)


@pytest.mark.parametrize("format_name", ["text", "json", "github", "sarif", "gitlab", "junit"])
def test_validate_reports_a_name_that_is_not_utf8(tmp_path: Path, format_name: str) -> None:
    tree = _tree_with_a_bad_name(tmp_path)
    done = _run("validate", "-f", format_name, "--select", "NP109", str(tree))
    assert done.returncode == 0, done.stderr  # NP109 is a warning
    assert b"Traceback" not in done.stderr
    text = done.stdout.decode("utf-8")
    assert SHOWN in text or json.dumps(SHOWN)[1:-1] in text  # as such, or inside JSON


@pytest.mark.slow
@pytest.mark.parametrize("how", [["-j", "1"], ["-j", "2"], ["-j", "2", "--combine"]])
def test_convert_isolates_a_name_that_is_not_utf8(tmp_path: Path, how: list[str]) -> None:
    tree = _tree_with_a_bad_name(tmp_path)
    if "--combine" in how:
        target = tmp_path / "all.jsonl"
        done = _run("convert", str(tree), *how, str(target))
        assert done.returncode == 0, done.stderr
        files = [json.loads(line)["file"] for line in target.read_text().splitlines()]
        assert files == [str(tree / f"{i}_ok.txt") for i in range(5)] + [str(tree / SHOWN)]
    else:
        out = tmp_path / "out"
        done = _run("convert", str(tree), "-o", str(out), *how)
        assert done.returncode == 0, done.stderr
        names = sorted(os.listdir(os.fsencode(out)))
        assert names == sorted(
            [b".newsparse-manifest.json", b"bad\xff.json"]
            + [f"{i}_ok.json".encode() for i in range(5)]
        )
    assert b"Traceback" not in done.stderr


def test_one_failing_input_leaves_the_others_of_its_batch_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparse.batch import worker

    tree = tmp_path / "d"
    tree.mkdir()
    for index in range(6):
        (tree / f"{index}.txt").write_bytes(DUMP)
    real = worker._convert_file

    def failing(task: worker._Task, settings: worker._Settings) -> object:
        if task.path.endswith("2.txt"):
            raise UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed")
        return real(task, settings)

    monkeypatch.setattr(worker, "_convert_file", failing)
    result = CliRunner().invoke(
        main, ["convert", str(tree), "-o", str(tmp_path / "out"), "-j", "1", "-q"]
    )
    assert result.exit_code == 1
    assert sorted(os.listdir(tmp_path / "out")) == sorted(
        [".newsparse-manifest.json"] + [f"{i}.json" for i in range(6) if i != 2]
    )
    assert "2.txt: internal error while converting: UnicodeEncodeError" in result.stderr
    assert "Traceback" not in result.stderr


# --- dead workers and a dead parent -----------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(part) for part in text.split()]


def _big_tree(tmp_path: Path, count: int) -> Path:
    tree = tmp_path / "many"
    tree.mkdir()
    for index in range(count):
        (tree / f"{index:04d}.txt").write_bytes(DUMP * 8)
    return tree


def _wait_for_workers(pid: int, count: int = 2, timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = _children(pid)
        if len(children) >= count:
            return children
        time.sleep(0.002)
    pytest.fail("convert started no workers")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_worker_does_not_stop_convert(tmp_path: Path, signum: int) -> None:
    tree = _big_tree(tmp_path, 400)
    out = tmp_path / "out"
    child = subprocess.Popen(
        [sys.executable, "-m", "newsparse", "convert", str(tree), "-o", str(out), "-j", "2", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        workers = _wait_for_workers(child.pid)
        os.kill(workers[0], signum)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert b"Traceback" not in stderr
    assert b"BrokenProcessPool" not in stderr
    # The files the dead worker held were converted again in a fresh worker.
    assert child.returncode == 0, stderr
    assert len(list(out.glob("0*.json"))) == 400
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def _zombie_or_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_end_when_convert_is_killed(tmp_path: Path) -> None:
    tree = _big_tree(tmp_path, 400)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsparse",
            "convert",
            str(tree),
            "-o",
            str(tmp_path / "out"),
            "-j",
            "2",
            "-q",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    workers = _wait_for_workers(child.pid)
    os.kill(child.pid, signal.SIGKILL)
    try:
        # The pipes reach their end only once no worker holds them open.
        child.communicate(timeout=5)
        deadline = time.monotonic() + 5
        while not all(_zombie_or_gone(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_zombie_or_gone(pid) for pid in workers)
    finally:
        for pid in workers:  # the workers this test started, if they outlived it
            if not _zombie_or_gone(pid):
                os.kill(pid, signal.SIGKILL)
        child.wait()
    assert not list((tmp_path / "out").glob("**/.*.tmp")) if (tmp_path / "out").exists() else True


# --- memory ------------------------------------------------------------------------------


def _peak_rss(path: Path) -> int:
    """Return the peak RSS in bytes of `newsparse parse -q -f jsonl PATH` (Linux).

    The command is started by a small interpreter: a child's peak RSS starts from the
    high-water mark of the process it was forked from, which for pytest is large.
    """
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from memory import peak_rss
    finally:
        sys.path.pop(0)
    rss, _ = peak_rss([sys.executable, "-m", "newsparse", "parse", "-q", "-f", "jsonl", str(path)])
    return rss * 1024


@pytest.mark.slow
def test_bad_bytes_take_memory_in_proportion_to_the_input(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_bytes(b"\x80\x81")
    source = tmp_path / "bad.txt"
    source.write_bytes(bytes(range(0x80, 0x100)) * (8_000_000 // 128))
    baseline = _peak_rss(small)  # the interpreter and newsparse itself
    # The bytes, the text as UCS-2, its repaired copy and the output: about 12 times the
    # input. A string or a list entry per bad byte took 94 times.
    assert _peak_rss(source) - baseline < 20 * 8_000_000, baseline


def test_decoding_bad_bytes_counts_them_without_a_string_each() -> None:
    data = bytes(range(0x80, 0x100)) * (2_000_000 // 128)
    tracemalloc.start()
    try:
        decoded = newsparse.reading.decode(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert decoded.diagnostics[0].code == "NP102"
    assert "more not listed" in decoded.diagnostics[-1].message
    assert peak < 6 * len(data), peak


def test_nul_and_control_runs_list_only_the_first_few() -> None:
    text = "Scris de ana pe 1 mai 2020\n\n## T\n\n" + "\x01\0" * 200_000 + "\n"
    tracemalloc.start()
    try:
        result = newsparse.parse(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    codes = [d.code for d in result.diagnostics]
    assert codes.count("NP103") == 11 and codes.count("NP105") == 11
    summaries = [d.message for d in result.diagnostics if "more not listed" in d.message]
    assert [m.split("(")[-1] for m in summaries] == ["199990 more not listed)"] * 2
    assert peak < 40 * len(text), peak


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
def test_a_stream_is_cut_at_every_kind_of_line_end(
    monkeypatch: pytest.MonkeyPatch, newline: str
) -> None:
    monkeypatch.setattr(newsparse.api, "_FALLBACK_AT", 100_000)
    line = "Un rand de text fara sfarsit de articol."
    data = newline.join([line] * 100_000).encode()
    results = list(parse_stream(io.BytesIO(data), chunk_size=4096))
    # Cut in pieces, never held whole: past the first megabyte (read at once to detect
    # the encoding), no piece is much longer than the limit.
    assert len(results) > 20
    spans = [a.end_line - a.line + 1 for r in results[1:] for a in r.articles]
    assert max(spans) * (len(line) + len(newline)) < 110_000
    whole = newsparse.parse(data)
    streamed = [p for r in results for a in r.articles for p in a.paragraphs]
    assert "".join(streamed).replace(" ", "") == "".join(
        p for a in whole.articles for p in a.paragraphs
    ).replace(" ", "")


# --- interrupted outputs -------------------------------------------------------------------


def test_sigterm_while_writing_an_output_removes_its_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    script = (
        "import os, signal, time\n"
        "from newsparse.output import write_atomically\n"
        f"with write_atomically({str(target)!r}) as stream:\n"
        "    stream.write('partial')\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(5)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == -signal.SIGTERM, done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_sigterm_on_parse_output_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    child = subprocess.Popen(
        [sys.executable, "-m", "newsparse", "parse", "-o", str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None
    child.stdin.write(DUMP * 50)
    child.stdin.flush()
    deadline = time.monotonic() + 20
    while not list(tmp_path.glob(".out.json.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(tmp_path.glob(".out.json.*.tmp"))
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGTERM, stderr
    assert list(tmp_path.iterdir()) == []


# --- closed pipes -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "parse"])
def test_a_closed_pipe_keeps_the_status_of_the_run(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for index in range(300):  # far more report than a pipe holds
        (bad / f"{index}.txt").write_bytes(b"## no byline\n\ntext " * 20 + DUMP)
    piped = subprocess.run(
        [
            "bash",
            "-o",
            "pipefail",
            "-c",
            f"{sys.executable} -m newsparse {command} {bad} 2>/dev/null | head -c 10 >/dev/null",
        ],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert piped.returncode == 1
    clean = subprocess.run(
        [
            "bash",
            "-o",
            "pipefail",
            "-c",
            f"{sys.executable} -m newsparse parse {' '.join([str(SEED)] * 300)} | head -c 10",
        ],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert clean.returncode == 0, clean.stderr


# --- byte-order marks and the last byte -------------------------------------------------


def _stream_and_whole(
    data: bytes, chunk_size: int
) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    options = newsparse.ParseOptions(now=NOW)  # not the clock, which could tick between reads
    whole = newsparse.parse(data, options=options)
    results = list(parse_stream(io.BytesIO(data), options=options, chunk_size=chunk_size))
    return (
        [a.to_dict() for a in whole.articles],
        [a.to_dict() for r in results for a in r.articles],
        [d.to_dict() for d in whole.diagnostics],
        [d.to_dict() for r in results for d in r.diagnostics],
    )


def test_a_dump_with_a_bom_appended_to_another_gives_no_phantom_article() -> None:
    joined = DUMP + codecs.BOM_UTF8 + DUMP  # `cat a.txt b.txt`, b.txt saved with a BOM
    result = newsparse.parse(joined)
    assert len(result.articles) == 2
    assert result.articles[0].paragraphs == result.articles[1].paragraphs
    assert not [d for d in result.diagnostics if d.severity.value == "error"]
    for chunk_size in (1, 7, 4096):
        whole, streamed, whole_d, streamed_d = _stream_and_whole(joined, chunk_size)
        assert (streamed, streamed_d) == (whole, whole_d)


@pytest.mark.parametrize("chunk_size", [1, 3, 4096])
def test_a_last_legacy_byte_decodes_the_same_from_a_file_and_a_stream(chunk_size: int) -> None:
    data = b"Scris de ana pe 1 mai 2020\n\n## Titlu\n\nO cas\xe3"
    whole, streamed, whole_d, streamed_d = _stream_and_whole(data, chunk_size)
    assert whole[0]["blocks"][0]["text"] == "O casă"
    assert (streamed, streamed_d) == (whole, whole_d)


@pytest.mark.parametrize("chunk_size", [1, 2, 5, 13, 64, 4096])
def test_fuzz_minimised_bom_after_a_footer_streams_as_it_parses(chunk_size: int) -> None:
    data = (
        b"ADRESA: <http://crct.ro/h3>\r\n\xef\xbb\xbfScris de newsreporter pe 15 august "
        b"2022, 09:13  \t\r\r"
    )
    whole, streamed, whole_d, streamed_d = _stream_and_whole(data, chunk_size)
    assert (streamed, streamed_d) == (whole, whole_d)
    assert whole[-1]["author"] == "newsreporter"


# --- forged workflow commands -----------------------------------------------------------


def _forging_dump() -> bytes:
    return (
        b"Scris de ana pe 1 ##[add-mask]x 2019\n\n## Titlu\n\nText.\n\n"
        b"ADRESA: ##[error]FORGED\n"
        b"Scris de ion pe 3 mai 2020, actualizat ##[stop-commands]tok\n\n## Alt titlu\n\n"
        b"::warning file=x::FORGED\n\n"
    )


@pytest.mark.parametrize(
    "name", ["a.txt", "##[warning]X.txt", "::error title=FORGED::x.txt", " ::notice::x.txt"]
)
def test_validate_github_forges_no_command(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / name).write_bytes(_forging_dump())
    monkeypatch.chdir(tmp_path)  # bare names, as pre-commit passes them
    result = CliRunner().invoke(main, ["validate", "-f", "github", name])
    assert result.exit_code == 1
    assert forged_commands(result.stdout) == []
    assert forged_commands(result.stderr) == []
    ours = runner_commands(result.stdout)
    assert ours and all(
        line.startswith(("::error ", "::warning ", "::group::", "::endgroup::")) for line in ours
    )
    # The plain-text part still says what was found, readably.
    assert "##\\[error]FORGED" in result.stdout or "##\\[add-mask]" in result.stdout


def test_github_properties_are_escaped_exactly_as_actions_core_does() -> None:
    from newsparse.reporters.github import escape_property

    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert escape_property("x\u2028y\x1bz=") == "x\u2028y\x1bz="


@pytest.mark.parametrize("format_name", ["json", "jsonl"])
def test_json_output_carries_no_command_and_reads_back_the_same(format_name: str) -> None:
    result = CliRunner().invoke(main, ["parse", "-f", format_name, "-"], input=_forging_dump())
    assert forged_commands(result.stdout) == []
    assert forged_commands(result.stderr) == []
    text = result.stdout
    records = (
        [json.loads(line) for line in text.splitlines()]
        if format_name == "jsonl"
        else json.loads(text)
    )
    assert "##[error]FORGED" in json.dumps(records, ensure_ascii=False)


# --- control characters on a terminal --------------------------------------------------

HOSTILE_TITLE = "T\x1b]52;c;ZWNobyBoaQ==\x07\x1b]8;;http://x\x1b\\l\x1b]0;t\x07\x1b[2J\x07"


def _hostile_dump() -> bytes:
    return f"Scris de ana pe 1 mai 2020\n\n## {HOSTILE_TITLE}\n\nText.\n".encode()


@pytest.mark.parametrize("format_name", ["csv", "markdown", "dump"])
def test_a_terminal_gets_control_characters_escaped(tmp_path: Path, format_name: str) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(_hostile_dump())
    main_end, terminal = os.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "newsparse", "parse", "-q", "-f", format_name, str(source)],
            stdout=terminal,
            stderr=subprocess.PIPE,
        )
        os.close(terminal)
        terminal = -1
        shown = b""
        while True:
            try:
                chunk = os.read(main_end, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        child.communicate(timeout=60)
    finally:
        os.close(main_end)
        if terminal >= 0:
            os.close(terminal)
    assert b"\x1b" not in shown and b"\x07" not in shown
    assert b"\\x1b" in shown and b"52;c;ZWNobyBoaQ==" in shown
    # In a file or a pipe the data stays exact (Markdown escapes its own brackets).
    piped = _stdout_of("parse", "-q", "-f", format_name, str(source))
    if format_name == "markdown":
        assert b"# T\x1b\\]52;c;" in piped
    else:
        assert HOSTILE_TITLE.encode() in piped


def test_terminal_stream_keeps_line_ends_and_tabs() -> None:
    from newsparse.console import TerminalStream

    sink = io.StringIO()
    TerminalStream(sink).write("a\tb\r\nc\rd\x1b[2J\n")
    assert sink.getvalue() == "a\tb\r\nc\\x0dd\\x1b[2J\n"


# --- symbolic links ------------------------------------------------------------------------


def test_convert_never_writes_through_a_linked_directory_of_the_destination(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "a.txt").write_bytes(DUMP)
    (source / "b.txt").write_bytes(DUMP)
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to("../outside", target_is_directory=True)
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 1
    assert list(outside.iterdir()) == []
    assert (out / "b.json").exists()
    assert f"output directory {out / 'sub'} is a symbolic link" in result.stderr


def test_a_linked_directory_deeper_in_the_destination_stops_every_output_below_it(
    tmp_path: Path,
) -> None:
    source = tmp_path / "src"
    for name in ("x/a.txt", "x/y/b.txt", "x/y/z/c.txt", "x/w/d.txt"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(DUMP)
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    (out / "x").mkdir(parents=True)
    (out / "x" / "y").symlink_to(outside, target_is_directory=True)
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 1
    assert list(outside.iterdir()) == []
    assert (out / "x" / "a.json").exists() and (out / "x" / "w" / "d.json").exists()
    linked = f"output directory {out / 'x' / 'y'} is a symbolic link"
    assert result.stderr.count(linked) == 2  # x/y/b.txt and x/y/z/c.txt


@pytest.mark.parametrize("follow", [[], ["--no-follow-symlinks"]])
def test_source_links_are_followed_only_inside_the_source(
    tmp_path: Path, follow: list[str]
) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd.txt").write_bytes(DUMP)
    source = tmp_path / "src"
    (source / "real").mkdir(parents=True)
    (source / "real" / "a.txt").write_bytes(DUMP)
    (source / "inside.txt").symlink_to("real/a.txt")
    (source / "outside.txt").symlink_to(secret / "passwd.txt")
    (source / "etc").symlink_to(secret, target_is_directory=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(source), "-o", str(out), "-j", "1", "-q", *follow]
    )
    assert result.exit_code == 1
    written = sorted(
        str(p.relative_to(out)) for p in out.rglob("*.json") if p.name != ".newsparse-manifest.json"
    )
    assert written == (["real/a.json"] if follow else ["inside.json", "real/a.json"])
    assert "outside.txt: symbolic link leading outside" in result.stderr or follow
    assert not (out / "etc").exists()


@pytest.mark.parametrize("quiet", [[], ["-q"]])
def test_convert_messages_forge_no_command(tmp_path: Path, quiet: list[str]) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("##[warning]X.txt", "::error title=FORGED::x.txt"):
        (source / name).write_bytes(_forging_dump())
    result = CliRunner().invoke(
        main, ["convert", str(source), "-o", str(tmp_path / "out"), "-j", "1", *quiet]
    )
    assert result.exit_code == 1
    assert "X.txt" in result.stderr
    assert forged_commands(result.stderr) == []


@pytest.mark.parametrize("command", ["parse", "validate", "stats", "show"])
def test_closed_standard_input_is_an_error_not_a_traceback(command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", command, "-"],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.close(0),  # as `newsparse parse - <&-` starts it
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    # parse and show say it on stderr, validate in its report; stats counts the code.
    said = {"parse": done.stderr, "validate": done.stdout, "show": done.stdout}
    if command == "stats":
        assert "NP108" in done.stdout and "files with errors" in done.stdout
    else:
        assert "NP108 standard input is closed" in said[command]


@pytest.mark.parametrize("letter", ["a", "ș"])  # one byte, or two in UTF-8
def test_an_output_name_of_the_longest_length_is_still_written(tmp_path: Path, letter: str) -> None:
    from newsparse.output import temporary_prefix

    stem = letter * ((255 - len(".json")) // len(letter.encode()))
    source = tmp_path / "in"
    source.mkdir()
    (source / f"{stem}.txt").write_bytes(SEED.read_bytes())
    assert len(os.fsencode(temporary_prefix(f"{stem}.json"))) + len("0123456789.tmp") <= 255
    done = _run("convert", str(source), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".newsparse-manifest.json",
        f"{stem}.json",
    ]
    done = _run("parse", str(source / f"{stem}.txt"), "-o", str(tmp_path / f"{stem}.json"))
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / f"{stem}.json").read_text(encoding="utf-8"))["title"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_ends_as_soon_as_the_parent_pipe_closes() -> None:
    from newsparse.batch import worker

    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: what the pool's initializer does, then wait for tasks
        try:
            worker._init_worker(None, os.getppid(), (reading, writing))
            time.sleep(30)
        finally:
            os._exit(99)  # not reached when the watch works
    os.close(reading)
    started = time.monotonic()
    os.close(writing)  # what the parent's death does to its end
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGTERM
    assert time.monotonic() - started < 5


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_workers_are_given_the_parent_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparse.batch import ConvertOptions, Outcome, convert, worker

    def refused(parent: int) -> None:  # the fallback for workers that are not forked
        os._exit(70)

    monkeypatch.setattr(worker, "_end_with_parent", refused)  # forked workers inherit it
    seed = (Path(__file__).parent.parent / "samples" / "000_c61b72992829a382.txt").read_bytes()
    for index in range(6):
        (tmp_path / f"{index}.txt").write_bytes(seed)
    options = ConvertOptions(destination=str(tmp_path / "out"), jobs=2)
    results = list(convert([str(tmp_path)], options))
    assert [r.outcome for r in results] == [Outcome.CONVERTED] * 6


def _deep_tree(top: Path, depth: int) -> Path:
    """Make TOP/d/d/.../d (DEPTH directories) one by one; return the deepest."""
    path = str(top)
    for _ in range(depth):
        path = os.path.join(path, "d")
        os.mkdir(path)
    return Path(path)


def _remove_deep_tree(top: Path) -> None:
    """Remove TOP, deepest first, without recursion (shutil.rmtree and os.walk recurse)."""
    directories, stack = [], [str(top)]
    while stack:
        directory = stack.pop()
        directories.append(directory)
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)
    for directory in reversed(directories):
        os.rmdir(directory)


def test_a_tree_deeper_than_the_recursion_limit_is_read_and_converted(tmp_path: Path) -> None:
    # Discovery, the linked-directory check and the making of output directories each
    # recursed once per level: a tree of 500 directories gave a traceback (a path of
    # 4,096 characters holds 2,000). The recursion limit is lowered below the tree's depth
    # so that a small tree shows it.
    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    deepest = _deep_tree(source, 400)
    (deepest / "a.txt").write_bytes(DUMP)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 250)
    try:
        parsed = CliRunner().invoke(main, ["parse", "-q", str(source)])
        assert parsed.exit_code == 0, parsed.output
        assert json.loads(parsed.stdout)["title"]
        converted = CliRunner().invoke(main, ["convert", str(source), "-o", str(out), "-j", "1"])
        assert converted.exit_code == 0, converted.output
        assert "Traceback" not in converted.stderr
        assert (out / deepest.relative_to(source) / "a.json").is_file()
    finally:
        sys.setrecursionlimit(limit)
        _remove_deep_tree(tmp_path)
        tmp_path.mkdir()
