"""Today's pain scores (pre, post, percent relief, scale).

Scores come in every shape: arrows ("NRS 7->1"), "from six to two", "Pre 6 post 4", labelled
fields on their own lines ("PRE-PROCEDURE\\n(NRS 0-10): 6/10"), lone scores with a cue after
them ("3/10 after"). Pairs are read first; then every lone score is labelled by a pre/post cue
that is attached to it (right before it, or right after it when that cue is not itself followed
by a score), else by the nearest cue before it. Scores in history, plan and prior-block
sentences are not today's.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left

from ..models import Evidence, Pain
from .asked_scores import asked_scores
from .first_chars import with_first_char_lookahead
from .note_facts import (
    TODAY_CONTEXT,
    TODAY_WORD,
    is_prior_sentence,
    is_prior_text,
    item_holding,
    percent_value,
    relief_clause,
    score_value,
    span,
)
from .note_view import Mention, NoteView
from .other_dates import OTHER_DATE
from .rule_data import pain_patterns
from .rule_text import plain_typography
from .sections import CLOCK, DISCHARGE_PAIN
from .site_scores import site_table_score
from .spine_parts import names_only_other_part, parts_done, parts_named

_PAIN_ROLES = frozenset(
    {"pain", "description", "other_today", "untitled", "header", "medications", "anesthesia"}
)
_PAIR_ORDER = ("from_to", "label_to", "pre_post", "labels", "arrow", "slash_pair")
_ATTACH_BEFORE = re.compile(
    r"^[\s:=,.(\[\]{}\-]*(?:(?:NRS|NPRS|VAS|pain|score|scores?|was|of|is|rated|at\s+\w+|at|the|procedure|block|"
    r"injection|blocks|injections|he|she|they|pt|patient|says|said|reports|reported|rates|gave|it|an?)"
    r"[\s:=,.()\[\]{}\-]*)*\Z",
    re.I,
)
# a score followed by its cue: "7 before", "1/10 at 30 minutes"; a comma between starts a new clause;
# a form's column gap starts the next field ('Pre pain (NRS): 8/10      Post pain (NRS): ____/10')
_COLUMN_GAP = "   "
_PREPOSITION = re.compile(r"\b(?:on|at|in)\b", re.I)
_ATTACH_AFTER = re.compile(
    r"^[^\S\n(\[\]{}]*(?:\(?(?:NRS|NPRS|VAS)\)?[^\S\n]*)?(?:on[^\S\n]+)?(?:(?:at|@|in)?[^\S\n]*(?:\d+|five|ten|"
    r"fifteen|twenty|thirty|forty|forty-five|sixty)[^\S\n]*)?\Z",
    re.I,
)
_TODAY_PAIN = re.compile(
    r"\b(?:today|this\s+morning|on\s+arrival|at\s+arrival|check-?in|currently|(?<!the\s)right\s+now|presently|(?<!to\s)baseline|"
    r"pre(?:-|\s)?(?:procedure|procedural|op|injection|block)?\b|post(?:-|\s)?(?:procedure|procedural|op|injection|block)|"
    r"post[ \t:]{1,3}(?:10|[0-9])[ \t]?/[ \t]?10\b|"  # a SOAP note's 'O: post 1/10 at 30 min'
    r"(?:before|after|prior\s+to|following)\s+the\s+(?:procedure|injection|block)s?|pain\s+(?:before|after)|(?:before|after)\s*:)",
    re.I,
)
# 'Pain six out of ten prior.': the score before today's procedure, said at the end of a history
_SCORE_THEN_PRIOR = re.compile(
    r"(?i)\bpain\b[^.;\n]{0,20}?(?:/\s*10|out\s+of\s+(?:10|ten))\s+prior\s*(?:[.;]|$)"
)
# a field of today's note that names its score: 'Baseline pain reported by the patient: 5/10.'
_PAIN_FIELD = re.compile(
    r"[ \t]{0,8}(?:baseline|pre-?procedure|post-?procedure|pre-?op|post-?op)[ \t]+(?:pain|NRS|VAS)\b"
    r"[^:\n]{0,40}:",
    re.I,
)
_CUE_REACH = 90
# a key=value note's own score fields ('proc=dx MBB#1; ...; sed=0; pre=7; post=1'): today's, though
# '#1' elsewhere in its one long sentence reads like an earlier block
_SCORE_FIELD = re.compile(r"(?i)(?:^|;)[ \t]?(?:pre|post)[ \t]?=[ \t]?(?:10|[0-9])(?![0-9])[ \t]*(?:;|$)")
_PAIN_BEFORE_AFTER = re.compile(r"\bpain\s+(?:before|after)\b", re.I)
# 'The pain score before the block was six out of ten. Afterward, ..., the patient reported nil
# out of ten.': a sentence that opens on 'afterward' goes on from today's score before it
_OPENS_AFTERWARD = re.compile(r"(?i)[ \t]{0,4}afterwards?\b")
# '... which helped for almost a year ... covered by his insurance baseline pain six out of ten':
# a run-on dictation's history that ends on today's baseline score
_ENDS_ON_BASELINE = re.compile(
    r"(?i)\bbaseline[ \t]+pain[ \t]+(?:score[ \t]+)?(?:is[ \t]+|of[ \t]+|today[ \t]+)?[a-z0-9]{1,5}"
    r"(?:[ \t]*(?:/[ \t]?10|out[ \t]+of[ \t]+(?:10|ten)))?[\s.]{0,4}\Z"
)
_EARLIER_PROCEDURE = re.compile(
    r"\b(?:first|prior|previous|previously|last|initial|earlier|s/p|status[- ]post)\b|#\s*1\b", re.I
)
# 'her neck pain went from 7/10 before that block to 1/10': the block it names is an earlier one
_THAT_BLOCK = re.compile(r"(?i)\bthat\s+(?:block|injection|procedure|session|MBB|RFA)\b")
_BARE_PAIR_SENTENCE = 24
_OTHER_PART_PAIN = re.compile(
    r"(?i)\b(?:ankles?|wrists?|elbows?|hands?|abdominal|chest|incision(?:al)?|"
    r"fracture|rib|surgical|post-?op(?:erative)?)[ \t]+pain\b[ \t,:]{0,3}"
    r"(?:(?:is|was|now|currently|today|at|of|rated)[ \t,:]{1,3}){0,2}(?:an?[ \t]+)?\Z"
)
_LEVEL_LETTER_BEFORE = re.compile(r"(?<![A-Za-z])[CTLS]\Z")
_P_LABEL = re.compile(r"(?<![A-Za-z])p\s+[0-9]")
_SCORE_GROUPS = (*"abcdefghijklmnopqrstuvwxyz", "A")
"""The named groups of the 'score' pattern, one per branch (pain.json)."""
_PLACED_AT_NUMBER = frozenset("dehjkpy")
"""Branches whose cue is part of the match ('before the block was 6'): the score sits at its
number, so the cue before it labels it."""
_NEEDLE_WORK = re.compile(
    r"\b(?:prone|prepped|prepping|prepared\s+and\s+draped|draped|draping|needles?\s+(?:was|were)\s+(?:advanced|placed|inserted)|"
    r"cannulae?\s+(?:was|were)\s+(?:advanced|placed))\b",
    re.I,
)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_EARLIER_VISIT = re.compile(
    r"\b[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?\s+visit\b|\b(?:prior|previous|last|earlier)\s+visit\b", re.I
)
# a body part other than the spine, named in a bracketed aside before a score in it
_OTHER_BODY_PART = re.compile(
    r"(?i)\b(?:hips?|knees?|shoulders?|ankles?|wrists?|elbows?|(?<!other\s)hands?|feet|foot|headaches?|abdomen|chest)\b"
)


def _in_other_part_aside(sentence: str, offset: int) -> bool:
    """A score inside a bracketed aside about another body part ('her back pain 7/10 (she volunteered
    that the replaced hip is a 2/10 these days)'): not the spine's score."""
    opening = sentence.rfind("(", 0, offset)
    if opening == -1 or ")" in sentence[opening:offset]:
        return False
    return _OTHER_BODY_PART.search(sentence, opening, offset) is not None


_SCALE_RANGE = re.compile(r"(?<![0-9./])0\s*(?:-|\u2013|to)\s*10(?![0-9.])")
# Prefilters, run on the lowercased sentence without re.IGNORECASE: ``re`` then skips ahead in C
# to a character that can start a branch, instead of trying every branch at every position
# (3x faster over the corpus; these two ran on every sentence of every note).
_PAIN_WORDING = with_first_char_lookahead(
    r"/\s*10|out\s+of|of\s+(?:10|ten)\b|rated|over\s+(?:10|ten)|->|\u2192|\u2193|=>|>[ \t]{0,2}[0-9]|"
    r"\bpre|\bpost|before|after|\bfrom\b|nrs|vas|pain|score|going|went|"
    r"down\s+to|\[|\{|\||\t|\.\.|baseline|arrival|today|minutes|\bmin\b|discharge|in\s+recovery|in\s+pacu|came\s+in\s+at|left\s+at|"
    r"coming\s+(?:in|out)|walking\s+(?:in|out)"
)
_HAS_NUMBER = with_first_char_lookahead(
    r"[0-9]+|\b(?:zero|nil|one|two|three|four|five|six|seven|eight|nine|ten)\b"
)


_ARROW_WORDS = (
    "->",
    "\u2192",
    "\u2193",  # '7 \u2193 3'
    "=>",
    ">",
    "going",
    "went",
    "came",
    "down",
    "improved",
    "decreased",
    "dropped",
    "reduced",
)


def _could_pair(name: str, lowered: str) -> bool:
    """The words each pair pattern cannot match without (substring tests in C, before the regex)."""
    if name == "arrow":
        return any(word in lowered for word in _ARROW_WORDS)
    if name == "from_to":
        return "from" in lowered and "to" in lowered
    if name == "label_to":  # 'pain 6 to 2', 'vas 7-1'
        joined = " to " in lowered or "-" in lowered
        return joined and any(word in lowered for word in ("pain", "nrs", "vas"))
    if name in ("pre_post", "labels"):
        # ('6 in, 2 out': a case log's scores walking in and out)
        return any(word in lowered for word in ("pre", "before", "prior", " in,", " in;", " in/")) and any(
            word in lowered for word in ("post", "after", "pacu", "recovery", "discharge", " out")
        )
    if name == "slash_pair":
        return "/" in lowered
    return True


# '  Block 1, 12/04/2025: right C5, C6 and C7 medial branches ...' / '  Neck pain 7/10 before and
# 1/10 at 30 minutes': a listed earlier block, with its date, and the lines that go on from it;
# a course-of-care bullet that opens on a date
_DATED_ITEM = re.compile(
    r"(?im)^[ \t]{0,8}(?:[-*\u2022][ \t]+)?(?:block|session|injection|MBB|dx)[ \t]*#?[ \t]*[1-4][ \t]*[,:-]"
    r"[ \t]*[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}"
    # '- 01/27/2026: first diagnostic medial branch block here, ... went from 8/10 to 1/10'
    r"|^[ \t]{0,8}[-*\u2022][ \t]+(?:[0-9]{1,2}/){0,2}(?:19|20)?[0-9]{2}"
    r"(?:[ \t]*(?:and|&|,)[ \t]*(?:[0-9]{1,2}/){0,2}(?:19|20)?[0-9]{2})?[ \t]*[:,-]"
)
_ITEM_REACH = 400


def _in_dated_item(text: str, offset: int) -> bool:
    """Whether ``offset`` is in a listed earlier block: on its line or on the indented lines
    that go on from it, with no blank line between."""
    return item_holding(text, _DATED_ITEM, offset, _ITEM_REACH) is not None


_SOAP_SUBJECTIVE = re.compile(r"S[ \t]*:")
_EARLIER_MARK = re.compile(
    r"(?i)->|\u2192|=>|[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?\)|#[ \t]?[0-9]"
    r"|\b(?:s/p|prior|previous|last)\b"
)


def _soap_subjective(view: NoteView, sent: int) -> bool:
    """The sentence is in a SOAP note's 'S:' section."""
    section = view.section_at(view.sentence_bounds(sent)[0])
    label = view.text[section["start"] : section["header_end"]].strip(" \t") if section else ""
    return _SOAP_SUBJECTIVE.fullmatch(label) is not None


