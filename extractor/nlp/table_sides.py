"""Sides written in a table instead of beside the level: a 'Side' column ('| L4/L5 | R + L |')
or one checkbox column per side ('| SAP/TP of L5 | [x] | [x] |' under '| Target | R | L |'),
also in a grid aligned with spaces ('L4-L5     Y     Y' under 'Level     Left    Right').

A level phrase in a table row with no side of its own takes the side of its row. The side is a
synthetic SIDE mention over the cell text, so it carries evidence like any other side.
"""

from __future__ import annotations

import re

from .note_view import Mention, NoteView
from .sentences import in_table_row
from .side_row_grid import DONE_MARK, level_cells, side_marks
from .side_row_grid import LEFT as _LEFT
from .side_row_grid import RIGHT as _RIGHT
from .side_row_grid import grid_cells as _grid_cells

_RULE_LINE = re.compile(r"[-=+|][-=+| \t]*$")  # '|---|---|', '---------+--------'
_SIDE_HEADER = re.compile(r"(?i)^(?:sides?|laterality|lat\.?)$")
# a ticked cell, or the volume given on that side ('| L4-L5 | 0.5 mL | -- |' under '| Joint | R | L |')
_TICKS = "\u2713\u2714\u2611\u2612\u2705"  # ✓ ✔ ☑ ☒ ✅
_CHECKED = re.compile(
    rf"(?i)^\[\s*[x\u2713]\s*\]$|^[x{_TICKS}]$|^[0-9]{{0,2}}\.?[0-9]{{1,2}}[ \t]?(?:ml|cc)$"
)
_GRID_CHECKED = DONE_MARK  # 'Y', 'X', '+', '[✓]', '☑'
# a box left empty: that side of that row was not done ('L2-L3   ☐   ☐' under 'Right   Left')
_UNCHECKED = re.compile(r"(?i)^(?:\u2610|\[\s?\]|\(\s?\)|n|no|-{1,2}|\*{3})$")  # '***': a blank field
_GRID_REACH = 12
"""Rows between a grid's header and a row of it."""
_GRID_ROW_MAX = 200
_BARE_ROW_MAX = 40
"""A one-cell line this long or shorter may be a grid row left blank ('  T1-T2')."""
_ROW_MAX = 400  # a table row is read this far (a longer line is prose, as in_table_row decides)
_BOTH = re.compile(
    r"(?i)\b(?:b|bil|bilat|bilateral|both|b/l)\b"
    r"|\b(?:r|rt|right)\s*(?:\+|&|/|and|,)\s*(?:l|lt|left)\b"
    r"|\b(?:l|lt|left)\s*(?:\+|&|/|and|,)\s*(?:r|rt|right)\b"
)


