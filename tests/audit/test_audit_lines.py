"""The pure audit core on hand-built CodingResults: each finding, its precedence, and no
finding for a claim identical to the supported lines."""

from __future__ import annotations

import pytest

from extractor.audit import audit_lines
from extractor.audit.catalogue import finding_definitions
from extractor.models import Evidence

from .builders import biologic, claim, ev, procedure, result

BILATERAL_2 = {"L4-L5": "bilateral", "L5-S1": "bilateral"}
RIGHT_2 = {"L4-L5": "right", "L5-S1": "right"}


def found(res, text, profile=None) -> list[tuple[str, str | None, str | None]]:
    return [(f.id, f.line and str(f.line), f.suggestion) for f in audit_lines(res, claim(text), profile)]


def ids(res, text) -> list[str]:
    return [f.id for f in audit_lines(res, claim(text))]


def diagnostic_bilateral():
    return result(["64493-50-KX", "64494-50-KX"], [procedure(joints=BILATERAL_2, diagnostic_session=1)])


def diagnostic_right():
    return result(["64493-RT-KX", "64494-RT-KX"], [procedure(joints=RIGHT_2, diagnostic_session=1)])


def thermal_rfa(side_joints, lines, **fields):
    return result(lines, [procedure("rf_ablation_thermal", joints=side_joints, temperature_c=80, **fields)])


# -- identical claims --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "procedures", "payer"),
    [
        (["64493-50-KX", "64494-50-KX"], [procedure(joints=BILATERAL_2)], "medicare"),
        (
            ["64493-50-KX", "64494-LT-KX"],
            [procedure(joints={"L4-L5": "bilateral", "L3-L4": "left"})],
            "medicare",
        ),
        (["64493-50", "64494-LT"], [procedure(joints={"L4-L5": "bilateral", "L3-L4": "left"})], "commercial"),
        (
            ["64493-RT", "64493-LT", "64494-LT"],
            [procedure(joints={"L4-L5": "bilateral", "L3-L4": "left"})],
            "rt_lt",
        ),
        (["64635-50", "64636-50"], [procedure("rf_ablation_thermal", joints=BILATERAL_2)], "medicare"),
        (
            ["64633-LT", "64634-LT x2"],
            [procedure("rf_ablation_thermal", joints={"T5-T6": "left"})],
            "medicare",
        ),
        (["64493-50-KX", "64494-50-KX", "64495-50-KX"], [procedure()], "medicare"),
        (["0216T-50"], [procedure("intra_articular", guidance="ultrasound")], "medicare"),
        (["20552"], [procedure("intra_articular", guidance="none")], "medicare"),
        (["64999"], [procedure("rf_pulsed")], "medicare"),
        (
            ["64490-50-KX", "64493-50-KX"],
            [procedure(joints={"T12-L1": "bilateral", "L1-L2": "bilateral"})],
            "medicare",
        ),
    ],
)
def test_a_claim_identical_to_the_supported_lines_has_no_finding(lines, procedures, payer):
    res = result(lines, procedures, payer=payer)
    assert audit_lines(res, claim(", ".join(lines))) == []


def test_modifier_order_and_non_audited_modifiers_are_not_findings():
    assert ids(diagnostic_bilateral(), "64493-KX-50-GA, 64494-50-KX-GZ") == []


# -- the specific findings -----------------------------------------------------------------------


def test_bilateral_level_as_rt_and_lt_lines():
    assert found(diagnostic_bilateral(), "64493-RT-KX, 64493-LT-KX, 64494-RT-KX, 64494-LT-KX") == [
        ("AUDIT_BILATERAL_AS_TWO_LINES", "64493-RT-KX", "64493-50-KX"),
        ("AUDIT_BILATERAL_AS_TWO_LINES", "64494-RT-KX", "64494-50-KX"),
    ]


