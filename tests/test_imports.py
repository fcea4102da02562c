"""Each module imports alone (no import cycle); `newsparse parse PATHS...` never loads click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEED

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "newsparse"


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__main__":
            continue  # runs the command line when imported
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


MODULES = _modules()


def test_the_module_list_is_complete() -> None:
    # The list comes from the files; a mistake in it would make the next test vacuous.
    assert {
        "newsparse",
        "newsparse.cli",
        "newsparse.cli.parse",
        "newsparse.batch.pool",
        "newsparse.parser",
        "newsparse.exporters.json",
    } <= set(MODULES)


def test_each_module_imports_alone_in_a_fresh_interpreter() -> None:
    # Started together: one interpreter per module, so a cycle shows whichever module
    # is imported first; in parallel, so the whole check takes a few seconds.
    children = {
        name: subprocess.Popen(
            [sys.executable, "-c", f"import {name}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in MODULES
    }
    failed = {}
    for name, child in children.items():
        _, errors = child.communicate(timeout=120)
        if child.returncode != 0:
            failed[name] = errors.decode("utf-8", "replace").strip().splitlines()[-1:]
    assert failed == {}


def _imported(args: list[str]) -> set[str]:
    """Return the top-level modules `python -m newsparse ARGS` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "newsparse", *args],
        capture_output=True,
        check=False,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    names = set()
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.slow
def test_parse_of_paths_and_plain_options_loads_neither_click_nor_rich() -> None:
    quick = _imported(["parse", str(SEED)])
    assert _imported(["parse", "-q", "-f", "jsonl", str(SEED)]).isdisjoint({"click", "rich"})
    assert "newsparse" in quick  # the import log was read
    assert "click" not in quick and "rich" not in quick
    # The same check sees click when an option sends the command through it.
    assert "click" in _imported(["parse", "-f", "csv", str(SEED)])


