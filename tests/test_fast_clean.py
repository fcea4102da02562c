"""The first boilerplate candidate is found as the plain test of every paragraph finds it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse.model import Block
from newsparse.text.boilerplate import first_candidate, might_be_boilerplate

SETTINGS = settings(max_examples=500, deadline=None)
STARTS = st.sampled_from(
    ["Citește și", "CITEȘTE", "citeste", "Foto: ", "Sursa: ", "- ", "• ", "1. ", "(", "[", "©"]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.tuples(STARTS, st.text(max_size=40)).map("".join),
    st.tuples(st.text(max_size=20), st.sampled_from(["foto", "FOTO", "Foto"])).map("".join),
    st.integers(280, 320).map(lambda n: "Citește și " + "x" * n),
)
BLOCKS = st.lists(
    st.one_of(
        TEXT.map(lambda text: Block("paragraph", text=text)),
        TEXT.map(lambda text: Block("heading", text=text, level=2)),
        st.just(Block("separator")),
        st.just(Block("paragraph")),
    ),
    max_size=8,
)


def first_candidate_reference(blocks: list[Block]) -> int:
    """Test every paragraph with `might_be_boilerplate`, as the plain loop did."""
    for index, block in enumerate(blocks):
        text = block.text
        if text is not None and block.kind == "paragraph" and might_be_boilerplate(text):
            return index
    return -1


@SETTINGS
@given(BLOCKS)
def test_first_candidate_is_the_plain_loops(blocks: list[Block]) -> None:
    assert first_candidate(blocks) == first_candidate_reference(blocks)
