"""render_text: the claim lines as an aligned table, then warnings by severity with quoted evidence."""

from __future__ import annotations

from extractor.models import ClaimLine, CodingResult, CodingWarning, Evidence
from extractor.render.text_output import render_text


def result() -> CodingResult:
    return CodingResult(
        payer="medicare",
        lines=[
            ClaimLine(
                code="64493",
                modifiers=["50", "KX"],
                units=1,
                label="Facet inj lumb/sac, 1st level",
                joints=["L4-L5"],
            ),
            ClaimLine(
                code="64636",
                modifiers=["LT"],
                units=12,
                label="RF neurotomy add-on",
                joints=["L3-L4", "L5-S1"],
            ),
        ],
        warnings=[
            CodingWarning(
                id="JOINTS_INFERRED_FROM_NERVES",
                severity="info",
                message="Check the mapping.",
                evidence=[Evidence(start=0, end=9, text="L3 and L4")],
                source="A58350",
            ),
            CodingWarning(
                id="SEDATION_NOT_BILLABLE",
                severity="warning",
                message="Sedation documented.",
                evidence=[Evidence(start=20, end=40, text="IV   midazolam\n2 mg")],
                source="NGS-SED",
            ),
            CodingWarning(
                id="MISSING_LATERALITY",
                severity="error",
                message="Ask for the side. " * 12,
                evidence=[Evidence(start=50, end=300, text="x" * 250)],
                source="AAPC-RAC",
            ),
        ],
    )


def test_lines_are_an_aligned_table() -> None:
    text = render_text(result())
    lines = text.splitlines()
    assert lines[0] == "Facet coding (payer: medicare)"
    header = next(line for line in lines if line.strip().startswith("Code"))
    first = next(line for line in lines if "64493" in line)
    second = next(line for line in lines if "64636" in line)
    for column in ("Modifiers", "Joints", "Label"):
        position = header.index(column)
        assert first[position - 1] == " " and second[position - 1] == " "
    assert header.index("Modifiers") == first.index("50-KX") == second.index("LT")
    assert header.index("Joints") == first.index("L4-L5") == second.index("L3-L4, L5-S1")
    assert first.index("Facet inj") == second.index("RF neurotomy") == header.index("Label")
    units_end = header.index("Units") + len("Units")
    assert first[units_end - 1] == "1" and second[units_end - 2 : units_end] == "12"


def test_warnings_grouped_errors_first_with_quoted_evidence() -> None:
    text = render_text(result())
    assert text.index("ERRORS (1)") < text.index("WARNINGS (1)") < text.index("INFO (1)")
    assert (
        text.index("MISSING_LATERALITY")
        < text.index("SEDATION_NOT_BILLABLE")
        < text.index("JOINTS_INFERRED_FROM_NERVES")
    )
    assert 'Evidence: "IV midazolam 2 mg"' in text
    assert 'Evidence: "L3 and L4"' in text
    assert "Source: NGS-SED" in text
    assert "Sedation documented." in text


def test_long_messages_wrap_and_long_evidence_is_cut() -> None:
    text = render_text(result())
    message_lines = [line for line in text.splitlines() if "Ask for the side." in line]
    assert len(message_lines) > 1 and all(len(line) <= 100 for line in message_lines)
    assert max(len(line) for line in text.splitlines()) <= 120
    assert '"' + "x" * 99 + "…" + '"' in text


def test_empty_result() -> None:
    text = render_text(CodingResult(payer="rt_lt"))
    assert text.startswith("Facet coding (payer: rt_lt)")
    assert "No claim lines." in text and "No warnings." in text
    assert "ERRORS" not in text
