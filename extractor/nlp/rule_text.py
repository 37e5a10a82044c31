"""The note text as the rules read it.

An EHR export's snake_case keys ('sedation_type: none', 'pain_pre: 7/10', 'skin_local: lidocaine 1%')
hold words the rules look for, but ``\\b`` finds no word boundary at an underscore; a dictation service
that types the punctuation it hears ('she came in at an eight comma', 'block number sign two') hides the
comma or the '#' a rule looks for; a migrated record keeps HTML entities and tags ('Sterile prep &amp;
drape', 'L4-5<br>') and typographic dashes and blanks ('T12\u2011L1', 'L4\u20135', a no-break space).
The rules read the text with underscores as blanks, a spoken ' comma' as ',', a spoken ' period.' as '.'
and a typed-out 'number sign' as '#', each padded with blanks, a spelled-out 'I V' as 'IV ', text an
amendment or a typist struck out ('~~C5-C6,~~', '[deleted: and C5]', '[crossed out: L3-4]') and the
marks of a typist's '[margin: R only]' or '[?L4-5]', a score quoted as said ('"about a 3"') without its
quotes, an unresolved smart list ('{LATERALITY:21213}'), UTF-8 garbled as Windows-1252 ('80Â°C') as what
it was (``mojibake``), a note version marked entered in error above its replacement (``voided_text``), a
copy-forward note's stale fields ('Session #: 2 (carried forward from 06/05/2026)', '[last filed value:
1/10]') and the marks of its reviewed ones ('- Reviewed - no change': ``copied_forward``), a
transcriptionist's '(sic)', a dictation app's time stamp ('[01:30]') and a level a dictated correction
changes ('change T ten eleven to T eleven twelve', where said before it) as blanks, a picklist as its
starred options ('[left/*right*/bilateral]' as 'right'), an entity (named or numeric, '&#176;') or a
line-break tag as its character padded with blanks, the tags of XHTML or C-CDA markup pasted as-is as
blanks (a table cell's as a pipe), a form's dot leader before a colon as blanks, an export's 'FIELD =
value' as 'FIELD: value', a number dictated digit by digit before its unit ('nine zero percent') as its
digits, a form's 'Q7. Sedation?' and 'A7. ' as ' Sedation:' and blanks, an ultrasound probe's model
('probe (L15-4)') as blanks, an OCR'd card's letters where digits belong as the digits ('2O25', 'LS-S1':
``ocr_digits``), a level in continental notation ('L IV/V', 'Th12/L1', 'LWK 4/5') as the level rules
know it (``continental_levels``), a level dictated by ordinal and place ('the joint below the twelfth
thoracic vertebra') as a level (``ordinal_anatomy``), an HL7 message's segments as 'label: value' lines
(``hl7_fields``), a pasted JSON record's quotes as blanks and its true / false / null as words
(``json_fields``), Markdown's emphasis, code, heading and block-quote marks as blanks
(``markdown_marks``), a template's pick-lists printed whole as their picked options alone
(``picked_options``), a key=value note's field written again as the later value alone
(``repeated_keys``), a bilingual dictation's Spanish sides, scores, percents, temperatures and levels as
English (``spanish_words``), every dash as '-', every blank as a space and every arrow ('7 \u279d 4', '8
\u21d2 2', '7/10 \u25b6 3/10') as '\u2192': the same length, so every offset found in it is an offset
into the note, and evidence is still cut from the note itself."""

from __future__ import annotations

import re
from functools import lru_cache

from .abbreviation_key import abbreviation_key
from .continental_levels import continental_levels
from .copied_forward import copied_forward
from .hl7_fields import hl7_fields
from .json_fields import json_fields
from .markdown_marks import markdown_marks
from .misheard_words import misheard_words
from .mojibake import fixed_mojibake
from .ocr_digits import ocr_digits
from .ordinal_anatomy import ordinal_anatomy
from .picked_options import picked_options
from .repeated_keys import repeated_keys
from .skipped_rows import skipped_rows
from .spanish_words import spanish_words
from .spoken_retractions import spoken_retractions
from .voided_text import voided_text

