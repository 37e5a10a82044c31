"""A structured record pasted into the note as raw JSON, read as 'label: value' text.

An EHR feed may store the procedure as JSON ('"sedation_given": false', '"pain": {"pre": 6,
"post": 2}', '"laterality": "bilateral"'). The quotes keep a label from its colon and the
booleans say nothing the rules know, so in a note that holds a JSON object the double quotes read
as blanks and a field's true / false / null as 'yes' / 'no' / nothing, in the same width (the
underscores of its keys are blanks already).
"""

from __future__ import annotations

import re

_OBJECT = re.compile(r'\{\s*"[A-Za-z_][A-Za-z0-9_ ]{0,40}"\s*:')
_LITERAL = re.compile(r"(?<=:)([ \t]{0,3})(true|false|null)\b")
_READ = {"true": "yes ", "false": "no   ", "null": "    "}


def json_fields(text: str) -> str:
    """``text`` with a JSON record's quotes as blanks and its literals as words (same length)."""
    if '":' not in text or _OBJECT.search(text) is None:
        return text
    text = text.replace('":', ": ").replace('"', " ")  # ('"block_number": 1' as ' block number:  1')
    return _LITERAL.sub(lambda m: m.group(1) + _READ[m.group(2)], text)
