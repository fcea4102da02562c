"""Dask integration: dumps from any fsspec location into bags, dataframes and Parquet parts."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import os
import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple

from .api import check_options, parse
from .archives import (
    is_archive_name,
    matches_input,
    merge_results,
    open_archive_stream,
    parse_inputs,
    zip_member_names,
)
from .compression import could_be_container
from .errors import InvalidOption, MissingDependency
from .model import Diagnostic, ParseOptions, ParseResult, Severity

try:
    import dask
    import dask.bag as db
    import fsspec
    from dask.delayed import delayed
    from dask.highlevelgraph import HighLevelGraph
    from fsspec.implementations.local import LocalFileSystem
except ImportError as error:  # pragma: no cover - exercised by the missing-extra test
    raise MissingDependency(
        "newsparse.dask needs dask and fsspec: pip install 'newsparse[dask]'"
    ) from error

__all__ = [
    "DEFAULT_FILES_PER_PARTITION",
    "list_dumps",
    "read_dumps",
    "read_dumps_with_diagnostics",
    "to_dataframe",
    "to_parquet",
]

#: Files parsed by one task: about 0.1 s of parsing for typical 2 KB dumps, which hides
#: the scheduler's cost per task (a millisecond or so) and still spreads a corpus widely.
DEFAULT_FILES_PER_PARTITION = 500
_GLOB_CHARACTERS = frozenset("*?[")


def list_dumps(
    urlpath: str | list[str], *, pattern: str = "*.txt", **storage_options: Any
) -> tuple[fsspec.AbstractFileSystem, list[str]]:
    """Return the filesystem of URLPATH and the dump paths it names, in the CLI's order.

    URLPATH is a glob (`s3://bucket/dumps/**/*.txt`), a directory (its files matching
    PATTERN, recursively), a single file, or a list of those on one filesystem. Each
    entry's files come in the order of the list; a directory's or a glob's are sorted
    directory by directory, the order `newsparse parse DIR` reads them in. The paths
    are the filesystem's own (absolute, for local files).
    """
    fs, found = _find(urlpath, pattern, storage_options)
    return fs, [dump.path for dump in found]


class _Dump(NamedTuple):
    """One dump to read: the filesystem's path, the name articles carry, the listed size."""

    path: str
    name: str
    size: int | None


def _find(
    urlpath: str | list[str], pattern: str, storage_options: dict[str, Any]
) -> tuple[fsspec.AbstractFileSystem, list[_Dump]]:
    """Return the filesystem and the dumps URLPATH names, in `newsparse parse`'s order.

    Sizes come with the listing, so that no file costs an extra request before it is read.
    """
    urlpaths = (
        [os.fspath(urlpath)]
        if isinstance(urlpath, (str, os.PathLike))
        else [os.fspath(url) for url in urlpath]
    )
    if not urlpaths:
        raise InvalidOption("no path to read dumps from")
    fs, _ = fsspec.core.url_to_fs(urlpaths[0], **storage_options)
    found: list[_Dump] = []
    for url in urlpaths:
        path = fs._strip_protocol(url)
        if _GLOB_CHARACTERS & set(path):
            listing = fs.glob(path, detail=True)
        elif fs.isdir(path):
            listing = {
                name: info
                for name, info in fs.find(path, detail=True).items()
                if matches_input(name.rsplit("/", 1)[-1], pattern)
            }
        else:
            found.append(_Dump(path, _name(fs, url, path, path), None))
            continue
        files = sorted(
            (
                (name, info.get("size"))
                for name, info in listing.items()
                if info.get("type") != "directory"
            ),
            key=lambda item: _walk_order(item[0]),
        )
        found += [_Dump(name, _name(fs, url, path, name), size) for name, size in files]
    return fs, found


