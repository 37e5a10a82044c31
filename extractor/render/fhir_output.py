"""A CodingResult as a FHIR R4B Bundle, built and validated with ``fhir.resources`` R4B models.

The Bundle (type ``collection``) holds one ``Procedure`` per procedure performed today, one
draft ``Claim`` whose ``item`` entries are the claim lines, and an ``OperationOutcome`` with the
warnings when there are any. The note does not identify the patient, provider or coverage, so
those required references carry a ``display`` only; the receiving system fills them in.
``fullUrl`` ids are UUID-5 of the result, so the same result always gives the same Bundle.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from typing import Any

from ..models import ClaimLine, CodingResult, CodingWarning, JointFact, Procedure

CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
HCPCS_SYSTEM = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
SNOMED_SYSTEM = "http://snomed.info/sct"
CLAIM_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/claim-type"
PRIORITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/processpriority"
PROCEDURE_KIND_SYSTEM = "urn:facet-coder:procedure-kind"
JOINT_SYSTEM = "urn:facet-coder:facet-joint"
WARNING_SYSTEM = "urn:facet-coder:warning"
LATERALITY_EXTENSION = "urn:facet-coder:fhir:laterality"

# SNOMED CT laterality qualifiers
LATERALITY = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "bilateral": ("51440002", "Right and left"),
}
KIND_LABELS = {
    "intra_articular": "Facet joint injection (intra-articular)",
    "medial_branch_block": "Facet joint nerve block (medial branch block)",
    "rf_ablation_thermal": "Facet joint nerve destruction, thermal radiofrequency",
    "rf_pulsed": "Facet joint nerve treatment, pulsed radiofrequency",
    "chemical_neurolysis": "Facet joint nerve destruction, chemical neurolysis",
    "cryoneurolysis": "Facet joint nerve destruction, cryoneurolysis",
    "other": "Other procedure",
}
SEVERITY = {
    "error": ("error", "business-rule"),
    "warning": ("warning", "business-rule"),
    "info": ("information", "informational"),
}
UNIDENTIFIED_PATIENT = {"display": "Patient of the coded note (not identified in the note)"}
UNIDENTIFIED_PROVIDER = {"display": "Performing provider (not identified in the note)"}


def _full_url(seed: str, kind: str, index: int) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'facet-coder:{seed}:{kind}:{index}')}"


def _joint_site(joint: JointFact) -> dict[str, Any]:
    site: dict[str, Any] = {
        "coding": [{"system": JOINT_SYSTEM, "code": joint.joint, "display": f"{joint.joint} facet joint"}],
        "text": f"{joint.joint} facet joint" + (f", {joint.side}" if joint.side else ""),
    }
    if joint.side:
        code, display = LATERALITY[joint.side]
        site["extension"] = [
            {
                "url": LATERALITY_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [{"system": SNOMED_SYSTEM, "code": code, "display": display}]
                },
            }
        ]
    return site


def _procedure_resource(procedure: Procedure) -> dict[str, Any]:
    label = (
        procedure.description
        if procedure.kind == "other" and procedure.description
        else KIND_LABELS[procedure.kind]
    )
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "completed" if procedure.status == "completed" else "stopped",
        "code": {
            "coding": [
                {
                    "system": PROCEDURE_KIND_SYSTEM,
                    "code": procedure.kind,
                    "display": KIND_LABELS[procedure.kind],
                }
            ],
            "text": label,
        },
        "subject": UNIDENTIFIED_PATIENT,
    }
    if procedure.joints:
        resource["bodySite"] = [_joint_site(joint) for joint in procedure.joints]
    return resource


def _modifier(code: str) -> dict[str, Any]:
    # Two-digit modifiers (50) are CPT's; letter modifiers (RT, LT, KX) are HCPCS Level II.
    system = CPT_SYSTEM if code.isdigit() else HCPCS_SYSTEM
    return {"coding": [{"system": system, "code": code}]}


def _item(sequence: int, line: ClaimLine, procedure_sequences: list[int]) -> dict[str, Any]:
    product: dict[str, Any] = {"coding": [{"system": CPT_SYSTEM, "code": line.code}]}
    if line.label:
        product["coding"][0]["display"] = line.label
        product["text"] = line.label
    item: dict[str, Any] = {
        "sequence": sequence,
        "productOrService": product,
        "quantity": {"value": line.units},
    }
    if line.modifiers:
        item["modifier"] = [_modifier(code) for code in line.modifiers]
    if line.joints:
        item["bodySite"] = {"text": "Facet joints " + ", ".join(line.joints)}
        item["subSite"] = [
            {"coding": [{"system": JOINT_SYSTEM, "code": joint, "display": f"{joint} facet joint"}]}
            for joint in line.joints
        ]
    if procedure_sequences:
        item["procedureSequence"] = procedure_sequences
    return item


def _procedures_of_line(line: ClaimLine, procedures: list[Procedure]) -> list[int]:
    """1-based sequences of the procedures that treated one of the line's joints."""
    return [
        index
        for index, procedure in enumerate(procedures, start=1)
        if procedure.kind != "other" and {joint.joint for joint in procedure.joints} & set(line.joints)
    ]


