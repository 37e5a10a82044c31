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
    text: str
    sentences: list[list[int]]
    sections: list[dict[str, Any]]
    mentions: list[Mention] = field(default_factory=list)
    _by_category: dict[str, list[Mention]] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: Any) -> NoteView:
        text = doc.text
        sections = doc._.facet_sections or []
        starts = [section["start"] for section in sections]
        view = cls(text=text, sentences=doc._.facet_sentences or [[0, len(text)]], sections=sections)
        for index, raw in enumerate(doc._.facet_mentions or []):
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
                status=list(raw["status"]),
                role=section["role"] if section else "untitled",
                section=section["category"] if section else None,
            )
            view.mentions.append(mention)
            view._by_category.setdefault(mention.category, []).append(mention)
        for group in view._by_category.values():
            group.sort(key=lambda m: m.start)
        return view

    def of(self, *categories: str) -> list[Mention]:
        if len(categories) == 1:
            return self._by_category.get(categories[0], [])
        merged = [m for c in categories for m in self._by_category.get(c, [])]
        return sorted(merged, key=lambda m: m.start)

    def in_sentence(self, sent: int, *categories: str) -> Iterator[Mention]:
        for mention in self.of(*categories):
            if mention.sent == sent:
                yield mention

    def sentence_text(self, sent: int) -> str:
        start, end = self.sentences[sent]
        return self.text[start:end]

    def sentence_bounds(self, sent: int) -> tuple[int, int]:
        start, end = self.sentences[sent]
        return start, end

    def role_at(self, offset: int) -> str:
        role = "untitled"
        for section in self.sections:
            if section["start"] <= offset:
                role = section["role"]
            else:
                break
        return role


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
