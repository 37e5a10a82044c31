"""A shorthand writer's own abbreviation key, read as its meanings.

Some physicians open every note with a key to their shorthand ('Key: FJ = facet jt, RFX = RF
ablation, dxB = diagnostic block, bi = bilat, PRF = pulsed RF') and then write only the
abbreviations ('Today: bi lumbar MB dxB #1'). Read as written, the key names every procedure the
writer ever abbreviates, as if done today, and the note's 'dxB' and 'RFX' name nothing the rules
know. The key line becomes blanks, and each abbreviation whose meaning
``patterns/nlp/abbreviation_key.json`` lists is read, wherever it stands, as the short form the
rules know ('dxB' as 'MBB', 'RFX' as 'RFA', 'bi' as 'BL'), padded with blanks to its width, so
offsets stay the note's.
"""

from __future__ import annotations

import re
from functools import cache

from .blanks import as_blanks
from .rule_data import abbreviation_key_data

_REACH = 600
"""Where a key may start: the top of the note, before the history it explains."""
# (blanks possessive, from a run's first blank: linear on long runs)
_ENTRY_SEPARATOR = re.compile(r"(?<![ \t])[ \t]*+[,;|][ \t]*+|(?<=\S) / (?=\S)|(?<=\S) \. (?=\S)")
# 'RFX = RF ablation', 'RFX: RF ablation', 'RFX RF ablation' (the abbreviation: no blank, a capital or digit)
_ENTRY = re.compile(r"(?P<abbreviation>[A-Za-z][A-Za-z0-9/-]{0,7})(?:\s*[=:]\s*|\s+)(?P<meaning>\S.*)")
_MIN_ENTRIES = 3


@cache
def _patterns() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    data = abbreviation_key_data()
    key_line = re.compile(
        rf"(?im)^[ \t]*(?:{data['labels']})[ \t]*(?::|--|-|\u2013|\u2014)[ \t]*(?P<entries>[^\n]+)$"
    )
    meanings = [(re.compile(rf"(?i)(?:{m['meaning']})"), m["read_as"]) for m in data["meanings"]]
    return key_line, meanings


def _read_as(entries: str, meanings: list[tuple[re.Pattern[str], str]]) -> dict[str, str] | None:
    """Each abbreviation the key defines and what the rules read it as; None when the line is not
    a key (fewer than three 'abbreviation meaning' entries)."""
    pieces = [piece for piece in _ENTRY_SEPARATOR.split(entries.strip()) if piece]
    found = [entry for piece in pieces if (entry := _ENTRY.fullmatch(piece))]
    if len(found) < _MIN_ENTRIES:
        return None
    read = {}
    for entry in found:
        abbreviation, meaning = entry.group("abbreviation"), entry.group("meaning").strip()
        for pattern, short in meanings:
            if pattern.fullmatch(meaning) and len(short) <= len(abbreviation) and short != abbreviation:
                read[abbreviation] = short
                break
    return read


def abbreviation_key(text: str) -> str:
    """``text`` with its abbreviation key blank and the key's abbreviations read (same length)."""
    head = text[:_REACH]
    lowered = head.lower()
    if not any(word in lowered for word in ("key", "legend", "abbrev")):
        return text
    key_line, meanings = _patterns()
    found = key_line.search(head)
    if found is None or found.end() > _REACH:
        return text
    read = _read_as(found.group("entries"), meanings)
    if read is None:
        return text
    text = text[: found.start()] + as_blanks(found.group(0)) + text[found.end() :]
    if not read:
        return text
    words = re.compile(
        r"(?<![\w/-])(?:"
        + "|".join(re.escape(a) for a in sorted(read, key=len, reverse=True))
        + r")(?![\w/-])"
    )
    return words.sub(lambda m: read[m.group(0)].ljust(len(m.group(0))), text)
