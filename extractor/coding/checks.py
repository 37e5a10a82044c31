"""Documentation checks: when each warning id is raised (corpora/README.md "Expected warnings").

Each check looks at the facts (and the lines already built, to name their codes) and yields
hits: a warning id, the evidence to highlight and the values its message template needs.
Whether a hit becomes a warning, and at which severity, is the profile's call (warnings.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..models import FACET_KINDS, INJECTION_KINDS, KIND_NAMES, ClaimLine, Evidence, NoteFacts, Procedure
from .draft import DraftLine
from .evidence import evidence_union
from .joints import Level, levels_from_joints
from .lines import coding_order
from .profiles import Profile
from .sessions import split_by_region, treatment_of
from .tables import CodeTables, guidance_key

PROCEDURE_NAMES = KIND_NAMES
GUIDANCE_NAMES = {"fluoroscopy": "Fluoroscopy", "ct": "CT", "ultrasound": "Ultrasound"}
SEDATION_NAMES = {
    "moderate": "Moderate (conscious) sedation",
    "mac": "Monitored anesthesia care (MAC)",
    "general": "General anesthesia",
}
TECHNIQUE_NAMES = {
    "rf_pulsed": "Pulsed radiofrequency",
    "pulsed": "Pulsed radiofrequency",
    "chemical_neurolysis": "Chemical neurolysis",
    "chemical": "Chemical neurolysis",
    "cryoneurolysis": "Cryoneurolysis",
    "cryo": "Cryoneurolysis",
}
REGION_NAMES = {"cervical_thoracic": "cervical/thoracic", "lumbar_sacral": "lumbar/sacral"}


@dataclass(frozen=True)
class Hit:
    id: str
    evidence: list[Evidence]
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckContext:
    facts: NoteFacts
    profile: Profile
    tables: CodeTables
    drafts: tuple[DraftLine, ...]
    lines: tuple[ClaimLine, ...]
    _levels: dict[int, list[Level]] = field(default_factory=dict, compare=False, repr=False)

    def facet_procedures(self) -> list[tuple[int, Procedure]]:
        return [(i, p) for i, p in enumerate(self.facts.procedures) if p.kind in FACET_KINDS]

    def injections(self) -> list[tuple[int, Procedure]]:
        return [(i, p) for i, p in self.facet_procedures() if p.kind in INJECTION_KINDS]

    def diagnostic_injections(self) -> list[tuple[int, Procedure]]:
        return [(i, p) for i, p in self.injections() if p.intent == "diagnostic"]

    def levels(self, index: int) -> list[Level]:
        """Kept per procedure: most checks ask for the same procedure's levels."""
        levels = self._levels.get(index)
        if levels is None:
            levels = self._levels[index] = levels_from_joints(self.facts.procedures[index].joints, index)
        return list(levels)

    def codes_for(self, index: int) -> str:
        codes = [
            "-".join([line.code, *line.modifiers]) + (f" x {line.units}" if line.units > 1 else "")
            for draft, line in zip(self.drafts, self.lines, strict=True)
            if index in draft.procedures
        ]
        return ", ".join(codes) if codes else "no line"

    def describe(self, index: int) -> str:
        procedure = self.facts.procedures[index]
        name = PROCEDURE_NAMES.get(procedure.kind, procedure.description or "procedure")
        levels = self.levels(index)
        return f"{name} at {joint_list(levels, sides=True)}" if levels else name

    def hit(self, warning_id: str, index: int, *evidence: Iterable[Evidence], **params: Any) -> Hit:
        """A procedure-scoped hit; with no specific evidence, the procedure's own spans."""
        procedure = self.facts.procedures[index]
        spans = evidence_union(*evidence) or evidence_union(procedure.evidence)
        return Hit(
            warning_id, spans, {"procedure": self.describe(index), "codes": self.codes_for(index), **params}
        )


def joint_list(levels: list[Level], sides: bool = False) -> str:
    if not sides:
        return ", ".join(level.joint for level in levels)
    return ", ".join(f"{level.joint} ({level.side or 'side not stated'})" for level in levels)


def field_spans(procedure: Procedure, *names: str) -> list[Evidence]:
    return evidence_union(*(procedure.field_evidence.get(name, []) for name in names))


def check_missing_level(ctx: CheckContext) -> Iterator[Hit]:
    for i, _ in ctx.facet_procedures():
        if not ctx.levels(i):
            yield ctx.hit("MISSING_LEVEL", i)


