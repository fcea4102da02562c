"""The clean-text steps the parser runs: line repairs before parsing, article repairs after."""

from __future__ import annotations

import dataclasses

from ..model import Article, Block, Diagnostic, Image, ParseOptions, Severity
from .boilerplate import MAX_LINE as _MAX_LINE
from .boilerplate import (
    classify_line,
    first_candidate,
    is_related_heading,
    might_be_boilerplate,
)
from .mojibake import find_damage, looks_damaged
from .normalize import has_diacritic, needs_normalizing, to_comma_below

__all__ = ["LineRepairs", "clean_articles", "repair_lines", "separate_boilerplate"]

# After a `Citește și:` line alone, this many short paragraphs are taken as the headlines
# it introduces.
_MAX_LISTED_HEADLINES = 8
_MAX_HEADLINE = 200


class LineRepairs:
    """What the line repairs found: diagnostics, and characters normalised per line."""

    __slots__ = ("diagnostics", "normalized")

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.normalized: dict[int, int] = {}


def repair_lines(
    text: str, lines: list[str], options: ParseOptions, file: str | None, first_line: int
) -> LineRepairs | None:
    """Find (and with --fix-text repair) mojibake; with --normalize, normalise the letters.

    LINES is changed in place, one line at a time: a line that reads well is never touched.
    Return None when there was nothing to look at (plain ASCII).
    """
    if text.isascii():  # no mojibake and no letter to normalise in plain ASCII
        return None
    found = LineRepairs()
    if looks_damaged(text):
        for index, line in enumerate(lines):
            damage = find_damage(line)
            if damage is None:
                continue
            number = first_line + index
            column = max(line.find(damage.example), 0) + 1
            if options.fix_text:
                lines[index] = damage.repaired
                found.diagnostics.append(
                    Diagnostic(
                        file,
                        number,
                        column,
                        "NP403",
                        Severity.INFO,
                        f"repaired mojibake ({damage.how}): {damage.example!r} -> "
                        f"{damage.example_repaired!r}",
                    )
                )
            else:
                found.diagnostics.append(
                    Diagnostic(
                        file,
                        number,
                        column,
                        "NP402",
                        Severity.WARNING,
                        f"line looks like mojibake ({damage.how}): {damage.example!r} reads as "
                        f"{damage.example_repaired!r}; --fix-text repairs it",
                        end_line=number,
                        end_column=column + len(damage.example),
                    )
                )
    # Lines --fix-text repaired may have gained cedilla letters the text as read lacked.
    repaired = options.fix_text and bool(found.diagnostics)
    if options.normalize and (repaired or needs_normalizing(text)):
        for index, line in enumerate(lines):
            if not needs_normalizing(line):
                continue
            normalized = to_comma_below(line)
            if normalized != line:
                lines[index] = normalized
                found.normalized[first_line + index] = _changed(line, normalized)
    return found


def _changed(before: str, after: str) -> int:
    """Count the letters rewritten: cedilla letters, and marks that NFC composed."""
    return sum(before.count(letter) for letter in "şţŞŢ") + len(before) - len(after)


def separate_boilerplate(blocks: tuple[Block, ...]) -> tuple[Block, ...] | None:
    """Turn boilerplate paragraphs into `related`, `credit` and `boilerplate` blocks.

    A credit right after an image without a caption becomes that image's caption.
    Return the new blocks, or None when there is no boilerplate.
    """
    start = first_candidate(blocks)
    if start < 0:  # the common case: no paragraph that might be boilerplate
        return None
    changed = False
    result: list[Block] = list(blocks[:start])
    listing = 0  # headlines still expected after a `Citește și:` line
    for block in blocks[start:]:
        if block.kind != "paragraph" or block.text is None:
            listing = 0
            result.append(block)
            continue
        text = block.text
        if not listing and (len(text) > _MAX_LINE or not might_be_boilerplate(text)):
            result.append(block)
            continue
        kind = classify_line(text)
        if kind is None and listing and len(text) <= _MAX_HEADLINE and text[-1:] not in (".", ":"):
            kind = "related"
            listing -= 1
        elif kind is None:
            listing = 0
        if kind is None:
            result.append(block)
            continue
        changed = True
        if kind == "related" and is_related_heading(text):
            listing = _MAX_LISTED_HEADLINES
        previous = result[-1] if result else None
        if (
            kind == "credit"
            and previous is not None
            and previous.kind == "image"
            and previous.image is not None
            and previous.image.caption is None
        ):
            result[-1] = dataclasses.replace(previous, image=Image(previous.image.file, text))
            continue
        result.append(dataclasses.replace(block, kind=kind))  # type: ignore[arg-type]
    return tuple(result) if changed else None


