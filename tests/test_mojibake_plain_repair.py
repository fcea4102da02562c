"""The common mojibake is repaired without ftfy, exactly as ftfy repairs it.

`_plain_utf8_repair` reverses Romanian UTF-8 read once as Windows-1252 and returns None
for anything else; whenever it answers, its answer must be ftfy's.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys

import ftfy
import pytest
from ftfy.badness import is_bad
from ftfy.chardata import UTF8_CLUES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsparse.text import mojibake
from newsparse.text.mojibake import _ROMANIAN_AS_CP1252, _plain_utf8_repair, find_damage

SETTINGS = settings(max_examples=500, deadline=None)
ROMANIAN = "ăâîșşțţĂÂÎȘŞȚŢ„”«»–—…’‘"
ALPHABET = "abcdeimnorstuzAIMS0123456789 .,;:?!-()\"'" + ROMANIAN
SENTENCE = st.text(alphabet=ALPHABET, min_size=1, max_size=60)


def damaged(text: str, errors: str = "replace") -> str:
    """Return TEXT as a scrape that read UTF-8 as Windows-1252 shows it."""
    return text.encode("utf-8").decode("cp1252", errors=errors)


@SETTINGS
@given(SENTENCE, st.sampled_from(["replace", "ignore", "strict-or-skip"]))
@example("Poliția și școala, „ancheta” continuă.", "replace")
@example("Ăă", "replace")
@example("țâ„", "replace")
@example("în ț", "replace")
def test_the_plain_repair_is_ftfys_whenever_it_answers(text: str, errors: str) -> None:
    if errors == "strict-or-skip":
        try:
            line = damaged(text, "strict")
        except UnicodeDecodeError:
            return
    else:
        line = damaged(text, errors)
    repaired = _plain_utf8_repair(line)
    if repaired is not None:
        assert repaired == ftfy.fix_encoding(line)


@SETTINGS
@given(SENTENCE | st.text(max_size=20), SENTENCE | st.text(max_size=20))
def test_what_the_plain_repair_takes_for_mojibake_ftfy_does_too(before: str, after: str) -> None:
    for sequence in ("Äƒ", "Ã®", "Ã¢", "È˜", "Ã‚", "È™a", "È›i", "Ä‚s", "È™Z"):
        line = before + sequence + after
        assert _ROMANIAN_AS_CP1252.search(line)
        assert is_bad(line)


@SETTINGS
@given(SENTENCE, SENTENCE, SENTENCE)
def test_partly_damaged_lines_are_left_to_ftfy_or_repaired_as_ftfy_does(
    before: str, text: str, after: str
) -> None:
    line = before + damaged(text) + after
    repaired = _plain_utf8_repair(line)
    if repaired is not None:
        assert repaired == ftfy.fix_encoding(line)


def test_the_common_damage_is_repaired_without_ftfy() -> None:
    rng = random.Random(5)
    words = ["poliția", "școala", "ședința", "primăria", "când", "între", "Ștefan", "Țara"]
    answered = 0
    for _ in range(200):
        text = " ".join(rng.choice(words) for _ in range(12))
        if rng.random() < 0.5:
            text += ", a spus el: „ancheta continuă”."
        line = damaged(text)
        repaired = _plain_utf8_repair(line)
        assert repaired == ftfy.fix_encoding(line)
        answered += repaired is not None
    assert answered == 200


@pytest.mark.parametrize(
    "line",
    [
        "plain ASCII text",
        "Poliția, scris cum trebuie",
        "SÃ£o Paulo",  # not Romanian: ftfy decides
        "PoliÈ›ia È™i poliția",  # damaged and clean letters mixed: ftfy decides
    ],
)
def test_other_lines_are_left_to_ftfy(line: str) -> None:
    assert _plain_utf8_repair(line) is None


def test_the_sequence_letters_are_ftfys() -> None:
    def matching(key: str) -> frozenset[str]:
        pattern = re.compile(f"[{UTF8_CLUES[key]}]")
        return frozenset(c for c in mojibake._PLAIN_REPAIRED | {" "} if pattern.match(c))

    assert matching("utf8_first_of_2") == mojibake._LEADS_OF_TWO
    assert matching("utf8_first_of_3") == mojibake._LEADS_OF_THREE
    assert not matching("utf8_first_of_4")
    assert matching("utf8_continuation") == mojibake._CONTINUING


def test_finding_the_common_damage_does_not_import_ftfy() -> None:
    line = damaged("Poliția și școala, „ancheta” continuă.")
    code = (
        "import sys\n"
        "from newsparse.text.mojibake import find_damage\n"
        f"damage = find_damage({line!r})\n"
        "print(damage.repaired)\n"
        "print('ftfy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True
    )
    damage = find_damage(line)
    assert damage is not None
    assert done.stdout.splitlines() == [damage.repaired, "False"]
    assert damage.repaired == ftfy.fix_encoding(line)