def _command_modules_loaded(args: list[str]) -> set[str]:
    """Return which command modules running `newsparse ARGS` in a fresh interpreter loads."""
    script = (
        "import sys\n"
        "from newsparse.cli import main\n"
        "try:\n"
        f"    main({args!r}, prog_name='newsparse')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.__stderr__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    modules = set(done.stderr.splitlines()[-1].split())
    assert "click" in modules, done.stderr[-2000:]  # the click group ran the command
    return modules & COMMAND_MODULES


COMMAND_MODULES = {
    f"newsparse.cli.{name}" for name in ("parse", "validate", "schema", "convert", "show", "stats")
}


def test_a_command_loads_its_own_module_and_no_other_command() -> None:
    assert _command_modules_loaded(["parse", "-f", "json", str(SEED)]) == {"newsparse.cli.parse"}
    assert _command_modules_loaded(["schema"]) == {"newsparse.cli.schema"}
    assert _command_modules_loaded(["--version"]) == set()


def test_top_level_help_loads_and_lists_every_command() -> None:
    assert _command_modules_loaded(["--help"]) == COMMAND_MODULES
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    listed = done.stdout.split("Commands:")[1].split()
    assert {name.rsplit(".", 1)[1] for name in COMMAND_MODULES} <= set(listed)


def test_completion_reaches_the_options_of_a_command_not_loaded_yet() -> None:
    import os

    environment = {
        **os.environ,
        "_NEWSPARSE_COMPLETE": "bash_complete",
        "COMP_WORDS": "newsparse convert --fai",
        "COMP_CWORD": "2",
    }
    done = subprocess.run(
        [sys.executable, "-c", "from newsparse.cli import main; main(prog_name='newsparse')"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=environment,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["plain,--fail-fast"]


def test_a_pattern_compiled_lazily_behaves_as_the_compiled_one() -> None:
    import re

    from newsparse.patterns import compile_lazily, compiled

    source = r"(?P<d>\d{1,2}) (?P<mon>[a-z]+)"
    lazy, eager = compile_lazily(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert "match" not in vars(lazy)  # nothing compiled before the first use
    text = "pe 15 AUGUST si 3 mai"
    found = lazy.search(text)
    assert found is not None and found.group("mon") == "AUGUST"
    assert "match" in vars(lazy)  # the methods are bound on the stand-in now
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert lazy.sub("-", text) == eager.sub("-", text)
    assert (lazy.pattern, lazy.flags, lazy.groupindex) == (
        eager.pattern,
        eager.flags,
        eager.groupindex,
    )
    assert compiled(lazy) == eager and compiled(eager) is eager


@pytest.mark.parametrize("used_first", [False, True])
def test_a_pattern_compiled_lazily_copies_and_pickles_as_the_compiled_one(
    used_first: bool,
) -> None:
    import copy
    import pickle
    import re

    from newsparse.patterns import compile_lazily, compiled

    source = r"(?P<d>\d{1,2}) (?P<mon>[a-z]+)"
    lazy, eager = compile_lazily(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    if used_first:
        assert lazy.search("pe 3 mai") is not None
    assert copy.copy(lazy) is lazy and copy.deepcopy(lazy) is lazy  # as for a compiled one
    assert copy.copy(eager) is eager and copy.deepcopy(eager) is eager
    nested = copy.deepcopy({"patterns": [lazy]})
    assert nested["patterns"][0] is lazy
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        restored = pickle.loads(pickle.dumps(lazy, protocol=protocol))
        assert type(restored) is type(lazy) and "match" not in vars(restored)  # still lazy
        assert compiled(restored) == eager
        text = "pe 15 AUGUST si 3 mai"
        assert restored.sub("-", text) == eager.sub("-", text)
        assert restored.groupindex == eager.groupindex
    assert ("match" in vars(lazy)) is used_first  # copying and pickling compiled nothing


def test_parse_of_one_plain_article_compiles_only_the_patterns_it_uses() -> None:
    # The quick start parses one dump: the date shapes it does not hold cost nothing.
    script = (
        "import sys\n"
        "import newsparse, newsparse.dates as dates\n"
        "newsparse.parse('Scris de Ana Pop pe 15 august 2022, 09:13\\nTitlu\\n\\nUn rand.\\n')\n"
        "lazy = [n for n, v in vars(dates).items() if type(v).__name__ == '_LazyPattern']\n"
        "waiting = [name for name in lazy if 'match' not in vars(getattr(dates, name))]\n"
        "print(len(lazy), len(waiting))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    lazy, waiting = map(int, done.stdout.split())
    assert lazy >= 20 and waiting >= lazy // 2


@pytest.mark.slow
def test_parse_of_paths_only_loads_neither_inspect_nor_copy() -> None:
    quick = _imported(["parse", str(SEED)])
    assert "dataclasses" in quick and "inspect" not in quick and "copy" not in quick
    options = _imported(["parse", "-q", "-f", "jsonl", str(SEED)])
    assert "dataclasses" in options and options.isdisjoint({"inspect", "copy"})


def test_dataclasses_without_inspect_still_documents_a_class_that_has_no_docstring() -> None:
    script = (
        "import sys\n"
        "from newsparse.cli import _defer_inspect\n"
        "_defer_inspect()\n"
        "import dataclasses\n"
        "assert 'inspect' not in sys.modules\n"
        "@dataclasses.dataclass(frozen=True)\n"
        "class Pair:\n"
        "    left: int\n"
        "    right: str = 'x'\n"
        "@dataclasses.dataclass\n"
        "class Box:\n"
        "    items: dict\n"
        "import inspect\n"
        "assert dataclasses.inspect is inspect and inspect.signature(Pair)\n"
        "assert 'copy' not in sys.modules\n"
        # A set, which asdict deep-copies through `copy` on every version (from 3.12 it
        # copies lists and dicts itself).
        "nested = {'a': {1, 2}}\n"
        "copied = dataclasses.asdict(Box(nested))\n"  # deep-copies through the stand-in
        "import copy\n"
        "assert dataclasses.copy is copy and copied['items'] == nested\n"
        "assert copied['items']['a'] is not nested['a']\n"
        "print(Pair.__doc__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout == "Pair(left: int, right: str = 'x')\n"


_ONE_ARTICLE = (
    "Publicat de Ana Popescu, 17 mai 2011 - ora 15:25\n"
    "\n"
    '## Titlu cu "ghilimele" si \\ bara\n'
    "\n"
    "Primul paragraf, cu un tab\tin el.\n"
    "\n"
    "poza-strada (1).jpg\n"
    "\n"
    "Al doilea paragraf ##[ si un rand\u2028despartit.\n"
    "\n"
    "[sursa](https://exemplu.ro/a)\n"
    "\n"
    "ADRESA: <https://exemplu.ro/a>\n"
)


def _parse_one_article(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the quick `newsparse parse FILE` on one article; print what it loaded last."""
    dump = tmp_path / "one.txt"
    dump.write_text(_ONE_ARTICLE, encoding="utf-8")
    script = (
        "import os, sys\n"
        "from newsparse import cli\n"
        "exit = os._exit\n"
        "os._exit = lambda status: (print(' '.join(sorted(sys.modules)), file=sys.stderr),"
        " sys.stderr.flush(), exit(status))\n"
        f"sys.argv = ['newsparse', 'parse', *{list(extra)!r}, {str(dump)!r}]\n"
        "cli.run()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_parse_of_one_article_writes_it_without_loading_json(tmp_path: Path) -> None:
    import json

    from newsparse import parse_file

    done = _parse_one_article(tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = set(done.stderr.splitlines()[-1].split())
    assert "newsparse.exporters.json" in modules  # the list is the quick path's
    assert "json" not in modules and "orjson" not in modules
    # The same text `json` writes, escaped as every JSON output is.
    (article,) = parse_file(tmp_path / "one.txt").articles
    expected = json.dumps(article.to_dict(), ensure_ascii=False, indent=2)
    expected = expected.replace("\u2028", "\\u2028").replace("##[", "##\\u005b")
    assert done.stdout == expected + "\n"
    assert json.loads(done.stdout)["paragraphs"][1].startswith("Al doilea paragraf ##[ si")


def test_parse_loads_its_modules_with_the_collector_off_and_collects_afterwards() -> None:
    script = (
        "import gc\n"
        "from newsparse.cli import _loaded\n"
        "with _loaded():\n"
        "    assert not gc.isenabled()\n"
        "    import newsparse.api\n"
        "assert gc.isenabled() and gc.get_freeze_count() > 1000\n"
        "class Cycle:\n"
        "    pass\n"
        "c = Cycle(); c.me = c; del c\n"
        "print(gc.collect())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert int(done.stdout) >= 1  # objects made after loading are still collected
