"""code_facts beyond the case tables: evidence, messages, purity, determinism, no spaCy."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.coding import code_facts, load_profile
from extractor.models import Evidence, NoteFacts

NOTE = (
    "PROCEDURE: Bilateral L4-5 medial branch block.\n"
    "Medial branches of L3 and L4 on the left, L5-S1 facet. Fluoroscopy used.\n"
    "Sedation: IV midazolam 2 mg. Injected: platelet-rich plasma. Prior block gave 60% relief.\n"
    "Pulsed RF at L2-3 right. Diagnostic block #1."
)


def span(phrase: str) -> Evidence:
    start = NOTE.index(phrase)
    return Evidence(start=start, end=start + len(phrase), text=phrase)


def texts(evidence: list[Evidence]) -> list[str]:
    for item in evidence:
        assert NOTE[item.start : item.end] == item.text
    return [item.text for item in evidence]


def mbb_facts(**overrides: object) -> NoteFacts:
    procedure = {
        "kind": "medial_branch_block",
        "joints": [
            {"joint": "L4-L5", "side": "bilateral", "evidence": [span("Medial branches of L3 and L4")]},
            {"joint": "L5-S1", "side": None, "evidence": [span("L5-S1 facet")]},
        ],
        "joints_from_nerves": True,
        "nerves": ["L3 MB", "L4 MB"],
        "guidance": "fluoroscopy",
        "intent": "diagnostic",
        "diagnostic_session": 1,
        "needle_confirmation": True,
        "evidence": [span("Bilateral L4-5 medial branch block")],
        "field_evidence": {"guidance": [span("Fluoroscopy used")], "intent": [span("Diagnostic block #1")]},
    }
    note = {
        "procedures": [procedure],
        "agents": [
            {
                "name": "platelet-rich plasma",
                "class": "biologic",
                "role": "target",
                "evidence": [span("platelet-rich plasma")],
            }
        ],
        "sedation": "moderate",
        "sedation_evidence": [span("IV midazolam 2 mg")],
        "pain": {"pre": 7, "post": 1},
        "prior_response": {"percent_relief": 60, "evidence": [span("60% relief")]},
        "level_discrepancy": {
            "header_joints": ["L4-L5"],
            "description_joints": ["L4-L5", "L5-S1"],
            "evidence": [span("Bilateral L4-5")],
        },
    }
    note.update(overrides)
    return NoteFacts.model_validate(note)


def by_id(warnings: list) -> dict:
    return {warning.id: warning for warning in warnings}


def test_line_evidence_is_the_joints_plus_the_procedure() -> None:
    lines, _ = code_facts(mbb_facts(), load_profile("medicare"))
    primary, second = lines
    assert (primary.code, primary.joints) == ("64493", ["L4-L5"])
    assert texts(primary.evidence) == ["Bilateral L4-5 medial branch block", "Medial branches of L3 and L4"]
    assert (second.code, second.modifiers, second.joints) == ("64494", ["KX"], ["L5-S1"])
    assert texts(second.evidence) == ["Bilateral L4-5 medial branch block", "L5-S1 facet"]


def test_lines_name_the_rules_that_made_them() -> None:
    lines, _ = code_facts(mbb_facts(), load_profile("medicare"))
    assert lines[0].rules == [
        "FAM-INJ-IMAGED-LS",
        "PRIMARY-ONE-PER-REGION",
        "LAT-50-BILATERAL",
        "KX-DIAGNOSTIC",
        "MODIFIER-ORDER",
    ]
    assert "LAT-NO-SIDE" in lines[1].rules and "ADDON-SECOND-LEVEL" in lines[1].rules
    assert lines[0].label and "AMA" not in lines[0].label


def test_warning_evidence_points_at_the_relevant_fact() -> None:
    _, warnings = code_facts(mbb_facts(), load_profile("medicare"))
    found = by_id(warnings)
    assert texts(found["SEDATION_NOT_BILLABLE"].evidence) == ["IV midazolam 2 mg"]
    assert texts(found["BIOLOGIC_INJECTATE"].evidence) == ["platelet-rich plasma"]
    assert texts(found["RESPONSE_BELOW_THRESHOLD"].evidence) == ["60% relief"]
    assert texts(found["LEVEL_DISCREPANCY"].evidence) == ["Bilateral L4-5"]
    assert texts(found["MISSING_LATERALITY"].evidence) == ["L5-S1 facet"]
    assert texts(found["JOINTS_INFERRED_FROM_NERVES"].evidence) == [
        "Medial branches of L3 and L4",
        "L5-S1 facet",
    ]


def test_warning_evidence_falls_back_to_the_procedure() -> None:
    facts = mbb_facts()
    facts.procedures[0].guidance = None
    del facts.procedures[0].field_evidence["guidance"]
    _, warnings = code_facts(facts, load_profile("medicare"))
    assert texts(by_id(warnings)["MISSING_GUIDANCE"].evidence) == ["Bilateral L4-5 medial branch block"]


def test_field_evidence_for_technique_and_status() -> None:
    facts = NoteFacts.model_validate(
        {
            "procedures": [
                {
                    "kind": "rf_pulsed",
                    "joints": [{"joint": "L2-L3", "side": "right"}],
                    "guidance": "none",
                    "status": "incomplete",
                    "field_evidence": {
                        "technique": [span("Pulsed RF")],
                        "guidance": [span("Fluoroscopy used")],
                        "status": [span("Diagnostic block #1")],
                    },
                }
            ]
        }
    )
    _, warnings = code_facts(facts, load_profile("medicare"))
    found = by_id(warnings)
    assert texts(found["NONTHERMAL_DENERVATION"].evidence) == ["Pulsed RF"]
    assert texts(found["NO_IMAGING_GUIDANCE"].evidence) == ["Fluoroscopy used"]
    assert texts(found["PROCEDURE_INCOMPLETE"].evidence) == ["Diagnostic block #1"]
    assert "Pulsed radiofrequency" in found["NONTHERMAL_DENERVATION"].message


def test_messages_say_what_to_fix() -> None:
    facts = mbb_facts(
        procedures=[
            {
                "kind": "medial_branch_block",
                "joints": [{"joint": j, "side": "left"} for j in ("L3-L4", "L4-L5", "L5-S1")],
                "guidance": None,
                "intent": "diagnostic",
                "diagnostic_session": 1,
            }
        ]
    )
    _, warnings = code_facts(facts, load_profile("medicare"))
    found = by_id(warnings)
    assert "60% relief, below the 80%" in found["RESPONSE_BELOW_THRESHOLD"].message
    assert "3 levels in the lumbar/sacral region" in found["LEVELS_EXCEED_LCD_LIMIT"].message
    assert "The line for L5-S1 is expected to deny" in found["LEVELS_EXCEED_LCD_LIMIT"].message
    assert "64493-LT-KX, 64494-LT-KX, 64495-LT-KX assume fluoroscopy/CT" in found["MISSING_GUIDANCE"].message
    assert "Moderate (conscious) sedation documented" in found["SEDATION_NOT_BILLABLE"].message
    assert "header says L4-L5, the procedure description L4-L5, L5-S1" in found["LEVEL_DISCREPANCY"].message
    assert "Hold the claim for review" in found["BIOLOGIC_INJECTATE"].message
    assert all(warning.source for warning in warnings)


def test_commercial_threshold_in_message() -> None:
    facts = mbb_facts(prior_response={"percent_relief": 45})
    _, warnings = code_facts(facts, load_profile("commercial"))
    assert "45% relief, below the 50%" in by_id(warnings)["RESPONSE_BELOW_THRESHOLD"].message


def test_warnings_ordered_by_severity_then_id() -> None:
    _, warnings = code_facts(mbb_facts(), load_profile("medicare"))
    rank = {"error": 0, "warning": 1, "info": 2}
    keys = [(rank[w.severity], w.id) for w in warnings]
    assert keys == sorted(keys)
    assert warnings[0].severity == "error" and warnings[-1].severity == "info"


def test_no_facet_procedure_names_what_was_found() -> None:
    facts = NoteFacts.model_validate(
        {
            "procedures": [
                {
                    "kind": "other",
                    "description": "sacroiliac joint injection",
                    "evidence": [span("Fluoroscopy used")],
                },
                {"kind": "other", "description": "lumbar epidural steroid injection"},
            ],
            "other_findings": ["radiofrequency ablation (plan)"],
            "sedation": "general",
        }
    )
    lines, warnings = code_facts(facts, load_profile("medicare"))
    assert lines == []
    assert [w.id for w in warnings] == ["NO_FACET_PROCEDURE"]
    message = warnings[0].message
    assert (
        "sacroiliac joint injection; lumbar epidural steroid injection; radiofrequency ablation (plan)"
        in message
    )
    assert texts(warnings[0].evidence) == ["Fluoroscopy used"]


def test_no_facet_procedure_with_nothing_found() -> None:
    _, warnings = code_facts(NoteFacts(), load_profile("medicare"))
    assert [w.id for w in warnings] == ["NO_FACET_PROCEDURE"]
    assert "no procedure identified" in warnings[0].message


def test_code_facts_does_not_change_its_input() -> None:
    facts = mbb_facts()
    before = facts.model_dump()
    code_facts(facts, load_profile("rt_lt"))
    assert facts.model_dump() == before


JOINTS = ["C5-C6", "C6-C7", "T12-L1", "L1-L2", "L3-L4", "L4-L5", "L5-S1"]
joint_strategy = st.fixed_dictionaries(
    {"joint": st.sampled_from(JOINTS), "side": st.sampled_from(["left", "right", "bilateral", None])}
)
procedure_strategy = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(
            ["intra_articular", "medial_branch_block", "rf_ablation_thermal", "rf_pulsed"]
        ),
        "joints": st.lists(joint_strategy, max_size=4),
        "guidance": st.sampled_from(["fluoroscopy", "ct", "ultrasound", "none", None]),
        "intent": st.sampled_from(["diagnostic", "therapeutic", None]),
        "temperature_c": st.sampled_from([None, 60.0, 90.0]),
    }
)


@settings(max_examples=60, deadline=None)
@given(procedures=st.lists(procedure_strategy, min_size=1, max_size=3), data=st.data())
def test_same_facts_in_any_order_give_the_same_output(procedures: list[dict], data: st.DataObject) -> None:
    profile = load_profile(data.draw(st.sampled_from(["medicare", "commercial", "rt_lt"])))
    facts = NoteFacts.model_validate({"procedures": procedures})
    shuffled = data.draw(st.permutations(procedures))
    shuffled = [{**p, "joints": data.draw(st.permutations(p["joints"]))} for p in shuffled]
    first = code_facts(facts, profile)
    again = code_facts(NoteFacts.model_validate({"procedures": shuffled}), profile)

    def key(result: tuple) -> tuple:
        lines, warnings = result
        return (
            [(line.code, line.modifiers, line.units, line.joints) for line in lines],
            sorted((w.id, w.severity) for w in warnings),
        )

    assert key(first) == key(again)
    assert code_facts(facts, profile) == first
    for line in first[0]:
        assert line.units >= 1
        assert line.code not in {"77002", "77003", "77012"}


def test_importing_the_coding_half_does_not_import_spacy() -> None:
    script = (
        "import sys\n"
        "from extractor.coding import code_facts, load_profile\n"
        "from extractor.models import NoteFacts\n"
        "code_facts(NoteFacts.model_validate({'procedures': [{'kind': 'medial_branch_block',"
        " 'joints': [{'joint': 'L4-L5', 'side': 'left'}]}]}), load_profile('medicare'))\n"
        "print(sorted(m for m in ('spacy', 'medspacy', 'thinc') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