def _name(fs: fsspec.AbstractFileSystem, url: str, root: str, path: str) -> str:
    """Return the name `newsparse parse URL` gives the file PATH found under URL.

    A local path without a protocol keeps the spelling it was given (`samples/a.txt`
    for `samples`, `./d/x.txt` for `./d`), as the command line shows it; anything else
    is named by its URL (`s3://bucket/key`, or the absolute path of a `file://` URL).
    """
    if not isinstance(fs, LocalFileSystem) or "://" in url or os.sep != "/":
        return _display_path(fs, path)
    if path == root:
        return url
    if _GLOB_CHARACTERS & set(root):
        # The part before the first wildcard's directory is kept as given, as a shell would.
        given_base = url[: url.rfind("/", 0, _first_wildcard(url)) + 1]
        root_base = root[: root.rfind("/", 0, _first_wildcard(root)) + 1]
    else:
        given_base = url if url.endswith("/") else url + "/"
        root_base = root.rstrip("/") + "/"
    if not path.startswith(root_base):
        return _display_path(fs, path)
    return given_base + path[len(root_base) :]


def _first_wildcard(path: str) -> int:
    return min(path.index(char) for char in _GLOB_CHARACTERS if char in path)


def read_dumps(
    urlpath: str | list[str],
    *,
    files_per_partition: int = DEFAULT_FILES_PER_PARTITION,
    options: ParseOptions | None = None,
    include_diagnostics: bool = False,
    pattern: str = "*.txt",
    **storage_options: Any,
) -> db.Bag:
    """Return a bag of article dicts (the JSON contract) read from the dumps at URLPATH.

    Each file is read whole, through fsspec, by the worker that parses it; a partition
    is FILES_PER_PARTITION consecutive files in the order `newsparse parse URLPATH...`
    reads them (the list's order; a directory's files sorted), and each article's `file`
    is the path as that command shows it, so the bag holds the same objects in the same
    order as its JSON Lines. With INCLUDE_DIAGNOSTICS each article gets a
    `diagnostics` list: its file's diagnostics from its first line to the next
    article's (those before the first article go to the first). Diagnostics of files
    with no article at all are only in `read_dumps_with_diagnostics()`.
    STORAGE_OPTIONS go to fsspec (credentials, `anon=True`, ...).
    """
    files, fs, options = _files(urlpath, files_per_partition, options, pattern, storage_options)
    # One task per partition reads, parses and flattens: nothing else crosses processes.
    return files.map_partitions(
        _parse_to_articles, fs=fs, options=options, include_diagnostics=include_diagnostics
    )


def read_dumps_with_diagnostics(
    urlpath: str | list[str],
    *,
    files_per_partition: int = DEFAULT_FILES_PER_PARTITION,
    options: ParseOptions | None = None,
    pattern: str = "*.txt",
    **storage_options: Any,
) -> tuple[db.Bag, db.Bag]:
    """Return two bags from one parse: article dicts, and diagnostic dicts of every file.

    Compute them together (`dask.compute(articles, diagnostics)`) so that each file is
    read and parsed once. A file that cannot be read gives an NP108 diagnostic, a file
    over `options.max_size` an NP106; the other files go on.
    """
    files, fs, options = _files(urlpath, files_per_partition, options, pattern, storage_options)
    parsed = files.map_partitions(_parse_files, fs=fs, options=options)
    return parsed.map_partitions(_articles), parsed.map_partitions(_diagnostics)


def to_dataframe(bag: db.Bag) -> Any:
    """Return a Dask dataframe of a bag of article dicts, with the Parquet schema's types.

    Columns are those of the Parquet exporter: `published` and `updated` are
    `datetime64[us, UTC]` (NaT when the byline had only a date, or none), beside
    `published_local` and `updated_local`, the JSON text with its local offset;
    `paragraphs`, `images` and `blocks` are lists with pandas' Arrow dtype (the
    Parquet schema's list types, as `pd.read_parquet(..., dtype_backend="pyarrow")`
    gives them), so that Dask's own `frame.to_parquet(path)` writes them as they are.
    """
    try:
        import dask.dataframe as dd

        from .exporters.parquet import SCHEMA  # noqa: F401 - fail early without pyarrow
    except ImportError as error:
        raise MissingDependency(
            "to_dataframe needs dask[dataframe] and pyarrow: pip install 'newsparse[dask,parquet]'"
        ) from error
    parts = [delayed(_frame)(part) for part in bag.to_delayed()]
    # Dask would otherwise declare the list columns as strings (its object -> string
    # conversion looks only at the empty meta, where lists cannot be seen).
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_delayed(parts, meta=_frame([]), verify_meta=False)


