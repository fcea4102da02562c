"""The benchmark's corpus, baseline and report still work (behaviour only, never timings)."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

import newsparse

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus
import naive
import run


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, corpus.CorpusStats]:
    directory = tmp_path_factory.mktemp("corpus")
    return directory, corpus.generate(directory, 120, seed=7)


def test_corpus_is_deterministic(tiny: tuple[Path, corpus.CorpusStats], tmp_path: Path) -> None:
    directory, stats = tiny
    again = corpus.generate(tmp_path, 120, seed=7)
    assert vars(again) == vars(stats)
    for path in naive.iter_files(str(directory)):
        twin = tmp_path / Path(path).relative_to(directory)
        assert twin.read_bytes() == Path(path).read_bytes()
    assert (
        corpus.generate(tmp_path / "other", 5, seed=8).bytes
        != corpus.generate(tmp_path / "same", 5, seed=7).bytes
    )


def test_corpus_is_realistic(tiny: tuple[Path, corpus.CorpusStats]) -> None:
    directory, stats = tiny
    files = list(naive.iter_files(str(directory)))
    assert len(files) == stats.files == 120
    assert stats.articles > stats.files  # some files hold several articles
    sizes = [len(Path(f).read_bytes()) for f in files]
    assert min(sizes) > 1800 and sorted(sizes)[len(sizes) // 2] < 3500
    articles, encodings, codes = 0, set(), set()
    for path in files:
        result = newsparse.parse_file(path)
        articles += len(result.articles)
        encodings.add(result.encoding)
        codes.update(d.code for d in result.diagnostics)
        assert not result.has_errors, [d.format() for d in result.diagnostics]
    assert articles == stats.articles  # every generated article is found, none invented
    assert len(encodings) >= 2  # legacy encodings are present
    assert {"NP304", "NP309"} & codes  # broken paragraphs or glued articles


def test_naive_baseline_reads_the_corpus(tiny: tuple[Path, corpus.CorpusStats]) -> None:
    directory, stats = tiny
    out = io.StringIO()
    count = naive.run(list(naive.iter_files(str(directory))), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == count
    assert 0.8 * stats.articles <= count <= stats.articles
    assert sum(1 for r in rows if r["title"] and r["url"] and r["paragraphs"]) >= 0.8 * count


def test_stream_has_the_size_asked_and_parses() -> None:
    data = b"".join(corpus.stream_dumps(50_000, seed=3))
    assert len(data) == 50_000
    articles = [a for r in newsparse.api.parse_stream(io.BytesIO(data)) for a in r.articles]
    assert len(articles) >= 15
    assert corpus.parse_size("1G") == 1 << 30 and corpus.parse_size("250M") == 250 << 20


def test_in_process_contenders_and_the_report(tiny: tuple[Path, corpus.CorpusStats]) -> None:
    directory, stats = tiny
    files = list(naive.iter_files(str(directory)))
    times = run.interleaved(
        {"naive": run.NaiveRunner(files), "library": run.LibraryRunner(files)}, runs=1
    )
    rows = {
        name: run.row(f"{name} row", timed, articles_per_s=1.0, articles_per_cpu_s=2.0)
        for name, timed in times.items()
    }
    rows.update(run.measure_dates(20, 1, seed=1, log=lambda message: None))
    assert rows["dates_fast"]["disagreements"] == 0
    rows["memory_small"] = run.row("small", peak_rss_mb=40.0)
    rows["memory_large"] = run.row("large", peak_rss_mb=41.0)
    results = {
        "machine": {**run.machine_info(), "load_after": "-"},
        "rows": rows,
        "setup": {"seed": 1, "runs": 1, "corpus": vars(stats)},
    }
    results["ratios"] = run.ratios(rows)
    results["targets"] = run.verdicts(results["ratios"])
    verdict = {t["key"]: t["ok"] for t in results["targets"]}
    assert verdict["library_vs_naive"] is True and verdict["peak_rss_mb"] is True
    assert verdict["convert_j2_vs_single_memory"] is None
    assert verdict["cli_vs_floor"] is None and verdict["startup_vs_python"] is None
    table = run.format_table(results)
    assert "naive row" in table and "fast date path" in table and "not measured" in table
    json.dumps(results)


def test_ratios_against_the_floors() -> None:
    rows = {
        "cli": run.row("cli", articles_per_cpu_s=100.0),
        "floor_cli": run.row("floor", articles_per_cpu_s=400.0),
        "naive_cli": run.row("naive", articles_per_cpu_s=200.0),
        "convert_j2": run.row("j2", articles_per_s=50.0),
        "write_floor": run.row("writes", articles_per_s=55.0),
    }
    derived = run.ratios(rows)
    assert derived["cli_vs_floor"] == 4.0  # four times the floor's CPU time
    assert derived["cli_vs_naive_cli"] == 0.5
    assert derived["convert_j2_vs_write_floor"] == 1.1
    verdict = {t["key"]: t["ok"] for t in run.verdicts(derived)}
    assert verdict == {
        **verdict,
        "cli_vs_floor": False,
        "cli_vs_naive_cli": False,
        "convert_j2_vs_write_floor": True,
    }


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 (Linux or macOS)")
def test_machine_ceiling_runs_the_loop_halved_in_two_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(run.Spinner, "ITERATIONS", 200_000)
    one, two = run.Spinner(1), run.Spinner(2)
    assert len(one.commands) == 1 and len(two.commands) == 2
    assert "range(200000)" in one.commands[0][-1] and "range(100000)" in two.commands[1][-1]
    assert one() > 0 and two() > 0  # CPU seconds of the children, both counted
    failing = run.Spinner(1)
    failing.commands = [[sys.executable, "-c", "raise SystemExit(3)"]]
    with pytest.raises(RuntimeError, match="exited 3"):
        failing()  # a loop that fails gives no figure, not a quick false one
    rows = {"spin_one": run.row("one", median_s=0.9), "spin_two": run.row("two", median_s=0.6)}
    assert run.ratios(rows)["machine_two_vs_one"] == pytest.approx(1.5)


def test_write_floor_writes_the_same_files(tmp_path: Path) -> None:
    source = tmp_path / "out"
    (source / "a").mkdir(parents=True)
    (source / "a" / "x.jsonl").write_bytes(b'{"title": "Un titlu"}\n')
    (source / ".newsparse-manifest.json").write_text("{}", encoding="utf-8")
    floor = run.WriteFloor(source, tmp_path / "floor")
    floor.prepare()
    floor()
    assert (floor.out / "a" / "x.jsonl").read_bytes() == b'{"title": "Un titlu"}\n'
    assert not (floor.out / ".newsparse-manifest.json").exists()
    assert sorted(p.name for p in floor.out.rglob("*")) == ["a", "x.jsonl"]


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 (Linux or macOS)")
def test_launched_process_does_not_inherit_the_benchmarks_size() -> None:
    ballast = bytearray(b"x") * 80_000_000  # this process grows well beyond a bare interpreter
    status, peak, cpu = run.launched([sys.executable, "-c", "pass"])
    assert status == 0 and cpu >= 0
    assert peak < 60, peak  # a bare interpreter is ~10 MB; the ballast would show as 80+
    assert len(ballast) == 80_000_000


@pytest.mark.skipif(sys.platform == "win32", reason="the wrapper reads getrusage (Unix only)")
def test_the_benchmarks_time_their_runs_with_the_one_shared_wrapper() -> None:
    import archives
    import convert
    import stats
    import timing

    assert archives.run_once is stats.run_once is timing.run_once
    assert convert.timing is timing
    for module in (archives, convert, stats):
        assert not hasattr(module, "measure")  # no copy of the wrapper left behind
    grow = "import sys; data = bytearray(60_000_000); sys.stderr.write('done'); sys.exit(1)"
    figures = timing.run_once([sys.executable, "-c", grow])
    assert figures["returncode"] == 1  # exit status 1 counts as a run
    assert figures["stderr"] == "done"
    assert figures["peak_kb"] > 60_000  # the command's own peak, in KB
    assert figures["cpu_seconds"] >= figures["user_seconds"] >= 0
    assert 0 < figures["seconds"] < 60
    with pytest.raises(SystemExit, match=r"^convert failed \(3\):\nbroken$"):
        timing.run_once(
            [sys.executable, "-c", "import sys; sys.stderr.write('broken'); sys.exit(3)"],
            "convert",
        )


def test_the_plan_benchmark_plans_every_input_against_its_floor(
    tiny: tuple[Path, corpus.CorpusStats], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import plan

    directory, _ = tiny
    inputs = sum(1 for p in directory.rglob("*.txt"))
    assert plan.plan_only(str(directory), str(tmp_path / "a")) == inputs
    assert plan.floor(str(directory), str(tmp_path / "b")) == inputs
    assert list((tmp_path / "a").rglob("*.json")) == []  # planned only: nothing converted
    assert plan.main(["--corpus", str(directory), "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert f"inputs: {inputs};" in out and "plan / floor" in out
