"""A read-only view of a processed note: mentions, sections, sentences and status tests.

The fact builders work on this view (plain dicts and offsets), not on spaCy objects, so they
are easy to test and never touch non-serialisable state.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..models import Evidence
from .flowsheet_entries import FLOWSHEET_ENTRY
from .other_dates import ON_DATE, on_date_of_service, only_date_of_service
from .rule_text import note_rule_text

# Section roles whose text describes what was done today.
TODAY_ROLES = frozenset(
    {"header", "description", "anesthesia", "medications", "pain", "other_today", "untitled"}
)
BODY_ROLES = TODAY_ROLES - {"header"}
NOT_TODAY_PREFIXES = ("HISTORICAL", "HYPOTHETICAL")


@dataclass
class Mention:
    index: int
    category: str
    rule: str
    start: int
    end: int
    text: str
    meta: dict[str, Any]
    sent: int
    status: list[str]
    role: str = "untitled"
    section: str | None = None

    @property
    def value(self) -> Any:
        return self.meta.get("value")

    @property
    def negated(self) -> bool:
        return any(s.startswith("NEGATED_EXISTENCE") for s in self.status)

    @property
    def historical(self) -> bool:
        return any(s.startswith("HISTORICAL") for s in self.status)

    @property
    def hypothetical(self) -> bool:
        return any(s.startswith("HYPOTHETICAL") for s in self.status)

    @property
    def today(self) -> bool:
        """In a section about today's procedure and not modified as history or plan."""
        return self.role in TODAY_ROLES and not any(s.startswith(NOT_TODAY_PREFIXES) for s in self.status)

    def evidence(self) -> Evidence:
        return Evidence(start=self.start, end=self.end, text=self.text)


@dataclass
class NoteView:
    """Lookups are indexed (built on first use): ``in_sentence`` by (category, sentence),
    ``of`` several categories merged once, ``role_at`` by bisection, so a builder that asks
    per mention or per sentence stays linear in the note."""

    text: str
    sentences: list[list[int]]
    sections: list[dict[str, Any]]
    mentions: list[Mention] = field(default_factory=list)
    _by_category: dict[str, list[Mention]] = field(default_factory=dict)
    _by_sentence: dict[tuple[str, int], list[Mention]] | None = field(default=None, repr=False)
    _merged: dict[tuple[str, ...], list[Mention]] = field(default_factory=dict, repr=False)
    _section_reach: list[int] | None = field(default=None, repr=False)
    _sentence_starts: list[int] | None = field(default=None, repr=False)
    _rule_text: str | None = field(default=None, repr=False)

    def rule_text(self) -> str:
        """The note as the rules read it (``rule_text``), made on first use."""
        if self._rule_text is None:
            self._rule_text = note_rule_text(self.text)
        return self._rule_text

    @classmethod
    def from_doc(cls, doc: Any) -> NoteView:
        text = doc._.facet_text or doc.text
        sections = doc._.facet_sections or []
        starts = [section["start"] for section in sections]
        view = cls(text=text, sentences=doc._.facet_sentences or [[0, len(text)]], sections=sections)
        raws = doc._.facet_mentions or []
        service = (
            only_date_of_service(text)
            if any(ON_DATE in raw["status"] for raw in raws) and ("DOS" in text or "ervice" in text)
            else None
        )
        for index, raw in enumerate(raws):
            section = sections[bisect.bisect_right(starts, raw["start"]) - 1] if sections else None
            mention = Mention(
                index=index,
                category=raw["category"],
                rule=raw["rule"],
                start=raw["start"],
                end=raw["end"],
                text=raw["text"],
                meta=raw["meta"],
                sent=raw["sent"],
                # (a flowsheet's entry of another date is history, whatever field it fills)
                status=list(raw["status"])
                + (["HISTORICAL_FLOWSHEET"] if section and section["category"] == FLOWSHEET_ENTRY else []),
                role=section["role"] if section else "untitled",
                section=section["category"] if section else None,
            )
            if service is not None and ON_DATE in mention.status:
                start, end = view.sentences[mention.sent]
                if on_date_of_service(text[start:end], service):
                    # 'The treatment on 10/07/2025.' under 'DOS 10/07/2025': today's, not history
                    mention.status.remove(ON_DATE)
            view.mentions.append(mention)
            view._by_category.setdefault(mention.category, []).append(mention)
        for group in view._by_category.values():
            group.sort(key=lambda m: m.start)
        return view

    def of(self, *categories: str) -> list[Mention]:
        """Mentions of these categories in text order (several: merged, ties in argument order)."""
        if len(categories) == 1:
            return self._by_category.get(categories[0], [])
        merged = self._merged.get(categories)
        if merged is None:
            merged = [m for c in categories for m in self._by_category.get(c, [])]
            merged.sort(key=_start)
            self._merged[categories] = merged
        return list(merged)

    def in_sentence(self, sent: int, *categories: str) -> Iterator[Mention]:
        """``of(*categories)`` restricted to sentence ``sent``."""
        index = self._by_sentence
        if index is None:
            index = self._by_sentence = {}
            for category, group in self._by_category.items():
                for mention in group:
                    index.setdefault((category, mention.sent), []).append(mention)
        if len(categories) == 1:
            return iter(index.get((categories[0], sent), ()))
        merged = [m for c in categories for m in index.get((c, sent), ())]
        merged.sort(key=_start)
        return iter(merged)

    def sentence_text(self, sent: int) -> str:
        start, end = self.sentences[sent]
        return self.text[start:end]

    def sentence_bounds(self, sent: int) -> tuple[int, int]:
        start, end = self.sentences[sent]
        return start, end

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """(start, end) of the first sentence with start <= offset < end, ``(offset, offset)``
        if there is none; by bisection (sentences are in order and do not overlap)."""
        starts = self._sentence_starts
        if starts is None:
            starts = self._sentence_starts = [start for start, _ in self.sentences]
            ordered = all(a[1] <= b[0] for a, b in zip(self.sentences, self.sentences[1:], strict=False))
            if not ordered:
                self._sentence_starts = starts = []
        if not starts and self.sentences:
            return next(((s, e) for s, e in self.sentences if s <= offset < e), (offset, offset))
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0:
            start, end = self.sentences[index]
            if start <= offset < end:
                return start, end
        return offset, offset

    def section_at(self, offset: int) -> dict | None:
        """The last section that starts at or before ``offset``, looking no further than the
        first section that starts after it (None if none)."""
        reach = self._section_reach
        if reach is None:
            reach, furthest = [], None
            for section in self.sections:
                furthest = section["start"] if furthest is None else max(furthest, section["start"])
                reach.append(furthest)
            self._section_reach = reach
        first_after = bisect.bisect_right(reach, offset)
        return self.sections[first_after - 1] if first_after else None

    def in_flowsheet_entry(self, offset: int) -> bool:
        """In a flowsheet's entry of another date (``flowsheet_entries``): that visit's facts."""
        section = self.section_at(offset)
        return section is not None and section["category"] == FLOWSHEET_ENTRY

    def role_at(self, offset: int) -> str:
        section = self.section_at(offset)
        return section["role"] if section is not None else "untitled"


def _start(mention: Mention) -> int:
    return mention.start


def evidence_of(mentions: Iterable[Mention]) -> list[Evidence]:
    """Evidence spans in text order, without duplicates."""
    seen: set[tuple[int, int]] = set()
    out = []
    for mention in sorted(mentions, key=lambda m: m.start):
        key = (mention.start, mention.end)
        if key not in seen:
            seen.add(key)
            out.append(mention.evidence())
    return out
