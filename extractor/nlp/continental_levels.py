"""Spinal levels in continental notation, as a physician trained in Europe writes them: Roman
numerals ('L IV/V', 'C V-VI', 'C VII/Th I', 'L V/S I'), 'Th' for a thoracic vertebra ('Th12/L1',
'Th 4') and the German vertebral-body names ('LWK 4/5', 'BWK 12', 'HWK 6', 'LV4/5').

A coder reads 'L IV/V' as L4-5, so the rules do: each level is rewritten in the notation the level
rules know, in the same width, so every offset found in the rule text is still an offset into the
note ('L IV/V' -> 'L  4/5', 'Th12/L1' -> 'T 12/L1', 'LWK 4/5' -> 'L - 4/5'). A level's letter
takes a Roman numeral only after a blank ('L IV', 'Th I'; not 'LIV'; 'LV' and 'LWK' take digits
only), and a numeral only where nothing but a number fits (no letter or digit after it), so 'SI
joint', 'CVI' or 'I' as a word stay as they are.
"""

from __future__ import annotations

import re

_ROMAN = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6,
    "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}  # fmt: skip
_NUMERAL = r"(?:XII|XI|IX|X|VIII|VII|VI|IV|V|III|II|I)"
_LETTER = {"Th": "T", "BWK": "T", "HWK": "C", "LWK": "L", "LV": "L"}
# a level's letter and its number: 'L IV', 'S I', 'Th I', 'Th12', 'LWK 4', 'LV4'
_LEVEL = re.compile(
    rf"(?<![A-Za-z0-9])(?:(?P<name>Th|BWK|HWK|LWK|LV)[ \t]?(?P<number>1[0-2]|[1-9])"
    rf"|(?P<letter>[CTLS]|Th)[ \t](?P<roman>{_NUMERAL}))(?![A-Za-z0-9])"
)
# the numeral that ends the pair ('L IV/V', 'C V-VI')
_PAIR_END = re.compile(rf"[ \t]?[-/][ \t]?({_NUMERAL})(?![A-Za-z0-9])")
# the blanks between the letter and the digits, by how many characters they fill
_FILLER = {0: "", 1: " ", 2: "  ", 3: " - "}


def _value(number: str) -> int:
    return _ROMAN[number] if number in _ROMAN else int(number)


def level_in_width(letter: str, digits: str, width: int) -> str | None:
    """A level as the level rules read it ('L4', 'L 4', 'L  4', 'L - 4') filling ``width``
    characters, so the level's evidence is the whole of what was written; None when it cannot."""
    filler = _FILLER.get(width - 1 - len(digits))
    return None if filler is None else letter + filler + digits


def _level(match: re.Match[str]) -> str | None:
    """'L IV' as 'L  4', 'Th12' as 'T 12'."""
    if match.group("name"):
        letter, number = _LETTER[match.group("name")], match.group("number")
    else:
        letter, number = match.group("letter")[0], match.group("roman")
    return level_in_width(letter, str(_value(number)), len(match.group(0)))


# a quick test for a note with none of them: two regexes that start on concrete characters
_ROMAN_GATE = re.compile(r"[CTLS][ \t][IVX]")
_TH_GATE = re.compile(r"Th(?:[ \t]?[0-9]|[ \t][IVX])")


def continental_levels(text: str) -> str:
    if (
        _ROMAN_GATE.search(text) is None
        and _TH_GATE.search(text) is None
        and "WK" not in text
        and "LV" not in text
    ):
        return text
    chars: list[str] | None = None
    for match in _LEVEL.finditer(text):
        written = _level(match)
        if written is None:
            continue
        if chars is None:
            chars = list(text)
        chars[match.start() : match.end()] = written
        end = _PAIR_END.match(text, match.end())
        if end is not None:
            digits = str(_ROMAN[end.group(1)])
            if len(digits) <= len(end.group(1)):
                start, stop = end.span(1)
                chars[start:stop] = digits.rjust(stop - start)  # 'V' as '5', 'VII' as '  7'
    return text if chars is None else "".join(chars)