def _sentence_ok(view: NoteView, sent: int, role: str) -> bool:
    sentence = view.sentence_text(sent)
    if view.in_flowsheet_entry(view.sentence_bounds(sent)[0]):
        return False  # a flowsheet's entry of another visit
    section = view.section_at(view.sentence_bounds(sent)[0])
    if section is not None and section["category"] == OTHER_DATE:
        return False  # a block about another date ('THORACIC BLOCK - 03/14/2025 ...: Pre 6/10, post 2/10')
    if _in_dated_item(view.text, view.sentence_bounds(sent)[0]) and not TODAY_WORD.search(sentence):
        return False
    if role != "pain" and _THAT_BLOCK.search(sentence):
        return False  # 'her pain went from 8/10 before that block to 1/10': the earlier block's scores
    if role in ("history", "indication", "exam", "diagnosis"):
        if _SCORE_THEN_PRIOR.search(sentence):
            return True  # 'History, ... wants them repeated. Pain six out of ten prior.'
        if role == "history" and _soap_subjective(view, sent):
            # 'S: Lt LBP, NRS 8/10, walk tolerance 1 block.': a SOAP note's subjective line is how
            # the patient is today (not 'S: ... MBB #1 (07/22) -> 90% x6h (NRS 7->1)')
            return not is_prior_sentence(view, sent) and not _EARLIER_MARK.search(plain_typography(sentence))
        return bool(_TODAY_PAIN.search(sentence)) and not is_prior_sentence(view, sent)
    if role not in _PAIN_ROLES:
        return False
    if role == "pain" and _EARLIER_VISIT.search(sentence):
        return False  # 'Pain (04/02 visit): 7/10 before, 4/10 after' in a copied-forward note
    return (
        role == "pain"
        or _PAIN_FIELD.match(sentence) is not None
        or not is_prior_sentence(view, sent)
        or bool(TODAY_CONTEXT.search(sentence))
        or _ENDS_ON_BASELINE.search(sentence[-80:]) is not None
        or _OPENS_AFTERWARD.match(sentence) is not None
        or _SCORE_FIELD.search(sentence) is not None
        # 'Pain before was five ..., after was one ..., and he reported the buttock pain was
        # gone': a before/after score pair with no earlier procedure named is today's
        or (_PAIN_BEFORE_AFTER.search(sentence) is not None and _EARLIER_PROCEDURE.search(sentence) is None)
    )


