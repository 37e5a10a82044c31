"""Hand-built CodingResults for the audit core's unit tests (no NLP)."""

from __future__ import annotations

from typing import Any

from extractor.audit import SubmittedLine, parse_claim
from extractor.models import Agent, ClaimLine, CodingResult, CodingWarning, Evidence, JointFact, Procedure

NOTE = "Bilateral L4-5 MBB under fluoroscopy, diagnostic block #1. IV midazolam 2 mg. PRP injected."


def ev(fragment: str) -> Evidence:
    start = NOTE.index(fragment)
    return Evidence(start=start, end=start + len(fragment), text=fragment)


def line(spec: str, joints: list[str] | None = None, label: str = "") -> ClaimLine:
    """``line("64493-50-KX")`` → the ClaimLine the coding engine would emit."""
    (parsed,) = parse_claim(spec)
    return ClaimLine(
        code=parsed.code,
        modifiers=parsed.modifiers,
        units=parsed.units,
        label=label,
        joints=joints or [],
        evidence=[ev("L4-5")],
        rules=["test"],
    )


def procedure(
    kind: str = "medial_branch_block", joints: dict[str, str] | None = None, **fields: Any
) -> Procedure:
    joints = joints if joints is not None else {"L4-L5": "bilateral"}
    fields.setdefault("guidance", "fluoroscopy")
    if kind in {"intra_articular", "medial_branch_block"}:
        fields.setdefault("intent", "diagnostic")
    field_evidence = {
        "guidance": [ev("fluoroscopy")],
        "intent": [ev("diagnostic")],
        "technique": [ev("MBB")],
    }
    return Procedure(
        kind=kind,
        joints=[JointFact(joint=joint, side=side) for joint, side in joints.items()],
        field_evidence=field_evidence,
        **fields,
    )


def result(
    lines: list[str],
    procedures: list[Procedure] | None = None,
    *,
    payer: str = "medicare",
    warnings: list[str] = (),
    **facts: Any,
) -> CodingResult:
    return CodingResult(
        payer=payer,
        procedures=procedures if procedures is not None else [procedure()],
        lines=[line(spec) for spec in lines],
        warnings=[CodingWarning(id=w, severity="warning", message=w) for w in warnings],
        **facts,
    )


def biologic(name: str = "platelet-rich plasma") -> Agent:
    return Agent(name=name, agent_class="biologic", evidence=[ev("PRP")])


def claim(text: str) -> list[SubmittedLine]:
    return parse_claim(text)
