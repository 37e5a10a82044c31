"""A block under a banner dated other than the date of service is not today's; a late entry about
today's session is."""

from __future__ import annotations

from extractor.nlp import load_pipeline
from extractor.nlp.other_dates import OTHER_DATE, on_date_of_service, only_date_of_service, other_date_blocks


def _roles(text: str) -> list[tuple[str | None, str, str]]:
    sections = load_pipeline()(text)._.facet_sections
    return [(s["category"], s["role"], text[s["start"] : s["end"]].strip()[:30]) for s in sections]


EARLIER = (
    "Date of service: 03/18/2025\n\n"
    "THORACIC BLOCK - 03/14/2025 (separate encounter, billed under that date)\n"
    "Right T7-T8 and T8-T9 medial branch block, diagnostic #1.\n"
    "----------------------------------------\n\n"
    "PROCEDURE: Bilateral lumbar medial branch block - diagnostic, first block\n"
)
LATER = "DOS 07/08/2025\n\nNEXT PROCEDURE - scheduled 07/15/2025 09:00 (neck)\nBilateral C5-C6 MBB #1.\n"


def test_an_earlier_dated_block_is_history_and_a_later_one_plan() -> None:
    earlier = [r for r in _roles(EARLIER) if r[0] == OTHER_DATE]
    assert earlier and earlier[0][1] == "history" and earlier[0][2].startswith("THORACIC BLOCK")
    assert any(r[1] == "header" and r[2].startswith("PROCEDURE") for r in _roles(EARLIER))
    later = [r for r in _roles(LATER) if r[0] == OTHER_DATE]
    assert later and later[0][1] == "plan"


def test_the_date_of_service_itself_and_late_entries_stay() -> None:
    today = "DOS: 03/13/2025\n\nTODAY - 03/13/2025\nLeft T12-L1 and L1-L2 RF neurotomy.\n"
    query = (
        "DOS: 11/04/2025\n\nRF neurotomy left C3-4, C4-5.\n\n"
        "CODER QUERY (11/05/2025, D. L.): Was any lesion made?\n"
        "ADDENDUM (entered 11/05/2025): the left C4-5 was also lesioned during this session.\n"
    )
    for text in (today, query):
        sections = load_pipeline()(text)._.facet_sections
        assert not any(s["category"] == OTHER_DATE for s in sections)
    assert other_date_blocks("no date of service here\nBLOCK - 03/14/2025\n", []) == []


def test_a_ruled_banner_that_opens_on_its_date() -> None:
    text = (
        "DOS: 06/06/2025\n\n--- 06/03/2025 (Tuesday) - LEFT side, done ---\nLeft L4-L5 injection.\n\n"
        "--- 06/06/2025 (today) - RIGHT side ---\nRight L4-L5 intra-articular injection.\n"
    )
    roles = [r for r in _roles(text) if r[0] == OTHER_DATE]
    assert len(roles) == 1 and roles[0][1] == "history" and roles[0][2].startswith("--- 06/03/2025")
    assert not any("Right L4-L5" in r[2] for r in roles)


def test_the_date_of_service_when_no_other_is_named() -> None:
    assert only_date_of_service("RE: appeal, DOS 10/07/2025\nThe treatment on 10/07/2025.") == (2025, 10, 7)
    # an appeal of one DOS written about a later visit, or 'today' on another date: none
    assert only_date_of_service("Claim (DOS 05/13/2025) and record - DOS 07/15/2025") is None
    assert only_date_of_service("date of service 04/08/2025 ...\nTODAY, 04/29/2025, I performed") is None
    assert only_date_of_service("Right L4-5 MBB on 03/03/2025.") is None
    assert on_date_of_service("The treatment on 10/07/2025.", (2025, 10, 7))
    assert not on_date_of_service("Block #1 on 10/06/2025, then RF on 10/07/2025.", (2025, 10, 7))
    assert not on_date_of_service("The treatment today.", (2025, 10, 7))
