"""Digits an OCR engine read as letters, in a handwritten procedure card run into the chart:
'DOS O3/14/2O25', 'bupi .S% O.5cc', '7/1O -> l/10', 'MBB #l', 'B L4-5 + L LS-S1', 'C4, CS, C6'.

A coder reads them as the digits they stand for, so the rules do: an 'O' next to a digit as '0',
an 'l' or 'I' where only a number fits as '1', an 'S' after a digit or decimal point (or a level's
letter, before a level's next part) as '5'. Each is one character for one, so offsets stay the
note's. Only where a letter cannot be a letter: 'O2 sat', 'L5S1', 'S1', 'LS spine' stay as they are.
"""

from __future__ import annotations

import re

_MISREAD = re.compile(
    # 'O' after a digit ('2O25', '9O%', '24O', '1OO mg'), not before a capital word ('3 OR')
    r"(?P<zeros>(?<=[0-9])O{1,3}(?![A-NP-Z])"
    # 'O' opening a number ('O3/14', 'O.5cc', 'O5/O6/25'); not 'O2 sat'
    r"|(?<![A-Za-z0-9])O(?=[0-9][0-9/.]|\.[0-9])"
    # a score read as a letter: 'VAS pre 6 / post O'
    r"|(?<=(?:pre|ost|VAS|NRS) )O(?![A-Za-z0-9]))"
    # 'MBB #l', 'l/10', '1l2' (between digits), 'l.5 cm'
    r"|(?P<one>(?<=#)[lI](?![A-Za-z0-9])|(?<![A-Za-z0-9])[lI](?=/[0-9])|(?<=[0-9])l(?=[0-9])"
    r"|(?<![A-Za-z0-9])l(?=\.[0-9]))"
    # '7S%', '.S%', '1.S"', 'acct 77120S'; not 'L5S1'
    r"|(?P<five>(?<![CTL][0-9])(?<=[0-9.])S(?![A-Za-z0-9])"
    # 'NRS pre S/1O'
    r"|(?<![A-Za-z0-9])S(?=/1[0O](?![0-9]))"
    # a level's number: 'LS-S1', 'CS/6', 'B LS dorsal ramus', 'C4, CS, C6', 'L3, L4, LS)'
    r"|(?<![A-Za-z0-9][CL])(?<=[CL])S(?=[-/](?:S1|[0-9])\b|[ \t]+(?:dorsal|DR\b|rned|med|MB))"
    r"|(?<=[CL][0-9], [CL])S\b|(?<=[CL][0-9],[CL])S\b)"
)
# a cheap look first: most notes have no letter where a digit belongs
_SIGN = re.compile(
    r"[0-9.][OS]|(?:pre|ost|VAS|NRS) O\b|[0-9]l[0-9]|\bO[0-9.]|#l|\b[lI]/[0-9]|\bS/1|\b[CL]S\b"
)
_DIGIT_FOR = {"zeros": "0", "one": "1", "five": "5"}


def _digits(match: re.Match[str]) -> str:
    return _DIGIT_FOR[match.lastgroup or "zeros"] * len(match.group(0))


def ocr_digits(text: str) -> str:
    if not _SIGN.search(text):
        return text
    return _MISREAD.sub(_digits, text)
