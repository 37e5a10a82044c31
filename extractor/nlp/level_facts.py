"""Joints and sides from level phrases, nerve lists and needle targets of today's procedure.

A level phrase takes the side written next to it ("right L4-5", "L5-S1 bilaterally",
"L L4-5"); a side word between two phrases belongs to the one it is attached to ("L4-5 on the
right and L5-S1 on the left"). Joints named outright win over joints derived from nerves.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Evidence
from .level_parser import (
    LEVEL_START,
    LevelUnit,
    is_consecutive_pair,
    joint_index,
    nerves_to_joints,
    ordinal_vertebrae,
    parse_level_phrase,
    target_to_nerve,
    unit_joints,
    unit_vertebrae,
)
from .note_view import Mention, NoteView
from .sections import SPOKEN_PLAN

# (and 'the third and fourth lumbar on the patient's left', 'L4-5 on her right', 'the joint below
# the twelfth thoracic vertebra on both sides')
_POSTFIX_GAP = re.compile(
    r"^[\s,(|:]*(?:(?:(?:facet|faucet|fastest|fascet|facette)\s+)?(?:joints?|jts?|levels?|facets?|faucets?|fascets?|medial\s+branch(?:es)?(?:\s+(?:nerves?|targets?))?|MBs?|targets?(?=\s+on\b)|"
    r"dorsal\s+ram(?:us|i|os)|nerves?|vertebra[es]?|(?:were|was)\s+(?:blocked|injected|treated|lesioned|targeted|performed))\s*)*"
    r"(?:,\s*)?(?:on\s+the(?:\s+patient'?s)?|on\s+(?:his|her|their)|on|at\s+the|of(?:\s+the)?|,|:)?[\s(|:]*$",
    re.IGNORECASE,
)
_SIDE_CHAIN = re.compile(
    r"^(?:\s|,|/|&|\band\b|\bthen\b|\balso\b|\bon\b|\bthe\b|\bsides?\b|\bfirst\b|\bfollowed\s+by\b)*$",
    re.IGNORECASE,
)  # 'left and right', 'right side first and then left'
_PREFIX_WINDOW = 100
_POSTFIX_WINDOW = 40
_CUE_WINDOW = 40
_LEVEL_AHEAD = re.compile(r"[ \t]{1,2}(?:[CTL][0-9]|S1\b)")
# ('right L4-5', 'left at L5-S1', 'left only at L1-L2')
_TIGHT_GAP = re.compile(r"^\s{0,2}(?:(?:only\s+)?(?:at|@|for|of)\s+(?:the\s+)?)?$", re.I)
_JOINTS_AFTER = re.compile(
    r"(?:\(\w+\)\s*)?(?:facet\s+)?(?:joints?|jts?|facets?|zygapophys\w*|levels?|segments?)\b", re.I
)
_SPOKEN_PAIR = re.compile(
    r"\b[CTLS]\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.I
)
_LIST_THEN_JOINTS = re.compile(
    r"(?i)[ \t]{0,2}(?:,[ \t]{0,2})?(?:and|&)[ \t]+(?:the[ \t]+)?[CTL][^\n.;,]{1,20}?[ \t]+"
    r"(?:(?:facet|faucet|fastest|fascet|fast[ \t]+it)[ \t]+)?joints\b"
)
_FOR_NAMED_NERVE = re.compile(
    r"(?i)[ \t,]{1,3}for[ \t]+(?:the[ \t]+)?(?:left[ \t]+|right[ \t]+)?[CTL][ \t]?[0-9]{1,2}"
    # ('... right L1 and L2 for the right T12 and L1 medial branches')
    r"(?:[ \t]*(?:,|and|&)[ \t]*[CTL]?[ \t]?[0-9]{1,2})*[ \t]+"
    r"(?:medial|MB\b|dorsal|DR\b|primary)"
    # '... and to the corresponding position at L2 (L1 medial branch)': the nerve named in brackets
    r"|[ \t]{0,2}\([ \t]?[CTL][ \t]?[0-9]{1,2}\s{1,12}(?:medial|MB\b|dorsal|DR\b)"
)
_TARGET_AFTER = re.compile(r"(?i)[ \t]{1,2}(?:junction|SAP\b|TP\b|transverse\s+process|superior\s+articular)")
_DASHED_JOINT = re.compile(r"[CTL]\d{1,2}\s*-\s*[CTLS]?\d", re.I)
_LETTERED_SLASH = re.compile(r"[CTLS]\d{1,2}\s*/\s*[CTLS]\d", re.I)
_BARE_SLASH_CHAIN = re.compile(r"[CTL]\d{1,2}(?:/\d{1,2}){2,}", re.I)
_BARE_SLASH_PAIR = re.compile(r"[CTL]\d{1,2}/\d{1,2}", re.I)
# three or more lettered levels in a row before a nerve procedure ('left T11/T12/L1 MBB', 'B/L T11
# T12 L1 MBB') are its nerves (a joint is two levels; a comma list is left to the words around it)
_LETTERED_CHAIN = re.compile(r"[CTL]\d{1,2}(?:[ \t]?/[ \t]?[CTLS]\d{1,2}|[ \t]{1,3}[CTLS]\d{1,2}){2,}", re.I)
_CHAIN_BLANK = re.compile(r"(?<=\d)[ \t]+(?=[CTLS]\d)", re.I)
_NERVE_PROCEDURE_AFTER = re.compile(r"(?i)[ \t]{0,2}(?:MBBs?|MBNBs?|MBs?|RFA|RFN)\b")
_DORSAL_RAMUS_NEXT = re.compile(
    r"(?i)[ \t]{0,2}(?:medial[ \t]+branch(?:es)?|MBs?)[ \t]{0,2}(?:\+|&|and|,)[ \t]{0,2}(?:the[ \t]+)?"
    r"L5[ \t]{0,2}(?:DR|dorsal[ \t]+ram)"
)


@dataclass
class LevelObservation:
    """A joint (or nerve) named today, with the side written beside it, if any."""

    name: str
    side: str | None
    mentions: list[Mention]
    from_nerves: bool = False
    header: bool = False


@dataclass
class PhraseReading:
    phrase: Mention
    sides: list[Mention]
    joints: list[str] = field(default_factory=list)
    nerves: list[str] = field(default_factory=list)
    mode: str | None = None


def combine_sides(sides: list[str | None]) -> str | None:
    found = {s for s in sides if s}
    if not found:
        return None
    if "bilateral" in found or {"left", "right"} <= found:
        return "bilateral"
    return found.pop()


def attach_sides(view: NoteView, phrases: list[Mention]) -> dict[int, list[Mention]]:
    """For each level phrase (by mention index), the side mentions that govern it.

    A side word directly before a phrase is its prefix ('right L4-5'); one right after a phrase
    ('L4-5 bilaterally', 'L4-5 on the left', 'L4-5 (R)') is its postfix; a phrase with no side
    of its own shares the side of a list it continues ('bilateral L4-5, L5-S1')."""
    attached: dict[int, list[Mention]] = {}
    by_sentence: dict[int, list[Mention]] = {}
    for phrase in phrases:
        by_sentence.setdefault(phrase.sent, []).append(phrase)
    for sent, group in by_sentence.items():
        group.sort(key=lambda m: m.start)
        sides = [
            s
            for s in view.in_sentence(sent, "SIDE")
            if not s.historical
            and (not s.negated or "NEGATED_EXISTENCE_CORRECTED" in s.status)
            and "OTHER_SITE" not in s.status
        ]
        taken_back = {
            s.start
            for s in sides
            if (s.negated and not _level_was_corrected(view, s, group))
            or _corrected(view, s)
            or _overruled(view, s)
        }
        for k, replacing in enumerate(sides):
            if not _REPLACING_SIDE.search(view.text, max(0, replacing.start - 40), replacing.start):
                continue
            # 'left L4-5 and L5-S1, make that the right side': the side said before it is the slip
            # ('bilateral L5-S1 and right L for five, I mean right L four five': the side said again is
            # the slip's own, so nothing before it is taken back)
            # ('L four five on both sides and L five S one on the left, I mean the right': only the
            # slip, the sides of its value just before the correction, is taken back)
            j = k - 1
            slip = None
            while j >= 0 and replacing.start - sides[j].end <= _REPLACED_REACH:
                value = sides[j].value
                if value == replacing.value or (slip is not None and value != slip):
                    break
                slip = value
                taken_back.add(sides[j].start)
                j -= 1
        own: dict[int, list[Mention]] = {}
        last: tuple[Mention, int] | None = None
        for k, side in enumerate(sides):
            before = [p for p in group if p.end <= side.start]
            after = [p for p in group if p.start >= side.end]
            labelled = _side_label_governs(view.text, side, sides[k + 1 :], after)
            if labelled is not None:
                # 'LEFT SIDE: L4-5  L5-S1        RIGHT SIDE: L5-S1': a label governs its column
                for phrase in labelled:
                    own.setdefault(phrase.index, []).append(side)
                last = None
                continue
            previous = before[-1] if before else None
            following = after[0] if after else None
            adverb = side.text.lower().endswith("ly") or side.text.startswith("(")
            tight_prefix = (
                following is not None
                and not adverb
                and _TIGHT_GAP.match(view.text[side.end : following.start]) is not None
            )
            # 'left and right L4-5' chains; 'L3/4 bilaterally and the right L4/5' does not: the
            # second side sits tight before another phrase than the first side's
            if (
                last is not None
                and _SIDE_CHAIN.match(view.text[last[0].end : side.start])
                and not (tight_prefix and following is not None and following.index != last[1])
            ):
                own[last[1]].append(side)
                last = (side, last[1])
                continue
            postfix_ok = (
                previous is not None
                and side.start - previous.end <= _POSTFIX_WINDOW
                and (
                    _POSTFIX_GAP.match(view.text[previous.end : side.start]) is not None
                    or adverb
                    or following is None
                )
            )
            # '(right L5-S1 row voided - not done, no right ...)': a side right before a level
            # left out of the group is that level's, and a side after such a level is no postfix
            # of the one before it
            prefixes_other = following is None and (
                _LEVEL_AHEAD.match(view.text, side.end) is not None
                or (
                    previous is not None
                    and any(
                        previous.end <= p.start < side.start for p in view.in_sentence(sent, "LEVEL_PHRASE")
                    )
                )
            )
            if postfix_ok and not tight_prefix and not prefixes_other:
                own.setdefault(previous.index, []).append(side)  # type: ignore[union-attr]
                last = (side, previous.index)  # type: ignore[union-attr]
            elif (
                following is not None
                and following.start - side.end <= _PREFIX_WINDOW
                # ('the left was never really the problem, ..., so we did the right side only, the
                # right C6-7': a finding's side is no prefix past a side said nearer the level)
                and not (
                    "FINDING" in side.status
                    and any(side.end <= o.start and o.end <= following.start for o in sides[k + 1 :])
                )
            ):
                own.setdefault(following.index, []).append(side)
                last = (side, following.index)
            else:
                last = None
        carried: list[Mention] = []
        for phrase in group:
            written = own.get(phrase.index, [])
            # a side taken back ('on the left comma correction') leaves its phrase side-less,
            # not open to the side of the list before it
            found = [s for s in written if s.start not in taken_back]
            if not written and carried and _joined_by_list(view, carried[-1], phrase):
                found = carried
            if found:
                attached[phrase.index] = found
            carried = found
        # 'the C5 on 6 and the C6 on 7 facet joints on the right': a side written after the
        # last of a list governs the list
        for phrase, following in reversed(list(zip(group, group[1:], strict=False))):
            trailing = attached.get(following.index, [])
            if (
                phrase.index not in attached
                and trailing
                and all(side.start >= following.end for side in trailing)
                and _LIST_JOINER.match(view.text[phrase.end : following.start])
            ):
                attached[phrase.index] = trailing
    # 'Laterality L3-L4' / 'Left': an export's label line names the level of the value below it
    ordered = sorted(phrases, key=lambda m: m.start)
    starts = [p.start for p in ordered]
    _line_led_by_side(view, ordered, starts, attached)
    for side in view.of("SIDE"):
        if not side.today or side.negated:
            continue
        if labelled := _labelled_level(view, side, ordered, starts):
            attached[labelled.index] = [side]
            continue
        # 'Joint - L4/L5 facet' / 'Side - Right': a block's side field names the level above it
        for phrase in level_line_above(view, side, ordered, starts):
            attached.setdefault(phrase.index, [side])
        for phrase in _list_under_side(view.text, side, ordered, starts):
            attached.setdefault(phrase.index, [side])
    return attached


_ENDS_LINE_WITH_COLON = re.compile(r"[ \t]{0,3}(?:sides?)?[ \t]{0,3}:[ \t]*\n")
_LIST_LINE = re.compile(r"[ \t]{1,40}\S|[-*\u2022][ \t]|[0-9]{1,2}[.)][ \t]")


def _list_under_side(text: str, side: Mention, ordered: list[Mention], starts: list[int]) -> list[Mention]:
    """'... to the lateral articular pillar targets, right side:' over indented lines ('   C6-C7
    level - C6 and C7 medial branches'): the side a line ends on governs the list below it (up to
    the first line back at the margin)."""
    opener = _ENDS_LINE_WITH_COLON.match(text, side.end)
    if opener is None:
        return []
    position = opener.end()
    blank_end = text.find("\n", position)
    if blank_end != -1 and not text[position:blank_end].strip():
        position = blank_end + 1  # (one blank line between the side and its list)
    end = position
    while end < len(text) and _LIST_LINE.match(text, end):
        line_end = text.find("\n", end)
        end = len(text) if line_end == -1 else line_end + 1
    first = bisect_left(starts, position)
    return [p for p in ordered[first:] if p.start < end] if end > position else []


# a side as a field label: at the start of its line or of a column ('LEFT SIDE: L4-5   RIGHT SIDE: --')
_SIDE_WORD_COLON = re.compile(r"(?i)(?:sides?\b[ \t]{0,3})?:")


def _line_lead(text: str, offset: int) -> str:
    """The text from the start of ``offset``'s line up to it."""
    return text[text.rfind("\n", 0, offset) + 1 : offset]


