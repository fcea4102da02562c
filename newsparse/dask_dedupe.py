"""Exact duplicates on a Dask cluster: a fold by fingerprint over a bag of article dicts.

`drop_duplicates(bag)` keeps, of each group of articles with the same normalised title and
body, the one that comes first in the bag's order (the order `newsparse parse` reads the
files in, for a bag from `newsparse.dask.read_dumps`), whatever the partitioning. Each
task fingerprints its own partition; only one (order, article) pair per fingerprint and
partition travels to the reduction. Near duplicates on a cluster are a follow-up (see
docs/dedupe.md): the signatures are ready for it (`record_fingerprint(near=True)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .dedupe import record_fingerprint
from .errors import MissingDependency

try:
    import dask.bag as db
    from dask.delayed import delayed
except ImportError as error:  # pragma: no cover - exercised by the missing-extra test
    raise MissingDependency(
        "newsparse.dask_dedupe needs dask: pip install 'newsparse[dask]'"
    ) from error

__all__ = ["add_fingerprints", "drop_duplicates"]

#: A record's place in the bag: (partition number, position in the partition).
_Order = tuple[int, int]
#: What the fold keeps per fingerprint: the first order, and how many there were.
_First = tuple[_Order, int]


def add_fingerprints(bag: db.Bag) -> db.Bag:
    """Return BAG with each article dict given its `fingerprint` (32 hex digits)."""
    return bag.map_partitions(_with_fingerprints)


def _with_fingerprints(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**record, "fingerprint": record_fingerprint(record).digest.hex()} for record in records
    ]


def drop_duplicates(bag: db.Bag, *, split_every: int | None = None) -> db.Bag:
    """Return the article dicts of BAG without the later exact copies, lazily.

    A fold by fingerprint over (fingerprint, place) pairs finds the first place of each
    article; only those small pairs travel, the articles stay in their partitions, which
    keep their order. Each article kept gets `fingerprint` and `copies` (how many later
    copies were left out, anywhere in the bag).
    """
    parts = bag.to_delayed()
    keys = db.from_delayed([delayed(_keys)(part, number) for number, part in enumerate(parts)])
    firsts = keys.foldby(_key, _keep_first, None, _combine, None, split_every=split_every)
    table = delayed(_first_places)(firsts.to_delayed())
    return db.from_delayed(
        [delayed(_kept)(part, number, table) for number, part in enumerate(parts)]
    )


def _keys(records: Iterable[dict[str, Any]], partition: int) -> list[tuple[str, _Order]]:
    """Return (fingerprint, place) for each record of one partition."""
    return [
        (record_fingerprint(record).digest.hex(), (partition, position))
        for position, record in enumerate(records)
    ]


def _key(item: tuple[str, _Order]) -> str:
    return item[0]


def _keep_first(kept: _First | None, item: tuple[str, _Order]) -> _First:
    if kept is None:
        return item[1], 1
    return min(kept[0], item[1]), kept[1] + 1


def _combine(a: _First | None, b: _First | None) -> _First:
    if a is None or b is None:
        found = a if b is None else b
        assert found is not None
        return found
    return min(a[0], b[0]), a[1] + b[1]


def _first_places(parts: list[list[tuple[str, _First]]]) -> dict[_Order, tuple[str, int]]:
    """Return {place of a first copy: (fingerprint, copies left out)}."""
    return {
        order: (fingerprint, count - 1) for part in parts for fingerprint, (order, count) in part
    }


def _kept(
    records: Iterable[dict[str, Any]], partition: int, table: dict[_Order, tuple[str, int]]
) -> list[dict[str, Any]]:
    """Return the records of one partition that are first copies, with their counts."""
    kept = []
    for position, record in enumerate(records):
        found = table.get((partition, position))
        if found is not None:
            kept.append({**record, "fingerprint": found[0], "copies": found[1]})
    return kept
