"""A note version marked entered in error, kept above its replacement: the void text as blanks.

An EHR that voids a note keeps its text under a banner ('*** THIS NOTE HAS BEEN MARKED ENTERED IN
ERROR ***', '>>> ENTERED IN ERROR - 08/05/2025 <<<') and puts the replacement after it ('REPLACEMENT
NOTE - PROCEDURE - DOS 04/02/2025'), or closes the void text with a marker ('[END ENTERED IN
ERROR]', '>>> END OF ENTERED-IN-ERROR TEXT <<<'). The void text names another side, other levels,
a sedation and scores that were never today's; read as written they compete with the replacement.
From the banner's line to the end marker's line (or to the replacement's first line) becomes
blanks. Only a banner in capitals with such an end counts: 'Level(s) field above entered in
error' is a correction in running text, read by the rules. The text keeps its length.
"""

from __future__ import annotations

import re

from .blanks import as_blanks

_BANNER = re.compile(r"(?m)^[^\n]*\bENTERED[- ]IN[- ]ERROR\b[^\n]*$")
# the void text's own end marker, or the first line of its replacement
_END_MARKER = re.compile(r"(?m)^[^\n]*\bEND\b[^\n]{0,20}\bENTERED[- ]IN[- ]ERROR\b[^\n]*$")
_REPLACEMENT = re.compile(r"(?m)^[ \t]*(?:REPLACEMENT|CORRECTED)[ \t]+(?:NOTE|VERSION|DOCUMENTATION)\b")


def voided_text(text: str) -> str:
    """``text`` with a version marked entered in error blanked (same length)."""
    if "ENTERED" not in text:
        return text
    banner = _BANNER.search(text)
    if banner is None:
        return text
    end_marker = _END_MARKER.search(text, banner.end())
    if end_marker is not None:
        stop = end_marker.end()
    elif (replacement := _REPLACEMENT.search(text, banner.end())) is not None:
        stop = replacement.start()
    else:
        return text
    start = banner.start()
    return text[:start] + as_blanks(text[start:stop]) + text[stop:]
