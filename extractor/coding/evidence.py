"""Evidence spans for lines and warnings: merged, de-duplicated, in note order."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Evidence


def evidence_union(*groups: Iterable[Evidence]) -> list[Evidence]:
    """All spans of ``groups`` once each, sorted by position in the note."""
    unique: dict[tuple[int, int, str], Evidence] = {}
    for group in groups:
        for span in group:
            unique.setdefault((span.start, span.end, span.text), span)
    return [unique[key] for key in sorted(unique)]
