"""Facet procedures named only as history or plan are listed by a coder's name for their kind (not a
rule's reviewer notes), since the NO_FACET_PROCEDURE message quotes the list to the coder."""

from __future__ import annotations

from extractor import code_note


def test_planned_and_earlier_facet_procedures_are_named_plainly() -> None:
    result = code_note(
        "Procedure: left sacroiliac joint injection under fluoroscopy, Kenalog 40 mg.\n"
        "History: bilateral L4-5 radiofrequency ablation in 2029 with good relief.\n"
        "Plan: diagnostic medial branch block #1 at L4-5 and L5-S1 next month."
    )
    assert result.other_findings == ["medial branch block (plan)", "radiofrequency neurotomy (history)"]
    message = next(w.message for w in result.warnings if w.id == "NO_FACET_PROCEDURE")
    assert "medial branch block (plan)" in message and "German" not in message
