"""Turn check hits into ``CodingWarning``s under a profile: enabled ids, severities, messages, order."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import CodingWarning, NoteFacts
from .catalog import SEVERITY_ORDER, warning_catalog
from .checks import Hit
from .evidence import evidence_union
from .profiles import Profile

NO_FACET_PROCEDURE = "NO_FACET_PROCEDURE"


def to_warnings(hits: Iterable[Hit], profile: Profile) -> list[CodingWarning]:
    """Warnings the profile runs, de-duplicated, errors first, then by id and note position."""
    catalog = warning_catalog()
    unique: dict[tuple[object, ...], CodingWarning] = {}
    for hit in hits:
        if not profile.runs(hit.id):
            continue
        spec = catalog[hit.id]
        warning = CodingWarning(
            id=hit.id,
            severity=profile.severity(hit.id),
            message=spec.render(hit.params),
            evidence=evidence_union(hit.evidence),
            source=spec.source,
        )
        key = (warning.id, warning.message, tuple((e.start, e.end) for e in warning.evidence))
        unique.setdefault(key, warning)
    return sorted(unique.values(), key=warning_sort_key)


def warning_sort_key(warning: CodingWarning) -> tuple[object, ...]:
    first = warning.evidence[0].start if warning.evidence else -1
    return (SEVERITY_ORDER[warning.severity], warning.id, first, warning.message)


def no_facet_hit(facts: NoteFacts) -> Hit:
    """NO_FACET_PROCEDURE naming what was found: other procedures today, then other findings."""
    others = [p for p in facts.procedures if p.kind == "other"]
    found = [p.description or "a non-facet procedure" for p in others] + list(facts.other_findings)
    names = "; ".join(dict.fromkeys(found)) or "no procedure identified"
    return Hit(NO_FACET_PROCEDURE, evidence_union(*(p.evidence for p in others)), {"found": names})
