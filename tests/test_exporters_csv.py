"""CSV specifics: quoting, columns, the byte-order mark and the formula guard, from the CLI too."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsparse.cli import main
from newsparse.errors import InvalidOption
from newsparse.exporters import ExportOptions, check_export_options
from newsparse.exporters.csv import COLUMNS, CSVExporter, guard_formula, unguard_formula
from newsparse.model import Article, Block, Image

from .conftest import SEED
from .readback import csv_rows_python, export

ARTICLE = Article(
    title='=HYPERLINK("http://x","y"), a "quoted" title',
    author="-Ion",
    published=dt.date(2020, 5, 1),
    blocks=(
        Block("paragraph", text="Primul, cu virgulă."),
        Block("image", image=Image("poza (1).png")),
        Block("paragraph", text="+40 de grade\r\nși un rând nou."),
    ),
    url="@http://crct.ro/x",
    line=7,
)


def test_header_row_quoting_and_crlf() -> None:
    text = export([ARTICLE], "csv")
    header, rest = text.split("\r\n", 1)
    assert header == ",".join(COLUMNS)
    assert rest.startswith(
        ',7,"\'=HYPERLINK(""http://x"",""y""), a ""quoted"" title",\'-Ion,2020-05-01,'
    )
    assert (
        ',"[""poza (1).png""]","Primul, cu virgulă.\n\n+40 de grade\r\nși un rând nou."\r\n' in rest
    )
    assert text.endswith("\r\n")


def test_formula_guard_marks_cells_and_can_be_turned_off() -> None:
    guarded = csv_rows_python(export([ARTICLE], "csv"), guarded=False)[0]
    assert guarded["title"].startswith("'=HYPERLINK")
    assert guarded["author"] == "'-Ion"
    assert guarded["url"] == "'@http://crct.ro/x"
    assert guarded["text"].startswith("Primul")  # only a cell's first character counts
    plain = csv_rows_python(
        export([ARTICLE], "csv", ExportOptions(formula_guard=False)), guarded=False
    )[0]
    assert plain["title"] == ARTICLE.title
    assert plain["author"] == "-Ion"


@pytest.mark.parametrize(
    ("value", "guarded"),
    [
        ("=1+2", "'=1+2"),
        ("+40", "'+40"),
        ("-5 grade", "'-5 grade"),
        ("@user", "'@user"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''-", "'''-"),
        ("'x", "'x"),
        ("a=b", "a=b"),
        ("", ""),
        ("'", "'"),
    ],
)
def test_guard_formula(value: str, guarded: str) -> None:
    assert guard_formula(value) == guarded
    assert unguard_formula(guarded) == value


@given(st.text())
def test_unguard_undoes_guard(value: str) -> None:
    assert unguard_formula(guard_formula(value)) == value
    assert not guard_formula(value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_no_articles_still_gives_a_header() -> None:
    assert export([], "csv") == ",".join(COLUMNS) + "\r\n"
    assert export([], "csv", ExportOptions(excel=True, columns=("url",))) == "\ufeffurl\r\n"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (("title", "nope"), "unknown column 'nope'"),
        ((), "no columns given"),
        (("url", "url"), "column 'url' is given twice"),
    ],
)
def test_bad_columns_are_refused(columns: tuple[str, ...], message: str) -> None:
    with pytest.raises(InvalidOption, match=message):
        CSVExporter.check_options(ExportOptions(columns=columns))
    with pytest.raises(InvalidOption, match=message):
        check_export_options("csv", ExportOptions(columns=columns))


@pytest.mark.parametrize("format_name", ["json", "jsonl", "markdown", "md", "dump"])
def test_csv_options_are_refused_by_other_formats(format_name: str) -> None:
    for options in (
        ExportOptions(columns=("url",)),
        ExportOptions(excel=True),
        ExportOptions(formula_guard=False),
    ):
        with pytest.raises(InvalidOption, match="only to csv"):
            check_export_options(format_name, options)
    check_export_options(format_name, ExportOptions())


def test_cli_csv_with_columns_and_excel(tmp_path) -> None:
    out = tmp_path / "a.csv"
    result = CliRunner().invoke(
        main,
        [
            "parse",
            "-q",
            "-f",
            "csv",
            "--excel",
            "--columns",
            "title, URL,images",
            str(SEED),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbftitle,url,images\r\n")
    row = csv_rows_python(data.decode("utf-8-sig"))[0]
    assert row["url"] == "http://crct.ro/nA18"
    assert json.loads(row["images"]) == ["media-165828855573329500 (1).png"]


def test_cli_csv_to_stdout_keeps_crlf_and_guard_switch() -> None:
    dump = b"Scris de -X pe 1 mai 2020\n\n## T\n\nText.\n"
    result = CliRunner().invoke(
        main, ["parse", "-q", "-f", "csv", "--columns", "author", "--no-formula-guard"], input=dump
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b"author\r\n-X\r\n"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "json", "--columns", "title"], "--columns does not apply to format 'json'"),
        (["-f", "md", "--excel"], "--excel does not apply to format 'markdown'"),
        (["-f", "dump", "--no-formula-guard"], "--no-formula-guard does not apply"),
        (["-f", "csv", "--columns", "title,body"], "unknown column 'body'"),
        (["-f", "xml"], "'xml' is not one of"),
    ],
)
def test_cli_refuses_options_a_format_cannot_use(args: list[str], message: str, tmp_path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["parse", *args, str(SEED), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("title", ["\t", " ", "  \t ", '\t"'])
def test_a_lone_blank_cell_is_quoted_so_pandas_keeps_its_row(title: str) -> None:
    from .readback import csv_rows_pandas

    items = [Article(title=title, line=1), Article(title="Al doilea", line=9)]
    text = export(items, "csv", ExportOptions(columns=("title",), formula_guard=False))
    rows = csv_rows_pandas(text, guarded=False)
    assert [row["title"] for row in rows] == [title, "Al doilea"]
    assert [row["title"] for row in csv_rows_python(text)] == [title, "Al doilea"]
