"""Levels a physician dictates the old way, by ordinal and by where they sit, in the forms the level
rules cannot read as they stand:

- 'the dorsal ramus of the fifth' (or a speech engine's 'of the fit'): the L5 dorsal ramus, the
  only one a facet procedure blocks;
- 'the joint below the twelfth thoracic vertebra', 'the joints below the seventh and eighth
  thoracic vertebrae': the joint under each vertebra named (T12-L1; T7-8 and T8-9);
- 'the joint between the third and fourth' with the region said earlier ('... the second and
  third cervical vertebrae and the one below it between the third and fourth'): C3-4.

Each is rewritten in level notation spread over the same width, so every offset found in the rule
text is still an offset into the note and a level's evidence is the words said.
"""

from __future__ import annotations

import re

from .continental_levels import level_in_width
from .ordinal_words import SPELLED_ORDINALS

_ORDINALS = SPELLED_ORDINALS
_ORDINAL = "(?:" + "|".join(_ORDINALS) + ")"
_REGION_LETTER = {"cervical": "C", "thoracic": "T", "lumbar": "L"}
_LAST = {"C": 7, "T": 12, "L": 5}
_NEXT_REGION = {"C": "T", "T": "L", "L": "S"}

_FIFTH_DORSAL_RAMUS = re.compile(
    r"(?i)\b(?:dorsal|posterior)[ \t]+ram(?:us|i)[ \t]+of[ \t]+(?:the[ \t]+)?(fifth|fit|5th)\b"
    r"(?![ \t]+(?:cervical|thoracic|sacral)\b)"
)
_BELOW = re.compile(
    rf"(?i)\bjoints?[ \t]+(?:just[ \t]+)?below[ \t]+(?:the[ \t]+)?"
    rf"({_ORDINAL}(?:(?:,[ \t]*|,?[ \t]+and[ \t]+)(?:the[ \t]+)?{_ORDINAL})*"
    r"[ \t]+(cervical|thoracic|lumbar))\b"
)
_BETWEEN_BARE = re.compile(
    rf"(?i)\bbetween[ \t]+the[ \t]+({_ORDINAL}[ \t]+and[ \t]+(?:the[ \t]+)?{_ORDINAL})\b"
    # (not 'between the first and second blocks', 'between the first and second diagnostic')
    r"(?![ \t]+(?:cervical|thoracic|lumbar|sacral|blocks?|injections?|procedures?|sessions?|visits?|"
    r"diagnostic|sets?|treatments?|MBBs?|rounds?|RFAs?|ablations?|one|ones)\b)"
)
_ORDINAL_WORD = re.compile(rf"(?i)\b{_ORDINAL}\b")
_REGION_WORD = re.compile(r"(?i)\b(cervical|thoracic|lumbar)\b")
_REGION_REACH = 1000


def _joint_below(letter: str, number: int) -> tuple[str, str]:
    """The joint under a vertebra, as its upper and lower parts ('T12', 'L1'; 'T7', '8')."""
    if number < _LAST[letter]:
        return f"{letter}{number}", str(number + 1)
    return f"{letter}{number}", f"{_NEXT_REGION[letter]}1"


def _spread(joints: list[tuple[str, str]], width: int) -> str | None:
    """Joints written across the words they replace, the first at the start and the last at the
    end ('twelfth thoracic' as 'T12          -L1', 'seventh and eighth thoracic' as 'T7-8, ...   T8-9'),
    so each level's evidence spans what was said."""
    if len(joints) == 1:
        upper, lower = joints[0]
        gap = width - len(upper) - len(lower) - 1
        return None if gap < 0 else upper + " " * gap + "-" + lower
    written = [f"{upper}-{lower}" for upper, lower in joints]
    head = ", ".join(written[:-1]) + ","
    gap = width - len(head) - len(written[-1])
    return None if gap < 1 else head + " " * gap + written[-1]


def _fill(chars: list[str], start: int, end: int, written: str) -> None:
    if len(written) <= end - start:
        chars[start:end] = written.ljust(end - start)


def _finders(lowered: str) -> list[re.Pattern[str]]:
    """The readings whose words the note has (each regex costs 40-50 us a note to run)."""
    finders = []
    if ("dorsal" in lowered or "posterior" in lowered) and (
        "fifth" in lowered or " fit" in lowered or "5th" in lowered
    ):
        finders.append(_FIFTH_DORSAL_RAMUS)
    if "joint" in lowered and " below " in lowered:
        finders.append(_BELOW)
    if "between the " in lowered:
        finders.append(_BETWEEN_BARE)
    return finders


def ordinal_anatomy(text: str) -> str:
    finders = _finders(text.lower())
    if not finders:
        return text
    chars: list[str] | None = None
    for finder in finders:
        for match in finder.finditer(text):
            written = _written(text, match, finder)
            if written is None:
                continue
            if chars is None:
                chars = list(text)
            _fill(chars, match.start(1), match.end(1), written)
    return text if chars is None else "".join(chars)


def _written(text: str, match: re.Match[str], finder: re.Pattern[str]) -> str | None:
    if finder is _FIFTH_DORSAL_RAMUS:
        # ('fit' as 'L 5', 'fifth' as 'L - 5': the level's evidence is the word said)
        return level_in_width("L", "5", match.end(1) - match.start(1))
    numbers = [_ORDINALS[word.lower()] for word in _ORDINAL_WORD.findall(match.group(1))]
    if finder is _BELOW:
        letter = _REGION_LETTER[match.group(2).lower()]
        if any(n > _LAST[letter] for n in numbers):
            return None
        return _spread([_joint_below(letter, n) for n in numbers], match.end(1) - match.start(1))
    # 'between the third and fourth': the region said last before it
    regions = _REGION_WORD.findall(text, max(0, match.start() - _REGION_REACH), match.start())
    if not regions or len(numbers) != 2 or numbers[1] != numbers[0] + 1:
        return None
    letter = _REGION_LETTER[regions[-1].lower()]
    if numbers[1] > _LAST[letter]:
        return None
    return _spread([(f"{letter}{numbers[0]}", str(numbers[1]))], match.end(1) - match.start(1))
