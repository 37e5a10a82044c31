"""Sentence boundaries for clinical layout (headers, bullet lists, bare newlines, run-on
dictation), decided between tokens.

A boundary falls before a token when the token before it

- holds a newline, unless the line looks hard-wrapped (a long line, or a fairly long one under
  a long one, that does not end in punctuation, followed by a lower-case word, with no blank
  line between);
- ends in sentence-final punctuation with a space after it, and the next token starts with a
  capital, a digit or a list mark, or the stop follows a real word (dictation), unless it is
  an abbreviation or dots leading to a number ('PRE-PROCEDURE ...... 7');
- is the dictated word "period" / "paragraph" (not "period of", "period the", "period was";
  "period The" is a stop);
- is a spaced pipe between fields ('Lvl: L5-S1 | Side: B'), not in a table row (a line that
  starts with a pipe), or a spaced double pipe or double slash anywhere ('Proc: ... || Lvl:
  ... || Side: LT', 'DX MBB #2 // B L4-5 + L5-S1 // NO SED');
- is a spaced semicolon before a field label ('MBB #2 B L3-4, L4-5 ; Hx: ... ; Sed: none').

Only tokens that can satisfy one of these are looked at: they are found with a regex over
the text (newlines, punctuation before a space, the two words), then tested on the token
offsets, so the cost does not grow with a Python loop over every token. Chosen over PyRuSH,
which logs note tokens through loguru and costs ~20x the tokenizer.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

SENT_END = re.compile(r"[.!?]+[\"')\]]*$")
ABBREVIATIONS = frozenset(
    {
        "Dr.",
        "Mr.",
        "Ms.",
        "Mrs.",
        "vs.",
        "approx.",
        "e.g.",
        "i.e.",
        "approx",
        "resp",
        "incl",
        "St.",
        "Mt.",
        "Jr.",
        "Sr.",
    }
)
# the Latin nerve names shortened ('R. med. L III', 'R. dors. L V'): the stop is not a sentence's end
NERVE_ABBREVIATIONS = frozenset({"med", "dors"})
# Short words a dictated sentence ends on ('... the confirmatory one. first block on ...',
# '... eight out of ten. after ...'); other short words before a stop may be abbreviations ('inj.').
SHORT_SENTENCE_END_WORDS = frozenset(
    {"it", "up", "one", "two", "six", "ten", "him", "her", "ago", "day", "now", "yes", "too", "out", "off"}
)
NEWLINE_JOIN_MIN_LINE = 70
WRAPPED_MIN_LINE = 55  # a shorter line still wraps when the line above reached the wrap width
_ABOVE_REACH = 200
LIST_STARTS = "#-*•("
# Each starts with a character class so ``re`` skips ahead in C. A token is "period" in any
# case only if its letters are ASCII ("İ" lower-cases to two characters).
_NEWLINE = re.compile(r"\n")
_STOP_BEFORE_SPACE = re.compile(r"[.!?\"')\]](?= )")
_PIPE = re.compile(r"\|")
_SPACED_DOUBLE_SLASH = re.compile(r"(?<= )//(?= )")
_SPACED_SEMICOLON = re.compile(r"(?<= );(?= )")
_BRACKET = re.compile(r"[\[\]]")
ASIDE_MIN = 12  # '[LBP x3 yrs; s/p B L4/5 MBB x2 2022]' is an aside; '[X]', '[ 7 ]' are not
_ASIDE_REACH = 300
# ('sed: none', and a registry export's keys: 'adverseEvent:', 'observation.painScore.pre:')
_FIELD_LABEL = re.compile(r"[a-z][a-z/ ]{0,15}:|[a-z]+(?:[A-Z][A-Za-z]*|\.[A-Za-z]+){1,4}:")
_ANY_FIELD_LABEL = re.compile(r"[A-Za-z][A-Za-z/ ()-]{0,20}:(?=[ \t])")
_PAREN_WORD = re.compile(r"\([a-z]{2}[^()\n]{0,40}\)")  # a short aside, not a parenthesised sentence
_LEVEL_START = re.compile(r"[CTL][0-9]")
_DICTATED_BREAK = re.compile(r"[pP](?=[eE][rR][iI][oO][dD]|[aA][rR][aA][gG][rR][aA][pP][hH])")


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """(start, end) character offsets of every token, without trailing whitespace."""
    array = doc.to_array([IDX, LENGTH])
    starts = array[:, 0].tolist()
    ends = (array[:, 0] + array[:, 1]).tolist()
    return starts, ends


def sentence_bounds(text: str, starts: list[int], ends: list[int]) -> list[list[int]]:
    """[[start, end], ...] character bounds of the sentences; see the module doc."""
    count = len(starts)
    if count == 0:
        return [[0, len(text)]]
    # the token after the one holding a newline / ending in a stop before a space / starting
    # with "period" or "paragraph"
    candidates = {bisect_right(starts, m.start()) for m in _NEWLINE.finditer(text)}
    candidates.update(bisect_right(starts, m.start()) for m in _STOP_BEFORE_SPACE.finditer(text))
    candidates.update(bisect_right(starts, m.start()) for m in _DICTATED_BREAK.finditer(text))
    candidates.update(bisect_right(starts, m.start()) for m in _PIPE.finditer(text))
    candidates.update(bisect_right(starts, m.start()) for m in _SPACED_SEMICOLON.finditer(text))
    candidates.update(bisect_right(starts, m.start()) for m in _SPACED_DOUBLE_SLASH.finditer(text))
    # the token starting at an opening bracket, and the token after a closing one
    candidates.update(
        bisect_right(starts, m.start() - 1) if m.group() == "[" else bisect_right(starts, m.start())
        for m in _BRACKET.finditer(text)
    )
    boundaries = [0]
    for index in sorted(candidates):
        if 0 < index < count and is_boundary(text, starts, ends, index):
            boundaries.append(starts[index])
    return [[start, end] for start, end in zip(boundaries, boundaries[1:] + [len(text)], strict=True)]


def is_boundary(text: str, starts: list[int], ends: list[int], index: int) -> bool:
    """Whether a sentence starts at token ``index`` (> 0); see the module doc."""
    previous = text[starts[index - 1] : ends[index - 1]]
    token = text[starts[index] : ends[index]]
    if "\n" in previous:
        if previous.count("\n") > 1:
            return True  # a blank line ends a paragraph, however long its last line ran
        if _FIELD_LABEL.match(text, starts[index]):
            return True  # '... | skin lido\nsed: none (pt declined)': a field label starts a line
        if _PAREN_WORD.match(text, starts[index]):
            token = text[starts[index] + 1 : ends[index] + 1]  # "...and T8-9\n(right) facet joints"
        return not _is_hard_wrap(text, starts[index - 1], ends[index - 1], token, starts[index])
    if token == "[" and bracket_aside_end(text, starts[index]) is not None:
        return True  # '... IA facet inj, therapeutic [LBP x3 yrs; s/p B L4/5 MBB x2 2022] / fluoro'
    if previous == "]" and bracket_aside_start(text, starts[index - 1]) is not None:
        return True
    spaced = ends[index - 1] < starts[index]
    if previous == "|" and spaced and not in_table_row(text, starts[index]):
        return True  # 'Lvl: L5-S1 | Side: B | no vasc | bupi 0.5%': each field is a sentence
    double_pipe = previous == "||" or (
        previous == "|" and text[starts[index - 1] - 1 : starts[index - 1]] == "|"
    )
    if spaced and double_pipe:
        return True  # a quick-text macro's 'Proc: ... || Lvl: ... || Side: LT': never a table's cell
    if spaced and previous == "//" and text[starts[index - 1] - 1 : starts[index - 1]] == " ":
        return True  # a procedure board's 'DX MBB #2 // B L4-5 + L5-S1 // NO SED // NRS 8 → 2'
    if (
        previous == ";"
        and spaced
        and text[starts[index - 1] - 1 : starts[index - 1]] == " "
        and _ANY_FIELD_LABEL.match(text, starts[index])
    ):
        return True  # 'MBB #2 B L3-4, L4-5 ; Hx: MBB #1 ... ; Sed: no IV sedation ; ...'

    if (
        spaced
        and SENT_END.search(previous)
        and not _is_leader(previous, token)
        and (
            token[:1].isupper()
            or token[:1].isdigit()
            or token[:1] in LIST_STARTS
            or _after_word(text, starts, ends, index - 1, previous)
        )
    ):
        return (
            previous not in ABBREVIATIONS
            and not _abbreviation_before_number(text, starts, ends, index)
            and not _nerve_abbreviation(text, starts, ends, index)
        )
    # ("a period of", "for a period the ..." are words; "... period The first block" is a stop)
    return previous.lower() in ("period", "paragraph") and token not in ("of", "the", "was")


def _word_before_split_stop(text: str, starts: list[int], ends: list[int], index: int) -> str | None:
    """The word (lower case) the tokenizer split a stop from, right before token ``index``."""
    if index < 2 or text[starts[index - 1] : ends[index - 1]] != "." or ends[index - 2] != starts[index - 1]:
        return None
    return text[starts[index - 2] : ends[index - 2]].lower()


def _abbreviation_before_number(text: str, starts: list[int], ends: list[int], index: int) -> bool:
    """'he reported approx. 75% relief': the tokenizer split the stop from 'approx'."""
    word = _word_before_split_stop(text, starts, ends, index)
    before_number = text[starts[index] : starts[index] + 1].isdigit()
    return word is not None and word + "." in ABBREVIATIONS and before_number


def _nerve_abbreviation(text: str, starts: list[int], ends: list[int], index: int) -> bool:
    return _word_before_split_stop(text, starts, ends, index) in NERVE_ABBREVIATIONS


def _is_leader(previous: str, token: str) -> bool:
    """Dots leading to a value ('PRE-PROCEDURE ............ 7'), not the end of a sentence."""
    return len(previous) >= 2 and not previous.strip(".") and token[:1].isdigit()


def in_table_row(text: str, offset: int) -> bool:
    """Whether the line holding ``offset`` is a table row: it starts with a pipe after blanks,
    or it has two or more pipes, as the line above or below it has ('L3-L4  | LEFT  | IA',
    a table without borders), or one pipe in the same column as the line above or below (a
    two-column form). A row's cells are one statement, where pipes elsewhere part shorthand
    fields ('Proc: ... | Side: B | Img: none')."""
    floor = max(0, offset - 400)
    line_start = text.rfind("\n", floor, offset) + 1
    if line_start == 0 and floor > 0:
        return False  # a line over 400 characters long is prose or a pasted blob, not a row
    line_end = text.find("\n", offset, offset + 400)
    line = text[line_start : line_end if line_end != -1 else offset + 400]
    if line.lstrip(" \t").startswith("|"):
        return True
    pipes = line.count("|")
    if pipes == 1:
        # a two-column form ('Pre / Post VAS          | 7 / 2'): its one pipe sits in the
        # same column as the pipe of the row above or below
        column = line.index("|")
        return any(
            neighbour.count("|") == 1 and neighbour.find("|") == column
            for neighbour in (_line_before(text, line_start), _line_after(text, line_end))
        )
    if pipes < 2:
        return False
    return pipes in (_line_before(text, line_start).count("|"), _line_after(text, line_end).count("|"))


def bracket_aside_end(text: str, opening: int) -> int | None:
    """Where the bracketed aside that opens at ``opening`` closes: on the same line, at least
    ``ASIDE_MIN`` characters on, with parts of its own (';' or ': ') or the only brackets on its
    line. A history note in a line of shorthand is a sentence of its own: its 's/p' and '2022'
    must not reach today's fields. None for a checkbox, a short value or a template's fill-in."""
    window = text[opening + 1 : opening + _ASIDE_REACH]
    close = window.find("]")
    content = window[:close]
    if close < ASIDE_MIN or "[" in content or "\n" in content:
        return None
    if (
        ";" not in content
        and ": " not in content
        and _other_brackets_on_line(text, opening, opening + 1 + close)
    ):
        return None  # a template's fill-ins ('with [1% lidocaine, 2 mL per site]. A [22g] needle')
    return opening + 1 + close


def _other_brackets_on_line(text: str, opening: int, closing: int) -> bool:
    floor = max(0, opening - _ASIDE_REACH)
    line_start = text.rfind("\n", floor, opening) + 1
    line_end = text.find("\n", closing, closing + _ASIDE_REACH)
    after = text[closing + 1 : line_end if line_end != -1 else closing + _ASIDE_REACH]
    return "[" in text[max(line_start, floor) : opening] or "[" in after


def bracket_aside_start(text: str, closing: int) -> int | None:
    """Where the aside that closes at ``closing`` opened (see ``bracket_aside_end``)."""
    floor = max(0, closing - _ASIDE_REACH)
    opening = text.rfind("[", floor, closing)
    if opening == -1 or bracket_aside_end(text, opening) != closing:
        return None
    return opening


def _line_before(text: str, line_start: int) -> str:
    if line_start == 0:
        return ""
    end = line_start - 1
    floor = max(0, end - 400)
    return text[max(text.rfind("\n", floor, end) + 1, floor) : end]


def _line_after(text: str, line_end: int) -> str:
    if line_end == -1:
        return ""
    end = text.find("\n", line_end + 1, line_end + 401)
    return text[line_end + 1 : end if end != -1 else line_end + 401]


def _after_word(text: str, starts: list[int], ends: list[int], stop: int, stop_text: str) -> bool:
    """A full stop after a real word ends a sentence even before a lower-case word (dictation)."""
    if stop_text != "." or stop == 0:
        return False
    word = text[starts[stop - 1] : ends[stop - 1]]
    return (
        word.isalpha()
        and (len(word) >= 4 or word.lower() in SHORT_SENTENCE_END_WORDS)
        and word.lower() not in ABBREVIATIONS
    )


def _is_hard_wrap(text: str, previous_start: int, previous_end: int, token: str, next_start: int) -> bool:
    level = _LEVEL_START.match(token) is not None
    # ('Two left third occipital nerve blocks' / '(#1 03/2030, #2 04/2030) each gave 80% relief': a
    # bracket of numbered sessions goes on the wrapped sentence; other brackets may open a list item)
    bracket = text[next_start : next_start + 2] == "(#"
    if not token[:1].islower() and not level and not bracket:
        return False
    line_start = text.rfind("\n", 0, previous_start) + 1
    line = text[line_start:previous_end].rstrip()
    if level and not (line[-1:].isalpha() and "|" not in line and "\t" not in line and line.count(";") < 2):
        return (
            False  # prose ('... we will consider left' / 'C3-4 and C4-5 medial branch blocks'), not a table
        )
    return (
        (
            len(line) >= NEWLINE_JOIN_MIN_LINE
            or (
                not level
                and len(line) >= WRAPPED_MIN_LINE
                and line.lstrip()[:1] not in LIST_STARTS
                and _line_above_full(text, line_start)
            )
        )
        and not line.endswith((".", ":", ";", "!", "?"))
        and not _short_line_inside_paragraph(text, next_start, len(line))
    )


def _line_above_full(text: str, line_start: int) -> bool:
    """The line above runs to the wrap width: a paragraph wrapped at ~75 columns whose next
    line is a little shorter ('... cool cloth. Recovered over ~5 min. The left' / 'side was
    NOT started') is still wrapped."""
    if line_start == 0:
        return False
    floor = max(0, line_start - 1 - _ABOVE_REACH)
    above_start = text.rfind("\n", floor, line_start - 1)
    above = text[above_start + 1 if above_start != -1 else floor : line_start - 1]
    return len(above.rstrip()) >= NEWLINE_JOIN_MIN_LINE


def _short_line_inside_paragraph(text: str, start: int, width: int) -> bool:
    """'... last ia 11/24 lasted ~5mo' then 'declined sedation' then 'prone, under fluoro ...':
    a wrapped paragraph's only short line is its last; a short line with more text below it,
    and no full stop, is a statement of its own."""
    line_end = text.find("\n", start, start + width)
    if line_end == -1 or (line_end - start) * 2 >= width or text[start:line_end].rstrip().endswith("."):
        return False  # ('Today = second (confirmatory)' / 'diagnostic block.' ends the wrapped sentence)
    following = text[line_end + 1 : line_end + 200].lstrip(" \t")
    return bool(following) and following[:1] != "\n"
