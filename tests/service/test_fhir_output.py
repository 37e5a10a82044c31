"""The FHIR R4B Bundle: a Procedure per procedure, the lines as Claim.item, validated by fhir.resources."""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle

from extractor.models import ClaimLine, CodingResult, CodingWarning, JointFact, Procedure
from extractor.render.fhir_output import CPT_SYSTEM, HCPCS_SYSTEM, render_fhir

RESULT = CodingResult(
    procedures=[
        Procedure(
            kind="medial_branch_block",
            joints=[JointFact(joint="L4-L5", side="bilateral"), JointFact(joint="L5-S1", side="left")],
        ),
        Procedure(
            kind="rf_ablation_thermal", joints=[JointFact(joint="C5-C6", side=None)], status="incomplete"
        ),
        Procedure(kind="other", description="sacroiliac joint injection"),
    ],
    lines=[
        ClaimLine(
            code="64493", modifiers=["50", "KX"], units=1, joints=["L4-L5"], label="Lumbar facet, first"
        ),
        ClaimLine(code="64494", modifiers=["LT", "KX"], units=1, joints=["L5-S1"]),
        ClaimLine(code="64633", units=1, joints=["C5-C6"]),
    ],
    warnings=[
        CodingWarning(id="PROCEDURE_INCOMPLETE", severity="warning", message="Aborted part-way."),
        CodingWarning(id="JOINTS_INFERRED_FROM_NERVES", severity="info", message="From nerves."),
    ],
)


def resources(bundle: dict, kind: str) -> list[dict]:
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


def test_bundle_validates_with_the_r4b_models():
    text = render_fhir(RESULT, created="2026-03-14")
    Bundle.model_validate_json(text)
    bundle = json.loads(text)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert len({entry["fullUrl"] for entry in bundle["entry"]}) == len(bundle["entry"])


def test_one_procedure_per_performed_procedure_with_joint_and_laterality():
    procedures = resources(json.loads(render_fhir(RESULT)), "Procedure")
    assert [p["code"]["coding"][0]["code"] for p in procedures] == [
        "medial_branch_block",
        "rf_ablation_thermal",
        "other",
    ]
    assert [p["status"] for p in procedures] == ["completed", "stopped", "completed"]
    first = procedures[0]["bodySite"]
    assert [site["coding"][0]["code"] for site in first] == ["L4-L5", "L5-S1"]
    laterality = [site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] for site in first]
    assert laterality == ["51440002", "7771000"]
    assert "extension" not in procedures[1]["bodySite"][0]
    assert procedures[2]["code"]["text"] == "sacroiliac joint injection"
    assert "bodySite" not in procedures[2]


def test_claim_items_carry_cpt_modifiers_quantity_and_body_site():
    claim = resources(json.loads(render_fhir(RESULT)), "Claim")[0]
    items = claim["item"]
    assert [item["sequence"] for item in items] == [1, 2, 3]
    assert all(item["productOrService"]["coding"][0]["system"] == CPT_SYSTEM for item in items)
    assert [item["productOrService"]["coding"][0]["code"] for item in items] == ["64493", "64494", "64633"]
    first_modifiers = [(m["coding"][0]["system"], m["coding"][0]["code"]) for m in items[0]["modifier"]]
    assert first_modifiers == [(CPT_SYSTEM, "50"), (HCPCS_SYSTEM, "KX")]
    assert "modifier" not in items[2]
    assert [item["quantity"]["value"] for item in items] == [1, 1, 1]
    assert items[1]["bodySite"]["text"] == "Facet joints L5-S1"
    assert items[0]["procedureSequence"] == [1]
    assert items[2]["procedureSequence"] == [2]


def test_warnings_become_an_operation_outcome():
    outcome = resources(json.loads(render_fhir(RESULT)), "OperationOutcome")[0]
    assert [(issue["severity"], issue["details"]["coding"][0]["code"]) for issue in outcome["issue"]] == [
        ("warning", "PROCEDURE_INCOMPLETE"),
        ("information", "JOINTS_INFERRED_FROM_NERVES"),
    ]


def test_a_note_without_lines_still_gives_a_valid_bundle():
    text = render_fhir(CodingResult(), created="2026-01-01")
    Bundle.model_validate_json(text)
    bundle = json.loads(text)
    assert [entry["resource"]["resourceType"] for entry in bundle["entry"]] == ["Claim"]
    assert "item" not in bundle["entry"][0]["resource"]


def test_same_result_same_bundle():
    assert render_fhir(RESULT, created="2026-03-14") == render_fhir(RESULT, created="2026-03-14")
