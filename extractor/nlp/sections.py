"""Section spans by header (patterns/nlp/sections.json); text before the first header has
category None. A header whose content sits on its own line covers only that line when the
next line starts a new statement; a paragraph narrating the procedure inside a history-like
section starts untitled (coded) text.

Every header rule is anchored at the start of a line, so only line starts are tried
(``RuleScanner(line_starts=True)``): the same matches as one ``finditer`` of the combined
header regex (which the reference pipeline runs), without running it at every character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from .flowsheet_entries import flowsheet_entries
from .note_view import TODAY_ROLES
from .other_dates import other_date_blocks
from .rule_data import SectionRuleData, section_rule_data, section_rule_patterns
from .rule_scan import RuleScanner
from .sentences import bracket_aside_end
from .voided_text import voided_text

_CHECKBOX = re.compile(r"\[\s*[xX\u2713\u2714]?\s*\]")
_KEY_LABEL = re.compile(r"[A-Za-z][A-Za-z_/]{0,24}:\s")  # a key of a key: value export
_LIST_MARK = re.compile(r"^(?:[-*\u2022]|\d+[.)]\s)")
_NEWLINE_JOIN_MIN_LINE = 70
# a shorter plan line that stops mid-sentence, over a line that starts in lower case, is wrapped too
# (not a history line: a paragraph's today's text may follow on from it)
_WRAPPED_LOWER_MIN_LINE = 50
_MARGIN = re.compile(r"[ \t]*")
# 'Hx: s/p TFESI 2024 ...' then a blank line and 'Today: MBB #1 ...': the history line ends there
_TODAY_PARAGRAPH = re.compile(r"(?i)(?:today\b|this\s+visit\b|procedure\s+today\b|today'?s\s+procedure\b)")
# 'Low back: ...' / 'Neck: ...' under 'Hx:': a body-region sub-label continues the history it
# sits in (other short labels, 'Img:', 'Skin:', are shorthand fields of today's procedure)
_SUB_LABEL = re.compile(
    r"(?i)^(?:(?:low(?:er)?|upper|mid)\s+back|back|neck|(?:lumbar|cervical|thoracic)(?:\s+spine)?|[CLT]-?spine)\s*:\s"
)
_TODAY_OPENER = re.compile(
    r"(?i)(?:(?:he|she|they|the\s+patient|patient)\s+(?:received|was\s+given|got|declined|was\s+(?:placed|positioned|brought))\b|"
    r"(?:moderate|conscious|iv|no)\s+sedation\b|(?:he|she|they|the\s+patient|patient)\s+(?:lay|laid)\s+prone\b|"
    r"local\s+(?:anesthesia|anesthetic)\s+only\b|(?:(?:done|performed)\s+)?under\s+(?:local|fluoro\w*|ct|ultrasound)\b|"
    r"pre-?(?:procedure|procedural|op(?:erative)?|injection|block)\s+(?:pain|NRS|NPRS|VAS|score)\b|"
    # 'Anesthesia was provided by the anesthesia team, monitored anesthesia care with propofol'
    r"(?:anesthesia|monitored\s+anesthesia\s+care|MAC|(?:IV|moderate|conscious)\s+sedation)\s+was\s+"
    r"(?:provided|given|administered)\b|"
    # a checklist of today's steps: '✓ consent, ✓ TO, ✓ L marked'
    r"[\u2713\u2714\u2611\u2705][ \t]*(?:consent|TO\b|time[- ]?out|prone|prep|sed)|"
    # 'Informed consent obtained. Moderate sedation was given ...', 'Consent obtained. He was anxious'
    r"(?:informed\s+|written\s+)?consent\s+(?:was\s+)?obtained\.[ \t]+"
    r"(?:moderate|conscious|iv|mac|monitored|he|she|they|the\s+patient)\b)"
)
_FIELD_ROLES = frozenset({"anesthesia", "medications"})
_NOT_TODAY_ROLES = frozenset({"history", "indication", "exam", "imaging", "diagnosis"})
_NARRATION_START = re.compile(
    r"(?i)(?:the\s+patient|patient|he|she)\s+(?:was\s+)?(?:placed|positioned|brought|taken|lay|laid|identified|"
    r"seen|interviewed|consented|met|greeted|escorted|wheeled)\b|prone\b|"
    r"after\s+(?:informed\s+)?consent\b|(?:informed\s+|written\s+)?consent\s+(?:was\s+obtained|(?:was\s+)?signed)\b|"
    r"consent\s*(?:and|,|/)\s*time[- ]?out\b|"
    r"(?:informed\s+|written\s+)?consent\s+obtained\.[ \t]+(?:performed|prone|time-?out|(?:the\s+)?patient)\b"
)
_DICTATED_TITLE = re.compile(
    r"(?i)(?:(?:okay|ok)[ ,]{1,3})?(?:this\s+is\s+)?(?:an?\s+)?(?:procedure|operative|op)\s+note\s+for\b|"
    r"(?:(?:okay|ok)[ ,]{1,3})?this\s+is\s+[^\n]{0,60}?\bdictating\s+(?:an?\s+|the\s+)?"
    r"(?:procedure|operative|op)\s+note\b"
)
_INLINE_PLAN = re.compile(r"(?<=[.;|] )(?:plan|f/u\s+plan)[ \t]*:|(?<= / )(?:plan|f/u\s+plan)\b", re.I)
_NEW_PARAGRAPH = r"\bnew\s+paragraph\b"
"""A dictated paragraph break, as a speech engine writes it."""
_TITLE_END = re.compile(r"(?i)\n[ \t]*\n|" + _NEW_PARAGRAPH)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n[ \t]*")
# a blank line, or a paragraph break a speech engine wrote out ('... no radicular sign period' /
# 'new paragraph' / 'Consent was explained and signed comma time out done period The patient ...')
_ANY_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n[ \t]*|(?i:" + _NEW_PARAGRAPH + r")\s*")
# what only a procedure done today records, in a SOAP note's 'P:' line: a result or a state
_SOAP_PROCEDURE = re.compile(
    r"(?i)\b(?:confirm(?:s|ed)?|tolerated)\b|\bno\s+(?:sed|sedation)\b|\blocal\s+only\b|"
    r"\b[0-9]{1,2}(?:/10)?[ \t]{0,2}(?:pre[ \t]{0,2})?(?:->|\u2192|>)[ \t]{0,2}[0-9]|"
    r"\b[0-9]{2}[ \t]?C[ \t]?x[ \t]?[0-9]{2,3}|\bnot\s+(?:done|obtained)\b"
)
# (read before the first word of a plan: 'P: RFA R C4-5, C5-6 if diary confirms >=80%' plans)
_SOAP_PLAN_WORD = re.compile(r"(?i)\b(?:if|will|schedul\w*|consider\w*)\b")
_PROCEDURE_NARRATION = re.compile(
    r"(?i)(?:the\s+patient\s+was\s+(?:placed|positioned|brought|taken)|(?:he|she)\s+was\s+(?:placed|positioned|"
    r"brought|taken)|after\s+(?:informed\s+)?consent|(?:written\s+)?(?:informed\s+)?consent\s+was\s+obtained|"
    r"(?:written\s+|informed\s+)?consent\s+(?:was\s+)?signed\.|"
    r"prone\b|(?:the\s+)?patient\s+(?:declined|received|was\s+offered)\s+|(?:he|she)\s+declined\s+sedation|"
    r"time[- ]?out|"
    r"today\s+we\s+(?:proceeded|performed|did)|we\s+proceeded|under\s+(?:fluoro|ct|ultrasound)|"
    r"on\s+today'?s\s+date\b|today,?\s+(?:I|we)\s+(?:performed|carried\s+out|did|injected|treated)\b|"
    r"[^\n]{0,120}\b(?:prep(?:ped)?|drape[ds]?|prone|supine|time[- ]?out)\b|"
    r"the\s+procedure\s+was\s+(?:performed|done)|"
    r"we\s+(?:performed|injected|placed)|procedure\s*:|"
    r"[^\n]{0,200}\b(?:returned|returns|presents?|presented|came\s+in|comes\s+in|is\s+here|was\s+here)\s+today\s+for\b)"
)


@cache
def section_scanner() -> RuleScanner:
    return RuleScanner([section_rule_patterns()], re.IGNORECASE | re.MULTILINE, line_starts=True)


def header_matches(text: str) -> list[tuple[int, int, int]]:
    """(rule index, start, end) of every header, in text order."""
    return section_scanner().scan(text)[0]


# (blanks possessive, from a run's first blank: linear on long runs)
_BULLETED_SIDE = re.compile(r"(?i)(?<![ \t])[ \t]*+[-*\u2022][ \t]++(?:r|l|rt|lt|right|left)[ \t]+side\b")


def find_sections(text: str, headers: Iterable[tuple[int, int, int]]) -> list[dict]:
    """Section dicts (category, role, start, end, header_end) from the header matches."""
    rules: tuple[SectionRuleData, ...] = section_rule_data()
    sections: list[dict] = []
    current = _untitled(0, len(text))
    for index, start, end in headers:
        rule = rules[index]
        if (
            current["role"] == "plan"
            and rule.role == "description"
            and _BULLETED_SIDE.match(text, start, end)
        ):
            continue  # 'Plan:' over '- R side: repeat RF later if sx recur': an item of the plan
        current["end"] = start
        if current["end"] > current["start"] or current["category"] is not None:
            sections.append(current)
        current = {
            "category": rule.category,
            "role": rule.role,
            "start": start,
            "end": len(text),
            "header_end": end,
        }
    sections.append(current)
    for section in sections:
        first_line = text[section["header_end"] : text.find("\n", section["header_end"]) % (len(text) + 1)]
        if not first_line.strip() and section["role"] == "imaging":
            # 'Imaging' / 'Fluoroscopy': an export's label above its value
            first_line = _next_line(text, section["header_end"])
        if (
            section["role"] == "exam"
            and len(first_line) <= _EXAM_TITLE_MAX
            and _PROCEDURE_NAME.search(first_line)
            and not _EXAM_FINDING.search(first_line)
        ):
            section["role"] = "header"  # a radiology "Exam: CT guided facet injection" names the procedure
        elif section["category"] == "other_header" and _is_procedure_title(
            text[section["start"] : section["header_end"]]
        ):
            # 'INFILTRATION OF ARTICULAR FACETS L4-L5 AND L5-S1 BILATERAL' over the note: a title
            # (its levels are compared with the description's)
            section["role"] = "header"
        elif (
            section["category"] == "plan"
            and text[section["start"] : section["header_end"]].strip(" \t:") in ("P", "P1", "P2")
            and _SOAP_PROCEDURE.search(_SOAP_PLAN_WORD.split(first_line, maxsplit=1)[0])
        ):
            section["role"] = "description"  # a SOAP note's 'P: B L4-5/L5-S1 MBB ... no sed. NRS 7 -> 1'
        elif (
            section["role"] == "imaging"
            and _TODAY_IMAGING.search(first_line)
            and (
                _MODALITY_HEADER.match(text[section["start"] : section["start"] + 40].lstrip(" \t"))
                or not _IMAGING_FINDING.search(first_line)
            )
        ):
            section["role"] = "description"  # 'CT: axial, needle tip intra-articular': today's guidance
    sections = problem_labels(sections)
    if "B:" in text and "R:" in text:
        sections = sbar_sections(text, sections)
    if "I:" in text:
        sections = ipass_sections(text, sections)
    if "--- ---" in text:
        sections = history_tables(text, sections)
    sections = inline_spoken_headers(text, history_paragraph_ends(text, end_inline_sections(text, sections)))
    if "paragraph" in text:
        sections = spoken_paragraph_ends(text, sections)
    if "|" in text:
        sections = pipe_field_sections(text, sections)
    sections = inline_today(text, inline_plans(text, dictated_title(text, sections)))
    sections = spoken_plan_for_today(text, sections)
    sections = history_asides(text, plan_paragraphs(text, sections))
    if "back to the" in text or "Back to the" in text:
        sections = dictated_edits(text, sections)
    if "oday" in text or "ODAY" in text:
        sections = plan_items_done_today(text, sections)
    sections = dated_chronologies(text, bulleted_history_ends(text, sections))
    sections = discharge_scores(text, sections)
    sections = other_date_blocks(text, split_procedure_paragraphs(text, timestamped_log(text, sections)))
    # (a flowsheet's 'entries are copied forward' is about its entries, which carry their dates)
    flowsheet = flowsheet_entries(text, sections)
    return flowsheet if flowsheet is not sections else carried_forward(text, sections)


def problem_labels(sections: list[dict]) -> list[dict]:
    """A problem-oriented note's line ('M47.816 L-spine R L4-5 L5-S1: s/p R L4-5 L5-S1 RFA 09/2024, no
    tx today'): its label names a diagnosis (levels and sides of the problem, not of a procedure),
    what follows the colon is coded text."""
    out: list[dict] = []
    for section in sections:
        if section["category"] != "problem":
            out.append(section)
            continue
        out.append({**section, "role": "diagnosis", "end": section["header_end"]})
        out.append(_untitled(section["header_end"], section["end"]))
    return out


# a fixed-width table's column underlines ('---------- ---------------- ------ ------')
_COLUMN_RULES = re.compile(r"-{3,}(?:[ \t]+-{3,})+")
# a full-width rule across the page, or a blank line: where such a table ends
_TABLE_END = re.compile(r"\n(?:[-=]{20,}[ \t]*\n|[ \t]*\n)")


def history_tables(text: str, sections: list[dict]) -> list[dict]:
    """'PRIOR PROCEDURES' alone on its line over a fixed-width table ('DATE  PROCEDURE  LEVEL
    SIDE  RESULT', a row of dashes under each column, then the rows): the rows are the history,
    though the column names read as an all-caps header, up to the next rule across the page."""
    out: list[dict] = []
    index = 0
    while index < len(sections):
        section = sections[index]
        index += 1
        following = sections[index] if index < len(sections) else None
        if (
            section["role"] != "history"
            or following is None
            or following["category"] != "other_header"
            or text[section["header_end"] : following["start"]].strip()
        ):
            out.append(section)
            continue
        underline = _next_line(text, following["header_end"])
        if not _COLUMN_RULES.fullmatch(underline.strip()):
            out.append(section)
            continue
        table_end = _TABLE_END.search(text, following["header_end"] + 1, following["end"])
        end = table_end.start() + 1 if table_end else following["end"]
        out.append({**section, "end": end})
        if end < following["end"]:
            out.append(_untitled(end, following["end"]))
        index += 1
    return out


# A handoff's one-letter line labels mean what the handoff layout says, not what they mean in a
# SOAP note ('S:' subjective, 'A:' assessment, 'P:' plan). SBAR from the procedure room: the
# situation is the procedure just done, the background its history, the assessment the patient now,
# the recommendation the plan. I-PASS: illness severity, patient summary, action list (what was
# done, ticked, and what is left to do), situation awareness and contingencies, then the receiver's
# synthesis.
_SBAR_LABELS = {
    "S": ("description", "description"),
    "B": ("history", "history"),
    "A": ("findings", "other_today"),
    "R": ("plan", "plan"),
}
_IPASS_LABELS = {
    "I": ("illness_severity", "untitled"),
    "P": ("indication", "indication"),
    "A": ("action_list", "description"),
    "S": ("contingency", "plan"),
}
_SBAR_LINE = re.compile(r"(?m)^([SBAR])[ \t]*:")
_IPASS_LINE = re.compile(r"(?m)^([IPAS])[ \t]*(?:\([^)\n]{0,20}\))?[ \t]*:")


def _labels_in_order(line: re.Pattern[str], text: str, letters: str) -> bool:
    """The note's line labels hold ``letters`` in that order (from the first of them on)."""
    order = [m.group(1) for m in line.finditer(text)]
    for letter in letters:
        if letter not in order:
            return False
        order = order[order.index(letter) :]
    return True


def is_sbar(text: str) -> bool:
    """Situation, background, (assessment,) recommendation: line labels 'S:', 'B:', 'R:' in that order."""
    return _labels_in_order(_SBAR_LINE, text, "SBR")


def is_ipass(text: str) -> bool:
    """Line labels 'I:', 'P:', 'A:' in that order (a SOAP note has no 'I:')."""
    return _labels_in_order(_IPASS_LINE, text, "IPA")


def _relabel(text: str, sections: list[dict], labels: dict[str, tuple[str, str]]) -> list[dict]:
    out = []
    for section in sections:
        letter = text[section["start"] : section["header_end"]].strip(" \t:")
        if section["category"] is not None and letter in labels:
            category, role = labels[letter]
            section = {**section, "category": category, "role": role}
        out.append(section)
    return out


def sbar_sections(text: str, sections: list[dict]) -> list[dict]:
    """'S: s/p R L4/5 MBB ...' / 'B: hx LBP ...' / 'A: VSS, pain 7->2' / 'R: d/c home'."""
    return _relabel(text, sections, _SBAR_LABELS) if is_sbar(text) else sections


def ipass_sections(text: str, sections: list[dict]) -> list[dict]:
    """'I: STABLE' / 'P: 58F chronic axial LBP ... Today = dx MBB #1' / 'A: [x] B/L L3 + L4 MB &
    L5 DR blocks done 1410' / 'S: if HA -> call'."""
    return _relabel(text, sections, _IPASS_LABELS) if is_ipass(text) else sections


# a dictated edit to an earlier part of the note: 'Go back to the procedure section and add that
# we also did the left L five S one ...'
_DICTATED_EDIT = re.compile(
    r"(?i)(?:(?:please\s+)?go\s+back\s+to|back\s+to)\s+the\s+(?:[a-z]+\s+){0,2}(?:section|paragraph)\s+and\s+"
    r"(?:add|insert|include|change|put)\b"
)


def dictated_edits(text: str, sections: list[dict]) -> list[dict]:
    """A paragraph that opens with a dictated edit to the procedure ('Go back to the procedure
    section and add ...') is today's text, wherever the paragraph before it left off (a plan)."""
    return _carve_paragraphs(
        text, sections, lambda role: role not in TODAY_ROLES, _DICTATED_EDIT, "comment", "untitled"
    )


def _carve_paragraphs(
    text: str,
    sections: list[dict],
    applies: Callable[[str], bool],
    opener: re.Pattern[str],
    category: str,
    role: str,
) -> list[dict]:
    """Each paragraph that ``opener`` matches at its start, in a section whose role ``applies``,
    cut out as a section of its own (``category``, ``role``) to the paragraph's end."""
    out: list[dict] = []
    for section in sections:
        if not applies(section["role"]):
            out.append(section)
            continue
        current = section
        for match in _PARAGRAPH_BREAK.finditer(text, section["header_end"], section["end"]):
            if match.start() < current["start"] or not opener.match(text, match.end()):
                continue
            stop = _paragraph_end(text, match.end(), section["end"])
            pieces, current = _carve(current, match.end(), stop, category, role)
            out += pieces
        if current["end"] > current["start"]:
            out.append(current)
    return out


_PLAN_PARAGRAPH = re.compile(
    r"(?i)(?:I|we)(?:'ll|\s+will|\s+would\s+(?:like|suggest|recommend)|\s+plan|\s+intend)\b"
    r"(?!\s+(?:now|then|proceed|go\s+ahead|begin|start)\b)|(?:my|our|the)\s+plan\s+(?:is|from\s+here|going\s+forward)\b|"
    r"going\s+forward\b|next\s+steps?\b|looking\s+(?:ahead|forward)\b|from\s+here\s+on\b"
)


def plan_paragraphs(text: str, sections: list[dict]) -> list[dict]:
    """'I will bring him back in two weeks to complete the left C4-5 and C5-6 neurotomy, with
    light sedation ...': a paragraph of coded text that opens with what will be done next is a
    plan, to its end (a letter-style note has no 'Plan:' header)."""
    return _carve_paragraphs(
        text, sections, lambda role: role in ("untitled", "description"), _PLAN_PARAGRAPH, "plan", "plan"
    )


# ' 1. Dx MBB #1 bilat T12-L1 + L1-L2 today' under 'P:', its steps indented below it
_PLAN_ITEM = re.compile(r"(?m)^([ \t]*)(?:[0-9]{1,2}[.)]|[-*\u2022])[ \t]+([^\n]{0,200})")
_DONE_TODAY = re.compile(
    r"(?i)\b(?:MBB|MBNB|MBNBs|blocks?|injections?|inj|RFA|RF|RFN|RFTC|ablation|neurotomy|FJI|IA)\b"
    r"[^\n]{0,80}\btoday\b(?![^\n]{0,40}\b(?:tomorrow|declined|deferred|cancell?ed|postponed)\b)"
)
_PLAN_WORDING = re.compile(
    r"(?i)\b(?:will|plan(?:ned|s)?|schedul\w*|consider\w*|discuss\w*|next|if|declined|deferred|cancell?ed|"
    r"postponed|RTC|f/u|return|offer\w*|candidate|repeat)\b"
)


def plan_items_done_today(text: str, sections: list[dict]) -> list[dict]:
    """A VA-style note charts the procedure inside its plan: 'P:' then ' 1. Dx MBB #1 bilat
    T12-L1 + L1-L2 today' with its steps indented below ('- C-arm AP/obl ...'). That item, to
    the next line back at its margin, is today's description; the other items stay plans. A
    plan whose first line charts today's procedure ('P: Facet joint injections today in clinic')
    is today's description to the end of that paragraph. Patient instructions are never carved."""
    out: list[dict] = []
    for section in sections:
        instructions = "instruction" in text[section["start"] : section["header_end"]].lower()
        if section["role"] != "plan" or instructions:
            out.append(section)  # ('POST-PROCEDURE INSTRUCTIONS' / '- You had a spine injection today ...')
            continue
        current = section
        first = text[section["header_end"] : _line_end(text, section["header_end"], section["end"])]
        if _DONE_TODAY.search(first) and not _PLAN_WORDING.search(first):
            # 'P: Facet joint injections today in clinic, for therapeutic relief. ...' charts the
            # procedure as the plan's first paragraph
            stop = _paragraph_end(text, section["header_end"], section["end"])
            pieces, current = _carve(current, section["header_end"], stop, "description", "description")
            out += pieces
        for item in _PLAN_ITEM.finditer(text, section["header_end"], section["end"]):
            body = item.group(2)
            if item.start() < current["start"] or not _DONE_TODAY.search(body) or _PLAN_WORDING.search(body):
                continue
            stop = _item_end(text, item, section["end"])
            pieces, current = _carve(current, item.start(), stop, "description", "description")
            out += pieces
        if current["end"] > current["start"]:
            out.append(current)
    return out


def _item_end(text: str, item: re.Match[str], end: int) -> int:
    """Where a list item ends: at the first line that is not indented deeper than its mark."""
    margin = len(item.group(1))
    position = _line_end(text, item.end(), end)
    while position < end:
        line_end = _line_end(text, position, end)
        if text[position:line_end].strip() and _indent(text, position) <= margin:
            return position
        position = line_end
    return end


def _carve(
    section: dict, start: int, stop: int, category: str, role: str, header_end: int | None = None
) -> tuple[list[dict], dict]:
    """``section`` cut at ``start:stop``: the part before and the carved section (to append),
    and what is left after it (same category and role as ``section``; may be empty)."""
    carved = {
        "category": category,
        "role": role,
        "start": start,
        "end": stop,
        "header_end": start if header_end is None else header_end,
    }
    return [{**section, "end": start}, carved], {**section, "start": stop, "header_end": stop}


def inline_plans(text: str, sections: list[dict]) -> list[dict]:
    """'... Cx: none. Plan: if axial LBP recurs, repeat L4-5 RFA.': a plan field after a full
    stop on a line of shorthand fields is a plan to the end of its line."""
    if "plan" not in text and "Plan" not in text and "PLAN" not in text:
        return sections
    return _inline_fields(
        text,
        sections,
        _INLINE_PLAN,
        lambda role: role not in ("plan", "excluded", "history"),
        lambda after, end: _line_end(text, after, end),
        "plan",
        "plan",
    )


def _next_line(text: str, offset: int) -> str:
    """The line after the one ``offset`` is on (at most a row's length)."""
    start = text.find("\n", offset, offset + _ROW_REACH) + 1
    if not start:
        return ""
    end = text.find("\n", start, start + _ROW_REACH)
    return text[start : end if end != -1 else min(len(text), start + _ROW_REACH)]


_ROW_REACH = 200


def _line_end(text: str, start: int, end: int) -> int:
    line_end = text.find("\n", start, end)
    return end if line_end == -1 else line_end + 1


def _paragraph_end(text: str, start: int, end: int) -> int:
    paragraph = _PARAGRAPH_BREAK.search(text, start, end)
    return paragraph.start() if paragraph else end


def _inline_fields(
    text: str,
    sections: list[dict],
    field: re.Pattern[str],
    applies: Callable[[str], bool],
    stop_at: Callable[[int, int], int],
    category: str,
    role: str,
) -> list[dict]:
    """The first ``field`` inside each section whose role ``applies`` becomes a section of its
    own, from the field to ``stop_at(field end, section end)``; the rest keeps the old role."""
    out: list[dict] = []
    for section in sections:
        match = None
        if applies(section["role"]):
            match = field.search(text, section["header_end"], section["end"])
        if match is None:
            out.append(section)
            continue
        stop = stop_at(match.end(), section["end"])
        pieces, rest = _carve(section, match.start(), stop, category, role, match.end())
        out += pieces
        if stop < section["end"]:
            out.append(rest)
    return out


_ASIDE_HISTORY = re.compile(
    r"(?i)\b(?:s/p|hx|h/o|prior|previous|ago|x\s?[2-9]|#\s?[1-9]|dx\s+MBB|last\s+(?:yr|year|month))\b|"
    r"\b[0-9]{1,2}/(?:[0-9]{1,2}/)?(?:19|20)?[0-9]{2}\b|\b(?:19|20)[0-9]{2}\b"
)


def history_asides(text: str, sections: list[dict]) -> list[dict]:
    """'L L2/3 L3/4 RF neurotomy [L L2/3 L3/4 dx MBB x2, 90% each; R L2/3 L3/4 RFA 1/2025] /
    fluoro ...': a bracketed aside of shorthand that tells the history (an 's/p', a date, 'x2')
    is history, whatever section it sits in."""
    if "[" not in text:
        return sections
    out: list[dict] = []
    for section in sections:
        if section["role"] not in ("untitled", "description", "header"):
            out.append(section)
            continue
        current = section
        position = text.find("[", section["header_end"], section["end"])
        while position != -1:
            close = bracket_aside_end(text, position)
            if close is not None and close < section["end"] and _ASIDE_HISTORY.search(text, position, close):
                pieces, current = _carve(current, position, close + 1, "history", "history")
                out += pieces
                position = close
            position = text.find("[", position + 1, section["end"])
        out.append(current)
    return out


# '11/04/2020 - Bilateral L4-5 and L5-S1 diagnostic medial branch blocks ...', '2023-2024 - PT',
# '2021-03-02: RFA ...', 'Mar 2022 - ...', '- 11/2025  Dx MBB #1': an entry of a dated chronology,
# one per line (not a flowsheet row: a date then a clock time, '05/05/2026  09:12  NRS 7')
_ENTRY_DATE = (
    r"(?:[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|[0-9]{1,2}/[0-9]{4}|"
    r"(?:19|20)[0-9]{2}(?:-[0-9]{2}-[0-9]{2}|[ \t]?[-\u2013][ \t]?(?:19|20)[0-9]{2})?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?[ \t]"
    r"(?:[0-9]{1,2},?[ \t])?(?:19|20)[0-9]{2})"
)
_DATED_ENTRY = re.compile(
    # ('09/2022, 03/2023, 11/2023 - therapeutic ...': one entry for a series of dates)
    rf"(?im)^[ \t]{{0,8}}(?:[-*\u2022][ \t]{{0,3}})?{_ENTRY_DATE}(?:[ \t]?,[ \t]?{_ENTRY_DATE}){{0,12}}"
    r"(?:[ \t]{0,3}(?:--?|\u2013|\u2014|:)[ \t]|[ \t]{2,8}(?=\S)(?![0-9]{1,2}:?[0-9]{2}\b))"
)
_CHRONOLOGY_MIN = 2


_BULLET_LINE = re.compile(r"[ \t]{0,8}[-*\u2022\u25aa\u25e6][ \t]")


def bulleted_history_ends(text: str, sections: list[dict]) -> list[dict]:
    """'Prior history relevant to this claim:' then '  * s/p right C5-C6 RFA ...' items: the
    history is its list; the first line back at the margin that is no list item ('Current left
    upper neck pain: 7 out of 10') starts untitled (coded) text. So with a hanging indent: 'Hx: IA
    c\u0304 fluoro x2 (2023, 2024)' over '   RFA discussed ...' lines, then 'C-arm down today ...' back
    at the margin."""
    out: list[dict] = []
    for section in sections:
        out.append(section)
        if section["role"] not in _NOT_TODAY_ROLES:
            continue
        first = _line_end(text, section["header_end"], section["end"])
        hanging = bool(text[section["header_end"] : first].strip()) and text[first : first + 1] in (" ", "\t")
        if not hanging and (
            text[section["header_end"] : first].strip() or not _BULLET_LINE.match(text, first, section["end"])
        ):
            continue  # (content on the header's line and none indented below it, or no list below it)
        position = first
        while position < section["end"]:
            line_end = _line_end(text, position, section["end"])
            line = text[position:line_end]
            if line.strip() and not _BULLET_LINE.match(line) and not line[:1].isspace():
                out.append(_untitled(position, section["end"]))
                section["end"] = position
                break
            position = line_end
    return out


def dated_chronologies(text: str, sections: list[dict]) -> list[dict]:
    """A run of two or more lines that each open with a date ('11/04/2020 - Bilateral L4-5 ...
    MBB', '05/06/2025 - Right T11-T12 ...') is a chronology of earlier care: history, whatever
    section it sits in. Today's procedure is told after it ('On today's date we performed ...')."""
    out: list[dict] = []
    for section in sections:
        if section["role"] not in ("untitled", "description", "header", "indication"):
            out.append(section)
            continue
        current = section
        runs: list[list[int]] = []  # [start, end, entries] of consecutive dated lines
        for entry in _DATED_ENTRY.finditer(text, section["header_end"], section["end"]):
            line_end = text.find("\n", entry.end(), section["end"])
            line_end = section["end"] if line_end == -1 else line_end + 1
            if runs and runs[-1][1] == entry.start():
                runs[-1][1:] = [line_end, runs[-1][2] + 1]
            else:
                runs.append([entry.start(), line_end, 1])
        for start, stop, count in runs:
            if count >= _CHRONOLOGY_MIN:
                pieces, current = _carve(current, start, stop, "chronology", "history")
                out += [piece for piece in pieces if piece["end"] > piece["start"]]
        out.append(current)
    return out


_INLINE_TODAY = re.compile(r"(?i)(?<=[.;] )today[ \t]*:")


def inline_today(text: str, sections: list[dict]) -> list[dict]:
    """'... EP advised against RF, so RF is not an option. Today:' and on the next line
    'therapeutic intra-articular facet injections': a 'Today:' field after a full stop inside
    a history names today's procedure (a title), to the end of its paragraph."""
    if "oday" not in text and "ODAY" not in text:
        return sections
    return _inline_fields(
        text,
        sections,
        _INLINE_TODAY,
        lambda role: role in _NOT_TODAY_ROLES,
        lambda after, end: _paragraph_end(text, after, end),
        "today",
        "header",
    )


SPOKEN_PLAN = "spoken_plan"
"""The category of a dictated 'Plan for today is ...': a title for the description to override,
but no header to find a level discrepancy with (what was planned may change)."""
_SPOKEN_PLAN_FOR_TODAY = re.compile(
    r"(?i)(?:(?<=[.!?] )|(?<=\n)|(?<=^))(?:so\s+|and\s+)?(?:the\s+)?(?:plan\s+for\s+today|plan\s+today|"
    r"today'?s\s+plan)\s+(?:is|was)\b"
)
# (on the lower-cased note, each starting on a literal word, so ``re`` skips ahead in C)
_SPOKEN_PLAN_WORDS = (re.compile(r"plan\s+(?:for\s+)?today"), re.compile(r"today'?s\s+plan"))
_SPOKEN_SENTENCE_END = re.compile(r"\.(?=\s)|\n[ \t]*\n")


def spoken_plan_for_today(text: str, sections: list[dict]) -> list[dict]:
    """'Plan for today is right L4-5 and L5-S1 radiofrequency ablation ...' said before the
    procedure, in a dictation that then tells what was done ('Change from the plan ... so what we
    did was left L4-5 and left L5-S1'): the plan is a title, to the end of its sentence, which the
    description overrides as a 'PROCEDURE PLANNED:' header is (``SPOKEN_PLAN``)."""
    lowered = text.lower()
    if not any(words.search(lowered) for words in _SPOKEN_PLAN_WORDS):
        return sections  # (the regex starts on look-behinds: most notes never need it run)

    def sentence_end(after: int, end: int) -> int:
        stop = _SPOKEN_SENTENCE_END.search(text, after, end)
        return stop.end() if stop else end

    return _inline_fields(
        text,
        sections,
        _SPOKEN_PLAN_FOR_TODAY,
        lambda role: role in ("untitled", "description"),
        sentence_end,
        SPOKEN_PLAN,
        "header",
    )


def dictated_title(text: str, sections: list[dict]) -> list[dict]:
    """'this is a procedure note for by lateral L three four L four five intra articular facet
    joint injections new paragraph': a dictation's opening names the procedure, as a title does
    (its levels are compared with the description's)."""
    if not sections or sections[0]["category"] is not None or not _DICTATED_TITLE.match(text[:200].lstrip()):
        return sections
    first = sections[0]
    stop = _TITLE_END.search(text, 0, first["end"])
    if stop is None:
        return sections
    title = {
        "category": "procedure_header",
        "role": "header",
        "start": first["start"],
        "end": stop.end(),
        "header_end": first["start"],
    }
    return [title, _untitled(stop.end(), first["end"]), *sections[1:]]


# A dictation reads the header out mid-paragraph: '... postoperative diagnosis same. procedure
# performed right L three four and L four five radiofrequency neurotomy. surgeon myself.'
_SPOKEN_PROCEDURE_HEADER = re.compile(
    r"(?:(?<=[.;]\s)|(?<=\n))[ \t]*(?:[Nn]ame\s+of\s+(?:the\s+)?)?[Pp]rocedures?\s+(?:performed|done)"
    r"(?:\s+today)?,?\s+"
    r"(?!(?:was|were|is|are|under|by|with|without|on|at|in)\b)(?=[a-z])"
    # '... new paragraph procedure colon by lateral L3 4 and L4 5 facet joint injections period'
    r"|(?i:(?<=paragraph\s)procedures?(?:\s+(?:performed|done))?(?:\s+today)?\s+colon\s+)"
)
_SENTENCE_END = re.compile(r"(?i)(?-i:\.(?=\s)|\n)|\bperiod\b|" + _NEW_PARAGRAPH)


_SPOKEN_PARAGRAPH = re.compile(_NEW_PARAGRAPH, re.IGNORECASE)
_FIELD_ROLES = frozenset({"anesthesia", "medications", "pain", "other_today"})


def spoken_paragraph_ends(text: str, sections: list[dict]) -> list[dict]:
    """'Sedation colon fentanyl 50 micrograms ... period new paragraph she was positioned prone,
    ... lesions were made': a dictated field ends where the speaker starts a new paragraph,
    and what follows is the (untitled) description, not more of the sedation field."""
    out: list[dict] = []
    for section in sections:
        match = None
        if section["role"] in _FIELD_ROLES:
            match = _SPOKEN_PARAGRAPH.search(text, section["header_end"], section["end"])
        if match is None or match.end() >= section["end"]:
            out.append(section)
            continue
        out.append({**section, "end": match.end()})
        out.append(_untitled(match.end(), section["end"]))
    return out


def inline_spoken_headers(text: str, sections: list[dict]) -> list[dict]:
    """'procedure performed ...' read out inside an untitled paragraph is the procedure header
    up to the end of its sentence (so its levels are compared with the description's)."""
    out: list[dict] = []
    for section in sections:
        match = None
        if section["category"] is None:
            match = _SPOKEN_PROCEDURE_HEADER.search(text, section["header_end"], section["end"])
        if match is None:
            out.append(section)
            continue
        stop = _SENTENCE_END.search(text, match.end(), section["end"])
        header_end = stop.end() if stop else section["end"]
        if match.start() > section["start"]:
            out.append({**section, "end": match.start()})
        out.append(
            {
                "category": "procedure_header",
                "role": "header",
                "start": match.start(),
                "end": header_end,
                "header_end": match.end(),
            }
        )
        if header_end < section["end"]:
            out.append(_untitled(header_end, section["end"]))
    return out


# 'Dx: cervicogenic HA | Proc: Lt TON + C3 MB -> MBNB | Side: B | Img: none': fields on one line
_PIPE_FIELD = re.compile(r"(?<=\s)\|[ \t]*(?=[A-Za-z][A-Za-z/ .#]{0,24}:)")


@cache
def _inline_headers() -> tuple[re.Pattern[str], ...]:
    """The header rules without their line-start anchor, to try after a pipe."""
    return tuple(
        re.compile(pattern.removeprefix("^"), re.IGNORECASE | re.MULTILINE)
        for pattern in section_rule_patterns()
    )


def pipe_field_sections(text: str, sections: list[dict]) -> list[dict]:
    """A known header after ' | ' starts a section of its own up to the next field or the end
    of the line. Below that line the section it interrupted goes on, unless the line was a row of
    fields from its start (then what follows is untitled)."""
    rules = section_rule_data()
    fields = []
    for pipe in _PIPE_FIELD.finditer(text):
        for index, regex in enumerate(_inline_headers()):
            header = regex.match(text, pipe.end())
            if header and rules[index].role != "untitled":
                fields.append((pipe.start(), header.end(), rules[index]))
                break
    if not fields:
        return sections
    out: list[dict] = []
    for section in sections:
        inside = [
            f for f in fields if section["start"] <= f[0] < section["end"] and f[0] >= section["header_end"]
        ]
        current = section
        for start, header_end, rule in inside:
            line_end = text.find("\n", start)
            line_end = current["end"] if line_end == -1 else min(line_end, current["end"])
            out.append({**current, "end": start})
            out.append(
                {
                    "category": rule.category,
                    "role": rule.role,
                    "start": start,
                    "end": line_end,
                    "header_end": header_end,
                }
            )
            if "\n" in text[section["start"] : start]:
                current = {**section, "start": line_end, "header_end": line_end}
            else:  # the line was a row of fields: what follows it is not under its first header
                current = _untitled(line_end, section["end"])
        if current["end"] > current["start"] or current is section:
            out.append(current)
    # a field section ends where the next field starts
    for this, following in zip(out, out[1:], strict=False):
        if this["end"] > following["start"]:
            this["end"] = following["start"]
    return [
        section for section in out if section["end"] > section["start"] or section["category"] is not None
    ]


_MODALITY_HEADER = re.compile(r"(?i)(?:CT|fluoro\w*|US|ultrasound)\b")
_TODAY_IMAGING = re.compile(
    r"(?i)\b(?:needles?|tips?|cannula\w*|probes?|arthrogram|contrast|guid\w*|intermittent|live|"
    r"fluoro\w*|localizer|planning\s+scan|targets?|C-?arm)\b"
)
# 'Imaging: MRI 2024 shows L4-5 facet arthropathy' reports a study, not today's guidance
_IMAGING_FINDING = re.compile(
    r"(?i)\b(?:MRI|MR|CT\s+scan|x-?rays?|radiograph\w*|shows?|showed|demonstrat\w*|arthropath\w*|"
    r"hypertroph\w*|stenosis|degenerat\w*|effusions?|[0-9]{1,2}/[0-9]{2,4})\b"
)
_EXAM_TITLE_MAX = 150
"""A radiology 'EXAM:' line that names the procedure is a title; a long exam paragraph is not."""
# an exam's own findings on its first line ('O: Tender over bilateral L4-5 facets and right L5-S1
# facet'): a SOAP note's exam, not a radiology 'Exam:' line naming the procedure
_EXAM_FINDING = re.compile(
    r"(?i)\b(?:tender\w*|non-?tender|palpation|pain\s+with|range\s+of\s+motion|ROM|SLR|strength|reflexes)\b"
)
_PROCEDURE_NAME = re.compile(
    r"(?i)\b(?:inject\w*|blocks?|ablation|RFA|neurotomy|arthrogram)\b|\b(?:facet|medial\s+branch)\b"
    r"(?!\s+(?:joint\s+)?(?:hypertroph\w*|arthropath\w*|arthrosis|effusions?|degenerat\w*|tender\w*|load\w*|signs?|provocation|pain))"
)
_TITLE_LEVEL = re.compile(r"\b[CTL][0-9]{1,2}[-/][CTLS]?[0-9]{1,2}\b")
# (facet words only, not _PROCEDURE_NAME's 'injection' / 'block': 'TRANSFORAMINAL EPIDURAL
# INJECTION L4-5' over a note is another procedure's title)
_TITLE_KIND = re.compile(
    r"(?i)\b(?:facets?|medial\s+branch\w*|MBBs?|RFA|radiofrequency|neurotom\w*|zygapophys\w*|infiltration)\b"
)


def _is_procedure_title(header: str) -> bool:
    """A capitals line that names a facet procedure and its levels."""
    return _TITLE_LEVEL.search(header) is not None and _TITLE_KIND.search(header) is not None


_CARRIED_FORWARD = re.compile(
    r"(?im)^[^\n]{0,20}(?:carried\s+forward|copied\s+forward|copy[- ]forward|prior\s+documentation|"
    r"previous\s+(?:note|encounter|procedure\s+note)|from\s+encounter\s+[0-9]|for\s+reference\s+only)[^\n]*$"
)


# a bounded paste: '---- PRIOR PROCEDURE REPORT (03/18) - copied for reference only ----' ...
# '---- END OF PRIOR REPORT ----' (not a remark that the earlier note is void: '(The earlier note
# listing midazolam was copied forward and is void.)')
_PASTED_BLOCK = re.compile(
    r"(?im)^(?![^\n]*\b(?:void|voided|in\s+error)\b)"
    r"[^\n]{0,40}\b(?:prior|previous|earlier|outside)\s+(?:procedure\s+)?(?:report|note|op\s+note)\b"
    r"[^\n]{0,80}\b(?:for\s+reference|copied|pasted|not\s+today)[^\n]*$"
)
_PASTED_END = re.compile(
    r"(?im)^[^\n]{0,20}\bend\s+(?:of\s+(?:the\s+)?)?"
    r"(?:prior|previous|pasted|copied|outside|carried[- ]forward|copied[- ]forward|copy[- ]forward)\b[^\n]*$"
)
_QUOTED_TO_LINE_END = re.compile(r"[:\-]\s*[\"\u201c][^\"\u201d]*[\"\u201d][ \t.]*$")
_PASTE_WORDS = (
    "forward",
    "fwd",
    "copy",
    "copied",
    "pasted",
    "documentation",
    "previous",
    "encounter",
    "reference",
    "not today",
)
# a remark in brackets under a title, about the title: what follows it is today's note
_ABOUT_THE_LINE_ABOVE = re.compile(
    r"(?i)\([ \t]*(?:the[ \t]+)?(?:header|title|heading|procedure[ \t]+line|line[ \t]+above|above)\b"
    r"[^()\n]*\)[ \t]*$"
)
_TITLE_SUBJECT = re.compile(
    r"(?i)\bthe\s+(?:procedure\s+)?(?:header|title|heading)\s+(?:appears|seems|was|had|has)\b"
)
_UPDATED_TODAY = re.compile(
    r"(?i)\b(?:updated|changed|edited|revised)\s+(?:for\s+)?today\b|\[\s*(?:UPD|updated?)\b|\btoday'?s\s+(?:changes|updates)\b"
)


def carried_forward(text: str, sections: list[dict]) -> list[dict]:
    """Text pasted from an earlier encounter ('Prior documentation carried forward ...') is
    history, whatever headers it repeats: to the end of the note, or to its end marker
    ('---- END OF PRIOR REPORT ----') when it has one. A version marked entered in error is no
    paste ('*** Reason: text copied forward from the 03/05/2025 encounter. ***' in its banner):
    it is read blanked, as the rules read it."""
    text = voided_text(text)
    lowered = text.lower()
    if not any(word in lowered for word in _PASTE_WORDS):
        return sections  # (the marker regexes try every line start; most notes have none of these)
    marker = _CARRIED_FORWARD.search(text) or _PASTED_BLOCK.search(text)
    if marker is None or _UPDATED_TODAY.search(text):
        return sections  # a copied-forward note updated for today is today's note
    if _ABOUT_THE_LINE_ABOVE.match(marker.group(0).lstrip(" \t")):
        return sections  # '(header carried forward from prior encounter template)': about the title only
    if _TITLE_SUBJECT.search(text, text.rfind(".", 0, marker.start()) + 1, marker.start() + 40):
        # 'It is observed that the header appears to' / 'have been carried forward from an earlier
        # order set': a reviewer's remark about the title, not a paste
        return sections

    end_marker = _PASTED_END.search(text, marker.end())
    stop = end_marker.end() if end_marker else _pasted_header_end(text, sections, marker.start())
    if _QUOTED_TO_LINE_END.search(marker.group(0)):
        stop = marker.end()  # 'Interval history [copied forward from 06/03]: "..."': the quote is the paste
    out: list[dict] = []
    for section in sections:
        start, end = section["start"], section["end"]
        if end <= marker.start() or start >= stop:
            out.append(section)
            continue
        if start < marker.start():
            out.append({**section, "end": marker.start()})
        pasted_start = max(start, marker.start())
        out.append(
            {
                "category": "pasted",
                "role": "history",
                "start": pasted_start,
                "end": min(end, stop),
                "header_end": max(section["header_end"], pasted_start),
            }
        )
        if end > stop:
            out.append(_untitled(stop, end))
    return out


_TODAY_SECTION_ROLES = TODAY_ROLES - {"untitled"}


def _pasted_header_end(text: str, sections: list[dict], marker_start: int) -> int:
    """Where a paste with no end marker ends: the end of the note, unless the marker is a header
    of ours ('PRE-OP H&P (copied forward from 02/20/2026 office visit)' over indented 'HPI:',
    'PRIOR PROCEDURES:'): then at the next header at the margin that opens a section about
    today ('CONSENT:', 'DESCRIPTION:')."""
    if not any(s["start"] == marker_start and s["category"] for s in sections):
        return len(text)
    for section in sections:
        start = section["start"]
        if start > marker_start and section["role"] in _TODAY_SECTION_ROLES and text[start] not in " \t":
            return start
    return len(text)


CLOCK = r"(?:[01][0-9]|2[0-3]):?[0-5][0-9]"
"""A 24-hour clock time as a log writes it ('0742', '07:42')."""
# '0742  Pt in pre-op bay', '0742 - ...'; or one blank, when the next line is one too ('1330 arr,
# ID x2, consent' over '1332 BP 144/86 HR 72')
_LOG_LINE = re.compile(
    rf"(?m)^{CLOCK}(?:[ \t]{{2,}}|[ \t]+-[ \t]+|\t|[ \t](?=[A-Za-z][^\n]*\n{CLOCK}[ \t]+[A-Za-z]))(?=\S)"
)


def _in_chronology(text: str, entry: re.Match[str]) -> bool:
    """'2021 - physical therapy' above '11/2021 - lumbar MRI': a year in a dated chronology, not
    the clock time of a log line."""
    if _DATED_ENTRY.match(text, entry.start()) is None:
        return False
    line_end = text.find("\n", entry.end())
    if line_end == -1:
        return False
    below = text[line_end + 1 : line_end + 40]
    return _DATED_ENTRY.match(below) is not None and _LOG_LINE.match(below) is None


DISCHARGE_PAIN = "discharge_pain"
"""The category of a pain statement carved out of a discharge section: its score is the result."""
_DISCHARGE_HEADER = re.compile(r"(?i)[ \t]{0,8}(?:discharge|d/c|disposition|dispo)\b(?![ \t]*instruction)")
_DISCHARGE_SCORE = re.compile(
    r"(?i)\b(?:pain|NRS|NPRS|VAS)\b[^.;]{0,50}?"  # ('her pain was' / '3/10')
    r"(?:(?<![0-9.])(?:10|[0-9])|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten))"
    # '3/10', 'three out of ten', '5 (0-10 NRS)'
    r"(?:[ \t]*/[ \t]*10|[ \t]+(?:out[ \t]+)?of[ \t]+(?:10|ten)"
    r"|[ \t]*\([ \t]*0[ \t]*(?:-|to)[ \t]*10\b[^)\n]{0,12}\))"
    r"(?![0-9])"
)
_STATEMENT_END = re.compile(r"\.(?=\s)|\n")
_SCORE_LINE_PREFIX = re.compile(
    r"(?i)[ \t]{0,8}(?:(?:discharge|d/c|disposition|dispo)\b[^\n:]{0,20}:?)?[ \t]{0,8}"
    r"(?:[0-2]?[0-9]:?[0-5][0-9])?[ \t:,-]{0,8}"
)


def discharge_scores(text: str, sections: list[dict]) -> list[dict]:
    """'DISCHARGE' then '0852  Pain NRS 1/10 with standing extension' and 'Return in 2 weeks
    for block #2': the score at discharge is today's result (a pain statement, to its full
    stop), while the rest of the section stays a plan."""
    if not any(word in text for word in ("isch", "ISCH", "D/C", "ispo", "ISPO")):
        return sections
    out: list[dict] = []
    for section in sections:
        if section["role"] != "plan" or not _DISCHARGE_HEADER.match(
            text, section["start"], section["header_end"]
        ):
            out.append(section)
            continue
        current = section
        for score in _DISCHARGE_SCORE.finditer(text, section["header_end"], section["end"]):
            if score.start() < current["start"]:
                continue
            statement_end = _STATEMENT_END.search(text, score.end(), section["end"])
            stop = statement_end.end() if statement_end else section["end"]
            start = score.start()
            line_start = text.rfind("\n", current["start"], start) + 1 or current["start"]
            # (a line that starts with the score may continue the sentence above: 'At 30 minutes
            # her' / 'pain was 3/10')
            above = text[current["start"] : line_start].rstrip()
            wrapped = line_start == start and above != "" and above[-1] not in ".:;!?"
            if _SCORE_LINE_PREFIX.fullmatch(text, line_start, start) and not wrapped:
                start = line_start  # '0852  Pain NRS 1/10', 'DISCHARGE: 0850 VAS 3/10': the line's statement
            else:
                # '... At 30 minutes she was asked to perform the maneuvers ... and rated her back
                # pain at NRS 1/10': the sentence that holds the score, from its start
                start = _statement_start(text, max(current["start"], current["header_end"]), start)
            pieces, current = _carve(current, start, stop, DISCHARGE_PAIN, "pain")
            out += [piece for piece in pieces if piece["end"] > piece["start"]]
        if current["end"] > current["start"]:
            out.append(current)
    return out


_STOP_BEFORE = re.compile(r"[.!?;](?=\s)|\n[ \t]*\n")
_STATEMENT_REACH = 300


def _statement_start(text: str, floor: int, score: int) -> int:
    """Where the statement holding ``score`` starts: after the last full stop (or blank line)
    before it, no earlier than ``floor`` nor ``_STATEMENT_REACH`` characters back."""
    low = max(floor, score - _STATEMENT_REACH)
    stops = [m.end() for m in _STOP_BEFORE.finditer(text, low, score)]
    start = stops[-1] if stops else low
    while start < score and text[start] in " \t\n":
        start += 1
    return start


def timestamped_log(text: str, sections: list[dict]) -> list[dict]:
    """'Background: ... She presents today for ...' then 'Intra-procedure log' and '0742  Pt in
    pre-op bay ...': a time-stamped log of today's case starts coded text, whatever history or
    indication section it follows (with the short label line above it, if any)."""
    if not any(c in text for c in "0123456789"):
        return sections
    out: list[dict] = []
    for section in sections:
        if section["role"] not in _NOT_TODAY_ROLES:
            out.append(section)
            continue
        entry = next(
            (
                e
                for e in _LOG_LINE.finditer(text, section["header_end"], section["end"])
                if not _in_chronology(text, e)
            ),
            None,
        )
        if entry is None:
            out.append(section)
            continue
        start = entry.start()
        label_start = text.rfind("\n", max(section["header_end"], start - 60), start - 1) + 1
        label = text[label_start : start - 1]
        if 0 < label_start < start - 1 and len(label) <= 40 and label.strip():
            start = label_start  # 'Intra-procedure log', 'TIME   EVENT'
        out.append({**section, "end": start})
        out.append(_untitled(start, section["end"]))
    return out


def split_procedure_paragraphs(text: str, sections: list[dict]) -> list[dict]:
    """A paragraph that narrates the procedure ('Prone, prepped and draped...') inside a
    history, indication, exam, imaging or teaching section, or under a title ('Procedure (index date: ...)'
    over 'Conventional RF neurotomy: right L4-L5 ...', then 'She was placed prone ...'), or one
    that opens 'I have performed ...' after an assessment, or a procedure banner below a plan
    ('-- proc --'), starts untitled (coded) text: the description the title is compared with. A
    second title that narrates ('Procedure: Consent. Prone. ...' under 'Procedure: Bilateral C6-7
    ...') is the description itself."""
    out: list[dict] = []
    titled = False
    for section in sections:
        assessment = section.get("category") == "assessment"
        title = section["role"] == "header"
        if title and titled and _narrates(text, _content_start(text, section), section["end"]):
            # a second 'Procedure:' that narrates ('Procedure: Consent. Prone. ... Under fluoroscopy,
            # needles to the right C6-7 ...') under the title line: the description; the fields
            # between them ('Laterality: Bilateral', 'Level(s): L4-L5') belong to the title
            for index in range(len(out) - 1, -1, -1):
                if out[index]["role"] == "header":
                    break
                if out[index].get("category") == "procedure_detail":
                    out[index] = {**out[index], "role": "header"}
            out.append({**section, "role": "description"})
            continue
        titled = titled or title
        # ('Anatomy, low back: S1 is lumbarized ...' then 'Neck: prone, 1% lidocaine ...')
        teaching = section.get("category") == "teaching"
        # (a plan ends only at a banner: '--------- proc (written last, bottom of note) ---------')
        plan = section["role"] == "plan"
        if (
            section["role"] not in _NOT_TODAY_ROLES
            and not assessment
            and not title
            and not teaching
            and not plan
        ):
            out.append(section)
            continue
        current, end = section, section["end"]
        for match in _ANY_PARAGRAPH_BREAK.finditer(text, section["header_end"], end):
            # (after an assessment only 'I have performed ...' opens the account of today's work)
            if (
                _PERFORMED_NOW.search(text, match.end(), min(end, match.end() + _PERFORMED_REACH))
                if assessment
                else _PROCEDURE_BANNER.match(text, match.end())
                if plan
                else _narrates(text, match.end(), end)
            ):
                current["end"] = match.end()
                out.append(current)
                current = _untitled(match.end(), end)
                break
        out.append(current)
    return out


def _content_start(text: str, section: dict) -> int:
    """Where a section's text starts after its header (blanks skipped)."""
    start = section["header_end"]
    while start < section["end"] and text[start] in " \t:\r\n":
        start += 1
    return start


def _narrates(text: str, start: int, end: int) -> bool:
    """The paragraph at ``start`` narrates the procedure, in its first line or, under a short
    label line ('(a) CERVICAL - done first, awake.'), in its second."""
    if _PROCEDURE_NARRATION.match(text, start) or _PROCEDURE_BANNER.match(text, start):
        return True
    if _PERFORMED_NOW.search(text, start, min(end, start + _PERFORMED_REACH)):
        return True  # 'He wished to go ahead today. I have performed radiofrequency neurotomy of ...'

    line_end = text.find("\n", start, min(end, start + _LABEL_LINE_MAX))
    return line_end != -1 and _PROCEDURE_NARRATION.match(text, line_end + 1) is not None


_LABEL_LINE_MAX = 80
_PERFORMED_NOW = re.compile(
    r"(?i)\b(?:I|we)[ \t]+(?:have[ \t]+)?(?:then[ \t]+)?(?:performed|carried[ \t]+out)\b"
    r"(?![^.\n]{0,80}\b(?:previously|before|ago|last\s+(?:year|month|time)|in\s+(?:19|20)[0-9]{2}|on\s+[0-9]{1,2}/))"
)
_PERFORMED_REACH = 200
# '===== Procedure, 06/03/2025 =====': a banner that opens the account of today's procedure
_PROCEDURE_BANNER = re.compile(
    r"(?i)[=*#~_-]{2,40}[ \t]{0,3}(?:today'?s[ \t]+)?(?:procedure|proc)(?:[ \t]+(?:note|today))?\b"
    r"[^\n=*#~_]{0,40}"
    r"[=*#~_-]{2,40}[ \t]{0,8}$",
    re.M,
)


def _untitled(start: int, end: int) -> dict:
    """A section of coded text under no header of ours."""
    return {"category": None, "role": "untitled", "start": start, "end": end, "header_end": start}


def _end_at_paragraph(text: str, section: dict, line_end: int, out: list[dict]) -> None:
    """The section ends at the blank line right after ``line_end``; the next paragraph is
    untitled (coded) text."""
    paragraph = _PARAGRAPH_BREAK.match(text, line_end, section["end"])
    if paragraph is not None and paragraph.end() < section["end"]:
        out.append(_untitled(paragraph.end(), section["end"]))
        section["end"] = paragraph.end()


def _end_header_at_paragraph(text: str, section: dict, out: list[dict]) -> None:
    """'Procedure: right T7-8 MBB.' then a blank line and the narrative: the header is its line,
    the narrative is the description (compared with the header, not part of it)."""
    line_end = text.find("\n", section["header_end"])
    if line_end == -1 or line_end >= section["end"] or not text[section["header_end"] : line_end].strip():
        return
    _end_at_paragraph(text, section, line_end, out)


_TITLE_GOES_ON = re.compile(r"(?i)(?:\b(?:and|with|of|at|to|under)|[,&+])$")
# a side at the line's end whose level opens the next line ('... bilateral L4-L5 AND left' over
# 'L5-S1 (left L5-S1 added this visit ...)')
_TITLE_SIDE_GOES_ON = re.compile(r"(?i)\b(?:left|right|bilateral|bilat|lt|rt)$")
_LEVEL_OPENS = re.compile(r"[ \t]{0,4}[CTL][ \t]?[0-9]")


def _end_header_at_line(text: str, section: dict, out: list[dict]) -> bool:
    """'Proc: RFN R C5-6, C6-7 -- 9/3/25' and, on the next line, 'Dx MBB #1/#2 R C6-7/C7-T1...':
    a header with its content on its line ends there when the next line starts a statement of
    its own (a capital, a digit or a mark, not a wrapped lower-case continuation)."""
    line_end = text.find("\n", section["header_end"], section["end"])
    if line_end == -1 or not text[section["header_end"] : line_end].strip():
        return False
    next_end = text.find("\n", line_end + 1, section["end"])
    title_line = text[section["header_end"] : line_end].rstrip()
    if _TITLE_GOES_ON.search(title_line) or (
        _TITLE_SIDE_GOES_ON.search(title_line) and _LEVEL_OPENS.match(text, line_end + 1)
    ):
        # 'PROCEDURE PERFORMED TODAY: ... RIGHT T7-T8 AND' / 'RIGHT T8-T9, UNDER CT GUIDANCE': the
        # title's second line is the title's
        if next_end == -1:
            return False
        line_end = next_end
        next_end = text.find("\n", line_end + 1, section["end"])
    following = text[line_end + 1 : next_end if next_end != -1 else section["end"]].strip()
    if not following or following[:1].islower():
        return False
    out.append(_untitled(line_end + 1, section["end"]))
    section["end"] = line_end + 1
    return True


_FIRST_PERSON_WORK = re.compile(
    r"(?i)\b(?:I|we)[ \t]+(?:have[ \t]+)?(?:then[ \t]+)?"
    r"(?:performed|did|carried[ \t]+out|placed|injected|proceeded|ablated|blocked|lesioned|treated)\b"
)
_NARRATED_LINE = 200


def _narrates_below(text: str, section: dict) -> bool:
    """'PROCEDURE:' alone on its line, then 'Prone, head in a padded holder...', or 'Procedure.
    The patient was placed prone': the section is the procedure's description, not a header
    naming it."""
    line_end = text.find("\n", section["header_end"], section["end"])
    if line_end != -1 and not text[section["header_end"] : line_end].strip():
        return _PROCEDURE_NARRATION.match(text[line_end : line_end + 300].lstrip()) is not None
    # 'Procedure. The patient was placed prone.': narration on the header's own line
    opening = text[section["header_end"] : section["header_end"] + 120].lstrip()
    if _NARRATION_START.match(opening) is not None:
        return True
    # 'PROCEDURE. Today I performed a left-sided thoracic radiofrequency neurotomy. She had no IV
    # sedation ...': a first-person account of the work, a paragraph long, describes it
    line_end = section["end"] if line_end == -1 else line_end
    return (
        _FIRST_PERSON_WORK.search(opening) is not None and line_end - section["header_end"] > _NARRATED_LINE
    )


def _indented_under(text: str, header_start: int, next_line: str) -> bool:
    """'S: 72M, chronic LBP.' then '   MBB #1 (04/15/25) ... 90% relief': a SOAP label's
    content goes on in lines indented deeper than the label (a line of its own starts at the
    label's margin)."""
    margin = _indent(text, text.rfind("\n", 0, header_start) + 1)
    return len(next_line) - len(next_line.lstrip(" \t")) > margin and not _LIST_MARK.match(next_line.lstrip())


def _indent(text: str, line_start: int) -> int:
    """How many blanks open the line that starts at ``line_start``."""
    return _MARGIN.match(text, line_start).end() - line_start  # type: ignore[union-attr]


def _opens_today(paragraph: str) -> bool:
    """'History, she is a sixty four year old ...' then 'She received moderate sedation';
    'History: 47 year old man ...' then 'Prone, prepped and draped ...' or 'Today: ...'."""
    return (
        _TODAY_PARAGRAPH.match(paragraph) is not None
        or _TODAY_OPENER.match(paragraph) is not None
        or _PROCEDURE_NARRATION.match(paragraph) is not None
    )


def _dictated_plan(text: str, section: dict) -> bool:
    """'Plan, repeat therapeutic ... injections ... today, and we will see her back ...' said first
    in a dictation: a plan header with no colon, a paragraph long."""
    if section["role"] != "plan":
        return False
    header = text[section["start"] : section["header_end"]]
    line_end = text.find("\n", section["header_end"])
    said_on = text[section["header_end"] : line_end if line_end != -1 else len(text)].strip()
    return ":" not in header and "colon" not in said_on[:6].lower() and bool(said_on)


def history_paragraph_ends(text: str, sections: list[dict]) -> list[dict]:
    """'HISTORY: ... gave 14 months of relief ...' over several lines, a blank line, then
    'Pre-procedure pain 6/10. She declined IV sedation.': the history ends at the paragraph
    that opens on today (untitled, coded text from there to the next header); a dictated 'Plan,
    ...' said before the procedure ends at its paragraph's end."""
    out: list[dict] = []
    for section in sections:
        out.append(section)
        dictated_plan = _dictated_plan(text, section)
        if section["role"] not in _NOT_TODAY_ROLES and not dictated_plan:
            continue
        for gap in _PARAGRAPH_BREAK.finditer(text, section["header_end"], section["end"]):
            opens_today = dictated_plan or _opens_today(text[gap.end() : gap.end() + 200])
            if gap.end() < section["end"] and opens_today:
                out.append(_untitled(gap.end(), section["end"]))
                section["end"] = gap.start() + 1
                break
    return out


def _opens_quote(line: str) -> bool:
    """``line`` opens a quotation it does not close."""
    return line.count('"') % 2 == 1 or line.count("\u201c") > line.count("\u201d")


def end_inline_sections(text: str, sections: list[dict]) -> list[dict]:
    """A header with its content on the same line ('Hx: 1st MBB gave 85%') covers only that
    line when the next line starts a new statement; the rest is untitled (coded) text."""
    out: list[dict] = []
    for section in sections:
        out.append(section)
        if section["category"] is None or section["role"] in ("untitled", "description"):
            continue
        if section["role"] == "header":
            if _narrates_below(text, section):
                section["role"] = "description"
                continue
            if not _end_header_at_line(text, section, out):
                _end_header_at_paragraph(text, section, out)
            continue
        line_end = text.find("\n", section["header_end"])
        if line_end == -1 or line_end >= section["end"] or not text[section["header_end"] : line_end].strip():
            continue
        next_line_end = text.find("\n", line_end + 1)
        next_line = text[line_end + 1 : next_line_end if next_line_end != -1 else len(text)]
        stripped = next_line.strip()
        header_line = text[section["start"] : line_end]
        # a long line that stops mid-sentence is hard-wrapped: the next line continues it
        wrapped = (
            (
                len(header_line) >= _NEWLINE_JOIN_MIN_LINE
                # ('Plan: f/u 4 wks. Expect ... soreness. If left' over 'lumbosacral pain returns, ...')
                or (
                    section["role"] == "plan"
                    and len(header_line) >= _WRAPPED_LOWER_MIN_LINE
                    and stripped[:1].islower()
                )
            )
            and (
                # (a dictated '... period new paragraph' ends its line as a stop does)
                not header_line.rstrip().endswith((".", ":", ";", "!", "?", "new paragraph"))
                # '... Block #1 on 03/30 with lidocaine:' / 'patient reports roughly 70% relief'
                or (header_line.rstrip().endswith(":") and stripped[:1].islower())
            )
            and not _CHECKBOX.match(stripped)  # '[x] consent' starts a statement of its own
            and not _KEY_LABEL.match(stripped)  # and so does 'local_skin: lidocaine 1%'
        )
        if not stripped:
            # a dictated 'history colon ...', an 'Anesthesia: J. Smith, CRNA' field, or history
            # followed by a 'Today: ...' paragraph covers its own paragraph only
            name = text[section["start"] : section["header_end"]].strip()
            spoken = name.islower()
            after_gap = text[line_end : line_end + 200].lstrip()
            today_next = section["role"] in _NOT_TODAY_ROLES and _opens_today(after_gap)
            if spoken or today_next or section["role"] in _FIELD_ROLES or section["role"] == "excluded":
                _end_at_paragraph(text, section, line_end, out)
                continue
        bulleted = _LIST_MARK.match(text[section["start"] : section["header_end"]].lstrip()) is not None
        if not bulleted and (not stripped or wrapped or _LIST_MARK.match(stripped)):
            continue  # (a bulleted field, '* Hx: ...', always ends with its line)
        if section["role"] in _NOT_TODAY_ROLES and (_SUB_LABEL.match(stripped) or _opens_quote(header_line)):
            continue  # ('COMPARISON: MRI 10/20/2025: "T11-12: mild ...' quotes the report over lines)
        if section["role"] in _NOT_TODAY_ROLES | {"plan"} and _indented_under(
            text, section["start"], next_line
        ):
            continue  # ('P: MBB #2 cancelled ...' then '   If #2 >= 80% -> RFA Rt L4-5, L5-S1.')
        rest = _untitled(line_end + 1, section["end"])
        section["end"] = line_end + 1
        out.append(rest)
    return out
