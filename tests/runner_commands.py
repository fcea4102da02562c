"""What the GitHub Actions runner would run as a workflow command in a step's output.

The runner splits output into lines at LF, CR or CRLF. A line is a command when, with
white space stripped, it starts with `::` and holds a second `::` (`::name props::data`);
failing that, its legacy parser takes `##[` followed, anywhere later, by `]`. Names are
not checked against the runner's list: anything of the shape counts, to err on the safe
side.
"""

from __future__ import annotations

import re

_NEW_FORM = re.compile(r"::.*?::", re.DOTALL)
_OLD_FORM = re.compile(r"##\[[^\]]*\]")
#: The commands newsparse writes itself, at the start of a line: annotations always
#: start with `file=` or `line=`.
OURS = (
    *(f"::{level} {key}=" for level in ("error", "warning", "notice") for key in ("file", "line")),
    "::group::",
    "::endgroup::",
)


def runner_commands(output: str) -> list[str]:
    """Return each line of OUTPUT that the runner would take for a workflow command."""
    found = []
    for line in output.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _NEW_FORM.match(line.strip()) or _OLD_FORM.search(line):
            found.append(line)
    return found


def forged_commands(output: str) -> list[str]:
    """Return the command lines of OUTPUT that newsparse did not write itself."""
    return [line for line in runner_commands(output) if not line.startswith(OURS)]
