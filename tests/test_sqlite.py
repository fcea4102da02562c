"""SQLite output: the tables, full-text search, appending runs, safety, and its real readers."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import newsparse
from newsparse.cli import main
from newsparse.dedupe import article_fingerprint
from newsparse.errors import InvalidOption
from newsparse.exporters.sqlite import SQLiteExporter

from .conftest import SEED


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def dump(title: str, body: str, byline: str = "Scris de ana pe 15 august 2022, 09:13") -> str:
    return (
        f"{byline}\n\n## {title}\n\n{body}\n\nmedia-1 (1).png\n\n---\n\nAl doilea paragraf."
        "\n\n[digi24](#)\n\nADRESA: <http://a.ro/1>\n"
    )


@pytest.fixture
def dumps(tmp_path: Path) -> Path:
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "a.txt").write_text(dump("Vreme rea la Brașov", "Ninge în munți."), "utf-8")
    (folder / "b.txt").write_text(
        dump(
            "Bugetul pe 2023",
            "Guvernul a anunțat bugetul.",
            byline="Publicat de ion, 3 ianuarie 2023",
        )
        + dump("Fără dată", "Text fără oră.", byline="Scris de ion pe 31 februarie 2023"),
        "utf-8",
    )
    return folder


def rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, args).fetchall()


def test_tables_have_typed_columns_and_both_date_forms(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    result = run("parse", "-q", "-f", "sqlite", str(dumps), "-o", str(db))
    assert (result.exit_code, result.stdout) == (1, "")  # b.txt has an impossible date
    articles = rows(
        db,
        "SELECT file, line, title, published, typeof(published), "
        "published_unix, typeof(published_unix), paragraph_count, image_count, "
        "source, url, length(fingerprint) FROM articles ORDER BY id",
    )
    a = str(dumps / "a.txt")
    assert articles[0] == (
        a,
        1,
        "Vreme rea la Brașov",
        "2022-08-15T09:13:00+03:00",
        "text",
        1660543980,
        "integer",
        2,
        1,
        "digi24",
        "http://a.ro/1",
        None,  # fingerprints are stored by --dedupe runs only
    )
    assert [r[2] for r in articles] == ["Vreme rea la Brașov", "Bugetul pe 2023", "Fără dată"]
    assert articles[2][3:7] == (None, "null", None, "null")  # the date does not exist
    blocks = rows(
        db,
        "SELECT position, type, text, image_file, line FROM blocks "
        "WHERE article_id = 1 ORDER BY position",
    )
    assert blocks == [
        (0, "paragraph", "Ninge în munți.", None, 5),
        (1, "image", None, "media-1 (1).png", 7),
        (2, "separator", None, None, 9),
        (3, "paragraph", "Al doilea paragraf.", None, 11),
    ]
    assert rows(db, "SELECT article_id, position, file FROM images") == [
        (1, 0, "media-1 (1).png"),
        (2, 0, "media-1 (1).png"),
        (3, 0, "media-1 (1).png"),
    ]
    assert rows(db, 'SELECT file, line, "column", code, severity FROM diagnostics') == [
        (str(dumps / "b.txt"), 16, 17, "NP202", "error")
    ]
    assert rows(db, "SELECT body FROM articles WHERE id = 1") == [
        ("Ninge în munți.\n\nAl doilea paragraf.",)
    ]


def test_full_text_search_ignores_diacritics(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    run("parse", "-q", "-f", "sqlite", str(dumps), "-o", str(db))
    search = (
        "SELECT a.title FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY rank"
    )
    assert rows(db, search, "Brasov") == [("Vreme rea la Brașov",)]  # diacritics do not count
    assert rows(db, search, "MUNTI") == [("Vreme rea la Brașov",)]  # nor does case
    assert rows(db, search, "Munţi") == [("Vreme rea la Brașov",)]  # cedilla or comma
    assert rows(db, search, "munte") == []  # whole words, no stemming
    assert rows(db, search, "body:guvernul") == [("Bugetul pe 2023",)]


def test_a_second_run_appends_and_replaces_what_it_read_again(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    run("parse", "-q", "-f", "sqlite", str(dumps / "a.txt"), "-o", str(db))
    run("parse", "-q", "-f", "sqlite", str(dumps), "-o", str(db))
    assert rows(db, "SELECT count(*), count(DISTINCT file || ':' || line) FROM articles") == [
        (3, 3)
    ]
    (dumps / "a.txt").write_text(dump("Alt titlu", "Soare."), "utf-8")
    run("parse", "-q", "-f", "sqlite", str(dumps / "a.txt"), "-o", str(db))
    assert rows(db, "SELECT title, run FROM articles ORDER BY file, line") == [
        ("Alt titlu", 3),
        ("Bugetul pe 2023", 2),
        ("Fără dată", 2),
    ]
    assert rows(db, "SELECT count(*) FROM blocks") == [(12,)]  # no orphans left behind
    assert rows(db, "SELECT count(*) FROM diagnostics") == [(1,)]
    assert rows(db, "SELECT count(*) FROM runs") == [(3,)]
    assert rows(db, "SELECT title FROM articles_fts WHERE articles_fts MATCH 'brasov'") == []
    with contextlib.closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_dedupe_applies_across_runs(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    run("parse", "-q", "-f", "sqlite", str(dumps / "a.txt"), "-o", str(db))
    copy = tmp_path / "copy.txt"
    copy.write_text(dump("VREME REA LA BRASOV", "Ninge in munti!"), "utf-8")
    result = run(
        "parse", "-f", "sqlite", str(dumps / "a.txt"), str(copy), "-o", str(db), "--dedupe", "exact"
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert f"{copy}:1:1: NP501 same article as {dumps / 'a.txt'}:1" in result.stderr
    assert "1 duplicate article left out" in result.stderr
    assert rows(db, "SELECT file FROM articles") == [(str(dumps / "a.txt"),)]
    assert rows(db, "SELECT file, code FROM diagnostics") == [(str(copy), "NP501")]


def test_fingerprints_left_out_are_made_from_the_stored_blocks(dumps: Path, tmp_path: Path) -> None:
    from newsparse.dedupe import article_fingerprint

    plain, deduped = tmp_path / "plain.db", tmp_path / "deduped.db"
    run("parse", "-q", "-f", "sqlite", str(dumps), "-o", str(plain))
    run("parse", "-q", "-f", "sqlite", str(dumps), "-o", str(deduped), "--dedupe", "near")
    assert rows(plain, "SELECT count(*) FROM articles WHERE fingerprint IS NULL") == [(3,)]
    stored = rows(deduped, "SELECT fingerprint, signature FROM articles ORDER BY id")
    assert [(len(d), len(s)) for d, s in stored] == [(16, 128)] * 3  # type: ignore[arg-type]
    articles = [
        a for name in ("a.txt", "b.txt") for a in newsparse.parse_file(dumps / name).articles
    ]
    expected = [article_fingerprint(a, near=True) for a in articles]
    assert [(p.digest, p.signature) for p in expected] == stored
    for db, near in ((plain, True), (plain, False), (deduped, True)):
        with SQLiteExporter(str(db), near=near) as exporter:
            made = [print_ for print_, _, _ in exporter.known_fingerprints()]
        assert [p.digest for p in made] == [p.digest for p in expected]
        assert [p.signature for p in made] == [p.signature if near else None for p in expected]


def contents(db: Path) -> list[str]:
    """Return everything DB holds as SQL, but the start times of its runs."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return [line for line in connection.iterdump() if not line.startswith('INSERT INTO "runs"')]


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    """Dumps with an exact copy, a near copy and an article that copies none."""
    folder = tmp_path / "copies"
    folder.mkdir()
    words = " ".join(f"cuvântul{n} despre vremea din orașul numărul {n}" for n in range(30))
    (folder / "a.txt").write_text(dump("Vreme rea la Brașov", words), "utf-8")
    (folder / "b.txt").write_text(dump("Vreme rea la Brașov", words), "utf-8")
    near = words.replace("cuvântul7 ", "cuvântul șapte ")
    (folder / "c.txt").write_text(
        dump("Vreme rea la Brașov", near) + dump("Altceva", "Nimic comun."), "utf-8"
    )
    return folder