# a speech engine's typed-out '#' ('medial branch block number sign one'), read as the sign
_NUMBER_SIGN = re.compile(r"\b[Nn]umber sign(?= )")
_SPOKEN_COMMA = re.compile(r"(?<=\w) comma\b(?=[ \t])")
_SPOKEN_PERIOD = re.compile(r"(?<=\w) period(?=\.)")
_COMMA_AND_BLANKS = ",     "
# text an amendment struck out ('Right ~~C5-C6,~~ C6-C7', 'C6 and C7 [deleted: and C5] articular pillar')
_STRUCK = re.compile(
    r"~~[^~\n]{1,120}~~"
    r"|\[(?:deleted|crossed[ -]out|struck(?:[ -]through)?|strike[ -]?through):?[^\]\n]{0,120}\]",
    re.IGNORECASE,
)
# a typist's marks around what the card says ('[margin: R only]', '[underlined: bilat]', '[?L4-5]'):
# the marks as blanks, the words they hold as written
_TYPIST_MARK = re.compile(
    r"(?i)\[(?:margin(?:[ \t]note)?|underlined|circled|boxed|arrow)[ \t]*:[ \t]*|\[\?(?=[^\]\n]{1,40}\])"
)
_SIC = re.compile(r"\((?:sic|sp\?)\)", re.IGNORECASE)  # a transcriptionist's 'tea three (sic)'
# a dictation app's time stamps inside a sentence ('on the left it was T six [00:30] and T seven'),
# not a log line's time at the start of its line ('[08:12] Versed 2 mg IV')
# a score quoted as the patient said it ('rated it "about a 3"', 'Pre: "a 7"'): the quote marks as
# blanks, so the score reads as the pain rules know it
_QUOTED_SCORE = re.compile(
    r"(?i)[\"\u201c]((?:(?:about|around|roughly|maybe|like|probably|a|an|only)[ \t]){0,3}"
    r"(?:10|[0-9]|zero|one|two|three|four|five|six|seven|eight|nine|ten)(?:[ \t]?/[ \t]?10)?)[\"\u201d]"
    r"(?![ \t]*(?:->|\u2192|=))"  # (not 'Pre pain: "a five" -> 5/10 NRS', the score restated)
)
# an EHR smart list left unresolved ('{LATERALITY:21213}', '{Blank single:19197::"intra-articular",
# "medial branch block"}'): its options were offered, none chosen, so none was documented
_SMART_LIST = re.compile(r"\{[A-Za-z][A-Za-z /_-]{0,30}:[0-9]{3,6}(?:::[^{}\n]{0,400})?\}")
_TIME_STAMP = re.compile(r"(?<=[\w,.;] )\[[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?\]")
# a generated narrative's picklists, the chosen options starred ('on the [left/*right*/bilateral] side
# at [L3-4/*L4-5*/*L5-S1*]'): read as the chosen options alone ('right', 'L4-5, L5-S1')
_PICKLIST = re.compile(r"\[([^\[\]\n]{1,300})\]")
_STARRED_CHOICE = re.compile(r"[\[/][ \t]*\*[^*/\[\]\n]{1,120}\*[ \t]*[/\]]")
_SPELLED_IV = re.compile(r"(?<![\w-])I V(?![\w-])")  # a speech engine's 'without I V sedation'
_STOP_AND_BLANKS = ".      "
# a form's dot leader before a colon ('SEDATION GIVEN.........: N', 'PAIN PRE (NRS 0-10)....: 7')
# a template default the physician overrode: 'DEFAULT: bilateral -> RIGHT ONLY TODAY' (the default
# and its arrow as blanks), 'the bilateral (*** RIGHT ***) targets' (the word overridden as blanks)
_OVERRIDDEN_DEFAULT = re.compile(
    r"(?i)\bDEFAULT[ \t]*:[ \t]*[^\n>]{1,80}?(?:->|\u2192|=>)"
    r"|\b(?:bilateral|bilat|left|right)"
    r"(?=[ \t]*\([ \t]*\*{2,}[ \t]*(?:right|left|bilateral)\b[^*\n]{0,30}\*{2,}[ \t]*\))"
)
_DOT_LEADER = re.compile(r"(?<=[\w)#])\.{2,}(?=:)")
# an export's capitalised 'FIELD NAME = value' line ('CONSENT = The nature of ...', 'LEFT LEVELS = L3 MEDIAL
# BRANCH'): the ' = ' after the name is read as ':  ', so the name is a header like 'CONSENT:'
_FIELD_EQUALS = re.compile(r"(?m)^[A-Z][A-Z0-9 /()#&'.,%-]{0,48}?( = )(?=\S)")
# a dictated correction by reference to a level ('In the first paragraph, change T ten eleven to
# T eleven twelve'): the level it replaces, wherever it was said before, is read as blanks
_CHANGED_LEVEL = re.compile(
    r"(?i)\bchange\s+(?:the\s+)?(?P<old>[CTL](?:[ -]?[0-9]{1,2}|[ ](?:one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve))[^\n.,;]{0,24}?)\s+to\s+(?:the\s+)?[CTLS](?:[ -]?[0-9]|[ ][a-z])"
)
# a scheduling system's comment fields ('HX CMT: ...', 'DONE CMT: ...', 'APPT CMT (CHG 02/11 0712): ...'):
# the 'CMT' as blanks, so the field's own name is the header ('HX', 'DONE', 'PLAN')
_COMMENT_LABEL = re.compile(
    r"(?m)^([ \t]{0,4}[A-Z][A-Z/&]{0,11}(?:[ \t][A-Z]{2,8})?[ \t]{1,3})(?:CMT|COMMENT)"
    r"(?=[ \t]{0,3}(?:\([^()\n]{1,40}\)[ \t]{0,3})?:)"
)
# an amended record row ('needle L L4-5 -> corrected to L L3-4'): the level before the arrow
_CORRECTED_LEVEL = re.compile(
    r"(?i)\b[CTL][ -]?[0-9]{1,2}(?:[ ]?[-/][ ]?[CTLS]?[ ]?[0-9]{1,2})?"
    r"(?=[ \t]{0,3}(?:->|\u2192|=>)[ \t]{0,3}(?:corrected|changed|amended)[ \t]+to\b)"
)
_TYPOGRAPHY_MAP = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2794": "\u2192",
    "\u279c": "\u2192",
    "\u279d": "\u2192",
    "\u279e": "\u2192",
    "\u27f6": "\u2192",
    "\u21d2": "\u2192",
    "\u25b6": "\u2192",
    "\u25ba": "\u2192",
    # the masculine ordinal and the ring above typed for a degree sign ('80 \u00baC', '90\u02daC')
    "\u00ba": "\u00b0",
    "\u02da": "\u00b0",
}
_TYPOGRAPHY = str.maketrans(_TYPOGRAPHY_MAP)
_TYPOGRAPHIC = frozenset(_TYPOGRAPHY_MAP)
_MARKUP = re.compile(
    r"(?i)&(?:nbsp|amp|gt|lt|quot|apos|#39|deg|#[0-9]{2,5});|<(?:br|p|/p|b|/b|i|/i)[ \t]?/?>"
)
_ENTITY_CHARACTER = {
    "&deg;": "\u00b0",
    "&amp;": "&",
    "&gt;": ">",
    "&lt;": "<",
    "&quot;": '"',
    "&apos;": "'",
    "&#39;": "'",
}