def _side_label_governs(
    text: str, side: Mention, later: list[Mention], after: list[Mention]
) -> list[Mention] | None:
    """The level phrases a side written as a field label governs: those after it on its line,
    up to the next side ([] for 'LEFT SIDE: --'); None when the side is no label."""
    if not _SIDE_WORD_COLON.match(text[side.end : side.end + 16].lstrip(" \t")):
        return None
    lead = _line_lead(text, side.start)
    if lead.strip(" \t") and not lead.endswith(("   ", "\t")):
        return None
    line_end = text.find("\n", side.end)
    stop = min(line_end if line_end != -1 else len(text), later[0].start if later else len(text))
    return [p for p in after if p.end <= stop]


_LIST_MARK = re.compile(r"(?:[-*\u2022]|[0-9]{1,2}[.)])?")


def _line_led_by_side(
    view: NoteView, ordered: list[Mention], starts: list[int], attached: dict[int, list[Mention]]
) -> None:
    """'- right L3 medial branch: junction of SAP and TP of L4': a line (or list item) that
    opens with its only side gives that side to every level on it that has none of its own."""
    text = view.text
    for side in view.of("SIDE"):
        if not side.today or side.negated:
            continue
        lead = _line_lead(text, side.start)
        if lead[-1:] not in ("", " ", "\t") or not _LIST_MARK.fullmatch(lead.strip(" \t")):
            continue
        line_end = _item_end(text, side.end, len(lead) - len(lead.lstrip(" \t")))
        if any(side.start < other.start < line_end for other in view.of("SIDE")):
            continue
        for phrase in ordered[bisect_left(starts, side.end) :]:
            if phrase.start >= line_end:
                break
            attached.setdefault(phrase.index, [side])