def check_missing_laterality(ctx: CheckContext) -> Iterator[Hit]:
    for i, _ in ctx.facet_procedures():
        unsided = [level for level in ctx.levels(i) if level.side is None]
        if unsided:
            yield ctx.hit(
                "MISSING_LATERALITY", i, *(lv.evidence for lv in unsided), joints=joint_list(unsided)
            )


def check_guidance(ctx: CheckContext) -> Iterator[Hit]:
    wanted = {
        "unknown": "MISSING_GUIDANCE",
        "none": "NO_IMAGING_GUIDANCE",
        "ultrasound": "ULTRASOUND_GUIDANCE",
    }
    for i, procedure in ctx.facet_procedures():
        warning_id = wanted.get(guidance_key(procedure.guidance))
        if warning_id:
            yield ctx.hit(warning_id, i, field_spans(procedure, "guidance"))


def check_needle_confirmation(ctx: CheckContext) -> Iterator[Hit]:
    for i, procedure in ctx.facet_procedures():
        if procedure.guidance in GUIDANCE_NAMES and not procedure.needle_confirmation:
            spans = field_spans(procedure, "needle_confirmation", "guidance")
            yield ctx.hit(
                "MISSING_NEEDLE_CONFIRMATION", i, spans, guidance=GUIDANCE_NAMES[procedure.guidance]
            )


def check_missing_injectate(ctx: CheckContext) -> Iterator[Hit]:
    if any(agent.role == "target" for agent in ctx.facts.agents):
        return
    for i, _ in ctx.injections():
        yield ctx.hit("MISSING_INJECTATE", i)


def check_biologic(ctx: CheckContext) -> Iterator[Hit]:
    biologics = [agent for agent in ctx.facts.agents if agent.agent_class == "biologic"]
    if biologics:
        names = ", ".join(dict.fromkeys(agent.name for agent in biologics))
        yield Hit("BIOLOGIC_INJECTATE", evidence_union(*(a.evidence for a in biologics)), {"agents": names})


def check_missing_intent(ctx: CheckContext) -> Iterator[Hit]:
    for i, procedure in ctx.injections():
        if procedure.intent is None:
            yield ctx.hit("MISSING_INTENT", i)


def check_pain_scores(ctx: CheckContext) -> Iterator[Hit]:
    pain = ctx.facts.pain
    missing = [
        name for name, value in (("pre-procedure", pain.pre), ("post-procedure", pain.post)) if value is None
    ]
    diagnostic = ctx.diagnostic_injections()
    if missing and diagnostic:
        i, procedure = diagnostic[0]
        spans = pain.evidence or field_spans(procedure, "intent")
        yield ctx.hit("MISSING_PAIN_SCORES", i, spans, missing=" and ".join(missing))


def check_response(ctx: CheckContext) -> Iterator[Hit]:
    prior = ctx.facts.prior_response
    facet = ctx.facet_procedures()
    if prior is None or not facet or prior.percent_relief >= ctx.profile.response_threshold:
        return
    i = facet[0][0]
    yield ctx.hit(
        "RESPONSE_BELOW_THRESHOLD",
        i,
        prior.evidence,
        percent=_number(prior.percent_relief),
        threshold=_number(ctx.profile.response_threshold),
        procedure=", ".join(ctx.describe(j) for j, _ in facet),
    )


def check_sedation(ctx: CheckContext) -> Iterator[Hit]:
    sedation = ctx.facts.sedation
    if sedation in SEDATION_NAMES:
        yield Hit(
            "SEDATION_NOT_BILLABLE",
            evidence_union(ctx.facts.sedation_evidence),
            {"sedation": SEDATION_NAMES[sedation]},
        )


def check_diagnostic_session(ctx: CheckContext) -> Iterator[Hit]:
    for i, procedure in ctx.diagnostic_injections():
        session = procedure.diagnostic_session
        if session is None:
            yield ctx.hit("DIAGNOSTIC_SESSION_UNKNOWN", i, field_spans(procedure, "intent"))
        elif session >= 3:
            regions = sorted({REGION_NAMES[level.region] for level in ctx.levels(i)})
            yield ctx.hit(
                "DIAGNOSTIC_SESSION_BEYOND_SECOND",
                i,
                field_spans(procedure, "diagnostic_session", "intent"),
                session=f"#{session}",
                region=" and ".join(regions) or "treated",
            )