# the tags of XHTML or C-CDA narrative markup pasted as-is ('<paragraph><content styleCode="Bold">
# Sedation:</content> none</paragraph>', '<tr><td>L4-L5</td><td>Right</td></tr>'): blanks, so a
# header opens its line; a table cell's tag as a pipe, so a row reads as a pipe table's row
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:]{0,20}(?:[ \t][^<>\n]{0,300})?/?>")
_CELL_TAG = re.compile(r"<t[dh]\b|</tr\b", re.IGNORECASE)


def _tag_blank(match: re.Match[str]) -> str:
    found = match.group(0)
    return ("|" if _CELL_TAG.match(found) else " ") + " " * (len(found) - 1)


def _markup_blank(match: re.Match[str]) -> str:
    """An entity as its character, a tag as a blank, padded to the same length."""
    found = match.group(0)
    if found.startswith("&#") and found != "&#39;":
        code = int(found[2:-1])  # '&#176;' (the degree sign), '&#8805;' (>=)
        character = chr(code) if 32 <= code <= 0xFFFF and not 0xD800 <= code <= 0xDFFF else " "
    else:
        character = _ENTITY_CHARACTER.get(found.lower(), " ")
    if character == "\u00b0":
        return " " * (len(found) - 1) + character  # '85&deg;C' -> '85    °C', the sign beside its unit
    return character + " " * (len(found) - 1)


