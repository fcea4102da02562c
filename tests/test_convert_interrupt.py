"""A real `newsparse convert` process stopped mid-run leaves only complete outputs."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsparse.batch import MANIFEST_NAME

from .conftest import SEED
from .test_convert import _row

FILES = 2000


def make_corpus(src: Path) -> None:
    seed = SEED.read_bytes()
    for index in range(FILES):
        folder = src / f"d{index % 30:02}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{index:05}.txt").write_bytes(seed.replace(b"Putin", f"P{index}".encode()))


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def outputs(out: Path) -> list[Path]:
    return [p for p in out.rglob("*.json") if p.name != MANIFEST_NAME]


@pytest.mark.slow
@pytest.mark.parametrize(
    "signum, status, jobs",
    [
        (signal.SIGINT, 130, "2"),
        (signal.SIGTERM, 143, "2"),
        (signal.SIGINT, 130, "1"),
    ],
    ids=["SIGINT", "SIGTERM", "SIGINT-in-process"],
)
def test_interrupted_run_leaves_only_complete_outputs(
    tmp_path: Path, signum: int, status: int, jobs: str
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_corpus(src)
    command = [sys.executable, "-m", "newsparse", "convert", str(src), "-o", str(out), "-j", jobs]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A shell starts a background job with SIGINT ignored, and convert rightly keeps
        # ignoring it: the child gets the default back, however the tests were started.
        preexec_fn=_interruptible,
    )
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if out.exists() and len(outputs(out)) >= 50:
            break
        time.sleep(0.005)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == status, stderr.decode()
    assert stdout == b""
    text = stderr.decode()
    assert "newsparse convert: interrupted" in text
    assert "Traceback" not in text
    written = outputs(out)
    assert 50 <= len(written) < FILES
    for path in written:
        assert json.loads(path.read_text())["title"].startswith("Vladimir P")
    assert list(tmp_path.rglob("*.tmp")) == []
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    recorded = set(manifest["outputs"])
    on_disk = {str(p.relative_to(out)) for p in written}
    if jobs == "1":
        # In-process, Ctrl-C can land after an output is in place and before it is
        # recorded: that output is complete, and is merely converted again next time.
        assert recorded <= on_disk and len(on_disk - recorded) <= 1
    else:
        # With workers the main process waits for their last results and records them.
        assert recorded == on_disk
    assert int(_row(text, "files converted").replace(",", "")) <= len(written)

    if (signum, jobs) != (signal.SIGINT, "2"):
        return  # the rerun below is the same whatever stopped the first run
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert int(_row(rerun.stderr, "files skipped").replace(",", "")) == len(written)
    assert int(_row(rerun.stderr, "files converted").replace(",", "")) == FILES - len(written)
    assert len(outputs(out)) == FILES


def test_a_run_interrupted_before_any_input_does_not_say_none_was_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from newsparse.batch import run
    from newsparse.cli import main

    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())

    def case_skipped_then_interrupted(*args: object, **kwargs: Any) -> object:
        kwargs["case_skipped"].append(str(tmp_path / "B.TXT"))  # found, then Ctrl-C
        raise KeyboardInterrupt  # while the first directory is being searched

    monkeypatch.setattr(run, "discover", case_skipped_then_interrupted)
    result = CliRunner().invoke(main, ["convert", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 130, result.output
    assert "newsparse convert: interrupted" in result.stderr
    assert "no input files found" not in result.stderr
    # What the search did find is still said.
    assert "1 file skipped that matches --glob '*.txt' only when case is ignored" in (result.stderr)
