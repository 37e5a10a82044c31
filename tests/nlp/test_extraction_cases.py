"""Table-driven extraction cases: note snippet -> the facts that matter for coding."""

import json
from pathlib import Path

import pytest

from extractor.models import FACET_KINDS
from extractor.nlp import extract_facts

CASES = json.loads((Path(__file__).parent / "extraction_cases.json").read_text())


def _facet(facts):
    return [p for p in facts.procedures if p.kind in FACET_KINDS]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_extraction_case(case):
    text, expect = case["text"], case["expect"]
    facts = extract_facts(text)
    facet = _facet(facts)
    if expect.get("facet") is False:
        assert facet == []
    else:
        assert facet, "no facet procedure found"
    first = facet[0] if facet else None
    if "kind" in expect:
        assert first.kind == expect["kind"]
    if "joints" in expect:
        found = {j.joint: j.side for p in facet for j in p.joints}
        assert found == expect["joints"]
    if "kinds" in expect:  # one per procedure, as 'kind:region'
        assert sorted(f"{p.kind}:{p.region}" for p in facet) == sorted(expect["kinds"])
    if "guidances" in expect:  # one per procedure, as 'kind:guidance'
        assert sorted(f"{p.kind}:{p.guidance}" for p in facet) == sorted(expect["guidances"])
    if "regions" in expect:
        assert sorted(p.region for p in facet) == expect["regions"]
    for key, attr in [
        ("guidance", "guidance"),
        ("intent", "intent"),
        ("session", "diagnostic_session"),
        ("technique", "technique"),
        ("temperature", "temperature_c"),
        ("status", "status"),
        ("joints_from_nerves", "joints_from_nerves"),
        ("needle_confirmation", "needle_confirmation"),
        ("rfa_reason", "rfa_unsuitable_reason"),
    ]:
        if key in expect:
            assert getattr(first, attr) == expect[key], key
    if "sedation" in expect:
        assert facts.sedation == expect["sedation"]
    if "pain" in expect:
        assert [facts.pain.pre, facts.pain.post] == expect["pain"]
    if "relief" in expect:
        assert facts.pain.percent_relief == expect["relief"]
    if "agents" in expect:
        assert sorted(f"{a.name}:{a.role}" for a in facts.agents) == sorted(expect["agents"])
    if "prior" in expect:
        prior = facts.prior_response.percent_relief if facts.prior_response else None
        assert prior == expect["prior"]
    if "discrepancy" in expect:
        assert (facts.level_discrepancy is not None) == expect["discrepancy"]
    if "other" in expect:
        assert sorted(p.description for p in facts.procedures if p.kind == "other") == expect["other"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_evidence_offsets_index_the_note(case):
    text = case["text"]
    facts = extract_facts(text)
    spans = [e for p in facts.procedures for e in p.evidence]
    spans += [e for p in facts.procedures for j in p.joints for e in j.evidence]
    spans += [e for p in facts.procedures for group in p.field_evidence.values() for e in group]
    spans += [e for a in facts.agents for e in a.evidence] + facts.pain.evidence + facts.sedation_evidence
    for span in spans:
        assert text[span.start : span.end] == span.text
