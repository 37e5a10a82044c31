"""Table-driven coding tests: every JSON case under tests/coding/cases/ (facts -> lines, warnings)."""

from __future__ import annotations

import pytest

from extractor.coding import code_facts

from .case_loader import Case, all_cases

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_lines_and_warnings(case: Case) -> None:
    lines, warnings = code_facts(case.facts, case.profile)
    assert [(line.code, tuple(line.modifiers), line.units) for line in lines] == case.lines
    assert sorted({warning.id for warning in warnings}) == case.warnings
    severities = {warning.id: warning.severity for warning in warnings}
    for warning_id, severity in case.severities.items():
        assert severities[warning_id] == severity


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
