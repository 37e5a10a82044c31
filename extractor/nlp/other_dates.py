"""A block of the note about another date than the date of service: not today's procedure.

A note may carry a whole second procedure under a banner with its own date: 'THORACIC BLOCK -
03/14/2025 (separate encounter, entered here for continuity; billed under that date)', '** RIGHT
SIDE - done 03/10/2025 - copied forward from that note for reference **', 'SCHEDULED - 2025-04-29
(only if today's block is also positive)', 'NEXT PROCEDURE - scheduled 07/15/2025 09:00 (neck)',
'ADDENDUM (entered 05/08/2025 14:20): Pt returned today 05/08/2025 ...'. Each is told in full,
with its time-out, levels, drugs and scores, and reads like today's. When the note states its
date of service and a banner names another date, the block under the banner (to the next rule
line, the next header, or the note's end) is history (an earlier date) or plan (a later one).
An addendum, a coder's query or the physician's response is about today's procedure unless it
tells of another visit ('returned', 'separate encounter'): a late entry that adds a level done
during the session is today's.
"""

from __future__ import annotations

import re

from .flowsheet_entries import cut_sections

_DATE = r"(?:[0-9]{1,2}/[0-9]{1,2}/(?:19|20)?[0-9]{2}|(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2})"
_ANY_DATE = re.compile(_DATE)
_DATE_OF_SERVICE = re.compile(
    r"(?i)\b(?:date\s+of\s+service|DOS|service\s+date|procedure\s+date|encounter(?:\s*/\s*DOS)?)"
    r"[ \t]{0,3}[:=]?[ \t]{0,3}(" + _DATE + r")"
)
_DOS_REACH = 800
# a banner line: a heading in capitals, then a separator, then (soon) a date
_BANNER = re.compile(
    r"(?m)^[ \t*#=~-]{0,6}"
    r"(?P<head>(?!(?:DOB|D\.O\.B|MRN|DOS|DATE|SIGNED|PRINTED|EXPORTED|ADMIT\w*|DISCHARGE\w*|DOI|INJURY)\b)"
    r"[A-Z][A-Z0-9/&#'.]{1,20}(?:[ \t][A-Z0-9/&#'.]{1,20}){0,4})"
    r"[ \t]{0,3}(?:[-\u2013\u2014:(]|\*\*)[ \t]{0,3}(?:[a-z][a-z ]{0,20}[ \t])?(?P<date>" + _DATE + r")"
    r"[^\n]{0,160}$"
)
# a ruled banner that opens on its date ('--- 06/03/2025 (Tuesday) - LEFT side, done ---')
_RULED_BANNER = re.compile(r"(?m)^[ \t]*[-=*~#]{2,}[ \t]{0,3}(?P<head>)(?P<date>" + _DATE + r")[^\n]{0,120}$")
_RULE_LINE = re.compile(r"(?m)^[ \t]*[-=_*~]{5,}[ \t]*$")
# written later about today's session: an addendum, a coder's query and the physician's answer
_ADDENDUM = re.compile(
    r"(?i)\b(?:addendum|late\s+entry|amendment|correction|query|response|attestation|co-?sign\w*|review\w*)\b"
)
_OTHER_VISIT = re.compile(r"(?i)\breturned\b|\bseparate\s+(?:encounter|visit|charge)|\bdifferent\s+day\b")
_BLOCK_REACH = 4000
OTHER_DATE = "other_date"


def _as_tuple(date: str) -> tuple[int, int, int] | None:
    if "/" in date:
        month, day, year = (int(part) for part in date.split("/"))
    else:
        year, month, day = (int(part) for part in date.split("-"))
    year += 2000 if year < 100 else 0
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day


