"""End-to-end audits of the synthetic notes in notes/ (cases.json): for each of the brief's nine
common mistakes, bad claims on notes of several styles give their findings, and each note's
correct claim gives none. The expected values are the truth from the coding rules; a failure
here is an extraction or coding miss, never a reason to loosen the case.

Each case runs twice: from each note's gold facts through the coding engine (no NLP: checks the
case and the audit), and from the note text through ``audit_claim`` (needs the NLP).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from extractor.audit import audit_lines, parse_claim
from extractor.audit.catalogue import finding_definitions
from extractor.models import CodingResult, NoteFacts

HERE = Path(__file__).parent
CASES = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
NOTES: dict[str, dict] = CASES["notes"]


def _nlp_missing() -> bool:
    try:
        from extractor.nlp import extract_facts  # noqa: F401
    except ImportError:
        return True
    return False


needs_nlp = pytest.mark.skipif(
    _nlp_missing(), reason="the NLP extraction (extractor.nlp.extract_facts) is absent"
)


def note_text(name: str) -> str:
    return (HERE / "notes" / name).read_text(encoding="utf-8")


def audit(name: str, claim: str):
    from extractor.audit import audit_claim

    return audit_claim(note_text(name), claim, payer="medicare")


# -- the case table itself (no NLP needed) ------------------------------------------------------------


def test_every_mistake_has_two_notes_of_different_styles():
    for mistake in CASES["mistakes"]:
        notes = {case["note"] for case in CASES["cases"] if str(case["mistake"]) == mistake}
        assert len(notes) >= 2, mistake
        assert len({NOTES[note]["style"] for note in notes}) >= 2, mistake


def test_case_table_is_consistent():
    ids = [case["id"] for case in CASES["cases"]]
    assert len(ids) == len(set(ids))
    on_disk = {path.name for path in (HERE / "notes").glob("*.txt")}
    assert set(NOTES) == on_disk
    for case in CASES["cases"]:
        assert case["note"] in NOTES
        assert set(case["expected"]) <= set(finding_definitions()), case["id"]
        assert parse_claim(case["bad_claim"]) != parse_claim(NOTES[case["note"]]["correct_claim"])
    for note in NOTES.values():
        assert note["style"] in {"templated", "dictation", "shorthand", "narrative", "hard"}
        parse_claim(note["correct_claim"])


# -- from the gold facts, through the coding engine (no NLP) -----------------------------------------


def gold_result(name: str) -> tuple[CodingResult, object]:
    from extractor.coding import code_facts, load_profile

    compact = NOTES[name]["facts"]
    procedures = [
        {
            **procedure,
            "joints": [{"joint": joint, "side": side} for joint, side in procedure["joints"].items()],
        }
        for procedure in compact["procedures"]
    ]
    facts = NoteFacts.model_validate({**compact, "procedures": procedures})
    profile = load_profile("medicare")
    lines, warnings = code_facts(facts, profile)
    return CodingResult(**dict(facts), payer=profile.name, lines=lines, warnings=warnings), profile


@pytest.mark.parametrize("case", CASES["cases"], ids=[case["id"] for case in CASES["cases"]])
def test_bad_claim_from_gold_facts(case):
    result, profile = gold_result(case["note"])
    findings = audit_lines(result, parse_claim(case["bad_claim"]), profile)
    assert Counter(finding.id for finding in findings) == Counter(case["expected"]), _explain(
        result, findings
    )


@pytest.mark.parametrize("name", sorted(NOTES))
def test_correct_claim_from_gold_facts(name):
    result, profile = gold_result(name)
    findings = audit_lines(result, parse_claim(NOTES[name]["correct_claim"]), profile)
    assert findings == [], _explain(result, findings)


# -- end to end ----------------------------------------------------------------------------------------


@needs_nlp
@pytest.mark.parametrize("case", CASES["cases"], ids=[case["id"] for case in CASES["cases"]])
def test_bad_claim_gives_its_findings(case):
    result = audit(case["note"], case["bad_claim"])
    text = note_text(case["note"])
    for finding in result.findings:
        assert all(text[e.start : e.end] == e.text for e in finding.evidence), finding.id
    found = Counter(finding.id for finding in result.findings)
    assert found == Counter(case["expected"]), _explain(result.coding, result.findings)


@needs_nlp
@pytest.mark.parametrize("name", sorted(NOTES))
def test_correct_claim_gives_no_finding(name):
    result = audit(name, NOTES[name]["correct_claim"])
    assert result.findings == [], _explain(result.coding, result.findings)


def _explain(coding: CodingResult, findings) -> str:
    from extractor.audit import format_line

    supported = [format_line(line.code, line.modifiers, line.units) for line in coding.lines]
    found = [(f.id, f.line and str(f.line), f.suggestion) for f in findings]
    return f"supported lines: {supported}; findings: {found}"
