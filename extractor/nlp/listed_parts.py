"""Two procedures listed with marks and described under the same marks:

    PROCEDURES THIS SESSION (two):
     (A) Radiofrequency neurotomy, lumbar, RIGHT L four five and L5-S1
     (B) Diagnostic cervical medial branch block #1, LEFT
    ...
    (A) Prone. ... R L3 and L4 medial branches ...
    (B) ... left C4 medial branch ...

Each mark's segments (its list line, its paragraph) belong to one procedure: the levels, nerves,
intent and session under '(B)' are the cervical block's, not the neurotomy's. Only marks that
appear at least twice count, and only when two of them name different kinds. A list numbered
'1.' may be described under 'Part 1 - ...' or '#1 Cervical MBB - fluoro.': the same mark.
"""

from __future__ import annotations

import re

# '(A) ', '1. ', and a part named as such: 'Part 1 - lumbar RF.', 'Procedure 2: ...'
_MARK = re.compile(
    r"(?m)^[ \t]*(?:(?i:part|procedure)[ \t]+\(?(?P<named>[A-Da-d1-4])(?:[).:]|[ \t]+[-\u2013])"
    r"|\(?(?P<mark>[A-Da-d1-4])[).]|#(?P<hashed>[1-4]))[ \t]+"
)
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")


def listed_segments(text: str) -> dict[str, list[tuple[int, int]]]:
    """Segments (start, end) per mark, for marks used at least twice; a segment runs to the next
    mark or the end of its paragraph."""
    marks = list(_MARK.finditer(text))
    if len(marks) < 4:
        return {}
    segments: dict[str, list[tuple[int, int]]] = {}
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        paragraph = _PARAGRAPH_END.search(text, mark.end(), end)
        if paragraph is not None:
            end = paragraph.start()
        label = mark.group("named") or mark.group("mark") or mark.group("hashed")
        segments.setdefault(label.upper(), []).append((mark.start(), end))
    return {label: spans for label, spans in segments.items() if len(spans) >= 2}


def segment_label(segments: dict[str, list[tuple[int, int]]], offset: int) -> str | None:
    return next(
        (label for label, spans in segments.items() if any(a <= offset < b for a, b in spans)),
        None,
    )