def _block_end(text: str, sections: list[dict], banner: re.Match[str], banners: list[int]) -> int:
    """The next banner or rule line, else the next header after the banner's line, else the
    note's end."""
    rule = _RULE_LINE.search(text, banner.end(), banner.end() + _BLOCK_REACH)
    ends = [rule.start()] if rule is not None else []
    ends += [start for start in banners if start > banner.start()][:1]
    if ends:
        return min(ends)
    later = [s["start"] for s in sections if s["start"] > banner.end() and s.get("category") is not None]
    return min(later) if later else len(text)


def date_of_service(text: str) -> tuple[tuple[int, int, int], int] | None:
    """The date of service the note states near its top ('DOS 10/07/2025', 'Date of service:
    03/14/2025'), as (year, month, day), and where its statement ends; None when none is stated."""
    found = _DATE_OF_SERVICE.search(text, 0, _DOS_REACH)
    if found is None:
        return None
    service = _as_tuple(found.group(1))
    return None if service is None else (service, found.end())


_TODAY_DATED = re.compile(r"(?i)\btoday[ \t]*[,:(]?[ \t]*(" + _DATE + r")")


def only_date_of_service(text: str) -> tuple[int, int, int] | None:
    """The date of service when the note names no other: every 'DOS ...' agrees and no 'today,
    <date>' says otherwise (an appeal letter may cite the DOS of the claim it appeals and tell of
    a later visit 'today'); None otherwise."""
    stated = date_of_service(text)
    if stated is None:
        return None
    dates = [_as_tuple(m.group(1)) for m in _DATE_OF_SERVICE.finditer(text)]
    dates += [_as_tuple(m.group(1)) for m in _TODAY_DATED.finditer(text)]
    return stated[0] if all(date == stated[0] for date in dates) else None


ON_DATE = "HISTORICAL_ONDATE"
"""The ConText category of 'on <date>' ('... on 03/03/2025'), a date told as history."""
_ON_A_DATE = re.compile(r"(?i)\b(?:on|dated)\s+([0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4})\b")


def on_date_of_service(sentence: str, service: tuple[int, int, int]) -> bool:
    """Every 'on <date>' of the sentence is the date of service ('The treatment on 10/07/2025.' in
    a letter about that visit is today's procedure, not an earlier one): the sentence's
    HISTORICAL_ONDATE is no history. (Applied to the mentions after ConText, so the fast engine
    and medspaCy's ConText give the same statuses.)"""
    dates = [_as_tuple(match.group(1)) for match in _ON_A_DATE.finditer(sentence)]
    return bool(dates) and all(date == service for date in dates)


def other_date_blocks(text: str, sections: list[dict]) -> list[dict]:
    """``sections`` with each block about another date than the date of service as its own
    section (category 'other_date', role history or plan)."""
    stated = date_of_service(text)
    if stated is None:
        return sections
    service, stated_end = stated
    blocks: list[tuple[int, int, str]] = []
    banners = sorted(
        [*_BANNER.finditer(text, stated_end), *_RULED_BANNER.finditer(text, stated_end)],
        key=lambda m: m.start(),
    )
    starts = [banner.start() for banner in banners]
    for banner in banners:
        date = _as_tuple(banner.group("date"))
        if date is None or date == service:
            continue
        end = _block_end(text, sections, banner, starts)
        if _ADDENDUM.search(banner.group("head")) and not _OTHER_VISIT.search(text, banner.start(), end):
            continue  # (a late entry about today's session)
        if blocks and banner.start() < blocks[-1][1]:
            continue
        blocks.append((banner.start(), end, "history" if date < service else "plan"))
    return _overlay(sections, blocks) if blocks else sections


def _overlay(sections: list[dict], blocks: list[tuple[int, int, str]]) -> list[dict]:
    """Each section cut at the blocks' bounds (``flowsheet_entries.cut_sections``, as it cuts at its
    entries'); the parts inside a block take its role."""
    for start, end, role in blocks:
        sections = cut_sections(
            sections,
            start,
            end,
            lambda piece, _section, role=role: {
                "category": OTHER_DATE,
                "role": role,
                "start": piece["start"],
                "end": piece["end"],
                "header_end": piece["start"],
            },
        )
    return sections