def test_bilateral_level_as_primary_one_side_and_addon_other_side():
    res = result(["64493-50-KX"], [procedure()])
    assert found(res, "64493-RT-KX, 64494-LT-KX") == [
        ("AUDIT_BILATERAL_AS_TWO_LINES", "64493-RT-KX", "64493-50-KX")
    ]


def test_bilateral_as_two_lines_also_reports_a_missing_kx():
    assert ids(result(["64493-50-KX"]), "64493-RT, 64493-LT-KX") == [
        "AUDIT_BILATERAL_AS_TWO_LINES",
        "AUDIT_KX_MISUSE",
    ]


def test_rt_lt_profile_wants_two_lines_so_50_is_a_modifier_mismatch():
    res = result(["64493-RT", "64493-LT"], payer="rt_lt")
    assert found(res, "64493-50") == [("AUDIT_MODIFIER_MISMATCH", "64493-50", "64493-RT, 64493-LT")]


def test_50_on_one_sided_levels_folds_the_missing_addon_into_the_suggestion():
    assert found(diagnostic_right(), "64493-50-KX") == [
        ("AUDIT_50_ON_SAME_SIDE_LEVELS", "64493-50-KX", "64493-RT-KX, 64494-RT-KX")
    ]


def test_50_on_each_one_sided_level():
    res = thermal_rfa({"L3-L4": "left", "L4-L5": "left"}, ["64635-LT", "64636-LT"])
    assert found(res, "64635-50, 64636-50") == [
        ("AUDIT_50_ON_SAME_SIDE_LEVELS", "64635-50", "64635-LT"),
        ("AUDIT_50_ON_SAME_SIDE_LEVELS", "64636-50", "64636-LT"),
    ]


def test_50_on_the_one_sided_level_of_a_mixed_session():
    res = result(["64493-50-KX", "64494-RT-KX"], [procedure(joints={"L4-L5": "bilateral", "L5-S1": "right"})])
    assert found(res, "64493-50-KX, 64494-50-KX") == [
        ("AUDIT_50_ON_SAME_SIDE_LEVELS", "64494-50-KX", "64494-RT-KX")
    ]


@pytest.mark.parametrize("code", ["77002", "77003", "77012", "76942", "77021"])
def test_guidance_codes_are_unbundled_not_merely_unsupported(code):
    findings = audit_lines(diagnostic_bilateral(), claim(f"64493-50-KX, 64494-50-KX, {code}"))
    assert [(f.id, str(f.line), f.suggestion) for f in findings] == [
        ("AUDIT_GUIDANCE_UNBUNDLED", code, "Remove the line")
    ]
    assert findings[0].evidence == [ev("fluoroscopy")]


def test_guidance_code_alone_has_its_own_message():
    findings = audit_lines(diagnostic_bilateral(), claim("77003"))
    assert [f.id for f in findings] == [
        "AUDIT_GUIDANCE_UNBUNDLED",
        "AUDIT_CODE_MISSING",
        "AUDIT_CODE_MISSING",
    ]
    assert "never billed on its own" in findings[0].message


def test_thermal_codes_for_pulsed_rf():
    res = result(
        ["64999"],
        [procedure("rf_pulsed", joints=BILATERAL_2, technique="pulsed", temperature_c=42)],
        warnings=["NONTHERMAL_DENERVATION"],
    )
    findings = audit_lines(res, claim("64635-50, 64636-50"))
    assert [(f.id, str(f.line), f.suggestion) for f in findings] == [
        ("AUDIT_RF_CODE_FOR_NONTHERMAL", "64635-50", "64999"),
        ("AUDIT_RF_CODE_FOR_NONTHERMAL", "64636-50", "Remove the line (one 64999 line covers the session)"),
    ]
    assert "pulsed radiofrequency" in findings[0].message