def to_parquet(
    bag: db.Bag, urlpath: str, *, row_group_size: int | None = None, **storage_options: Any
) -> list[str]:
    """Write a bag of article dicts as one Parquet file per partition under URLPATH.

    Files are `part.00000.parquet`, `part.00001.parquet`, ... in the bag's order, all with
    the Parquet exporter's schema; each worker writes its own part. Local parts are
    written atomically; object stores publish a part only once it is whole. Return
    the URLs written.
    """
    from .exporters.parquet import DEFAULT_ROW_GROUP_SIZE

    fs, root = fsspec.core.url_to_fs(urlpath, **storage_options)
    fs.makedirs(root, exist_ok=True)
    width = max(5, len(str(bag.npartitions - 1)))
    names = [
        f"{root.rstrip('/')}/part.{index:0{width}d}.parquet" for index in range(bag.npartitions)
    ]
    size = row_group_size or DEFAULT_ROW_GROUP_SIZE
    # One task per partition, depending on that partition alone (as dask's own
    # `to_textfiles`): Dask fuses it with the task that parsed the partition, so the
    # articles never travel between processes.
    layer = f"newsparse-to-parquet-{uuid.uuid4().hex}"
    tasks: dict[Any, Any] = {
        (layer, index): (_write_part, (bag.name, index), fs, name, size)
        for index, name in enumerate(names)
    }
    graph = HighLevelGraph.from_collections(layer, tasks, dependencies=[bag])  # type: ignore[list-item]
    written = db.Bag(graph, layer, bag.npartitions)
    return [_display_path(fs, name) for name in written.compute()]


# --- What the tasks run -------------------------------------------------------------------


def _files(
    urlpath: str | list[str],
    files_per_partition: int,
    options: ParseOptions | None,
    pattern: str,
    storage_options: dict[str, Any],
) -> tuple[db.Bag, fsspec.AbstractFileSystem, ParseOptions]:
    """Check the arguments; return a bag of dumps, FILES_PER_PARTITION a partition."""
    if files_per_partition < 1:
        raise InvalidOption(f"files_per_partition must be at least 1, not {files_per_partition}")
    options = options or ParseOptions()
    check_options(options)
    fs, files = _find(urlpath, pattern, storage_options)
    if not files:
        return db.from_sequence([], npartitions=1), fs, options
    if any(is_archive_name(dump.path) for dump in files):
        units = _archive_partitions(fs, files, files_per_partition, pattern)
        return db.from_sequence(units, npartitions=len(units)), fs, options
    return db.from_sequence(files, partition_size=files_per_partition), fs, options


# A parsed file as it travels between tasks: plain dicts pickle faster than dataclasses.
_ParsedFile = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def _with_modification_time(
    fs: fsspec.AbstractFileSystem, path: str, options: ParseOptions
) -> ParseOptions:
    """Return OPTIONS with PATH's modification time as the reference for relative dates."""
    if options.now is not None:
        return options
    try:
        if isinstance(fs, LocalFileSystem):
            modified = dt.datetime.fromtimestamp(os.stat(path).st_mtime, dt.timezone.utc)
        else:
            modified = fs.modified(path)
    except Exception:  # not every filesystem knows it: the current time is used then
        return options
    if modified.tzinfo is None:  # fsspec gives naive times in UTC
        modified = modified.replace(tzinfo=dt.timezone.utc)
    return dataclasses.replace(options, now=modified, now_source="file modification time")


def _parse_files(
    files: Iterable[_Dump], fs: fsspec.AbstractFileSystem, options: ParseOptions
) -> list[_ParsedFile]:
    parsed = []
    for result in _parse_each(fs, files, options):
        parsed.append(
            (
                [article.to_dict() for article in result.articles],
                [diagnostic.to_dict() for diagnostic in result.diagnostics],
            )
        )
    return parsed


