"""A cumulative flowsheet's entries of other dates are history; other notes keep their sections."""

from __future__ import annotations

from extractor.nlp.flowsheet_entries import FLOWSHEET_ENTRY, flowsheet_entries

_FLOWSHEET = (
    "Date of service: 05/06/2025\n"
    ">> 01/21/2025\n   PROCEDURE: L C6-7 MBB\n\n"
    ">> 05/06/2025  [TODAY]\n   PROCEDURE: L C6-7 MBB, repeat\n\n"
    ">> 07/2023 (hx, other practice)\n   C5-6 ACDF.\n"
    "PLAN: RTC 3 mo.\n"
)


def _whole(text: str) -> list[dict]:
    return [{"category": None, "role": "untitled", "start": 0, "end": len(text), "header_end": 0}]


def _role_at(sections: list[dict], offset: int) -> str:
    return next(s["role"] for s in sections if s["start"] <= offset < s["end"])


def test_entries_of_other_dates_are_history_and_today_is_not() -> None:
    sections = flowsheet_entries(_FLOWSHEET, _whole(_FLOWSHEET))
    assert _role_at(sections, _FLOWSHEET.index("L C6-7 MBB\n")) == "history"
    assert _role_at(sections, _FLOWSHEET.index("repeat")) == "untitled"
    assert _role_at(sections, _FLOWSHEET.index("ACDF")) == "history"
    assert _role_at(sections, _FLOWSHEET.index("RTC")) == "untitled"  # (the plan after the last entry)
    assert {s["category"] for s in sections if s["role"] == "history"} == {FLOWSHEET_ENTRY}
    assert [s["start"] for s in sections] == sorted(s["start"] for s in sections)
    assert all(a["end"] == b["start"] for a, b in zip(sections, sections[1:], strict=False))


def test_a_chronology_without_an_entry_of_the_date_of_service_is_left_alone() -> None:
    text = "DOS: 05/06/2025\n01/21/2025 - L C6-7 MBB\n09/24/2024 - L C6-7 MBB #2\nToday: repeat block.\n"
    sections = _whole(text)
    assert flowsheet_entries(text, sections) is sections


def test_a_note_without_a_date_of_service_is_left_alone() -> None:
    text = _FLOWSHEET.replace("Date of service: 05/06/2025\n", "")
    sections = _whole(text)
    assert flowsheet_entries(text, sections) is sections
