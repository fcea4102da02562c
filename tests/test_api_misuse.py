"""Calling the library the wrong way gives a TypeError that names the argument."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import newsparse

DUMP = "Scris de Ana Pop pe 1 mai 2020, 10:00\n\n## Titlu\n\nText.\n\n[s](#)\n\nADRESA: <http://a.ro/1>"


@pytest.mark.parametrize("value", [12345, None, ["a"], Path("x.txt")])
def test_parse_names_what_it_takes(value: object) -> None:
    with pytest.raises(TypeError, match=r"parse\(\) takes the dump as str or bytes, not "):
        newsparse.parse(value)  # type: ignore[arg-type]


def test_parse_accepts_bytearray_and_memoryview_like_bytes() -> None:
    expected = newsparse.parse(DUMP.encode()).articles
    assert newsparse.parse(bytearray(DUMP.encode())).articles == expected
    assert newsparse.parse(memoryview(DUMP.encode())).articles == expected


def test_wrong_options_and_path_are_named() -> None:
    with pytest.raises(TypeError, match=r"options= must be a newsparse.ParseOptions, not dict"):
        newsparse.parse(DUMP, options={"tz": "UTC"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"path= must be a str or None, not int"):
        newsparse.parse(DUMP, path=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"parse_file\(\) takes a path .* not bytes; for text"):
        newsparse.parse_file(DUMP.encode())  # type: ignore[arg-type]


def test_parse_stream_refuses_a_text_stream_and_says_how() -> None:
    with pytest.raises(TypeError, match=r"binary stream .*'rb'.* not StringIO"):
        list(newsparse.parse_stream(io.StringIO(DUMP)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"not str"):
        list(newsparse.parse_stream(DUMP))  # type: ignore[arg-type]
    [result] = list(newsparse.parse_stream(io.BytesIO(DUMP.encode())))
    assert result.articles[0].title == "Titlu"


def test_schema_is_an_attribute_after_import_newsparse() -> None:
    code = "import newsparse; print(newsparse.schema.load_schema()['title'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        newsparse.nonexistent  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("submodule", ["dask", "dask_dedupe"])
def test_a_submodule_without_its_extra_is_an_absent_attribute(
    monkeypatch: pytest.MonkeyPatch, submodule: str
) -> None:
    from newsparse.errors import MissingDependency

    monkeypatch.setitem(sys.modules, "dask", None)  # as if dask were not installed
    monkeypatch.delitem(sys.modules, f"newsparse.{submodule}", raising=False)
    monkeypatch.delattr(newsparse, submodule, raising=False)
    assert not hasattr(newsparse, submodule)
    assert getattr(newsparse, submodule, "absent") == "absent"
    with pytest.raises(AttributeError, match=r"pip install 'newsparse\[dask\]'") as caught:
        getattr(newsparse, submodule)
    assert isinstance(caught.value.__cause__, MissingDependency)
    with pytest.raises(MissingDependency, match=r"pip install 'newsparse\[dask\]'"):
        __import__(f"newsparse.{submodule}")
