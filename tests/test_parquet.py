"""The parquet exporter: fixed schema, row groups, and a file that reads back as the JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import main

from .conftest import SAMPLES
from .dumps import write_dumps

# Dumps that put diacritics, empty lists and nulls in every column that can hold them.
EDGE_CASES = {
    "diacritics.txt": (
        "Scris de Ștefan Țurcanu pe 3 martie 2024, 14:05\n\n"
        "## Școala „Mihai Eminescu” își redeschide porțile\n\n"
        "![Fotografie: elevii în curte](media-ș.jpg)\n\n"
        "Elevii s-au întors în bănci; părinții, îngrijorați.\n\n"
        "[știri](#)\n\nADRESA: <http://crct.ro/ș1>"
    ),
    "bare.txt": "Publicat de , 1 ianuarie 2020\n\n## Doar un titlu\n",
    "updated.txt": (
        "Articol de redacția, 30 octombrie 2022, 03:30 / actualizat: 30 octombrie 2022, 23:59"
        "\n\n## Ora de iarnă\n\nText.\n\nmedia-1.png\n\n---\n"
    ),
}


def write_edge_cases(directory: Path) -> None:
    for name, text in EDGE_CASES.items():
        (directory / name).write_text(text, encoding="utf-8")


def cli_jsonl(paths: list[str]) -> list[dict]:
    result = CliRunner().invoke(main, ["parse", "-q", "-f", "jsonl", *paths])
    assert result.exit_code in (0, 1), result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def cli_parquet(paths: list[str], output: Path) -> None:
    result = CliRunner().invoke(main, ["parse", "-q", "-f", "parquet", "-o", str(output), *paths])
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout == ""


# --- Without pyarrow ------------------------------------------------------------------------


def test_parquet_without_pyarrow_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    monkeypatch.delitem(sys.modules, "newsparse.exporters.parquet", raising=False)
    output = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["parse", "-f", "parquet", "-o", str(output), str(SAMPLES)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "the parquet format needs pyarrow: pip install 'newsparse[parquet]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- With pyarrow ---------------------------------------------------------------------------

pa = pytest.importorskip(
    "pyarrow", reason="the parquet extra is not installed (pip install -e '.[parquet]')"
)
pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")

from newsparse.exporters import get_exporter  # noqa: E402
from newsparse.exporters.parquet import SCHEMA, ParquetExporter  # noqa: E402
from newsparse.tabular import COLUMNS, instant, to_record  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("parquet-corpus")
    write_dumps(directory, 120, seed=3)
    write_edge_cases(directory)
    return directory


def test_schema_columns_follow_the_json_fields() -> None:
    assert tuple(SCHEMA.names) == COLUMNS
    assert SCHEMA.field("published").type == pa.timestamp("us", tz="UTC")
    assert SCHEMA.field("paragraphs").type == pa.list_(
        pa.field("item", pa.string(), nullable=False)
    )
    assert SCHEMA.field("images").type.value_type.names == ["file", "caption"]
    assert SCHEMA.field("blocks").type.value_type.names == [
        "type",
        "text",
        "level",
        "file",
        "caption",
    ]


def test_cli_refuses_parquet_on_standard_output() -> None:
    result = CliRunner().invoke(main, ["parse", "-f", "parquet", str(SAMPLES)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "parquet output cannot go to standard output: give a file with -o FILE.parquet"
        in result.stderr
    )


def test_pyarrow_reads_back_the_json(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "articles.parquet"
    cli_parquet([str(corpus)], output)
    expected = cli_jsonl([str(corpus)])
    table = pq.read_table(output)
    assert table.schema.equals(SCHEMA)
    rows = table.to_pylist()
    assert [to_record(row) for row in rows] == expected
    assert len(expected) > 120
    for row, record in zip(rows, expected, strict=True):
        assert row["published"] == instant(record["published"])
        assert row["updated"] == instant(record["updated"])


def test_edge_cases_keep_diacritics_empty_lists_and_nulls(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "edge.parquet"
    paths = [str(corpus / name) for name in EDGE_CASES]
    cli_parquet(paths, output)
    diacritics, bare, updated = pq.read_table(output).to_pylist()
    assert diacritics["author"] == "Ștefan Țurcanu"
    assert diacritics["title"] == "Școala „Mihai Eminescu” își redeschide porțile"
    assert diacritics["images"] == [
        {"file": "media-ș.jpg", "caption": "Fotografie: elevii în curte"}
    ]
    assert diacritics["published"] == dt.datetime(2024, 3, 3, 12, 5, tzinfo=dt.timezone.utc)
    assert diacritics["published_local"] == "2024-03-03T14:05:00+02:00"
    assert bare["paragraphs"] == [] and bare["images"] == [] and bare["blocks"] == []
    assert bare["author"] is None and bare["url"] is None and bare["source"] is None
    assert bare["published"] is None  # a date without a time is no instant...
    assert bare["published_local"] == "2020-01-01"  # ...but the date is kept
    assert bare["updated"] is None and bare["updated_local"] is None
    # 23:59 on the day summer time ended: the offset is +02:00, the instant 21:59 UTC.
    assert updated["updated_local"] == "2022-10-30T23:59:00+02:00"
    assert updated["updated"] == dt.datetime(2022, 10, 30, 21, 59, tzinfo=dt.timezone.utc)
    assert [b["type"] for b in updated["blocks"]] == ["paragraph", "image", "separator"]
    assert updated["blocks"][2] == {
        "type": "separator",
        "text": None,
        "level": None,
        "file": None,
        "caption": None,
    }


def test_pandas_reads_back_the_json(corpus: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is not installed (comes with the dask extra)")
    output = tmp_path / "articles.parquet"
    cli_parquet([str(corpus)], output)
    expected = cli_jsonl([str(corpus)])
    frame = pd.read_parquet(output)
    assert str(frame["published"].dtype) == "datetime64[us, UTC]"
    rows = [
        {name: _none(value) for name, value in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    assert [to_record(row) for row in rows] == expected
    first = expected.index(next(r for r in expected if r["published"] and "T" in r["published"]))
    assert frame["published"][first].to_pydatetime() == instant(expected[first]["published"])


def _none(value: object) -> object:
    """Map pandas' missing-value markers to None, as JSON has them."""
    import pandas as pd

    if not hasattr(value, "__len__") and pd.isna(value):
        return None
    return value


def test_exporter_writes_row_groups_and_leaves_the_stream_open() -> None:
    stream = io.BytesIO()
    exporter = get_exporter("parquet")(stream, row_group_size=10)
    assert isinstance(exporter, ParquetExporter)
    record = cli_jsonl([str(SAMPLES)])[0]
    for _ in range(35):
        exporter.write_record(record)
    exporter.close()
    assert not stream.closed
    assert exporter.count == 35
    parquet = pq.ParquetFile(io.BytesIO(stream.getvalue()))
    assert parquet.metadata.num_row_groups == 4
    assert parquet.metadata.num_rows == 35
    assert to_record(parquet.read().to_pylist()[34]) == record


def test_no_articles_give_an_empty_table_with_the_schema() -> None:
    stream = io.BytesIO()
    ParquetExporter(stream).close()
    table = pq.read_table(io.BytesIO(stream.getvalue()))
    assert table.num_rows == 0
    assert table.schema.equals(SCHEMA)


def test_row_group_size_must_be_positive() -> None:
    from newsparse import InvalidOption

    with pytest.raises(InvalidOption, match="row_group_size"):
        ParquetExporter(io.BytesIO(), row_group_size=0)