def _article_has_diacritic(article: Article) -> bool:
    if article.title and has_diacritic(article.title):
        return True
    for block in article.blocks:
        if block.text and has_diacritic(block.text):
            return True
        if block.image is not None and block.image.caption and has_diacritic(block.image.caption):
            return True
    return False


def _restore(article: Article) -> tuple[Article, int]:
    """Return ARTICLE with diacritics put back, and how many words changed."""
    from .diacritics import restore_text

    changed = 0

    def restore(text: str) -> str:
        nonlocal changed
        restored = restore_text(text)
        if restored != text:
            changed += sum(a != b for a, b in zip(text.split(), restored.split(), strict=False))
        return restored

    title = restore(article.title) if article.title else article.title
    blocks: list[Block] = []
    for block in article.blocks:
        if (block.kind == "paragraph" and block.text) or (block.kind == "heading" and block.text):
            block = dataclasses.replace(block, text=restore(block.text))
        elif block.kind == "image" and block.image is not None and block.image.caption:
            block = dataclasses.replace(
                block, image=Image(block.image.file, restore(block.image.caption))
            )
        blocks.append(block)
    if not changed:
        return article, 0
    restored = dataclasses.replace(article, title=title, blocks=tuple(blocks))
    return dataclasses.replace(
        restored,
        title_original=article.title if title != article.title else None,
        paragraphs_original=tuple(article.paragraphs)
        if restored.paragraphs != article.paragraphs
        else None,
        captions_original=tuple(image.caption for image in article.images)
        if [i.caption for i in restored.images] != [i.caption for i in article.images]
        else None,
    ), changed


def clean_articles(
    articles: list[Article],
    diagnostics: list[Diagnostic],
    options: ParseOptions,
    repairs: LineRepairs | None,
) -> tuple[list[Article], list[Diagnostic]]:
    """Apply the article steps the options ask for; return the articles and all reports.

    DIAGNOSTICS are the parser's; the line repairs' and these steps' are merged in order.
    """
    found = _clean(articles, options, repairs)
    if repairs is not None:
        found += repairs.diagnostics
    if found:
        diagnostics = sorted(diagnostics + found, key=lambda d: (d.line, d.column))
    return articles, diagnostics


def _clean(
    articles: list[Article], options: ParseOptions, repairs: LineRepairs | None
) -> list[Diagnostic]:
    """Replace each article of ARTICLES by its cleaned form; return what was reported."""
    diagnostics: list[Diagnostic] = []
    normalized = repairs.normalized if repairs is not None else {}
    for index, article in enumerate(articles):
        if normalized:
            count = sum(
                n for line, n in normalized.items() if article.line <= line <= article.end_line
            )
            if count:
                diagnostics.append(
                    Diagnostic(
                        article.file,
                        article.line,
                        1,
                        "NP401",
                        Severity.INFO,
                        f"wrote {count} character{'s' if count != 1 else ''} in comma-below "
                        "form or NFC",
                    )
                )
        if not options.keep_boilerplate:
            blocks = separate_boilerplate(article.blocks)
            if blocks is not None:
                article = dataclasses.replace(article, blocks=blocks)
        if options.restore_diacritics and not _article_has_diacritic(article):
            article, changed = _restore(article)
            if changed:
                diagnostics.append(
                    Diagnostic(
                        article.file,
                        article.line,
                        1,
                        "NP404",
                        Severity.INFO,
                        f"article had no diacritics: restored {changed} "
                        f"word{'s' if changed != 1 else ''}",
                    )
                )
        articles[index] = article
    return diagnostics
