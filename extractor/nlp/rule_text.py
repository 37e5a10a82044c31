"""The note text as the rules read it.

An EHR export's snake_case keys ('sedation_type: none', 'pain_pre: 7/10', 'skin_local:
lidocaine 1%') hold words the rules look for, but ``\\b`` finds no word boundary at an
underscore; a dictation service that types the punctuation it hears ('she came in at an
eight comma') hides the comma a rule looks for. The rules read the text with underscores as
blanks, a spoken ' comma' as ',' and a spoken ' period.' as '.', each padded with blanks:
the same length, so every offset found in it is an offset into the note, and evidence is
still cut from the note itself.
"""

from __future__ import annotations

import re

_SPOKEN_COMMA = re.compile(r"(?<=\w) comma\b(?=[ \t])")
_SPOKEN_PERIOD = re.compile(r"(?<=\w) period(?=\.)")
_COMMA_AND_BLANKS = ",     "
_STOP_AND_BLANKS = ".      "


def rule_text(text: str) -> str:
    if "_" in text:
        text = text.replace("_", " ")
    if " comma" in text:
        text = _SPOKEN_COMMA.sub(_COMMA_AND_BLANKS, text)
    if " period." in text:
        text = _SPOKEN_PERIOD.sub(_STOP_AND_BLANKS, text)
    return text