_ITEM_LINES = 4


def _item_end(text: str, offset: int, indent: int) -> int:
    """The end of the list item whose first line holds ``offset``: its lines wrapped below it,
    indented deeper than its own first line and no item of their own ('  - LEFT: ... sacral ala
    notch' / '    (L5 dorsal ramus).')."""
    end = text.find("\n", offset)
    for _ in range(_ITEM_LINES):
        if end == -1:
            return len(text)
        following = text.find("\n", end + 1)
        line = text[end + 1 : following if following != -1 else len(text)]
        body = line.lstrip(" \t")
        if not body or len(line) - len(body) <= indent or _LIST_MARK.match(body).end():
            return end
        end = following
    return end if end != -1 else len(text)


_SIDE_LABEL_LINE = re.compile(r"(?i)[ \t]{0,8}(?:laterality|side)\b")
_LABEL_REACH = 80


def _side_line(text: str, side: Mention) -> tuple[int, int, int] | None:
    """Where the side's line starts and ends and where the line above it starts; None when no
    line break is near (a long line is no form field)."""
    line_start = text.rfind("\n", max(0, side.start - _LABEL_REACH), side.start) + 1
    line_end = text.find("\n", side.end, side.end + _LABEL_REACH)
    line_end = len(text) if line_end == -1 and len(text) - side.end < _LABEL_REACH else line_end
    if line_start == 0 or line_end == -1:
        return None
    above = text.rfind("\n", max(0, line_start - 1 - _LABEL_REACH), line_start - 1) + 1
    return line_start, line_end, above


def _labelled_level(view: NoteView, side: Mention, group: list[Mention], starts: list[int]) -> Mention | None:
    """The level phrase on a 'Laterality L3-L4' line right above a line that is this side alone."""
    text = view.text
    if (bounds := _side_line(text, side)) is None:
        return None
    line_start, line_end, above = bounds
    if text[line_start : side.start].strip() or text[side.end : line_end].strip():
        return None
    if not _SIDE_LABEL_LINE.match(text, above, line_start):
        return None
    first = bisect_left(starts, above)  # (group: the phrases in text order, starts: theirs)
    on_label = [p for p in group[first : first + 4] if p.start < line_start - 1]
    return on_label[-1] if on_label else None


