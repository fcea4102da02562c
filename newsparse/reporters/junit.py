"""JUnit XML, as GitLab and Jenkins read it: one test case per file, valid per junit-10.xsd."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from ..console import escape_control, neutralize_xml
from .base import FileResult, Reporter, fails
from .text import diagnostic_lines

__all__ = ["JUnitReporter"]

# Characters XML 1.0 cannot hold even escaped; C0 and C1 controls are made visible earlier.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


class JUnitReporter(Reporter):
    """A suite `newsparse validate` with one test case per file; failing files carry a failure.

    A file fails when it has errors (warnings too with --strict); the failure holds every
    diagnostic of the file as text lines. Diagnostics of a passing file go to its
    `system-out`, so warnings stay visible without failing the test.
    """

    def report(self, results: Sequence[FileResult]) -> None:
        failures = 0
        suite = ET.Element("testsuite", name="newsparse validate")
        names: set[str] = set()
        for result in results:
            name = _unique(_xml_text(escape_control(result.name)), names)
            # Jenkins xunit's junit-10.xsd has no `file` on a test case: the path is its
            # name, which every JUnit reader shows.
            case = ET.SubElement(suite, "testcase", classname="newsparse", name=name, time="0")
            if not result.diagnostics:
                continue
            text = "\n".join(diagnostic_lines(result))
            failing = [d for d in result.diagnostics if fails(d, strict=self.strict)]
            if failing:
                failures += 1
                count = len(result.diagnostics)
                failure = ET.SubElement(
                    case,
                    "failure",
                    type="newsparse",
                    message=f"{count} problem{'s' if count != 1 else ''}",
                )
                failure.text = _xml_text(text)
            else:
                ET.SubElement(case, "system-out").text = _xml_text(text)
        counts = {"tests": str(len(results)), "failures": str(failures), "errors": "0"}
        suite.attrib.update(counts, skipped="0", time="0")
        root = ET.Element("testsuites", {"name": "newsparse", **counts})
        root.append(suite)
        ET.indent(root)
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        # A file name or dump text may hold `##[`: the CI log that shows this report must
        # not read it as a command.
        self.stream.write(neutralize_xml(ET.tostring(root, encoding="unicode")))
        self.stream.write("\n")


def _unique(name: str, names: set[str]) -> str:
    """Return NAME, or NAME (2), (3)... when a test case already has it."""
    candidate, number = name, 1
    while candidate in names:
        number += 1
        candidate = f"{name} ({number})"
    names.add(candidate)
    return candidate
