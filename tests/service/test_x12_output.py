"""837P SV1 segments: HC qualifier, up to four modifiers, UN, quantity."""

from __future__ import annotations

import pytest

from extractor.models import ClaimLine, CodingResult
from extractor.render.x12_output import X12RenderError, render_x12


@pytest.mark.parametrize(
    ("line", "segment"),
    [
        (ClaimLine(code="64493", modifiers=["50", "KX"]), "SV1*HC:64493:50:KX*0*UN*1***1~"),
        (ClaimLine(code="64495"), "SV1*HC:64495*0*UN*1***1~"),
        (ClaimLine(code="64636", modifiers=["RT"], units=3), "SV1*HC:64636:RT*0*UN*3***1~"),
        (ClaimLine(code="0213T", modifiers=["LT"]), "SV1*HC:0213T:LT*0*UN*1***1~"),
        (ClaimLine(code="64490", modifiers=["RT", "KX", "GA", "59"]), "SV1*HC:64490:RT:KX:GA:59*0*UN*1***1~"),
    ],
)
def test_one_segment_per_line(line, segment):
    assert render_x12(CodingResult(lines=[line])) == segment


def test_lines_keep_their_order_one_per_row():
    result = CodingResult(
        lines=[ClaimLine(code="64493", modifiers=["RT"]), ClaimLine(code="64494", modifiers=["RT"])]
    )
    assert render_x12(result).splitlines() == ["SV1*HC:64493:RT*0*UN*1***1~", "SV1*HC:64494:RT*0*UN*1***1~"]


def test_no_lines_no_segments():
    assert render_x12(CodingResult()) == ""


def test_diagnosis_pointers():
    result = CodingResult(lines=[ClaimLine(code="64493")])
    assert render_x12(result, diagnosis_pointer="1:2") == "SV1*HC:64493*0*UN*1***1:2~"
    with pytest.raises(X12RenderError):
        render_x12(result, diagnosis_pointer="1*2")


@pytest.mark.parametrize(
    "line",
    [
        ClaimLine(code="64493", modifiers=["50", "KX", "GA", "59", "XS"]),
        ClaimLine(code="64493", modifiers=["K*"]),
        ClaimLine(code="64493~"),
        ClaimLine(code="64493", modifiers=["RT:"]),
    ],
)
def test_lines_that_would_break_the_segment_are_refused(line):
    with pytest.raises(X12RenderError):
        render_x12(CodingResult(lines=[line]))
