"""Coverage-guided fuzzing of `newsparse.parse` with atheris, for runs longer than the test suite.

Run from the project root after `pip install -e ".[fuzz]"`:

    python fuzz/fuzz_parse.py -max_total_time=600

Any libFuzzer option may be given. Unless a corpus directory is named, new inputs are kept
in `fuzz/corpus/` (seeded from `samples/` and `tests/data/`), and `fuzz/newsparse.dict`
guides the mutations. A crash leaves a `crash-*` file to replay with
`python fuzz/fuzz_parse.py crash-...`; turn it into a test in `tests/test_fuzz.py`.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import newsparse
    from newsparse.api import parse_stream
    from newsparse.exporters import EXPORTERS, get_exporter
    from newsparse.parser import split_lines
    from newsparse.reading import UNDECODABLE, detect_encoding

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def reference_text(data: bytes) -> str:
    """Return the text the positions of diagnostics refer to (NULs and controls kept)."""
    codec, _, _ = detect_encoding(data)
    text = data.decode(codec, errors=UNDECODABLE)
    return text[1:] if text.startswith("\ufeff") else text


def check(result: newsparse.ParseResult, text: str) -> None:
    """Fail loudly when a diagnostic points outside TEXT or an article cannot be written."""
    lines = split_lines(text)
    for d in result.diagnostics:
        if not 1 <= d.line <= len(lines):
            raise AssertionError(f"line outside the input ({len(lines)} lines): {d}")
        if not 1 <= d.column <= len(lines[d.line - 1]) + 1:
            raise AssertionError(f"column outside line {d.line}: {d}")
        if d.end_column is not None and d.end_line == d.line and d.end_column < d.column:
            raise AssertionError(f"end before start: {d}")
        if (
            d.end_column is not None
            and d.end_line is not None
            and d.end_column > len(lines[d.end_line - 1]) + 1
        ):
            raise AssertionError(f"end column outside line {d.end_line}: {d}")
    for name in EXPORTERS:
        exporter_class = get_exporter(name)
        stream: io.IOBase = io.BytesIO() if exporter_class.binary else io.StringIO()
        exporter = exporter_class(stream)
        for article in result.articles:
            exporter.write(article)
        exporter.close()


def test_one_input(data: bytes) -> None:
    """Parse DATA as bytes, as text, and streamed in small pieces."""
    if not data:
        return
    mode, body = data[0] % 3, data[1:]
    if mode == 0:
        check(newsparse.parse(body), reference_text(body))
    elif mode == 1:
        text = body.decode("utf-8", errors="replace")
        check(newsparse.parse(text), text[1:] if text.startswith("\ufeff") else text)
    else:
        for result in parse_stream(io.BytesIO(body), chunk_size=7):
            check(result, reference_text(body))


def seed_corpus() -> Path:
    """Return the working corpus, filled with the bundled dumps on first use."""
    corpus = HERE / "corpus"
    if not corpus.is_dir():
        corpus.mkdir()
        for source in sorted([*ROOT.glob("samples/**/*.txt"), *ROOT.glob("tests/data/*.txt")]):
            # The first byte picks the mode; give each seed every mode.
            data = source.read_bytes()
            for mode in range(3):
                (corpus / f"{mode}-{source.name}").write_bytes(bytes([mode]) + data)
    return corpus


def main() -> None:
    argv = list(sys.argv)
    named_inputs = [a for a in argv[1:] if not a.startswith("-")]
    if not named_inputs:
        argv.append(str(seed_corpus()))
    if not any(a.startswith("-dict=") for a in argv):
        argv.append(f"-dict={HERE / 'newsparse.dict'}")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