# (read on the rule text, where every dash is already '-')
_RANGE_AFTER = re.compile(r"[ \t]?(?:to|-)[ \t]?(10|[0-9])(?![0-9.])", re.I)
_RANGE_BEFORE = re.compile(r"(?<![0-9.])(10|[0-9])[ \t]?(?:to|-)[ \t]?\Z", re.I)


def _in_rising_range(sentence: str, start: int, end: int, value: float) -> bool:
    """'8 to 9 out of 10', '6-7/10': a range the patient gives for the usual pain, each end of it;
    a falling pair ('8 to 3/10') is a result."""
    after = _RANGE_AFTER.match(sentence, end)
    if after is not None and float(after.group(1)) > value:
        return True
    before = _RANGE_BEFORE.search(sentence, max(0, start - 6), start)
    return before is not None and float(before.group(1)) < value


_RECOVERY_LINE = re.compile(r"(?i)\b(?:PACU|recovery|phase[ \t]+II)\b")
_ABOVE_REACH = 160


def _under_recovery_header(text: str, offset: int) -> bool:
    """The line at ``offset`` or one of the two lines above it names recovery ('***** PACU *****'
    over 'Time  Aldrete  BP  HR  Pain'): every score of the block under it is after the procedure."""
    line_end = text.find("\n", offset)
    above = text[max(0, offset - _ABOVE_REACH) : line_end if line_end != -1 else len(text)]
    return _RECOVERY_LINE.search("\n".join(above.split("\n")[-3:])) is not None


# another scale named right before a pair ('PACU: NRS 3/10 on arrival, Aldrete 9 -> 10 at 0920')
_OTHER_SCALE_BEFORE = re.compile(
    r"(?i)\b(?:Aldrete|RASS|Ramsay|GCS|Apfel|ASA|Mallampati|ODI|NDI|Oswestry|MoCA)"
    r"(?:[ \t]{1,3}score)?[ \t]{0,3}[:=]?[ \t]{0,3}\Z"
)


def _has_pain_context(sentence: str, match: re.Match[str]) -> bool:
    if _OTHER_SCALE_BEFORE.search(sentence, max(0, match.start() - 24), match.start()):
        return False
    pattern = r"/\s*10|out\s+of|over\s+(?:10|ten)|NRS|NPRS|VAS|pain|score"
    return bool(
        re.search(pattern, match.group(0), re.I)
        or re.search(rf"\b(?:{pattern})\b", sentence, re.I)
        or _P_LABEL.search(sentence[max(0, match.start() - 4) : match.start() + 3])  # 'p 6 -> 3'
        or _bare_pair_alone(sentence, match)
        or _SYMPTOM_LABEL.search(sentence, max(0, match.start() - 16), match.start()) is not None
        or _WENT_FROM_A.search(match.group(0)) is not None
        or _field_pair(sentence, match)
    )


def _field_pair(sentence: str, match: re.Match[str]) -> bool:
    """'... / 1% lido skin / no sed / 6->1': a bare pair that fills a field of a slash- or
    pipe-separated line on its own is the pain before and after."""
    before = sentence[max(0, match.start() - 4) : match.start()]
    after = sentence[match.end() : match.end() + 4]
    return _FIELD_OPEN.search(before) is not None and _FIELD_CLOSE.match(after) is not None


_FIELD_OPEN = re.compile(r"(?:^|[/|;][ \t]{0,2})\Z")
_FIELD_CLOSE = re.compile(r"[ \t]{0,2}(?:$|[/|;\n])")


# 'She went from a seven to a two': scores said with articles ('a seven', 'an eight') are ratings
_WENT_FROM_A = re.compile(r"(?i)\bfrom\s+an?\s+\w+\s+(?:down\s+)?to\s+an?\s+\w+")


# 'HA/neck 6→1', 'LBP 7 -> 2': the complaint named right before a bare pair labels it a pain score
_SYMPTOM_LABEL = re.compile(r"(?i)\b(?:HA|headaches?|LBP|neck|back|buttock|axial)[ \t]{0,2}[:=]?[ \t]{0,2}\Z")


def _bare_pair_alone(sentence: str, match: re.Match[str]) -> bool:
    """'no sed. 5 -> 2' or '4->4. rtc 6wk': a shorthand line's bare arrow pair, alone in its
    sentence, is the pain before and after (not 'Aldrete 9 -> 10')."""
    rest = sentence[: match.start()] + sentence[match.end() :]
    return len(sentence.strip()) <= _BARE_PAIR_SENTENCE and not any(c.isalnum() for c in rest)


def _note_prefilter(text: str) -> tuple[list[int], list[int]]:
    """Where numbers and pain wording start in the note, from one scan of the text lowercased
    (ASCII only, so every offset stays put); the prefilters ran on every sentence before."""
    lowered = text.translate(_ASCII_LOWER)
    return [m.start() for m in _HAS_NUMBER.finditer(lowered)], [
        m.start() for m in _PAIN_WORDING.finditer(lowered)
    ]


_SPOKEN_SLASH = re.compile(r"(?i)\bslash(\s+)ten\b")


def _spoken_slash(text: str) -> str:
    """'eight slash ten' as a speech engine writes '8/10': read as 'eight /      10' (same
    length, so every offset and evidence span stays the note's)."""
    if "slash" not in text and "Slash" not in text and "SLASH" not in text:
        return text
    return _SPOKEN_SLASH.sub(lambda m: "/    " + m.group(1) + " 10", text)


def _any_in(positions: list[int], start: int, end: int) -> bool:
    index = bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