@pytest.mark.parametrize(
    ("kind", "fields", "words"),
    [
        ("cryoneurolysis", {}, "cryoneurolysis"),
        ("chemical_neurolysis", {"technique": "chemical"}, "chemical neurolysis"),
        ("rf_ablation_thermal", {"temperature_c": 60}, "60 °C"),
    ],
)
def test_thermal_codes_for_other_nonthermal_denervation(kind, fields, words):
    res = result(["64999"], [procedure(kind, joints={"L4-L5": "right"}, **fields)])
    findings = audit_lines(res, claim("64635-RT"))
    assert [(f.id, f.suggestion) for f in findings] == [("AUDIT_RF_CODE_FOR_NONTHERMAL", "64999")]
    assert words in findings[0].message


def test_cooled_rf_below_80_is_thermal_so_the_codes_stand():
    res = thermal_rfa({"L4-L5": "right"}, ["64635-RT"], technique="cooled")
    res.procedures[0].temperature_c = 60
    assert ids(res, "64635-RT") == []


@pytest.mark.parametrize(
    ("res", "text", "variant_words"),
    [
        (
            result(["64493-50"], [procedure("intra_articular", intent="therapeutic")]),
            "64493-50-KX",
            "therapeutic",
        ),
        (thermal_rfa({"L4-L5": "bilateral"}, ["64635-50"]), "64635-50-KX", "neurotomy lines"),
        (result(["0216T-50"], [procedure(guidance="ultrasound")]), "0216T-50-KX", "only on 64490-64495"),
        (result(["64493-50"], payer="commercial"), "64493-50-KX", "commercial profile does not use KX"),
        (result(["64493-50-KX"]), "64493-50", "lacks KX"),
    ],
)
def test_kx_misuse(res, text, variant_words):
    findings = audit_lines(res, claim(text))
    assert [(f.id, str(f.line), f.suggestion) for f in findings] == [
        ("AUDIT_KX_MISUSE", text, ", ".join(f"{line.code}-{'-'.join(line.modifiers)}" for line in res.lines))
    ]
    assert variant_words in findings[0].message
    assert findings[0].evidence == [ev("diagnostic")]


def test_kx_on_a_third_diagnostic_session_is_what_the_note_supports():
    res = result(
        ["64493-50-KX"], [procedure(diagnostic_session=3)], warnings=["DIAGNOSTIC_SESSION_BEYOND_SECOND"]
    )
    assert ids(res, "64493-50-KX") == []


NERVES = {"nerves": ["L3 MB", "L4 MB", "L5 DR"], "joints_from_nerves": True}


def test_neurotomy_units_per_nerve_on_the_addon():
    res = thermal_rfa(RIGHT_2, ["64635-RT", "64636-RT"], **NERVES)
    res.lines[0].joints, res.lines[1].joints = ["L4-L5"], ["L5-S1"]
    findings = audit_lines(res, claim("64635-RT, 64636-RT x2"))
    assert [(f.id, str(f.line), f.suggestion) for f in findings] == [
        ("AUDIT_UNITS_PER_NERVE", "64636-RT x2", "64636-RT")
    ]
    assert "3 level unit(s)" in findings[0].message and "2 joint(s) (L4-L5, L5-S1)" in findings[0].message


def test_neurotomy_units_per_nerve_on_the_primary_folds_in_the_missing_addon():
    res = thermal_rfa(RIGHT_2, ["64635-RT", "64636-RT"], **NERVES)
    assert found(res, "64635-RT x3") == [("AUDIT_UNITS_PER_NERVE", "64635-RT x3", "64635-RT, 64636-RT")]


def test_neurotomy_single_joint_two_medial_branches_billed_twice():
    res = thermal_rfa({"L4-L5": "left"}, ["64635-LT"], nerves=["L3 MB", "L4 MB"], joints_from_nerves=True)
    assert found(res, "64635-LT x2") == [("AUDIT_UNITS_PER_NERVE", "64635-LT x2", "64635-LT")]


def test_injection_levels_per_nerve_when_the_note_names_nerves():
    res = result(["64493-50-KX", "64494-50-KX"], [procedure(joints=BILATERAL_2, **NERVES)])
    assert found(res, "64493-50-KX, 64494-50-KX, 64495-50-KX") == [
        ("AUDIT_UNITS_PER_NERVE", "64495-50-KX", "Remove the line")
    ]


