"""The corpus figures as one self-contained HTML page: inline CSS and an SVG chart, no network."""

from __future__ import annotations

from html import escape

from .stats import DEFAULT_TOP, Stats

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DEFAULT_DOCS_URL", "render_html"]

#: Where the diagnostic codes are explained; each code links to its anchor there.
DEFAULT_DOCS_URL = "docs/diagnostics.md"

_CSS = """
:root { color-scheme: light dark; --bar: #2f6fb3; --muted: #6b7280; --line: #d1d5db; }
* { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 0 auto; padding: 1rem; max-width: 60rem; }
h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .5rem; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem .75rem; }
.card b { display: block; font-size: 1.3rem; font-variant-numeric: tabular-nums; }
.card span { color: var(--muted); font-size: .85rem; }
.chart { width: 100%; height: auto; display: block; }
.chart .bar { fill: var(--bar); }
.chart .axis { stroke: var(--line); }
.chart .track { fill: var(--bar); opacity: .07; }
.chart text { fill: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
         overflow-wrap: anywhere; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: var(--muted); }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
           gap: 0 1.5rem; }
"""


def _when(iso: str) -> str:
    """Return `2022-08-15 09:13` for an ISO date-time (a bare date as it is)."""
    return escape(iso[:16].replace("T", " "))


def _number(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _chart(monthly: list[tuple[str, int]]) -> str:
    """Return an SVG bar chart with one `rect.bar` per month (empty months have height 0).

    Every month also gets a faint track, so that empty months show as empty bars. The
    drawing grows taller with the number of months, so that a long range stays readable
    when the page is as narrow as a phone.
    """
    if not monthly:
        return '<p class="muted">No dated articles.</p>'
    step = 12
    width = step * len(monthly)
    height = max(120, round(width * 0.3))
    font = max(10, round(width / 50))
    top = max(count for _, count in monthly) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + font + 4}" role="img" '
        f'aria-label="Articles per month" style="font-size:{font}px">',
        f'<line class="axis" x1="0" y1="{height}" x2="{width}" y2="{height}"/>',
    ]
    for index, (month, count) in enumerate(monthly):
        bar = round(count / top * (height - 4), 2)
        x = index * step + 1
        parts.append(f'<rect class="track" x="{x}" y="0" width="{step - 2}" height="{height}"/>')
        parts.append(
            f'<rect class="bar" data-month="{month}" data-count="{count}" x="{x}" '
            f'y="{height - bar}" width="{step - 2}" height="{bar}">'
            f"<title>{month}: {count:,} article{'' if count == 1 else 's'}</title></rect>"
        )
        # A year under its January (and under the first month, when no January is near);
        # none that would run past the right edge.
        labelled = month.endswith("-01") or (index == 0 and int(month[5:7]) <= 4)
        if labelled and x + 2.5 * font <= width:
            parts.append(f'<text x="{x}" y="{height + font}">{month[:4]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _names_table(title: str, rows: list[dict[str, Any]], missing: int, distinct: int) -> str:
    body = "".join(
        f'<tr><td>{escape(row["name"])}</td><td class="n">{row["articles"]:,}</td></tr>'
        for row in rows
    )
    if not rows:
        body = '<tr><td colspan="2" class="muted">none</td></tr>'
    return (
        f'<section><h2>{title}</h2><div class="scroll"><table>'
        f'<thead><tr><th>name</th><th class="n">articles</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
        f'<p class="muted">{distinct:,} distinct; {missing:,} articles without one.</p>'
        "</section>"
    )


def render_html(
    stats: Stats,
    *,
    title: str = "newsparse stats",
    top: int = DEFAULT_TOP,
    docs_url: str = DEFAULT_DOCS_URL,
    filtered: bool = False,
) -> str:
    """Return the figures of STATS as one HTML document that needs nothing else to show.

    Diagnostic codes link to `DOCS_URL#npNNN`, the anchors of docs/diagnostics.md.
    """
    figures = stats.to_dict(top=top, filtered=filtered)
    dates = figures["dates"]
    cards = [
        ("files", _number(figures["files"])),
        ("files with errors", _number(figures["files_with_errors"])),
        ("articles", _number(figures["articles"])),
        ("articles with errors", _number(figures["articles_with_errors"])),
        ("images", _number(figures["images"]["total"])),
        ("undated articles", _number(dates["undated"])),
    ]
    if figures["filters"] is not None:
        cards.append(("dropped by filters", _number(figures["filters"]["dropped"])))
    if figures["duplicates"] is not None:
        cards.append(("copies left out", _number(figures["duplicates"]["left_out"])))
    card_html = "".join(
        f'<div class="card"><b>{value}</b><span>{escape(label)}</span></div>'
        for label, value in cards
    )
    span = (
        f"{_when(dates['first'])} to {_when(dates['last'])}"
        if dates["first"]
        else "no dated articles"
    )
    sizes = "".join(
        f"<tr><td>{label}</td>"
        + "".join(
            f'<td class="n">{_number(figures[key][q])}</td>' for q in ("median", "p90", "max")
        )
        + "</tr>"
        for label, key in (("words", "words"), ("paragraphs", "paragraphs"))
    )
    codes = "".join(
        f'<tr><td><a href="{escape(docs_url)}#{code.lower()}">{escape(code)}</a></td>'
        f"<td>{escape(entry['severity'] or '')}</td>"
        f'<td class="n">{entry["count"]:,}</td></tr>'
        for code, entry in figures["diagnostics"].items()
    )
    if not codes:
        codes = '<tr><td colspan="3" class="muted">none</td></tr>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<div class="cards">{card_html}</div>'
        f'<h2>Articles per month</h2><p class="muted">{span}</p>'
        f"{_chart(stats.monthly())}"
        '<div class="columns">'
        + _names_table(
            "Top sources",
            figures["sources"],
            figures["without_source"],
            figures["distinct_sources"],
        )
        + _names_table(
            "Top authors",
            figures["authors"],
            figures["without_author"],
            figures["distinct_authors"],
        )
        + "</div>"
        '<h2>Per article</h2><div class="scroll"><table><thead><tr><th></th>'
        '<th class="n">median</th><th class="n">p90</th><th class="n">max</th></tr></thead>'
        f"<tbody>{sizes}</tbody></table></div>"
        '<h2>Diagnostics by code</h2><div class="scroll"><table><thead><tr><th>code</th>'
        '<th>severity</th><th class="n">count</th></tr></thead>'
        f"<tbody>{codes}</tbody></table></div>"
        "</body></html>\n"
    )
