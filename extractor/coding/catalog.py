"""The warning catalog (patterns/coding/warnings.yaml): ids, severities, message templates, sources."""

from __future__ import annotations

from functools import lru_cache
from string import Formatter
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..models import Severity
from .tables import read_pattern_yaml

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


class WarningSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    severity: Severity
    message: str
    source: str
    lcd_check: bool = False

    def placeholders(self) -> set[str]:
        return {field for _, field, _, _ in Formatter().parse(self.message) if field}

    def render(self, params: dict[str, Any]) -> str:
        """Fill the template; a placeholder the check did not provide stays visible as ``{name}``."""
        return self.message.format_map(_KeepMissing(params))


class _KeepMissing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@lru_cache(maxsize=1)
def warning_catalog() -> dict[str, WarningSpec]:
    specs = [
        WarningSpec.model_validate(item) for item in read_pattern_yaml("coding", "warnings.yaml")["warnings"]
    ]
    catalog = {spec.id: spec for spec in specs}
    if len(catalog) != len(specs):
        raise ValueError("warnings.yaml: duplicate warning id")
    return catalog