def build_pain(view: NoteView) -> Pain:
    patterns = pain_patterns()
    pain = Pain()
    evidence: list[Evidence] = []
    scores: list[tuple[int, int, float]] = []
    cues: list[tuple[int, int, str]] = []
    text = _spoken_slash(view.rule_text())  # (the view's, made once a note)
    numbers, wordings = _note_prefilter(text)
    done: set[str] | None = None  # the parts of the spine treated today, when first needed
    for sent, (start, end) in enumerate(view.sentences):
        first = bisect_left(numbers, start)
        if first == len(numbers) or numbers[first] >= end:
            continue
        role = view.role_at(start)
        if role == "plan" and view.role_at(numbers[first]) == "pain":
            role = "pain"  # 'DISPOSITION: After 20 minutes her pain was 3/10': the discharge score
        if role != "pain" and not _any_in(wordings, start, end):
            continue  # a score needs some pain wording (not "0.5 mL of 0.5%"), or a pain header
        if not _sentence_ok(view, sent, role):
            continue
        sentence = text[start:end]
        lowered = sentence.translate(_ASCII_LOWER)
        if pain.scale is None and (scale := patterns["scale"].search(sentence)):
            pain.scale = _scale_name(scale.group("scale"))
        if (
            pain.pre is None and pain.post is None and first + 1 < len(numbers) and numbers[first + 1] < end
        ):  # a pair has two numbers
            pair = next(
                (
                    m
                    for name in _PAIR_ORDER
                    if _could_pair(name, lowered) and (m := patterns[name].search(sentence))
                ),
                None,
            )
            if pair and (
                pair.re not in (patterns["arrow"], patterns["from_to"]) or _has_pain_context(sentence, pair)
            ):
                pre, post = score_value(pair.group("pre")), score_value(pair.group("post"))
                if pair.re is patterns["label_to"] and pre is not None and post is not None and post >= pre:
                    pre = post = None  # 'pain 6 to 7': a usual range, not a before and after
                if pre is not None and post is not None:
                    pain.pre, pain.post = pre, post
                    evidence.append(span(view, start + pair.start(), start + pair.end()))
                    continue
        if role != "pain" and parts_named(sentence):
            done = parts_done(view) if done is None else done
            if names_only_other_part(sentence, done):
                continue  # 'B. NECK PAIN / Mild bilateral lower neck ache, 3/10' beside a lumbar RFA
        scale_ranges = [m.span() for m in _SCALE_RANGE.finditer(sentence)]
        for match in patterns["score"].finditer(sentence):
            if any(a <= match.start() < b or a < match.end() <= b for a, b in scale_ranges):
                continue  # "(VAS 0-10): 6": the scale's range is not a score
            group = next(g for g in _SCORE_GROUPS if match.group(g) is not None)
            if group in ("o", "z", "A"):
                # 'VAS 70/100', 'VAS 60 mm', '..., 10 mm at 20 minutes': a 0-100 scale
                value: float | None = int(match.group(group)) / 10
            else:
                value = score_value(match.group(group))
            if value is not None and _in_rising_range(sentence, match.start(group), match.end(group), value):
                continue  # 'she rates standing pain at 8 to 9 out of 10': a usual range, not a result
            if _in_other_part_aside(sentence, match.start()):
                continue  # '7/10 (she volunteered that the replaced hip is a 2/10 these days)'
            if _LEVEL_LETTER_BEFORE.search(sentence, max(0, match.start(group) - 2), match.start(group)):
                continue  # 'hypoesthesia L5 (baseline)': a level's number, not a score
            if _OTHER_PART_PAIN.search(sentence, max(0, match.start(group) - 40), match.start(group)):
                continue  # 'wrist pain 2/10', 'the fracture pain, now 3/10': another part's score
            if value is not None:
                # a score written with its cue ("before, seven") is placed at its number
                first = match.start(group) if group in _PLACED_AT_NUMBER else match.start()
                scores.append((start + first, start + match.end(), value))

    pasted = [(s["start"], s["end"]) for s in view.sections if s.get("category") == "pasted"]
    if pasted:
        # scores in text pasted from an earlier note lose to today's, when today has any
        today = [score for score in scores if not any(a <= score[0] < b for a, b in pasted)]
        scores = today or scores
    needle_work = _needle_work_start(view) if scores else len(view.text)
    for start, end in _sentences_near(view, scores):
        if view.role_at(start) in ("plan", "excluded"):
            continue
        sentence = text[start:end]
        for name, label in (("pre_cue", "pre"), ("post_cue", "post")):
            for match in patterns[name].finditer(sentence):
                cue_label = label
                if match.group(0).lower() == "now" and start + match.start() < needle_work:
                    cue_label = "pre"  # 'Pain now: 6/10' before the needles: the baseline
                elif (
                    label == "pre"
                    and "arrival" in match.group(0).lower()
                    and _RECOVERY_LINE.search(
                        text, text.rfind("\n", 0, start + match.start()) + 1, start + match.start()
                    )
                ):
                    cue_label = "post"  # 'PACU: NRS 3/10 on arrival': the arrival in recovery
                cues.append((start + match.start(), start + match.end(), cue_label))
    # 'DISCHARGE' / '0852  Pain NRS 1/10 ...': the section header says which score it is
    cues += [(s["start"], s["start"], "post") for s in view.sections if s.get("category") == DISCHARGE_PAIN]
    taken = _field_scores(view, pain, evidence)
    scores = [score for score in scores if not any(a <= score[0] < b for a, b in taken)]
    if pain.pre is None and pain.post is None:
        _table_scores(view, pain, evidence)
    if pain.pre is None and pain.post is None:
        _two_column_table(view, pain, evidence)
    if pain.pre is None and pain.post is None:
        _pre_post_row(view, pain, evidence)
    if pain.pre is None or pain.post is None:
        _label_lone_scores(view.text, scores, sorted(cues), pain, evidence, view, needle_work)
    if pain.pre is None or pain.post is None:
        _timed_rows(view, pain, evidence)
    if pain.pre is None or pain.post is None:
        _answered_scores(view, pain, evidence)
    if pain.pre is None and (by_site := site_table_score(view.text)) is not None:
        # 'Pain today, by site:' over '  Low back, axial (index pain) .... 7': the treated site's
        pain.pre = by_site[2]
        evidence.append(span(view, by_site[0], by_site[1]))
    _percent_relief(view, pain, evidence)
    pain.evidence = sorted({(e.start, e.end): e for e in evidence}.values(), key=lambda e: e.start)
    return pain


_LOG_ENTRY_START = re.compile(rf"\n[ \t]*{CLOCK}[ \t]")


def _needle_work_start(view: NoteView) -> int:
    """Where the procedure's needle work starts (the note's end if never told)."""
    narration = _NEEDLE_WORK.search(view.text)
    return narration.start() if narration else len(view.text)


