"""No regular expression of the reading path backtracks catastrophically.

Every compiled pattern of the modules that read dumps is run (match and fullmatch, and
search and finditer for those the code runs unanchored) on 1,000-character strings built
to make a backtracking engine try every way of splitting a run: a prefix that gets the
pattern going, then a unit repeated from the characters the pattern itself uses, then a
NUL that makes it fail at the end. A pattern that could take exponential time on such
input would not finish in years (2^1000 steps); quadratic work on 1,000 characters takes
milliseconds. So the time limit below catches exponential and high-polynomial
backtracking only. Quadratic work is real too (a pattern run over an unbounded line) and
is what `benchmarks/scaling.py` measures for whole inputs; several date patterns here are
quadratic on long runs of spaces, which is harmless only because bylines are cut at
MAX_BYLINE (400) characters before any of them runs. Only the shapes generated here are
tried: strong evidence, not a proof.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

MODULES = (
    "newsparse.parser",
    "newsparse.dates",
    "newsparse.reading",
    "newsparse.api",
    "newsparse.console",
)
LENGTH = 1_000
PREFIXES = (
    "",
    "1 mai",
    "15 august 2022",
    "Scris de a",
    "De a",
    "![a",
    "![a](",
    "[a](",
    "ADRESA: <",
    "1.1.2020",
    "vineri, 1",
    "http://",
    "## a",
    "a",
)
#: Characters every pump may use besides those of the pattern.
BASE_ALPHABET = " \t,.-:/#[]()!<>\"'*_1a\n"


def collect_patterns() -> dict[str, re.Pattern[str]]:
    """Return every compiled pattern at module level (and in tuples) of MODULES."""
    import importlib

    from newsparse.patterns import compiled

    found: dict[str, re.Pattern[str]] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            values = value if isinstance(value, tuple) else (value,)
            for index, item in enumerate(values):
                for part in item if isinstance(item, tuple) else (item,):
                    part = compiled(part)  # compiled on first use: compiled now
                    if isinstance(part, re.Pattern) and isinstance(part.pattern, str):
                        found[f"{module_name}.{name}[{index}]"] = part
    return found


#: Patterns the code runs unanchored (search, finditer, findall, sub); the others are only
#: ever used with match or fullmatch, and a search over them is not what any input meets.
UNANCHORED = {
    "_GLUED_FRAME",
    "_DIGIT",
    "_DOUBLED_WORD",
    "_URL",
    "_WORD",
    "_DIGITS",
    "_CLEAN_STEPS",
    "_SPLIT",
    "_UPDATED",
    "_CONTROL",
    "_SURROGATE",
    "_CR_NUL_LF",
    "_SAFE_CUT",
    "_FALLBACK_CUT",
}
PAIR_ALPHABET = " \t,.-:/#[]()!<>\"'1a"


def pumps(pattern: re.Pattern[str]) -> list[str]:
    """Return the adversarial strings for PATTERN."""
    literal = {c for c in pattern.pattern if c.isprintable() and c != "\\"}
    singles = sorted((literal | set(BASE_ALPHABET)) - set("?+{}|^$"))
    pairs = ["".join(p) for p in itertools.combinations(PAIR_ALPHABET, 2)]
    strings = []
    for prefix in PREFIXES:
        for unit in singles + pairs:
            body = unit * ((LENGTH - len(prefix)) // len(unit))
            strings.append(prefix + body + "\x00")
    return strings


def run_all(name: str, pattern: re.Pattern[str], text: str) -> None:
    """Use PATTERN on TEXT every way the code may use it."""
    pattern.match(text)
    pattern.fullmatch(text)
    if name.rsplit(".", 1)[-1].split("[")[0] in UNANCHORED:
        pattern.search(text)
        for _ in pattern.finditer(text):
            pass


def test_every_pattern_is_found() -> None:
    names = collect_patterns()
    assert "newsparse.dates._FAST_DATE[0]" in names
    assert "newsparse.parser._SEPARATOR[0]" in names
    assert any(name.startswith("newsparse.dates._CLEAN_STEPS") for name in names)
    assert len(names) >= 20


def test_no_pattern_backtracks_catastrophically() -> None:
    script = textwrap.dedent("""
        import json, time
        from tests.test_regex_safety import collect_patterns, pumps, run_all
        slowest = {}
        for name, pattern in collect_patterns().items():
            worst = 0.0
            for text in pumps(pattern):
                start = time.perf_counter()
                run_all(name, pattern, text)
                worst = max(worst, time.perf_counter() - start)
            slowest[name] = worst
        print(json.dumps(slowest))
    """)
    # Minutes, not seconds: this catches exponential blow-up, not a slow machine.
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=root,
    )
    assert result.returncode == 0, result.stderr
    slowest = json.loads(result.stdout)
    assert len(slowest) == len(collect_patterns())


# The Markdown image title rule, once a regular expression that took seconds on a line
# with a long run of spaces, now done by hand: it must still mean the same.
_IMAGE_TITLE_RULE = re.compile(r"""(.*?)\s+(?:"[^"]*"|'[^']*')""")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(["a", " ", '"', "'", "\t", "\u00a0", "(", "x"]), max_size=14))
def test_image_title_is_stripped_as_the_markdown_rule_says(target: str) -> None:
    from newsparse.parser import _strip_image_title

    match = _IMAGE_TITLE_RULE.fullmatch(target)
    assert _strip_image_title(target) == (match.group(1) if match else target)


def test_image_with_a_long_run_of_spaces_is_read() -> None:
    import newsparse

    text = "Scris de ana pe 1 mai 2020\n\n## T\n\n![c](a" + " " * 200_000 + 'b "t")\n'
    image = newsparse.parse(text).articles[0].images[0]
    assert image.file == "a" + " " * 200_000 + "b" and image.caption == "c"
