"""The manifest a destination keeps of what was written, so a rerun skips what is up to date."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .options import ConvertOptions

__all__ = ["MANIFEST_NAME"]

#: How many manifest entries are joined into one write.
_KEYS_PER_WRITE = 1000
#: JSON's string encoder with ensure_ascii=False, without json.dumps making an encoder per call.
_encode_string = json.encoder.encode_basestring
#: The file in DEST that remembers what was written, with which format and settings.
MANIFEST_NAME = ".newsparse-manifest.json"
_MANIFEST_VERSION = 1


class _Manifest:
    """What this tool wrote into a destination: per output, the settings and file stamps.

    An output is up to date when the manifest records it with the same settings and the
    input and output still have the sizes and modification times recorded then. Each
    record is one short string ("settings in_mtime_ns in_size out_mtime_ns out_size"),
    the most compact form a dict of a few hundred thousand entries can take.
    """

    def __init__(self, directory: str, settings: str) -> None:
        self.path = os.path.join(directory, MANIFEST_NAME)
        self.settings: list[str] = []
        self.outputs: dict[str, str] = {}
        self.changed = False
        self._load()
        if settings not in self.settings:
            self.settings.append(settings)
        self.current = str(self.settings.index(settings))

    def _load(self) -> None:
        try:
            with open(self.path, encoding="utf-8") as stream:
                data = json.load(stream)
            if data.get("version") == _MANIFEST_VERSION:
                self.settings = [str(s) for s in data["settings"]]
                self.outputs = {str(k): str(v) for k, v in data["outputs"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.settings, self.outputs = [], {}  # no manifest, or not ours: redo everything

    def _stamp(self, stamp: tuple[int, int, int, int]) -> str:
        return f"{self.current} {stamp[0]} {stamp[1]} {stamp[2]} {stamp[3]}"

    def is_current(self, key: str, source: os.stat_result, written: os.stat_result | None) -> bool:
        """Tell whether the output named KEY (stat WRITTEN) was made from this very input."""
        if written is None or written.st_mtime_ns < source.st_mtime_ns:
            return False
        return self.outputs.get(key) == self._stamp(
            (source.st_mtime_ns, source.st_size, written.st_mtime_ns, written.st_size)
        )

    def record(self, key: str, stamp: tuple[int, int, int, int]) -> None:
        """Remember that KEY was written from an input with these stamps."""
        self.outputs[key] = self._stamp(stamp)
        self.changed = True

    def forget(self, key: str) -> None:
        """Drop KEY, so that it is converted again next time."""
        if self.outputs.pop(key, None) is not None:
            self.changed = True

    def save(self) -> None:
        """Write the manifest atomically (streamed, keys sorted), if anything changed."""
        if not self.changed:
            return
        from ..output import write_atomically

        used = sorted({int(record.partition(" ")[0]) for record in self.outputs.values()})
        renumber = {str(old): str(new) for new, old in enumerate(used)}
        settings = [self.settings[old] for old in used]
        outputs = self.outputs
        with write_atomically(self.path) as stream:
            stream.write(f'{{"version":{_MANIFEST_VERSION},"settings":')
            stream.write(json.dumps(settings, ensure_ascii=False))
            stream.write(',"outputs":{')
            keys = sorted(outputs)
            for start in range(0, len(keys), _KEYS_PER_WRITE):
                lines = []
                for key in keys[start : start + _KEYS_PER_WRITE]:
                    index, _, rest = outputs[key].partition(" ")
                    lines.append(f'{_json_key(key)}:"{renumber[index]} {rest}"')
                stream.write(("," if start else "") + "\n" + ",\n".join(lines))
            stream.write("\n}}\n")
        self.changed = False


def _json_key(key: str) -> str:
    """Return KEY as a JSON string; a name that is not UTF-8 keeps its bytes as `\\udcXX`.

    Those escapes read back as the very name, so the manifest still finds its output.
    """
    if not key.isascii():
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(key)
    return _encode_string(key)  # what json.dumps(key, ensure_ascii=False) gives, quicker


def _settings_key(format_name: str, options: ConvertOptions) -> str:
    from .. import __version__

    parse = options.parse
    # --now changes what relative dates become (without it, the input's own modification
    # time is the reference, and that is in each file's stamp).
    now = parse.now.isoformat() if parse.now is not None else None
    return json.dumps([format_name, parse.tz, parse.encoding, parse.max_size, now, __version__])
