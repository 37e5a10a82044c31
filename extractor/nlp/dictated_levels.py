"""Levels an attending's addendum says were dictated in error ('Levels were L4-5 and L5-S1 on
the left, not L3-4 as dictated'): the joints named that way are taken out of the claim, unless
the same correction names them as done ('right C6-7 and C7-T1, not C5-6 and C6-7 as dictated'
keeps C6-7)."""

from __future__ import annotations

import re

from .level_parser import parse_level_phrase, unit_joints
from .note_view import Mention, NoteView

_AS_DICTATED = re.compile(
    r"(?i)[ \t]{1,3}(?:on[ \t]+the[ \t]+(?:left|right)[ \t]+)?as[ \t]+(?:originally[ \t]+|previously[ \t]+)?"
    r"(?:dictated|stated|written|typed|transcribed|documented|recorded)\b"
)
_NOT_BEFORE = re.compile(r"(?i)\bnot[ \t]{1,3}(?:the[ \t]{1,3})?$")


def _joints(phrase: Mention) -> set[str]:
    return {joint for unit in parse_level_phrase(phrase.text) for joint in unit_joints(unit)}


def levels_dictated_in_error(view: NoteView) -> set[str]:
    """The joints a correction names as dictated wrongly, less those it names as done."""
    if " as " not in view.text:
        return set()
    wrong: set[str] = set()
    done: set[str] = set()
    phrases = view.of("LEVEL_PHRASE")
    for phrase in phrases:
        before = view.text[max(0, phrase.start - 12) : phrase.start]
        if not (_AS_DICTATED.match(view.text, phrase.end) and _NOT_BEFORE.search(before)):
            continue
        wrong |= _joints(phrase)
        for other in phrases:
            if other.sent == phrase.sent and other is not phrase and not other.negated:
                done |= _joints(other)
    return wrong - done
