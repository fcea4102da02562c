"""`--dedupe` on parse, validate and convert --combine: what is kept, reported and counted."""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsparse.cli import main

from .conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def titles(jsonl: str) -> list[str]:
    return [json.loads(line)["title"] for line in jsonl.splitlines()]


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, corpus.PlantedCorpus]:
    folder = tmp_path / "dumps"
    return folder, corpus.generate_with_duplicates(folder, 60, seed=4, exact=0.2, near=0.2)


def test_parse_dedupe_keeps_the_first_copy_and_says_how_many(
    planted: tuple[Path, corpus.PlantedCorpus],
) -> None:
    folder, truth = planted
    plain = run("parse", "-q", "-f", "jsonl", str(folder))
    result = run("parse", "-f", "jsonl", str(folder), "--dedupe", "exact")
    assert result.exit_code == plain.exit_code == 0
    copies = {str(folder / name) for name in truth.exact}
    kept = [json.loads(line)["file"] for line in result.stdout.splitlines()]
    assert sorted(kept) == sorted(
        f
        for f in (json.loads(line)["file"] for line in plain.stdout.splitlines())
        if f not in copies
    )
    for name, source in truth.exact.items():
        line = (
            re.escape(str(folder / name))
            + r":\d+:1: NP501 same article as "
            + re.escape(str(folder / source))
            + r":\d+\n"
        )
        assert re.search(line, result.stderr), name
    count = len(truth.exact)
    assert result.stderr.endswith(
        f"newsparse: {count} duplicate articles left out; the first copy of each is kept\n"
    )


def test_parse_dedupe_near_also_leaves_out_near_copies(
    planted: tuple[Path, corpus.PlantedCorpus],
) -> None:
    folder, truth = planted
    result = run("parse", "-f", "jsonl", str(folder), "--dedupe", "near", "-q")
    kept = {json.loads(line)["file"] for line in result.stdout.splitlines()}
    assert result.exit_code == 0 and result.stderr == ""
    assert not kept & {str(folder / name) for name in [*truth.exact, *truth.near]}
    assert len(kept) == 60 - len(truth.exact) - len(truth.near)


def test_validate_reports_copies_only_when_asked(
    planted: tuple[Path, corpus.PlantedCorpus],
) -> None:
    folder, truth = planted
    quiet = run("validate", "--select", "NP5", str(folder))
    assert quiet.exit_code == 0 and "NP50" not in quiet.stdout
    report = run("validate", "--select", "NP5", "--dedupe", "near", "-f", "json", str(folder))
    assert report.exit_code == 0, report.stderr
    found = json.loads(report.stdout)
    codes = {(Path(d["file"]).relative_to(folder).as_posix(), d["code"]) for d in found}
    assert {(name, "NP501") for name in truth.exact} <= codes
    reported = {name for name, _ in codes}
    assert reported == set(truth.exact) | set(truth.near)  # nothing else: no false alarm


def test_options_are_checked() -> None:
    result = run("parse", str(SAMPLES), "--dedupe", "fuzzy")
    assert result.exit_code == 2 and "'fuzzy' is not one of 'exact', 'near'" in result.stderr
    result = run("parse", str(SAMPLES), "--dedupe-threshold", "0.4")
    assert result.exit_code == 2 and "applies to --dedupe near only" in result.stderr
    result = run("parse", str(SAMPLES), "--dedupe", "near", "--dedupe-threshold", "1.5")
    assert result.exit_code == 2 and "--dedupe-threshold" in result.stderr
    result = run("convert", str(SAMPLES), "-o", "out", "--dedupe")
    assert result.exit_code == 2 and "--combine" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("extension", [".jsonl", ".csv", ".json"])
def test_convert_combine_dedupe_is_the_same_with_any_number_of_workers(
    planted: tuple[Path, corpus.PlantedCorpus], tmp_path: Path, jobs: str, extension: str
) -> None:
    folder, truth = planted
    out = tmp_path / f"all{extension}"
    result = run("convert", str(folder), "--combine", str(out), "--dedupe", "-j", jobs)
    assert result.exit_code == 0, result.stderr
    assert re.search(rf"duplicates left out\W+{len(truth.exact)}\b", result.stderr), result.stderr
    expected = run("parse", "-q", "-f", extension[1:], str(folder), "--dedupe", "exact")
    assert out.read_text("utf-8") == expected.stdout


# --- the property: a corpus concatenated with itself, deduplicated, is the corpus once ----


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000), count=st.integers(1, 8), near=st.sampled_from(["exact", "near"])
)
def test_a_corpus_concatenated_with_itself_gives_the_corpus_once(
    seed: int, count: int, near: str
) -> None:
    rng = random.Random(seed)
    texts = []
    while len(texts) < count:
        text = corpus.article(rng)
        if text not in texts:
            texts.append(text)
    once = "\n".join(texts) + "\n"
    with tempfile.TemporaryDirectory() as directory:
        single = Path(directory) / "corpus.txt"
        single.write_text(once, "utf-8")
        double = Path(directory) / "twice.txt"
        double.write_text(once + once, "utf-8")
        plain = run("parse", "-q", "-f", "jsonl", str(single))
        deduped = run("parse", "-q", "-f", "jsonl", str(double), "--dedupe", near)
        separate = run("parse", "-q", "-f", "jsonl", str(single), str(single), "--dedupe", near)
    assert deduped.exit_code == plain.exit_code
    kept = [json.loads(line) for line in deduped.stdout.splitlines()]
    originals = [json.loads(line) for line in plain.stdout.splitlines()]
    for record in [*kept, *originals]:
        record.pop("file")
    assert kept == originals
    assert titles(separate.stdout) == titles(plain.stdout)