def _claim_resource(result: CodingResult, procedure_urls: list[str], created: str) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "resourceType": "Claim",
        "status": "draft",
        "type": {"coding": [{"system": CLAIM_TYPE_SYSTEM, "code": "professional"}]},
        "use": "claim",
        "patient": UNIDENTIFIED_PATIENT,
        "created": created,
        "provider": UNIDENTIFIED_PROVIDER,
        "priority": {"coding": [{"system": PRIORITY_SYSTEM, "code": "normal"}]},
        "insurance": [
            {"sequence": 1, "focal": True, "coverage": {"display": f"Payer profile: {result.payer}"}}
        ],
    }
    if procedure_urls:
        claim["procedure"] = [
            {"sequence": index, "procedureReference": {"reference": url}}
            for index, url in enumerate(procedure_urls, start=1)
        ]
    if result.lines:
        claim["item"] = [
            _item(index, line, _procedures_of_line(line, result.procedures) if procedure_urls else [])
            for index, line in enumerate(result.lines, start=1)
        ]
    return claim


def _outcome_resource(warnings: list[CodingWarning]) -> dict[str, Any]:
    issues = []
    for warning in warnings:
        severity, code = SEVERITY[warning.severity]
        issues.append(
            {
                "severity": severity,
                "code": code,
                "details": {
                    "coding": [{"system": WARNING_SYSTEM, "code": warning.id}],
                    "text": warning.message,
                },
            }
        )
    return {"resourceType": "OperationOutcome", "issue": issues}


def build_bundle(result: CodingResult, created: str | None = None) -> Any:
    """The validated ``fhir.resources`` R4B Bundle (raises pydantic's ValidationError if invalid)."""
    from fhir.resources.R4B.bundle import Bundle

    seed = hashlib.sha256(result.model_dump_json(by_alias=True).encode()).hexdigest()[:32]
    created = created or datetime.date.today().isoformat()
    entries: list[dict[str, Any]] = []
    procedure_urls = []
    for index, procedure in enumerate(result.procedures):
        url = _full_url(seed, "Procedure", index)
        procedure_urls.append(url)
        entries.append({"fullUrl": url, "resource": _procedure_resource(procedure)})
    entries.append(
        {"fullUrl": _full_url(seed, "Claim", 0), "resource": _claim_resource(result, procedure_urls, created)}
    )
    if result.warnings:
        entries.append(
            {
                "fullUrl": _full_url(seed, "OperationOutcome", 0),
                "resource": _outcome_resource(result.warnings),
            }
        )
    return Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})


def render_fhir(result: CodingResult, created: str | None = None) -> str:
    """The Bundle as FHIR JSON. ``created`` (YYYY-MM-DD) dates the Claim; default today."""
    return build_bundle(result, created).model_dump_json(indent=2, exclude_none=True)