_SIDE_FIELD_PREFIX = re.compile(r"(?i)[ \t]{0,8}(?:laterality|side)[ \t]{0,3}[-:=][ \t]{0,3}\Z")


def level_line_above(view: NoteView, side: Mention, group: list[Mention], starts: list[int]) -> list[Mention]:
    """The level phrases on the line right above a 'Side - Right' field line that holds only
    this side: a per-level block of a form ('Joint - L4/L5 facet' / 'Side - Right')."""
    text = view.text
    if (bounds := _side_line(text, side)) is None:
        return []
    line_start, line_end, above = bounds
    if text[side.end : line_end].strip(" \t.;") or not _SIDE_FIELD_PREFIX.match(
        text[line_start : side.start]
    ):
        return []
    if above == 0 and line_start - 1 > _LABEL_REACH:
        return []  # (a long line above is no field of the block)
    first = bisect_left(starts, above)
    return [p for p in group[first : first + 6] if p.start < line_start - 1]


_LIST_JOINER = re.compile(r"^\s{0,3}(?:,\s{0,3}(?:and\s+)?|and\s+|&\s*|/\s*)(?:the\s+)?$", re.I)


_CORRECTION = re.compile(
    r"^\W*(?:comma\W+)?(?:correction|scratch\s+that|I\s+mean|I'?m\s+sorry|I\s+am\s+sorry|sorry|excuse\s+me|strike\s+that|"
    r"make\s+that|rather|no\s+wait|no\W+(?:comma\W+)?(?=(?:left|right|bilat)))\b",
    re.I,
)


# 'make that the right side', 'correction, the left': a side said in place of an earlier one
_REPLACING_SIDE = re.compile(
    r"(?i)\b(?:make\s+that|correction|scratch\s+that|I\s+mean|I\s+meant)[\s,]{1,4}(?:it\s+was\s+|that\s+was\s+)?"
    r"(?:the\s+|on\s+the\s+)?\Z"
)
_REPLACED_REACH = 120
_SIDE_WORD = re.compile(r"(?i)\b(?:left|right|bilateral(?:ly)?|bilat|both\s+sides)\b")


def _level_was_corrected(view: NoteView, side: Mention, group: list[Mention]) -> bool:
    """'right L three four, correction, L four five': the correction took back the level, not
    the side, which goes on to the level said in its place (no side word before it)."""
    if "NEGATED_EXISTENCE_CORRECTED" not in side.status:
        return False
    following = next((p for p in group if p.start >= side.end), None)
    if following is None or following.start - side.end > _PREFIX_WINDOW:
        return False
    between = view.text[side.end : following.start]
    cue = _SPOKEN_CORRECTION.search(between)
    return (
        cue is not None
        and LEVEL_START.search(between, 0, cue.start()) is not None
        and _SIDE_WORD.search(between) is None
    )


_SPOKEN_CORRECTION = re.compile(
    r"(?i)\b(?:correction|scratch\s+that|strike\s+that|I\s+mean|no\s+wait|sorry)\b"
)


# '... right C seven T one no wait comma that was the left comma left C seven T one': dictated
# punctuation ('comma') may sit between the cue and the side said in its place
_CORRECTED_LATER = re.compile(
    r"[^.\n]{0,60}?\b(?:correction|scratch\s+that|strike\s+that|no\s+wait)\b[,\s]{1,4}(?:comma\s+)?"
    r"(?:that\s+should\s+(?:read|be)\s+|I\s+mean\s+|that\s+was\s+(?:the\s+)?)?"
    r"(?:left|right|bilateral)\b|[^.\n]{0,60}?\bthat\s+should\s+(?:read|be)\s+(?:left|right|bilateral)\b",
    re.I,
)


_SPEAKER = re.compile(r"(?i)(?<![ \t])[ \t]{0,8}(resident|fellow|attending|staff)[ \t]{0,3}:")
_SPEAKER_REACH = 600
_NO_ONE_SIDE_ONLY = re.compile(r"(?i)\W{0,3}no\b[^\n]{0,60}?\b(?:right|left)[ \t]+only\b")
_OTHER_SIDE_WORD = {"left": re.compile(r"(?i)\bright\b"), "right": re.compile(r"(?i)\bleft\b")}


def _overruled(view: NoteView, side: Mention) -> bool:
    """'RESIDENT: ... left T twelve L one and left L one two.' then 'ATTENDING: Right. Right side.':
    a trainee's side that the supervising physician's next line contradicts."""
    if side.value not in _OTHER_SIDE_WORD and side.value != "bilateral":
        return False
    text = view.text
    line_start = text.rfind("\n", max(0, side.start - _SPEAKER_REACH), side.start) + 1
    speaker = _SPEAKER.match(text, line_start, side.start)
    if speaker is None or speaker.group(1).lower() not in ("resident", "fellow"):
        return False
    line_end = text.find("\n", side.end, side.end + _SPEAKER_REACH)
    if line_end == -1:
        return False
    reply = _SPEAKER.match(text, line_end + 1, line_end + 40)
    if reply is None or reply.group(1).lower() not in ("attending", "staff"):
        return False
    opening = text[reply.end() : reply.end() + 80]
    if side.value == "bilateral":  # 'ATTENDING: No. C five six was right only.'
        return _NO_ONE_SIDE_ONLY.match(opening) is not None
    return _OTHER_SIDE_WORD[side.value].search(opening) is not None


def _corrected(view: NoteView, side: Mention) -> bool:
    """'left, correction, right L5-S1' or 'The left side of the neck was prepped, correction,
    that should read right': the side the speaker took back."""
    return (
        _CORRECTION.match(view.text[side.end : side.end + 25]) is not None
        or _CORRECTED_LATER.match(view.text[side.end : side.end + 90]) is not None
        or _QUOTED_SLIP.search(view.text[max(0, side.start - 14) : side.start]) is not None
    )


