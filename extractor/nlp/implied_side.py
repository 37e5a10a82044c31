"""The side a note gives only by reference: 'the symptomatic side', 'ipsilateral to the pain',
'same side as last time', an image's "R" marker.

A coder reads the side off the history then ('Pain sits on the right ... denies any pain on the
left'; 'MBB #1 03/13/2025 - right C5, C6 and C7 medial branches'), so the procedure is not left
without one. Only a single side counts: a note whose history names both sides gives none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .note_view import TODAY_ROLES, Mention, NoteView

# today's procedure points at a side it does not name
_BY_REFERENCE = re.compile(
    r"(?i)\b(?:symptomatic|painful|affected|treatment|worse)\s+side\b|\bside\s+of\s+(?:the\s+|her\s+|his\s+)?pain\b"
    r"|\bipsilateral\s+(?:to\s+the\s+(?:pain|headache|symptoms?)|oblique\s+views?\s+of\s+the\s+painful\s+side)"
)
_SAME_AS_BEFORE = re.compile(
    r"(?i)\bsame\s+side\s+as\s+(?:last\s+time|before|previously|the\s+(?:first|prior|previous|last)\s+"
    r"(?:block|ablation|procedure|one))\b"
)
# 'the "R" lead marker', '"L" marker is taped to the drape on the treatment side'
_MARKER = re.compile(r"[\"\u201c]([RL])[\"\u201d]\s+(?:lead\s+)?(?:marker|tag)\b")
# 'Patient denies any pain on the left': the side without pain
_NO_PAIN_BEFORE = re.compile(
    r"(?i)\b(?:denies|denied|no|without)\s+(?:any\s+)?(?:pain|symptoms?)\s+(?:on|in|over|at)\s+(?:the\s+)?\Z"
)
# 'The right side is asymptomatic', 'left side quiet', 'The left has never bothered him': the side
# without pain
_QUIET_AFTER = re.compile(
    r"(?i)[ \t]{0,2}(?:side[ \t]+)?(?:is[ \t]+|was[ \t]+|has[ \t]+(?:always[ \t]+)?)?"
    r"(?:asymptomatic|quiet|pain-?free|not[ \t]+painful|never[ \t\n]+(?:bothered|hurt))\b"
)
_HISTORY_ROLES = frozenset({"history", "indication", "exam", "diagnosis"})
# the side given by another procedure's: 'side opposite the fusion', 'ipsilateral to the previous RF',
# 'same side as the SI injection', 'on the same side as last spring's SI injection'
_ANCHORS = {
    "fusion": r"fusion|TLIF|PLIF|ALIF|pedicle\s+screws?|hardware|laminectomy|discectomy",
    "rf": r"RFA?|radio\s?frequency|ablation|neurotomy|rhizotomy",
    "si": r"SI\s+(?:joint\s+)?(?:injection|inj)|sacroiliac\s+(?:joint\s+)?injection|SIJ",
}
_RELATIVE = re.compile(
    r"(?i)\b(?P<relation>opposite|contralateral|ipsilateral|same\s+side\s+as)\s+(?:to\s+)?"
    r"(?:the\s+|her\s+|his\s+)?(?:(?:prior|previous|earlier|last|first)\s+)?"
    r"(?:(?:spring|summer|fall|autumn|winter|year|month|week)'?s\s+)?"
    r"(?P<anchor>" + "|".join(f"(?P<{name}>{words})" for name, words in _ANCHORS.items()) + r")\b"
)
_OTHER = {"left": "right", "right": "left"}
_WORSE_SIDE = re.compile(r"(?i)\bworse\s+side\b")
_WORSE_NAMED = re.compile(
    r"(?i)\b(left|right)(?:[ \t]+side)?[ \t]+(?:is|was)[ \t]+(?:clearly[ \t]+|much[ \t]+)?worse\b"
    r"|\bworse[ \t]+on[ \t]+the[ \t]+(left|right)\b|\b(?-i:([RL])[ \t]?>[ \t]?[LR])\b"
)


def _today(view: NoteView, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Matches in today's text (a title may say 'same side as last time', a history may not)."""
    return (m for m in pattern.finditer(view.text) if view.role_at(m.start()) in TODAY_ROLES)


def _relative_side(view: NoteView) -> str | None:
    """The side today's text gives by another procedure's ('the side opposite the fusion'): the
    one side named beside that procedure elsewhere in the note, or the other one."""
    for relation in _today(view, _RELATIVE):
        anchor = next(name for name in _ANCHORS if relation.group(name))
        words = re.compile(r"(?i)\b(?:" + _ANCHORS[anchor] + r")\b")
        own = view.sentence_at(relation.start())
        values = {
            m.value
            for m in view.of("SIDE")
            if m.value in ("left", "right")
            and not m.negated
            and view.sentence_bounds(m.sent) != own
            and words.search(view.sentence_text(m.sent))
        }
        if len(values) == 1:
            side = values.pop()
            opposite = relation.group("relation").lower() in ("opposite", "contralateral")
            return _OTHER[side] if opposite else side
    return None


def referenced_side(view: NoteView) -> str | None:
    """'left' or 'right' when today's text refers to a side the history (or an image marker)
    names alone, or to another procedure's side ('side opposite the fusion'); None otherwise."""
    text = view.text
    if _RELATIVE.search(text) and (relative := _relative_side(view)) is not None:
        return relative
    same_as_before = next(_today(view, _SAME_AS_BEFORE), None)
    if same_as_before is None and next(_today(view, _BY_REFERENCE), None) is None:
        return None
    markers = {m.group(1) for m in _MARKER.finditer(text)}
    if len(markers) == 1:
        return "right" if markers == {"R"} else "left"
    # 'Right-sided low back pain, the painful side, for 4 years; left side quiet.': the sentence
    # that names the painful side defines it
    defining = {view.sentence_at(m.start()) for m in _BY_REFERENCE.finditer(text)}
    defined = {
        m.value
        for m in view.of("SIDE")
        if view.sentence_bounds(m.sent) in defining
        and m.value in ("left", "right")
        and not m.negated
        and not without_pain(text, m)
    }
    if len(defined) == 1:
        return defined.pop()
    # 'Performed on the worse side only' over 'Pain is on both sides but left is clearly worse':
    # the worse side, when the note names one
    if next(_today(view, _WORSE_SIDE), None) is not None:
        worse = {(m.group(1) or m.group(2) or m.group(3)).lower()[:1] for m in _WORSE_NAMED.finditer(text)}
        if len(worse) == 1:
            return "left" if worse == {"l"} else "right"
    values = {
        m.value
        for m in view.of("SIDE")
        if m.value in ("left", "right")
        and not m.negated
        and not m.hypothetical
        and (m.role in _HISTORY_ROLES or (same_as_before is not None and m.historical))
        and not without_pain(text, m)
    }
    return values.pop() if len(values) == 1 else None


def without_pain(text: str, side: Mention) -> bool:
    """The side is said to be without pain ('no pain on the left', 'left side quiet')."""
    return bool(
        _NO_PAIN_BEFORE.search(text, max(0, side.start - 40), side.start)
        or _QUIET_AFTER.match(text, side.end, side.end + 40)
    )
