"""The code tables and warning catalog are consistent data, and every rule they name is used."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from extractor.coding import code_facts
from extractor.coding.catalog import warning_catalog
from extractor.coding.tables import CodeTables, code_tables

from .case_loader import all_cases

ISSUE_WARNING_IDS = {
    "MISSING_LEVEL": "error",
    "MISSING_LATERALITY": "error",
    "MISSING_GUIDANCE": "warning",
    "NO_IMAGING_GUIDANCE": "error",
    "ULTRASOUND_GUIDANCE": "warning",
    "MISSING_NEEDLE_CONFIRMATION": "warning",
    "MISSING_INJECTATE": "warning",
    "BIOLOGIC_INJECTATE": "error",
    "MISSING_INTENT": "warning",
    "MISSING_PAIN_SCORES": "warning",
    "RESPONSE_BELOW_THRESHOLD": "warning",
    "SEDATION_NOT_BILLABLE": "warning",
    "DIAGNOSTIC_SESSION_UNKNOWN": "warning",
    "DIAGNOSTIC_SESSION_BEYOND_SECOND": "warning",
    "LEVELS_EXCEED_LCD_LIMIT": "warning",
    "NONTHERMAL_DENERVATION": "warning",
    "COOLED_RF": "info",
    "RF_TEMPERATURE_MISSING": "warning",
    "JOINTS_INFERRED_FROM_NERVES": "info",
    "LEVEL_DISCREPANCY": "warning",
    "PROCEDURE_INCOMPLETE": "warning",
    "NO_FACET_PROCEDURE": "warning",
    "THERAPEUTIC_WITHOUT_RFA_RATIONALE": "warning",
}
RESULTS = [(case, *code_facts(case.facts, case.profile)) for case in all_cases()]


def test_catalog_has_the_23_ids_with_the_default_severities_of_the_rules() -> None:
    catalog = warning_catalog()
    assert {wid: spec.severity for wid, spec in catalog.items()} == ISSUE_WARNING_IDS
    assert all(spec.source and spec.message for spec in catalog.values())


def test_every_warning_id_is_raised_by_some_case() -> None:
    raised = {warning.id for _, _, warnings in RESULTS for warning in warnings}
    assert raised == set(ISSUE_WARNING_IDS)


def test_messages_have_every_placeholder_filled() -> None:
    for case, _, warnings in RESULTS:
        for warning in warnings:
            assert "{" not in warning.message and "}" not in warning.message, (case.id, warning.message)


def test_every_line_names_known_rules_and_every_rule_is_exercised() -> None:
    tables = code_tables()
    used = {rule for _, lines, _ in RESULTS for line in lines for rule in line.rules}
    assert used <= tables.known_rule_ids()
    assert used == tables.known_rule_ids()


def test_every_line_names_its_family_first() -> None:
    families = {family.id for family in code_tables().families.families}
    for case, lines, _ in RESULTS:
        for line in lines:
            assert line.rules[0] in families, case.id


def test_emitted_codes_are_in_the_table_and_never_forbidden() -> None:
    tables = code_tables()
    never = {entry.code for entry in tables.codes.never_emitted}
    assert {"77002", "77003", "77012", "99152", "99153", "01937", "01938"} <= never
    for case, lines, _ in RESULTS:
        for line in lines:
            assert line.code in tables.codes.codes and line.code not in never, case.id
            assert line.label == tables.label(line.code)


def test_kx_only_on_fluoroscopic_injection_codes() -> None:
    kx_codes = {code for code, entry in code_tables().codes.codes.items() if entry.takes_kx}
    assert kx_codes == {"64490", "64491", "64492", "64493", "64494", "64495"}
    for _, lines, _ in RESULTS:
        for line in lines:
            assert "KX" not in line.modifiers or line.code in kx_codes


def test_substitute_codes_never_carry_modifiers() -> None:
    for _, lines, _ in RESULTS:
        for line in lines:
            if line.code in {"20552", "20553", "64999"}:
                assert line.modifiers == [] and line.units == 1


def test_modifier_order_is_50_then_side_then_kx() -> None:
    rank = {"50": 0, "RT": 1, "LT": 1, "KX": 2}
    for _, lines, _ in RESULTS:
        for line in lines:
            ranks = [rank[m] for m in line.modifiers]
            assert ranks == sorted(ranks) and len(set(line.modifiers)) == len(line.modifiers)


def test_labels_are_short_own_wording() -> None:
    for code, entry in code_tables().codes.codes.items():
        assert 5 < len(entry.label) <= 45, code


def test_a_family_emitting_a_forbidden_code_is_refused() -> None:
    tables = code_tables()
    data = tables.model_dump()
    data["families"]["families"][0]["primary"] = "77003"
    with pytest.raises(ValidationError, match="never-emitted code 77003"):
        CodeTables.model_validate(data)


def test_a_family_with_an_unknown_code_is_refused() -> None:
    data = code_tables().model_dump()
    data["families"]["families"][0]["second"] = "64480"
    with pytest.raises(ValidationError, match="64480 is not in codes.yaml"):
        CodeTables.model_validate(data)
