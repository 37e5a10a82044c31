"""The public JSON contract shared by every interface (library, CLI, HTTP, batch, Spark).

Field names here are parsed by integrators: rename nothing without bumping ``SCHEMA_VERSION``.
The NLP half fills the fact models; the coding half reads them and adds ``lines`` and
``warnings``. Nothing in this module imports spaCy.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

ProcedureKind = Literal[
    "intra_articular",
    "medial_branch_block",
    "rf_ablation_thermal",
    "rf_pulsed",
    "chemical_neurolysis",
    "cryoneurolysis",
    "other",
]
FACET_KINDS: frozenset[str] = frozenset(get_args(ProcedureKind)) - {"other"}
INJECTION_KINDS: frozenset[str] = frozenset({"intra_articular", "medial_branch_block"})
KIND_NAMES: dict[str, str] = {
    "intra_articular": "intra-articular facet injection",
    "medial_branch_block": "medial branch block",
    "rf_ablation_thermal": "radiofrequency neurotomy",
    "rf_pulsed": "pulsed radiofrequency",
    "chemical_neurolysis": "chemical neurolysis",
    "cryoneurolysis": "cryoneurolysis",
}
"""A coder's name for each facet kind, in messages and the list of procedures found elsewhere."""
NEUROTOMY_KINDS: frozenset[str] = frozenset(
    {"rf_ablation_thermal", "rf_pulsed", "chemical_neurolysis", "cryoneurolysis"}
)

Side = Literal["left", "right", "bilateral"]
Region = Literal["cervical_thoracic", "lumbar_sacral"]
Guidance = Literal["fluoroscopy", "ct", "ultrasound", "none"]
Intent = Literal["diagnostic", "therapeutic"]
Technique = Literal["conventional", "cooled", "pulsed", "chemical", "cryo"]
Status = Literal["completed", "incomplete"]
AgentClass = Literal["corticosteroid", "local_anesthetic", "contrast", "biologic", "neurolytic", "other"]
AgentRole = Literal["target", "skin_local", "contrast"]
Sedation = Literal["none", "local_only", "moderate", "mac", "general"]
Severity = Literal["error", "warning", "info"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """A character span of the original note: ``text[start:end] == evidence.text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class JointFact(_Model):
    """One facet joint treated today, on one side or both."""

    joint: str = Field(description='Canonical joint name, e.g. "L4-L5", "C7-T1", "L5-S1".')
    side: Side | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Procedure(_Model):
    """One procedure performed today (history and plan mentions never become a Procedure)."""

    kind: ProcedureKind
    description: str | None = Field(
        default=None, description="For kind 'other': what it was, e.g. 'sacroiliac joint injection'."
    )
    region: Region | None = None
    joints: list[JointFact] = Field(default_factory=list)
    joints_from_nerves: bool = Field(
        default=False, description="Joints were derived from named nerves or needle targets."
    )
    nerves: list[str] = Field(default_factory=list, description='Nerves named, e.g. ["L3 MB", "L5 DR"].')
    guidance: Guidance | None = None
    intent: Intent | None = None
    diagnostic_session: int | None = Field(default=None, ge=1)
    technique: Technique | None = None
    temperature_c: float | None = None
    status: Status = "completed"
    needle_confirmation: bool = False
    rfa_unsuitable_reason: bool = Field(
        default=False, description="A documented reason RFA is unsuitable (for therapeutic injections)."
    )
    evidence: list[Evidence] = Field(default_factory=list)
    field_evidence: dict[str, list[Evidence]] = Field(
        default_factory=dict,
        description="Evidence per fact: keys guidance, intent, diagnostic_session, technique, "
        "temperature_c, status, needle_confirmation, rfa_unsuitable_reason.",
    )


class Dose(_Model):
    value: float | None = None
    unit: str | None = None
    concentration: str | None = None
    volume_ml: float | None = None


class Agent(_Model):
    """A substance given today. ``role`` keeps the skin wheal and contrast apart from the target agent."""

    name: str = Field(description="Generic name, lower case (brands are mapped).")
    agent_class: AgentClass = Field(alias="class", serialization_alias="class")
    role: AgentRole = "target"
    dose: Dose | None = None
    evidence: list[Evidence] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class Pain(_Model):
    pre: float | None = None
    post: float | None = None
    percent_relief: float | None = None
    scale: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class PriorResponse(_Model):
    """Relief reported from an earlier block (never today's scores)."""

    percent_relief: float
    evidence: list[Evidence] = Field(default_factory=list)


class LevelDiscrepancy(_Model):
    """Joints named in a header disagree with those in the description; the description wins."""

    header_joints: list[str]
    description_joints: list[str]
    evidence: list[Evidence] = Field(default_factory=list)


class ClaimLine(_Model):
    code: str
    modifiers: list[str] = Field(default_factory=list)
    units: int = Field(default=1, ge=1)
    label: str = ""
    joints: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)


class CodingWarning(_Model):
    id: str
    severity: Severity
    message: str
    evidence: list[Evidence] = Field(default_factory=list)
    source: str = ""


class NoteFacts(_Model):
    """Everything the NLP half extracts; the coding half's only input besides the payer profile."""

    procedures: list[Procedure] = Field(default_factory=list)
    agents: list[Agent] = Field(default_factory=list)
    sedation: Sedation | None = None
    sedation_evidence: list[Evidence] = Field(default_factory=list)
    pain: Pain = Field(default_factory=Pain)
    prior_response: PriorResponse | None = None
    level_discrepancy: LevelDiscrepancy | None = None
    other_findings: list[str] = Field(
        default_factory=list,
        description="Non-facet procedures or mentions seen only in history/plan, for NO_FACET_PROCEDURE.",
    )


class CodingResult(NoteFacts):
    """What ``code_note`` returns: the facts plus the claim lines and warnings for one payer."""

    schema_version: str = SCHEMA_VERSION
    payer: str = "medicare"
    lines: list[ClaimLine] = Field(default_factory=list)
    warnings: list[CodingWarning] = Field(default_factory=list)
