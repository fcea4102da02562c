"""The records newsparse returns can be introspected like any dataclass."""

from __future__ import annotations


def test_the_records_type_hints_resolve() -> None:
    import dataclasses
    import typing

    import newsparse
    from newsparse import model

    for name in newsparse.__all__:
        record = getattr(newsparse, name)
        if dataclasses.is_dataclass(record):
            hints = typing.get_type_hints(record)
            assert set(hints) >= {f.name for f in dataclasses.fields(record)}, name
    assert typing.get_type_hints(model.Block)["kind"] is str
