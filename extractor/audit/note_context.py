"""What the audit asks of the note's facts: which procedure a code belongs to, its guidance,
technique, intent and nerves, and the evidence for each. Pure; reads a ``CodingResult``.

A hand-built result may carry lines without facts; every lookup then answers "unknown" and the
audit falls back on the expected lines alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import INJECTION_KINDS, NEUROTOMY_KINDS, CodingResult, Evidence, Procedure
from .catalogue import code_info

NONTHERMAL_KINDS = frozenset({"rf_pulsed", "chemical_neurolysis", "cryoneurolysis"})
THERMAL_FLOOR_C = 80.0
_KIND_WORDS = {
    "rf_pulsed": "pulsed radiofrequency",
    "chemical_neurolysis": "chemical neurolysis",
    "cryoneurolysis": "cryoneurolysis",
}
_TECHNIQUE_WORDS = {
    "pulsed": "pulsed radiofrequency",
    "chemical": "chemical neurolysis",
    "cryo": "cryoneurolysis",
}


def joint_region(joint: str) -> str | None:
    if joint[:1] in {"C", "T"}:
        return "cervical_thoracic"
    if joint[:1] in {"L", "S"}:
        return "lumbar_sacral"
    return None


def procedure_region(procedure: Procedure) -> str | None:
    if procedure.region:
        return procedure.region
    regions = {joint_region(joint.joint) for joint in procedure.joints} - {None}
    return regions.pop() if len(regions) == 1 else None


def is_nonthermal(procedure: Procedure) -> bool:
    if procedure.kind in NONTHERMAL_KINDS or procedure.technique in _TECHNIQUE_WORDS:
        return True
    return (
        procedure.kind == "rf_ablation_thermal"
        and procedure.technique != "cooled"
        and procedure.temperature_c is not None
        and procedure.temperature_c < THERMAL_FLOOR_C
    )


def describe_nonthermal(procedure: Procedure) -> str:
    if procedure.kind in _KIND_WORDS:
        return _KIND_WORDS[procedure.kind]
    if procedure.technique in _TECHNIQUE_WORDS:
        return _TECHNIQUE_WORDS[procedure.technique]
    return f"radiofrequency at {procedure.temperature_c:g} °C, below the {THERMAL_FLOOR_C:g} °C thermal floor"


def merge_evidence(*groups: Iterable[Evidence]) -> list[Evidence]:
    """Deduplicated by span and in note order, so the same input gives the same evidence."""
    spans: dict[tuple[int, int], Evidence] = {}
    for group in groups:
        for evidence in group:
            spans.setdefault((evidence.start, evidence.end), evidence)
    return [spans[key] for key in sorted(spans)]


class NoteContext:
    def __init__(self, result: CodingResult) -> None:
        self.result = result

    def procedures(self, kinds: frozenset[str], region: str | None) -> list[Procedure]:
        return [
            procedure
            for procedure in self.result.procedures
            if procedure.kind in kinds and (region is None or procedure_region(procedure) in (None, region))
        ]

    def procedures_for_code(self, code: str) -> list[Procedure]:
        info = code_info(code)
        if info is None:
            return []
        kinds = NEUROTOMY_KINDS if info.family in {"neurotomy", "unlisted_destruction"} else INJECTION_KINDS
        return self.procedures(kinds, info.region)

    def field_evidence(self, procedures: Iterable[Procedure], *fields: str) -> list[Evidence]:
        return merge_evidence(
            *(procedure.field_evidence.get(field, []) for procedure in procedures for field in fields)
        )

    def ultrasound_injections(self, region: str | None) -> list[Procedure]:
        return [p for p in self.procedures(INJECTION_KINDS, region) if p.guidance == "ultrasound"]

    def nonthermal_neurotomies(self, region: str | None) -> list[Procedure]:
        return [p for p in self.procedures(NEUROTOMY_KINDS, region) if is_nonthermal(p)]

    def names_nerves(self, code: str) -> bool:
        return any(p.nerves or p.joints_from_nerves for p in self.procedures_for_code(code))

    def intents(self, code: str) -> set[str | None]:
        return {procedure.intent for procedure in self.procedures_for_code(code)}

    def has_warning(self, warning_id: str) -> bool:
        return any(warning.id == warning_id for warning in self.result.warnings)

    def warning_evidence(self, warning_id: str) -> list[Evidence]:
        return merge_evidence(*(w.evidence for w in self.result.warnings if w.id == warning_id))

    def biologic_agents(self) -> list[str]:
        return sorted({agent.name for agent in self.result.agents if agent.agent_class == "biologic"})

    def biologic_evidence(self) -> list[Evidence]:
        return merge_evidence(
            *(agent.evidence for agent in self.result.agents if agent.agent_class == "biologic"),
            self.warning_evidence("BIOLOGIC_INJECTATE"),
        )