def _answered_scores(view: NoteView, pain: Pain, evidence: list[Evidence]) -> None:
    """A transcript's 'Zero to ten?' answered by the next speaker: before the needle work, the
    pain before; after it, the pain after (only where the note gave no such score otherwise)."""
    answers = asked_scores(view.rule_text())
    if not answers:
        return
    needle_work = _needle_work_start(view)
    before = [a for a in answers if a[0] < needle_work]
    after = [a for a in answers if a[0] >= needle_work]
    if pain.pre is None and before and view.role_at(before[0][0]) in _PAIN_ROLES:
        start, end, pain.pre = before[0]
        evidence.append(span(view, start, end))
    if pain.post is None and after and view.role_at(after[-1][0]) in _PAIN_ROLES:
        start, end, pain.post = after[-1]
        evidence.append(span(view, start, end))


def _sentences_near(view: NoteView, scores: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The sentences a cue can label a score from: the score's own sentence and those within
    ``_CUE_REACH`` before it or 40 characters after it (``_label_lone_scores`` looks no further)."""
    if not scores:
        return []
    windows = [(start - _CUE_REACH, end + 40, view.sentence_at(start)) for start, end, _ in scores]
    return [
        (start, end)
        for start, end in view.sentences
        if any(start <= high and end >= low or (start, end) == own for low, high, own in windows)
    ]


def _label_lone_scores(
    text: str,
    scores: list[tuple[int, int, float]],
    cues: list[tuple[int, int, str]],
    pain: Pain,
    evidence: list[Evidence],
    view: NoteView,
    needle_work: int,
) -> None:
    """``needle_work``: where the procedure's needle work starts (the note's end if never)."""
    labels: dict[int, str] = {}
    # Each cue claims the score it is attached to, right after it ("pre: 6/10") or right before it
    # ("7 before", "1/10 at 30 minutes"); the tighter attachment wins ("3/10 (pre 7/10)").
    candidates: list[tuple[int, int, int, str]] = []
    for index, (cue_start, cue_end, label) in enumerate(cues):
        for s, e, _ in scores:
            if s <= cue_start and cue_end <= e:
                candidates.append((0, index, s, label))  # its own words: 'Pain score (0-10) on arrival: 7'
            elif cue_end <= s <= cue_end + 30 and _ATTACH_BEFORE.match(text[cue_end:s]):
                # ('... 0.25% bupi 1cc ea post' / 'VAS 6 pre': a cue ending the line above binds
                # looser than one on the score's own line)
                line_break = _LINE_BREAK_GAP if "\n" in text[cue_end:s] else 0
                candidates.append((s - cue_end + line_break, index, s, label))
            elif (
                cue_start - 16 <= e <= cue_start
                and _ATTACH_AFTER.match(text[e:cue_start])
                and _COLUMN_GAP not in text[e:cue_start]
            ):
                # '6/10 on arrival, 3/10 at discharge': a preposition binds the cue to the score
                # before it tighter than the comma to the score after it
                between = text[e:cue_start]
                gap = 0 if _PREPOSITION.search(between) else len(between)
                candidates.append((gap, index, s, label))
    used: set[int] = set()
    for _gap, index, score_start, label in sorted(candidates):
        if index not in used and score_start not in labels:
            labels[score_start] = label
            used.add(index)
    claimed = {cues[index] for index in used}
    for start, end, _value in scores:
        if start in labels:
            continue
        sentence_start, sentence_end = view.sentence_at(start)
        forward = [
            c
            for c in cues
            if end <= c[0] < min(end + 40, sentence_end) and c not in claimed and ";" not in text[end : c[0]]
        ]  # ('a 7 out of 10; at twenty minutes, ... 1/10': the cue after a semicolon is the next score's)
        # ('your pain was a 6 and twenty minutes afterwards you said it was a 1': after 'and', a cue
        # with a score of its own right after it is that score's)
        forward = [
            c
            for c in forward
            if not (
                _AND_THEN.search(text, end, c[0])
                and any(c[1] <= s < c[1] + _CUE_OWN_SCORE for s, _, _ in scores if s > start)
            )
        ]
        backward_here = [c for c in cues if sentence_start <= c[0] and c[1] <= start and c not in claimed]
        backward = [
            c
            for c in cues
            if start - _CUE_REACH <= c[1] <= start
            and c not in claimed
            and not _LOG_ENTRY_START.search(text, c[1], start)
        ]  # ('1135 Dr: no further attempt today, ...' / '1150 NRS 4': another entry of a timed log)
        if forward and backward_here:
            ahead, behind = forward[0], backward_here[-1]
            labels[start] = ahead[2] if ahead[0] - end < start - behind[1] else behind[2]
        elif forward:
            labels[start] = forward[0][2]
        elif backward_here:
            labels[start] = backward_here[-1][2]
        elif backward:
            labels[start] = backward[-1][2]
    unlabelled = [s for s in scores if s[0] not in labels]
    if pain.pre is None and pain.post is None and len(unlabelled) >= 2 and not labels:
        labels[unlabelled[0][0]], labels[unlabelled[1][0]] = "pre", "post"
    elif pain.pre is None and pain.post is None and len(scores) == 1 and unlabelled:
        # the note's only score, without a cue: before the needle work it is the score the
        # patient came in with, after it the result ('pain five of ten ... prone, prepped')
        start = unlabelled[0][0]
        labels[start] = "pre" if start < needle_work else "post"
    unused = []
    # 'Reassessed at 20 minutes: ... 6/10' then 'Final post-procedure pain: 1/10': the final one
    finals = [
        score
        for score in scores
        if labels.get(score[0]) == "post" and _FINAL.search(text, max(0, score[0] - 40), score[0])
    ]
    for start, end, value in finals[-1:] + [score for score in scores if score not in finals[-1:]]:
        label = labels.get(start)
        if label and getattr(pain, label) is None:
            setattr(pain, label, value)
            evidence.append(span(view, start, end))
        else:
            unused.append((start, end, value))
    if pain.pre is not None and pain.post is None and len(unused) == 1:
        start, end, value = unused[0]  # the one other score of the note: after the procedure
        pain.post = value
        evidence.append(span(view, start, end))
    elif pain.post is not None and pain.pre is None and len(unused) == 1:
        start, end, value = unused[0]  # the one other score, before the result: the baseline
        post_start = next((s for s, _, _ in scores if labels.get(s) == "post"), None)
        if post_start is not None and start < post_start:
            pain.pre = value
            evidence.append(span(view, start, end))
    if pain.post is not None and pain.pre is None:
        # a recovery table gave the result; the one score with no cue written before the needle
        # work ('PRE-OP NURSING CHECKLIST' / 'Pain (0-10): 7/10') is the one the patient came in with
        before = [score for score in unused if score[0] not in labels and score[0] < needle_work]
        if len(before) == 1:
            start, end, value = before[0]
            pain.pre = value
            evidence.append(span(view, start, end))


_FINAL = re.compile(r"\bfinal\b", re.I)
_AND_THEN = re.compile(r"\b(?:and|then)\b", re.I)
_CUE_OWN_SCORE = 40
_LINE_BREAK_GAP = 20
_CELL_SPLIT = re.compile(r"(?<![ \t])[ \t]*\|[ \t]*|\t+| {2,}")  # one try per whitespace run
_PAIN_HEADER = re.compile(r"^(?:pain|NRS|NPRS|VAS)\b", re.I)
_PAIN_COLUMN = re.compile(r"\b(?:pain|NRS|NPRS|VAS|score)\b", re.I)
_ROW_PRE = re.compile(r"\b(?:pre|before|baseline)\b", re.I)
_ROW_POST = re.compile(r"\b(?:post|after|discharge)\b", re.I)
_BARE_SCORE = re.compile(r"^(?:10|[0-9])(?:/10)?$")


def _unnamed_labels(header: str, header_cells: list[str], row: str) -> bool:
    """The header's first name starts right of where the next row's label ends."""
    row_cells = _cells(row)
    if len(row_cells) != len(header_cells) + 1:
        return False
    indent = len(header) - len(header.lstrip(" \t"))
    row_indent = len(row) - len(row.lstrip(" \t"))
    return indent > row_indent + len(row_cells[0])


def _next_line(text: str, offset: int, line: str) -> str:
    start = offset + len(line)
    end = text.find("\n", start, start + _NEXT_LINE_MAX)
    return text[start : end if end != -1 else start + _NEXT_LINE_MAX]


_NEXT_LINE_MAX = 300


def _leading_score(cell: str) -> float | None:
    match = re.match(r"^(10|[0-9])(?![0-9.])", cell.strip())
    return float(match.group(1)) if match else None


_PRE_POST_HEADER = re.compile(
    r"(?i)[ \t]{2,40}(?:pre|before)\S{0,12}[ \t]{2,40}(?:post|after)\S{0,12}[ \t]*$"
)


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in _CELL_SPLIT.split(line.strip().strip("|"))]
    return cells if len(cells) >= 3 else []


def _width(cells: list[str]) -> int:
    """Cells up to the last one with text ('| 8 |' closes with an empty cell)."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def _pain_cell(pain_column: int, header_width: int, unnamed_labels: bool, row_width: int) -> int:
    """The row's cell under the pain column. 'Pre  09:50  150/88  84  97%  0  8' under 'BP  HR
    SpO2  RASS  Pain 0-10' has more cells before the vitals than the header has names (a label
    and a time): the columns then line up from the right."""
    column = pain_column + unnamed_labels
    if row_width > header_width + unnamed_labels:
        return row_width - (header_width - pain_column)
    return column


