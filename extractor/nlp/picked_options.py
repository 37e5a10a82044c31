"""A template's pick-lists printed with every option: the picked options as written, the rest blanks.

Some EHRs print each pick-list whole and mark the option chosen: 'SIDE:  Left  Right  >>Bilateral<<',
'Side: ( ) Left (•) Right ( ) Both', 'Guidance: fluoroscopy / [CT] / ultrasound / none',
'Levels: L2-L3 / (L4-L5) / (L5-S1)', a level list under a legend ('LEVELS (* = selected):') with a
star against each level done, or a row per level with a box per side ('C7-T1 ☒ L ☒ R'). Every option
not picked names a side, a level, a drug or a procedure that was not done, and the rules would read
it as done. Each unpicked option (and every mark) becomes blanks; picked options side by side are
joined by a comma so a list of levels reads as one; a level row's ticked boxes become the side they
tick ('bilat', 'left', 'right'). The text keeps its length, so offsets stay the note's.

(A grid whose side columns are named once in a header row, 'Level  Left  Right' over
'L4-L5  [x]  [ ]', is read by ``table_sides`` on the note itself; the rows here name their sides
in every row, so no header tells the columns apart.)
"""

from __future__ import annotations

import re

from .blanks import as_blanks

# a field label before its options ('SIDE:', 'Lesion temp (C):')
_LABEL = re.compile(r"(?m)^[ \t]{0,8}[A-Za-z][^:\n]{0,40}:")

# 'Left   Right   >>Bilateral<<'
_ARROWS = re.compile(r">>([^<>\n]{1,80})<<")

# 'Side: ( ) Left   (•) Right   ( ) Both', a radio button before each option
_RADIO = re.compile(r"\((?:[ \u25cb\u25ef]|[\u2022\u25cf\u25c9*xX\u2713\u2714])\)(?=[ \t]+\S)")
_RADIO_PICKED = frozenset("\u2022\u25cf\u25c9*xX\u2713\u2714")

# 'Guidance:  fluoroscopy / [CT] / ultrasound / none': options between ' / ', the picked one wrapped
_SLASH = re.compile(r"(?<![ \t])[ \t]+/[ \t]+")  # (from a run's first blank: linear on long runs)
_WRAPPED = re.compile(r"\[[^\[\]\n]{1,60}\]|\([^()\n]{1,60}\)")
_EMPTY_BOX = re.compile(r"\[[ \t]*\]")

# 'LEVELS (* = selected):' over lines of levels, a star against each one picked
_STAR_LEGEND = re.compile(
    r"(?i)\([ \t]*(?:\*[ \t]*=[ \t]*(?:selected|treated|done|performed|chosen|picked)|(?:select|check|mark)"
    r"[ \t]+all[ \t]+that[ \t]+apply)[ \t]*\)"
)
_CELLS = re.compile(r"\S+(?: \S+)*")  # cells two blanks apart
_STARRED_CELL = re.compile(r"(?:^|[ \t])\*[ \t]?[A-Za-z0-9]")


# '  C7-T1 ☒ L ☒ R' / '  T1-2  ☐ L ☒ R' / '  C6-7  [ ] L [ ] R': a level's row with a box for each side
_BOX = r"(?:\[[ \t]?[xX\u2713\u2714]?[ \t]?\]|[\u2610\u2611\u2612\u25a0\u25a1])"
_SIDE_WORD = r"(?:LEFT|RIGHT|LT|RT|L|R)\b"
_BOX_ROW = re.compile(
    r"(?mi)^[ \t]{0,8}[CTLS][0-9]{1,2}(?:[-/][CTLS]?[0-9]{1,2})?[ \t]{1,16}"
    rf"(?P<first>{_BOX})[ \t]{{0,4}}(?P<first_side>{_SIDE_WORD})[ \t]{{1,16}}"
    rf"(?P<second>{_BOX})[ \t]{{0,4}}(?P<second_side>{_SIDE_WORD})"
)
_TICKED = re.compile(r"[xX\u2713\u2714\u2611\u2612\u25a0]")


def _box_row(match: re.Match[str]) -> str:
    """The row with its boxes read: 'bilat', 'left' or 'right' in their place, or the whole row
    blank when no box is ticked (that level was not done)."""
    ticked = [
        match.group(side)[:1].lower()
        for box, side in (("first", "first_side"), ("second", "second_side"))
        if _TICKED.search(match.group(box))
    ]
    width = match.end("second_side") - match.start("first")
    if not ticked:
        return as_blanks(match.group(0))
    word = "bilat" if len(ticked) == 2 else {"l": "left", "r": "right"}[ticked[0]]
    row = match.group(0)[: match.start("first") - match.start()]
    return row + word.ljust(width)


def _join(pieces: list[tuple[int, int, bool]], line: str) -> str:
    """``line`` with the unpicked pieces (start, end, picked) as blanks and a comma in the blank
    after each picked piece that another picked piece follows."""
    out = list(line)
    for start, end, picked in pieces:
        if not picked:
            out[start:end] = " " * (end - start)
    previous_end = None
    for start, end, picked in pieces:
        if picked:
            if previous_end is not None and previous_end <= start and out[previous_end] == " ":
                out[previous_end] = ","
            previous_end = end
    return "".join(out)


def _label_end(line: str, first_option: int) -> int:
    label = _LABEL.match(line)
    return label.end() if label and label.end() <= first_option else 0


# 'Guidance: ☒ Fluoroscopy  ☐ CT  ☐ Ultrasound' / 'IV sedation: [ ] Yes [x] No': a box before each option
_LIST_BOX = re.compile(rf"{_BOX}(?=[ \t]{{0,4}}[^ \t\n\[\u2610-\u2612\u25a0\u25a1])")


