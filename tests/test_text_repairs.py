"""Mojibake found and repaired per line, boilerplate set apart, repairs off by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import newsparse
from newsparse.cli import main
from newsparse.exporters.dump import render_dump
from newsparse.text.boilerplate import classify_line
from newsparse.text.mojibake import find_damage, repair_line

GOOD = "Președintele țării își încheie mandatul în Brașov, ŞI Ţara Ăla Îl."
CEDILLA = GOOD.replace("ș", "ş").replace("ț", "ţ")


def _article(body: str) -> str:
    return (
        f"Scris de ana pe 1 mai 2023, 10:00\n\n## Titlu de test\n\n{body}\n\n"
        "[sursa](#)\n\nADRESA: <http://exemplu.ro/1>\n"
    )


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        (GOOD.encode("utf-8").decode("cp1252"), GOOD),  # UTF-8 read as Windows-1252
        (GOOD.encode("utf-8").decode("latin-1"), GOOD),  # UTF-8 read as Latin-1 (C1 controls)
        (GOOD.encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252"), GOOD),  # twice
        (CEDILLA.encode("cp1250").decode("cp1252"), CEDILLA),  # Windows-1250 as Windows-1252
        (CEDILLA.encode("iso8859-2").decode("latin-1"), CEDILLA),  # ISO-8859-2 as Latin-1
    ],
    ids=["utf8-as-cp1252", "utf8-as-latin1", "double", "cp1250-as-cp1252", "latin2-as-latin1"],
)
def test_each_known_damage_is_found_and_repaired(damaged: str, repaired: str) -> None:
    damage = find_damage(damaged)
    assert damage is not None
    assert damage.repaired == repaired
    assert damage.example != damage.example_repaired
    assert repair_line(repair_line(damaged)) == repaired


@pytest.mark.parametrize(
    "line",
    [
        GOOD,
        CEDILLA,
        "São Paulo a câștigat în 1998.",
        "Temperatura: 25°C, ÎNCĂ ÎN CREȘTERE",
        "Prețul a crescut cu 5% ± 1%.",
        "Plain ASCII text",
        "Ziua a fost „frumoasă” – spun ei.",
    ],
)
def test_a_good_line_is_never_touched(line: str) -> None:
    assert find_damage(line) is None
    assert repair_line(line) == line


def test_mojibake_is_reported_by_default_and_repaired_only_when_asked() -> None:
    damaged = GOOD.encode("utf-8").decode("cp1252")
    text = _article(f"{damaged}\n\n{GOOD}")
    found = newsparse.parse(text)
    assert found.articles[0].paragraphs == [damaged, GOOD]
    [warning] = [d for d in found.diagnostics if d.code == "NP402"]
    assert warning.line == 5 and "'PreÈ™edintele' reads as 'Președintele'" in warning.message
    fixed = newsparse.parse(text, options=newsparse.ParseOptions(fix_text=True))
    assert fixed.articles[0].paragraphs == [GOOD, GOOD]
    assert [d.code for d in fixed.diagnostics if d.code.startswith("NP4")] == ["NP403"]


def test_repairs_are_off_by_default() -> None:
    text = _article("Presedintele a vizitat Braşov si Timis\u0327oara.")
    article = newsparse.parse(text).articles[0]
    assert article.paragraphs == ["Presedintele a vizitat Braşov si Timis\u0327oara."]
    assert article.paragraphs_original is None
    assert "paragraphs_original" not in article.to_dict()


@pytest.mark.parametrize(
    "options",
    [
        {"normalize": True},
        {"fix_text": True},
        {"restore_diacritics": True},
        {"normalize": True, "fix_text": True, "restore_diacritics": True},
    ],
    ids=lambda o: "+".join(o),
)
def test_repairs_are_idempotent(options: dict[str, bool]) -> None:
    if options.get("restore_diacritics"):
        pytest.importorskip("wordfreq", reason="--restore-diacritics needs newsparse[diacritics]")
    body = "\n\n".join(
        [
            GOOD.encode("utf-8").decode("cp1252"),
            "Şcoala din Braşov şi Ţara Bârsei.",
            "Presedintele a spus ca guvernul va aproba bugetul in sedinta de joi.",
        ]
    )
    chosen = newsparse.ParseOptions(**options)
    once = newsparse.parse(_article(body), options=chosen).articles[0]
    twice = newsparse.parse(render_dump(once), options=chosen).articles[0]
    assert twice.title == once.title
    assert twice.paragraphs == once.paragraphs


BOILERPLATE_LINES = {
    "related": [
        "Citește și: Un primar a pierdut cheile primăriei",
        "CITEŞTE ŞI:",
        "Vezi și",
        "Citeste mai departe pe exemplu.ro",
        "Articole similare",
        "Read More »",
        "The post Ceva nou appeared first on Exemplu.",
        "[citește și]",
    ],
    "credit": [
        "Foto: Agenția Exemplu",
        "Sursa foto: Facebook / Ion Exemplu",
        "Foto: (c) exemplu.ro",
        "Ana Pop, Foto: Arhiva personală",
        "© Exemplu Media",
        "Sursa: Agenția Exemplu",
    ],
    "boilerplate": [
        "Publicitate",
        "Abonează-te la newsletter",
        "Urmărește-ne pe Google News",
        "Urmăriți Exemplu și pe Google News",
        "Distribuie articolul",
        "Lasă un comentariu",
        "Facebook Twitter Email",
        "Ascultă articolul",
        "Poza 2 / 4",
        "[eadvert]",
        "Google News icon Urmăriți Exemplu și pe Google News",
        "Embed code: copiază codul de mai jos",
        "[nggallery id=12]",
        "Rămâi conectat",
        "WhatsApp",
        "Citiți regulile noastre de moderare aici",
    ],
}
PROSE = [
    "Fotografiile de la inaugurare au fost publicate pe pagina de Facebook a primăriei.",
    "Mașinile au distrus carosabilul din oraș – FOTO",
    "Agenția Națională de Cadastru și Publicitate Imobiliară a lansat programul.",
    "Am citit și m-am documentat mult înainte de această călătorie.",
    "Sursa citată a precizat că ancheta continuă și că vor urma noi audieri.",
    "Video: imaginile surprinse de localnici arată cum apa a intrat în casele oamenilor.",
    "Urmăriți evoluția situației, a spus ministrul.",
    "Vezi și tu cum arată noul parc, le-a spus primarul copiilor, care au râs.",
    "Foto: " + "cuvânt " * 40,
    "Trimite-mi, te rog, raportul până vineri, i-a cerut șeful.",
    "Distribuirea ajutoarelor a început luni în toate comunele.",
]


@pytest.mark.parametrize(
    ("kind", "line"), [(k, line) for k, lines in BOILERPLATE_LINES.items() for line in lines]
)
def test_boilerplate_shapes_are_recognised(kind: str, line: str) -> None:
    assert classify_line(line) == kind


@pytest.mark.parametrize("line", PROSE)
def test_prose_that_mentions_photos_or_links_stays_prose(line: str) -> None:
    assert classify_line(line) is None


def test_boilerplate_becomes_blocks_and_a_credit_after_an_image_its_caption() -> None:
    body = "\n\n".join(
        [
            "Podul a fost deschis sâmbătă.",
            "media-1.jpg",
            "Foto: Ion Exemplu",
            "Citește și:",
            "Trei străzi închise în weekend",
            "Trenul de noapte revine",
            "Lucrările au costat 12 milioane de lei.",
            "Publicitate",
        ]
    )
    article = newsparse.parse(_article(body)).articles[0]
    assert article.paragraphs == [
        "Podul a fost deschis sâmbătă.",
        "Lucrările au costat 12 milioane de lei.",
    ]
    assert [image.caption for image in article.images] == ["Foto: Ion Exemplu"]
    assert [b.kind for b in article.blocks] == [
        "paragraph",
        "image",
        "related",
        "related",
        "related",
        "paragraph",
        "boilerplate",
    ]
    kept = newsparse.parse(
        _article(body), options=newsparse.ParseOptions(keep_boilerplate=True)
    ).articles[0]
    assert len(kept.paragraphs) == 7 and kept.images[0].caption is None


def test_cli_flags_reach_the_parser() -> None:
    text = _article("Ziua la Braşov.\n\nPublicitate")
    runner = CliRunner()
    plain = runner.invoke(main, ["parse", "-f", "jsonl", "-"], input=text)
    assert plain.exit_code == 0
    assert '"paragraphs":["Ziua la Braşov."]' in plain.stdout
    assert '"type":"boilerplate"' in plain.stdout
    flagged = runner.invoke(
        main, ["parse", "-f", "jsonl", "--normalize", "--keep-boilerplate", "-"], input=text
    )
    assert flagged.exit_code == 0
    assert '"paragraphs":["Ziua la Brașov.","Publicitate"]' in flagged.stdout
    assert "NP401 wrote 1 character in comma-below form or NFC" in flagged.stderr


def test_convert_and_stats_take_the_same_flags(tmp_path: Path) -> None:
    damaged = GOOD.encode("utf-8").decode("cp1252")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(_article(f"{damaged}\n\nLa Braşov."), encoding="utf-8")
    combined = tmp_path / "all.jsonl"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "convert",
            str(tmp_path / "in"),
            "--combine",
            str(combined),
            "--fix-text",
            "--normalize",
            "-j",
            "1",
        ],
    )
    assert result.exit_code == 0, result.stderr
    [record] = [json.loads(line) for line in combined.read_text(encoding="utf-8").splitlines()]
    assert record["paragraphs"] == [GOOD.replace("Ş", "Ș").replace("Ţ", "Ț"), "La Brașov."]
    stats = runner.invoke(main, ["stats", "-f", "json", "--normalize", str(tmp_path / "in")])
    assert stats.exit_code == 0, stats.stderr
    assert json.loads(stats.stdout)


_PIECES = st.sampled_from(
    [
        "Scris de ana pe 1 mai 2023",
        "## Titlu",
        "",
        "Citește și:",
        "Foto: Ion",
        "media-1.jpg",
        "Publicitate",
        "Presedintele a spus ca vine",
        "Braşov şi Ţara",
        "PreÈ™edintele",
        "Ã®n È™i",
        "Primãria ºi",
        "http://exemplu.ro/a",
        "---",
        "[sursa](#)",
        "ADRESA: <http://exemplu.ro/1>",
        "Trimite-mi",
        "São Paulo",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=20), max_size=30))
def test_parse_with_every_repair_never_raises_and_keeps_its_promises(pieces: list[str]) -> None:
    pytest.importorskip("wordfreq", reason="--restore-diacritics needs newsparse[diacritics]")
    text = "\n".join(pieces)
    every = newsparse.ParseOptions(normalize=True, fix_text=True, restore_diacritics=True)
    result = newsparse.parse(text, options=every)
    for article in result.articles:
        for paragraph in article.paragraphs:
            assert not set(paragraph) & set("şţŞŢ")  # --normalize ran after the repairs
        if article.paragraphs_original is not None:
            assert len(article.paragraphs_original) == len(article.paragraphs)
            assert article.paragraphs_original != tuple(article.paragraphs)