def test_an_extra_level_without_named_nerves_is_not_supported_rather_than_per_nerve():
    assert found(diagnostic_bilateral(), "64493-50-KX, 64494-50-KX, 64495-50-KX") == [
        ("AUDIT_CODE_NOT_SUPPORTED", "64495-50-KX", "Remove the line")
    ]


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("99152", "moderate sedation"),
        ("99153", "moderate sedation"),
        ("01937", "anesthesia"),
        ("01940", "anesthesia"),
        ("00300", "anesthesia"),
        ("99100", "qualifying circumstance"),
    ],
)
def test_anesthesia_and_sedation_codes(code, label):
    res = diagnostic_bilateral()
    res.sedation, res.sedation_evidence = "moderate", [ev("IV midazolam 2 mg")]
    findings = audit_lines(res, claim(f"64493-50-KX, 64494-50-KX, {code}"))
    assert [(f.id, str(f.line), f.suggestion) for f in findings] == [
        ("AUDIT_ANESTHESIA_BILLED", code, "Remove the line")
    ]
    assert label in findings[0].message and "moderate sedation" in findings[0].message
    assert findings[0].evidence == [ev("IV midazolam 2 mg")]


def test_category_i_codes_for_an_ultrasound_session():
    res = result(
        ["0216T-50", "0217T-50"], [procedure("intra_articular", joints=BILATERAL_2, guidance="ultrasound")]
    )
    findings = audit_lines(res, claim("64493-50-KX, 64494-50-KX"))
    assert [(f.id, str(f.line), f.suggestion) for f in findings] == [
        ("AUDIT_CATEGORY_I_WITH_ULTRASOUND", "64493-50-KX", "0216T-50"),
        ("AUDIT_CATEGORY_I_WITH_ULTRASOUND", "64494-50-KX", "0217T-50"),
    ]


def test_category_i_with_ultrasound_known_from_the_facts_alone():
    res = result([], [procedure("intra_articular", guidance="ultrasound", joints={"C5-C6": "left"})])
    assert found(res, "64490-LT") == [("AUDIT_CATEGORY_I_WITH_ULTRASOUND", "64490-LT", "0213T-LT")]


@pytest.mark.parametrize("text", ["64493-50", "64493-50-GA, 64494-50"])
def test_biologic_session_sent_as_routine(text):
    res = result(
        ["64493-50", "64494-50"], [procedure("intra_articular", intent="therapeutic")], agents=[biologic()]
    )
    findings = audit_lines(res, claim(text))
    biologic_findings = [f for f in findings if f.id == "AUDIT_BIOLOGIC"]
    assert len(biologic_findings) == 1
    assert biologic_findings[0].line is None and biologic_findings[0].evidence == [ev("PRP")]
    assert findings[0].id == "AUDIT_BIOLOGIC"


@pytest.mark.parametrize("text", ["64493-50-GA, 64494-50-GA", "64493-50-GZ, 64494-50-GZ"])
def test_biologic_session_marked_noncovered_is_not_sent_as_routine(text):
    res = result(
        ["64493-50", "64494-50"], [procedure("intra_articular", intent="therapeutic")], agents=[biologic()]
    )
    assert ids(res, text) == []


def test_biologic_known_from_the_coding_warning_alone():
    res = result(["64493-50"], warnings=["BIOLOGIC_INJECTATE"])
    assert ids(res, "64493-50") == ["AUDIT_BIOLOGIC"]


def test_addon_alone_matches_but_needs_its_primary():
    assert found(diagnostic_bilateral(), "64494-50-KX") == [
        ("AUDIT_ADDON_WITHOUT_PRIMARY", "64494-50-KX", "Add 64493-50-KX")
    ]


def test_addon_of_another_family_is_replaced_not_also_unsupported():
    assert found(diagnostic_bilateral(), "64493-50-KX, 64491-50-KX") == [
        ("AUDIT_ADDON_WITHOUT_PRIMARY", "64491-50-KX", "Replace with 64494-50-KX")
    ]


