"""Spinal level arithmetic: parse level phrases, name joints, map nerves to joints.

Pure functions on strings, no spaCy. The nerve-to-joint table is coding-rules §6:
lumbar/thoracic L(n-1)+Ln medial branches supply Ln-L(n+1); L4 MB + L5 dorsal ramus supply
L5-S1; cervical Cn + C(n+1) supply Cn-C(n+1); the third occipital nerve supplies C2-C3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ordinal_words import ORDINALS
from .rule_text import plain_typography

VERTEBRAE: tuple[str, ...] = (
    *(f"C{n}" for n in range(1, 8)),
    *(f"T{n}" for n in range(1, 13)),
    *(f"L{n}" for n in range(1, 6)),
    "S1",
)
_VERTEBRA_INDEX = {name: index for index, name in enumerate(VERTEBRAE)}
# Nerve order has C8 between C7 and T1 (a cervical nerve, not a vertebra).
NERVES: tuple[str, ...] = (*VERTEBRAE[:7], "C8", *VERTEBRAE[7:])
_NERVE_INDEX = {name: index for index, name in enumerate(NERVES)}
JOINTS: tuple[str, ...] = tuple(f"{VERTEBRAE[i]}-{VERTEBRAE[i + 1]}" for i in range(1, len(VERTEBRAE) - 1))
_JOINT_INDEX = {name: index for index, name in enumerate(JOINTS)}

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "for": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NUM = r"(?:1[0-2]|[1-9]|one|two|three|four|for|five|six|seven|eight|nine|ten|eleven|twelve)"
_ITEM = re.compile(
    rf"(?P<seg>[CTLS]|\b(?:el|ell|es|ess|tee|tea|see|sea)(?=\s))\s?-?\s?(?P<num>{_NUM})(?!(?![CTLS][0-9])[a-z])"
    rf"|(?P<bare>{_NUM})(?!(?![CTLS][0-9])[a-z])",
    re.IGNORECASE,
)
# 'T one one' dictated digit by digit is T11 ('L one two' stays the L1-2 joint)
_T_DIGITS = re.compile(r"(?i)\b(?:T|tee|tea)[ \t]+one[ \t]+(zero|one|two)\b")
_T_NUMBER = {"zero": "T10", "one": "T11", "two": "T12"}
# letters as a speech engine spells them out: 'el five es one' is L5-S1, 'see five six' C5-6
_SPOKEN_LETTERS = {
    "EL": "L", "ELL": "L", "ES": "S", "ESS": "S", "TEE": "T", "TEA": "T", "SEE": "C", "SEA": "C",
}  # fmt: skip
_RANGE_WORDS = re.compile(r"\b(?:to|through|thru)\b", re.IGNORECASE)
_PAIR_MARKS = re.compile(r"[-\u2013\u2014/]|\bdash\b|\bon\b", re.IGNORECASE)  # 'L4 on 5': dictated
_SEGMENT_MAX = {"C": 8, "T": 12, "L": 5, "S": 1}


@dataclass(frozen=True)
class LevelUnit:
    """One piece of a level phrase: a joint pair, a range of vertebrae, or a single vertebra."""

    kind: str  # "pair" | "loose_pair" (spoken "L four L five") | "range" | "joint_range" | "single"
    first: str
    last: str


def joint_index(joint: str) -> int:
    return _JOINT_INDEX[joint]


def vertebra_index(name: str) -> int:
    return _VERTEBRA_INDEX[name]


def region_of(joint: str) -> str:
    """T12-L1 belongs to the cervical/thoracic family per CPT; L1-L2 and below are lumbar."""
    return "lumbar_sacral" if joint.startswith("L") else "cervical_thoracic"


def _number(text: str) -> int:
    lowered = text.lower()
    return _WORD_NUMBERS[lowered] if lowered in _WORD_NUMBERS else int(lowered)


LEVEL_START = re.compile(
    r"(?i)\b([CTLS])[ \t]?(?:[0-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
)
"""Where a level is written ('L4', 'C five'), its letter in group 1: a quick test for level words."""
_DASH_OR_SLASH = re.compile(r"^\s*[-\u2013\u2014/]\s*$")


def _items(text: str) -> list[tuple[str, int, str]]:
    """(segment, number, separator-before) triples; bare numbers inherit the segment before, and
    their separator is marked with a leading '~' (a bare number after a space continues a pair)."""
    items: list[tuple[str, int, str]] = []
    position = 0
    segment = None
    for match in _ITEM.finditer(text):
        separator = text[position : match.start()]
        position = match.end()
        if match.group("seg"):
            segment = match.group("seg").upper()
            segment = _SPOKEN_LETTERS.get(segment, segment)
            number = _number(match.group("num"))
        elif segment is None:
            continue
        else:
            number = _number(match.group("bare"))
            if separator.strip() == "":
                separator = "~" + separator
            elif (
                segment == "L"
                and number == 1
                and items
                and items[-1][:2] == ("L", 5)
                and _DASH_OR_SLASH.search(separator)
            ):
                items.append(("S", 1, separator))  # 'L4-5, 5-1': the lumbosacral joint
                continue
        if segment == "L" and number > 5 and match.group("seg") and len(match.group("num")) == 2:
            items.append((segment, int(match.group("num")[0]), separator))
            items.append((segment, int(match.group("num")[1]), ""))
            continue
        if number > _SEGMENT_MAX[segment]:
            continue
        items.append((segment, number, separator))
    return items


def _name(segment: str, number: int) -> str:
    return f"{segment}{number}"


_DASH = re.compile(r"[-\u2013\u2014]")


def _relation(separator: str, _unused: bool = True) -> str:
    if _RANGE_WORDS.search(separator):
        return "range"
    if _PAIR_MARKS.search(separator) or separator == "" or separator.startswith("~"):
        return "pair"
    return "list"


_REGION_WORDS = re.compile(r"\b(?:(lumbar)|(cervical)|(thoracic)|(sacral))(?:\s+levels?)?\s*", re.IGNORECASE)


def _region_letters(text: str) -> str:
    """'lumbar 4-5' reads as 'L4-5'."""
    return _REGION_WORDS.sub(
        lambda m: "L" if m.group(1) else "C" if m.group(2) else "T" if m.group(3) else "S", text
    )


_ORDINALS = ORDINALS
_ORDINAL = "(" + "|".join(_ORDINALS) + ")"
_REGION = r"(lumbar|cervical|thoracic|sacral)"
# 'the fourth and fifth lumbar', 'the fifth lumbar-first sacral', 'C seventh cervical to first thoracic'
_ORDINAL_PAIR = re.compile(rf"(?i)\b{_ORDINAL}\s+(?:and|to|on|-)\s+(?:the\s+)?{_ORDINAL}\s+{_REGION}\b")
_ORDINAL_CROSS = re.compile(
    rf"(?i)\b{_ORDINAL}\s+{_REGION}\s*(?:-|\u2013|\s+(?:to|on)\s+|\s+and\s+(?:the\s+)?)\s*{_ORDINAL}\s+{_REGION}\b"
)


_ORDINAL_LIST = re.compile(
    rf"(?i)^(?:the\s+)?{_ORDINAL}((?:\s*,\s*(?:the\s+)?{_ORDINAL})*)(?:,?\s+and\s+(?:the\s+)?)({_ORDINAL})\s+{_REGION}$"
)
_ORDINAL_WORD = re.compile(rf"(?i)\b{_ORDINAL}\b")


def ordinal_vertebrae(text: str) -> list[str] | None:
    """'the third and fourth lumbar' -> ['L3', 'L4']; 'sixth, seventh and eighth thoracic' -> ['T6',
    'T7', 'T8']: vertebrae (or nerves) listed by ordinal; None when the text is no such list."""
    match = _ORDINAL_LIST.match(text.strip())
    if match is None:
        return None
    letter = match.group(match.lastindex or 0)[0].upper()
    return [f"{letter}{_ORDINALS[word.lower()]}" for word in _ORDINAL_WORD.findall(text)]


def _ordinal_levels(text: str) -> str:
    """'fourth and fifth lumbar' -> 'L4-5'; 'fifth lumbar-first sacral' -> 'L5-S1'; '4th and 5th
    lumbar' -> 'L4-5'; three or more ordinals listed ('sixth, seventh and eighth thoracic') are
    vertebrae: 'T6, T7, T8'."""
    lowered = text.lower()
    if not any(suffix in lowered for suffix in ("th", "first", "1st", "2nd", "3rd")):
        return text
    listed = ordinal_vertebrae(text)
    if listed is not None and len(listed) > 2:
        return ", ".join(listed)

    def letter(region: str) -> str:
        return region[0].upper()

    text = _ORDINAL_CROSS.sub(
        lambda m: (
            f"{letter(m.group(2))}{_ORDINALS[m.group(1).lower()]}-"
            f"{letter(m.group(4))}{_ORDINALS[m.group(3).lower()]}"
        ),
        text,
    )
    return _ORDINAL_PAIR.sub(
        lambda m: f"{letter(m.group(3))}{_ORDINALS[m.group(1).lower()]}-{_ORDINALS[m.group(2).lower()]}", text
    )


_CHAIN_DASH = re.compile(r"[ \t]?-[ \t]?")
_CHAIN_SLASH = re.compile(
    r"[ \t]?/[ \t]?"
)  # ('L4/5/S1'; not 'L3/4/5' nor 'C4/C5/C6', lists of nerves as often)


def parse_level_phrase(text: str) -> list[LevelUnit]:
    """Split a level phrase into units: 'L4-5 and L5-S1' -> two pairs; 'L3 through L5' -> a
    range; 'C5, C6, C7' -> three singles; 'L2-3 to L4-5' -> one range L2..L5."""
    text = plain_typography(text)
    if "one" in text or "ONE" in text:
        text = _T_DIGITS.sub(lambda m: _T_NUMBER[m.group(1).lower()], text)
    items = _items(_region_letters(_ordinal_levels(text)))
    units: list[LevelUnit] = []
    i = 0
    while i < len(items):
        first = _name(items[i][0], items[i][1])
        relation = _relation(items[i + 1][2], True) if i + 1 < len(items) else "end"
        if relation == "list" and i + 1 < len(items) and items[i + 1][2].strip() == "":
            consecutive = _VERTEBRA_INDEX.get(_name(items[i + 1][0], items[i + 1][1]), -1) == (
                _VERTEBRA_INDEX.get(first, -9) + 1
            )
            letters_change = items[i + 1][0] != items[i][0]  # 'L5 S1', 'T12 L1': one joint
            # 'L4 L5 faucet joint': two consecutive levels alone in the phrase read as a joint too
            loose = _is_spoken(text) or letters_change or len(items) == 2
            relation = "loose_pair" if consecutive and loose else "list"
        if relation == "loose_pair":
            if items[i + 1][0] != items[i][0]:  # "L five S one": the letters change, so one joint
                relation = "pair"
            else:  # "L four L five": a joint, or two nerves beside medial-branch words
                units.append(LevelUnit("loose_pair", first, _name(items[i + 1][0], items[i + 1][1])))
                i += 2
                continue
        if relation in ("pair", "range"):
            last = _name(items[i + 1][0], items[i + 1][1])
            i += 2
            kind = "pair" if relation == "pair" else "range"
            # "L2-3 to L4-5": a pair followed by a range word and another pair is one range.
            # "L3/4 - L5/S1": a pair, a dash and another pair is a range of joints too
            dash_to_pair = (
                kind == "pair"
                and i + 1 < len(items)
                and _DASH.fullmatch(items[i][2].strip()) is not None
                and _relation(items[i + 1][2], True) == "pair"
            )
            if i < len(items) and (_relation(items[i][2], True) == "range" or dash_to_pair):
                last = _name(items[i][0], items[i][1])
                i += 1
                if i < len(items) and _relation(items[i][2], True) == "pair":
                    last = _name(items[i][0], items[i][1])
                    i += 1
                kind = "joint_range" if kind == "pair" else "range"
            elif kind == "range" and i < len(items) and _relation(items[i][2], True) == "pair":
                last = _name(items[i][0], items[i][1])
                i += 1
            units.append(LevelUnit(kind, first, last))
            while kind == "pair" and i < len(items) and _chained(items[i], last):
                # 'L4-L5-S1', 'L3-4-5', 'L4/5/S1': a chain of consecutive levels names each joint in it
                following = _name(items[i][0], items[i][1])
                if _VERTEBRA_INDEX.get(following, -1) != _VERTEBRA_INDEX.get(last, -9) + 1:
                    break
                units.append(LevelUnit("pair", last, following))
                last = following
                i += 1
            continue
        units.append(LevelUnit("single", first, first))
        i += 1
    return units


def _chained(item: tuple[str, int, str], last: str) -> bool:
    """The item goes on a chain of levels ending at ``last``: after a dash, or after a slash when it
    is the sacrum closing a lumbar chain ('L4/5/S1')."""
    if _CHAIN_DASH.fullmatch(item[2]) is not None:
        return True
    return last == "L5" and _name(item[0], item[1]) == "S1" and _CHAIN_SLASH.fullmatch(item[2]) is not None


def _is_spoken(text: str) -> bool:
    return bool(
        re.search(
            r"[CTLS]\s+(?:one|two|three|four|for|five|six|seven|eight|nine|ten|eleven|twelve)\b", text, re.I
        )
    )


def joints_between(first: str, last: str) -> list[str]:
    """Joints from vertebra ``first`` down to vertebra ``last`` (C8 is read as T1's neighbour)."""
    first = "C7" if first == "C8" else first
    last = "T1" if last == "C8" else last
    if first not in _VERTEBRA_INDEX or last not in _VERTEBRA_INDEX:
        return []
    a, b = _VERTEBRA_INDEX[first], _VERTEBRA_INDEX[last]
    if b <= a:
        return []
    return [
        f"{VERTEBRAE[i]}-{VERTEBRAE[i + 1]}"
        for i in range(a, b)
        if f"{VERTEBRAE[i]}-{VERTEBRAE[i + 1]}" in _JOINT_INDEX
    ]


def unit_joints(unit: LevelUnit) -> list[str]:
    """The joints a unit names when read as joints (singles name none)."""
    if unit.kind == "single":
        return []
    return joints_between(unit.first, unit.last)


def unit_vertebrae(unit: LevelUnit) -> list[str]:
    """The vertebrae (or nerves) a unit names when read as a nerve list."""
    if unit.kind == "single":
        return [unit.first]
    a, b = _NERVE_INDEX.get(unit.first), _NERVE_INDEX.get(unit.last)
    if a is None or b is None or b < a:
        return []
    return list(NERVES[a : b + 1])


def is_consecutive_pair(unit: LevelUnit) -> bool:
    """Units that name joints whatever words stand around them: 'L4-5', 'L2-3 to L4-5'."""
    return unit.kind == "joint_range" or (unit.kind == "pair" and len(unit_joints(unit)) == 1)


def target_to_nerve(vertebra: str) -> str | None:
    """A needle target at the transverse process of L(n)/T(n) lies on the L(n-1)/T(n-1) medial
    branch; cervical targets (articular pillar of Cn) name the Cn branch itself."""
    if vertebra.startswith("C"):
        return vertebra
    index = _NERVE_INDEX.get(vertebra)
    if index is None or index == 0:
        return None
    return NERVES[index - 1]


def nerves_to_joints(nerves: list[str], third_occipital: bool = False) -> list[str]:
    """Consecutive nerve pairs -> joints (coding-rules §6); the TON alone -> C2-C3."""
    ordered = sorted({n for n in nerves if n in _NERVE_INDEX}, key=_NERVE_INDEX.__getitem__)
    joints: list[str] = []
    if third_occipital or "TON" in nerves:
        joints.append("C2-C3")
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        if _NERVE_INDEX[lower] != _NERVE_INDEX[upper] + 1:
            continue
        joint = _pair_joint(upper, lower)
        if joint and joint not in joints:
            joints.append(joint)
    return sorted(joints, key=_JOINT_INDEX.__getitem__)


def joints_of_nerve(nerve: str) -> list[str]:
    """The joints a nerve helps supply (with the nerve above or below it): a nerve not blocked
    leaves those joints not done."""
    index = _NERVE_INDEX.get(nerve)
    if index is None:
        return []
    neighbours = NERVES[max(0, index - 1) : index + 2]
    joints = {j for other in neighbours if other != nerve for j in nerves_to_joints([nerve, other])}
    return sorted(joints, key=_JOINT_INDEX.__getitem__)


def _pair_joint(upper: str, lower: str) -> str | None:
    if upper.startswith("C"):
        if upper == "C7":
            return "C7-T1"
        if upper == "C8":
            return "T1-T2"
        number = int(upper[1:])
        return f"C{number}-C{number + 1}" if number >= 2 else None
    if upper == "L5" and lower == "S1":
        return "L5-S1"
    index = _VERTEBRA_INDEX[upper]
    if index + 2 >= len(VERTEBRAE):
        return "L5-S1"
    return f"{VERTEBRAE[index + 1]}-{VERTEBRAE[index + 2]}"