_FIELD_VALUE = re.compile(r"[ \t]{0,8}(?P<score>10|[0-9])(?:[ \t]*/[ \t]*10)?[ \t]*(?:\n|\Z)")
_FIELD_PRE = re.compile(r"(?i)\b(?:pre|before|baseline|arrival)")
_FIELD_POST = re.compile(r"(?i)\b(?:post|after|discharge)")


def _field_scores(view: NoteView, pain: Pain, evidence: list[Evidence]) -> list[tuple[int, int]]:
    """'Pre-procedure Pain (NRS)' on one line and '7' on the next (an export with each label
    above its value): the label says which score it is. Returns the value lines it read."""
    text = view.text
    taken: list[tuple[int, int]] = []
    for section in view.sections:
        if section["role"] != "pain":
            continue
        header = text[section["start"] : section["header_end"]]
        label = "pre" if _FIELD_PRE.search(header) else "post" if _FIELD_POST.search(header) else None
        value_start = text.find("\n", section["header_end"], section["end"]) + 1
        if label is None or getattr(pain, label) is not None or not value_start:
            continue
        if text[section["header_end"] : value_start].strip():
            continue  # the value sits on the label's line: the score patterns read it
        value = _FIELD_VALUE.match(text, value_start, section["end"])
        if value is not None:
            setattr(pain, label, float(value.group("score")))
            evidence.append(span(view, value.start("score"), value.end("score")))
            taken.append((value.start(), value.end()))
    return taken


def _table_scores(view: NoteView, pain: Pain, evidence: list[Evidence]) -> None:
    """Pain in a table: a 'Pain' row under a Pre/Post header, or a 'Pain' column in rows
    labelled pre and post (vitals flowsheets)."""
    text = view.text
    offset = 0
    header: list[str] = []
    pain_column: int | None = None
    header_width = 0
    unnamed_labels = False
    recovery = False  # the pain column's table sits under a recovery header
    tab_header: list[str] = []  # a tab-separated header row's names, when it has pre and post columns
    recovery_rows: list[tuple[int, int, float]] = []
    for line in text.splitlines(keepends=True):
        cells = _cells(line) if "|" in line or "\t" in line or "  " in line else []
        if not cells and _PRE_POST_HEADER.match(line):
            header = ["pre", "post"]  # '          Pre     Post' over 'VAS       6       4'
        elif cells:
            lowered = [c.lower() for c in cells]
            if any(c.startswith(("pre", "before")) for c in lowered) and any(
                c.startswith(("post", "after")) for c in lowered
            ):
                header = lowered
                tab_header = [c.strip().lower() for c in line.split("\t")] if "\t" in line else []
            elif (
                tab_header
                and "\t" in line
                and _tab_row_scores(view, line, offset, tab_header, pain, evidence)
            ):
                pass  # ('date<TAB>pt<TAB>...<TAB>pre<TAB>post' over '2025-03-04<TAB>...<TAB>7/10<TAB>1/10')
            elif any(_PAIN_COLUMN.search(c) for c in cells[1:]) and not any(
                _leading_score(c) for c in cells[1:]
            ):
                pain_column = next(i for i, c in enumerate(cells) if i and _PAIN_COLUMN.search(c))
                header_width = _width(cells)
                # '        BP   HR   SpO2   NRS' over 'Pre   132/78   72   98%   6/10': no name over
                # the row labels, so each row has one cell more before the pain column
                unnamed_labels = _unnamed_labels(line, cells, _next_line(text, offset, line))
                recovery = _under_recovery_header(text, offset)
            elif (
                not (header and _PAIN_HEADER.match(cells[0]) and len(cells) == len(header) + 1)
                and any(_PAIN_HEADER.match(c) for c in cells[:2])
                and len(cells) >= 3
                and _leading_score(cells[-1] if not _PAIN_HEADER.match(cells[-1]) else "")
            ):
                value = _leading_score(
                    next(c for c in cells[1:] if _leading_score(c) and not _PAIN_HEADER.match(c))
                )
                label = "pre" if pain.pre is None else "post" if pain.post is None else None
                if label and value is not None:
                    setattr(pain, label, value)
                    evidence.append(span(view, offset, offset + len(line.rstrip("\n"))))
            elif header and _PAIN_HEADER.match(cells[0]) and len(cells) in (len(header), len(header) + 1):
                # ('          Pre     Post' over 'VAS       6       4': no name over the row label)
                shift = len(cells) - len(header)
                for column, name in enumerate(header):
                    column += shift
                    label = _column_label(name)
                    if label and _BARE_SCORE.match(cells[column]) and getattr(pain, label) is None:
                        setattr(pain, label, _leading_score(cells[column]))
                        start = text.find(cells[column], offset + line.find(cells[0]) + len(cells[0]))
                        evidence.append(span(view, start, start + len(cells[column])))
            elif (
                pain_column is not None
                and (column := _pain_cell(pain_column, header_width, unnamed_labels, _width(cells)))
                < len(cells)
                and _BARE_SCORE.match(cells[column])
            ):
                row = " ".join(cells[:column])
                label = "pre" if _ROW_PRE.search(row) else "post" if _ROW_POST.search(row) else None
                start = offset + line.rfind(cells[column])
                if label is None and recovery:
                    # ('08:31  10  116/70  70  2  resolved' in a PACU table: after, the last row counts)
                    recovery_rows.append((start, start + len(cells[column]), _leading_score(cells[column])))
                    label = None
                else:
                    label = label or ("pre" if pain.pre is None else "post" if pain.post is None else None)
                if label and getattr(pain, label) is None:
                    setattr(pain, label, _leading_score(cells[column]))
                    evidence.append(span(view, start, start + len(cells[column])))
        else:
            pain_column = None if not line.strip() else pain_column
        offset += len(line)
    if recovery_rows and pain.post is None:
        start, end, value = recovery_rows[-1]
        pain.post = value
        evidence.append(span(view, start, end))