def _cells(text: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    """(start, end) of each cell's stripped text: between the pipes of a row, and before the
    first / after the last pipe of a row without borders ('L3-L4  | LEFT  | IA')."""
    cells = []
    line = text[line_start:line_end]
    pipes = [m.start() for m in re.finditer(r"\|", line)]
    if not line.lstrip(" \t").startswith("|"):
        pipes.insert(0, -1)
    if not line.rstrip(" \t").endswith("|"):
        pipes.append(len(line))
    for left, right in zip(pipes, pipes[1:], strict=False):
        start, end = line_start + left + 1, line_start + right
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
        cells.append((start, end))
    return cells


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


def _header_cells(text: str, row_start: int) -> list[str] | None:
    """The cell texts of the nearest row above (in the same table) that names a side column."""
    row_end = text.find("\n", row_start, row_start + _ROW_MAX)
    row_pipes = text.count("|", row_start, row_end if row_end != -1 else row_start + _ROW_MAX)
    end = row_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip(" \t")
        if _RULE_LINE.match(line):
            end = start - 1
            continue
        # a header above a rule line ('Joint | R | L' over '------+-----+----') has the row's pipes
        if not line or not (in_table_row(text, start) or line.count("|") == row_pipes >= 2):
            return None
        cells = [text[a:b] for a, b in _cells(text, start, end)]
        if any(_SIDE_HEADER.match(c) for c in cells) or (
            any(_RIGHT.match(c) for c in cells) and any(_LEFT.match(c) for c in cells)
        ):
            return cells
        end = start - 1
    return None


def _cell_side(cell: str) -> str | None:
    """The side a 'Side' column's cell gives ('B', 'bilat', 'R', 'Lt', ...)."""
    if _BOTH.search(cell):
        return "bilateral"
    return "right" if _RIGHT.match(cell) else "left" if _LEFT.match(cell) else None


def table_side(view: NoteView, phrase: Mention) -> Mention | None:
    """The side of the table row holding ``phrase``, as a SIDE mention; None outside tables."""
    text = view.text
    row_start, row_end = _line_bounds(text, phrase.start)
    if not in_table_row(text, phrase.start):
        return _grid_side(view, phrase, row_start, row_end)
    header = _header_cells(text, row_start)
    if header is None:
        return None
    cells = _cells(text, row_start, row_end)
    value, span = None, None
    side_column = next((i for i, c in enumerate(header) if _SIDE_HEADER.match(c)), None)
    if side_column is not None and side_column < len(cells):
        span = cells[side_column]
        value = _cell_side(text[span[0] : span[1]])
    else:
        right = next((i for i, c in enumerate(header) if _RIGHT.match(c)), None)
        left = next((i for i, c in enumerate(header) if _LEFT.match(c)), None)
        checked = {
            side: cells[i]
            for side, i in (("right", right), ("left", left))
            if i is not None and i < len(cells) and _CHECKED.match(text[cells[i][0] : cells[i][1]])
        }
        if len(checked) == 2:
            value, span = "bilateral", (checked["right"][0], checked["left"][1])
        elif len(checked) == 1:
            ((value, span),) = checked.items()
    if value is None or span is None or span[0] >= span[1]:
        return None
    return _side_mention(view, phrase, value, span)


def _grid_side(view: NoteView, phrase: Mention, row_start: int, row_end: int) -> Mention | None:
    """The side of a row of a grid aligned with blanks: the level in the first cell, then one
    Y/N (or X) cell per side, under a header row that names the 'Left' and 'Right' columns."""
    row = _grid_row(view.text, phrase, row_start, row_end)
    if row is None:
        return _grid_side_column(view, phrase) or _side_row_grid_side(view, phrase)
    checked = {side: span for side, span in row.items() if _GRID_CHECKED.match(view.text[span[0] : span[1]])}
    return _marked_side(view, phrase, checked)


def _marked_side(view: NoteView, phrase: Mention, marked: dict[str, tuple[int, int]]) -> Mention | None:
    """The side the marked cells (side -> span) give: both sides, one, or None when none is."""
    if len(marked) == 2:
        spans = marked.values()
        return _side_mention(view, phrase, "bilateral", (min(a for a, _ in spans), max(b for _, b in spans)))
    if len(marked) == 1:
        ((value, span),) = marked.items()
        return _side_mention(view, phrase, value, span)
    return None


def _grid_row(text: str, phrase: Mention, row_start: int, row_end: int) -> dict[str, tuple[int, int]] | None:
    """The cells under the side columns ('right' / 'left' -> span) of the grid row that begins
    with ``phrase``: {} when the row leaves them blank ('  L2 medial branch' under '  Nerve
    Left    Right'); None outside such a grid. A cell belongs to the header column it lies under,
    so a row may leave cells out ('C7-T1      ✓       right side non-tender' under 'Level   Left
    Right   Comment')."""
    if row_end - row_start > _GRID_ROW_MAX:
        return None  # prose or a pasted blob, not a row (and reading it per level is quadratic)
    cells = _grid_cells(text, row_start, row_end)
    if not cells or not cells[0][0] <= phrase.start < cells[0][1]:
        return None
    end = row_start - 1
    for _ in range(_GRID_REACH):
        if end <= 0:
            return None
        start = text.rfind("\n", max(0, end - _GRID_ROW_MAX - 1), end) + 1
        if start == 0 and end > _GRID_ROW_MAX:
            return None  # a line longer than a row
        header_cells = _grid_cells(text, start, end)
        if not header_cells:
            return None  # a blank line ends the grid
        columns = [(a - start, b - start, text[a:b]) for a, b in header_cells]
        sides = {
            side: (a, b)
            for a, b, name in columns
            for side, pattern in (("right", _RIGHT), ("left", _LEFT))
            if pattern.match(name)
        }
        if "left" in sides and min(a for a, _ in sides.values()) >= cells[0][1] - row_start:
            return _cells_in_columns(row_start, cells[1:], [(a, b) for a, b, _ in columns], sides)
        if len(header_cells) == 1 and (
            end - start > _BARE_ROW_MAX or header_cells[0][0] - start != cells[0][0] - row_start
        ):
            return None  # a line of prose above a row, not a row of the same grid
        end = start - 1
    return None


def _cells_in_columns(
    row_start: int,
    cells: list[tuple[int, int]],
    columns: list[tuple[int, int]],
    sides: dict[str, tuple[int, int]],
) -> dict[str, tuple[int, int]]:
    """The row's cells that lie under each side column: a cell belongs to the column it overlaps
    most, or failing that to the nearest column within a few characters."""

    def column_of(a: int, b: int) -> tuple[int, int] | None:
        overlap = max(columns, key=lambda c: min(b, c[1]) - max(a, c[0]))
        if min(b, overlap[1]) - max(a, overlap[0]) > 0:
            return overlap
        near = min(columns, key=lambda c: max(c[0] - b, a - c[1]))
        return near if max(near[0] - b, a - near[1]) <= _COLUMN_SLACK else None

    found = {}
    for a, b in cells:
        column = column_of(a - row_start, b - row_start)
        for side, span in sides.items():
            if column == span:
                found[side] = (a, b)
    return found


def unticked_row(view: NoteView, phrase: Mention) -> bool:
    """``phrase`` heads a row whose side boxes are all left empty ('L2 medial branch   ☐   ☐'
    under 'Right   Left', '| L3-L4 | [ ] | [ ] |'): a level offered by the template, not done."""
    text = view.text
    row_start = text.rfind("\n", max(0, phrase.start - _ROW_MAX), phrase.start) + 1
    row_end = text.find("\n", phrase.start, phrase.start + _ROW_MAX)
    if row_end == -1 and len(text) - phrase.start <= _ROW_MAX:
        row_end = len(text)
    if (row_start == 0 and phrase.start > _ROW_MAX) or row_end == -1:
        return False  # a line longer than any row (bounded: this runs for every level phrase)
    if in_table_row(text, phrase.start):
        header = _header_cells(text, row_start)
        if header is None:
            return False
        cells = _cells(text, row_start, row_end)
        columns = [i for i, c in enumerate(header) if _RIGHT.match(c) or _LEFT.match(c)]
        spans = [cells[i] for i in columns if i < len(cells)]
    else:
        row = _grid_row(text, phrase, row_start, row_end)
        if row is None:
            return side_marks(text, phrase.start, phrase.end) == {}  # 'R  -  o' / 'L  -  -' under it
        return all(_UNCHECKED.match(text[a:b]) for a, b in row.values())
    return len(spans) == 2 and all(_UNCHECKED.match(text[a:b]) for a, b in spans)


def ticked_row(view: NoteView, phrase: Mention) -> bool:
    """``phrase`` heads a blank-aligned grid row with a side box ticked ('C7-T1   ✓   right
    side non-tender, not blocked on #1 either'): the tick says the level was done, whatever the
    row's comment denies of the other side."""
    text = view.text
    row_start, row_end = _line_bounds(text, phrase.start)
    if in_table_row(text, phrase.start):
        return False
    row = _grid_row(text, phrase, row_start, row_end)
    return bool(row) and any(_GRID_CHECKED.match(text[a:b]) for a, b in row.values())


def _side_mention(view: NoteView, phrase: Mention, value: str, span: tuple[int, int]) -> Mention:
    text = view.text
    return Mention(
        index=-1 - phrase.index,
        category="SIDE",
        rule="table side",
        start=span[0],
        end=span[1],
        text=text[span[0] : span[1]],
        meta={"value": value},
        sent=phrase.sent,
        status=[],
        role=phrase.role,
        section=phrase.section,
    )


_DONE_COLUMN = re.compile(r"(?i)(?:performed|perf|done|completed)\b")
_NOT_DONE_CELL = re.compile(r"(?i)(?:n|no|not\s+done)\Z")
_COLUMN_SLACK = 3
"""How far (in characters) a row's cell may start from its header's column."""


def _row_under(text: str, phrase: Mention) -> tuple[int, list[tuple[int, int]]] | None:
    """(line start, cells) of the blank-aligned grid row holding ``phrase`` (None if prose)."""
    row_start = text.rfind("\n", max(0, phrase.start - _GRID_ROW_MAX), phrase.start) + 1
    row_end = text.find("\n", phrase.start, phrase.start + _GRID_ROW_MAX)
    if row_end == -1 or (row_start == 0 and phrase.start >= _GRID_ROW_MAX):
        return None
    cells = _grid_cells(text, row_start, row_end)
    return (row_start, cells) if len(cells) >= 3 else None


def _columns_above(text: str, row_start: int, name: re.Pattern[str]) -> list[int]:
    """Where (offset in its line) each column called ``name`` starts, in the nearest grid header
    above the row that has one; [] if there is none within reach."""
    end = row_start - 1
    for _ in range(_GRID_REACH):
        if end <= 0:
            return []
        start = text.rfind("\n", max(0, end - _GRID_ROW_MAX - 1), end) + 1
        if start == 0 and end > _GRID_ROW_MAX:
            return []
        header = _grid_cells(text, start, end)
        columns = [a - start for a, b in header if name.match(text[a:b])]
        if len(header) >= 3 and columns:
            return columns
        end = start - 1
    return []


def _cells_under(row_start: int, cells: list[tuple[int, int]], columns: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for a, b in cells if any(abs((a - row_start) - c) <= _COLUMN_SLACK for c in columns)]


# a grid row struck from the record: 'L2 MB (voided)   | L | ...', 'C4 MB | R | -- | NOT PERFORMED | --'
_VOIDED_ROW = re.compile(r"(?i)\(\s*voided\s*\)|\bvoided\b|\bnot\s+(?:performed|done)\b")


def _voided_row(view: NoteView, phrase: Mention) -> bool:
    """``phrase`` is on a '|' row a level opens that says it was voided or not performed, or
    whose side is the template's placeholder (the row's nerves too: '| L5-S1 | _Select side_ |
    L4 MB + L5 dorsal ramus |')."""
    text = view.rule_text()  # ('| _not done_ |': an underscore is no word boundary)
    start, end = _line_bounds(text, phrase.start)
    line = text[start:end]
    if line.count("|") < 2 or (
        text[start : phrase.start].strip(" \t|") and not in_level_row(view, phrase.start)
    ):
        return False
    return _VOIDED_ROW.search(line) is not None or _placeholder_side(text, phrase, start, end)


# a template's side cell never filled in ('| L5-S1 | _Select side_ | ... | _n/a_ |')
_PLACEHOLDER = re.compile(r"(?i)select\b[^|]{0,20}$|\[[ \t]*side[ \t]*\]$")


def _placeholder_side(text: str, phrase: Mention, start: int, end: int) -> bool:
    """The '|' row ``phrase`` opens leaves its 'Side' cell as the template's placeholder."""
    header = _header_cells(text, start)
    if header is None:
        return False
    column = next((i for i, c in enumerate(header) if _SIDE_HEADER.match(c)), None)
    cells = _cells(text, start, end)
    return (
        column is not None
        and column < len(cells)
        and _PLACEHOLDER.match(text[slice(*cells[column])]) is not None
    )


def in_level_row(view: NoteView, offset: int) -> bool:
    """``offset`` is on a '|' grid row that a level opens ('C4 MB | R | -- | NOT PERFORMED'): what
    the row says is about that level alone."""
    start, end = _line_bounds(view.text, offset)
    if view.text.count("|", start, end) < 2:
        return False
    lead = start + len(view.text[start:offset]) - len(view.text[start:offset].lstrip(" \t|"))
    return any(p.start == lead for p in view.of("LEVEL_PHRASE"))


def row_marked_not_done(view: NoteView, phrase: Mention) -> bool:
    """``phrase`` sits in a grid row whose 'Performed' column says N ('L4-5 MBB   B   MB L3/L4
    ...   N' under '... Performed'), or in a '|' row that says '(voided)' or 'NOT PERFORMED':
    a level the template lists, not done today."""
    if _voided_row(view, phrase):
        return True
    row = _row_under(view.text, phrase)
    if row is None:
        return False
    columns = _columns_above(view.text, row[0], _DONE_COLUMN)
    marks = [view.text[a:b].strip() for a, b in _cells_under(*row, columns)] if columns else []
    return bool(marks) and len(marks) == len(columns) and all(_NOT_DONE_CELL.match(m) for m in marks)


def _grid_side_column(view: NoteView, phrase: Mention) -> Mention | None:
    """'L4-L5   B   MB L3 + L4 ...' under 'Level   Side   Approach ...': the row's 'Side' cell."""
    row = _row_under(view.text, phrase)
    if row is None:
        return None
    columns = _columns_above(view.text, row[0], _SIDE_HEADER)
    under = _cells_under(*row, columns) if len(columns) == 1 else []
    if len(under) != 1:
        return None
    span = under[0]
    value = _cell_side(view.text[span[0] : span[1]])
    return _side_mention(view, phrase, value, span) if value else None


def _side_row_grid_side(view: NoteView, phrase: Mention) -> Mention | None:
    """A level in the header of a grid with a row per side ('       L3/4  L4/5' over
    'R       x     x' and 'L       -     x'): the sides whose rows mark it."""
    return _marked_side(view, phrase, side_marks(view.text, phrase.start, phrase.end) or {})


_SPLIT_INDEX = 10_000_000
"""Where the indexes of a grid header's per-column levels start (above any mention's own)."""


def grid_header_levels(view: NoteView, phrase: Mention) -> list[Mention]:
    """``phrase`` as one level per column when it is the header of a grid with a row per side
    ('L3/4  L4/5  L5/S1' over 'R  x  x  x' and 'L  -  x  -'): each column has sides of its own."""
    cells = level_cells(view.text, phrase.start, phrase.end)
    if len(cells) < 2:
        return [phrase]
    return [
        Mention(
            **{
                **phrase.__dict__,
                "index": _SPLIT_INDEX + 64 * phrase.index + k,
                "start": a,
                "end": b,
                "text": view.text[a:b],
            }
        )
        for k, (a, b) in enumerate(cells[:64])
    ]


def in_side_row_grid(view: NoteView, phrase: Mention) -> bool:
    """``phrase`` is one column of a grid with a row per side: the rows' marks give its sides."""
    return side_marks(view.text, phrase.start, phrase.end) is not None