def _parse_to_articles(
    files: Iterable[_Dump],
    fs: fsspec.AbstractFileSystem,
    options: ParseOptions,
    include_diagnostics: bool,
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for result in _parse_each(fs, files, options):
        found = [article.to_dict() for article in result.articles]
        if include_diagnostics:
            _attach_diagnostics(found, [d.to_dict() for d in result.diagnostics])
        records += found
    return records


def _parse_one(fs: fsspec.AbstractFileSystem, dump: _Dump, options: ParseOptions) -> ParseResult:
    """Read DUMP whole and parse it; a file that cannot be read becomes a diagnostic."""
    path, name, size = dump
    try:
        if size is None:
            size = fs.size(path)
        if (
            options.max_size is not None
            and size is not None
            and size > options.max_size
            and not _may_be_compressed(name)
        ):
            return ParseResult(
                diagnostics=[
                    Diagnostic(
                        name,
                        1,
                        1,
                        "NP106",
                        Severity.ERROR,
                        f"file is {size:,} bytes, over the limit of "
                        f"{options.max_size:,} (--max-size)",
                    )
                ]
            )
        # Local files skip fsspec's file object, which costs a tenth of parsing a dump.
        with open(path, "rb") if isinstance(fs, LocalFileSystem) else fs.open(path, "rb") as stream:
            data = stream.read()
        options = _with_modification_time(fs, path, options)
    except Exception as error:  # each filesystem raises its own errors, not only OSError
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        return ParseResult(
            diagnostics=[
                Diagnostic(
                    name, 1, 1, "NP108", Severity.ERROR, f"cannot read file: {reason.lower()}"
                )
            ]
        )
    if could_be_container(data[:512]):
        return _parse_compressed(data, name, options)
    return parse(data, path=name, options=options)


# --- Compressed dumps and archives ----------------------------------------------------------
# A compressed dump is one dump. A zip's members are listed when the bag is made (its
# central directory: one small read) and split into groups of FILES_PER_PARTITION, each
# read by its task with seeks; a tar (compressed or not) can only be read in one pass, so
# it is one partition. Members are named `ARCHIVE!/member`, as on the command line.


class _ArchivePart(NamedTuple):
    """Members of one archive read by one task: all of them (None), or these names."""

    path: str
    name: str
    members: tuple[str, ...] | None
    pattern: str


def _archive_partitions(
    fs: fsspec.AbstractFileSystem, files: list[_Dump], files_per_partition: int, pattern: str
) -> list[list[Any]]:
    """Split FILES into partitions: runs of plain dumps, and archives by member groups."""
    units: list[list[Any]] = []
    run: list[Any] = []
    for dump in files:
        if not is_archive_name(dump.path):
            run.append(dump)
            if len(run) == files_per_partition:
                units.append(run)
                run = []
            continue
        if run:
            units.append(run)
            run = []
        members: list[str] | None = None
        if dump.path.lower().endswith(".zip"):
            try:
                with fs.open(dump.path, "rb") as stream:
                    members = zip_member_names(stream, pattern)
            except Exception:  # the task reports why it cannot be read
                members = None
        if members is None or len(members) <= files_per_partition:
            units.append([_ArchivePart(dump.path, dump.name, None, pattern)])
            continue
        for start in range(0, len(members), files_per_partition):
            group = tuple(members[start : start + files_per_partition])
            units.append([_ArchivePart(dump.path, dump.name, group, pattern)])
    if run:
        units.append(run)
    return units


def _parse_each(
    fs: fsspec.AbstractFileSystem, files: Iterable[Any], options: ParseOptions
) -> Iterable[ParseResult]:
    """Parse each item of a partition: a dump, or a list of dumps and archive parts."""
    for item in files:
        for one in item if isinstance(item, list) else [item]:
            if isinstance(one, _ArchivePart):
                yield from _parse_archive_part(fs, one, options)
            else:
                yield _parse_one(fs, one, options)


def _parse_archive_part(
    fs: fsspec.AbstractFileSystem, part: _ArchivePart, options: ParseOptions
) -> Iterable[ParseResult]:
    try:
        local = isinstance(fs, LocalFileSystem)
        stream = open(part.path, "rb") if local else fs.open(part.path, "rb")  # noqa: SIM115 - closed below
    except Exception as error:  # each filesystem raises its own errors
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        yield ParseResult(
            diagnostics=[
                Diagnostic(
                    part.name, 1, 1, "NP108", Severity.ERROR, f"cannot read file: {reason.lower()}"
                )
            ]
        )
        return
    with stream:
        found = open_archive_stream(
            part.name,
            stream,
            pattern=part.pattern,
            max_size=options.max_size,
            members=None if part.members is None else list(part.members),
        )
        yield from parse_inputs(found, options)


def _may_be_compressed(name: str) -> bool:
    return name.lower().endswith((".gz", ".bz2", ".xz", ".zst", ".tgz", ".zip", ".tar"))


def _parse_compressed(data: bytes, name: str, options: ParseOptions) -> ParseResult:
    import io

    results = list(
        parse_inputs(
            open_archive_stream(name, io.BytesIO(data), max_size=options.max_size), options
        )
    )
    return merge_results(results)


def _articles(parsed: Iterable[_ParsedFile]) -> list[dict[str, Any]]:
    return [record for records, _ in parsed for record in records]


def _diagnostics(parsed: Iterable[_ParsedFile]) -> list[dict[str, Any]]:
    return [diagnostic for _, diagnostics in parsed for diagnostic in diagnostics]


def _attach_diagnostics(records: list[dict[str, Any]], diagnostics: list[dict[str, Any]]) -> None:
    """Give each article the diagnostics from its first line to the next article's."""
    starts = [record["line"] for record in records]
    for record in records:
        record["diagnostics"] = []
    for diagnostic in diagnostics:
        if records:
            index = max(bisect.bisect_right(starts, diagnostic["line"]) - 1, 0)
            records[index]["diagnostics"].append(diagnostic)


def _frame(records: Iterable[dict[str, Any]]) -> Any:
    import pyarrow as pa

    from .exporters.parquet import SCHEMA
    from .tabular import to_row

    table = pa.Table.from_pylist([to_row(record) for record in records], schema=SCHEMA)
    return table.to_pandas(types_mapper=_arrow_lists)


def _arrow_lists(arrow_type: Any) -> Any:
    """Give list columns pandas' Arrow dtype, which carries their element types.

    With plain object columns Dask knows nothing of the lists inside (it fills its
    sample frame with bare objects), so its own `to_parquet` could not write them.
    """
    import pandas as pd
    import pyarrow as pa

    return pd.ArrowDtype(arrow_type) if pa.types.is_list(arrow_type) else None


def _write_part(
    records: Iterable[dict[str, Any]], fs: fsspec.AbstractFileSystem, path: str, row_group_size: int
) -> list[str]:
    from .exporters.parquet import ParquetExporter

    if isinstance(fs, LocalFileSystem):
        from .output import write_atomically

        with write_atomically(path, binary=True) as stream:
            _export(records, ParquetExporter(stream, row_group_size=row_group_size))
    else:
        with fs.open(path, "wb") as stream:
            _export(records, ParquetExporter(stream, row_group_size=row_group_size))
    return [path]


def _export(records: Iterable[dict[str, Any]], exporter: Any) -> None:
    for record in records:
        exporter.write_record(record)
    exporter.close()


def _display_path(fs: fsspec.AbstractFileSystem, path: str) -> str:
    """Return a local path as it is, any other with its protocol (`s3://bucket/key`)."""
    if isinstance(fs, LocalFileSystem):
        return path
    return str(fs.unstrip_protocol(path))


def _walk_order(path: str) -> list[str]:
    """Sort key that visits a directory's entries by name, as `newsparse parse DIR` does."""
    return path.split("/")