# '| Pain (NRS 0-10) | Score |' over '| Pre-procedure | 6 |' and '| Post, 20 min, standing | 1 |': a
# two-column pain table (the cell splitter above wants three cells), each row's label naming its score
_TWO_COLUMN_HEADER = re.compile(
    r"(?im)^[ \t]{0,8}\|[ \t]*(?:pain|NRS|NPRS|VAS)\b[^|\n]{0,30}\|"
    r"[ \t]*(?:scores?|NRS|NPRS|VAS|value|rating)[ \t]*\|[ \t]*$"
)
_TWO_COLUMN_ROW = re.compile(
    r"[ \t]{0,8}\|(?P<label>[^|\n]{1,40})\|[ \t]*(?P<score>10|[0-9])(?:[ \t]*/[ \t]*10)?[ \t]*\|[ \t]*$"
)
_RULED_ROW = re.compile(r"[ \t]{0,8}\|[-:|+ \t]+$")


def _two_column_table(view: NoteView, pain: Pain, evidence: list[Evidence]) -> None:
    text = view.text
    for header in _TWO_COLUMN_HEADER.finditer(text):
        if view.role_at(header.start()) in ("plan", "excluded", "history"):
            continue
        offset = header.end() + 1
        while offset < len(text):
            end = text.find("\n", offset)
            end = len(text) if end == -1 else end
            row = _TWO_COLUMN_ROW.match(text, offset, end)
            if row is None and not _RULED_ROW.match(text, offset, end):
                break
            if row is not None:
                label = row.group("label")
                name = "pre" if _ROW_PRE.search(label) else "post" if _ROW_POST.search(label) else None
                if name and getattr(pain, name) is None:
                    setattr(pain, name, float(row.group("score")))
                    evidence.append(span(view, row.start("score"), row.end("score")))
            offset = end + 1


def _column_label(name: str) -> str | None:
    """Which score a column named ``name`` (lower case) holds: 'pre' / 'before', 'post' / 'after'."""
    if name.startswith(("pre", "before")):
        return "pre"
    return "post" if name.startswith(("post", "after")) else None


def _tab_row_scores(
    view: NoteView, line: str, offset: int, header: list[str], pain: Pain, evidence: list[Evidence]
) -> bool:
    """A tab-separated record under a header with 'pre' and 'post' columns: the cells under them
    (split on tabs only, so a cell's own double blank does not shift the columns)."""
    cells = line.rstrip("\n").split("\t")
    if len(cells) != len(header):
        return False
    found = False
    position = offset
    for name, cell in zip(header, cells, strict=True):
        label = _column_label(name)
        if label and _BARE_SCORE.match(cell.strip()) and getattr(pain, label) is None:
            setattr(pain, label, _leading_score(cell))
            start = position + len(cell) - len(cell.lstrip())
            evidence.append(span(view, start, start + len(cell.strip())))
            found = True
        position += len(cell) + 1
    return found


# '1102  8', '0905 | 7', 'Pre (1318) | 6'
_TIMED_ROW = re.compile(rf"[ \t]{{0,8}}(?:(?i:pre|post)[a-z-]{{0,10}}[ \t]{{0,2}}\(?)?{CLOCK}\b\)?")
_ANY_TIMED_ROW = re.compile("(?m)^" + _TIMED_ROW.pattern)
_ROW_SCORE = re.compile(
    r"(?i)\b(?:pain(?:[ \t]{1,4}score)?|NRS|NPRS|VAS)[ \t]{0,4}"
    r"(?:\((?:NRS|VAS|0-10)\)[ \t]{0,4})?(?::[ \t]{0,4})?"
    r"(10|[0-9])(?![0-9.])(?:[ \t]{0,4}/[ \t]{0,4}10)?|\b(10|[0-9])[ \t]{0,4}/[ \t]{0,4}10\b"
)
_BARE_ROW_SCORE = re.compile(r"(?<![ \t])(?:[ \t]+|[ \t]*\|[ \t]*)(10|[0-9])[ \t]*\|?[ \t]*$")


# 'Pre / Post VAS          | 7 / 2' (or '| 5 / --', '| 6 / not reassessed'; not '| 6/10 -> 2/10'): a
# form's row that gives both scores in one cell, the label in the cell before it
_PRE_POST_ROW = re.compile(
    r"(?im)^[ \t]{0,8}pre[ \t]*/[ \t]*post[ \t]+(?:VAS|NRS|NPRS|pain)(?:[ \t]+scores?)?[ \t]{0,30}"
    r"[|:=][ \t]{0,4}"
    r"(?P<pre>10|[0-9])(?![ \t]*/[ \t]*10\b)[ \t]*/[ \t]*(?:(?P<post>10|[0-9])(?![0-9.])|(?=[-(A-Za-z]))"
)