def check_levels_limit(ctx: CheckContext) -> Iterator[Hit]:
    limit = ctx.profile.max_levels_per_region
    for i, procedure in ctx.facet_procedures():
        treatment = treatment_of(procedure, ctx.tables)
        if treatment is None:
            continue
        lumbar = ctx.tables.families.find(treatment, guidance_key(procedure.guidance), "lumbar_sacral")
        for region, (levels, forced) in split_by_region(ctx.levels(i), ctx.profile, lumbar).items():
            if len(levels) <= limit:
                continue
            extra = coding_order(tuple(levels), forced)[limit:]
            yield ctx.hit(
                "LEVELS_EXCEED_LCD_LIMIT",
                i,
                *(level.evidence for level in levels),
                count=len(levels),
                region=REGION_NAMES[region],
                joints=joint_list(levels),
                limit=limit,
                extra_joints=joint_list(extra),
            )


def check_denervation(ctx: CheckContext) -> Iterator[Hit]:
    for i, procedure in ctx.facet_procedures():
        treatment = treatment_of(procedure, ctx.tables)
        spans = field_spans(procedure, "technique", "temperature_c")
        if treatment == "neurotomy_nonthermal":
            technique = TECHNIQUE_NAMES.get(procedure.technique or "") or TECHNIQUE_NAMES.get(procedure.kind)
            if technique is None:
                technique = f"Radiofrequency at {_number(procedure.temperature_c or 0)} C (below 80 C)"
            yield ctx.hit("NONTHERMAL_DENERVATION", i, spans, technique=technique)
        if treatment == "neurotomy_thermal" and procedure.technique == "cooled":
            yield ctx.hit("COOLED_RF", i, spans)
        if (
            treatment == "neurotomy_thermal"
            and procedure.technique != "cooled"
            and procedure.temperature_c is None
        ):
            yield ctx.hit("RF_TEMPERATURE_MISSING", i, spans)


def check_inferred_joints(ctx: CheckContext) -> Iterator[Hit]:
    for i, procedure in ctx.facet_procedures():
        if procedure.joints_from_nerves:
            levels = ctx.levels(i)
            nerves = ", ".join(procedure.nerves) or "not listed"
            yield ctx.hit(
                "JOINTS_INFERRED_FROM_NERVES",
                i,
                *(level.evidence for level in levels),
                joints=joint_list(levels) or "none",
                nerves=nerves,
            )


def check_level_discrepancy(ctx: CheckContext) -> Iterator[Hit]:
    discrepancy = ctx.facts.level_discrepancy
    if discrepancy is not None:
        yield Hit(
            "LEVEL_DISCREPANCY",
            evidence_union(discrepancy.evidence),
            {
                "header": ", ".join(discrepancy.header_joints) or "no level",
                "description": ", ".join(discrepancy.description_joints) or "no level",
            },
        )


def check_incomplete(ctx: CheckContext) -> Iterator[Hit]:
    for i, procedure in ctx.facet_procedures():
        if procedure.status == "incomplete":
            levels = ctx.levels(i)
            joints = joint_list(levels, sides=True) or "no level"
            yield ctx.hit("PROCEDURE_INCOMPLETE", i, field_spans(procedure, "status"), joints=joints)


def check_rfa_rationale(ctx: CheckContext) -> Iterator[Hit]:
    for i, procedure in ctx.injections():
        if procedure.intent == "therapeutic" and not procedure.rfa_unsuitable_reason:
            yield ctx.hit("THERAPEUTIC_WITHOUT_RFA_RATIONALE", i, field_spans(procedure, "intent"))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


CHECKS: tuple[Callable[[CheckContext], Iterator[Hit]], ...] = (
    check_missing_level,
    check_missing_laterality,
    check_guidance,
    check_needle_confirmation,
    check_missing_injectate,
    check_biologic,
    check_missing_intent,
    check_pain_scores,
    check_response,
    check_sedation,
    check_diagnostic_session,
    check_levels_limit,
    check_denervation,
    check_inferred_joints,
    check_level_discrepancy,
    check_incomplete,
    check_rfa_rationale,
)


def run_checks(ctx: CheckContext) -> list[Hit]:
    return [hit for check in CHECKS for hit in check(ctx)]
