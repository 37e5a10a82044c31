"""The note text as the rules read it.

An EHR export's snake_case keys ('sedation_type: none', 'pain_pre: 7/10', 'skin_local:
lidocaine 1%') hold words the rules look for, but ``\\b`` finds no word boundary at an
underscore. The rules read the text with underscores as blanks: the same length, so every
offset found in it is an offset into the note, and evidence is still cut from the note itself.
"""

from __future__ import annotations


def rule_text(text: str) -> str:
    return text.replace("_", " ") if "_" in text else text