# 'Q10. Pain score (NRS 0-10) pre / post?' over 'A10. 7 / 1' (read as '... pre / post:' over '7 / 1')
_PRE_POST_ABOVE = re.compile(
    r"(?im)^[ \t]{0,8}(?:pain|NRS|VAS|NPRS)\b[^\n:]{0,40}?\bpre[ \t]*/[ \t]*post[ \t]*:[ \t]*\n"
    r"[ \t]{0,8}(?P<pre>10|[0-9])[ \t]*/[ \t]*(?P<post>10|[0-9])[ \t]*$"
)


def _pre_post_row(view: NoteView, pain: Pain, evidence: list[Evidence]) -> None:
    row = _PRE_POST_ROW.search(view.text) or _PRE_POST_ABOVE.search(view.rule_text())
    if row is None or view.role_at(row.start()) in ("plan", "excluded", "history"):
        return
    pain.pre = float(row.group("pre"))
    evidence.append(span(view, row.start("pre"), row.end("pre")))
    if row.group("post") is not None:
        pain.post = float(row.group("post"))
        evidence.append(span(view, row.start("post"), row.end("post")))


def _timed_rows(view: NoteView, pain: Pain, evidence: list[Evidence]) -> None:
    """Scores in time-stamped rows, an auto-imported vitals block ('0718  BP 150/88 | HR 82 |
    Pain score 6' ... '0824  BP 138/80 | ... | Pain score 3') or a pain flowsheet under a pain
    header ('PAIN (VAS 0-10)' / '1102  8' / '1150  4'): the first row is before, the last after."""
    text = view.text
    if not _ANY_TIMED_ROW.search(text):
        return  # (one scan in C instead of a Python loop over every line of most notes)
    rows: list[tuple[int, int, float]] = []
    best: list[tuple[int, int, float]] = []
    offset = 0
    under_pain_header = False
    block_start = best_start = 0  # where the line above each block starts
    for line in text.splitlines(keepends=True):
        timed = _TIMED_ROW.match(line)
        found = None
        if timed:
            rest = line[timed.end() :]
            match = _ROW_SCORE.search(rest) or (_BARE_ROW_SCORE.match(rest) if under_pain_header else None)
            if match:
                start = offset + timed.end() + match.start(match.lastindex or 0)
                value = match.group(match.lastindex or 0)
                found = (start, start + len(value), float(value))
        if found:
            rows.append(found)
        elif not timed:
            if len(rows) > len(best):
                best, best_start = rows, block_start
            rows = []
            block_start = offset
            # ('PAIN (VAS 0-10)', or a table's 'Time | VAS')
            under_pain_header = len(line) < 60 and _PAIN_COLUMN.search(line) is not None
        offset += len(line)
    if len(rows) > len(best):
        best, best_start = rows, block_start
    if len(best) < 2:
        return
    first, last = best[0], best[-1]
    if _under_recovery_header(text, best_start):
        # ('PACU RECORD' over '09:59  Aldrete 10  BP 148/76  HR 64  pain 3' ...): all after the procedure
        if pain.post is None:
            pain.post = last[2]
            evidence.append(span(view, last[0], last[1]))
        return
    # a score found elsewhere must be the block's own first (or last) row for the block to fill the other
    if pain.pre is not None and pain.pre != first[2] or pain.post is not None and pain.post != last[2]:
        return
    if pain.pre is None:
        pain.pre = first[2]
        evidence.append(span(view, first[0], first[1]))
    if pain.post is None:
        pain.post = last[2]
        evidence.append(span(view, last[0], last[1]))


# 'phone f/u - NP' / 'pt reports ~90% relief, lasted approx 6 hrs': a follow-up call written
# under the procedure it follows up; what the patient reports is that procedure's relief
_FOLLOW_UP_CALL = re.compile(
    r"(?i)\b(?:phone|tele(?:phone)?|ph)[ \t]+(?:f/u|call|note|contact|follow[- ]?up)\b|\bf/u[ \t]+call\b"
)
_CALL_HEAD = 200
_PATIENT_REPORTS = re.compile(
    r"(?i)\b(?:pt|patient)[ \t]*(?::|(?:reports?|reported|says|said|states|stated)\b)|^[ \t]*call[ \t]*:"
)


def _percent_relief(view: NoteView, pain: Pain, evidence: list[Evidence]) -> None:
    checked: dict[int, bool] = {}  # one look at a sentence, however many percents it holds
    call = _FOLLOW_UP_CALL.search(view.text, 0, _CALL_HEAD) is not None
    for mention in view.of("RELIEF"):
        if mention.negated or mention.hypothetical or mention.historical or not mention.today:
            continue
        if call and _PATIENT_REPORTS.search(view.sentence_text(mention.sent)):
            checked[mention.sent] = True
        if mention.sent not in checked:
            sentence = view.sentence_text(mention.sent)
            start, end = view.sentence_bounds(mention.sent)
            # "8/10 before, 4/10 after - 50% better", or "6/10 pre -> 1/10. Pt reports 80% relief"
            previous_start = start
            if mention.sent and not _EARLIER_PROCEDURE.search(sentence):
                previous_start = view.sentence_bounds(mention.sent - 1)[0]
            with_scores = any(previous_start <= e.start < end for e in evidence)
            checked[mention.sent] = (
                with_scores or bool(TODAY_CONTEXT.search(sentence))
            ) and not is_prior_sentence(view, mention.sent)
        if mention.role != "pain" and not checked[mention.sent]:
            continue
        if mention.role != "pain" and _earlier_in_its_clause(view, mention):
            continue
        if _TAKEN_BACK.match(view.text, mention.end, mention.end + 30):
            continue  # 'seventy five percent, scratch that, eighty percent relief'
        value = percent_value(view.rule_text()[mention.start : mention.end])  # ('nine zero percent')
        if value is not None:
            pain.percent_relief = value
            evidence.append(mention.evidence())
            return


_TAKEN_BACK = re.compile(
    r"(?i)[ \t]{0,2}[,;.]?[ \t]{0,2}(?:comma[ \t]+)?(?:scratch[ \t]+that|correction|strike[ \t]+that|"
    r"I[ \t]+mean|make[ \t]+that|sorry|no[ \t]*,?[ \t]*wait)\b"
)


def _earlier_in_its_clause(view: NoteView, mention: Mention) -> bool:
    """'The first one ... she reported about seventy percent relief, ..., but ... the
    confirmatory block today': the 'today' is another clause's; the relief is the first one's."""
    start, end = view.sentence_bounds(mention.sent)
    clause = relief_clause(view.text, start, end, mention.start, mention.end)
    return len(clause) < end - start and is_prior_text(clause)


def _scale_name(raw: str) -> str:
    lowered = raw.lower()
    if lowered.startswith("visual") or lowered == "vas":
        return "VAS"
    if lowered.startswith("oswestry") or lowered == "odi":
        return "ODI"
    return "NRS"
