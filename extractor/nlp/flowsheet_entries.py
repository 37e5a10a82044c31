"""A cumulative flowsheet: one document per patient, a 'Date of service: 03/14/2025' header, and
an entry per visit, each opening with its date ('ENTRY DATE: 03/14/2024', '### 2025-06-17',
'[entry] 07/22/2025 13:40', '>> 09/24/2024', '| 02/04/2025 | bilat L4-5 ... |'), newest not
always on top.

A coder codes only the entries dated on the date of service; every other entry is history,
whatever headers it repeats ('Procedure:', 'Guidance:', 'Pain:'). So the sections inside an
entry of another date are read as history, and the opening line of today's entry starts untitled
(coded) text even where it sits under the previous entry's last header.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_DATE = (
    r"(?:(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})/(?P<year>[0-9]{4}|[0-9]{2})(?![0-9/])"
    r"|(?P<month2>[0-9]{1,2})/(?P<year2>(?:19|20)[0-9]{2})(?![0-9/])"
    r"|(?P<year3>(?:19|20)[0-9]{2})-(?P<month3>[0-9]{2})(?:-(?P<day3>[0-9]{2}))?(?![0-9-]))"
)
# the date of service the flowsheet is kept for
_SERVICE_DATE = re.compile(
    rf"(?im)^[ \t]*(?:date[ \t]+of[ \t]+service|service[ \t]+date|DOS)[ \t]*[:#.=-]*[ \t]*{_DATE}"
)
# a line that opens an entry with its date, after a marker or a 'date' label at most
_ENTRY_HEAD = re.compile(
    r"(?im)^[ \t]{0,4}(?:[#*|>=][ \t#*|>=]{0,6})?"
    r"(?:\[?(?:entry|visit|encounter)\]?[ \t]*(?:date)?[ \t]*[:.]*[ \t]*|date[ \t]*[:.]*[ \t]*)?" + _DATE
)
# where the last entry ends when nothing follows it: a rule across the page, or a note-level
# header at the margin ('PLAN (03/14/25): ...', 'Signed: ...')
_ENTRY_END = re.compile(
    r"(?im)^(?:[ \t]*[=_*~#-]{4,}[ \t]*$"
    r"|(?:plan|assessment|impression|signed|signature|attestation|addendum)\b)"
)
FLOWSHEET_ENTRY = "flowsheet_entry"
"""The category of an entry of another date (its scores are that visit's); its sections keep where
the entry opens in ``entry_start`` (its date line names the procedure its fields are about)."""


def _day(match: re.Match[str]) -> tuple[int, int, int | None]:
    """(year, month, day) of a ``_DATE`` match; day None for a month ('06/2024', '2021-02')."""
    if match.group("year") is not None:
        year = int(match.group("year"))
        return (year + 2000 if year < 100 else year), int(match.group("month")), int(match.group("day"))
    if match.group("year2") is not None:
        return int(match.group("year2")), int(match.group("month2")), None
    day = match.group("day3")
    return int(match.group("year3")), int(match.group("month3")), int(day) if day else None


def _entries(text: str, service: re.Match[str]) -> list[tuple[int, int, bool]]:
    """(start, end, dated on the date of service) of each entry, in text order."""
    heads = [m for m in _ENTRY_HEAD.finditer(text) if m.start() != service.start()]
    today = _day(service)
    entries = []
    for index, head in enumerate(heads):
        if index + 1 < len(heads):
            end = heads[index + 1].start()
        else:
            line_end = text.find("\n", head.end())
            stop = _ENTRY_END.search(text, line_end + 1) if line_end != -1 else None
            end = stop.start() if stop else len(text)
        entries.append((head.start(), end, _day(head) == today))
    return entries


def section_pieces(section: dict, start: int, end: int) -> Iterator[dict]:
    """``section`` cut at ``start`` and ``end`` (the pieces that are not empty)."""
    cuts = sorted(
        {
            section["start"],
            section["end"],
            *(p for p in (start, end) if section["start"] < p < section["end"]),
        }
    )
    for low, high in zip(cuts, cuts[1:], strict=False):
        yield {**section, "start": low, "end": high, "header_end": min(max(section["header_end"], low), high)}


def cut_sections(
    sections: list[dict], start: int, end: int, inside: Callable[[dict, dict], dict]
) -> list[dict]:
    """``sections`` cut at ``start`` and ``end``; each piece inside the span is replaced by
    ``inside(piece, section)`` (the section it was cut from), the rest kept as they are."""
    cut: list[dict] = []
    for section in sections:
        if section["end"] <= start or section["start"] >= end:
            cut.append(section)
            continue
        for piece in section_pieces(section, start, end):
            cut.append(inside(piece, section) if start <= piece["start"] < end else piece)
    return cut


def flowsheet_entries(text: str, sections: list[dict]) -> list[dict]:
    """Sections of a flowsheet with entries of other dates read as history (see the module doc);
    unchanged for a note without a date of service, or without entries both of that date and of
    another."""
    if "ervice" not in text and "ERVICE" not in text and "DOS" not in text:
        return sections
    service = _SERVICE_DATE.search(text)
    if service is None:
        return sections
    entries = _entries(text, service)
    if not any(today for *_, today in entries) or all(today for *_, today in entries):
        return sections
    for start, end, today in entries:

        def entry_piece(piece: dict, section: dict, start: int = start, today: bool = today) -> dict:
            if not today:
                return {**piece, "category": FLOWSHEET_ENTRY, "role": "history", "entry_start": start}
            if piece["start"] == start and section["start"] < start:
                # today's opening line, under the header the entry above ended with
                return {**piece, "category": None, "role": "untitled", "header_end": start}
            return piece

        sections = cut_sections(sections, start, end, entry_piece)
    return sections