def test_third_level_addon_without_the_second():
    assert found(diagnostic_bilateral(), "64493-50-KX, 64495-50-KX") == [
        ("AUDIT_ADDON_WITHOUT_PRIMARY", "64495-50-KX", "Replace with 64494-50-KX")
    ]


def test_addon_alone_for_a_one_level_note():
    assert found(result(["64493-50-KX"]), "64494-50-KX") == [
        ("AUDIT_ADDON_WITHOUT_PRIMARY", "64494-50-KX", "Replace with 64493-50-KX")
    ]


def test_t12_l1_exception_satisfies_the_lumbar_addon():
    res = result(
        ["64490-50-KX", "64494-50-KX"], [procedure(joints={"T12-L1": "bilateral", "L1-L2": "bilateral"})]
    )
    assert ids(res, "64490-50-KX, 64494-50-KX") == []


# -- the generic findings ----------------------------------------------------------------------------


def test_wrong_region_is_unsupported_with_a_replacement():
    assert found(diagnostic_bilateral(), "64490-50-KX, 64491-50-KX") == [
        ("AUDIT_CODE_NOT_SUPPORTED", "64490-50-KX", "Replace with 64493-50-KX"),
        ("AUDIT_CODE_NOT_SUPPORTED", "64491-50-KX", "Replace with 64494-50-KX"),
    ]


def test_facet_codes_for_a_note_without_imaging():
    res = result(["20552"], [procedure("intra_articular", guidance="none")])
    assert found(res, "64493-50, 64494-50") == [
        ("AUDIT_CODE_NOT_SUPPORTED", "64493-50", "Replace with 20552"),
        ("AUDIT_CODE_NOT_SUPPORTED", "64494-50", "Remove the line"),
    ]


def test_claim_for_a_note_with_no_facet_procedure():
    res = result([], [], warnings=["NO_FACET_PROCEDURE"])
    findings = audit_lines(res, claim("64493-50"))
    assert [(f.id, f.suggestion) for f in findings] == [("AUDIT_CODE_NOT_SUPPORTED", "Remove the line")]
    assert "no facet procedure line" in findings[0].message


def test_duplicate_line():
    findings = audit_lines(result(["64493-50-KX"]), claim("64493-50-KX, 64493-50-KX"))
    assert [(f.id, str(f.line)) for f in findings] == [("AUDIT_CODE_NOT_SUPPORTED", "64493-50-KX")]
    assert "repeats a line" in findings[0].message


def test_missing_line_is_a_warning_with_no_submitted_line():
    findings = audit_lines(diagnostic_bilateral(), claim("64493-50-KX"))
    assert [(f.id, f.severity, f.line, f.suggestion) for f in findings] == [
        ("AUDIT_CODE_MISSING", "warning", None, "Add 64494-50-KX")
    ]
    assert findings[0].evidence == [ev("L4-5")]


def test_missing_side_of_a_bilateral_level_is_a_modifier_mismatch():
    assert found(result(["64493-50-KX"]), "64493-RT-KX") == [
        ("AUDIT_MODIFIER_MISMATCH", "64493-RT-KX", "64493-50-KX")
    ]


def test_wrong_side_is_a_modifier_mismatch():
    assert found(diagnostic_right(), "64493-LT-KX, 64494-LT-KX") == [
        ("AUDIT_MODIFIER_MISMATCH", "64493-LT-KX", "64493-RT-KX"),
        ("AUDIT_MODIFIER_MISMATCH", "64494-LT-KX", "64494-RT-KX"),
    ]


def test_no_laterality_on_a_bilateral_line_is_a_modifier_mismatch_only():
    findings = audit_lines(result(["64493-50-KX"]), claim("64493-KX"))
    assert [f.id for f in findings] == ["AUDIT_MODIFIER_MISMATCH"]
    assert (
        "64493-KX has no laterality modifier; the note and the medicare profile support modifier 50"
        in findings[0].message
    )


