"""`convert` for archives: each member is a task, read by the parent, written under DEST/ARCHIVE/.

An archive is read once, in one pass, by the parent process (a compressed tar can only be
read that way); the members' bytes go to the workers in batches, like files would, so
memory holds a few batches at most. The manifest remembers a whole archive: when it is
unchanged, and every output of its members is as written, it is not read again (its
link and device members, refused, are no reason to read it again).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from ..archives import SEPARATOR, open_container, sniff, unsafe_member_path
from ..model import Diagnostic, Severity
from .manifest import _Manifest
from .naming import UnsafeOutputPath, _OutputNames
from .report import FileResult, Outcome
from .worker import _failure, _linked_output_error, _Task

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..reading import InputEntry

__all__ = ["ArchivePlanner"]

#: Manifest keys of whole archives end with this (no output name can: outputs end in
#: their format's extension).
_ARCHIVE_MARK = "!"
#: Members refused whatever the run (links, devices): they leave an archive complete.
_REFUSED = frozenset(("NP121", "NP122"))


class ArchivePlanner:
    """Turn the archives among a batch's inputs into tasks, and remember them in the manifest.

    Without DESTINATION (for --combine), members only become tasks.
    """

    def __init__(
        self,
        *,
        pattern: str,
        max_size: int | None,
        destination: str | None = None,
        names: _OutputNames | None = None,
        manifest: _Manifest | None = None,
        force: bool = False,
        through_link: Callable[[str], str | None] | None = None,
    ) -> None:
        self.pattern = pattern
        self.max_size = max_size
        self.destination = destination
        self.names = names
        self.manifest = manifest
        self.force = force
        #: The directory of DESTINATION that is a symbolic link on the way to an output
        #: (given relative to DESTINATION), or None: no output is written through one.
        self.through_link = through_link
        #: (manifest key, archive stat, the manifest keys of its members' outputs, how
        #: many link or device members it holds)
        self._planned: list[tuple[str, os.stat_result, list[str], int]] = []
        #: The manifest's keys by the archive directory they lie in (see _recorded_under).
        self._under: dict[str, list[str]] | None = None

    def is_archive(self, path: str) -> bool:
        """Tell, from its magic bytes, whether the file at PATH is a zip or tar archive."""
        try:
            return sniff(path).is_archive
        except OSError:
            return False  # the worker reports why it cannot be read

    def tasks(self, entry: InputEntry) -> Iterator[FileResult | _Task]:
        """Yield a task for every member of the archive ENTRY, or a result for one that fails."""
        try:
            info = os.stat(entry.path)
        except OSError as error:
            from ..reading import describe_os_error

            yield _failure(
                _Task(entry.path, None, 0),
                Diagnostic(
                    entry.path,
                    1,
                    1,
                    "NP108",
                    Severity.ERROR,
                    f"cannot read file: {describe_os_error(error)}",
                ),
            )
            return
        archive_key = entry.relative.replace(os.sep, "/") + _ARCHIVE_MARK
        current = self._is_current(archive_key, info)
        if current is not None:
            message = "up to date (archive unchanged)"
            if current:
                message = (
                    f"up to date (archive unchanged; its {current} link or device "
                    f"member{'s' if current > 1 else ''} not read)"
                )
            yield FileResult(entry.path, Outcome.SKIPPED, message=message)
            return
        stamp = (info.st_mtime_ns, info.st_size)
        keys: list[str] = []
        complete = True
        refused = 0
        prefix = os.path.join(self.destination or "", "")  # outputs' paths start with it
        for member in open_container(
            entry.path, entry.relative, pattern=self.pattern, max_size=self.max_size
        ):
            if member.data is None:
                # A link or device member is refused again on every run, as long as the
                # archive is unchanged: reading the archive again would only repeat that.
                if member.archive is not None and {d.code for d in member.problems} <= _REFUSED:
                    refused += 1
                else:
                    complete = False
                yield _failure(_Task(member.name, None, 0), member.problems[0])
                continue
            carried = (member.data, member.problems, stamp)
            if self.names is None:
                yield _Task(member.name, None, len(member.data), member=carried)
                continue
            inner = member.name[len(entry.path) + len(SEPARATOR) :]
            output = self._claim(member.name, member.relative, inner)
            if isinstance(output, Diagnostic):
                complete = False
                yield _failure(_Task(member.name, None, 0), output)
                continue
            relative, renamed_from = output
            linked = self.through_link(relative) if self.through_link is not None else None
            if linked is not None:
                complete = False
                yield _failure(
                    _Task(member.name, None, 0), _linked_output_error(member.name, linked)
                )
                continue
            keys.append(relative.replace(os.sep, "/") if os.sep != "/" else relative)
            yield _Task(
                member.name,
                prefix + relative,
                len(member.data),
                renamed_from and prefix + renamed_from,
                member=carried,
            )
        if self.manifest is not None:
            if complete:
                self._planned.append((archive_key, info, keys, refused))
            else:
                self.manifest.forget(archive_key)

    def _claim(self, name: str, relative: str, inner: str) -> tuple[str, str | None] | Diagnostic:
        reason = unsafe_member_path(inner)
        if reason is None:
            assert self.names is not None
            try:
                return self.names.claim(relative)
            except UnsafeOutputPath as error:
                reason = str(error)
        return Diagnostic(
            name,
            1,
            1,
            "NP120",
            Severity.ERROR,
            f"member name {inner!r} holds {reason}: its output would leave the "
            "destination; not written",
        )

    def _is_current(self, archive_key: str, info: os.stat_result) -> int | None:
        """Tell whether the archive is as when it was converted, and so is every output of it.

        Return None when it is not, else how many link or device members it holds.
        """
        manifest = self.manifest
        if manifest is None or self.force:
            return None
        recorded = manifest.outputs.get(archive_key)
        if recorded is None:
            return None
        fields = recorded.split()
        if fields[:3] != [manifest.current, str(info.st_mtime_ns), str(info.st_size)]:
            return None
        prefix = archive_key[: -len(_ARCHIVE_MARK)] + "/"
        members = 0
        assert self.destination is not None
        for key in self._recorded_under(prefix):
            value = manifest.outputs.get(key)
            if value is None or value.split()[1:3] != fields[1:3]:
                continue
            try:
                written = os.stat(os.path.join(self.destination, key))
            except OSError:
                return None
            if not manifest.is_current(key, info, written):
                return None
            members += 1
        return int(fields[3]) if members == int(fields[4]) else None

    def _recorded_under(self, prefix: str) -> list[str]:
        """Return the manifest's keys that start with PREFIX, an archive's directory in DEST.

        The manifest as the run found it is indexed once by archive, on the first look:
        looking through all of it for each archive would make a rerun over many archives
        take the square of their number.
        """
        if self._under is None:
            assert self.manifest is not None
            outputs = self.manifest.outputs
            index: dict[str, list[str]] = {
                key[: -len(_ARCHIVE_MARK)] + "/": []
                for key in outputs
                if key.endswith(_ARCHIVE_MARK)
            }
            if index:
                for key in outputs:
                    at = key.find("/")
                    while at >= 0:
                        found = index.get(key[: at + 1])
                        if found is not None:
                            found.append(key)
                        at = key.find("/", at + 1)
            self._under = index
        return self._under.get(prefix, [])

    def finish(self) -> None:
        """Record in the manifest each archive whose every member output was written."""
        manifest = self.manifest
        if manifest is None:
            return
        for archive_key, info, keys, refused in self._planned:
            wanted = f"{manifest.current} {info.st_mtime_ns} {info.st_size} "
            if all(manifest.outputs.get(key, "").startswith(wanted) for key in keys):
                # Where a file's record keeps its output's mtime, an archive's keeps how
                # many link or device members it holds (0 in older manifests).
                manifest.record(archive_key, (info.st_mtime_ns, info.st_size, refused, len(keys)))
            else:
                manifest.forget(archive_key)
        self._planned.clear()
