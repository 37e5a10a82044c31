"""Which part of the spine (C, T, L) a sentence talks about, and which parts today's levels
are in.

A problem-oriented note ('B. NECK PAIN / Mild bilateral lower neck ache, 3/10') or a summary
('Neck TON block deferred by patient.') speaks of another part of the spine than the one
treated today; a score or a stop said there is that other problem's, not the procedure's.
"""

from __future__ import annotations

import re

from .note_view import NoteView

_PART_WORDS = (
    ("C", re.compile(r"(?i)\b(?:neck|cervical|TON|third\s+occipital|occipital)\b")),
    ("T", re.compile(r"(?i)\b(?:mid[- ]?back|thoracic)\b")),
    ("L", re.compile(r"(?i)\b(?:low(?:er)?\s+back|lumbar|lumbosacral)\b")),
)
_LEVEL_LETTER = re.compile(r"[CTLS](?=[ \t]?[0-9])")


def parts_named(text: str) -> set[str]:
    """The parts of the spine that ``text`` names in words ('neck', 'lumbar', ...)."""
    return {part for part, words in _PART_WORDS if words.search(text)}


def parts_done(view: NoteView) -> set[str]:
    """The parts of the spine of the levels named as done today (S counts as L)."""
    return parts_of_levels(
        [p.text for p in view.of("LEVEL_PHRASE") if p.today and not p.negated and "FINDING" not in p.status]
    )


def parts_of_levels(phrases: list[str]) -> set[str]:
    """The parts of the spine of level phrases ('C5-6/C6-7' -> C; S counts as L)."""
    return {letter.replace("S", "L") for text in phrases for letter in _LEVEL_LETTER.findall(text)}


def names_only_other_part(text: str, done: set[str], levels: set[str] | None = None) -> bool:
    """``text`` names one part of the spine (in words, or by the parts of its ``levels``), and
    today's levels are all in other parts."""
    named = parts_named(text) | (levels or set())
    return len(named) == 1 and bool(done) and not named & done
