"""The catalogue of diagnostic codes: stable ids, names, severities and their documentation."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Severity

__all__ = ["CODES", "Code", "lookup"]


@dataclass(frozen=True, slots=True)
class Code:
    """A diagnostic code and everything a user needs to understand and fix it."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    example: str
    fix: str


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_CATALOGUE = [
    # NP1xx: bytes, encodings and files.
    Code(
        "NP101",
        "empty-input",
        E,
        "The input is empty or holds only whitespace.",
        "Nothing in the file can become an article.",
        "a zero-byte file, or one made only of blank lines",
        "Re-run the scrape for this page or delete the file.",
    ),
    Code(
        "NP102",
        "undecodable-bytes",
        E,
        "Bytes that are not valid in the detected encoding.",
        "The file is mostly UTF-8 but some byte sequences are invalid; they are replaced "
        "by U+FFFD in the output, so the text at that position is lost.",
        "a UTF-8 file with a stray byte 0xFF in a paragraph",
        "Re-encode the file from its true encoding (for example with iconv), or pass "
        "--encoding if the whole file is in a legacy encoding.",
    ),
    Code(
        "NP103",
        "nul-byte",
        E,
        "NUL bytes in the text.",
        "A NUL byte never belongs in a text dump; it usually marks a cut or a binary "
        "fragment. The bytes are removed and the rest is read.",
        "`Scris de ana\\x00 pe 1 mai 2020`",
        "Find where the scrape wrote binary data and re-fetch the page.",
    ),
    Code(
        "NP104",
        "legacy-encoding",
        W,
        "The file is not UTF-8; it was decoded with a legacy encoding.",
        "The text was detected as Windows-1250, ISO-8859-2 or ISO-8859-16 and decoded "
        "as such. The result is usually right but detection is a guess.",
        "a file written by an old scraper in Windows-1250 (`ş` is byte 0xBA)",
        "Convert the file to UTF-8, or pass --encoding to state the encoding.",
    ),
    Code(
        "NP105",
        "binary-content",
        E,
        "Control characters or binary junk in the text.",
        "Characters such as ESC or other C0/C1 controls appear in the text; they are kept "
        "as found but the line is probably corrupt.",
        "a line with an ANSI escape sequence `\\x1b[31m`",
        "Remove the binary fragment or re-fetch the page.",
    ),
    Code(
        "NP106",
        "file-too-large",
        E,
        "The file is larger than --max-size and was not read.",
        "Very large files are refused so that one bad input cannot exhaust memory.",
        "a 2 GB log file matched by the input pattern",
        "Raise --max-size if the file really is a dump, or exclude it.",
    ),
    Code(
        "NP107",
        "long-line",
        W,
        "A line is extremely long.",
        "Lines longer than 100,000 characters are read, but a dump line that long is "
        "almost always a scrape that lost its line breaks.",
        "a whole article on one line",
        "Check the scrape; restore the line breaks.",
    ),
    Code(
        "NP108",
        "read-error",
        E,
        "The file could not be read.",
        "The operating system refused to read the input (permissions, a vanished file, "
        "a directory loop).",
        "a file with mode 000",
        "Fix the permissions or the path.",
    ),
    Code(
        "NP109",
        "undecodable-file-name",
        W,
        "The file name is not valid UTF-8.",
        "The name holds bytes that are not UTF-8 (often a Windows-1250 name copied to "
        "Linux). Every output shows such a name one way: each undecodable byte as `\\xNN` "
        "(`bad\\xff.txt`), so that JSON and every report stay valid UTF-8. The file is "
        "read and converted all the same.",
        "a file named `Ştiri.txt` in Windows-1250 (bytes `\\xaatiri.txt`)",
        "Rename the file to UTF-8 (`convmv -f cp1250 -t utf-8`).",
    ),
    # NP120-NP129: compressed inputs and archives.
    Code(
        "NP120",
        "unsafe-member-name",
        E,
        "An archive member's name would put its output outside the destination.",
        "`convert -o DEST` writes each member under DEST/ARCHIVE-NAME/; a member named "
        "with `..`, an absolute path or a drive letter would climb out, so it is not "
        "written. Parsing and validating still read it.",
        "a tar member named `../../etc/cron.d/a.txt`",
        "Rebuild the archive with relative member names (`tar -C dir -cf a.tar .`).",
    ),
    Code(
        "NP121",
        "link-member",
        E,
        "An archive member is a symbolic or hard link; it was skipped.",
        "Links in an archive are never followed: they could point anywhere on the "
        "machine reading the archive. The other members are read.",
        "a tar member `passwd.txt` linking to `/etc/passwd`",
        "Archive the dumps themselves (`tar --dereference`), not links to them.",
    ),
    Code(
        "NP122",
        "special-member",
        E,
        "An archive member is a device, FIFO or socket; it was skipped.",
        "Only regular files hold dumps; a device or FIFO member is never opened. The "
        "other members are read.",
        "a tar member `null.txt` that is a character device",
        "Remove the member from the archive.",
    ),
    Code(
        "NP123",
        "decompression-bomb",
        E,
        "Compressed data expands far more than text can; reading stopped.",
        "Text compresses 3 to 15 times; data that expands more than 200 times is a "
        "decompression bomb, built to fill memory or disk. Reading stops as soon as "
        "the ratio is passed; the members before it are read. A stream compressed "
        "again and again is measured against its outermost input, and one compressed "
        "more than 4 times over is refused too (a gzip quine decompresses to itself).",
        "a 40 KB zip member that would expand to 4 GB of zeros",
        "Do not process the file; if it really holds dumps, recompress them normally.",
    ),
    Code(
        "NP124",
        "damaged-archive",
        E,
        "A compressed file or archive is cut off or damaged; what came before is read.",
        "The compressed stream or the archive's structure ends early or holds bad data "
        "(a download cut short, a disk error). Everything before the damage is read; "
        "nothing after it can be.",
        "a `.tar.gz` truncated in the middle of its third member",
        "Download or copy the file again; `gzip -t` or `unzip -t` checks it.",
    ),
    Code(
        "NP125",
        "damaged-member",
        E,
        "One member of an archive is damaged; it was skipped, the others read.",
        "A zip member fails its CRC or its compressed data is bad, or a tar header "
        "fails its checksum (the blocks up to the next good header are skipped).",
        "a zip member whose bytes were overwritten",
        "Get a good copy of the archive, or of that member.",
    ),
    Code(
        "NP126",
        "undecodable-member-name",
        W,
        "An archive member's name is not valid UTF-8; it is shown with \\xNN escapes.",
        "The member is read; its name in `file`, diagnostics and output paths shows each "
        "byte that is not UTF-8 as `\\xNN`.",
        "a tar made on a Latin-2 system holding `caf\\xe9.txt`",
        "Rename the member to UTF-8 (`convmv`) and rebuild the archive.",
    ),
    Code(
        "NP127",
        "unreadable-member",
        E,
        "An archive member cannot be read: encrypted, or in an unsupported format.",
        "newsparse reads zip members stored or compressed with deflate, bzip2 or lzma, "
        "and tar regular files; an encrypted member or another method is skipped.",
        "a password-protected zip member",
        "Extract the member with the tool that made it and pass the file itself.",
    ),
    # NP2xx: bylines and dates.
    Code(
        "NP201",
        "missing-byline",
        E,
        "Article text without a byline before it.",
        "Every article starts with a byline (`Scris de AUTHOR pe DATE`). The text is "
        "still read as an article, with no author and no date.",
        "a file that starts with `## Title`",
        "Restore the byline line from the source page.",
    ),
    Code(
        "NP202",
        "impossible-date",
        E,
        "The byline's date or time does not exist.",
        "The date was read but names a day or time that cannot be, so `published` is null.",
        "`Scris de ana pe 31 februarie 2022, 25:61`",
        "Correct the date from the source page.",
    ),
    Code(
        "NP203",
        "unreadable-date",
        E,
        "The byline's date could not be understood.",
        "The text after the author is not a Romanian date newsparse knows, so `published` is null.",
        "`Scris de ana pe 15 augustus 2022` (not a Romanian month)",
        "Write the date as `15 august 2022, 09:13`.",
    ),
    Code(
        "NP204",
        "nonexistent-local-time",
        W,
        "The byline's time falls in the daylight-saving gap.",
        "On the last Sunday of March clocks in Romania jump from 03:00 to 04:00, so the "
        "time never happened; it is kept with the winter offset (+02:00).",
        "`Scris de ana pe 27 martie 2022, 03:30`",
        "Check the time on the source page.",
    ),
    Code(
        "NP205",
        "ambiguous-local-time",
        W,
        "The byline's time falls in the repeated autumn hour.",
        "On the last Sunday of October the hour 03:00-04:00 happens twice; the first "
        "(summer, +03:00) is chosen.",
        "`Scris de ana pe 30 octombrie 2022, 03:30`",
        "Check the time on the source page.",
    ),
    Code(
        "NP206",
        "missing-author",
        W,
        "The byline has no author.",
        "The byline frame is there but the author's name is empty.",
        "`Scris de  pe 1 mai 2020`",
        "Restore the author's name.",
    ),
    Code(
        "NP207",
        "bad-update-date",
        W,
        "The byline's `actualizat` date could not be read.",
        "The update part of the byline is not a valid date; `updated` is null.",
        "`... / actualizat: mâine`",
        "Correct or remove the update part.",
    ),
    Code(
        "NP208",
        "missing-year",
        E,
        "The byline's date has a month but neither a day nor a year.",
        "A month alone cannot be placed; `published` is null. (A day and a month without "
        "a year are placed against the reference time instead: NP211.)",
        "`Scris de ana pe august, 09:13`",
        "Add the day and year from the source page.",
    ),
    Code(
        "NP209",
        "relative-date",
        INFO,
        "A relative date was placed against the reference time.",
        "`acum 2 ore`, `ieri, 18:45`, `săptămâna trecută` or a bare weekday name says when "
        "an article appeared counted back from the moment the page was scraped. It is "
        "read against the reference time: `--now`, else the input file's modification "
        "time, else (standard input) the current time. The message names the one used. "
        "`published_text` keeps the words as written.",
        "`Scris de ana pe acum 2 ore` read against 2024-06-15T12:00:00+03:00",
        "Nothing to fix; pass --now with the scrape's time when the files' modification "
        "times are not it (a copy, an archive unpacked later).",
    ),
    Code(
        "NP210",
        "two-digit-year",
        W,
        "The date has a two-digit year.",
        "`10.12.65` could be 1965 or 2065. It is read as the latest year not after the "
        "reference time's year (read in 2026, `65` is 1965 and `26` is 2026).",
        "`Scris de ana pe 10.12.65`",
        "Check the year against the source page.",
    ),
    Code(
        "NP211",
        "year-assumed",
        W,
        "The date has a day and a month but no year; the year was assumed.",
        "`15 mai` is taken as the latest 15 May not after the reference time (29 February "
        "goes back to the last leap year). The message names the reference time.",
        "`Scris de ana pe 15 august, 09:13`",
        "Check the year against the source page, or pass --now with the scrape's time.",
    ),
    Code(
        "NP212",
        "date-after-reference",
        W,
        "A relative date lies after the reference time.",
        "`azi, 23:00` read against 12:00 the same day names a moment the page could not "
        "have shown yet: the reference time is probably wrong (the file was copied, or "
        "its zone differs). The value is kept as written.",
        "`Scris de ana pe azi, 23:00` read against 2024-06-15T12:00:00+03:00",
        "Pass --now with the time the page was scraped.",
    ),
    Code(
        "NP213",
        "byline-without-date",
        E,
        "The line before the article's title holds no date.",
        "The line just before a `#` title is the article's byline slot, whatever its frame "
        "(`Publicat:`, `Data publicării:`, a section or source name). This one has no "
        "readable date: the title is kept, the author too when a word marks one "
        "(`Autor: Ana Pop`), and `published` is null.",
        "`Autor: Ana Pop` followed by `## Titlu`",
        "Add the date from the source page to the byline line.",
    ),
    # NP3xx: article structure.
    Code(
        "NP301",
        "missing-title",
        E,
        "The article has no `## ` title line after its byline.",
        "The first line after the byline should be a Markdown heading; `title` is null.",
        "a byline followed directly by a paragraph",
        "Restore the `## Title` line.",
    ),
    Code(
        "NP302",
        "empty-body",
        E,
        "The article has a title but no body text.",
        "No paragraph, image or heading follows the title.",
        "a byline and a title at the end of the file",
        "Re-fetch the page; the scrape lost the body.",
    ),
    Code(
        "NP303",
        "truncated-article",
        E,
        "The article stops mid-sentence and has no footer: it was cut off.",
        "The article has no `ADRESA:` footer and its last paragraph ends without closing "
        "punctuation; the scrape or the file was probably cut off there.",
        "a file that ends with `... a spus ca`",
        "Re-fetch the page.",
    ),
    Code(
        "NP304",
        "rejoined-paragraph",
        W,
        "A paragraph broken by the scrape was rejoined.",
        "A paragraph ended without closing punctuation and the next started with a "
        "lowercase letter, so they were joined into one.",
        "`... semnat in 2019, cand` / blank line / `s-a intalnit cu ...`",
        "Nothing to do if the join is right; otherwise remove the blank line's cause.",
    ),
    Code(
        "NP305",
        "doubled-word",
        W,
        "The title repeats a word.",
        "A word appears twice in a row in the title, which is usually a typo; the title "
        "is kept exactly as found.",
        "`## Putin, scrisoare pentru pentru Kim Jong Un`",
        "Correct the title in the dump if the source page is right.",
    ),
    Code(
        "NP306",
        "missing-source",
        W,
        "The article has no source link.",
        "The `[source](#)` line before the footer is missing; `source` is null.",
        "an article whose last paragraph is followed directly by `ADRESA:`",
        "Add the source link if it is known.",
    ),
    Code(
        "NP307",
        "missing-footer",
        W,
        "The article has no `ADRESA:` footer.",
        "The article's short URL is unknown; `url` is null.",
        "an article that ends with its source link",
        "Add the `ADRESA: <URL>` line.",
    ),
    Code(
        "NP308",
        "bad-url",
        W,
        "The `ADRESA:` footer does not hold a URL.",
        "The footer's value is empty or not an absolute http(s) URL; it is kept as found.",
        "`ADRESA: <>`",
        "Write the article's address as `ADRESA: <http://...>`.",
    ),
    Code(
        "NP309",
        "split-line",
        INFO,
        "Two elements shared one line and were split.",
        "One article's last line and the next article's byline were on the same line, as "
        "`cat` produces when a dump lacks its final newline.",
        "`ADRESA: <http://crct.ro/nA18>Scris de ana pe 1 mai 2020`",
        "End every dump with a newline before concatenating.",
    ),
    # NP4xx: clean text.
    Code(
        "NP401",
        "normalized-letters",
        INFO,
        "Letters were rewritten in their correct Romanian form (--normalize).",
        "Cedilla letters `ş ţ Ş Ţ` became the comma-below `ș ț Ș Ț`, and the text was put "
        "in Unicode NFC; the message counts the characters changed in the article.",
        "`Braşov` written as `Brașov`",
        "Nothing to fix: this reports a repair you asked for.",
    ),
    Code(
        "NP402",
        "mojibake",
        W,
        "A line looks like text decoded with the wrong code page (mojibake).",
        "UTF-8 read as Windows-1252 or Latin-1 shows `ș` as `È™` and `î` as `Ã®`; "
        "Windows-1250 read as Windows-1252 shows `ş` as `º`. The message gives the first "
        "damaged word and what it reads as once repaired; the text is kept as found.",
        "`PreÈ™edintele` for `Președintele`",
        "Pass --fix-text to repair the damaged lines, or re-scrape with the right encoding.",
    ),
    Code(
        "NP403",
        "mojibake-repaired",
        INFO,
        "A line damaged by a wrong decoding was repaired (--fix-text).",
        "The line was re-decoded (with ftfy for UTF-8 damage); lines that read well are "
        "never touched. The message shows the first word before and after.",
        "`Ã®n` repaired as `în`",
        "Nothing to fix: this reports a repair you asked for.",
    ),
    Code(
        "NP404",
        "diacritics-restored",
        INFO,
        "Lost diacritics were put back (--restore-diacritics).",
        "The article held no diacritic at all, so its title, paragraphs and captions were "
        "restored with a model of Romanian word forms; the text as found is kept in "
        "`title_original`, `paragraphs_original` and `captions_original`.",
        "`Presedintele a spus ca` restored as `Președintele a spus că`",
        "Check the restored words that matter (names) against the source.",
    ),
    # NP5xx: duplicates.
    Code(
        "NP501",
        "duplicate-article",
        W,
        "The article is an exact copy of an earlier one.",
        "Its title and body are the same as those of the article named in the message "
        "once case, diacritics, cedillas, whitespace and punctuation are set aside: a "
        "re-scrape of one page, or one dump saved under two names. Reported on the later "
        "copy; `--dedupe` drops it.",
        "`b.txt:3:1: NP501 same article as a.txt:3`",
        "Delete the later file, or convert --combine FILE --dedupe to keep the first copy only.",
    ),
    Code(
        "NP502",
        "near-duplicate-article",
        W,
        "The article's body overlaps heavily with an earlier article's.",
        "The estimated Jaccard similarity of the two bodies' three-word shingles is at "
        "least the threshold (--dedupe-threshold): the same agency story with another "
        "intro, a re-scrape with a paragraph added, typos fixed. Reported with "
        "`--dedupe near` only, on the later article.",
        "`b.txt:3:1: NP502 near copy of a.txt:3 (similarity 0.83)`",
        "Keep one version; `--dedupe near` keeps the first one found.",
    ),
]

CODES: dict[str, Code] = {code.code: code for code in _CATALOGUE}


def lookup(code: str) -> Code:
    """Return the catalogue entry for CODE (raise KeyError if there is none)."""
    return CODES[code.upper()]
