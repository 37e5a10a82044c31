"""The sentence splitter that tests only regex-found candidates gives the bounds of the original
splitter, which tested every token with spaCy's token attributes (kept here as the oracle)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.nlp.pipeline import load_pipeline
from extractor.nlp.sentences import (
    ABBREVIATIONS,
    NERVE_ABBREVIATIONS,
    NEWLINE_JOIN_MIN_LINE,
    SENT_END,
    SHORT_SENTENCE_END_WORDS,
    WRAPPED_MIN_LINE,
    bracket_aside_end,
    bracket_aside_start,
    in_table_row,
    sentence_bounds,
    token_offsets,
)


def token_attribute_splitter(doc) -> list[list[int]]:
    """The splitter as it was written against spaCy tokens (before issue #7)."""

    def after_word(stop) -> bool:
        if stop.text != "." or stop.i == 0:
            return False
        word = doc[stop.i - 1]
        return (
            word.is_alpha
            and (len(word.text) >= 4 or word.lower_ in SHORT_SENTENCE_END_WORDS)
            and word.lower_ not in ABBREVIATIONS
        )

    def hard_wrap(previous, token) -> bool:
        short_aside = re.match(r"\([a-z]{2}[^()\n]{0,40}\)", text[token.idx :])  # "T8-9\n(right) facet"
        level = re.match(r"[CTL][0-9]", token.text) is not None
        numbered = text[token.idx : token.idx + 2] == "(#"  # '...nerve blocks' / '(#1 03/2030, #2 ...'
        if not token.text[:1].islower() and not short_aside and not level and not numbered:
            return False
        line_start = text.rfind("\n", 0, previous.idx) + 1
        line = text[line_start : previous.idx + len(previous.text)].rstrip()
        if level and not token.text[:1].islower() and not short_aside:
            if not (line[-1:].isalpha() and "|" not in line and "\t" not in line and line.count(";") < 2):
                return False
        above_end = line_start - 1
        above = text[text.rfind("\n", 0, max(above_end, 0)) + 1 : above_end] if line_start else ""
        wrapped_paragraph = (
            not level
            and len(line) >= WRAPPED_MIN_LINE
            and line.lstrip()[:1] not in "#-*•("
            and len(above.rstrip()) >= NEWLINE_JOIN_MIN_LINE
        )
        if (len(line) < NEWLINE_JOIN_MIN_LINE and not wrapped_paragraph) or line.endswith(
            (".", ":", ";", "!", "?")
        ):
            return False
        # a short line (under half the width, no full stop) with more text below stands alone
        next_line = text[token.idx :].split("\n", 1)
        if (
            len(next_line) == 2
            and len(next_line[0]) * 2 < len(line)
            and not next_line[0].rstrip().endswith(".")
        ):
            return not next_line[1].lstrip(" \t")[:1] or next_line[1].lstrip(" \t")[:1] == "\n"
        return True

    text = doc.text
    starts = [0]
    previous = None
    for token in doc:
        if previous is not None:
            boundary = False
            if "\n" in previous.text or ("\n" in previous.whitespace_ and not token.is_space):
                boundary = (
                    previous.text.count("\n") > 1  # a blank line ends the paragraph
                    or bool(
                        re.match(
                            r"[a-z][a-z/ ]{0,15}:|[a-z]+(?:[A-Z][A-Za-z]*|\.[A-Za-z]+){1,4}:",
                            text[token.idx :],
                        )
                    )
                    or not hard_wrap(previous, token)
                )
            elif token.text == "[" and bracket_aside_end(text, token.idx) is not None:
                boundary = True
            elif previous.text == "]" and bracket_aside_start(text, previous.idx) is not None:
                boundary = True
            elif previous.text == "|" and previous.whitespace_ and not in_table_row(text, token.idx):
                boundary = True
            elif previous.whitespace_ and (
                previous.text == "||"
                or (previous.text == "|" and text[previous.idx - 1 : previous.idx] == "|")
            ):
                boundary = True  # a macro's 'Proc: ... || Lvl: ...'
            elif (
                previous.text == "//"
                and previous.whitespace_
                and text[previous.idx - 1 : previous.idx] == " "
            ):
                boundary = True  # a procedure board's 'DX MBB #2 // B L4-5 + L5-S1 // NO SED'
            elif (
                previous.text == ";"
                and previous.whitespace_
                and text[previous.idx - 1 : previous.idx] == " "
                and re.match(r"[A-Za-z][A-Za-z/ ()-]{0,20}:(?=[ \t])", text[token.idx :])
            ):
                boundary = True  # '... L4-5 ; Hx: ...'
            elif (
                SENT_END.search(previous.text)
                and previous.whitespace_
                and not (len(previous.text) >= 2 and set(previous.text) == {"."} and token.text[:1].isdigit())
                and (
                    token.text[:1].isupper()
                    or token.text[:1].isdigit()
                    or token.text[:1] in "#-*•("
                    or after_word(previous)
                )
            ):
                split_from = (
                    doc[previous.i - 1]
                    if previous.text == "." and previous.i > 0 and not doc[previous.i - 1].whitespace_
                    else None
                )
                boundary = (
                    previous.text not in ABBREVIATIONS
                    and not (
                        split_from is not None
                        and split_from.lower_ + "." in ABBREVIATIONS
                        and token.text[:1].isdigit()
                    )  # 'approx. 75%'
                    and not (split_from is not None and split_from.lower_ in NERVE_ABBREVIATIONS)
                )  # 'R. med. L III'
            elif previous.lower_ in ("period", "paragraph") and token.text not in ("of", "the", "was"):
                boundary = True
            if boundary:
                starts.append(token.idx)
        previous = token
    return [[start, end] for start, end in zip(starts, starts[1:] + [len(text)], strict=True)]


def fast(text: str) -> list[list[int]]:
    doc = load_pipeline().make_doc(text)
    return sentence_bounds(text, *token_offsets(doc))


def oracle(text: str) -> list[list[int]]:
    return token_attribute_splitter(load_pipeline().make_doc(text))


def test_every_corpus_note(notes):
    assert [name for name, text in notes if fast(text) != oracle(text)] == []


WORDS = [
    "Dr.", "dr.", "vs.", "e.g.", "approx.", "approx", "resp", "pain", "injection", "the", "The", "of", "was",
    "period", "Period", "PERIOD", "paragraph", "periodic", "L4-5", "1.", "2)", "#", "-", "*", "•", "(R)", ".",
    "?", "!", '."', ".)", "..", "...", "\n", "\n\n", " \n", "\n ", "\t", "  ", "x" * 40, "y" * 75, "word.",
    "Word.", "a", "I", "3", "mg.", "ml.", "İ", "é", "|", "||", ";", "Sed:", "Hx:",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["", " ", " ", "\n"])), max_size=60))
def test_generated_text(pieces):
    text = "".join(word + gap for word, gap in pieces)
    assert fast(text) == oracle(text)


def test_empty_and_blank_text():
    for text in ("", " ", "\n\n", "x"):
        assert fast(text) == oracle(text)


def test_candidates_are_few(notes):
    """Only newlines, stops before a space and the two dictated words are looked at."""
    name, text = max(notes, key=lambda note: len(note[1]))
    candidates = len(re.findall(r"\n|[.!?\"')\]](?= )|[pP](?=eriod|aragraph)", text))
    assert candidates < len(load_pipeline().make_doc(text)) / 2