# '... correction, I said left, it was the right': the side quoted is the slip
_QUOTED_SLIP = re.compile(r"(?i)\bI\s+(?:said|dictated|meant\s+not)\s+$")


def _joined_by_list(view: NoteView, side: Mention, phrase: Mention) -> bool:
    """'bilateral L4-5, L5-S1 and L3-4': a list after one side word shares it."""
    gap = view.text[side.end : phrase.start]
    return len(gap) < 90 and not re.search(r"[.;:]|\b(?:left|right|bilateral)\b", gap, re.IGNORECASE)


_FOR_THE_JOINT = re.compile(r"(?i)\bfor\b")
_OWN_LEVEL_IN_PARENTHESIS = re.compile(
    r"(?i)[ \t]{0,3}(?:on[ \t]+the[ \t]+(?:left|right)[ \t]{0,3})?"
    r"\([ \t]?(?:the[ \t]+)?(?:(?:left|right)[ \t]+)?[CTL][ \t]?[0-9]"
)


def _cue_mode(view: NoteView, phrase: Mention) -> str | None:
    """'nerve' when medial-branch / dorsal-ramus words sit beside the phrase, 'target' for
    transverse process / SAP words, else None."""
    best: tuple[int, str] | None = None
    for cue in view.in_sentence(phrase.sent, "NERVE_CUE", "NERVE_DR", "TARGET_CUE"):
        if cue.end <= phrase.start:
            distance = phrase.start - cue.end
        elif cue.start >= phrase.end:
            distance = cue.start - phrase.end
        else:
            continue
        if distance > _CUE_WINDOW:
            continue
        low, high = (cue.end, phrase.start) if cue.end <= phrase.start else (phrase.end, cue.start)
        between = view.text[low:high]
        if "|" in between:
            continue  # another table cell ('| L4/L5 | R + L | L3 MB, L4 MB |')
        if cue.end <= phrase.start and ")" in between and "(" not in between:
            continue  # ('(right T10, T11 and T12 medial branches) and of T12 and L1': the bracket's own)
        if cue.end <= phrase.start and _FOR_THE_JOINT.search(between):
            continue  # ('... the S1 superior articular process for the right L5-S1': the joint it serves)
        if cue.start >= phrase.end and _OWN_LEVEL_IN_PARENTHESIS.match(between):
            # ('the TP of L5 (L4 medial branch)': the bracket names the nerve on the L5 bone, the
            # L5 itself is where the needle went)
            continue
        if cue.start >= phrase.end and "corresponding" in between:
            # ('... transverse processes of ... left T8 and T9, the course of the corresponding medial
            # branches': the branches the targets lead to, not a nerve list)
            continue
        # blanks do not count: a wrapped, indented line ('... (left T11, T12 and L1' /
        # '       medial branches)') keeps the cue right beside the phrase
        distance = len(" ".join(between.split()))
        mode = "target" if cue.category == "TARGET_CUE" else "nerve"
        if best is None or distance < best[0]:
            best = (distance, mode)
    return best[1] if best else None


_BARE_VERTEBRA = re.compile(r"[CTL](?:1[0-2]|[1-9])\Z")
# a nerve named, then the bone it lies on ('Left L3 medial branch on L4', 'L4 MB at L5')
_ON_AFTER_NERVE = re.compile(
    r"(?i)\b(?:medial[ \t]+branch(?:es)?|MBs?|dorsal[ \t]+ram(?:us|i))[ \t]+(?:on|at)[ \t]+(?:the[ \t]+)?\Z"
)
_CAPTION_LINES = 5
"""Lines above a grid cell searched for the grid's caption (a blank line ends the search)."""


def _under_nerve_caption(view: NoteView, phrase: Mention) -> bool:
    """A bare vertebra opening a grid row or heading a grid column ('T11     x    x' or '      C4
    C5   C6' under 'Tgts (MB):'): the grid lists nerves when its caption names them."""
    text = view.text
    if not _BARE_VERTEBRA.match(phrase.text):
        return False
    end = text.rfind("\n", 0, phrase.start)
    if text[end + 1 : phrase.start].strip() and text[phrase.start - 2 : phrase.start] != "  ":
        return False  # neither the first cell of its line nor a column set apart by blanks
    cues = view.of("NERVE_CUE", "NERVE_DR")
    for _ in range(_CAPTION_LINES):
        if end <= 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        if not text[start:end].strip():
            return False
        if any(start <= cue.start < end for cue in cues):
            return True
        end = start - 1
    return False


_OF_BEFORE = re.compile(r"(?i)\band[ \t]+of[ \t]+(?:the[ \t]+)?\Z")


def follow_nerve_lists(view: NoteView, readings: list[PhraseReading]) -> list[PhraseReading]:
    """'on the right we blocked the T5, T6 and T7 medial branches, and on the left T6 and T7':
    bare vertebrae in the sentence of a nerve list are nerves too."""
    nerve_sentences = {r.phrase.sent for r in readings if r.mode == "nerve"}
    target_sentences = {r.phrase.sent for r in readings if r.mode == "target"}
    out = []
    for r in readings:
        if r.mode is not None or r.joints or r.phrase.sent not in nerve_sentences:
            out.append(r)
        elif r.phrase.sent in target_sentences and _OF_BEFORE.search(
            view.text, max(0, r.phrase.start - 24), r.phrase.start
        ):
            # '... transverse processes of T11, T12 and L1 on the right (right T10, T11 and T12
            # medial branches) and of T12 and L1 on the left': a second 'of' list of the targets
            out.append(read_phrase(view, r.phrase, r.sides, default_mode="target"))
        else:
            out.append(read_phrase(view, r.phrase, r.sides, default_mode="nerve"))
    return out


