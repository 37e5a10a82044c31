"""A grid with one row per side and one column per level, aligned with blanks:

           L3/4  L4/5  L5/S1
    R       x     x     x
    L       -     x     -

(the transpose of the grids ``table_sides`` reads row by row). A level in the header line takes
the sides whose row marks the cell under it; a level whose cells are all left blank or marked
'-' was not done. A legend line under the grid says what its own marks mean ('x = MBB done
- = not done', 'C = cooled RF   P = pulsed RF', 'o = planned not done'); without one, 'x', '+',
'y' and ticks mean done.
"""

from __future__ import annotations

import re

_GAP = re.compile(r"[ \t]{2,}|\t")
RIGHT = re.compile(r"(?i)^(?:r|rt|right)$")  # a cell or a column header naming one side
LEFT = re.compile(r"(?i)^(?:l|lt|left)$")
# a mark that says done: 'x', 'Y', '+', a tick ('✓', '☑', '☒') or a ticked box ('[x]', '[✓]')
DONE_MARK = re.compile("(?i)(?:y|yes|\\+|[x\u2713\u2714\u2611\u2612\u2705]|\\[\\s*[x\u2713]\\s*\\])\\Z")
# 'x = MBB done', 'o = planned not done', 'C = cooled RF': one mark, '=', what it means
_LEGEND_ENTRY = re.compile(
    r"(?<!\S)(\S{1,3})[ \t]?=[ \t]?(\S(?:[^=\n]*?\S)?)(?=[ \t]{2,}\S{1,3}[ \t]?=|[ \t]*$)"
)
_NOT_DONE = re.compile(r"(?i)\b(?:not|none|no|planned|skipped|cancel+ed|omitted)\b")
_ROWS = 3
"""Lines under the header read for side rows (a blank line ends the grid sooner)."""
_LINE_MAX = 120
_SLACK = 2
"""How far (in characters) a mark may sit outside its level's column."""


def grid_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the cells of the line ``text[start:end]`` whose columns are parted by two
    or more blanks (or a tab), each stripped of blanks; shared with ``table_sides``."""
    bounds, cell_start = [], start
    for gap in _GAP.finditer(text, start, end):
        bounds.append((cell_start, gap.start()))
        cell_start = gap.end()
    bounds.append((cell_start, end))
    cells = []
    for cell_start, cell_end in bounds:
        while cell_start < cell_end and text[cell_start] in " \t":
            cell_start += 1
        while cell_end > cell_start and text[cell_end - 1] in " \t":
            cell_end -= 1
        if cell_start < cell_end:
            cells.append((cell_start, cell_end))
    return cells


def _line_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``grid_cells`` as offsets into the line."""
    return [(a - start, b - start) for a, b in grid_cells(text, start, end)]


def _grid(
    text: str, offset: int
) -> tuple[int, list[tuple[int, int]], dict[str, tuple[int, list[tuple[int, int]]]], int] | None:
    """(line start, header cells, side -> (row start, row cells), line after the rows) of the grid
    whose header line holds ``offset``; None when that line is not over an 'R' and an 'L' row."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end == -1 or line_end - line_start > _LINE_MAX:
        return None
    header = _line_cells(text, line_start, line_end)
    if len(header) < 2 or header[0][0] < 2:
        return None  # the header's first cell sits over the side names, so it is indented
    rows: dict[str, tuple[int, list[tuple[int, int]]]] = {}
    row_start = line_end + 1
    for _ in range(_ROWS):
        row_end = text.find("\n", row_start)
        row_end = len(text) if row_end == -1 else row_end
        row = text[row_start:row_end]
        if not row.strip() or row_end - row_start > _LINE_MAX:
            break
        cells = _line_cells(text, row_start, row_end)
        name = row[cells[0][0] : cells[0][1]]
        side = "right" if RIGHT.match(name) else "left" if LEFT.match(name) else None
        if side is None or cells[0][1] > header[0][0] or side in rows:
            break
        rows[side] = row_start, cells[1:]
        row_start = row_end + 1
    return (line_start, header, rows, row_start) if len(rows) == 2 else None


def level_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The header cells (offsets into ``text``) of such a grid that lie in ``text[start:end]``
    ('L3/4  L4/5  L5/S1', read as one list of levels, is three columns); [] outside a grid."""
    grid = _grid(text, start)
    if grid is None:
        return []
    line_start, header, _, _ = grid
    return [
        (line_start + a, line_start + b)
        for a, b in header
        if start <= line_start + a and line_start + b <= end
    ]


def side_marks(text: str, start: int, end: int) -> dict[str, tuple[int, int]] | None:
    """For the level at ``text[start:end]`` in such a grid's header line: the cell (offsets into
    ``text``) of each side row that marks it done ({} when none does); None when ``start`` is not
    one header cell of such a grid."""
    grid = _grid(text, start)
    if grid is None:
        return None
    line_start, header, rows, after = grid
    column = start - line_start, end - line_start
    if column not in header:
        return None
    legend = _legend(text, after)
    done = {}
    for side, (row_start, cells) in rows.items():
        under = [(a, b) for a, b in cells if a < column[1] + _SLACK and b > column[0] - _SLACK]
        if len(under) != 1:
            continue
        mark = text[row_start + under[0][0] : row_start + under[0][1]]
        if legend[mark] if mark in legend else DONE_MARK.match(mark) is not None:
            done[side] = (row_start + under[0][0], row_start + under[0][1])
    return done


def _legend(text: str, line_start: int) -> dict[str, bool]:
    """What each mark of a legend line starting at ``line_start`` means: done or not."""
    line_end = text.find("\n", line_start, line_start + _LINE_MAX)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    return {m.group(1): _NOT_DONE.search(m.group(2)) is None for m in _LEGEND_ENTRY.finditer(line)}
