"""The code tables (patterns/coding/*.yaml) as validated models.

The tables are data a coder can review; this module only reads and checks them: every code a
family can emit is in the code table and none is a never-emitted code (77002/77003/77012,
sedation, anesthesia).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..models import Guidance, ProcedureKind, Region, Technique

# libyaml's safe loader when installed (about 10x faster, same data); the pure-Python one otherwise
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Treatment = Literal["injection", "neurotomy_thermal", "neurotomy_nonthermal"]
GuidanceKey = Literal["fluoroscopy", "ct", "ultrasound", "none", "unknown"]
Scheme = Literal["levels", "sites", "single"]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeEntry(_Table):
    label: str
    add_on: bool = False
    takes_laterality: bool = False
    takes_kx: bool = False


class NeverEmitted(_Table):
    code: str
    why: str


class CodeTable(_Table):
    modifier_order: list[str]
    codes: dict[str, CodeEntry]
    never_emitted: list[NeverEmitted]

    def modifier_rank(self, modifier: str) -> int:
        return (
            self.modifier_order.index(modifier)
            if modifier in self.modifier_order
            else len(self.modifier_order)
        )


class TreatmentRule(_Table):
    kinds: list[ProcedureKind]
    techniques: list[Technique] = Field(default_factory=list)
    below_temperature_c: float | None = None
    temperature_exempt_techniques: list[Technique] = Field(default_factory=list)
    rule: str | None = None


class SiteBand(_Table):
    max_sites: int | None
    code: str


class Family(_Table):
    id: str
    label: str
    treatment: Treatment
    guidance: list[GuidanceKey]
    region: Region | Literal["any"]
    scheme: Scheme
    primary: str | None = None
    second: str | None = None
    additional: str | None = None
    additional_units: Literal["one", "per_joint"] = "one"
    t12_l1_exception_primary: str | None = None
    sites: list[SiteBand] = Field(default_factory=list)
    code: str | None = None
    source: str = ""

    @model_validator(mode="after")
    def _scheme_fields(self) -> Family:
        needed = {"levels": ("primary", "additional"), "sites": ("sites",), "single": ("code",)}[self.scheme]
        missing = [name for name in needed if not getattr(self, name)]
        if missing:
            raise ValueError(f"family {self.id}: scheme {self.scheme} needs {', '.join(missing)}")
        return self

    def emitted_codes(self) -> list[str]:
        codes = [self.primary, self.second, self.additional, self.t12_l1_exception_primary, self.code]
        return [c for c in codes if c] + [band.code for band in self.sites]

    def site_code(self, sites: int) -> str:
        for band in self.sites:
            if band.max_sites is None or sites <= band.max_sites:
                return band.code
        return self.sites[-1].code


class FamilyTable(_Table):
    treatments: dict[Treatment, TreatmentRule]
    families: list[Family]

    def find(self, treatment: Treatment, guidance: GuidanceKey, region: Region | None) -> Family | None:
        for family in self.families:
            if family.treatment != treatment or guidance not in family.guidance:
                continue
            if family.region in ("any", region):
                return family
        return None


class LineRule(_Table):
    id: str
    text: str
    source: str


class CodeTables(_Table):
    codes: CodeTable
    families: FamilyTable
    line_rules: dict[str, LineRule]

    @model_validator(mode="after")
    def _consistent(self) -> CodeTables:
        never = {entry.code for entry in self.codes.never_emitted}
        for family in self.families.families:
            for code in family.emitted_codes():
                if code in never:
                    raise ValueError(f"family {family.id} would emit never-emitted code {code}")
                if code not in self.codes.codes:
                    raise ValueError(f"family {family.id}: code {code} is not in codes.yaml")
        for treatment in self.families.treatments.values():
            if treatment.rule and treatment.rule not in self.line_rules:
                raise ValueError(f"treatment rule {treatment.rule} is not in line_rules.yaml")
        return self

    def label(self, code: str) -> str:
        return self.codes.codes[code].label

    def known_rule_ids(self) -> set[str]:
        return set(self.line_rules) | {family.id for family in self.families.families}


def read_pattern_yaml(*parts: str) -> Any:
    """Read a YAML file shipped in ``extractor.patterns`` (the top-level patterns/ folder)."""
    resource = files("extractor.patterns").joinpath(*parts)
    return yaml.load(resource.read_text(encoding="utf-8"), Loader=_YAML_LOADER)


@lru_cache(maxsize=1)
def code_tables() -> CodeTables:
    rules = read_pattern_yaml("coding", "line_rules.yaml")["rules"]
    return CodeTables(
        codes=CodeTable.model_validate(read_pattern_yaml("coding", "codes.yaml")),
        families=FamilyTable.model_validate(read_pattern_yaml("coding", "families.yaml")),
        line_rules={rule["id"]: LineRule.model_validate(rule) for rule in rules},
    )


def guidance_key(guidance: Guidance | None) -> GuidanceKey:
    return "unknown" if guidance is None else guidance