@pytest.mark.parametrize("mode", ["exact", "near"])
def test_dedupe_into_sqlite_fingerprints_each_article_once(
    copies: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    import newsparse.dedupe as dedupe

    # What a run stored when the database made its own fingerprints again.
    reference = tmp_path / "reference.db"
    with monkeypatch.context() as patch:
        fingerprinted = getattr(dedupe, "find_duplicates_fingerprinted", None)

        def without_prints(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            for result, prints in fingerprinted(*args, **kwargs):  # type: ignore[arg-type]
                yield result, [None] * len(prints)

        patch.setattr(dedupe, "find_duplicates_fingerprinted", without_prints, raising=False)
        made = run(
            "parse", "-q", "-f", "sqlite", str(copies), "-o", str(reference), "--dedupe", mode
        )
    assert made.exit_code == 0, made.stderr

    calls: list[str] = []
    exact, words = dedupe.fingerprint, dedupe._digest_and_words

    def counted_fingerprint(*args: Any, **kwargs: Any) -> Any:
        calls.append("fingerprint")
        return exact(*args, **kwargs)

    def counted_words(*args: Any, **kwargs: Any) -> Any:
        calls.append("digest")
        return words(*args, **kwargs)

    monkeypatch.setattr(dedupe, "fingerprint", counted_fingerprint)
    monkeypatch.setattr(dedupe, "_digest_and_words", counted_words)
    db = tmp_path / "corpus.db"
    result = run("parse", "-f", "sqlite", str(copies), "-o", str(db), "--dedupe", mode)
    assert result.exit_code == 0, result.stderr
    left_out = 2 if mode == "near" else 1
    assert result.stderr.endswith(
        f"{left_out} duplicate article{'s' if left_out > 1 else ''} left out"
        + (f" (1 exact, {left_out - 1} near)" if mode == "near" else "")
        + "; the first copy of each is kept\n"
    )
    # Once for each of the 4 articles read (the copies left out too), never again to store it.
    assert calls == (["fingerprint"] * 4 if mode == "exact" else ["digest"] * 4)
    assert contents(db) == contents(reference)
    monkeypatch.undo()
    stored = rows(db, "SELECT title, fingerprint, signature FROM articles ORDER BY id")
    read = [a for name in ("a.txt", "c.txt") for a in newsparse.parse_file(copies / name).articles]
    kept = [read[0], read[-1]] if mode == "near" else read
    expected = [article_fingerprint(a, near=mode == "near") for a in kept]
    assert stored == [(a.title, p.digest, p.signature) for a, p in zip(kept, expected, strict=True)]


def test_near_dedupe_applies_to_what_a_plain_run_stored(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    run("parse", "-q", "-f", "sqlite", str(dumps / "a.txt"), "-o", str(db))
    rescraped = tmp_path / "rescraped.txt"
    rescraped.write_text(
        dump(
            "Vreme rea la Brașov, din nou",
            "Ninge în munți de două zile, iar drumurile spre cabane sunt închise pentru "
            "mașinile fără lanțuri.",
        ),
        "utf-8",
    )
    (dumps / "a.txt").write_text(
        dump(
            "Vreme rea la Brașov",
            "Ninge în munți de două zile, iar drumurile spre cabane sunt închise pentru "
            "mașinile fără lanțuri. Salvamontiștii cer turiștilor să rămână acasă.",
        ),
        "utf-8",
    )
    run("parse", "-q", "-f", "sqlite", str(dumps / "a.txt"), "-o", str(db))
    result = run("parse", "-f", "sqlite", str(rescraped), "-o", str(db), "--dedupe", "near")
    assert result.exit_code == 0 and result.stdout == ""
    assert f"NP502 near copy of {dumps / 'a.txt'}:1" in result.stderr
    assert rows(db, "SELECT file FROM articles") == [(str(dumps / "a.txt"),)]


def test_convert_combine_writes_a_database_with_workers(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "out" / "corpus.db"
    shutil.copy(dumps / "a.txt", dumps / "c.txt")
    result = run("convert", str(dumps), "--combine", str(db), "-j", "2", "--dedupe", "-q")
    assert result.exit_code == 1, result.stderr  # b.txt has an error
    assert rows(db, "SELECT file, title FROM articles ORDER BY id") == [
        (str(dumps / "a.txt"), "Vreme rea la Brașov"),
        (str(dumps / "b.txt"), "Bugetul pe 2023"),
        (str(dumps / "b.txt"), "Fără dată"),
    ]
    again = run("convert", str(dumps), "--combine", str(db), "-j", "1", "--dedupe")
    assert "duplicates left out" in again.stderr
    assert rows(db, "SELECT count(*) FROM articles") == [(3,)]


def test_standard_output_is_refused_with_a_clear_error(dumps: Path) -> None:
    result = run("parse", "-f", "sqlite", str(dumps))
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        "sqlite output cannot go to standard output: give a file with -o FILE.db" in result.stderr
    )


def test_files_that_are_not_our_databases_are_left_alone(dumps: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database", "utf-8")
    result = run("parse", "-f", "sqlite", str(dumps), "-o", str(text))
    assert result.exit_code == 2 and "is not a SQLite database" in result.stderr
    assert text.read_text("utf-8") == "not a database"
    other = tmp_path / "other.db"
    with contextlib.closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE articles (x)")
        connection.commit()
    result = run("parse", "-f", "sqlite", str(dumps), "-o", str(other))
    assert result.exit_code == 2 and "that newsparse did not write" in result.stderr
    assert rows(other, "SELECT name FROM sqlite_master") == [("articles",)]
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    result = run("parse", "-f", "sqlite", str(dumps), "-o", str(fifo))
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert fifo.is_fifo()


def test_an_interrupted_run_leaves_the_database_as_it_was(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    article = newsparse.parse_file(dumps / "a.txt").articles[0]
    with pytest.raises(KeyboardInterrupt), SQLiteExporter(str(db)) as exporter:
        exporter.write(article)
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == [dumps]  # no database, no temporary file
    run("parse", "-q", "-f", "sqlite", str(dumps / "a.txt"), "-o", str(db))
    before = db.read_bytes()
    with pytest.raises(KeyboardInterrupt), SQLiteExporter(str(db)) as exporter:
        exporter.write(newsparse.parse_file(dumps / "b.txt").articles[0])
        exporter.write_diagnostics(newsparse.parse_file(dumps / "b.txt").diagnostics)
        raise KeyboardInterrupt
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.db", "dumps"]


def test_a_byte_stream_receives_a_whole_database(tmp_path: Path) -> None:
    import io

    stream = io.BytesIO()
    exporter = SQLiteExporter(stream)
    for article in newsparse.parse_file(SEED).articles:
        exporter.write(article)
    exporter.close()
    assert stream.getvalue().startswith(b"SQLite format 3\x00")
    (tmp_path / "copy.db").write_bytes(stream.getvalue())
    assert rows(tmp_path / "copy.db", "SELECT line FROM articles") == [(3,)]
    with pytest.raises(InvalidOption, match="byte stream"):
        SQLiteExporter(io.StringIO())


# --- real readers ---------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("sqlite3") is None,
    reason="the sqlite3 shell is not installed (apt-get install sqlite3)",
)
def test_the_sqlite3_shell_runs_the_documented_queries(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    run("parse", "-q", "-f", "sqlite", str(dumps), "-o", str(db))
    per_month = (
        "SELECT substr(published, 1, 7) AS month, count(*) FROM articles "
        "WHERE published IS NOT NULL GROUP BY month ORDER BY month;"
    )
    search = (
        "SELECT title FROM articles WHERE id IN "
        "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'brasov');"
    )
    done = subprocess.run(
        ["sqlite3", str(db), per_month, search],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert done.stdout == "2022-08|1\n2023-01|1\nVreme rea la Brașov\n"
    assert done.stderr == ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("datasette") is None
    and shutil.which("datasette", path=os.path.dirname(sys.executable)) is None,
    reason="datasette is not installed (pip install -e '.[consumers]')",
)
def test_datasette_serves_the_tables_and_full_text_search(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    run("parse", "-q", "-f", "sqlite", str(dumps), "-o", str(db))
    program = shutil.which("datasette", path=os.path.dirname(sys.executable)) or "datasette"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [program, "serve", str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get_json(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start: {server.stderr}") from None
                time.sleep(0.2)
        table = _get_json(f"{base}/corpus/articles.json?_shape=array&_col=title&_sort=id")
        assert [row["title"] for row in table] == [  # type: ignore[union-attr,index]
            "Vreme rea la Brașov",
            "Bugetul pe 2023",
            "Fără dată",
        ]
        found = _get_json(f"{base}/corpus/articles.json?_shape=array&_col=title&_search=brasov")
        assert [row["title"] for row in found] == ["Vreme rea la Brașov"]  # type: ignore[union-attr,index]
        found = _get_json(f"{base}/corpus/articles.json?_shape=array&_col=title&_search=GUVERNUL")
        assert [row["title"] for row in found] == ["Bugetul pe 2023"]  # type: ignore[union-attr,index]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr is not None:
            server.stderr.close()


def test_an_input_read_twice_in_one_run_is_stored_once(dumps: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    a, b = str(dumps / "a.txt"), str(dumps / "b.txt")
    result = run("parse", "-q", "-f", "sqlite", a, a, b, a, b, b, "-o", str(db))
    assert result.exit_code == 1 and result.stderr == ""
    assert rows(db, "SELECT file, line, part FROM articles ORDER BY file, line") == [
        (a, 1, 0),
        (b, 1, 0),
        (b, 16, 0),
    ]
    assert rows(db, "SELECT count(*) FROM diagnostics") == [(1,)]
    assert rows(db, "SELECT count(*) FROM blocks") == [(12,)]
    assert rows(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'ninge'") == rows(
        db, "SELECT id FROM articles WHERE title LIKE 'Vreme%'"
    )
    with contextlib.closing(sqlite3.connect(db)) as connection:
        connection.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_articles_that_start_on_one_line_are_both_kept(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    article = newsparse.parse(dump("Unu", "Primul."), path="x.txt").articles[0]
    second = dataclasses.replace(article, title="Doi", end_line=article.end_line + 3)
    with SQLiteExporter(str(db)) as exporter:
        exporter.write(article)
        exporter.write(second)
    assert rows(db, "SELECT line, part, title FROM articles") == [(1, 0, "Unu"), (1, 1, "Doi")]
