"""A per-target table's rows not done lose their level and side (same width); rows done stay."""

from __future__ import annotations

import pytest

from extractor.nlp.rule_text import rule_text
from extractor.nlp.skipped_rows import skipped_rows


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (
            "L3-L4    R      --      --      SKIPPED - ablated 08/2024",
            "                --      --                               ",
        ),
        ("Row 3; L2-L3; RIGHT; -- ; -- ; not done ; --", "Row 3;      ;      ; -- ; -- ;          ; --"),
        ("| 6   | T1-T2    | R     |        |        |", "| 6   |          |       |        |        |"),
        ("| 4 | S1    | R |    | -- not done -- |    |", "| 4 |       |   |    |                |    |"),
        ("L4-L5; right; ; ; ;", "     ;      ; ; ; ;"),
        # a stop part-way stays, to be read as one
        ("T8-T9\tL\t--\t--\tABORTED - vasovagal", "     \t \t--\t--\tABORTED - vasovagal"),
        (
            "C4 MB       | R    | --      | NOT PERFORMED   | --",
            "            |      | --      |                 | --",
        ),
    ],
)
def test_rows_not_done_lose_level_and_side(written: str, read: str) -> None:
    assert skipped_rows(written) == read
    assert len(rule_text(written)) == len(written)


@pytest.mark.parametrize(
    "kept",
    [
        "L4-L5    R      18g/100/10mm    lido 2% 1.0 mL       80 C x 90 s       done",
        "L4-L5; left; 22g spinal; Depo-Medrol 40 mg; 1.0 mL; done",
        '| 3   | C7-T1    | R     | 25g 3.5"    | Kenalog 10 mg + Marcaine 0.25%     | 0.75 mL |',
        # a comment that says something was not done elsewhere in a grid of ticks
        "  C7-T1          \u2713                right side non-tender, not blocked on #1 either",
        "Level  Side",  # two cells: a header, not a row
        "Right L4-5 not done because of pain; left done; L5-S1 skipped",  # prose
    ],
)
def test_rows_done_and_prose_stay(kept: str) -> None:
    assert skipped_rows(kept) == kept
