"""Today's procedures: kind, joints and sides, region, guidance, intent, session, technique,
temperature, status and needle confirmation, each with its evidence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import FACET_KINDS, KIND_NAMES, Evidence, JointFact, LevelDiscrepancy, Procedure
from .dictated_levels import levels_dictated_in_error
from .implied_side import referenced_side, without_pain
from .kind_choice import KindGroup, group_phrases
from .level_facts import (
    Discrepancy,
    JointSet,
    attach_sides,
    combine_sides,
    follow_nerve_lists,
    level_line_above,
    read_phrase,
    resolve_joints,
)
from .level_parser import is_consecutive_pair, joints_of_nerve, parse_level_phrase, region_of, unit_joints
from .note_facts import TODAY_WORD, UNTICKED_BOX
from .note_view import Mention, NoteView, evidence_of
from .rule_text import rule_text
from .spine_parts import names_only_other_part, parts_done, parts_of_levels
from .table_sides import (
    grid_header_levels,
    in_level_row,
    in_side_row_grid,
    row_marked_not_done,
    table_side,
    ticked_row,
    unticked_row,
)

_SESSION_MARK = r"(?:#\s*[:=]?\s*|no\.?[ \t]*|number[ \t]*:?[ \t]*|block[ \t]+|session[ \t]+|\bdx)"
"""What numbers a session: '#2', '# = 2' (a key=value log), 'no. 2', 'number 2', 'block 2', 'dx2'."""
_ROMAN_MARK = r"(?:#[ \t]?|\bsession[ \t]+)"
"""A Roman session number: 'MBB #II', 'session III' (a lone 'I' only after '#': 'the session I did')."""
_SESSION_WORDS = [
    (re.compile(r"\b4\s+of\s+[4-9]\b", re.I), 4),
    (re.compile(r"\b3\s+of\s+[3-9]\b", re.I), 3),
    (re.compile(r"\b2\s+of\s+[2-9]\b", re.I), 2),
    (re.compile(r"\b1\s+of\s+[1-9]\b", re.I), 1),
    (re.compile(rf"\b(?:fourth|4th)\b|{_SESSION_MARK}(?:4|four)\b|{_ROMAN_MARK}(?-i:IV)\b", re.I), 4),
    (
        re.compile(
            rf"\b(?:third|3rd)\b(?!\s+occipital)|{_SESSION_MARK}(?:3|three)\b|{_ROMAN_MARK}(?-i:III)\b", re.I
        ),
        3,
    ),
    (
        re.compile(
            rf"\b(?:second|2nd|confirmatory|repeat\s+diagnostic)\b|{_SESSION_MARK}(?:2|two)\b|{_ROMAN_MARK}(?-i:II)\b",
            re.I,
        ),
        2,
    ),
    (re.compile(rf"\b(?:first|initial|1st)\b|{_SESSION_MARK}(?:1|one)\b|#[ \t]?(?-i:I)\b", re.I), 1),
]
_SESSION_CONTEXT = re.compile(
    r"\b(?:block|MBB|MBs?|injection|diagnostic|confirmatory|session|medial\s+branch|dx|diag|IA)\b", re.I
)
_KIND_CALLED_OFF = re.compile(
    r"(?i)\b(?:the|that|this)\s+(?:(?:scheduled|planned|booked|confirmatory|diagnostic|repeat|bilateral|left|right"
    r"|[CTL][0-9]{1,2}(?:-[CTLS]?[0-9]{1,2})?|/|and)\s*){0,6}"
    r"(?:facet|intra-?articular|medial\s+branch|MBB|RFA|radio\s?frequency|neurotomy|ablation)"
    # ('The scheduled confirmatory medial branch block (#2, bilateral L4-5 and L5-S1) was cancelled')
    r"(?:[^.;,(\n]|\([^()\n]{0,60}\)){0,60}?\b(?:was|were)\s+(?:deferred|cancell?ed|postponed|called\s+off|not\s+started"
    # '... the medial branch block was NOT performed. Discussed with patient, who agreed to
    # proceed instead with a right sacroiliac joint injection' (not '... not performed on the left')
    r"|not\s+(?:performed|done)"
    r"(?=[ \t]*(?:[.;]|\n|today\b|and\s+(?:is|was)\s+(?:postponed|deferred|cancell?ed))))\b"
    # 'R L5-S1 facet injection CANCELLED - exam today localizes to R SI joint only'
    r"|\b(?:facet|intra-?articular|medial[ \t]+branch|MBB|RFA|radiofrequency|neurotomy)"
    r"(?:[ \t]+(?:joint|nerve))?"
    r"(?:[ \t]+(?:injections?|blocks?|ablations?|neurotom(?:y|ies)))?(?:[ \t]*#[ \t]?[0-9])?"
    r"[ \t]{0,3}(?:[-:\u2013][ \t]{0,3})?(?:was[ \t]+|were[ \t]+|is[ \t]+)?"
    r"(?:cancell?ed|deferred|postponed|called[ \t]+off|resched(?:uled)?|cx|cxl|canx)\b"
    # '*** MBB #2 NOT PERFORMED TODAY - fields above carried over from the order. ***'
    r"|\b(?:facet|intra-?articular|medial[ \t]+branch|MBBs?|RFAs?|radiofrequency|neurotomy)"
    r"(?:[ \t]+(?:joint|nerve))?(?:[ \t]+(?:injections?|blocks?|ablations?|neurotom(?:y|ies)))?"
    r"(?:[ \t]*#[ \t]?[0-9])?[ \t]+(?:was[ \t]+|were[ \t]+)?not[ \t]+(?:performed|done)"
    r"(?:[ \t]+today\b|(?=[ \t]*(?:\n|$)))"  # ('... - MBB NOT PERFORMED' ending a title line)
    # '... new L leg numbness ... -> held mbb, mri ordered, resched after'
    r"|\b(?:held|cancell?ed|deferred|postponed)[ \t]+(?:the[ \t]+)?"
    r"(?:facet|medial[ \t]+branch|MBB|RFA|radiofrequency)\b"
    # a translated 'se suspende el segundo bloqueo': 'is SUSPENDED the second block of medial branches'
    r"|\b(?:is|was)[ \t]+suspended[ \t]+the[ \t]+(?:\w+[ \t]+){0,3}?"
    r"(?:blocks?|injections?|MBB|RFA|radiofrequency)\b"
)
# 'Thermal lesioning: NOT performed.' in a pulsed RF template: a step not done, not a stop
_STEP_NOT_DONE = re.compile(
    r"(?i)(?:thermal|heat|conventional|motor|sensory|stimulation|contrast|steroid)[\w \t-]{0,25}:[ \t]*"
    r"not[ \t]+(?:performed|done|used|given)\b"
)
_OPENS_WITH_STOP = re.compile(
    r"(?i)(?:was[ \t]+)?(?:not[ \t]+(?:performed|done|started)|cancell?ed|deferred|postponed)\b"
)
_SCHEDULED_KIND = re.compile(
    r"(?i)\b(?:scheduled|planned|booked|ordered)\b[^.\n]{0,80}?"
    r"\b(?:facet|medial[ \t]+branch|MBB|RFA|radiofrequency|neurotomy|intra-?articular)"
)
_WHOLE_CANCEL = re.compile(
    r"\b(?:resched\w*|cancell?ed|postponed|deferred|before\s+(?:any|the\s+(?:first\s+)?needle|needle|starting|"
    r"prep\w*|the\s+procedure\s+(?:began|started))|prior\s+to\s+(?:any|needle|starting)|not\s+(?:started|begun)|"
    r"no\s+needles?\s+(?:was|were)\s+(?:placed|inserted)|did\s+not\s+proceed|never\s+(?:started|began|went)|"
    r"not\s+started|cx'?d|cxl|canx|cancell?ed|called\s+off|declined|"
    r"no\s+needles?\s+placed(?![ \t]+(?:at|for|in|on|to|into|over)\b))\b"
    # an export's field for the whole procedure: 'FACET PROCEDURE = NOT PERFORMED - MBB #1 RESPONSE 50%'
    r"|\bprocedure[ \t]{0,2}[=:][ \t]{0,2}not[ \t]+(?:performed|done)\b",
    re.I,
)
_STRONG_ABORT = re.compile(
    r"\b(?:nothing|abort|abandon|halt|terminat|discontinu|stopp|unable|could\s+not|not\s+(?:performed|completed|done)|did\s+not|"
    r"incomplete|cancel|cxl\b|canx\b)",
    re.I,
)
# a non-facet procedure is done today only where the sentence speaks of doing something
_OTHER_ACTION = re.compile(
    r"\b(?:inject\w*|inj\b|block\w*|ablat\w*|RFA|RF\b|radio\s?frequency|neurotomy|denervation|procedure|performed|"
    r"ESI|TFESI|steroid|epidurogram|arthrogram|needle|lesion\w*|TPIs?|dry\s+needling|infiltration\w*)",
    re.I,
)
_PROCEDURE_CONTEXT = re.compile(
    r"\b(?:procedure|procs?|block\w*|injection\w*|inject\w*|side(?!\s+effects?)|level\w*|needle\w*|cannula\w*|"
    r"lesion\w*|ablation|radio\s?frequency|RF|neurotomy|"
    r"attempt\w*|joint\w*|MBBs?|RFAs?|left|right|bilateral|[CTL][0-9])\b",
    re.I,
)
_RESUMED = re.compile(
    r"\b(?:resum\w*|reset|continued|restarted|lowered|reduced|re-?positioned|redirected|then\s+(?:done|performed|"
    r"completed)|successfully\s+completed|was\s+completed"
    # 'abandon the MBB and convert to a diagnostic intra-articular injection': the other kind was done
    r"|convert(?:ed)?\s+(?:it\s+)?(?:in)?to\s+(?:an?\s+)?(?:(?:diagnostic|therapeutic)\s+)?(?:intra-?articular|facet|medial|MBB|IA))\b",
    re.I,
)
# 'Attempt 1: ... vasovagal episode ... Attempt 2 (0950): ... re-prepped and draped ...': the
# procedure stopped, then was done again from the start
_RETRIED = re.compile(
    r"(?i)\b(?:attempt\s*(?:#\s*)?2|(?<!no\s)second\s+attempt(?!\s+(?:was|is)\s+not)|re-?prepped|(?<!not\s)re-?attempted)\b"
)
_RETRY_REACH = 600
_LESIONED = re.compile(r"\blesion(?:s|ed)?\s+(?:were|was)\s+(?:made|performed|created)|\blesioned\b", re.I)
_NUMBER_WORDS = {
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_NEGATIVE_CONFIRMATION = re.compile(r"\b(?:not|unable|could\s+not|without\s+confirm)\b", re.I)
_NEUROTOMY = {"rf_ablation_thermal", "rf_pulsed", "chemical_neurolysis", "cryoneurolysis"}


def _usable(mention: Mention) -> bool:
    return mention.today and not mention.negated


def _facet_kind_mentions(view: NoteView) -> list[Mention]:
    """Facet procedure names of today; a neurotomy named beside why RFA is unsuitable is not one."""
    reason_sentences = {m.sent for m in view.of("RFA_REASON")}
    # ('22 g needle into the inferior third of the right SI joint; intra-articular position
    # confirmed': the SI joint's, where the sentence names no spinal level)
    sacroiliac_sentences = {
        m.sent for m in view.of("KIND") if m.meta.get("description") == "sacroiliac joint injection"
    } - {m.sent for m in view.of("LEVEL_PHRASE", "LEVEL_WORD", "NERVE_TON")}
    kinds = [
        m
        for m in view.of("KIND")
        if _usable(m)
        and m.meta.get("kind") in FACET_KINDS
        and not (m.sent in reason_sentences and m.meta["kind"] == "rf_ablation_thermal")
        and not (m.sent in sacroiliac_sentences and m.meta["kind"] == "intra_articular")
        and not row_marked_not_done(view, m)
        and not _struck_out(view, m.sent)  # ('... block number two period strike the last sentence')
    ]
    # 'PLANNED: first diagnostic medial branch block ...' over 'PERFORMED: ... intra-articular
    # facet joint injection ... converted from the planned medial branch block': a kind named only
    # in the planned line gives way to the kinds named elsewhere
    planned = [_in_planned_line(view, m) for m in kinds]
    elsewhere = {
        m.meta["kind"]
        for m, p in zip(kinds, planned, strict=True)
        if not p and m.meta.get("specificity", 0) >= 2
    }
    if elsewhere:
        kinds = [m for m, p in zip(kinds, planned, strict=True) if m.meta["kind"] in elsewhere or not p]
    # 'Planned: MBB #2 (confirmatory) L4-5 and L5-S1 bilat.' over 'so MBB #2 was NOT performed
    # today': the planned kind was called off as a whole (a sentence that names no level or side)
    called_off = {m.meta["kind"] for m in view.of("KIND") if _called_off_kind(view, m)}
    if called_off:
        kinds = [m for m in kinds if m.meta["kind"] not in called_off or not _in_planned_line(view, m)]
    return kinds


def _booked_only(view: NoteView, mention: Mention) -> bool:
    """A planned-procedure field whose label alone makes it a plan ('Scheduled: Diagnostic lumbar
    medial branch block, first block' over a nursing record of the block): what the booking says
    of today's procedure, the last place its intent or session number is looked for."""
    return mention.status == ["HYPOTHETICAL"] and (
        _in_planned_line(view, mention) or _BOOKED_TODAY.search(view.sentence_text(mention.sent)) is not None
    )


# 'Summary: ... Booked B/L T8-9 + T9-10 dx MBB #1 today.': what the booking says of today's procedure
_BOOKED_TODAY = re.compile(r"(?i)\b(?:booked|scheduled|listed)\b[^.\n]{0,80}\btoday\b")


def _in_planned_line(view: NoteView, mention: Mention) -> bool:
    return (view.section_at(mention.start) or {}).get("category") == "procedure_planned"


def _called_off_kind(view: NoteView, mention: Mention) -> bool:
    """A facet kind said not done as a whole, outside the planned line ('so MBB #2 was NOT
    performed today'); whether or not it is also read as history (the sentence may begin with an
    earlier block's result: 'MBB #1 gave 30% relief only, so ...')."""
    return (
        mention.negated
        and mention.meta.get("kind") in FACET_KINDS
        and not _in_planned_line(view, mention)
        and next(view.in_sentence(mention.sent, "LEVEL_PHRASE", "LEVEL_WORD", "SIDE"), None) is None
        and _CALLED_OFF_WORDS.search(view.sentence_text(mention.sent)) is not None
    )


# (not any negation: 'Anatomy - intra-articular, not nerves, today' is a heading)
_CALLED_OFF_WORDS = re.compile(
    r"\b(?:not\s+(?:performed|done|carried\s+out)|cancell?ed|called\s+off|deferred|postponed)\b", re.I
)


def _implied_block(view: NoteView, phrases: list[Mention]) -> list[Mention]:
    """No procedure named today, but needles went to named medial branches or their targets and
    the note calls it a medial branch block elsewhere (the title, the history): that block."""
    cues = [
        m for m in view.of("NERVE_CUE", "NERVE_DR", "TARGET_CUE", "NERVE_TON") if m.today and not m.negated
    ]
    named = [m for m in view.of("KIND") if m.meta.get("kind") == "medial_branch_block" and not m.negated]
    if not cues or not phrases or not named:
        return []
    implied = Mention(**{**cues[0].__dict__, "category": "KIND"})
    implied.meta = {"kind": "medial_branch_block", "specificity": 2}
    return [implied]


def _nearest_kind(view: NoteView, phrase: Mention, kinds: list[Mention]) -> Mention | None:
    same = [k for k in kinds if k.sent == phrase.sent]
    pool = same or [k for k in kinds if k.start < phrase.start and k.role == phrase.role]
    if not pool:
        return None
    return min(pool, key=lambda k: abs(k.start - phrase.start))


_FAHRENHEIT = re.compile(r"[0-9°\s]F\b|Fahrenheit")


def _temperature(view: NoteView) -> tuple[float | None, list[Evidence]]:
    values = []
    lesioned: dict[int, bool] = {}  # one search per sentence, however many temperatures it holds
    for m in view.of("TEMPERATURE"):
        if m.sent not in lesioned:
            lesioned[m.sent] = _LESIONED.search(view.sentence_text(m.sent)) is not None
        lesioned_today = m.role in ("description", "untitled", "other_today", "header") and lesioned[m.sent]
        if not (_usable(m) or (lesioned_today and not m.negated and not m.hypothetical)):
            continue
        digits = re.match(r"\d+", view.rule_text()[m.start : m.end])  # ('eight zero degrees')
        if digits:
            value = float(digits.group())
            if _FAHRENHEIT.search(m.text):
                value = round((value - 32) * 5 / 9)  # ('176 F x 90 s': a generator set in Fahrenheit)
            values.append((value, m))
            continue
        words = re.findall(r"[a-z]+", m.text.lower())
        total = sum(_NUMBER_WORDS.get(w, 0) for w in words[:2])
        if total:
            values.append((float(total), m))
    if not values:
        return None, []
    value, mention = max(values, key=lambda v: v[0])
    return value, [mention.evidence()]


_OTHER_SITE = re.compile(
    r"\b(?:knee|genicular|sacroiliac|SI\s+joint|SIJ|epidural|trigger\s+points?|(?:greater|lesser)\s+occipital|hip"
    r"|TPIs?|GONs?)\b",
    re.I,
)
_FACET_SITE = re.compile(
    r"\b(?:facet|medial\s+branch\w*|MBB|[CTL][1-9]\b|zygapophys\w*|dorsal\s+ram\w*|lumbar|cervical)", re.I
)
_NEEDLE_CONTEXT = re.compile(
    r"\b(?:needles?|inject\w*|technique|guid\w*|performed|placed|advanced|identified|marked|imaging|fluoro\w*|"
    r"procedure|landmarks?)\b",
    re.I,
)


def _guidance(view: NoteView, scope: Sequence[tuple[int, int]] = ()) -> tuple[str | None, list[Evidence]]:
    """Today's guidance; for a procedure that is one of the note's listed parts ('#1 R cervical MBB -
    US guided', '#2 B/L L4-5 IA facet inj - fluoro'), what its own part says, when it says any."""
    found: dict[str, list[Mention]] = {}
    for m in _scoped(view.of("GUIDANCE"), scope):
        if not m.today:
            continue
        if m.negated and m.value != "none":
            continue
        if (
            m.value == "none"
            and not m.meta.get("strong")
            and not _NEEDLE_CONTEXT.search(view.sentence_text(m.sent).replace(m.text, " "))
        ):
            continue  # "pain centred at L4-5 by palpation" says nothing about guidance
        if _other_site(view.sentence_text(m.sent)):
            continue  # the imaging of a knee or SI joint procedure done the same day
        if m.value == "none" and _other_site(_paragraph_to(view.text, m.end)):
            continue  # '#1 TPI: 4 trigger points ... 27g needle. No imaging needed.' / '#2 MBB: ... fluoro'
        found.setdefault(m.value, []).append(m)
    # a negated modality ("no fluoroscopy was used") is already gone; palpation cues lose to imaging,
    # a stated absence of imaging ("landmark technique, no imaging") wins over fluoroscopy
    strong = [m for m in found.get("none", []) if m.meta.get("strong")]
    if strong and "fluoroscopy" in found:
        del found["fluoroscopy"]
    for value in ("ct", "ultrasound"):  # 'no imaging used (office has no C-arm or ultrasound)'
        if strong and value in found:
            found[value] = [m for m in found[value] if all(m.sent != n.sent for n in strong)]
            if not found[value]:
                del found[value]
    for value in _abandoned_modalities(view.text):
        if value in found and len(found) > 1:
            del found[value]  # 'started under ultrasound, completed under fluoroscopy'
    for value in ("ct", "ultrasound", "fluoroscopy", "none"):
        if value in found:
            return value, evidence_of(found[value])
    return None, []


# a modality given up for another part-way ('Ultrasound was abandoned before anything was
# injected. The C-arm was brought in ...', 'started under ultrasound, completed under fluoroscopy'):
# the procedure was done under the other
_ABANDONED_MODALITY = re.compile(
    r"(?i)\b(ultrasound|US|CT|fluoro\w*)(?:\s{1,3}(?:guidance|imaging|approach))?\s{1,3}(?:was|were)\s{1,3}"
    r"(?:abandoned|given\s{1,3}up)\b"
    r"|\b(?:started|begun|began|initiated)\s{1,3}(?:under|with)\s{1,3}(ultrasound|US|CT|fluoro\w*)\b"
    r"(?=[^.]{0,40}?\b(?:completed|finished|converted|switched)\s{1,3}(?:under|with|to)\b)"
)


def _abandoned_modalities(text: str) -> set[str]:
    """The modalities ``_ABANDONED_MODALITY`` says were given up (a cheap test first: most notes
    say none of its words)."""
    if not any(word in text for word in ("abandon", "given up", "started", "beg", "initiated")):
        return set()
    out = set()
    for match in _ABANDONED_MODALITY.finditer(text):
        word = (match.group(1) or match.group(2)).lower()
        out.add("ct" if word == "ct" else "fluoroscopy" if word.startswith("fluoro") else "ultrasound")
    return out


def _other_site(text: str) -> bool:
    return _OTHER_SITE.search(text) is not None and _FACET_SITE.search(text) is None


_PARAGRAPH_REACH = 400


def _paragraph_to(text: str, end: int) -> str:
    """The paragraph holding ``end``, up to it (no further back than ``_PARAGRAPH_REACH``)."""
    floor = max(0, end - _PARAGRAPH_REACH)
    start = text.rfind("\n\n", floor, end)
    return text[start + 2 if start != -1 else floor : end]


def _scoped(mentions: list[Mention], scope: Sequence[tuple[int, int]]) -> list[Mention]:
    """The mentions inside a procedure's listed parts, if it has parts and any are there."""
    inside = [m for m in mentions if any(a <= m.start < b for a, b in scope)]
    return inside or mentions


_ANESTHETIC_ONLY = re.compile(r"(?i)\banesthetic[- \t]+only\b")
_SEDATION_TALK = re.compile(r"(?i)\b(?:sedation|sedated|sedative|MAC|anesthesia[ \t]*:)")


def _intent(view: NoteView, scope: Sequence[tuple[int, int]] = ()) -> tuple[str | None, list[Evidence]]:
    """Intent stated in the procedure header, else beside today's procedure name, else in the
    body, the indication or the assessment; the most frequent value within the first tier that
    has one."""
    tiers: dict[str, list[Mention]] = {
        "header": [],
        "kind_sentence": [],
        "body": [],
        "indication": [],
        "assessment": [],
        "booked": [],
    }
    facet_kinds = _facet_kind_mentions(view)
    kind_sentences = {k.sent for k in facet_kinds}
    named_sentences = _facet_named_sentences(view, facet_kinds)
    session_words = [m for m in view.of("SESSION") if re.search(r"diagnostic|\bdx\b", m.text, re.I)]
    earlier = [(k.start, k.end) for k in view.of("KIND") if k.historical]
    for m in _scoped(sorted([*view.of("INTENT"), *session_words], key=lambda m: m.start), scope):
        if m.category == "SESSION":
            m = Mention(**{**m.__dict__, "category": "INTENT", "meta": {"value": "diagnostic"}})
        if _booked_only(view, m):
            tiers["booked"].append(m)  # ('Scheduled: Diagnostic lumbar medial branch block, first block')
            continue
        if m.negated or m.historical or m.hypothetical:
            continue
        if any(start <= m.start < end for start, end in earlier):
            continue  # 'She had two diagnostic blocks ... in March': the earlier blocks' intent
        if _ANESTHETIC_ONLY.search(m.text) and (
            m.role == "anesthesia" or _SEDATION_TALK.search(view.sentence_text(m.sent))
        ):
            continue  # 'No IV sedation, local anesthetic only': how the patient was kept comfortable
        if m.role == "header":
            tiers["header"].append(m)
        elif m.today and m.sent in kind_sentences:
            tiers["kind_sentence"].append(m)
        elif m.role in ("indication", "history", "exam", "diagnosis"):
            tiers["indication"].append(m)
        elif m.today:
            tiers["body"].append(m)
        elif m.section == "assessment" and m.sent in named_sentences:
            # 'ASSESSMENT ... she wishes to repeat intra-articular injections ... for therapeutic
            # relief': the decision that led to today's procedure
            tiers["assessment"].append(m)
    for tier in tiers:
        if tiers[tier]:
            values = [m.value for m in tiers[tier]]  # most frequent; a tie goes to the first stated
            value = max(dict.fromkeys(values), key=values.count)
            return value, evidence_of(m for m in tiers[tier] if m.value == value)
    return None, []


_EARLIER_BLOCK_RESULT = re.compile(
    r"(?:diagnostic[ \t]+)?(?:block|MBB|injection|one)[ \t]+"
    r"(?:was|were|gave|showed|provided|had|helped|could|did|failed|didn't)\b",
    re.I,
)


_DATED_RESULT_AFTER = re.compile(
    r"[^.\n]{0,30}?\b[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?[ \t]?(?:->|\u2192|:|=)[ \t]?~?[0-9]{1,3}[ \t]?%"
)


def _facet_named_sentences(view: NoteView, facet_kinds: list[Mention]) -> set[int]:
    """Sentences that name a facet procedure of today's kind, today's or not (an assessment sums
    today's up; 'outpatient ... diagnostic medial branch blocks' below an intra-articular injection
    is another procedure's plan)."""
    today = {k.meta.get("kind") for k in facet_kinds} or FACET_KINDS
    return {k.sent for k in view.of("KIND") if k.meta.get("kind") in today}


_BLANK_FIELD = "NEGATED_EXISTENCE_PLACEHOLDER_FIELD"


def _session_number(text: str) -> int | None:
    text = rule_text(text)  # ('DX BLOCK #.........: 1' as the rules read it)
    return next((number for pattern, number in _SESSION_WORDS if pattern.search(text)), None)


def _session(view: NoteView, scope: Sequence[tuple[int, int]] = ()) -> tuple[int | None, list[Evidence]]:
    candidates: list[tuple[int, Mention]] = []
    # INTENT cues ("confirmatory", "dx #1") share a rule file with SESSION and may hold the number
    confirmatory = [m for m in view.of("INTENT") if _session_number(m.text) is not None]
    assessed: list[tuple[int, Mention]] = []
    named_sentences = _facet_named_sentences(view, _facet_kind_mentions(view))
    # ('the joint between the fourth and fifth lumbar vertebrae': a level said by ordinals)
    level_spans = [(p.start, p.end) for p in view.of("LEVEL_PHRASE")]
    booked: list[tuple[int, Mention]] = []
    for m in _scoped(sorted([*view.of("SESSION"), *confirmatory], key=lambda m: m.start), scope):
        if _booked_only(view, m) and (number := _session_number(m.text)) is not None:
            booked.append((number, m))  # ('Scheduled: Diagnostic lumbar medial branch block, first block')
            continue
        if m.historical or m.hypothetical or UNTICKED_BOX in m.status:
            continue  # ('Diagnostic block #:  ( ) 1st   (X) 2nd / confirmatory')
        if any(start <= m.start and m.end <= end for start, end in level_spans):
            continue
        sentence = view.sentence_text(m.sent)
        if m.section == "assessment" and not m.today and m.sent in named_sentences:
            # 'Assessment: incomplete first diagnostic MBB - right L4/5 and L5/S1 only': today's
            # block as the assessment sums it up, when nothing else numbers it
            if (number := _session_number(m.text)) is not None:
                assessed.append((number, m))
            continue
        if not (m.today or m.role == "indication" or (m.role == "history" and TODAY_WORD.search(sentence))):
            continue  # ('Background: ... Today is his third diagnostic block session' counts)
        if not _SESSION_CONTEXT.search(sentence):
            continue
        if _EARLIER_BLOCK_RESULT.match(view.text[m.end : m.end + 60].lstrip()):
            continue  # 'Because the first block was positive, he returned today for the second'
        if _DATED_RESULT_AFTER.match(view.text, m.end, m.end + 60):
            continue  # 'MBB #1 (same nerves) 3/12 -> ~85% x6h per diary': an earlier block's result
        if (number := _session_number(m.text)) is not None:
            candidates.append((number, m))
    candidates = candidates or assessed[:1] or booked[:1]
    if not candidates:
        return None, []
    header = [c for c in candidates if c[1].role == "header"]
    # 'First diagnostic block 05/27/2025 ...: 85% relief. Today = second (confirmatory)': the
    # number said of today wins over an earlier one with no history cue of its own
    today = [
        c
        for c in candidates
        if TODAY_WORD.search(clause := _clause_before(view, c[1])) or _PROCEDURE_FIELD.search(clause)
    ]
    number, mention = (header or today or candidates)[0]
    return number, [mention.evidence()]


# a key=value note's procedure field ('MBB#1 2/12 ~90% x6h | proc=dx MBB#2 (confirmatory)'): today's
_PROCEDURE_FIELD = re.compile(r"(?i)\bproc[ \t]?=[^;|\n=]*\Z")


def _clause_before(view: NoteView, mention: Mention) -> str:
    start, _ = view.sentence_bounds(mention.sent)
    return view.text[max(start, mention.start - 40) : mention.end]


def _confirmation(view: NoteView) -> tuple[bool, list[Evidence]]:
    good = [
        m
        for m in view.of("CONFIRMATION")
        if (m.today or m.role == "indication")
        and not m.hypothetical
        and not m.historical
        and not _NEGATIVE_CONFIRMATION.search(m.text)
        and _BLANK_FIELD not in m.status
    ]
    return bool(good), evidence_of(good[:3])


# 'He has no implanted device and no fusion', 'denies a pacemaker or defibrillator'
_DENIED_BEFORE = re.compile(
    r"(?i)\b(?:no|denies|without|negative\s+for)\s+(?:an?\s+)?(?:[\w-]+\s+(?:or|and|nor)\s+)?(?:[\w-]+\s+)?\Z"
)


def _rfa_reason(view: NoteView) -> tuple[bool, list[Evidence]]:
    reasons = [
        m
        for m in view.of("RFA_REASON")
        if not m.negated
        and m.role not in ("excluded",)
        and not _DENIED_BEFORE.search(view.text, max(0, m.start - 40), m.start)
    ]
    return bool(reasons), evidence_of(reasons[:2])


@dataclass(frozen=True)
class Removal:
    """Part of the planned procedure that was not done: a side (None = both) of some joints
    (None = every joint)."""

    side: str | None
    joints: frozenset[str] | None


# '..., and no lesioning was performed on the left side': the side named as not done
_SIDE_NOT_DONE = re.compile(
    r"(?i)\b(?:no\s+\w+(?:\s+\w+)?\s+(?:was|were)\s+(?:performed|done|made|carried\s+out|placed|given)|"
    r"(?:was|were)\s+not\s+(?:performed|done|treated|lesioned|injected|blocked))\s+(?:on|to)\s+(?:the\s+)?$"
)
_NO_BEFORE = re.compile(r"(?i)\b(?:no|before\s+any)\s$")  # ('before any left sided needle went in')
# 'LEFT C7-T1 = NOT PERFORMED - VASOVAGAL ... AFTER LEFT C7 MB INJECTION': the side a level not done
# is named with
_LEVEL_NOT_DONE_AFTER = re.compile(
    r"(?i)[ \t]{0,2}[CTLS][0-9]{1,2}(?:[ \t]?[-/][ \t]?[CTLS]?[0-9]{1,2})?[ \t]{0,2}"
    r"(?:=|:|-|was|were)?[ \t]{0,2}not[ \t]+(?:performed|done|injected|treated|blocked|lesioned)\b"
)
_CONTRALATERAL = re.compile(r"(?i)\bcontralateral\b")
_AFTER_SIDE = re.compile(r"(?i)\bafter\s+(?:the\s+)?$")
# 'Procedure stopped, right side only completed': the side that was done is not the one stopped
_SIDE_DONE = re.compile(
    r"(?i)(?:-?sided?\s+|side\s+)?(?:only\s+)?(?:was\s+|were\s+)?(?:only\s+)?"
    r"(?:completed|done|finished|performed|treated|injected|blocked)\b|(?:-?sided?\s+|side\s+)?only\b"
    # 'Left L4-L5 and left L5-S1 only - procedure halted', 'R L4-5, L5-S1 done; L aborted'
    r"|[CTL]\s?[0-9][-/\w ,&+]{0,30}?\s+only\b|[CTL]\s?[0-9][-/0-9CTLS ,&+]{0,30}?[ \t]+(?:done|completed)\b"
    # 'Procedure halted; right needles already removed': needles out of a side that was done
    r"|(?:needles?|cannula[es]?)\s+(?:had\s+|were\s+|was\s+)?already\s+(?:been\s+)?(?:removed|withdrawn|out)\b"
)  # ('planned bilat -> R only (aborted)': the right side is what was done)
# a side far from a weak abort cue, or in another clause of its sentence, is not what was stopped
# ('...nauseated from the vasovagal event until his wife took him home; a diary to score the left side')
_ABORT_SIDE_REACH = 80


# 'could not tolerate her last procedure awake': an abort cue about an earlier procedure
_EARLIER_EVENT = re.compile(
    r"(?:\w{1,20}\s+){0,2}?(?:her|his|their|the|an?)\s+(?:last|prior|previous|earlier|first|other)\s+"
    r"(?:\w{1,12}\s+)?(?:procedures?|attempts?|blocks?|injections?|visits?|sessions?|time)\b"
    # '... listed for facet joint injections in the day-case unit but the list was cancelled twice'
    r"|(?:twice|(?:two|three|several)\s+times)\b",
    re.I,
)


_LEVEL_TOKEN = r"[CTLS][ \t]?[0-9]{1,2}(?:[ \t]?[-/][ \t]?[CTLS]?[ \t]?[0-9]{1,2})?"
_LIST_AND = r"[ \t]{0,2}(?:,[ \t]{0,2}and|,|and|&)(?:[ \t]{1,2}|[ \t]?\n[ \t]{0,8})"  # (or a wrapped line)
# the side written before the first joint of a list whose last joint is the one not done
_SIDE_OF_LIST = re.compile(
    rf"(?i)\b(left|right|lt|rt)\s{{1,3}}(?:the[ \t]+)?{_LEVEL_TOKEN}"
    rf"(?:{_LIST_AND}{_LEVEL_TOKEN}){{0,4}}{_LIST_AND}\Z"
)


_SIDE_NAMED = re.compile(r"(?i)\b(left|right)\b")


_BOTH_SIDES = re.compile(r"(?i)\bboth\s+sides\b")


def _repeats_other_side(view: NoteView, repeat: Mention) -> bool:
    """'... the same three targets on the right' after the left side: a repeat on the other side;
    'a second needle to the same junction at L5 on the right' after right-sided needles is not."""
    if _BOTH_SIDES.search(repeat.text):
        return True  # '(done identically on both sides, right first)'
    named = {side.lower() for side in _SIDE_NAMED.findall(view.text, repeat.start, repeat.end + 16)}
    if len(named) != 1:
        return True  # 'on the other / opposite / contralateral side', 'on the right and the left'
    other = "right" if named == {"left"} else "left"
    return any(
        m.today and m.value == other and m.start < repeat.start and m.role != "header"
        for m in view.of("SIDE")
    )


def _pair_joints(phrase: Mention) -> set[str]:
    """The joints a level phrase names as pairs ('L4-5 and L5-S1'; not the vertebrae of a nerve list)."""
    return {j for u in parse_level_phrase(phrase.text) if is_consecutive_pair(u) for j in unit_joints(u)}


_NERVE_NOT_DONE = re.compile(r"(?i)\b(?:MBs?|medial[ \t]+branch(?:es)?|DR|dorsal[ \t]+ram(?:us|i))\b")


_WRITTEN_LEVELS = re.compile(r"\b[CTLS][0-9]{1,2}\b(?:[^.;\n]{0,40}\b[CTLS][0-9]{1,2}\b)?")


_DONE_BEFORE_STOP = re.compile(r"(?i)\b(?:after|following)\s+(?:the\s+)?$")


def _single_nerve_joints(text: str) -> list[str]:
    """The joints the single levels written in ``text`` supply as nerves ('L5' -> L5-S1)."""
    named = _WRITTEN_LEVELS.search(text)  # (not the 'lone' of 'alone' as 'L one')
    units = parse_level_phrase(named.group()) if named else []
    return [j for unit in units if unit.kind == "single" for j in joints_of_nerve(unit.first)]


def _nerve_joints(view: NoteView, text: str) -> list[str]:
    """``_single_nerve_joints`` in a note whose procedure names its nerves today ('right C3
    medial branch ... right C4 ...'): a bare 'C5' there is the C5 nerve."""
    if not any(m.today for m in view.of("NERVE_CUE", "NERVE_DR")):
        return []
    return _single_nerve_joints(text)


def _levels_not_done(view: NoteView) -> list[Removal]:
    """'L L5/S1 NOT done', 'right C4/5 non-tender on exam and not treated': that side of that
    joint was not done (in a procedure stopped part-way or not)."""
    removals = []
    for mention in view.of("NOT_DONE_LEVEL"):
        if not mention.today:
            continue
        # (or the joint its rule names: 'The left sacral ala was not targeted', the L5 dorsal ramus;
        # 'The left lumbosacral joint was not injected')
        joints = frozenset(_pair_joints(mention)) or frozenset(mention.meta.get("joints", ()))
        if not joints and (_NERVE_NOT_DONE.search(mention.text) or mention.meta.get("single_is_nerve")):
            # 'Left C7 MB was NOT injected', 'we leave the right L5 alone': the joints that nerve
            # supplies were not done
            joints = frozenset(_single_nerve_joints(mention.text))
        if not joints:
            joints = frozenset(_nerve_joints(view, mention.text))  # ('left C5 not done' among named nerves)
        if not joints:
            continue
        # 'L L5/S1 NOT done', or the side inside: 'Nothing on the left at L four five'
        before = [
            s
            for s in view.in_sentence(mention.sent, "SIDE")
            if 0 <= mention.start - s.end <= 3 or mention.start <= s.start < mention.end
        ]
        side = before[-1].value if before and before[-1].value in ("left", "right") else None
        listed = _SIDE_OF_LIST.search(view.text, max(0, mention.start - 80), mention.start)
        if side is None and listed is not None:
            side = "left" if listed.group(1)[0] in "lL" else "right"  # 'Left L4-L5 and L5-S1 were not done'
            joints |= {
                j
                for phrase in view.in_sentence(mention.sent, "LEVEL_PHRASE")
                if listed.start() <= phrase.start < listed.end()
                for j in _pair_joints(phrase)
            }
        if side is None and mention.meta.get("needs_side"):
            continue  # an exam's 'L4-5 non-tender' says nothing of what was injected
        removals.append(Removal(side, joints))
    return removals


# 'L side NOT injected. procedure stopped.', 'Left sided injections not performed', 'Left: not
# done': the side named is what the stop left undone
_SIDE_THEN_NOT_DONE = re.compile(
    r"(?i)[ \t]{0,2}(?::[ \t]{0,2})?(?:-?sided[ \t]+|side[ \t]+)?"
    r"(?:(?:injections?|blocks?|procedures?|lesions?)[ \t]+)?"
    r"(?:was[ \t]+|were[ \t]+)?(?:not|[\u00f8\u00d8\u2205])[ \t]+"  # ('L side \u00f8 done')
    r"(?:performed|done|treated|lesioned|injected|blocked|completed|attempted)\b"
)


# 'We did not continue with the left side', 'before any needle was placed on the left': the side
# the stop left out, named after what was not done
_NOT_GONE_ON_TO = re.compile(
    r"(?i)\b(?:(?:did|could|would)[ \t]+not|didn't|couldn't|never)[ \t]+"
    r"(?:continue|proceed|go[ \t]+on|move[ \t]+on|get|start)[ \t]+(?:with|to|on)[ \t]+(?:the[ \t]+)?\Z"
    r"|\bbefore[ \t]+any[ \t]+needles?[ \t]+(?:was|were)[ \t]+(?:placed|inserted)[ \t]+on[ \t]+the[ \t]+\Z"
)


def _sides_not_done(view: NoteView) -> list[Removal]:
    """In a procedure stopped part-way, 'L side NOT injected': that side of every joint was not done."""
    return [
        Removal(m.value, None)
        for m in view.of("SIDE")
        if (m.today or m.role == "diagnosis")  # (an IMPRESSION sums up today's procedure)
        and m.value in ("left", "right")
        and (
            _SIDE_THEN_NOT_DONE.match(view.text, m.end, m.end + 40)
            or _NOT_GONE_ON_TO.search(view.text, max(0, m.start - 60), m.start)
        )
    ]


def _other_spine_part(view: NoteView, cue: Mention, done: set[str]) -> bool:
    """A stop in a sentence that names only another part of the spine than every level done
    today ('Neck TON block deferred by patient.' or 'Might warrant C5-6/C6-7 medial branch
    blocks in future; deferred.' beside a lumbar block): that other procedure was put off."""
    levels = parts_of_levels([p.text for p in view.in_sentence(cue.sent, "LEVEL_PHRASE")])
    return names_only_other_part(view.sentence_text(cue.sent), done, levels)


def _other_procedure_only(view: NoteView, cue: Mention) -> bool:
    """A stop in a sentence that names only a procedure other than a facet one ('Epidural injection:
    not performed today.' under a facet injection, a copy-forward note's field for the last visit's
    epidural): that procedure was not done; the facet procedure was."""
    kinds = {m.meta.get("kind") for m in view.in_sentence(cue.sent, "KIND")}
    return kinds == {"other"}


def _looked_at_only(view: NoteView, cue: Mention) -> bool:
    """'Image 3 (AP, localisation): the T10 transverse processes viewed on both sides; no needle
    placed': a level only looked at on an image (its mentions carry the ConText status), whose
    'no needle placed' stops nothing (the semicolon ends that modifier's reach before the cue)."""
    return any(
        "NEGATED_EXISTENCE_LOOKED_AT_ONLY" in m.status
        for label in ("LEVEL_PHRASE", "SIDE")
        for m in view.in_sentence(cue.sent, label)
    )


def _cue_context(view: NoteView, cue: Mention) -> str:
    """The text an abort cue is judged by: its clause ('...; meloxicam, stopped because of
    dyspepsia; ...' stops a drug, not the procedure), or its sentence when the clause is a word
    or two ('Vasovagal at the second needle; stopped.')."""
    low, high = _clause(view, cue)
    if high - low < _SHORT_CLAUSE:
        return view.sentence_text(cue.sent)
    return view.text[low:high]


_SHORT_CLAUSE = 25
_ASIDE_GAP = 12


def _clause(view: NoteView, cue: Mention) -> tuple[int, int]:
    """The bracketed or semicolon-bounded part of the cue's sentence: 'injection L4/L5 (L3/L4
    attempted - aborted)' stops L3/L4, not L4/L5."""
    start, end = view.sentence_bounds(cue.sent)
    before = view.text[start : cue.start]
    after = view.text[cue.end : end]
    low = start + max(before.rfind(c) for c in "();") + 1 if any(c in before for c in "();") else start
    closing = before.rfind(")")
    if closing != -1 and len(before) - closing <= _ASIDE_GAP and "(" in before[:closing]:
        # an aside just before the cue is part of its subject: 'The ... block (#2, bilateral
        # L4-5 and L5-S1) was cancelled'
        earlier = before[: before.rfind("(", 0, closing)]
        low = start + max(earlier.rfind(c) for c in "();") + 1 if any(c in earlier for c in "();") else start
    stops = [i for i in (after.find(c) for c in "();") if i != -1]
    high = cue.end + min(stops) if stops else end
    return low, high


_SIDES_OF = {"left": {"left"}, "right": {"right"}, "bilateral": {"left", "right"}}


_PLANNED_BOTH = re.compile(
    r"(?i)\bplanned[ \t]+(?:as[ \t]+)?(?:bilateral(?:ly)?|bilat|on[ \t]+both[ \t]+sides)\b"
)


def _title_sides(view: NoteView) -> set[str]:
    """The sides the title names ('Procedure: ... diagnostic #1, right'): left/right, both for
    bilateral; empty when the title names none."""
    values = {m.value for m in view.of("SIDE") if m.role == "header" and m.today and not m.negated}
    if "bilateral" in values:
        values |= {"left", "right"}
    return values & {"left", "right"}


# 'Left side deferred - pt to return in 2-4 weeks for the same nerves on the left' under a title that
# names the right: the other side is staged for another day, not a part of today's procedure stopped
_SIDE_DEFERRED = re.compile(
    r"(?i)[ \t]{0,4}(left|right|lt|rt)\.?[ \t]+side[ \t]+(?:was[ \t]+|is[ \t]+)?(?:deferred|postponed)\b"
)


def _other_side_deferred(view: NoteView, cue: Mention, title: set[str]) -> bool:
    deferred = _SIDE_DEFERRED.match(view.sentence_text(cue.sent))
    return bool(title) and deferred is not None and deferred.group(1)[0].lower() not in {t[0] for t in title}


# an earlier booking called off ('Originally booked at Cedar Ridge ASC for ... (case 07/01/2025) -
# CANCELLED by the ASC, authorization not obtained.'): what was done today is told apart from it
_EARLIER_BOOKING = re.compile(r"(?i)\b(?:originally|initially|first)\s+(?:booked|scheduled)\b")
_CANCELLED = re.compile(r"(?i)\bcancell?ed\b|\b(?:cxl|canx)\b")
# ('... nothing was done on the right today': see _abort)
_OTHER_SIDE_TODAY = re.compile(
    r"(?i)(?<![ \t])[ \t]++(?:on|to)[ \t]+(?:the[ \t]+)?(?P<side>right|left)(?:[ \t]+side)?[ \t]+today\b"
)
# right after a stop cue, what makes it no stop today: why sedation was given ('vasovagal with
# dental work', '... during either MBB'), a pulsed RF's 'Nothing injected at the nerves' (no injectate)
_NO_STOP_AFTER = re.compile(
    r"(?i)[ \t]{0,3}(?:(?:with|during|at|after)[ \t]+"
    r"(?:dental|blood|his|her|their|prior|previous|earlier|past|either|both)\b"
    r"|(?:at|through|via|into)[ \t]+(?:the[ \t]+|any[ \t]+)?"
    r"(?:nerves?|cannulae?|cannulas|needles?|targets?)\b)"
)
# 'could not tolerate lying prone awake during either MBB': further on in the cue's sentence
_DURING_EARLIER = re.compile(
    r"(?i)\bduring[ \t]+(?:either|both|(?:his|her|the|their)[ \t]+(?:prior|previous|earlier|first|last)\b)"
)
# a stop said of something else: 'the diary was not started', 'the pain assessment was not done',
# 'Post-procedure assessment deferred until fully awake from MAC', a registry's 'painScore.post: deferred'
_OTHER_SUBJECT = re.compile(
    r"(?i)(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))(?:diary|diaries|log|assessment|scores?|scoring|testing)"
    r"(?:\.[a-z]+)?(?:[ \t]+(?:was|were|is|are)|[ \t]*:)?[ \t]+\Z"
)
# 'C4 row is a template default, not ordered, not performed': never part of today's plan
_NEVER_ORDERED = re.compile(r"(?i)\bnot\s+ordered\b|\btemplate\s+default\b")


# a record row called off by decision, not by a stop ('Cannula 4  R L3-4 (L2 MB)  -- CANCELLED,
# entered in error', 'Lesion 4  L C5-6 (C6 MB)  -- CANCELLED per MD, level not treated')
_ROW_CALLED_OFF = re.compile(
    r"(?i)[ \t,;:(-]{0,4}(?:entered\s+in\s+error|in\s+error|per\s+(?:MD|physician|attending|surgeon)|"
    r"not\s+indicated|(?:level\s+)?not\s+(?:treated|needed|planned))\b"
)


def _row_called_off(view: NoteView, cue: Mention) -> Removal | None:
    """The level of a row called off by decision (and the side written before it): not done, but
    the procedure was not stopped part-way. None when ``cue`` is no such row."""
    if not _CANCELLED.search(cue.text) or not _ROW_CALLED_OFF.match(view.text, cue.end, cue.end + 40):
        return None
    phrases = list(view.in_sentence(cue.sent, "LEVEL_PHRASE"))
    joints = frozenset(j for phrase in phrases for j in _pair_joints(phrase))
    if not joints:
        return None
    before = [s.value for s in view.in_sentence(cue.sent, "SIDE") if s.end <= phrases[0].start]
    side = before[-1] if before and before[-1] in ("left", "right") else None
    return Removal(side, joints)


def _abort(view: NoteView, corrected: str | None) -> tuple[str, list[Removal], list[Evidence]]:
    """('completed' | 'incomplete' | 'cancelled', what was not done, evidence); ``corrected``: the
    side a correction states (``_corrected_side``), which is then all that was planned."""
    # (a pain field's 'score deferred' or 'not obtained' is about the score, not the procedure)
    cues = [m for m in view.of("ABORTED") if m.today and not m.negated and m.role != "pain"]
    done = parts_done(view) if cues else set()  # (the parts of the spine treated today, read once)
    title = _title_sides(view) if cues else set()
    called_off = {c.start: removal for c in cues if (removal := _row_called_off(view, c)) is not None}
    # 'all three nerves were on the left side, nothing was done on the right today': what today's
    # work left out, said as its scope, not a stop
    scope = {
        c.start: Removal(found.group("side").lower(), None)
        for c in cues
        if (found := _OTHER_SIDE_TODAY.match(view.text, c.end, c.end + 40)) is not None
    }
    called_off.update(scope)
    cues = [
        c
        for c in cues
        if c.start not in called_off
        and not _RESUMED.search(view.sentence_text(c.sent))
        and _PROCEDURE_CONTEXT.search(_cue_context(view, c))
        and not _EARLIER_EVENT.match(view.text[c.end : c.end + 80].lstrip())
        and not _NO_STOP_AFTER.match(view.text, c.end, c.end + 80)
        and not _DURING_EARLIER.search(view.text, c.end, min(view.sentence_bounds(c.sent)[1], c.end + 120))
        and not _OTHER_SUBJECT.search(view.text, max(0, c.start - 40), c.start)
        and not _RETRIED.search(view.text, c.end, c.end + _RETRY_REACH)
        and not _other_spine_part(view, c, done)
        and not _other_procedure_only(view, c)
        and not _looked_at_only(view, c)
        and not _ABANDONED_MODALITY.search(view.sentence_text(c.sent))
        and not (_CANCELLED.search(c.text) and _EARLIER_BOOKING.search(view.sentence_text(c.sent)))
        and not _STEP_NOT_DONE.match(view.sentence_text(c.sent).lstrip())
        and not in_level_row(view, c.start)  # ('C4 MB | R | -- | NOT PERFORMED': that row's level)
        and not _NEVER_ORDERED.search(_cue_context(view, c))
        and not _other_side_deferred(view, c, title)
    ]
    if not cues:
        # 'Levels done vs consented: L3-L4 was NOT injected on either side': not a stop, but
        # that level is not part of what was done
        return "completed", _side_less_after_sided(_levels_not_done(view)) + list(called_off.values()), []
    removals: list[Removal] = list(called_off.values())
    cancelled = False
    for cue in cues:
        sentence = view.sentence_text(cue.sent)
        if _KIND_CALLED_OFF.search(sentence) or (
            _OPENS_WITH_STOP.match(sentence.lstrip())
            and cue.sent > 0
            and _SCHEDULED_KIND.search(view.sentence_text(cue.sent - 1))
        ):
            # ('Scheduled: Bilateral L4-5, L5-S1 lumbar medial branch block #2. NOT PERFORMED -
            # cancelled by physician before start: ...')
            # '... we agreed to inject the left SI joint instead, and the facet injection was deferred'
            cancelled = True
            continue
        stated = [s for s in view.in_sentence(cue.sent, "SIDE") if s.value in ("left", "right")]
        done = {
            s.value
            for s in stated
            if _SIDE_DONE.match(view.text[s.end : s.end + 60].lstrip(" \t"))
            or _AFTER_SIDE.search(view.text[max(0, s.start - 12) : s.start])  # 'vasovagal after R side'
        }
        sides = [s for s in stated if s.value not in done]
        phrases = list(view.in_sentence(cue.sent, "LEVEL_PHRASE"))
        low, high = _clause(view, cue)
        in_clause = [p for p in phrases if low <= p.start and p.end <= high]
        joints = frozenset(j for phrase in in_clause or phrases for j in _pair_joints(phrase))
        if not joints:
            # 'nothing injected at left C5' in a block of named nerves: the joints that sided nerve
            # supplies (not 'an L5 radiculopathy')
            joints = frozenset(
                j
                for phrase in in_clause
                if any(
                    view.text[s.end : phrase.start] == " "  # ('at left C5'; not a 'LEFT: C4 and C5' field)
                    and not _DONE_BEFORE_STOP.search(view.text, max(0, s.start - 12), s.start)
                    for s in stated
                )  # (not 'after left C7 MB injection, procedure halted': what was done first)
                for j in _nerve_joints(view, phrase.text)
            )
        strong = _STRONG_ABORT.search(cue.text) is not None
        if not stated and in_clause and (row_side := table_side(view, in_clause[0])) is not None:
            stated = sides = [row_side]  # '| L4-L5 | L | ... | NO - aborted': the row's side
        # ('... and no lesioning was performed on the left side', '... and no left-sided needle was placed')
        level_not_done = [s for s in stated if _LEVEL_NOT_DONE_AFTER.match(view.text, s.end, s.end + 40)]
        side_not_done = [
            s
            for s in sides
            if _SIDE_NOT_DONE.search(view.text[max(0, s.start - 60) : s.start])
            or _NO_BEFORE.search(view.text[max(0, s.start - 12) : s.start])
        ]
        declared = level_not_done or side_not_done
        if declared:
            # 'Given the vasovagal episode, ..., and no lesioning was performed on the left side'
            removals.append(Removal(declared[0].value, joints or None))
            # '... (so right L4-5 not done), and no left-sided cannulae were placed': the other
            # side, said not done with no level of its own, was not done at all
            removals += [
                Removal(s.value, None)
                for s in side_not_done
                if level_not_done and s.value != declared[0].value and s.value in ("left", "right")
            ]
        elif sides:
            nearest = min(sides, key=lambda s: abs(s.start - cue.start))
            between = view.text[min(nearest.end, cue.end) : max(nearest.start, cue.start)]
            near = len(between) <= _ABORT_SIDE_REACH and ";" not in between
            if strong or (len({s.value for s in sides}) == 1 and near):
                removals.append(Removal(nearest.value, joints or None))
        elif len(done) == 1 and strong:
            # 'planned bilat -> R only (aborted)': the other side was stopped
            removals.append(Removal("left" if done == {"right"} else "right", joints or None))
        elif not stated and _CONTRALATERAL.search(sentence) and (treated := referenced_side(view)):
            # 'Side 1 (the worse side; "R" marker) ... Side 2 (contralateral): ... vasovagal ...
            # contralateral block not completed': the side opposite the one the note points at
            removals.append(Removal("left" if treated == "right" else "right", joints or None))
        elif joints and strong:
            removals.append(Removal(None, joints))
        elif _WHOLE_CANCEL.search(sentence):
            cancelled = True
    removals += _side_less_after_sided(_levels_not_done(view))
    if not any(r.side for r in removals):
        removals += _sides_not_done(view)
    # 'L L5/S1 NOT done' names what was stopped on the left; a vague 'vasovagal while placing the
    # L needle' in the same note does not stop the whole left side too
    specific = {r.side for r in removals if r.joints}
    removals = [r for r in removals if r.joints or r.side not in specific]
    # ('Correction: all needles were on the right ... not done on the left')
    planned = _title_sides(view) if corrected is None else _SIDES_OF.get(corrected, set())
    if corrected is None and _PLANNED_BOTH.search(view.text):
        planned = {"left", "right"}  # 'RIGHT L3-4 AND L4-5 (PLANNED BILATERAL; LEFT SIDE NOT PERFORMED)'
    if planned and removals and all(r.side is not None and r.side not in planned for r in removals):
        return "completed", removals, []  # a right-sided block's 'nothing was done on the left'
    evidence = evidence_of(cues)
    if cancelled and not removals:
        return "cancelled", [], evidence
    return "incomplete", removals, evidence


# a procedure that never began ('CANCELLED - INR 3.1'), not one stopped part-way ('Will reschedule
# the remaining nerves': what was done before the stop stays)
_NEVER_BEGAN = re.compile(
    r"(?i)\b(?:before|prior\s+to)\s+(?:any\s+needle|the\s+(?:first\s+)?needle|needle|start(?:ing)?\b|prep)"
    r"|\b(?:not|never)\s+(?:started|begun|began)\b|\bno\s+needles?\s+(?:was|were)\s+(?:placed|inserted)\b"
    r"|\bno\s+needles?\s+(?:placed|inserted)\b(?![ \t]+(?:at|for|in|on|to|into|over)\b)"
    r"|\bcancell?ed\b|\bcalled\s+off\b|\b(?:cxl|canx)\b"
)


# the session went on with another procedure: 'pt elected a bedside intra-articular injection',
# 'The procedure was converted: ...', '... the SI joint instead'
_DONE_INSTEAD = re.compile(r"(?i)\b(?:instead|elected|opted|chose|converted)\b")
_CLAUSE_MARK = re.compile(r"[,;:()]")


def _kinds_done_instead(view: NoteView, kinds: list[Mention], cues: list[Evidence]) -> list[Mention]:
    """'RF NOT STARTED: the C-arm failed ...' then '... pt elected a bedside intra-articular facet
    injection ..., RF to be rescheduled': each stop names the kinds it stopped (those in its
    clause); where the note says another was done instead, today's kinds of another sort, named
    outside the planned line, were done. [] when a stop names no kind (the whole session was
    called off)."""
    if not any(_DONE_INSTEAD.search(view.sentence_text(k.sent)) for k in kinds):
        return []
    stopped: set[str] = set()
    aborted = {m.start: m for m in view.of("ABORTED")}
    for cue in cues:
        mention = aborted.get(cue.start)
        if mention is None:
            return []
        start, end = view.sentence_bounds(mention.sent)
        marks = [m.start() for m in _CLAUSE_MARK.finditer(view.text, start, end)]
        low = max([m for m in marks if m < cue.start], default=start)
        high = min([m for m in marks if m >= cue.end], default=end)
        named = [k for k in view.in_sentence(mention.sent, "KIND") if low <= k.start and k.end <= high]
        if not named:
            return []
        stopped.update(k.meta.get("kind", "") for k in named)
    return [
        k
        for k in kinds
        if k.meta["kind"] not in stopped
        and not _in_planned_line(view, k)
        and k.meta.get("specificity", 0) >= 2
    ]


def _side_less_after_sided(removals: list[Removal]) -> list[Removal]:
    """'L L4-5 NOT injected' and later '(L side still sore, L4-5 not done)': a joint said not done
    without a side, where another such statement says which side of it was not done, is that side."""
    sided = {j for r in removals if r.side is not None and r.joints for j in r.joints}
    return [r for r in removals if r.side is not None or not r.joints or not r.joints <= sided]


def _called_off(view: NoteView, cues: list[Evidence]) -> bool:
    """A stop cue's sentence says the procedure never began ('CANCELLED prior to start.')."""
    return any(_NEVER_BEGAN.search(view.text, *view.sentence_at(cue.start)) for cue in cues)


def _after_not_done(discrepancy: Discrepancy | None, removals: list[Removal]) -> Discrepancy | None:
    """No discrepancy when the description's extra joints are the ones the note says were not
    done ('Consent ... for bilateral L3-L4, L4-L5 and L5-S1' and 'L3-L4 was NOT injected')."""
    if discrepancy is None or not removals:
        return discrepancy
    header, body, _ = discrepancy
    left = {j for j in body if _after_removals(j, "bilateral", removals)[1]}
    return None if left == set(header) else discrepancy


def _after_removals(joint: str, side: str | None, removals: list[Removal]) -> tuple[str | None, bool]:
    """The side left for ``joint`` and whether anything of it is left at all."""
    for removal in removals:
        if removal.joints is not None and joint not in removal.joints:
            continue
        if removal.side is None:
            return None, False
        if side == "bilateral":
            side = "left" if removal.side == "right" else "right"
        elif side == removal.side:
            return None, False
    return side, True


_SIDE_FIELD = re.compile(r"^\W*(?:sides?|laterality)\s*[:\-]", re.I)


def _stated_sides(view: NoteView) -> list[Mention]:
    """Today's sides of the procedure itself (not negated, not of a finding or another site, not
    a side said to be without pain)."""
    return [
        m
        for m in view.of("SIDE")
        if m.today
        and not m.negated
        and "FINDING" not in m.status
        and "OTHER_SITE" not in m.status
        and not without_pain(view.text, m)  # ('Right-sided low back pain ...; left side quiet.')
    ]


def default_side(view: NoteView, scope: Sequence[tuple[int, int]] = ()) -> str | None:
    """A side stated once for the whole procedure ("Side: Bilateral", a lone 'right'); for a
    procedure in listed parts, the side stated in its parts."""
    mentions = _stated_sides(view)
    values = [m.value for m in (_scoped(mentions, scope) if scope else mentions)]
    combined = combine_sides(values)
    if set(values) in ({"left", "right"}, {"bilateral", "left", "right"}):
        return "bilateral"  # 'bilateral ... blocks' and '... on the right and on the left'
    return combined if values and len(set(values)) == 1 else None


def _planned_both_sides(view: NoteView) -> str | None:
    """'Planned: B ... R: all done ... L: ABORTED': both sides were meant when the note names both
    (or bilateral) and one side was stopped; the removal then leaves the other."""
    values = {m.value for m in _stated_sides(view)}
    return "bilateral" if "bilateral" in values or {"left", "right"} <= values else None


_SIDE_CORRECTED = re.compile(
    r"(?i)\b(?:laterality|side)\s+(?:was|is|had\s+been)\s+(?:dictated|documented|recorded|entered|listed|written|"
    r"transcribed|typed)\s+(?:in\s+error|incorrectly)\b|\bincorrectly\s+(?:reads|states|lists|says|documented\s+as)"
    r"\s+[\"'\u201c]?(?:left|right|bilateral)\b[\"'\u201d]?"
    # 'C6 row: side entered as L, incorrect. All three targets were on the RIGHT.'
    r"|\b(?:laterality|side)\s+(?:was\s+)?(?:entered|typed|recorded|documented|listed|charted|selected)\s+as\s+"
    r"(?:L|R|left|right|bilateral)\b[,;:]?\s+(?:incorrect(?:ly)?|in\s+error|wrong(?:ly)?)\b"
    # 'Addendum. In the procedure paragraph I believe I said right-sided. That is incorrect.'
    r"|\bI\s+(?:believe\s+|think\s+)?(?:I\s+)?(?:said|dictated|stated)\s+(?:left|right)(?:-sided)?\b[^.\n]{0,40}"
    r"[.;,]\s{0,3}(?:that|this)\s+(?:is|was)\s+(?:incorrect|wrong|in\s+error)\b"
    # an attending's attestation correcting the resident ('Correction: all needles were on the right')
    r"|\bcorrection\s*[:,-]\s*(?=(?:all\s+(?:the\s+)?(?:needles|injections|targets|levels|joints|lesions)"
    r"\s+were|the\s+(?:procedure|block|injection|ablation)s?\s+(?:was|were))\s+(?:(?:done|performed|placed)\s+)?"
    r"on\s+the\s+(?:left|right)\b)"
    # a dictated correction by reference ('in the second paragraph, change left to right')
    r"|\bchange\s+(?:the\s+)?(?:left|right)(?:[- ]sided)?\s+to\s+(?=(?:the\s+)?(?:left|right)\b)"
    # an addendum's reading instruction ('Please read "LEFT" as "RIGHT" for all three targets')
    r"|\bread\s+[\"'\u201c]?(?:left|right)[\"'\u201d]?\s+as\s+(?=[\"'\u201c]?(?:left|right)\b)"
    # an attestation's exception ('I agree with the fellow's note except: we did the right side only')
    r"|\bexcept\s*[:,-]?\s*(?=we\s+(?:did|injected|blocked|treated|lesioned)\s+(?:the\s+)?(?:left|right)\s+side\s+only\b)"
    # a dictated self-correction ('by lateral L for five, uh, actually we only did one side.')
    r"|\bactually\s+we\s+only\s+(?:did|injected|blocked|treated)\s+one\s+side\b"
)


_REPEAT_AT = re.compile(r"[ \t]{1,4}(?:(?:at|for|of)[ \t]{1,4}(?:the[ \t]{1,4})?)?")


def _repeated_joints(text: str, repeats: Sequence[Mention], joint_set: JointSet) -> set[str]:
    """The one-sided joints a repeat makes bilateral when the joints have different sides: the
    level it names ('right T12-L1 ... then we repeated that contralaterally at T12-L1 and, while
    on the left, also L1-2'; 'the same was done on the left L4-L5'), else the joints of the
    other side named before it ('LEFT: T11 and T12 medial branches' / 'RIGHT: the same two
    targets, plus the L1 medial branch')."""
    out: set[str] = set()
    one_sided = {j: s for j, s in joint_set.sides.items() if s in ("left", "right")}
    starts = {j: [e.start for e in joint_set.evidence.get(j, [])] for j in joint_set.sides}
    for repeat in repeats:
        found = _REPEAT_AT.match(text, repeat.end)
        if named_level := {j for j in starts if found is not None and found.end() in starts[j]}:
            out |= named_level & one_sided.keys()
            continue
        before = {j: s for j, s in one_sided.items() if min(starts[j], default=repeat.start) < repeat.start}
        # ('RIGHT: the same two targets': the label's side, just before the repeat)
        named = {side.lower() for side in _SIDE_NAMED.findall(text, max(0, repeat.start - 10), repeat.end)}
        mirrored = {"left", "right"} - named if len(named) == 1 else set(before.values())
        if len(mirrored) == 1:
            out |= {j for j, s in before.items() if s in mirrored}
    return out


def _repeated_group(groups: Sequence[KindGroup], repeat: Mention) -> KindGroup | None:
    """The group a 'then the same three nerves on the left' repeats: the one with the last level
    named before it (the only group, when none is)."""
    if len(groups) == 1:
        return groups[0]
    before = [(p.start, g) for g in groups for p in g.phrases if p.start < repeat.start]
    return max(before, key=lambda pair: pair[0])[1] if before else None


_CORRECTION_WORDS = ("error", "incorrect", "wrong", "orrection", "change", "except", "one side")
"""A cheap test before ``_SIDE_CORRECTED``: a note with none of these is not searched."""


def _corrected_side(view: NoteView) -> str | None:
    """An addendum that takes the side back ('Laterality was dictated in error ... performed
    on the LEFT L3-4 and L4-5 joints', 'Correction: all needles were on the right'): the first
    side it states applies to every joint."""
    if not any(word in view.text for word in _CORRECTION_WORDS):
        return None
    correction = _SIDE_CORRECTED.search(view.text)
    if correction is None:
        return None
    after = [m for m in _stated_sides(view) if m.start >= correction.end()]
    return after[0].value if after else None


def side_field(view: NoteView) -> str | None:
    """The value of a 'Side:' / 'Laterality:' field, which applies to every joint (not one of a
    form's per-level blocks, 'Joint - L4/L5 facet' / 'Side - Right', which is that level's)."""
    phrases = sorted(view.of("LEVEL_PHRASE"), key=lambda m: m.start)
    starts = [p.start for p in phrases]
    values = [
        m.value
        for m in _stated_sides(view)
        if _SIDE_FIELD.match(view.sentence_text(m.sent))
        and not any(view.in_sentence(m.sent, "LEVEL_PHRASE"))
        and not level_line_above(view, m, phrases, starts)
    ]
    return combine_sides(values)


# a dictated editing command kept in the transcript: 'Strike the last sentence.', 'Scratch that
# previous line.'
_STRIKE_LAST = re.compile(
    r"(?i)\W{0,3}(?:please[ \t]+)?(?:strike|scratch|delete|disregard|erase|remove)[ \t]+"
    r"(?:that[ \t]+|the[ \t]+)?(?:last|previous|preceding|prior|above)[ \t]+(?:sentence|line)\b"
)


# a checklist line left unticked: '- [ ] C2-C3 / TON', '☐ L5-S1'
_UNTICKED_LINE = re.compile(r"[ \t]{0,8}(?:[-*+][ \t]{1,3})?(?:\[[ \t]?\]|\u2610|\u25a1)")


_TICKED_BOX = re.compile(r"\[[ \t]?[xX\u2713\u2714][ \t]?\]|[\u2611\u2612\u2705]")


def _on_unticked_line(view: NoteView, mention: Mention) -> bool:
    """``mention`` sits on a checklist line whose box is left empty: nothing on it was done."""
    line_start = view.text.rfind("\n", 0, mention.start) + 1
    return _UNTICKED_LINE.match(view.text, line_start, mention.start) is not None and not _TICKED_BOX.search(
        view.text, line_start, mention.start
    )  # ('[ ] L3-4   [x] L4-5': the ticked box before it is its own)


def _struck_out(view: NoteView, sent: int) -> bool:
    """A sentence the next one takes back by a dictated editing command."""
    if sent + 1 >= len(view.sentences):
        return False
    start, end = view.sentence_bounds(sent + 1)
    return _STRIKE_LAST.match(view.text, start, min(end, start + 60)) is not None


_ADDENDUM = re.compile(r"(?im)^(?:late[ \t]+entry[ \t]+|oops[ \t,!-]{1,3})?(?:addendum|correction)\b")
_LEVEL_CORRECTION = re.compile(
    r"(?i)\b(?:therefore|in\s+error|incorrect(?:ly)?|corrected|should\s+(?:read|be|have\s+read)|rather\s+than|instead\s+of)\b"
    r"|\b(?:it|they|levels?)\s+(?:was|were)\b[^.\n]{0,40}\bnot\b"  # 'it was C4 C5 C6 not C5 C6 C7'
)
_LEVELS_IN_ERROR = re.compile(
    r"(?i)\b(?:levels?|joints?)\b[^.]{0,120}?\b(?:in\s+error|incorrect(?:ly)?|wrong)\b"
    r"|\b(?:wrong|incorrect)\s+(?:levels?|joints?|targets?)\b"  # '... lists the wrong targets'
)
_NOT_THESE = re.compile(r"(?i)(?:\bnot|rather\s+than|instead\s+of)\s+(?:at\s+)?(?:the\s+)?$")


def _addendum_joints(view: NoteView, phrases: list[Mention]) -> list[Mention] | None:
    """An addendum that corrects the levels ('The joints blocked were therefore L3-L4 and
    L4-L5, bilaterally, and not L4-L5 and L5-S1'): its joints replace the description's (the
    title's stay, to be compared); None when no addendum corrects joints."""
    if not any(word in view.text for word in ("ddendum", "DDENDUM", "orrection", "ORRECTION")):
        return None
    addendum = _ADDENDUM.search(view.text)
    if addendum is None:
        return None
    in_error = _LEVELS_IN_ERROR.search(view.text, addendum.start())
    # 'bilat C5 C6 C7 mb pulsed rf' then 'oops correction - it was C4 C5 C6 not C5 C6 C7': nerves
    # named before, so the correction names nerves too
    earlier = [p for p in phrases if p.start < addendum.start()]
    by_nerves = bool(earlier) and all(
        not any(is_consecutive_pair(unit) for unit in parse_level_phrase(p.text)) for p in earlier
    )
    corrected = [
        p
        for p in phrases
        if p.start >= addendum.start()
        # 'CORRECTION (addendum): the levels ... were dictated in error. ... done at RIGHT L4-5
        # and L5-S1': the correction may be said in an earlier sentence of the addendum
        and (
            _LEVEL_CORRECTION.search(view.sentence_text(p.sent))
            or (in_error is not None and in_error.end() <= p.start)
        )
        and not _NOT_THESE.search(view.text[max(0, p.start - 20) : p.start])
        and (by_nerves or any(is_consecutive_pair(unit) for unit in parse_level_phrase(p.text)))
    ]
    if not corrected:
        return None
    if by_nerves:  # (read as nerves even with no 'medial branch' beside them)
        corrected = [Mention(**{**p.__dict__, "meta": {**p.meta, "read_as": "nerve"}}) for p in corrected]
    return [p for p in phrases if p.role == "header" and p.start < addendum.start()] + corrected


# 'bilat L4-5 + lt L5-S1 ... oops L5-S1 was rt not lt. everything else same': a later line gives
# one level another side
_LEVEL_RESIDED = re.compile(
    r"(?i)[ \t]{1,3}(?:was|were|is|should[ \t]+(?:be|read|have[ \t]+been))[ \t]+(?:on[ \t]+the[ \t]+)?"
    r"(?:rt|right|lt|left|R|L)\b[ \t,]{1,3}not[ \t]+(?:the[ \t]+)?(?:rt|right|lt|left|R|L|bilat\w*)\b"
)


def _resided_levels(
    view: NoteView, phrases: list[Mention], sides_by_phrase: dict[int, list[Mention]]
) -> list[Mention]:
    """A level said again with the side it really had ('L5-S1 was rt not lt'): that phrase takes
    the first side after it alone, and the earlier phrases of the same joints are dropped."""
    kept = phrases
    for phrase in phrases:
        said = _LEVEL_RESIDED.match(view.text, phrase.end, phrase.end + 60)
        joints = _pair_joints(phrase) if said else set()
        if not joints:
            continue
        stated = [m for m in sides_by_phrase.get(phrase.index, []) if phrase.end <= m.start < said.end()]
        if stated:
            sides_by_phrase[phrase.index] = stated[:1]
        kept = [p for p in kept if p.start >= phrase.start or _pair_joints(p) != joints]
    return kept


# A clause break inside a sentence: ', while', ', whereas', ', but', ', so', ';'.
_CLAUSE_BREAK = re.compile(r"(?i);|,[ \t\n]+(?:while|whereas|but|so)\b")


def _kind_in_clause(view: NoteView, level: Mention, kinds: Sequence[Mention]) -> bool:
    """A facet kind named in the level's own clause: an imaging finding in one clause of a long
    sentence ('the L4-L5 joints were narrowed and partly ankylosed, while the L5-S1 facet joints
    ... were targeted') is not treated because another clause names the kind."""
    for k in kinds:
        if k.sent != level.sent:
            continue
        lo, hi = (level.end, k.start) if level.end <= k.start else (k.end, level.start)
        if not _CLAUSE_BREAK.search(view.text, lo, max(lo, hi)):
            return True
    return False


# '... the tenderness at the lumbosacral junction matched, and ..., the left L5-S1 facet joint was
# entered as well': a level the procedure acted on is not a finding
_ACTED_ON = re.compile(
    r"(?i)[ \t]{0,2}(?:facet[ \t]+)?(?:joints?[ \t]+)?(?:was|were)[ \t]+(?:then[ \t]+)?"
    r"(?:entered|injected|treated|blocked|lesioned|targeted|accessed|done)\b"
)


# '... before committing to surgery at L2-3': a level named as a surgical site is no target, even in
# a sentence that names today's facet procedure
_SURGICAL_SITE = re.compile(
    r"(?i)\b(?:surgery|fusion|laminectomy|decompression|discectomy|ACDF|TLIF|PLIF|ALIF|XLIF|arthrodesis|"
    r"foraminotomy|laminotomy|stenosis|(?:spondylo|antero|retro)?listhesis|herniation)"
    r"[ \t]+(?:[\w-]+[ \t]+){0,2}?(?:at|of|to|from|across)[ \t]+(?:the[ \t]+)?\Z"
)
_SURGICAL_REACH = 60


def _surgical_site(view: NoteView, phrase: Mention) -> bool:
    return _SURGICAL_SITE.search(view.text[max(0, phrase.start - _SURGICAL_REACH) : phrase.start]) is not None


def build_procedures(view: NoteView) -> tuple[list[Procedure], LevelDiscrepancy | None, list[str]]:
    """Today's procedures (facet and other), a level discrepancy if any, and what was seen
    only in history or plan (for NO_FACET_PROCEDURE)."""
    facet_kinds = _facet_kind_mentions(view)
    other_kinds = [
        m
        for m in view.of("KIND")
        if _usable(m)
        and m.meta.get("kind") == "other"
        and m.section != "consent"  # ('counseled on the procedures offered by this practice, including ...')
        and _OTHER_ACTION.search(view.sentence_text(m.sent))
    ]
    elsewhere = sorted(
        {
            f"{KIND_NAMES[m.meta['kind']]} ({'history' if m.historical or m.role == 'history' else 'plan'})"
            for m in view.of("KIND")
            if not m.today and m.meta.get("kind") in FACET_KINDS
        }
    )
    procedures: list[Procedure] = []
    seen_other: set[str] = set()
    for m in other_kinds:
        description = m.meta["description"]
        if description not in seen_other:
            seen_other.add(description)
            procedures.append(Procedure(kind="other", description=description, evidence=[m.evidence()]))

    not_done = [n for n in view.of("NOT_DONE_LEVEL") if n.today]
    phrases = [
        m
        for found in view.of("LEVEL_PHRASE", "LEVEL_WORD", "NERVE_TON")
        for m in grid_header_levels(view, found)
        if m.today
        and (not m.negated or ticked_row(view, m))
        and not _struck_out(view, m.sent)
        and not _on_unticked_line(view, m)
        and not unticked_row(view, m)
        and not row_marked_not_done(view, m)
        and not any(n.start <= m.start and m.end <= n.end for n in not_done)  # ('Left L4-5 not completed.')
        and (
            "FINDING" not in m.status
            or (_kind_in_clause(view, m, facet_kinds) and not _surgical_site(view, m))
            or _ACTED_ON.match(view.text, m.end, m.end + 60)
            or ticked_row(view, m)
        )
    ]
    if any(m.section == "consent" for m in phrases) and any(m.section != "consent" for m in phrases):
        # 'CONSENT: Written consent signed for "left L3-4, L4-5, L5-S1 medial branch blocks"':
        # what was agreed to is not what was done, where the note says what was done
        phrases = [m for m in phrases if m.section != "consent"]
    # a level beside another service's procedure is that procedure's, done today or not ('Thoracic
    # epidural catheter (T9-10) placed pre-op by the OR anaesthesia team')
    all_kinds = facet_kinds + [m for m in view.of("KIND") if _usable(m) and m.meta.get("kind") == "other"]
    facet_phrases = []
    for phrase in phrases:
        owner = _nearest_kind(view, phrase, all_kinds)
        if owner is not None and owner.meta.get("kind") == "other":
            if not any(k.sent == phrase.sent for k in facet_kinds):
                continue
        facet_phrases.append(phrase)

    corrected_side = _corrected_side(view)
    status, removals, abort_evidence = _abort(view, corrected_side)
    if status == "cancelled" and (others := _kinds_done_instead(view, facet_kinds, abort_evidence)):
        facet_kinds, status, abort_evidence = others, "completed", []
    if not facet_kinds and not other_kinds:
        facet_kinds = _implied_block(view, facet_phrases)
    specific = [
        k for k in facet_kinds if k.meta.get("specificity", 0) >= 2 and not k.meta.get("needs_levels")
    ]
    if not facet_kinds or (not specific and not facet_phrases) or status == "cancelled":
        return procedures, None, elsewhere

    guidance, guidance_ev = _guidance(view)
    confirmed, confirmation_ev = _confirmation(view)
    reason, reason_ev = _rfa_reason(view)
    shared = {
        "guidance": guidance_ev,
        "status": abort_evidence if status == "incomplete" else [],
        "needle_confirmation": confirmation_ev,
        "rfa_unsuitable_reason": reason_ev,
    }
    sides_by_phrase = attach_sides(view, facet_phrases)
    for phrase in facet_phrases:
        # (a grid row's ticks outrank a side its comment names: 'C7-T1   ✓   right side non-tender')
        written = sides_by_phrase.get(phrase.index)
        if (not written or ticked_row(view, phrase) or in_side_row_grid(view, phrase)) and (
            side := table_side(view, phrase)
        ) is not None:
            sides_by_phrase[phrase.index] = [side]
    facet_phrases = _resided_levels(view, facet_phrases, sides_by_phrase)
    extras = [m for m in view.of("SACRAL_ALA") if m.today]
    if (corrected_phrases := _addendum_joints(view, facet_phrases)) is not None:
        facet_phrases, extras = corrected_phrases, []
    fallback_side, field_side = default_side(view), side_field(view)
    if fallback_side is None and any(r.side for r in removals):
        fallback_side = _planned_both_sides(view)
    if fallback_side is None:
        fallback_side = referenced_side(view)  # 'the symptomatic side', 'same side as last time'
    repeats = [m for m in view.of("SIDE_REPEAT") if m.today and _repeats_other_side(view, m)]
    if corrected_side is not None:
        # the side the correction states holds for every level, so nerves map on that side alone
        # ('C6 row: side entered as L, incorrect. All three targets were on the RIGHT.')
        sides_by_phrase, fallback_side = {}, corrected_side
    discrepancy_found = None
    facet_procedures: list[Procedure] = []
    groups = group_phrases(view, facet_kinds, facet_phrases)
    dictated_in_error = levels_dictated_in_error(view)  # (one correction holds for every group)
    for group in groups:
        readings = follow_nerve_lists(
            view, [read_phrase(view, p, sides_by_phrase.get(p.index, [])) for p in group.phrases]
        )
        # '... on the left side and then the same three targets on the right' repeats the
        # procedure whose levels were named last before it (another one in the note keeps its side)
        own_repeats = [m for m in repeats if _repeated_group(groups, m) is group]
        repeat = bool(own_repeats)
        group_side = default_side(view, group.scope) if group.scope else fallback_side
        if repeat and group_side is None:
            group_side = "bilateral"
        own_extras = [m for m in extras if not group.scope or any(a <= m.start < b for a, b in group.scope)]
        joint_set = resolve_joints(view, readings, own_extras, group_side, incomplete=status == "incomplete")
        if field_side:
            # the form's one 'Side:' field sides only the joints nothing else sides (not
            # '* Level: L5-S1 | Side: Right' under 'Laterality: Bilateral', nor a grid that ticks
            # only the left column under 'Side:  [x] Left  [ ] Right  [x] Bilateral')
            joint_set.sides = {j: s if s else field_side for j, s in joint_set.sides.items()}
        if repeat and len(set(joint_set.sides.values())) == 1:
            # '... then the same three targets on the right' repeats one side; sides already
            # given joint by joint ('bilateral L4-L5 ... and the right L5-S1') stay
            joint_set.sides = {
                j: ("bilateral" if s in ("left", "right") else s) for j, s in joint_set.sides.items()
            }
        elif repeat:
            repeated = _repeated_joints(view.text, own_repeats, joint_set)
            joint_set.sides = {j: "bilateral" if j in repeated else s for j, s in joint_set.sides.items()}
        if corrected_side is not None:
            joint_set.sides = dict.fromkeys(joint_set.sides, corrected_side)
        if miscalled := dictated_in_error & joint_set.sides.keys():
            joint_set.sides = {j: s for j, s in joint_set.sides.items() if j not in miscalled}
            if joint_set.discrepancy is not None:
                named, described, spans = joint_set.discrepancy
                joint_set.discrepancy = (named, [j for j in described if j not in miscalled], spans)
        discrepancy_found = discrepancy_found or _after_not_done(joint_set.discrepancy, removals)
        kind = group.kind
        group_guidance, group_guidance_ev = (
            _guidance(view, group.scope) if group.scope else (guidance, guidance_ev)
        )
        if kind in _NEUROTOMY:
            temperature, temperature_ev = _temperature(view)
            intent, intent_ev, session, session_ev = None, [], None, []
            technique = group.technique or {
                "rf_pulsed": "pulsed",
                "chemical_neurolysis": "chemical",
                "cryoneurolysis": "cryo",
            }.get(kind, "conventional")
        else:
            temperature, temperature_ev, technique = None, [], None
            intent, intent_ev = _intent(view, group.scope)
            session, session_ev = _session(view, group.scope) if intent == "diagnostic" else (None, [])
        field_evidence = {
            **shared,
            "guidance": group_guidance_ev,
            "intent": intent_ev,
            "diagnostic_session": session_ev,
            "temperature_c": temperature_ev,
            "technique": evidence_of(m for m in group.mentions if m.meta.get("technique")),
        }
        field_evidence = {k: v for k, v in field_evidence.items() if v}
        joints_by_region: dict[str, list[JointFact]] = {}
        for joint, side in joint_set.sides.items():
            side, kept = _after_removals(joint, side, removals)
            if not kept:
                continue
            joints_by_region.setdefault(region_of(joint), []).append(
                JointFact(joint=joint, side=side, evidence=joint_set.evidence.get(joint, []))
            )
        if (
            joint_set.sides
            and not joints_by_region
            and (all(r.side is None for r in removals) or _called_off(view, abort_evidence))
        ):
            # every joint named was taken back on both sides ('PROCEDURE SCHEDULED BUT NOT
            # PERFORMED: Bilateral L4-L5 and L5-S1 medial branch block'), or the one side named
            # was called off before it began ('R C3-4, C4-5 RF NEUROTOMY ** CANCELLED **' and
            # 'CANCELLED prior to start'): nothing of this kind was done (a side stopped is a
            # procedure stopped part-way, not one never done)
            continue
        regions: list[str | None] = sorted(joints_by_region) or [None]
        for region in regions:
            facet_procedures.append(
                Procedure(
                    kind=kind,  # type: ignore[arg-type]
                    region=region,  # type: ignore[arg-type]
                    joints=joints_by_region.get(region, []) if region else [],
                    joints_from_nerves=joint_set.from_nerves,
                    nerves=joint_set.nerves,
                    guidance=group_guidance,  # type: ignore[arg-type]
                    intent=intent,  # type: ignore[arg-type]
                    diagnostic_session=session,
                    technique=technique,  # type: ignore[arg-type]
                    temperature_c=temperature,
                    status="incomplete" if status == "incomplete" else "completed",
                    needle_confirmation=confirmed,
                    rfa_unsuitable_reason=reason,
                    evidence=evidence_of(group.mentions),
                    field_evidence=field_evidence,
                )
            )
    discrepancy = None
    if discrepancy_found:
        header, body, evidence = discrepancy_found
        discrepancy = LevelDiscrepancy(header_joints=header, description_joints=body, evidence=evidence)
    return facet_procedures + procedures, discrepancy, elsewhere
