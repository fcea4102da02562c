"""A failing stderr, a signal mid-run, an unreadable path: the output whole, nothing held back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_c61b72992829a382.txt"
MALFORMED = ROOT / "samples" / "malformed" / "004_malformed.txt"
NEWSPARSE = [sys.executable, "-m", "newsparse"]


def _expected(args: list[str]) -> tuple[bytes, int]:
    done = subprocess.run([*NEWSPARSE, *args], capture_output=True, check=False, timeout=60)
    return done.stdout, done.returncode


@pytest.mark.parametrize("options", [[], ["-f", "jsonl"], ["-f", "csv"]])
def test_a_stderr_whose_reader_is_gone_still_gets_the_whole_output(
    tmp_path: Path, options: list[str]
) -> None:
    args = ["parse", *options, str(SEED), str(MALFORMED)]
    expected, status = _expected(args)
    read, write = os.pipe()
    os.close(read)  # nobody reads standard error: each write to it fails
    out = tmp_path / "out"
    with out.open("wb") as stdout:
        done = subprocess.run(
            [*NEWSPARSE, *args], stdout=stdout, stderr=write, check=False, timeout=60
        )
    os.close(write)
    assert out.read_bytes() == expected
    assert done.returncode == status == 1


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_a_closed_or_full_stderr_still_gets_the_whole_output(tmp_path: Path, redirect: str) -> None:
    if redirect == "2>/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    args = ["parse", str(SEED), str(MALFORMED)]
    expected, status = _expected(args)
    out = tmp_path / "out.json"
    command = " ".join([*NEWSPARSE, *args])
    done = subprocess.run(["bash", "-c", f"{command} > {out} {redirect}"], check=False, timeout=60)
    assert out.read_bytes() == expected
    assert len(json.loads(expected)) == 3
    assert done.returncode == status == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_run_writes_the_diagnostics_waiting_then_ends_the_process(
    tmp_path: Path, signum: int
) -> None:
    fifo = tmp_path / "nobody-writes-here.txt"
    os.mkfifo(fifo)
    child = subprocess.Popen(
        [*NEWSPARSE, "parse", "-f", "jsonl", str(MALFORMED), str(fifo)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    time.sleep(2)  # the first file is read; opening the second waits for a writer
    child.send_signal(signum)
    errors = child.stderr.read().decode("utf-8")
    child.stderr.close()
    assert child.wait(timeout=60) == -signum  # died of it, as without the clean-up
    assert errors.count(": NP") == 4, errors  # the first file's, which were waiting
    assert "Traceback" not in errors


def test_an_unreadable_path_is_the_readers_error_not_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # click checks a path's readability itself unless told not to; the quick path and
    # the readers do not, and report an unreadable file as NP108 while the others go on.
    target = str(SEED)
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        return False if str(path) == target else real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    for args in (
        ["parse", "-f", "csv", target],
        ["validate", target],
        ["stats", target],
        ["convert", target, "-o", str(tmp_path / "out")],
    ):
        result = CliRunner().invoke(main, args)
        assert "is not readable" not in result.output, args
        assert result.exit_code == 0, (args, result.output)


def test_ctrl_c_while_loading_is_a_message_not_a_traceback() -> None:
    script = (
        "import sys\n"
        "import newsparse.cli as cli\n"
        "def interrupted(*args):\n"
        "    raise KeyboardInterrupt\n"
        "cli._parse_paths = interrupted\n"
        f"sys.argv = ['newsparse', 'parse', {str(SEED)!r}]\n"
        "cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 130
    assert done.stderr == "newsparse: interrupted\n"


def test_outside_the_main_thread_the_signals_are_left_as_they_are() -> None:
    # A library caller may run `run_parse` in a thread, where no handler can be set.
    import threading

    from newsparse.cli.files import _ending_on_signals

    before = signal.getsignal(signal.SIGTERM)
    seen: list[object] = []

    def work() -> None:
        with _ending_on_signals():
            seen.append(signal.getsignal(signal.SIGTERM))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert seen == [before]
    assert signal.getsignal(signal.SIGTERM) is before
