"""Loads the audit's rule data from ``patterns/audit`` (shipped as ``extractor.patterns``).

``codes.json`` holds what the audit must know about codes the coding engine never emits
(guidance, anesthesia) and how codes relate (family, region, add-on requirements);
``findings.json`` holds each finding's severity, source and message templates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..models import Severity


@dataclass(frozen=True)
class CodeInfo:
    family: str
    region: str | None
    rank: str


@dataclass(frozen=True)
class FindingDefinition:
    id: str
    severity: Severity
    source: str
    messages: dict[str, str]

    def message(self, variant: str = "default", **fields: Any) -> str:
        try:
            template = self.messages[variant]
        except KeyError:
            raise KeyError(
                f"{self.id} has no message variant {variant!r}; known: {', '.join(sorted(self.messages))}"
            ) from None
        return template.format(**fields)


def _load(name: str) -> dict[str, Any]:
    path = resources.files("extractor.patterns").joinpath("audit", name)
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def code_data() -> dict[str, Any]:
    return _load("codes.json")


@cache
def finding_definitions() -> dict[str, FindingDefinition]:
    definitions = {}
    for entry in _load("findings.json")["findings"]:
        definitions[entry["id"]] = FindingDefinition(
            id=entry["id"], severity=entry["severity"], source=entry["source"], messages=entry["messages"]
        )
    return definitions


def code_info(code: str) -> CodeInfo | None:
    entry = code_data()["families"].get(code)
    return CodeInfo(entry["family"], entry["region"], entry["rank"]) if entry else None


def replacement_kind(code: str) -> str | None:
    info = code_info(code)
    return code_data()["replacement_kind"].get(info.family) if info else None


def addon_requirements(code: str) -> list[list[str]]:
    return code_data()["addon_requires"].get(code, [])


def ultrasound_equivalent(code: str) -> str | None:
    return code_data()["ultrasound_equivalent"].get(code)


def guidance_label(code: str) -> str | None:
    return code_data()["guidance_codes"].get(code)


def anesthesia_label(code: str) -> str | None:
    if not code.isdigit():
        return None
    for span in code_data()["anesthesia_code_ranges"]:
        if span["first"] <= code <= span["last"]:
            return span["label"]
    return None


def audited_modifiers() -> frozenset[str]:
    return frozenset(code_data()["audited_modifiers"])


def noncovered_modifiers() -> frozenset[str]:
    return frozenset(code_data()["noncovered_modifiers"])


def order_modifiers(modifiers: list[str]) -> list[str]:
    """50, then RT/LT, then GA/GZ, then others, KX last (coding rules 11); stable otherwise."""
    rank = code_data()["modifier_order"]
    return sorted(dict.fromkeys(modifiers), key=lambda modifier: rank.get(modifier, 5))
