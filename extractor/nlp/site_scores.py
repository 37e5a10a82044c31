"""Today's scores listed by body site: the treated site's score is the score before.

A patient with pain in several places may have each scored under one heading ('Pain today, by
site (VAS 0-10):', 'PAIN SITES (NRS 0-10):', "Today's numbers (NRS):") with a row per site
('  Low back, axial (index pain) ........ 7', '  neck ... 3'). No row says 'pre', so the scores
read as unlabelled numbers; the coder wants the treated site's: the row marked as the index or
treated one ('<- index', '(index, treated today)'), or else the first row, where such lists put
the chief complaint. When the first line under the heading is not a 'site ... score' row (a row
that scores each side, 'R 6, L 5'), no score is taken.
"""

from __future__ import annotations

import re

_HEADING = re.compile(
    r"(?im)^[ \t]*(?:pain(?:[ \t]+today)?(?:,?[ \t]+by[ \t]+site)?|pain[ \t]+sites"
    r"|today'?s[ \t]+(?:numbers|scores)|scores[ \t]+today)\b[^\n:]{0,60}:[ \t]*$"
)
_ROW = re.compile(
    # (a site's words one blank apart, blanks possessive: linear on long runs of blanks)
    r"(?<![ \t])[ \t]++(?P<site>[^\s.:](?:[ \t]?[^\s.:]){1,59}?)(?:[ \t]*+(?:\.{2,}+|:)|[ \t]{3,}+)[ \t]*+"
    r"(?P<score>10|[0-9])(?:[ \t]?/[ \t]?10)?(?![0-9./])(?P<rest>[^\n]*)"
)
_MARKED = re.compile(r"(?i)\bindex\b|\btreated\b|<-[ \t]*(?:index|treated|this)")
_SET_ASIDE = re.compile(r"(?i)\bnot[ \t]+used\b|\boverall\b|\baverages?\b")
_MAX_ROWS = 8


def site_table_score(text: str) -> tuple[int, int, int] | None:
    """(start, end, score) of the treated site's score in a list of scores by site, or None."""
    if "site" not in text.lower() and "numbers" not in text and "today" not in text.lower():
        return None
    for heading in _HEADING.finditer(text):
        rows = []
        position = heading.end() + 1
        for _ in range(_MAX_ROWS):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end == -1 else line_end
            row = _ROW.fullmatch(text, position, line_end)
            if row is None:
                break
            rows.append(row)
            position = line_end + 1
        if not rows:
            continue
        marked = [row for row in rows if _MARKED.search(row.group("site") + row.group("rest"))]
        chosen = marked[0] if marked else rows[0]
        if _SET_ASIDE.search(chosen.group("site") + chosen.group("rest")):
            continue
        return chosen.start("score"), chosen.end("score"), int(chosen.group("score"))
    return None
