"""Markdown kept as source in a note: the marks as blanks, the words as written.

An EHR that stores its notes as raw Markdown ('**Sedation:** Declined', '## Procedure',
'> Note: right L1-L2 omitted', '`0.5% Sensorcaine`') hides a field label from the rules that want
it at the start of a line or right before its colon. Emphasis marks, inline-code ticks, heading
marks and block-quote marks become blanks: the same length, so offsets stay the note's. Pipes
(tables) and checkboxes ('- [x]', '- [ ]') are left as they are: other readers know them.
"""

from __future__ import annotations

import re

# '**Side:**', '`bupivacaine`'; a heading's or a block quote's mark at a line start, before a word
# (not '> 50% relief')
_MARKS = re.compile(r"(?m)\*\*|`|^[ \t]{0,3}(?:#{1,6}|>)(?=[ \t][A-Za-z])")


def markdown_marks(text: str) -> str:
    """``text`` with Markdown's marks as blanks (same length)."""
    if "**" not in text and "`" not in text and "#" not in text and ">" not in text:
        return text
    return _MARKS.sub(lambda match: " " * len(match.group(0)), text)
