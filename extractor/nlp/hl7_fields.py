"""An HL7 v2 result message pasted into the chart as-is: one ``OBX`` segment per documented field,
'OBX|4|TX|LEVELS^Levels treated||L3 medial branch^L4 medial branch||||||F', with ``|`` between
fields, ``^`` between components and ``\\.br\\`` for a line break inside a text value.

A coder reads each segment as its label and value, so the rules do: the segment's lead up to the
label's text as blanks, the ``||`` after the label as ': ', a component separator in the value as
',', an escaped line break as blanks and a paragraph break, and the empty fields and result status
after the value as blanks ('Levels treated: L3 medial branch,L4 medial branch'); the order's
requested procedure (``OBR``) as a title. One character for one, so offsets stay the note's.
"""

from __future__ import annotations

import re

# 'OBX|4|TX|LEVELS^Levels treated||': set id, value type, then the observation id's code and text
_OBX_LEAD = re.compile(
    r"(?m)^OBX\|[0-9]{0,4}\|[A-Z]{0,3}\|(?:[^|^\n]{0,40}\^)?(?P<label>[^|^\n]{1,80}?)(?:\^[^|\n]{0,40})?"
    r"\|[^|\n]{0,8}\|"
)
# the order's requested procedure ('OBR|1|PO1|PF1|CT7721^CT GUIDED LEFT C6-7 AND C7-T1 FACET INJ^L|||...'):
# what was booked, read as a title ('Title: CT GUIDED LEFT ...') that the narrative overrides
_OBR_SERVICE = re.compile(
    r"(?m)^OBR\|[^|\n]{0,6}\|[^|\n]{0,30}\|[^|\n]{0,30}\|(?:[^|^\n]{0,30}\^)?(?P<label>[^|^\n]{3,120})"
)
_TITLE = "Title: "
# what follows the value: units, ranges, flags and the result status ('|/10|||||F', '||||||F')
_OBX_TAIL = re.compile(r"(?m)\|[^|\n]{0,12}(?:\|[^|\n]{0,12}){3,10}$")
_LINE_BREAK = "\\.br\\"


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _lead(match: re.Match[str]) -> str:
    label_start, label_end = match.span("label")
    start = match.start()
    lead = " " * (label_start - start) + match.group("label")
    return lead + ":" + " " * (match.end() - label_end - 1)


def _value(line: str) -> str:
    """A segment's value as prose: components as ','."""
    return line.replace("^", ",")


def hl7_fields(text: str) -> str:
    if "OBX|" in text or "OBR|" in text:
        text = "\n".join(_segment(line) for line in text.split("\n"))
    if _LINE_BREAK in text:
        # (also in a piece of a value read on its own; a break between a value's entries or
        # paragraphs: '1% lidocaine 4 mL skin\.br\0.25% bupivacaine 1 mL ...')
        text = text.replace(_LINE_BREAK, "   \n\n")
    return text


def _segment(line: str) -> str:
    if line.startswith("OBR|"):
        return _order(line)
    lead = _OBX_LEAD.match(line)
    if lead is None:
        return line
    tail = _OBX_TAIL.search(line, lead.end())
    end = tail.start() if tail else len(line)
    return _lead(lead) + _value(line[lead.end() : end]) + (_blank(tail) if tail else "")


def _order(line: str) -> str:
    service = _OBR_SERVICE.match(line)
    if service is None:
        return line
    start, end = service.span("label")
    return " " * (start - len(_TITLE)) + _TITLE + line[start:end] + " " * (len(line) - end)
