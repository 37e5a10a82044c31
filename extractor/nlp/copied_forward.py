"""A copy-forward note's markers: a field confirmed today read as written, a stale one as blanks.

Some EHRs open a procedure note pre-filled from the last procedure visit and mark each field with
what happened to it: 'L3 and L4 medial branches (carried forward from 08/14/2026) - Reviewed - no
change' was checked today and holds; 'SEDATION: Moderate - midazolam 2 mg IV (carried forward from
08/14/2026)' over 'Updated today: declined IV sedation' was not, nor is 'Diagnostic block #: 2
[last filed value]' or '[last filed value: 1/10]'. Read as written, the stale value is a second
sedation, session or pain score for today, and the review mark's 'carried forward' takes back what
was confirmed (the rules read 'carried forward' as a header copied in error). So a reviewed
field's marks become blanks and its value stays; a stale field's line becomes blanks (its label
too: 'Diagnostic block #:' alone still reads as a diagnostic block), and so does a title's '(copy-
forward from 08/14/2026 - TON block visit)'. A procedure heading carried forward keeps its value:
its levels are the header's, which the description may contradict (the rules' header-versus-
description check). Struck text ('~~L3-L4~~', '[DELETED: #1]') is blanked after this, in
``rule_text``. The text keeps its length.
"""

from __future__ import annotations

import re

# '(carried forward from 08/14/2026)', '(copied forward)'
_CARRIED = r"\((?:carried|copied)[ \t]+(?:forward|fwd|over)\b[^()\n]{0,40}\)"
# '- Reviewed - no change', '(Reviewed - no change)', 'Reviewed, unchanged'
_REVIEWED_MARK = r"\(?reviewed[ \t]*[-\u2013\u2014:,]?[ \t]*(?:no[ \t]+change|unchanged)\)?"
_REVIEWED = re.compile(
    rf"{_CARRIED}(?:[ \t]*[-\u2013\u2014:,]?[ \t]*{_REVIEWED_MARK})?|(?<![\w(]){_REVIEWED_MARK}",
    re.IGNORECASE,
)
# what the note was copied from ('PROCEDURE NOTE (copy-forward from 08/14/2026 - TON block visit)'):
# the earlier visit's procedure, not today's
_COPIED_FROM = re.compile(
    r"\((?:copy|copied|carried|pre-?populated|pre-?filled)[- \t](?:forward[- \t])?from\b[^()\n]{0,80}\)",
    re.IGNORECASE,
)
# an earlier visit's value quoted after the field ('POST-PROCEDURE PAIN: [last filed value: 1/10]')
_LAST_FILED_VALUE = re.compile(r"\[last[ \t]+filed[ \t]+value:[^\]\n]{0,200}\]", re.IGNORECASE)
# a field whose value is an earlier visit's: 'Intent: Diagnostic #1 [last filed value]',
# 'Session #: 2 (carried forward from 06/05/2026)' (the marker ends the line)
_STALE_FIELD = re.compile(
    rf"(?m)^([ \t]{{0,8}}[A-Za-z][^:\n]{{0,80}}:)"
    rf"([^\n]{{1,200}}?(?:\[last[ \t]+filed[ \t]+value\]|{_CARRIED}))[ \t.]*$",
    re.IGNORECASE,
)
_PROCEDURE_LABEL = re.compile(r"\bproc", re.IGNORECASE)


def _blanks(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _stale_field(match: re.Match[str]) -> str:
    label = match.group(1)
    if _PROCEDURE_LABEL.search(label):
        return match.group(0)
    return " " * len(match.group(0))


def copied_forward(text: str) -> str:
    """``text`` with copy-forward marks read: reviewed fields as written, stale ones as blanks."""
    copy_hint = any(word in text for word in ("arried", "ARRIED", "opied", "OPIED", "opy", "OPY", "opulated"))
    if not (copy_hint or "filed" in text or "FILED" in text or "eviewed" in text or "EVIEWED" in text):
        return text
    if "filed" in text or "FILED" in text:
        text = _LAST_FILED_VALUE.sub(_blanks, text)
    text = _STALE_FIELD.sub(_stale_field, text)
    if "rom" in text:
        text = _COPIED_FROM.sub(_blanks, text)
    return _REVIEWED.sub(_blanks, text)