_GLYPH_BOX = re.compile("[\u2610\u2611\u2612\u25a0\u25a1]")


def _box_line(line: str) -> str:
    """A line of two or more boxed options, some ticked and some not: the ticked options as
    written, the rest (and every box) blanks; a line whose boxes are all ticked or all empty stays."""
    marks = list(_LIST_BOX.finditer(line))
    ticked = [bool(_TICKED.search(mark.group(0))) for mark in marks]
    if len(marks) < 2 or all(ticked) or not any(ticked):
        return line
    pieces = _marked_options(line, marks, ticked)
    if any(line[start:end].rstrip().endswith(":") for start, end, _ in pieces[1::2]):
        return line  # 'Fluoroscopic guidance: [X]   US: [ ]': each box after its own label
    return _join(pieces, line)


def _arrow_line(line: str) -> str:
    marks = list(_ARROWS.finditer(line))
    begin = _label_end(line, marks[0].start())
    pieces = []
    last = begin
    for mark in marks:
        if mark.start() > last:
            pieces.append((last, mark.start(), False))
        pieces.append((mark.start(), mark.start() + 2, False))
        pieces.append((mark.start(1), mark.end(1), True))
        pieces.append((mark.end(1), mark.end(), False))
        last = mark.end()
    pieces.append((last, len(line), False))
    return _join(pieces, line)


def _radio_line(line: str) -> str:
    marks = list(_RADIO.finditer(line))
    return _join(_marked_options(line, marks, [mark.group(0)[1] in _RADIO_PICKED for mark in marks]), line)


def _marked_options(line: str, marks: list[re.Match[str]], picked: list[bool]) -> list[tuple[int, int, bool]]:
    """Pieces of a line whose options each follow a mark: every mark unpicked, each option (to the
    next mark) picked as its mark says."""
    pieces = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(line)
        pieces += [(mark.start(), mark.end(), False), (mark.end(), end, picked[index])]
    return pieces


def _slash_line(line: str) -> str:
    begin = _label_end(line, len(line))
    options = []
    separators = []
    start = begin
    for separator in _SLASH.finditer(line, begin):
        options.append((start, separator.start()))
        separators.append((separator.start(), separator.end(), False))
        start = separator.end()
    options.append((start, len(line)))
    spans = [(s + len(line[s:e]) - len(line[s:e].lstrip()), e) for s, e in options]
    spans = [(s, s + len(line[s:e].rstrip())) for s, e in spans]
    wrapped = [bool(_WRAPPED.fullmatch(line[s:e])) and not _EMPTY_BOX.fullmatch(line[s:e]) for s, e in spans]
    if len(spans) < 2 or not any(wrapped) or all(wrapped) or any(e - s > 60 for s, e in spans):
        return line
    pieces = []
    for (start, end), picked in zip(spans, wrapped, strict=True):
        if picked:
            pieces += [(start, start + 1, False), (start + 1, end - 1, True), (end - 1, end, False)]
        else:
            pieces.append((start, end, False))
    return _join(sorted(pieces + separators), line)


def _starred_line(line: str) -> str:
    pieces = []
    for cell in _CELLS.finditer(line):
        text = cell.group(0)
        if text.startswith("*"):
            pieces += [(cell.start(), cell.start() + 1, False), (cell.start() + 1, cell.end(), True)]
        else:
            pieces.append((cell.start(), cell.end(), False))
    return _join(pieces, line)


def _starred_lists(lines: list[str]) -> list[str]:
    """The lines under a star legend, up to the first blank line or field label, when a star
    marks one of them (a checkbox list under 'check all that apply' is read elsewhere)."""
    out = list(lines)
    for index, line in enumerate(lines):
        if not _STAR_LEGEND.search(line):
            continue
        block = index + 1
        while block < len(lines) and lines[block].strip() and not _LABEL.match(lines[block]):
            block += 1
        if not any(_STARRED_CELL.search(below) for below in lines[index + 1 : block]):
            continue
        for below in range(index + 1, block):
            out[below] = _starred_line(lines[below]) if "*" in lines[below] else as_blanks(lines[below])
    return out


def picked_options(text: str) -> str:
    """``text`` with every printed pick-list read as its picked options (same length)."""
    if ("[" in text or any(box in text for box in "\u2610\u2611\u2612\u25a0\u25a1")) and (
        rows := _BOX_ROW.search(text)
    ):
        text = text[: rows.start()] + _BOX_ROW.sub(_box_row, text[rows.start() :])
    has_arrows = ">>" in text
    has_radio = "(" in text and _RADIO.search(text) is not None
    has_slash = " / " in text
    has_legend = "*" in text and _STAR_LEGEND.search(text) is not None
    has_boxes = any(box in text for box in "\u2610\u2611\u2612") or "[" in text
    if not (has_arrows or has_radio or has_slash or has_legend or has_boxes):
        return text
    lines = text.split("\n")
    if has_legend:
        lines = _starred_lists(lines)
    for index, line in enumerate(lines):
        if has_boxes and ("[" in line or _GLYPH_BOX.search(line)) and (boxed := _box_line(line)) != line:
            lines[index] = boxed
        elif has_arrows and _ARROWS.search(line):
            lines[index] = _arrow_line(line)
        elif has_radio and _RADIO.search(line):
            lines[index] = _radio_line(line)
        elif has_slash and " / " in line:
            lines[index] = _slash_line(line)
    return "\n".join(lines)
