"""What a dictating physician took back, as blanks: the rules read only what stands.

A physician who dictates by reference to a template edits aloud: 'Actually make that T eight nine
and T nine ten. No, scratch that, ... the original levels stand.', 'Use my standard lumbar medial
branch block template, left side, L four five and L five S one. Wait, no. Scratch that whole
thing, wrong template', 'The template has L three four and L four five, change both of those.',
'The template has a line about Depo-Medrol ..., scratch that, no steroid today.', 'strike the
contrast line from the template'. Read as written, the levels, sides and drugs taken back join
what was done. Four edits become blanks (the text keeps its length):

- a sentence that opens with the retraction ('No, scratch that, ...') takes back the sentence
  before it (a bare 'Wait, no.' between them is skipped);
- a sentence that quotes the template ('The template has ...') and then retracts or changes what
  it quoted ('..., scratch that', '..., change both of those') takes back its own words to there;
- 'strike the contrast line (from the template)' is an instruction, not a contrast given;
- a paragraph that opens with 'Scratch that last paragraph' takes back the paragraph before it.

A retraction inside a sentence ('the left, scratch that, the right L5-S1') stays for the rules
that read corrections of one word (level_facts, pain_facts): blanking a whole clause there would
take guidance or a kind with it.
"""

from __future__ import annotations

import re

from .blanks import as_blanks

# (as written, capitalised, or in capitals: 'NO, SCRATCH THAT')
_CUE_WORDS = tuple(
    form
    for word in ("scratch", "strike", "delete", "disregard")
    for form in (word, word.title(), word.upper())
)
# a sentence opening with the retraction: 'No, scratch that, ...', 'Scratch that whole thing, ...'
_OPENING_RETRACTION = re.compile(
    r"(?i)(?:(?:no|wait|actually|oh|sorry|okay|um|uh)[ \t]*[,.!]?[ \t]+){0,3}"
    r"(?:scratch|strike|delete|disregard)[ \t]+that\b"
)
# a sentence of filler only, skipped on the way back: 'Wait, no.'
_FILLER = re.compile(r"(?i)(?:(?:no|wait|actually|oh|sorry|um|uh|hold[ \t]{1,3}on)\b[ \t,.!]{0,6}){1,4}")
# the template quoted, then taken back or changed in the same sentence
_QUOTED_TEMPLATE = re.compile(r"(?i)(?:the|my)[ \t]+template[ \t]+(?:has|says|includes|lists|reads)\b")
_TEMPLATE_RETRACTED = re.compile(
    r"(?i),[ \t]*(?:(?:scratch|strike|delete|disregard)[ \t]+that"
    r"(?:[ \t]+whole[ \t]+(?:line|thing|sentence))?"
    r"|change[ \t]+(?:both[ \t]+of[ \t]+|all[ \t]+of[ \t]+)?(?:those|them|that|it))\b"
)
# 'strike the contrast line from the template', 'delete the steroid paragraph'
_STRUCK_LINE = re.compile(
    r"(?i)\b(?:scratch|strike|delete|remove|take[ \t]+out)[ \t]+the[ \t]+(?:[a-z-]+[ \t]+){1,4}?"
    r"(?:line|paragraph|sentence)(?:[ \t]+(?:about|on)[ \t]+[^.,;\n]{1,80})?"
    r"(?:[ \t]+from[ \t]+the[ \t]+template)?"
)
# 'Scratch that last paragraph, that was from the template I was reading off.' opening a paragraph
_PARAGRAPH_RETRACTION = re.compile(
    r"(?im)^[ \t]*(?:(?:no|wait|actually|okay|ok|oh|sorry)[ \t]*[,.!]?[ \t]+){0,3}"
    r"(?:scratch|strike|delete|disregard)[ \t]+(?:that|the)[ \t]+(?:(?:last|previous|whole|entire)[ \t]+)*"
    r"paragraph\b"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_PARAGRAPH_REACH = 3000
_SENTENCE_END = re.compile(r"[.!?](?=[ \t]|$)|\n")
_REACH = 400


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + as_blanks(text[start:end]) + text[end:]


def _sentence_start(text: str, end: int) -> int:
    """Start of the sentence that ends at ``end`` (after the previous stop or line break)."""
    floor = max(0, end - _REACH)
    last = floor
    for stop in _SENTENCE_END.finditer(text, floor, end):
        last = stop.end()
    while last < end and text[last] in " \t":
        last += 1
    return last


def _before_retraction(text: str, cue: int) -> tuple[int, int] | None:
    """The sentence a retraction opening at ``cue`` takes back: (start, end), filler skipped,
    in the same paragraph."""
    end = cue
    for _ in range(3):
        while end > 0 and text[end - 1] in " \t":
            end -= 1
        if end == 0 or text[end - 1] == "\n":
            return None  # (the retraction opens its paragraph: nothing said before it there)
        start = _sentence_start(text, end - 1)
        said = text[start:end].strip(" \t,.!")
        if said and _FILLER.fullmatch(said + " ") is None:
            return start, end
        end = start
    return None


def _paragraph_before(text: str, cue: int) -> tuple[int, int] | None:
    """The paragraph before the one a paragraph retraction opens at ``cue``: (start, end); None
    when no blank line parts them (a run-on dictation has no paragraph to take back)."""
    floor = max(0, cue - _PARAGRAPH_REACH)
    breaks = list(_PARAGRAPH_BREAK.finditer(text, floor, cue))
    if not breaks or text[breaks[-1].end() : cue].strip():
        return None
    end = breaks[-1].start()
    start = breaks[-2].end() if len(breaks) > 1 else floor
    return (start, end) if text[start:end].strip() else None


def spoken_retractions(text: str) -> str:
    """``text`` with what a dictation took back as blanks (same length)."""
    if not any(word in text for word in _CUE_WORDS) and "template" not in text:
        return text
    for cue in _OPENING_RETRACTION.finditer(text):
        opening = _sentence_start(text, cue.start())
        if text[opening : cue.start()].strip():
            continue  # (inside a sentence: a one-word correction, read by the rules)
        taken = _before_retraction(text, opening)
        if taken is not None:
            text = _blank(text, *taken)
    for cue in _PARAGRAPH_RETRACTION.finditer(text):
        if (taken := _paragraph_before(text, cue.start())) is not None:
            text = _blank(text, *taken)
    if "template" in text:
        for quoted in _QUOTED_TEMPLATE.finditer(text):
            retracted = _TEMPLATE_RETRACTED.search(text, quoted.end(), quoted.end() + _REACH)
            if retracted is None or _SENTENCE_END.search(text, quoted.end(), retracted.start()):
                continue
            text = _blank(text, quoted.start(), retracted.start())
    for line in _STRUCK_LINE.finditer(text):
        text = _blank(text, line.start(), line.end())
    return text