def read_phrase(
    view: NoteView, phrase: Mention, sides: list[Mention], default_mode: str | None = None
) -> PhraseReading:
    reading = PhraseReading(phrase=phrase, sides=sides)
    if phrase.category == "NERVE_TON":
        reading.nerves = ["TON"]
        return reading
    if phrase.category == "LEVEL_WORD":
        reading.joints = list(phrase.meta.get("joints", []))
        return reading
    mode = _cue_mode(view, phrase)
    if mode is not None and (
        _JOINTS_AFTER.match(view.text[phrase.end : phrase.end + 60].lstrip())
        or _LIST_THEN_JOINTS.match(view.text, phrase.end, phrase.end + 60)
    ):
        # 'the medial branch targets for the T7/T8 and T8/T9 joints' names joints, and so does
        # '... targets for the L four L five and the L five S one faucet joints'
        mode = None
    if _FOR_NAMED_NERVE.match(view.text, phrase.end, phrase.end + 40) or (
        mode == "nerve" and _TARGET_AFTER.match(view.text, phrase.end, phrase.end + 30)
    ):
        # '... transverse process of L2 for the L1 medial branch', '... the right L4 medial branch
        # at the corresponding L5 junction': L2 and L5 are where the needle went
        mode = "target"
    if (
        mode == "nerve"
        and _BARE_VERTEBRA.match(phrase.text)
        and _ON_AFTER_NERVE.search(view.text, max(0, phrase.start - 40), phrase.start)
    ):
        mode = "target"  # 'Left L3 medial branch on L4': the nerve lies on the L4 bone
    if (
        mode is None
        and _LETTERED_CHAIN.fullmatch(phrase.text)
        and _NERVE_PROCEDURE_AFTER.match(view.text, phrase.end, phrase.end + 12)
    ):
        mode = "nerve"
    if mode is None and _under_nerve_caption(view, phrase):
        mode = "nerve"
    if mode is None:
        mode = default_mode or phrase.meta.get("read_as")
    reading.mode = mode
    # as the rules read it: a picklist's 'L3-4/*L4-5*/*L5-S1*' as its starred options ('L4-5 ,
    # L5-S1'), an OCR'd card's 'LS-S1' as 'L5-S1'
    text = view.rule_text()[phrase.start : phrase.end]
    if mode is not None and _LETTERED_SLASH.search(text):
        # "L2/L3/L4 MB" lists nerves; "L4/5" stays a joint, and so does "T7/T8" beside a joint
        # read out ("T7/T8 and T eight nine")
        if not _SPOKEN_PAIR.search(text) and not _DASHED_JOINT.search(text):
            # ('C6-7 and C7/T1 cervical medial branch block': beside a dashed joint, a slash is one)
            text = text.replace("/", ", ")
    if mode == "nerve" and (
        _BARE_SLASH_CHAIN.search(text)
        or (
            _BARE_SLASH_PAIR.fullmatch(text)
            and _DORSAL_RAMUS_NEXT.match(view.text, phrase.end, phrase.end + 30)
        )
    ):
        # 'L2/3/4 MBs' lists three nerves; so does 'L3/4 MB + L5 DR' (a joint has no dorsal ramus
        # listed after its medial branches)
        text = text.replace("/", ", ")
    if mode == "nerve" and _LETTERED_CHAIN.fullmatch(text):
        text = _CHAIN_BLANK.sub(", ", text)  # 'T11 T12 L1 MBB': three nerves, not T11 and the T12 L1 joint
    listed = ordinal_vertebrae(text) if mode in ("nerve", "target") else None
    if listed is not None:
        # 'the medial branches of the third and fourth lumbar': two nerves, not the joint between
        text = ", ".join(listed)
    units = parse_level_phrase(text)
    joints_named = any(is_consecutive_pair(u) for u in units)
    for unit in units:
        if unit.kind == "loose_pair":  # "L four L five": nerves beside medial-branch words, else a joint
            kind = "range" if mode is not None and not joints_named else "pair"
            unit = LevelUnit(kind, unit.first, unit.last)
        if is_consecutive_pair(unit) or (mode is None and unit.kind != "single"):
            reading.joints.extend(unit_joints(unit))
        elif mode == "nerve":
            reading.nerves.extend(unit_vertebrae(unit))
        elif mode == "target":
            for vertebra in unit_vertebrae(unit):
                nerve = target_to_nerve(vertebra)
                if nerve:
                    reading.nerves.append(nerve)
    return reading


def _side_value(sides: list[Mention]) -> str | None:
    return combine_sides([s.value for s in sides])


Discrepancy = tuple[list[str], list[str], list[Evidence]]
"""(header joints, description joints, evidence)"""


_OTHER_SIDE = {"left": "right", "right": "left"}


@dataclass
class JointSet:
    """The joints of today's facet procedure(s) with their sides and evidence."""

    sides: dict[str, str | None]
    evidence: dict[str, list[Evidence]]
    from_nerves: bool
    nerves: list[str]
    discrepancy: Discrepancy | None


