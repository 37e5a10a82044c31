"""A per-target table's rows that were not done: their level and side as blanks.

A template may list each target in a row with its needle, drug, volume and status: 'L3-L4    R
--    --    SKIPPED - ablated 08/2024', 'Row 3; L2-L3; RIGHT; -- ; -- ; not done ; --',
'| 6 | T1-T2 | R |  |  |  |'. Read as written, the row's level and side are one more target done
today. A row with a status cell that opens on skipped, not done or aborted, or whose cells after
the level and side are all empty or dashes (a row printed from the order and never filled in),
has its level and side cells as blanks, and its status too unless it says the work stopped
part-way ('ABORTED - vasovagal' stays and is read as a stop; 'SKIPPED' was decided before). The
text keeps its length, so offsets stay the note's.
"""

from __future__ import annotations

import re

_NOT_DONE = re.compile(
    r"(?i)\b(?:skipped|not[ \t]+(?:done|performed|injected|treated|lesioned|blocked)|aborted|stopped|halted"
    r"|terminated|omitted|cancell?ed|deferred)\b"
)
_ABORTED = re.compile(r"(?i)\b(?:aborted|stopped|halted|terminated)\b")
_LEVEL_CELL = re.compile(
    r"(?i)(?:[CTL][0-9]{1,2}(?:[ \t]?[-/][ \t]?[CTLS]?[0-9]{1,2})?"
    r"(?:[ \t]+(?:medial[ \t]+branch(?:es)?|MBs?|dorsal[ \t]+ram(?:us|i)|DR))?"
    r"|S1|TON|third[ \t]+occipital(?:[ \t]+nerve)?)"
)
_SIDE_CELL = re.compile(r"(?i)(?:R|L|B|RT|LT|B/L|BL|right|left|bilat(?:eral)?|both)")
_INDEX_CELL = re.compile(r"(?i)(?:#?[0-9]{1,2}|row[ \t]*[0-9]{1,2})")
_EMPTY_CELL = re.compile(r"[-\u2013\u2014 \t]*")
_DASHES = "-\u2013\u2014 "
_BLANK_RUN = re.compile(r"[ \t]{2,}")


def _cells(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell's text, stripped, by the separator the line uses; [] for a
    line that is not a table row."""
    if "|" in line:
        separator = re.compile(r"\|")
    elif "\t" in line:
        separator = re.compile(r"\t")
    elif line.count(";") >= 2:
        separator = re.compile(r";")
    elif len(_BLANK_RUN.findall(line.strip())) >= 2:
        separator = _BLANK_RUN
    else:
        return []
    cells = []
    start = 0
    for match in separator.finditer(line):
        cells.append((start, match.start()))
        start = match.end()
    cells.append((start, len(line)))
    stripped = []
    for begin, end in cells:
        piece = line[begin:end]
        lead = len(piece) - len(piece.lstrip())
        stripped.append((begin + lead, begin + len(piece.rstrip())))
    return stripped


def _row_read(line: str) -> str:
    cells = _cells(line)
    filled = [(start, end) for start, end in cells if end > start]
    if len(cells) < 3 or not filled:
        return line
    first = 1 if _INDEX_CELL.fullmatch(line[filled[0][0] : filled[0][1]]) and len(filled) > 1 else 0
    level = filled[first]
    if not _LEVEL_CELL.fullmatch(line[level[0] : level[1]]):
        return line
    named = [level]
    after = [cell for cell in cells if cell[0] > level[0]]
    if after and after[0][1] > after[0][0] and _SIDE_CELL.fullmatch(line[after[0][0] : after[0][1]]):
        named.append(after[0])
        after = after[1:]
    status = [
        (start, end) for start, end in after if _NOT_DONE.match(line[start:end].lstrip("-\u2013\u2014 "))
    ]
    unfilled = len(after) >= 2 and all(_EMPTY_CELL.fullmatch(line[start:end]) for start, end in after)
    if not (status or unfilled):
        return line
    # 'ABORTED - vasovagal' still says the procedure stopped part-way; 'SKIPPED' and 'not done'
    # were decided before the start and would read as a stop
    blanked = named + [cell for cell in status if not _ABORTED.search(line[cell[0] : cell[1]])]
    out = list(line)
    for start, end in blanked:
        out[start:end] = " " * (end - start)
    return "".join(out)


def skipped_rows(text: str) -> str:
    """``text`` with the level and side of each table row not done as blanks (same length)."""
    if not ("|" in text or ";" in text or "\t" in text or _NOT_DONE.search(text)):
        return text
    lines = text.split("\n")
    changed = False
    for index, line in enumerate(lines):
        if len(line) > 400:
            continue  # a paragraph, not a row
        read = _row_read(line)
        if read != line:
            lines[index] = read
            changed = True
    return "\n".join(lines) if changed else text
