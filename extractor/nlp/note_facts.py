"""Note-level facts: injected agents, sedation, today's pain scores and prior-block relief."""

from __future__ import annotations

import re

from ..models import Agent, Dose, Evidence, PriorResponse
from .note_view import Mention, NoteView, evidence_of
from .rule_text import rule_text
from .sentences import in_table_row

# (and the German 'Hautquaddel' or 'Quaddel', a skin wheal, and 'Haut...', skin)
_SKIN = re.compile(
    r"(?<!no\s)\b(?:numb(?!ers?\b)\w*"
    r"(?![ \t]+(?:the[ \t]+|each[ \t]+)?(?:nerves?|joints?|medial|branch\w*|targets?)\b)"
    r"|entry\s+(?:sites?|points?)|skin|skn|subcut\w*|subq|sub-q|sq|s\.?c\.?|wheal|superficial|dermal"
    r"|intradermal|soft\s+tissues?|needle\s+tracts?|quaddel|haut\w*|local\s+infiltration|infiltrat\w*"
    r"|infilt|an(?:a)?esthesia\s*:\s*local(?:\s+only)?|(?<!under\s)local\s+anesthesia"
    r"|local\s+anesthetic\s+for\s+the\s+skin)\b"
    r"|(?-i:\b(?:skin|local)(?=Local\b|Anesthetic\b|Wheal\b|Infiltration\b))",  # a registry's 'skinLocal:'
    re.I,
)
_TOTALS = re.compile(r"[^\w\n]{0,5}(?:totals?|summary|in\s+all|overall)\b", re.I)  # a line that starts so
_DOSE = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>mg|mcg|ml|mL|cc|cc's|units?)\b", re.I)
_CONCENTRATION = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*%")
_SEDATION_RANK = {"general": 5, "mac": 4, "moderate": 3, "local_only": 2, "none": 1}
_PRIOR_CONTEXT = re.compile(
    r"\b(?:first|prior(?!\s+to\b|\s*:)|previous|previously|last|initial|earlier|#1|#\s*1|block\s+1|dx1|"
    r"gave|provided|afforded|reported|had(?!\s+(?:her|him|them|the\s+patient)\s+(?:bend|stand|sit|walk|twist|rotate|"
    r"extend|move|get|lie|do|perform|try|repeat)\b)(?!\s+(?:no|come|gone|dropped|fallen|decreased|recovered|settled|stabili[sz]ed)\b)|(?<!not\s)(?<!n't\s)obtained|achieved|after\s+(?:the|her|his|their)\s+(?:first|initial|prior|previous|last)|"
    r"s/p|status[- ]post|h/o|[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?\s+visit|"
    r"(?:years?|months?|weeks?)\s+out\s+from)\b",
    re.I,
)
TODAY_CONTEXT = re.compile(
    r"\b(?:pre(?:-|\s)?(?:procedure|procedural)|post(?:-|\s)?(?:procedure|procedural|op|injection|block)|(?:after|before)\s+(?:the\s+)?(?:procedure|injection|block)s?\s*(?:today)?|"
    r"minutes|today|immediately|at\s+discharge|in\s+recovery|recovery\s+area|this\s+(?:block|procedure)|"
    r"this\s+morning|on\s+arrival|in\s+the\s+procedure\s+(?:unit|suite|room)|pre-?(?:block|injection)\s+pain)\b",
    re.I,
)
_OTHER_PROCEDURE = re.compile(
    r"\b(?:RFA|RF|radio\s?frequency|ablation|neurotomy|rhizotomy|epidural|ESI|TFESI|sacroiliac|SI\s+joint|SIJ|"
    r"botox|onabotulinum\w*|surgery|fusion|trigger\s+point|(?<!third\s)occipital\s+nerve\s+block|physical\s+therapy|(?-i:PT)|"
    # ('occipital HA' is a symptom, not an occipital nerve block)
    r"NSAIDs?|medication|lesion\w*|cryo\w*|pulsed|therapeutic|steroid|botox|"
    r"(?<!third\s)occipital(?!\s+(?:HA|headaches?|pain|region|area)\b))\b",
    re.I,
)
_OTHER_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,2}?(?:from|after|with|following|of)\s+(?:the\s+|her\s+|his\s+|an?\s+|their\s+)?"
    rf"(?:{_OTHER_PROCEDURE.pattern})",
    re.I,
)
_BLOCK_WORDS = re.compile(
    r"\b(?:MBBs?|MBNBs?|blocks?|blks?|medial\s+branch\w*|diagnostic|dx|dx[1-4]|facet\s+injections?|IA|1st|2nd|sets?)\b"
    r"|#\s*[1-4]\b",
    re.I,
)
# a clause that scores the block just done: its relief is today's result, not an earlier block's
_TODAY_RESULT = re.compile(
    r"(?i)\b(?:afterwards?|in\s+(?:the\s+)?(?:recovery(?:\s+room)?|PACU)|post-?(?:procedure|block|injection)|"
    r"at\s+discharge|before\s+the\s+(?:block|injection|procedure)\b[^.;]{0,60}\bafter)"
)
_EARLIER_WORD = re.compile(
    r"(?i)\b(?:first|prior|previous|previously|last|initial|earlier|s/p|#\s?1|one|two|both|each)\b"
)
_EACH_TIME = re.compile(r"(?i)\b(?:both|each)\s+(?:times?|occasions?)\b")
_WITHDRAWN_PERCENT = re.compile(r"\([ \t]?not[ \t]+([0-9]{1,3})[ \t]?%[ \t]?\)", re.I)
_DIAGNOSTIC_BLOCK = re.compile(r"\b(?:diagnostic|dx|confirmatory|MBBs?|MBNBs?|medial\s+branch\w*)\b", re.I)
_WORD_SCORES = {
    "zero": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def _allowed(mention: Mention) -> bool:
    """Given today: not negated, history or plan; an injectate line may sit in any other section."""
    if mention.negated or mention.historical or mention.hypothetical:
        return False
    return mention.role not in ("history", "plan", "excluded", "imaging")


def build_agents(view: NoteView) -> list[Agent]:
    """Agents given today, one per (name, role); brand names are already mapped to generics."""
    grouped: dict[tuple[str, str], list[Mention]] = {}
    names_with_contrast = {
        m.meta["name"] for m in view.of("AGENT") if _allowed(m) and m.meta["class"] == "contrast"
    }
    for m in view.of("AGENT"):
        if not _allowed(m):
            continue
        name, agent_class = m.meta["name"], m.meta["class"]
        if name == "contrast" and (names_with_contrast - {"contrast"} or _in_column_names(view, m)):
            continue  # ('Level | Side | Needle | Contrast | Medication': a grid's column name)
        if agent_class == "contrast":
            role = "contrast"
        elif agent_class == "local_anesthetic" and _near_skin(view, m):
            role = "skin_local"
        else:
            role = "target"
        grouped.setdefault((name, role), []).append(m)
    for name, role in [key for key in grouped if key[1] == "target"]:
        if (name, "skin_local") in grouped and all(
            _totals_line(view, m) or _bare_list_entry(view, m) for m in grouped[(name, role)]
        ):
            # a totals line or a medication list entry with no route ('Lidocaine 1% 5 mL') is the
            # skin local the procedure text describes, not a second use
            grouped[(name, "skin_local")] += grouped.pop((name, role))
    agents = []
    for (name, role), mentions in sorted(grouped.items(), key=lambda item: item[1][0].start):
        agents.append(
            Agent(
                name=name,
                agent_class=mentions[0].meta["class"],
                role=role,  # type: ignore[arg-type]
                dose=_dose(view, mentions[0]),
                evidence=evidence_of(mentions),
            )
        )
    return agents


_COLUMN_NAME = re.compile(r"[A-Za-z][A-Za-z /#()]{0,24}")


def _in_column_names(view: NoteView, mention: Mention) -> bool:
    """The mention is a cell of a '|' row of column names (short words, no figures)."""
    start = view.text.rfind("\n", 0, mention.start) + 1
    end = view.text.find("\n", mention.end)
    cells = [c.strip() for c in view.text[start : end if end != -1 else len(view.text)].split("|")]
    cells = [c for c in cells if c]
    return len(cells) >= 3 and all(_COLUMN_NAME.fullmatch(c) for c in cells)


# ' / ', ' // ' and ' | ' part a shorthand line's fields; the cells of a table row ('| Lidocaine 1% |
# 8 mL | skin |', a line that starts with a pipe) are one clause
# ('skin lido 1% then 0.5cc 0.5% bupi ea nerve': 'then' and a dose start the next agent's clause)
_CLAUSE_BREAK_BEFORE = re.compile(r"[;,]|\s//?\s|\n\s*\n|\n\s*[-*\u2022]|\bthen(?=[ \t]+[0-9.])")
# ('bupi 0.5% 0.5cc ea. skin lido 1%': a shorthand line's full stop before a lower-case word ends
# the clause, where the sentence splitter read one sentence)
# ('40 TA + 0.5cc 0.25% bupi into jt, skin lido': a comma before the skin's own agent)
_SKIN_AGENT_NEXT = (
    r",(?=[ \t]{0,2}(?:skin|subq|sq)[ \t]+(?:[0-9.]{1,4}[ \t]?%[ \t]+)?(?:lido|lidocaine|xylocaine|local)\b)"
)
_CLAUSE_BREAK_AFTER = re.compile(
    r"[;]|\n(?![ \t]*[a-z])|\n(?=[ \t]*[a-z][a-z/ ]{0,15}:)|\s//?\s|(?<!\.)\.[ \t]|" + _SKIN_AGENT_NEXT
)
_CLAUSE_OR_LINE_BREAK_AFTER = re.compile(r"[;\n]|\s//?\s|(?<!\.)\.[ \t]|" + _SKIN_AGENT_NEXT)
_WRAP_WIDTH = 60
_WRAPPED_BEFORE = re.compile(r"[a-z][ \t]*\n[ \t]*\Z")  # the line before ends mid-clause
_ROW_LEAD = re.compile(r"\|?\s{0,3}(?:[0-9]{1,2}:?[0-9]{2}\s{0,9}\|?)?\s{0,9}")  # '', '14:05', '0818 |'
_COLUMN_GAP = re.compile(r" {2,}| ?\t")
_PIPE_BREAK = re.compile(r"\s\|\s")


def _near_skin(view: NoteView, mention: Mention) -> bool:
    """A skin word in the agent's own clause ('1% lidocaine for the skin; bupivacaine at each');
    in a medication table row ('lidocaine 1% / 30 mg / 3 mL / skin infiltration', or columns
    parted by blanks) the whole row is the clause."""
    # (as the rules read the note: an HL7 segment's pipes and escaped line breaks are no table)
    row = _medication_row(view.rule_text(), mention.start, mention.end)
    if row is not None:
        return _SKIN.search(row) is not None
    start, end = view.sentence_bounds(mention.sent)
    # prose wrapped at a width ('Skin anesthetized with' / '1% lidocaine.', '1% lidocaine' / 'was
    # infiltrated at each skin entry site'): a long line, then the next in lower case, is one
    # clause, whatever the sentence splitter made of the break; a shorthand list's short lines
    # and a next line that starts a field ('skin: 1% lido') each end theirs
    line_length, previous_length = _line_lengths(view.text, mention.start)
    if previous_length >= _WRAP_WIDTH and _WRAPPED_BEFORE.search(view.text, max(0, start - 40), start):
        start = max(0, start - 70)  # as far back as the clause is read
    wrapped = line_length >= _WRAP_WIDTH
    if (
        wrapped
        and "\n" in view.text[max(start, end - 3) : end]
        and view.text[end : end + 20].lstrip(" \t")[:1].islower()
    ):
        end = min(len(view.text), end + 40)
    # ('skin_local: lidocaine 1%' reads as 'skin local', a field of its own)
    before = rule_text(view.text[max(start, mention.start - 70) : mention.start])
    if _starts_entry(view.text, mention.start):
        before = ""  # '  Bupivacaine 0.5% - 1 mL ...' under '  Lidocaine 1% - ... - subcutaneous'
    after = rule_text(view.text[mention.end : min(end, mention.end + 50)])
    before = _CLAUSE_BREAK_BEFORE.split(before)[-1]
    after = (_CLAUSE_BREAK_AFTER if wrapped else _CLAUSE_OR_LINE_BREAK_AFTER).split(after)[0]
    if not in_table_row(view.text, mention.start):
        before, after = _PIPE_BREAK.split(before)[-1], _PIPE_BREAK.split(after)[0]
    detail = _detail_line(view, mention)
    if detail is not None:
        after = detail  # 'Lidocaine 1% injection' / '2 mL per site, subcutaneous (skin wheal ...)'
    # ('ANESTHESIA: 1% lidocaine local.': the agent named as the local anaesthetic)
    if (
        _SKIN.search(before)
        or _SKIN.search(after)
        or _LOCAL_AFTER.match(after)
        or _LOCAL_BEFORE.search(before)
    ):
        return True
    # 'The skin was prepped, draped and anesthetized with 1% lidocaine': the skin is the subject
    return (
        _SKIN_SUBJECT.search(rule_text(view.text[max(start, mention.start - 160) : mention.start]))
        is not None
    )


_NAME_LINE_MAX = 60
_DOSE_LINE = re.compile(r"[ \t]{0,8}(?:[0-9.]{1,6}[ \t]?(?:mL|ml|cc|mg|mcg|%)|total\b|per\b)", re.I)


def _detail_line(view: NoteView, mention: Mention) -> str | None:
    """A medication list that gives each drug a name line and a detail line below it ('Lidocaine
    1% injection' over '2 mL per site, subcutaneous (skin wheal and needle track)'): the detail
    line, when the agent's line only names it and the next one starts with a dose and names no
    other drug."""
    text = view.text
    line_start = text.rfind("\n", max(0, mention.start - _NAME_LINE_MAX), mention.start) + 1
    line_end = text.find("\n", mention.end, mention.end + _NAME_LINE_MAX)
    if line_end == -1 or line_end - line_start > _NAME_LINE_MAX:
        return None
    if _DOSE.search(text, line_start, line_end) or _SKIN.search(text, line_start, line_end):
        return None  # the line says it all ('lidocaine 1% 2 mL skin')
    next_end = text.find("\n", line_end + 1, line_end + 2 + 2 * _NAME_LINE_MAX)
    next_end = min(len(text), line_end + 2 + 2 * _NAME_LINE_MAX) if next_end == -1 else next_end
    if next_end - line_end > 2 * _NAME_LINE_MAX or not _DOSE_LINE.match(text, line_end + 1, next_end):
        return None
    if any(line_end < m.start < next_end for m in view.of("AGENT")):
        return None
    return rule_text(text[line_end + 1 : next_end])


_SKIN_SUBJECT = re.compile(
    r"(?i)\bskin\b[^.;:\n]{0,100}\b(?:anesthetized|anaesthetized|infiltrated|numbed)[ \t]+"
    r"(?:with|using)[ \t]+(?:[0-9.]{1,4}[ \t]?%[ \t]+)?"
    # '... anesthetized with two milliliters of one percent lidocaine': a dose said in words
    r"(?:(?:[0-9.]{1,4}|zero|one|two|three|four|five|half|a|an|point|percent|milliliters?|ml|cc|of)"
    r"[ \t]+){0,8}\Z"
    # 'We numbed the skin, lidocaine one percent, then ...'
    r"|\b(?:anesthetized|anaesthetized|infiltrated|numbed)[ \t]+(?:the[ \t]+)?skin[ \t]{0,2}[,:][ \t]{0,2}\Z"
)


_ENTRY_INDENT_MAX = 40


def _starts_entry(text: str, start: int) -> bool:
    """A capitalised agent name that starts its line (after blanks or a list mark) starts an
    entry of its own: the line above is not part of its clause."""
    if not text[start : start + 1].isupper():
        return False
    line_start = text.rfind("\n", max(0, start - _ENTRY_INDENT_MAX), start) + 1
    if line_start == 0 and start > _ENTRY_INDENT_MAX:
        return False  # more than an indent before it on its line (no rescan to the note's start)
    label_above = text[max(0, line_start - 80) : line_start].rstrip().endswith(":")  # 'Skin:' then the agent
    return not text[line_start:start].strip(" \t-*\u2022") and not label_above


# 'Anesthesia: local (1% lidocaine).'
_LOCAL_BEFORE = re.compile(
    r"(?i)\b(?:local|(?-i:LA)[ \t]+only)[ \t]{0,2}\([ \t]{0,2}(?:[0-9.]{1,4}[ \t]?%[ \t]{0,2})?\Z"
)  # ('ANES: LA ONLY (LIDO 1% 5ML)')
_LOCAL_AFTER = re.compile(r"[ \t]{0,2}local\b(?=[ \t]{0,2}(?:[.;,\n]|$))", re.I)


def _line_around(text: str, start: int, end: int, back: int, ahead: int) -> tuple[int, int]:
    """(start, end) of the line holding ``text[start:end]``, read at most ``back`` characters
    before and ``ahead`` after (a longer line is cut there); the end is -1 when no line break
    comes within ``ahead`` (the note's end ends its last line)."""
    floor = max(0, start - back)
    line_end = text.find("\n", end, end + ahead)
    if line_end == -1 and end + ahead >= len(text):
        line_end = len(text)
    return max(text.rfind("\n", floor, start) + 1, floor), line_end


def _line_lengths(text: str, offset: int) -> tuple[int, int]:
    """(length of the line holding ``offset``, of the line before it), blanks stripped."""
    line_start, line_end = _line_around(text, offset, offset, 300, 300)
    line = text[line_start : line_end if line_end != -1 else offset + 300]
    previous_end = max(0, line_start - 1)
    previous_start, _ = _line_around(text, previous_end, previous_end, 300, 0)
    return len(line.rstrip()), len(text[previous_start:previous_end].rstrip())


def _medication_row(text: str, start: int, end: int) -> str | None:
    """The line around ``start:end`` when it reads as a row of a medication table: the agent
    in its first column (after a time, in a MAR), three or more columns parted by ' / ', pipes
    or runs of blanks."""
    line_start, line_end = _line_around(text, start, end, 40, 120)
    if line_end < 0 or not _ROW_LEAD.fullmatch(text[line_start:start].strip()):
        return None
    line = text[line_start:line_end]
    columns = max(line.count(" / "), line.count("|"), len(_COLUMN_GAP.findall(line.strip())))
    return line if columns >= 2 else None


_TARGET_ROUTE = re.compile(
    r"(?i)\b(?:cannula\w*|introducers?|needles?|joints?|nerves?|targets?|perineural|intra-?articular|facets?|"
    r"levels?|medial|branch\w*|lesion\w*|sites?|arthrogram|through|via)\b"
)


def _bare_list_entry(view: NoteView, mention: Mention) -> bool:
    """An entry of a medications section with no route on its line."""
    if mention.role != "medications":
        return False
    line_start, line_end = _line_around(view.text, mention.start, mention.end, 200, 200)
    line = view.text[line_start : line_end if line_end != -1 else mention.end + 200]
    return _TARGET_ROUTE.search(line) is None


def _totals_line(view: NoteView, mention: Mention) -> bool:
    """'Totals: bupivacaine 0.5% 2.0 mL; ...; lidocaine 1% 8 mL': the mention sits in a line or
    sentence that starts with a totals label (not '(0.9 mL total)' after a dose)."""
    line_start, _ = _line_around(view.text, mention.start, mention.start, 300, 0)
    start = max(line_start, view.sentence_bounds(mention.sent)[0])
    return _TOTALS.match(view.text[start : mention.start].lstrip()) is not None


def _dose(view: NoteView, mention: Mention) -> Dose | None:
    start, end = view.sentence_bounds(mention.sent)
    before = view.text[max(start, mention.start - 35) : mention.start]
    after = view.text[mention.end : min(end, mention.end + 35)]
    dose = Dose()
    for text in (after, before):
        match = _DOSE.search(text)
        if match and dose.value is None:
            unit = match.group("unit").lower().replace("cc's", "ml").replace("cc", "ml")
            if unit in ("ml",):
                dose.volume_ml = float(match.group("value"))
            dose.value, dose.unit = float(match.group("value")), unit
        concentration = _CONCENTRATION.search(text)
        if concentration and dose.concentration is None:
            dose.concentration = f"{concentration.group('value')}%"
    return dose if (dose.value is not None or dose.concentration) else None


TODAY_WORD = re.compile(r"\btoday\b", re.I)
_DENIED_LEVEL = re.compile(r"\b(?:moderate|conscious|iv|intravenous|mac|general)\b", re.I)
_FIELD_TAKEN_BACK = re.compile(
    r"(?i)\bno\s+(?:IV\s+)?sedation\s+(?:was\s+)?(?:given|administered|used)\b"
    r"|\b(?:defaulted|order\s+set|template\s+default)\b"
)
_OPENS_WITH_RETRACTION = re.compile(r"(?i)\W{0,3}(?:(?:scratch|strike|delete)[ \t]+that|correction)\b")
_LEVEL_WORDS = {
    "moderate": "moderate", "conscious": "moderate", "iv": "moderate", "intravenous": "moderate",
    "mac": "mac", "general": "general",
}  # fmt: skip


def build_sedation(view: NoteView) -> tuple[str | None, list[Evidence]]:
    """The highest level documented and not negated; a negated sedative counts as 'none'; a
    denial of a level ('no moderate sedation was given') takes back what was stated before it."""
    found: dict[str, list[Mention]] = {}
    for m in view.of("SEDATION"):
        # "Sedation: none" can sit in any section of today's note (an indication block, a flowsheet)
        if m.role in ("plan", "excluded"):
            continue
        if (m.historical or m.hypothetical) and not _is_field_answer(view, m):
            continue
        if UNTICKED_BOX in m.status:
            continue  # 'Sedation: [x] None  [ ] Local only': an option not chosen says nothing
        if m.role == "history" and not TODAY_WORD.search(view.sentence_text(m.sent)):
            # ('... she declined sedation today' in a dictated history paragraph counts, and so
            # does a SOAP note's 'S: ... She declined sedation.', with no earlier procedure named)
            if m.value != "none" or is_prior_text(view.sentence_text(m.sent)):
                continue
        value = m.value
        if m.negated and value not in ("none", "local_only"):
            value = "none"
        found.setdefault(value, []).append(m)
    for denial in [m for m in found.get("none", []) if m.value == "none"]:
        # 'CORRECTION: no moderate sedation was given; the checkbox above is the template default'
        level = _DENIED_LEVEL.search(denial.text)
        if level is not None:
            _take_back(found, (_LEVEL_WORDS[level.group(0).lower()],), denial)
        elif _OPENS_WITH_RETRACTION.match(view.sentence_text(denial.sent)):
            # '... one milligram of Versed IV was given period scratch that comma no sedation was
            # given': the dictated retraction takes back what the sentence before it said
            _take_back(found, ("moderate", "mac", "general", "local_only"), denial)
        elif _FIELD_TAKEN_BACK.search(view.sentence_text(denial.sent)):
            # 'Sedation: Moderate (conscious)' above, then 'Physician comment: Sedation field
            # defaulted from the order set - NO sedation given': the field's answer is taken back
            _take_back(found, ("moderate", "mac", "general"), denial, fields_only=True)
    for value in ("general", "mac", "moderate", "local_only", "none"):
        if value in found:
            return value, evidence_of(found[value])
    return None, []


def _take_back(
    found: dict[str, list[Mention]], levels: tuple[str, ...], denial: Mention, fields_only: bool = False
) -> None:
    """Drop each of ``levels`` that nothing after ``denial`` states again (with ``fields_only``,
    only what an anesthesia field stated is taken back)."""
    for level in levels:
        kept = [
            m
            for m in found.get(level, [])
            if m.start > denial.start or (fields_only and m.role != "anesthesia")
        ]
        if level in found and not kept:
            del found[level]


UNTICKED_BOX = "NEGATED_EXISTENCE_BOX"
"""The status of an option whose box is left empty ('[ ] Local only', '( ) 1st'): not chosen."""
_FIELD_GAP = re.compile(r"[\s:=\-\[\]()xX]{0,6}")


def _is_field_answer(view: NoteView, mention: Mention) -> bool:
    """The first words of an anesthesia field ('Anesthesia: MAC, propofol infusion ... (patient
    previously unable to lie prone without sedation)'): today's answer to the field, whatever
    a history cue later in its sentence says."""
    if mention.role != "anesthesia":
        return False
    section = view.section_at(mention.start)
    if section is None or section["header_end"] > mention.start:
        return False
    return _FIELD_GAP.fullmatch(view.text, section["header_end"], mention.start) is not None


def score_value(text: str | None) -> float | None:
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _WORD_SCORES:
        return float(_WORD_SCORES[lowered])
    value = float(lowered)
    return value if 0 <= value <= 10 else None


def is_prior_sentence(view: NoteView, sent: int) -> bool:
    return is_prior_text(view.sentence_text(sent))


def is_prior_text(text: str) -> bool:
    """Words of an earlier procedure ('first', 'gave', 's/p') and none of today's."""
    return bool(_PRIOR_CONTEXT.search(text)) and not TODAY_CONTEXT.search(text)


def span(view: NoteView, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, text=view.text[start:end])


_FIELD_LINE = re.compile(r"[ \t]{0,8}[A-Za-z][A-Za-z_ /]{0,30}:[ \t]")


_CRITERION_BEFORE = re.compile(
    r"(?i)\b(?:requir(?:e|es|ed|ing)|must\s+(?:be|have|show|give)|criteri(?:on|a)\s+(?:of|is)|threshold\s+(?:of|is))"
    r"\b[^.;\n]{0,25}$"
)


def build_prior_response(view: NoteView) -> PriorResponse | None:
    """Relief from an earlier diagnostic facet block (never today's; never an RFA, SI joint,
    epidural or other procedure's relief); the lowest one reported."""
    candidates = []
    for m in view.of("RELIEF"):
        if m.hypothetical or m.role == "plan":
            continue
        start, end = view.sentence_bounds(m.sent)
        clause = relief_clause(view.text, start, end, m.start, m.end)
        if (
            TODAY_CONTEXT.search(clause)
            and not m.historical
            and m.role != "history"
            and not _EACH_TIME.search(clause)  # '... treated today, and both times he reported 70%'
        ):
            continue  # ('Hx: #2 (4/20) ~50% only -> equivocal -> third dx blk today': the 50% is #2's)
        if _TODAY_RESULT.search(clause) and not _EARLIER_WORD.search(clause) and not m.historical:
            continue  # '6 before the block and 4 afterward, in the recovery room, roughly 30 percent'
        floor = max(start, m.start - 120)
        before = view.text[floor : m.start]
        line_start = view.text.rfind("\n", floor, m.start) + 1
        if line_start > floor and _FIELD_LINE.match(view.text, line_start):
            # 'prior_blocks: dx MBB ... 60% relief' under 'rfa_candidate: ... RFA': its own line
            before = view.text[line_start : m.start]
        after = view.text[m.end : min(end, m.end + 30)]
        # another procedure named before the relief gave it; after it, only 'relief from / after
        # the RFA' does ('~60% relief only (below RFA criteria)' is still the blocks' relief)
        if _OTHER_PROCEDURE.search(before) or _OTHER_AFTER.search(after):
            continue
        if _CRITERION_BEFORE.search(view.text, max(start, m.start - 40), m.start):
            continue  # 'A positive diagnostic response requires at least 80% relief': a criterion
        # the sentence up to the relief: a procedure named after it is what the relief led to
        # ('... only sixty percent relief, so he does not meet the criteria for ablation')
        leading = view.text[start : m.end]
        block_context = _BLOCK_WORDS.search(clause) or (
            _BLOCK_WORDS.search(leading) and not _OTHER_PROCEDURE.search(leading)
        )
        if not block_context and _ONE_BEFORE.search(clause) and m.sent > 0:
            # 'her second diagnostic cervical medial branch block. The first one three weeks ago
            # she reported about seventy percent relief': 'one' is the block just named
            named = view.sentence_text(m.sent - 1)
            if "therapeutic" not in named.lower():  # ('... therapeutic blocks twice a year; the last one')
                block_context = _BLOCK_WORDS.search(named)
        if not block_context and m.sent > 0:
            # 'Bilateral L4-5/L5-S1 medial branch blocks in' / '08/2025 gave about 60% relief.': a
            # line that starts with a date was split from the sentence it continues (so was 'Block
            # #1 on 03/30 with lidocaine:' / 'patient reports roughly 70% relief')
            wrapped = view.sentence_text(m.sent - 1).rstrip()
            if wrapped and wrapped[-1] not in ".!?;" and not _OTHER_PROCEDURE.search(wrapped):
                block_context = _BLOCK_WORDS.search(wrapped)
        if not block_context and m.role == "history":
            item = item_holding(view.text, _ITEM_START, m.start, _ITEM_REACH)
            item_text = view.text[item.start() : m.start] if item else ""
            if item and not _OTHER_PROCEDURE.search(item_text):
                block_context = _BLOCK_WORDS.search(item_text)
        if not block_context and view.in_flowsheet_entry(m.start):
            # '### 2025-06-03  LEFT L3-4, L4-5 MBB -- diagnostic #2' over '... diary: ~75% relief x 2 h':
            # a flowsheet entry's relief is its procedure's
            heading = view.text[view.section_at(m.start)["entry_start"] : m.start]  # type: ignore[index]
            block_context = None if _OTHER_PROCEDURE.search(heading) else _BLOCK_WORDS.search(heading)
        if not block_context and m.sent > 0 and _REPORTED.search(clause):
            block_context = _earlier_block_just_named(view, m.sent - 1, start)
        if not block_context:
            continue
        value = percent_value(view.rule_text()[m.start : m.end])  # ('nine zero percent')
        if value is not None:
            candidates.append((value, m, bool(_DIAGNOSTIC_BLOCK.search(clause))))
    if not candidates:
        return None
    # 'ADDENDUM: ... gave 85% relief (not 58%)': the figure an addendum takes back no longer counts
    withdrawn = {float(m.group(1)) for m in _WITHDRAWN_PERCENT.finditer(view.text)}
    candidates = [c for c in candidates if c[0] not in withdrawn] or candidates
    # 'a left T11-12 facet injection for a brief flare, with about 60% relief ... two diagnostic
    # medial branch blocks, each of which gave her about 85%': the blocks called diagnostic count
    diagnostic = [c for c in candidates if c[2]]
    value, mention, _ = min(diagnostic or candidates, key=lambda c: c[0])
    return PriorResponse(percent_relief=value, evidence=[mention.evidence()])


_PERCENT_WORDS = {
    "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "five": 5,
}  # fmt: skip


_DIGITS_PERCENT = re.compile(r"(?<![0-9])[0-9]{1,3}(?=[ \t]?(?:%|percent|pct))", re.I)


def percent_value(text: str) -> float | None:
    """'85%' -> 85; 'seventy five percent' -> 75; 'relief (at 30 min): 85%' -> 85."""
    digits = _DIGITS_PERCENT.search(text) or re.search(r"\d+", text)
    if digits:
        return float(digits.group())
    total = 0
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _PERCENT_WORDS:
            total += _PERCENT_WORDS[word]
        elif total and word not in ("percent", "per", "cent"):
            break
    return float(total) if total else None


def relief_clause(text: str, start: int, end: int, mention_start: int, mention_end: int) -> str:
    """The part of a sentence between semicolons or clause turns ('but', 'so he ...', 'and then')
    that holds the mention: 'The first one ... she reported about seventy percent relief on her
    diary, ..., but ... we agreed to do the confirmatory block today' puts the relief in the past."""
    before = text[start:mention_start]
    left = max([before.rfind(";"), *(m.end() - 1 for m in _CLAUSE_TURN.finditer(before))])
    after = text[mention_end:end]
    turn = _CLAUSE_TURN.search(after)
    stops = [i for i in (after.find(";"), turn.start() if turn else -1) if i != -1]
    return text[start + left + 1 if left != -1 else start : mention_end + min(stops) if stops else end]


_ITEM_START = re.compile(r"(?m)^[ \t]*(?:[-*\u2022]|[0-9]{1,2}[.)])[ \t]+")
_ITEM_REACH = 300


def item_holding(text: str, item_start: re.Pattern[str], offset: int, reach: int) -> re.Match[str] | None:
    """The start of the list item that holds ``offset``: a line ``item_start`` opens, and the
    indented lines that go on from it, with no blank line between ('- 07/15/2025: diagnostic MBB
    #1, bilateral ... Performed with 50 mcg IV' / '  fentanyl. Pre 7/10, post 2/10; diary: about
    70% relief'); None when a line at the margin ends the item first."""
    floor = max(0, offset - reach)
    blank = text.rfind("\n\n", floor, offset)
    items = list(item_start.finditer(text, max(floor, blank + 1), offset + 1))
    if not items:
        return None
    following = text[items[-1].end() : offset].split("\n")[1:]
    return items[-1] if all(line[:1] in (" ", "\t") for line in following) else None


_REPORTED = re.compile(r"(?i)\b(?:recorded|reported|noted|described|had|got|experienced|obtained)\b")


def _earlier_block_just_named(view: NoteView, sent: int, relief_start: int) -> bool:
    """'In December we did a single diagnostic medial branch block ... She and her daughter
    recorded 60% relief over the following hours': the sentence before, in the same paragraph,
    names an earlier (historical) diagnostic block, and the relief is its result."""
    previous_start, _ = view.sentence_bounds(sent)
    if "\n\n" in view.text[previous_start:relief_start]:
        return False
    kinds = list(view.in_sentence(sent, "KIND"))
    return (
        any(k.historical and k.meta.get("kind") == "medial_branch_block" for k in kinds)
        and "therapeutic" not in view.sentence_text(sent).lower()
    )


# 'The first one ... she reported about seventy percent', 'Both of those sessions gave only about 40%'
_ONE_BEFORE = re.compile(
    r"(?i)\b(?:the|her|his|their)\s+(?:first|previous|prior|last|earlier)\s+one\b"
    r"|\b(?:both\s+of\s+)?(?:those|these)\s+(?:two\s+)?(?:sessions|ones)\b"
)
# a clause that turns to today: '..., but ...', '... so he is back today ...', '... and then rfa is
# being done today' (run-on speech has no other marks)
_CLAUSE_TURN = re.compile(
    r"(?:,\s{1,3}|\s)(?:but|so(?=\s+(?:he|she|they|the\s+patient|pt|today)\b)|and\s+then)\b"
)