def resolve_joints(
    view: NoteView,
    readings: list[PhraseReading],
    extra_nerves: list[Mention],
    default_side: str | None,
    incomplete: bool = False,
) -> JointSet:
    """Named joints win; otherwise nerves and targets are mapped (coding-rules §6). The
    description wins over the header when the two name different joints."""
    named_nerves: dict[str, set[str]] = {}
    for r in readings:
        if r.mode == "nerve" and r.nerves and nerves_to_joints(r.nerves):
            named_nerves.setdefault(_spine_part(r), set()).update(r.nerves)
    # named nerves win over needle targets in the same part of the spine (when they name enough to
    # map a joint: a header's lone 'L5 dorsal rami' hides nothing), except cervical pillar targets
    # that name the same nerves ('C3 and C4 MB' in the header, 'pillar of C3 and of C4' below)
    readings = [
        r
        for r in readings
        if not (
            r.mode == "target"
            and _spine_part(r) in named_nerves
            and not (_spine_part(r) == "cervical" and set(r.nerves) <= named_nerves["cervical"])
        )
    ]
    header = [r for r in readings if r.phrase.role == "header"]
    body = [r for r in readings if r.phrase.role != "header"]

    def named(group: list[PhraseReading]) -> dict[str, list[PhraseReading]]:
        out: dict[str, list[PhraseReading]] = {}
        for reading in group:
            for joint in reading.joints:
                out.setdefault(joint, []).append(reading)
        return out

    def mapped(group: list[PhraseReading], extras: list[Mention]) -> dict[str, list[PhraseReading]]:
        per_side: dict[str | None, list[str]] = {}
        readings_by_side: dict[str | None, list[PhraseReading]] = {}
        for reading in group:
            if reading.nerves:
                key = _side_value(reading.sides)
                per_side.setdefault(key, []).extend(reading.nerves)
                readings_by_side.setdefault(key, []).append(reading)
        ton_read = any("TON" in r.nerves for r in group)
        ton = ton_read or any(m.category == "NERVE_TON" for m in extras)
        ala = any(m.category == "SACRAL_ALA" for m in extras)
        ala_sides = _ala_sides(group, extras) if len(per_side) > 1 else None
        if not per_side and (ton or ala):
            per_side[None] = []
            readings_by_side[None] = []
        out: dict[str, list[PhraseReading]] = {}
        sided = {k: v for k, v in per_side.items() if k is not None}
        if sided and None in per_side:
            for key in sided:
                per_side[key] = per_side[key] + per_side[None]
            del per_side[None]
        if "bilateral" in per_side and ("left" in per_side or "right" in per_side):
            return _mapped_per_side(per_side, readings_by_side, ton, ala, ala_sides)
        for key, nerves in per_side.items():
            if ala and (ala_sides is None or key in ala_sides):
                nerves = [*nerves, "L5"]
            # a sided third occipital nerve ('RIGHT third occipital nerve, ... LEFT C3 and C4
            # medial branches') is its own side's C2-3 only
            for joint in nerves_to_joints(nerves, third_occipital=ton and not ton_read):
                for reading in readings_by_side.get(key, []) or [PhraseReading(extras[0], [])]:
                    out.setdefault(joint, []).append(reading)
        return out

    header_named, body_named = named(header), named(body)
    body_extras = [m for m in extra_nerves if m.role != "header"]
    header_extras = [m for m in extra_nerves if m.role == "header"]
    body_mapped = mapped(body, body_extras) if not body_named else {}
    header_mapped = mapped(header, header_extras) if not header_named else {}

    from_nerves = False
    discrepancy = None
    # Named joints win over joints mapped from nerves, and the description wins over the header:
    # when both name joints and disagree it is a level discrepancy, unless the procedure was
    # stopped part-way and the description names fewer of the header's joints.
    # 'one needle to the C2-3 joint line for the third occipital nerve, one to the C3 and one to
    # the C4 pillar': when the description names some of the joints its nerves reach, all count
    body_named = _with_mapped(body_named, mapped(body, body_extras) if body_named else {})
    if body_named:
        chosen = body_named
        partial = incomplete and set(body_named) < set(header_named)
        with_nerves = set(body_named) | set(mapped(body, body_extras)) if header_named else set()
        if partial and with_nerves == set(header_named):
            chosen = header_named  # stopped part-way, but the nerves blocked reach every header joint
        spoken_plan = all(_in_spoken_plan(view, r) for rs in header_named.values() for r in rs)
        # a brief operative note above the full one: each header block is compared on its own
        # ('Proc: B L4-5 facet IA' over 'PROCEDURE: ... bilateral L4-L5 and right L5-S1')
        odd_block = next(
            (block for block in _header_blocks(view, header_named) if set(block) != set(body_named)), None
        )
        if odd_block is not None and set(header_named) == set(body_named) and not partial and not spoken_plan:
            discrepancy = _discrepancy(odd_block, body_named)
        elif header_named and set(header_named) != set(body_named) and not partial and not spoken_plan:
            if with_nerves == set(header_named):
                # the description names one joint and the nerves of the others ('3rd occipital n.:
                # over the C2/3 joint; R C3 MB; R C4 MB' under 'C2/3 + C3/4'): no discrepancy
                chosen = header_named
            else:
                discrepancy = _discrepancy(header_named, body_named)
    elif header_named:
        chosen = header_named
    elif body_mapped:
        chosen, from_nerves = body_mapped, True
    else:
        chosen, from_nerves = header_mapped, bool(header_mapped)

    sides: dict[str, str | None] = {}
    evidence: dict[str, list[Evidence]] = {}
    all_by_joint = {**header_named, **header_mapped}
    for joint, rs in {**body_named, **body_mapped}.items():
        all_by_joint[joint] = all_by_joint.get(joint, []) + rs
    # (not a finding's side: 'the left side was completely non tender ... so we did the right side only')
    body_sides = {
        m.value
        for m in view.of("SIDE")
        if m.today and not m.negated and m.role != "header" and "FINDING" not in m.status
    }
    if any(m.today for m in view.of("SIDE_REPEAT")):
        body_sides |= {"left", "right"}  # '... The same was done on the left L4-L5'
    header_sided = chosen is header_named and all(_side_value(r.sides) for rs in chosen.values() for r in rs)
    # the description gives every joint one side, not the same for all ('R L3-4', 'L L4-5')
    done_sides = {j: combine_sides([_side_value(r.sides) for r in rs]) for j, rs in body_named.items()}
    one_side_each = (
        chosen is body_named
        and len(done_sides) > 1
        and all(side in ("left", "right") for side in done_sides.values())
        and len(set(done_sides.values())) > 1
    )
    for joint in sorted(chosen, key=joint_index):
        # a title that gives each joint its side ('bilateral L4-L5 ... and the right L5-S1') over
        # a description that names only targets: the title's sides
        rs = chosen[joint] if header_sided else all_by_joint.get(joint, chosen[joint])
        side = combine_sides([_side_value(r.sides) for r in rs]) or default_side
        if chosen is header_named and len(body_sides & {"left", "right"}) == 1:
            # a brief operative note says LEFT, the full one (and its description) right
            named_sides = {_side_value(r.sides) for r in rs}
            if named_sides == {"left", "right"} and len(_header_blocks(view, {joint: rs})) > 1:
                side = next(iter(body_sides & {"left", "right"}))
        if chosen is body_named and joint in header_named:
            # the title says right, the description did the left: the description wins
            title = combine_sides([_side_value(r.sides) for r in header_named[joint]])
            done = combine_sides([_side_value(r.sides) for r in body_named[joint]])
            if title in ("left", "right") and done in ("left", "right") and title != done:
                side = done
            elif title == "bilateral" and done in ("left", "right") and _OTHER_SIDE[done] not in body_sides:
                side = done  # 'BILATERAL L4-5 AND L5-S1' over a description that works on the right only
            elif title == "bilateral" and done in ("left", "right") and one_side_each:
                side = done  # 'Bilateral ... L3-4 and L4-5' over 'RIGHT L3-4 and LEFT L4-5 only'
            elif done in ("left", "right") and _mixed_title_sides(header_named[joint]):
                # 'right T seven eight, and T eight nine on both sides' read as one list: the
                # title's sides belong to different joints; the description's own side stands
                side = done

        sides[joint] = side
        spans = [r.phrase.evidence() for r in rs]
        spans += [s.evidence() for r in rs for s in r.sides]
        evidence[joint] = _dedupe(spans)
    nerves = sorted({n for r in readings for n in r.nerves})
    return JointSet(sides, evidence, from_nerves, nerves, discrepancy)