@pytest.mark.parametrize(
    ("lines", "text", "rule_words"),
    [
        (
            ["64493-50-KX", "64494-50-KX", "64495-50-KX"],
            "64493-50-KX, 64494-50-KX, 64495-50-KX x2",
            "1 unit however",
        ),
        (["64633-LT", "64634-LT x2"], "64633-LT, 64634-LT", "one unit per additional joint (2 here)"),
        (["64493-50-KX"], "64493-50-KX x2", "modifier 50 and 1 unit(s)"),
        (["64493-50 x2"], "64493-50", "modifier 50 and 2 unit(s)"),
        (["64493-RT-KX"], "64493-RT-KX x2", "one unit per line"),
    ],
)
def test_units_mismatch(lines, text, rule_words):
    findings = audit_lines(result(lines), claim(text))
    assert [f.id for f in findings] == ["AUDIT_UNITS_MISMATCH"]
    assert rule_words in findings[0].message


# -- contract ----------------------------------------------------------------------------------------


def test_every_finding_id_of_the_issue_is_defined_with_a_severity_and_source():
    assert set(finding_definitions()) == {
        "AUDIT_BILATERAL_AS_TWO_LINES",
        "AUDIT_50_ON_SAME_SIDE_LEVELS",
        "AUDIT_GUIDANCE_UNBUNDLED",
        "AUDIT_RF_CODE_FOR_NONTHERMAL",
        "AUDIT_KX_MISUSE",
        "AUDIT_UNITS_PER_NERVE",
        "AUDIT_ANESTHESIA_BILLED",
        "AUDIT_CATEGORY_I_WITH_ULTRASOUND",
        "AUDIT_BIOLOGIC",
        "AUDIT_ADDON_WITHOUT_PRIMARY",
        "AUDIT_CODE_NOT_SUPPORTED",
        "AUDIT_CODE_MISSING",
        "AUDIT_UNITS_MISMATCH",
        "AUDIT_MODIFIER_MISMATCH",
    }
    for definition in finding_definitions().values():
        assert definition.severity in {"error", "warning", "info"} and definition.source
        assert "default" in definition.messages or definition.id == "AUDIT_KX_MISUSE"


def test_findings_are_ordered_by_severity_then_claim_position_and_are_deterministic():
    res = diagnostic_bilateral()
    res.agents = [biologic()]
    text = "77003, 64493-RT-KX, 64493-LT-KX"
    first = audit_lines(res, claim(text))
    assert [(f.id, f.line and str(f.line)) for f in first] == [
        ("AUDIT_BIOLOGIC", None),
        ("AUDIT_GUIDANCE_UNBUNDLED", "77003"),
        ("AUDIT_BILATERAL_AS_TWO_LINES", "64493-RT-KX"),
        ("AUDIT_CODE_MISSING", None),
    ]
    assert audit_lines(res, claim(text)) == first


def test_profile_name_comes_from_the_profile_object_or_the_result():
    class Profile:
        name = "my_plan"

    findings = audit_lines(diagnostic_bilateral(), claim("64493-RT-KX, 64493-LT-KX, 64494-50-KX"), Profile())
    assert "the my_plan profile" in findings[0].message
    findings = audit_lines(diagnostic_bilateral(), claim("64493-RT-KX, 64493-LT-KX, 64494-50-KX"))
    assert "the medicare profile" in findings[0].message


def test_evidence_is_note_spans_in_note_order():
    res = result(["64493-50-KX"])
    res.sedation, res.sedation_evidence = "moderate", [ev("IV midazolam 2 mg"), ev("MBB"), ev("MBB")]
    (finding,) = audit_lines(res, claim("64493-50-KX, 99152"))
    assert finding.evidence == [ev("MBB"), ev("IV midazolam 2 mg")]
    assert all(isinstance(e, Evidence) for e in finding.evidence)
