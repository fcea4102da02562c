"""newsparse.dask_dedupe: exact duplicates dropped on Dask as `parse --dedupe exact` drops them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import main

from .conftest import ROOT

dask = pytest.importorskip(
    "dask", reason="the dask extra is not installed (pip install -e '.[dask]')"
)

import newsparse.dask as nd  # noqa: E402
from newsparse.dask_dedupe import add_fingerprints, drop_duplicates  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, corpus.PlantedCorpus]:
    folder = tmp_path_factory.mktemp("dask-dedupe")
    return folder, corpus.generate_with_duplicates(folder, 120, seed=9, exact=0.25, near=0.1)


def deduped_by_the_cli(folder: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["parse", "-q", "-f", "jsonl", str(folder), "--dedupe"])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    ("scheduler", "per_partition", "split_every"),
    [("sync", 120, None), ("threads", 7, None), ("threads", 1, 2)],
)
def test_the_first_copies_are_kept_in_order_whatever_the_partitions(
    planted: tuple[Path, corpus.PlantedCorpus],
    scheduler: str,
    per_partition: int,
    split_every: int | None,
) -> None:
    folder, truth = planted
    bag = drop_duplicates(
        nd.read_dumps(str(folder), files_per_partition=per_partition), split_every=split_every
    )
    with dask.config.set(scheduler=scheduler, num_workers=2):
        kept = bag.compute()
    for record in kept:
        assert len(record.pop("fingerprint")) == 32
        assert isinstance(record.pop("copies"), int)
    assert kept == deduped_by_the_cli(folder)
    assert len(kept) == 120 - len(truth.exact)


def test_copies_are_counted_on_the_first(planted: tuple[Path, corpus.PlantedCorpus]) -> None:
    folder, truth = planted
    with dask.config.set(scheduler="sync"):
        kept = drop_duplicates(nd.read_dumps(str(folder), files_per_partition=10)).compute()
    counted = {Path(str(r["file"])).relative_to(folder).as_posix(): r["copies"] for r in kept}
    expected: dict[str, int] = {}
    for source in truth.exact.values():
        expected[source] = expected.get(source, 0) + 1
    assert {name: n for name, n in counted.items() if n} == expected


def test_fingerprints_are_those_of_the_library(planted: tuple[Path, corpus.PlantedCorpus]) -> None:
    import newsparse
    from newsparse.dedupe import article_fingerprint

    folder, _ = planted
    with dask.config.set(scheduler="sync"):
        records = add_fingerprints(nd.read_dumps(str(folder), files_per_partition=50)).take(5)
    for record in records:
        article = newsparse.parse_file(str(record["file"])).articles[0]
        assert record["fingerprint"] == article_fingerprint(article).digest.hex()


@pytest.mark.slow
def test_on_a_distributed_cluster_with_worker_processes(
    planted: tuple[Path, corpus.PlantedCorpus],
) -> None:
    distributed = pytest.importorskip(
        "dask.distributed",
        reason="dask.distributed is not installed (pip install -e '.[consumers]')",
    )
    folder, _ = planted
    # Worker processes: fingerprints made in other interpreters must agree.
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        kept = client.compute(
            drop_duplicates(nd.read_dumps(str(folder), files_per_partition=9))
        ).result()
    for record in kept:
        del record["fingerprint"], record["copies"]
    assert kept == deduped_by_the_cli(folder)