def _discrepancy(header: dict[str, list[PhraseReading]], body: dict[str, list[PhraseReading]]) -> Discrepancy:
    """The header's joints, the description's, and the phrases of both as evidence."""
    evidence = [r.phrase.evidence() for rs in (*header.values(), *body.values()) for r in rs]
    return sorted(header, key=joint_index), sorted(body, key=joint_index), _dedupe(evidence)


def _header_blocks(
    view: NoteView, header_named: dict[str, list[PhraseReading]]
) -> list[dict[str, list[PhraseReading]]]:
    """The header's joints by the part of the note each header sits in, parts cut by a ruled line
    ('=====', '-----'), when two parts name joints in a header (a brief operative note over the
    full one); [] otherwise."""
    breaks = _ruled_line_ends(view.text)
    if not breaks:
        return []
    blocks: dict[int, dict[str, list[PhraseReading]]] = {}
    for joint, readings in header_named.items():
        for reading in readings:
            block = bisect_right(breaks, reading.phrase.start)
            blocks.setdefault(block, {}).setdefault(joint, []).append(reading)
    return list(blocks.values()) if len(blocks) > 1 else []


_RULED_LINE = re.compile(r"(?m)^[ \t]*(?:[=_-][ \t]?){10,}$")


@lru_cache(maxsize=4)
def _ruled_line_ends(text: str) -> list[int]:
    """Where each ruled line of the note ends (asked once per procedure group and joint side)."""
    return [match.end() for match in _RULED_LINE.finditer(text)]


def _mixed_title_sides(readings: list[PhraseReading]) -> bool:
    """A title list whose sides are 'bilateral' and one side at once gives each joint its own side."""
    values = {s.value for r in readings for s in r.sides}
    return "bilateral" in values and bool(values & {"left", "right"})


def _in_spoken_plan(view: NoteView, reading: PhraseReading) -> bool:
    section = view.section_at(reading.phrase.start)
    return section is not None and section["category"] == SPOKEN_PLAN


def _with_mapped(
    named: dict[str, list[PhraseReading]], mapped_joints: dict[str, list[PhraseReading]]
) -> dict[str, list[PhraseReading]]:
    if named and set(named) < set(mapped_joints):
        return {j: named.get(j, []) + mapped_joints.get(j, []) for j in mapped_joints}
    return named


def _mapped_per_side(
    per_side: dict[str | None, list[str]],
    readings_by_side: dict[str | None, list[PhraseReading]],
    ton: bool,
    ala: bool,
    ala_sides: set[str] | None = None,
) -> dict[str, list[PhraseReading]]:
    """Nerves blocked on both sides plus nerves of one side ('L3 MB right; L4 MB and L5 DR
    bilateral'): each side's joints from its own and the bilateral nerves; a joint found on both
    sides keeps every reading (bilateral), one found on one side only that side's readings."""
    both = per_side["bilateral"]
    joints_by_side = {}
    for side in ("left", "right"):
        has_ala = ala and (ala_sides is None or bool(ala_sides & {side, "bilateral"}))
        nerves = per_side.get(side, []) + both + (["L5"] if has_ala else [])
        joints_by_side[side] = set(nerves_to_joints(nerves, third_occipital=ton))
    out: dict[str, list[PhraseReading]] = {}
    for joint in sorted(joints_by_side["left"] | joints_by_side["right"], key=joint_index):
        sides = [side for side in ("left", "right") if joint in joints_by_side[side]]
        keys: list[str | None] = ["left", "right", "bilateral"] if len(sides) == 2 else sides
        readings = [r for key in keys for r in readings_by_side.get(key, [])]
        if readings:
            out[joint] = readings
    return out


_ALA_REACH = 200


def _ala_sides(group: list[PhraseReading], extras: list[Mention]) -> set[str] | None:
    """The sides whose L5 dorsal ramus a sacral-ala target is, when sides differ: the side of the
    nerve read just before it ('RIGHT: ... L4 (L3 MB) and L5 (L4 MB)' / 'LEFT: ... L5 (L4 MB) and
    the sacral ala notch'); None (every side) when no sided nerve stands before it."""
    sides: set[str] = set()
    for ala in (m for m in extras if m.category == "SACRAL_ALA"):
        before = [
            r
            for r in group
            if r.nerves and r.phrase.end <= ala.start and ala.start - r.phrase.end < _ALA_REACH
        ]
        if not before:
            return None
        side = _side_value(max(before, key=lambda r: r.phrase.start).sides)
        if side is None:
            return None
        sides.add(side)
    return sides or None


def _spine_part(reading: PhraseReading) -> str:
    return "cervical" if reading.nerves and reading.nerves[0].startswith(("C", "TON")) else "thoracolumbar"


def _dedupe(spans: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[int, int]] = set()
    out = []
    for span in sorted(spans, key=lambda e: (e.start, e.end)):
        if (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            out.append(span)
    return out