def _chosen_options(match: re.Match[str]) -> str:
    """A picklist as its starred options, the rest blanks (an option list with none starred is
    all blanks: nothing was chosen); same length."""
    options = match.group(1).split("/")
    if len(options) < 2:
        return match.group(0)
    chosen = [len(o.strip()) > 2 and o.strip().startswith("*") and o.strip().endswith("*") for o in options]
    out = [" "]
    for index, (option, pick) in enumerate(zip(options, chosen, strict=True)):
        if index:
            out.append("," if pick and chosen[index - 1] else " ")  # '*L4-5*/*L5-S1*' -> 'L4-5 , L5-S1'
        out.append(option.replace("*", " ") if pick else " " * len(option))  # each option stays in place
    out.append(" ")
    return "".join(out)


def _unsay_changed_levels(text: str) -> str:
    """The level each 'change X to Y' replaces, as blanks up to the correction: what the
    dictation said first is not what was done."""
    for change in _CHANGED_LEVEL.finditer(text):
        old = change.group("old")
        said = change.end("old")  # (the correction's own mention of it too)
        text = text[:said].replace(old, " " * len(old)) + text[said:]
    return text


def plain_typography(text: str) -> str:
    """Every dash as '-' and every blank as a space ('T12\u2011L1' -> 'T12-L1'), same length."""
    if text.isascii() or not any(c in _TYPOGRAPHIC for c in text):
        return text
    return text.translate(_TYPOGRAPHY)


# a number dictated digit by digit before its unit ('nine zero percent better', 'eight zero degrees',
# 'four zero milligrams'; not 'point five zero percent', a concentration): its digits, then blanks.
# The units are found first and the two words before each are read: running one regex for the
# words over the whole note, four times a note, cost 0.5 ms.
_DIGIT_PAIR_BEFORE = re.compile(
    r"(?i)(?<!point )\b(one|two|three|four|five|six|seven|eight|nine) "
    r"(zero|one|two|three|four|five|six|seven|eight|nine) \Z"
)
_DIGIT_UNITS = ("percent", "per cent", "degrees", "milligrams", "gauge")
_DIGIT_UNIT = re.compile(r"(?i)(?<= )(?:" + "|".join(_DIGIT_UNITS) + r")\b")
_DIGIT = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip


def _digit_numbers(text: str) -> str:
    pieces: list[str] = []
    last = 0
    for unit in _DIGIT_UNIT.finditer(text):
        pair = _DIGIT_PAIR_BEFORE.search(text, max(0, unit.start() - 30), unit.start())
        if pair is None or pair.start() < last:
            continue
        number = _DIGIT[pair.group(1).lower()] + _DIGIT[pair.group(2).lower()]
        words_end = pair.end() - 1  # (the blank before the unit stays)
        pieces += [text[last : pair.start()], number, " " * (words_end - pair.start() - 2)]
        last = words_end
    return "".join(pieces) + text[last:] if pieces else text


# a form exported as numbered questions and answers ('Q7. Sedation?' over 'A7. None - pt declined'):
# the question reads as a header ('    Sedation:'), the answer's number as blanks
_QUESTION = re.compile(r"(?m)^Q[0-9]{1,2}[.):][ \t]?(?=[^\n?]{1,80}\?[ \t]*$)")
_OPTIONS = re.compile(r"\([^()\n/]{1,30}/[^()\n]{1,30}\)")
_ANSWER = re.compile(r"(?m)^A[0-9]{1,2}[.):][ \t]?")


