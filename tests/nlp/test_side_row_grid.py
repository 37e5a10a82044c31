"""A grid with a row per side and a column per level: its columns, its marks and its legend."""

from __future__ import annotations

from extractor.nlp.side_row_grid import level_cells, side_marks

GRID = "Fluoro\n\n       L3/4  L4/5  L5/S1\nR       x     x     -\nL       -     x\nx = done   - = not done\n"


def _marks(text: str, level: str) -> dict[str, str] | None:
    start = text.index(level)
    marks = side_marks(text, start, start + len(level))
    return None if marks is None else {side: text[a:b] for side, (a, b) in marks.items()}


def test_each_column_is_a_level_with_the_sides_its_rows_mark() -> None:
    header = GRID.index("L3/4")
    cells = level_cells(GRID, header, GRID.index("\n", header))
    assert [GRID[a:b] for a, b in cells] == ["L3/4", "L4/5", "L5/S1"]
    assert _marks(GRID, "L3/4") == {"right": "x"}
    assert _marks(GRID, "L4/5") == {"right": "x", "left": "x"}
    assert _marks(GRID, "L5/S1") == {}  # '-' under it, and a blank


def test_a_legend_says_which_marks_are_done() -> None:
    grid = (
        "\n         L3/4   L4/5\nR        C      C\nL        o      P\n"
        "C = cooled RF   P = pulsed RF   o = planned not done\n"
    )
    assert _marks(grid, "L3/4") == {"right": "C"}
    assert _marks(grid, "L4/5") == {"right": "C", "left": "P"}


def test_no_grid_without_both_side_rows_or_with_a_header_at_the_margin() -> None:
    assert _marks("\n       L4/5  L5/S1\nR       x     x\nPlan: f/u\n", "L4/5") is None
    assert _marks("\nL4/5  L5/S1\nR     x\nL     x\n", "L4/5") is None
    assert _marks("\n       L4/5  L5/S1 were done\nR       x     x\nL       x     x\n", "L5/S1") is None
