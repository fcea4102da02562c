"""newsparse.dask: bags, dataframes and Parquet parts that agree with `newsparse parse`."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse import InvalidOption, ParseOptions
from newsparse.cli import main

from .dumps import write_dumps

COUNT = 300


def test_import_without_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsparse.errors import MissingDependency

    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.delitem(sys.modules, "newsparse.dask", raising=False)
    with pytest.raises(MissingDependency, match=r"pip install 'newsparse\[dask\]'"):
        import newsparse.dask  # noqa: F401


dask = pytest.importorskip(
    "dask", reason="the dask extra is not installed (pip install -e '.[dask]')"
)
pytest.importorskip("fsspec", reason="the dask extra is not installed (fsspec)")

import newsparse.dask as nd  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("dask-corpus")
    write_dumps(directory, COUNT)
    # `a-c.txt` sorts before `a/` as text, after it as a directory walk: the walk wins.
    (directory / "a").mkdir()
    (directory / "a" / "b.txt").write_text("Scris de x pe 1 mai 2020, 10:00\n\n## In a/\n\nText.")
    (directory / "a-c.txt").write_text("Scris de y pe 2 mai 2020, 11:00\n\n## Beside a/\n\nText.")
    return directory


@pytest.fixture(scope="module")
def cli_output(corpus: Path) -> tuple[list[dict], list[str]]:
    """What `newsparse parse -f jsonl` gives: articles, and diagnostic lines."""
    result = CliRunner().invoke(main, ["parse", "-f", "jsonl", str(corpus)])
    assert result.exit_code == 1  # the corpus holds broken dumps on purpose
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(articles) > COUNT
    return articles, result.stderr.splitlines()


def compute(collection: object, scheduler: str) -> object:
    with dask.config.set(scheduler=scheduler, num_workers=2):
        return collection.compute()  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_bag_gives_the_articles_of_newsparse_parse(
    corpus: Path, cli_output: tuple[list[dict], list[str]], scheduler: str
) -> None:
    bag = nd.read_dumps(str(corpus), files_per_partition=16)
    assert bag.npartitions == -(-(COUNT + 2) // 16)
    assert compute(bag, scheduler) == cli_output[0]


def test_a_glob_and_a_partition_per_file_give_the_same(
    corpus: Path, cli_output: tuple[list[dict], list[str]]
) -> None:
    bag = nd.read_dumps(f"{corpus}/**/*.txt", files_per_partition=1)
    assert bag.npartitions == COUNT + 2
    assert compute(bag, "sync") == cli_output[0]


@pytest.mark.slow
def test_diagnostics_bag_gives_the_diagnostics_of_newsparse_parse(
    corpus: Path, cli_output: tuple[list[dict], list[str]]
) -> None:
    articles, diagnostics = nd.read_dumps_with_diagnostics(str(corpus), files_per_partition=50)
    with dask.config.set(scheduler="processes", num_workers=2):
        articles, diagnostics = dask.compute(articles, diagnostics)
    assert articles == cli_output[0]
    lines = [
        f"{d['file']}:{d['line']}:{d['column']}: {d['code']} {d['message']}" for d in diagnostics
    ]
    assert lines == cli_output[1]
    assert {"NP101", "NP104", "NP201"} <= {d["code"] for d in diagnostics}


def test_included_diagnostics_go_to_the_article_they_belong_to(corpus: Path) -> None:
    articles, diagnostics = nd.read_dumps_with_diagnostics(str(corpus))
    records = compute(nd.read_dumps(str(corpus), include_diagnostics=True), "sync")
    files_with_articles = {record["file"] for record in records}
    wanted = [d for d in compute(diagnostics, "sync") if d["file"] in files_with_articles]
    # Each diagnostic lies between its article's first line and the next article's.
    for index, record in enumerate(records):
        following = records[index + 1] if index + 1 < len(records) else None
        first_of_file = index == 0 or records[index - 1]["file"] != record["file"]
        for diagnostic in record["diagnostics"]:
            assert diagnostic["file"] == record["file"]
            assert first_of_file or diagnostic["line"] >= record["line"]
            if following is not None and following["file"] == record["file"]:
                assert diagnostic["line"] < following["line"]
    assert sum(1 for r, f in itertools.pairwise(records) if r["file"] == f["file"]) > 10
    attached = [d for record in records for d in record.pop("diagnostics")]
    assert attached == wanted
    assert records == compute(articles, "sync")


def test_a_missing_or_oversized_file_is_reported_and_the_others_go_on(corpus: Path) -> None:
    good = sorted(str(path) for path in corpus.glob("*.txt"))[:3]
    missing = str(corpus / "gone.txt")
    articles, diagnostics = nd.read_dumps_with_diagnostics([*good, missing])
    articles, diagnostics = dask.compute(articles, diagnostics, scheduler="sync")
    assert articles  # the good files still gave their articles
    assert [d["code"] for d in diagnostics if d["file"] == missing] == ["NP108"]
    small = ParseOptions(max_size=10)
    articles, diagnostics = nd.read_dumps_with_diagnostics(good, options=small)
    articles, diagnostics = dask.compute(articles, diagnostics, scheduler="sync")
    assert articles == []
    assert [d["code"] for d in diagnostics] == ["NP106"] * 3


def test_sizes_from_the_listing_enforce_max_size(corpus: Path) -> None:
    small = ParseOptions(max_size=10)
    articles, diagnostics = nd.read_dumps_with_diagnostics(str(corpus), options=small)
    articles, diagnostics = dask.compute(articles, diagnostics, scheduler="sync")
    assert articles == []
    large = [str(p) for p in corpus.rglob("*.txt") if p.stat().st_size > 10]
    assert sorted(d["file"] for d in diagnostics if d["code"] == "NP106") == sorted(large)
    assert {d["code"] for d in diagnostics} == {"NP106", "NP101"}  # NP101: empty files


def test_list_dumps_follows_the_order_of_newsparse_parse(corpus: Path) -> None:
    from newsparse.reading import discover

    _, paths = nd.list_dumps(str(corpus))
    assert paths == [entry.path for entry in discover([str(corpus)])]
    assert nd.list_dumps(f"{corpus}/**/*.txt")[1] == paths
    assert nd.list_dumps(f"{corpus}/a")[1] == [f"{corpus}/a/b.txt"]


def test_bad_arguments_are_refused_before_any_work(corpus: Path) -> None:
    with pytest.raises(InvalidOption, match="files_per_partition"):
        nd.read_dumps(str(corpus), files_per_partition=0)
    with pytest.raises(InvalidOption, match="time zone"):
        nd.read_dumps(str(corpus), options=ParseOptions(tz="Europe/Atlantis"))
    assert compute(nd.read_dumps(f"{corpus}/nothing-*.txt"), "sync") == []


def test_dataframe_has_typed_columns(
    corpus: Path, cli_output: tuple[list[dict], list[str]]
) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is not installed (dask[dataframe])")
    from newsparse.tabular import COLUMNS, instant

    def plain(value: object) -> object:
        return None if pd.isna(value) else value

    frame = nd.to_dataframe(nd.read_dumps(str(corpus), files_per_partition=64))
    assert tuple(frame.columns) == COLUMNS
    assert str(frame.dtypes["published"]) == "datetime64[us, UTC]"
    assert str(frame.dtypes["updated"]) == "datetime64[us, UTC]"
    assert str(frame.dtypes["line"]) == "int64"
    assert str(frame.dtypes["paragraphs"]) == "list<item: string not null>[pyarrow]"
    assert str(frame.dtypes["images"]).startswith("list<item: struct<file: string")
    local = compute(frame, "threads")
    expected = cli_output[0]
    assert [plain(title) for title in local["title"]] == [r["title"] for r in expected]
    assert [plain(text) for text in local["published_local"]] == [r["published"] for r in expected]
    published = [None if pd.isna(value) else value.to_pydatetime() for value in local["published"]]
    assert published == [instant(r["published"]) for r in expected]
    assert None in published  # bylines with a date only are in the corpus
    assert [list(p) for p in local["paragraphs"]] == [r["paragraphs"] for r in expected]


def test_parquet_parts_read_back_as_the_json(
    corpus: Path, cli_output: tuple[list[dict], list[str]], tmp_path: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
    from newsparse.tabular import to_record

    bag = nd.read_dumps(str(corpus), files_per_partition=100)
    with dask.config.set(scheduler="threads", num_workers=2):
        written = nd.to_parquet(bag, str(tmp_path / "out"), row_group_size=50)
    assert written == [str(tmp_path / "out" / f"part.{i:05d}.parquet") for i in range(4)]
    rows = [row for path in written for row in pq.read_table(path).to_pylist()]
    assert [to_record(row) for row in rows] == cli_output[0]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [Path(p).name for p in written]


def test_any_fsspec_filesystem_works_and_urls_keep_their_protocol(corpus: Path) -> None:
    import fsspec

    memory = fsspec.filesystem("memory")
    sources = sorted(corpus.glob("*.txt"))[:20]
    try:
        for source in sources:
            memory.pipe(f"/newsparse-test/dumps/{source.name}", source.read_bytes())
        bag = nd.read_dumps("memory://newsparse-test/dumps/**/*.txt", files_per_partition=7)
        records = compute(bag, "threads")
        expected = [
            {
                **record,
                "file": memory.unstrip_protocol(
                    f"/newsparse-test/dumps/{Path(record['file']).name}"
                ),
            }
            for record in compute(nd.read_dumps([str(p) for p in sources]), "sync")
        ]
        assert records == expected
        assert records[0]["file"].startswith("memory://")
        with dask.config.set(scheduler="threads"):
            written = nd.to_parquet(bag, "memory://newsparse-test/out")
        assert written == [
            memory.unstrip_protocol(f"/newsparse-test/out/part.{i:05d}.parquet") for i in range(3)
        ]
        assert all(memory.cat_file(url)[:4] == b"PAR1" for url in written)
    finally:
        memory.rm("/newsparse-test", recursive=True)


# --- the same objects, in the same order, as the command line ------------------------------


def cli_articles(*paths: str) -> list[dict]:
    result = CliRunner().invoke(main, ["parse", "-q", "-f", "jsonl", *paths])
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def small_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A few dumps under ./dumps, with the working directory above them."""
    write_dumps(tmp_path / "dumps", 12)
    (tmp_path / "dumps" / "a").mkdir()
    (tmp_path / "dumps" / "a" / "b.txt").write_text(
        "Scris de x pe 1 mai 2020, 10:00\n\n## In a/\n\nText."
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path / "dumps"


@pytest.mark.parametrize("given", ["dumps", "dumps/", "./dumps", "dumps/a/../a/.."])
def test_file_names_are_the_paths_as_given(small_corpus: Path, given: str) -> None:
    records = compute(nd.read_dumps(given, files_per_partition=5), "sync")
    expected = cli_articles(given)
    assert [r["file"] for r in records] == [r["file"] for r in expected]
    assert records == expected
    assert not any(Path(r["file"]).is_absolute() for r in records)


def test_a_glob_names_files_as_a_shell_expands_it(small_corpus: Path) -> None:
    records = compute(nd.read_dumps("dumps/**/*.txt"), "sync")
    assert records == cli_articles("dumps")
    assert records[0]["file"].startswith("dumps/")


def test_a_list_keeps_its_order_as_the_command_line_does(small_corpus: Path) -> None:
    names = sorted(str(p.relative_to(small_corpus.parent)) for p in small_corpus.rglob("*.txt"))
    given = [names[5], "dumps/a", names[0], names[5]]
    records = compute(nd.read_dumps(given, files_per_partition=2), "sync")
    expected = cli_articles(*given)
    assert [r["file"] for r in records] == [r["file"] for r in expected]
    assert records == expected
    assert records[0]["file"] == given[0]
    articles, diagnostics = nd.read_dumps_with_diagnostics(given)
    articles, diagnostics = dask.compute(articles, diagnostics, scheduler="sync")
    assert articles == expected
    assert {d["file"] for d in diagnostics} <= set(given) | {"dumps/a/b.txt"}
    # An absolute path stays absolute, as on the command line.
    absolute = str(small_corpus.parent / names[1])
    assert compute(nd.read_dumps([absolute]), "sync") == cli_articles(absolute)


@pytest.mark.slow
# Dask's parquet writer itself calls set_index(inplace=True), which pandas 3.1 deprecates.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.set_index is deprecated")
def test_on_a_distributed_cluster_with_dasks_own_parquet_writer(
    small_corpus: Path, tmp_path: Path
) -> None:
    distributed = pytest.importorskip(
        "dask.distributed",
        reason="dask.distributed is not installed (pip install -e '.[consumers]')",
    )
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
    from newsparse.tabular import to_record

    names = sorted(str(p.relative_to(small_corpus.parent)) for p in small_corpus.rglob("*.txt"))
    given = ["dumps/a", *reversed(names)]
    expected = cli_articles(*given)
    # In-process workers: no sockets, and quick to start.
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        bag = nd.read_dumps(given, files_per_partition=4)
        assert client.compute(bag).result() == expected
        frame = nd.to_dataframe(bag)
        frame.to_parquet(str(tmp_path / "frame"))  # Dask's own writer, no schema= needed
    table = pq.read_table(tmp_path / "frame")
    rows = table.drop_columns([c for c in table.column_names if c.startswith("__")]).to_pylist()
    assert [to_record(row) for row in rows] == expected