def _questions_as_headers(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if _QUESTION.match(line):
            line = _QUESTION.sub(lambda m: " " * len(m.group(0)), line, count=1)
            line = _OPTIONS.sub(lambda m: " " * len(m.group(0)), line)  # ('Block number (#1 / #2)?')
            mark = line.rstrip(" \t").rfind("?")
            line = line[:mark] + ":" + line[mark + 1 :]
        elif _ANSWER.match(line):
            line = _ANSWER.sub(lambda m: " " * len(m.group(0)), line, count=1)
        out.append(line)
    return "\n".join(out)


# an ultrasound probe's model ('linear probe (L15-4)', 'C5-1 curvilinear transducer'), not a level
_PROBE_MODEL = re.compile(
    r"(?i)(?<=probe \()[LC][0-9]{1,2}-[0-9]{1,2}(?=\))|(?<=transducer \()[LC][0-9]{1,2}-[0-9]{1,2}(?=\))"
    r"|\b[LC][0-9]{1,2}-[0-9]{1,2}(?=[ \t]+(?:linear|curvilinear|probe|transducer)\b)"
)


def _field_colon(match: re.Match[str]) -> str:
    return match.group(0)[: match.start(1) - match.start(0)] + ":  "


def _typist_marks(text: str) -> str:
    """Each typist's mark that opens a bracket, and the bracket's close, as blanks."""
    pieces: list[str] = []
    position = 0
    for mark in _TYPIST_MARK.finditer(text):
        if mark.start() < position:
            continue
        close = text.find("]", mark.end(), mark.end() + 120)
        if close == -1 or "\n" in text[mark.end() : close]:
            continue
        pieces += [
            text[position : mark.start()],
            " " * (mark.end() - mark.start()),
            text[mark.end() : close],
            " ",
        ]
        position = close + 1
    pieces.append(text[position:])
    return "".join(pieces)


def rule_text(text: str) -> str:
    if "_" in text:
        text = text.replace("_", " ")
    if " comma" in text:
        text = _SPOKEN_COMMA.sub(_COMMA_AND_BLANKS, text)
    if "number sign" in text or "Number sign" in text:
        text = _NUMBER_SIGN.sub(lambda m: "#" + " " * (len(m.group(0)) - 1), text)
    text = abbreviation_key(skipped_rows(copied_forward(voided_text(text))))
    if "DEFAULT" in text or "***" in text:
        text = _OVERRIDDEN_DEFAULT.sub(lambda m: " " * len(m.group(0)), text)
    if "~~" in text or "[" in text:
        text = _STRUCK.sub(lambda m: " " * len(m.group(0)), text)
        if "[" in text:
            text = _typist_marks(text)
    if "(sic)" in text or "(SIC)" in text or "(sp?)" in text:
        text = _SIC.sub(lambda m: " " * len(m.group(0)), text)
    if '"' in text or "\u201c" in text:
        text = _QUOTED_SCORE.sub(lambda m: " " + m.group(1) + " ", text)
    if "{" in text:
        text = _SMART_LIST.sub(lambda m: " " * len(m.group(0)), text)
    if ":" in text and "[" in text:
        text = _TIME_STAMP.sub(lambda m: " " * len(m.group(0)), text)
    if "*" in text and "[" in text and _STARRED_CHOICE.search(text):
        text = _PICKLIST.sub(_chosen_options, text)
    if "I V" in text:
        text = _SPELLED_IV.sub("IV ", text)
    if " period." in text:
        text = _SPOKEN_PERIOD.sub(_STOP_AND_BLANKS, text)
    text = spoken_retractions(text)
    text = misheard_words(text)
    if "CMT" in text or "COMMENT" in text:
        text = _COMMENT_LABEL.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)
    text = plain_typography(fixed_mojibake(text))
    if "&" in text or "<" in text:
        text = _MARKUP.sub(_markup_blank, text)
        if "</" in text:
            text = _TAG.sub(_tag_blank, text)
    text = ocr_digits(text)
    text = continental_levels(text)
    text = ordinal_anatomy(text)
    text = hl7_fields(text)
    text = json_fields(text)
    text = markdown_marks(text)
    text = picked_options(text)
    text = repeated_keys(text)
    text = spanish_words(text)
    if any(unit in text for unit in _DIGIT_UNITS):
        text = _digit_numbers(text)
    if "Q1" in text and "A1" in text:
        text = _questions_as_headers(text)
    if "probe" in text or "transducer" in text:
        text = _PROBE_MODEL.sub(lambda m: " " * len(m.group(0)), text)
    if " = " in text:
        text = _FIELD_EQUALS.sub(_field_colon, text)
    if "..:" in text:
        text = _DOT_LEADER.sub(lambda m: " " * len(m.group(0)), text)
    if "change" in text or "Change" in text:
        text = _unsay_changed_levels(text)
    if " to " in text and ("corrected" in text or "changed" in text or "amended" in text):
        text = _CORRECTED_LEVEL.sub(lambda m: " " * len(m.group(0)), text)
    return text


@lru_cache(maxsize=4)
def note_rule_text(text: str) -> str:
    """``rule_text`` of a whole note, kept for the next stage that asks: the sections, the targets
    and the fact builders each read the whole note this way (0.1-0.4 ms a note each)."""
    return rule_text(text)
