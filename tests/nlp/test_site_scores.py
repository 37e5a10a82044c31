"""Scores listed by body site: the treated (index) site's row, else the first; none when the
first line under the heading is no 'site ... score' row."""

from __future__ import annotations

import pytest

from extractor.nlp.site_scores import site_table_score


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("Pain today, by site (VAS 0-10):\n  L thoracolumbar jxn ..... 6   <- index\n  neck ...... 2\n", 6),
        ("PAIN SITES (NRS 0-10):\n  Low back, axial (index pain) ........ 7\n  Neck ........ 3\n", 7),
        ("Today's numbers (NRS):\n  R low back ......... 8\n  neck .............. 3   (chronic)\n", 8),
        ("Scores today:\n  R buttock / PSIS ..... 7\n  L low back ........... 5\n", 7),
        ("Pain today (NRS):\n  neck ...... 2\n  R low back ......... 6   (index, treated today)\n", 6),
    ],
)
def test_treated_site_score(text: str, score: int) -> None:
    found = site_table_score(text)
    assert found is not None
    start, end, value = found
    assert value == score and text[start:end] == str(score)


@pytest.mark.parametrize(
    "text",
    [
        "Pain today, by site (0-10):\n  neck, lower cervical: R 6, L 5 (R worse)\n  R hand tingling: 2\n",
        'PAIN SITES:\n  "Overall" on the intake sheet ....... 5   <- averages all three, not used\n',
        "Pain today: 7/10, worse with extension.",  # a score on the heading's line, read elsewhere
        "Sites treated today:\n  L4-5 ..... 2 needles\n",
    ],
)
def test_no_site_table_score(text: str) -> None:
    assert site_table_score(text) is None
