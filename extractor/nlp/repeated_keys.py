"""A key=value note's corrected fields: the last value of a key stands, earlier ones are blanks.

Some clinicians write a note as one or two lines of 'key=value' fields ('proc=dx MBB#1; lvl=L4-5,
L5-S1; sd=L; ...; sd=B; sed=0') and correct a field by writing its key again further on: the later
value is the one meant. Every earlier field of a repeated key becomes blanks (same length, so
offsets stay the note's). Free-text keys ('note=', 'plan=', 'hx=') add to each other and stay, and
so do the fields of a second procedure ('(a) proc=cooled RFA; side=bilat ... (b) proc=IA; side=L').
"""

from __future__ import annotations

import re

_FIELD = re.compile(r"(?m)(?:^|(?<=;[ \t])|(?<=;))[ \t]{0,2}([A-Za-z][A-Za-z/]{0,5})=[^;\n]*")
_FREE_TEXT_KEYS = frozenset(
    {"note", "notes", "plan", "hx", "comp", "why", "sx", "dx", "f/u", "fu", "pt", "dos"}
)
_MIN_FIELDS = 4  # a note written as fields, not one 'HR=60' in prose
# a second procedure's fields are its own, not corrections ('(a) proc=..; side=bilat (b) proc=..; side=L')
_PROCEDURE_FIELD = re.compile(r"(?i)\bproc(?:edure)?[ \t]?=")


def repeated_keys(text: str) -> str:
    """``text`` with every field but the last of each repeated key as blanks (same length)."""
    if text.count("=") < _MIN_FIELDS:
        return text
    fields = list(_FIELD.finditer(text))
    if len(fields) < _MIN_FIELDS:
        return text
    keys = [field.group(1).lower() for field in fields]
    last = {key: index for index, key in enumerate(keys)}
    earlier = [
        field
        for index, (field, key) in enumerate(zip(fields, keys, strict=True))
        if last[key] != index
        and key not in _FREE_TEXT_KEYS
        and not _PROCEDURE_FIELD.search(text, field.end(), fields[last[key]].start())
    ]
    for field in reversed(earlier):
        text = text[: field.start()] + " " * (field.end() - field.start()) + text[field.end() :]
    return text
