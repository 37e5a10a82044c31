"""The claim lines as 837P (005010X222A1) ``SV1`` professional-service segments, one per line.

``SV1*HC:<code>:<mod1>:<mod2>:<mod3>:<mod4>*<charge>*UN*<units>***<dx pointer>~``: procedure
qualifier HC (CPT/HCPCS), up to four modifiers, unit basis UN, quantity. The note holds no
charge or diagnosis, so SV102 is 0 (the billing system prices the line) and SV107 points at the
first HI diagnosis unless the caller names others; the billing system builds loop 2400 around
these segments.
"""

from __future__ import annotations

import re

from ..errors import FacetCoderError
from ..models import ClaimLine, CodingResult

MAX_MODIFIERS = 4
_CODE = re.compile(r"^[A-Z0-9]{5}$")
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")


class X12RenderError(FacetCoderError):
    """A line that cannot be written as an SV1 segment without losing or corrupting data."""

    code = "X12_RENDER_ERROR"
    exit_code = 11


def sv1_segment(line: ClaimLine, diagnosis_pointer: str = "1") -> str:
    if not _CODE.match(line.code):
        raise X12RenderError(f"Code {line.code!r} is not a 5-character CPT/HCPCS code.")
    if len(line.modifiers) > MAX_MODIFIERS:
        raise X12RenderError(
            f"Line {line.code} has {len(line.modifiers)} modifiers; "
            f"an SV1 segment holds at most {MAX_MODIFIERS}."
        )
    for modifier in line.modifiers:
        if not _MODIFIER.match(modifier):
            raise X12RenderError(f"Modifier {modifier!r} of line {line.code} is not a 2-character modifier.")
    procedure = ":".join(["HC", line.code, *line.modifiers])
    return f"SV1*{procedure}*0*UN*{line.units}***{diagnosis_pointer}~"


def render_x12(result: CodingResult, diagnosis_pointer: str = "1") -> str:
    """One SV1 segment per claim line, in claim order, newline-separated (empty when no lines)."""
    if not re.fullmatch(r"[1-9][0-9]?(:[1-9][0-9]?){0,3}", diagnosis_pointer):
        raise X12RenderError(
            f"Diagnosis pointer {diagnosis_pointer!r} must be 1-4 pointers such as 1 or 1:2."
        )
    return "\n".join(sv1_segment(line, diagnosis_pointer=diagnosis_pointer) for line in result.lines)
