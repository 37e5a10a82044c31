"""Inputs for fuzzing ``code_note`` and the contract every outcome must keep.

Shared by ``test_fuzz.py`` (bounded, in the suite) and ``bench/fuzz.py`` (unbounded in time):

- ``near_notes``: a dev-corpus note with a few edits a real archive makes (deleted spans,
  duplicated lines, left/right swapped, HTML or script tags, a very long line, stray unicode,
  other line endings);
- ``token_soup``: note vocabulary in random order, which reaches rule combinations no corpus
  note has;
- ``unicode_text``: arbitrary text, lone surrogates included (JSON ``"\\ud800"`` decodes to one).

``check_outcome`` codes a text twice and raises ``AssertionError`` (naming the field) if the
result breaks the contract: an exception other than the typed errors of ``extractor.errors``,
an evidence span with ``text[start:end] != evidence.text``, a JSON dump that fails or differs
between the two runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from extractor import code_note
from extractor.errors import DEFAULT_MAX_CHARS, FacetCoderError
from extractor.models import CodingResult, Evidence

ROOT = Path(__file__).resolve().parents[2]
DEV_CORPUS = ROOT / "corpora" / "dev"
PAYERS = ("medicare", "commercial", "rt_lt")

HTML_SNIPPETS = (
    "<script>alert('L4-5')</script>",
    "<b>",
    "</b>",
    "<br/>",
    "</td><td>",
    "<tr><td>Pain</td><td>7</td></tr>",
    "&nbsp;",
    "&lt;L5-S1&gt;",
    "<!-- bilateral -->",
    '<img src=x onerror="alert(1)">',
    "<div style='color:red'>",
    "<![CDATA[",
    "]]>",
)
LONG_LINE_UNITS = (
    "L4-5 ",
    "L",
    "bilateral ",
    "1/10 ",
    "0123456789",
    "/",
    "medial branch ",
    "L4-L5, L5-S1, ",
    "a | ",
    "left right ",
    "0.5% bupivacaine 1 mL ",
    "MBB #2 ",
    "x",
    "\t",
)
NOTE_TOKENS = (
    "L4-5", "L5-S1", "L3-L4", "C7-T1", "T12-L1", "L4", "L5", "S1", "C5", "bilateral", "left",
    "right", "Lt", "Rt", "medial branch block", "MBB", "facet", "joint", "injection",
    "intra-articular", "radiofrequency", "ablation", "RFA", "pulsed", "cooled", "80C", "90 degrees",
    "neurotomy", "cryoneurolysis", "phenol", "fluoroscopy", "fluoroscopic", "CT", "ultrasound",
    "diagnostic", "therapeutic", "#1", "#2", "second", "bupivacaine", "lidocaine 1%", "Kenalog 40 mg",
    "Depo-Medrol", "0.5 mL", "Omnipaque", "PRP", "sedation", "MAC", "midazolam 2 mg", "none", "no",
    "denies", "not", "history of", "previous", "prior", "plan", "will schedule", "if relief",
    "80%", "relief", "NRS", "VAS", "7/10", "1/10", "->", "pre", "post", "aborted", "vasovagal",
    "PROCEDURE:", "PLAN:", "HISTORY:", "INDICATION:", "SEDATION:", "PAIN SCORES:", "|", ":", ";",
    ",", ".", "-", "(", ")", "\n", "\n\n", "\t", " ", "  ",
)  # fmt: skip
_SIDE = re.compile(r"\b(left|right|lt|rt)\b", re.IGNORECASE)
_SWAP = {"left": "right", "right": "left", "lt": "rt", "rt": "lt"}


@cache
def corpus_notes() -> tuple[str, ...]:
    """Every dev-corpus note, in path order."""
    notes = tuple(path.read_text(encoding="utf-8") for path in sorted(DEV_CORPUS.rglob("*.txt")))
    if not notes:
        raise FileNotFoundError(f"no .txt notes under {DEV_CORPUS}")
    return notes


def swap_sides(text: str) -> str:
    """Left and right exchanged, keeping each word's case pattern."""

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        other = _SWAP[word.lower()]
        if word.isupper():
            return other.upper()
        return other.capitalize() if word[0].isupper() else other

    return _SIDE.sub(swap, text)


# -- edits: each takes hypothesis' ``draw`` and the text, and returns the edited text ---------------

Draw = Callable[[st.SearchStrategy[Any]], Any]


def _position(draw: Draw, text: str) -> int:
    return draw(st.integers(0, len(text)))


def delete_span(draw: Draw, text: str) -> str:
    start = _position(draw, text)
    return text[:start] + text[start + draw(st.integers(1, 300)) :]


def duplicate_line(draw: Draw, text: str) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    index = draw(st.integers(0, len(lines) - 1))
    copies = draw(st.integers(1, 3))
    line = lines[index] if lines[index].endswith("\n") else lines[index] + "\n"
    return "".join(lines[:index] + [line] * copies + lines[index:])


def swap_sides_edit(draw: Draw, text: str) -> str:
    return swap_sides(text)


def insert_html(draw: Draw, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(st.sampled_from(HTML_SNIPPETS)) + text[at:]


def insert_unicode(draw: Draw, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(st.text(max_size=12)) + text[at:]


def line_endings(draw: Draw, text: str) -> str:
    return text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\u2028", "\n\n", " "])))


def make_long_line(max_chars: int) -> Callable[[Draw, str], str]:
    """An edit inserting one line of up to ``max_chars`` characters of a repeated unit."""

    def long_line(draw: Draw, text: str) -> str:
        unit = draw(st.sampled_from(LONG_LINE_UNITS))
        length = draw(st.integers(1_000, max_chars))
        at = text.rfind("\n", 0, _position(draw, text)) + 1
        return text[:at] + (unit * (length // len(unit) + 1))[:length] + "\n" + text[at:]

    return long_line


EDITS = (delete_span, duplicate_line, swap_sides_edit, insert_html, insert_unicode, line_endings)


@st.composite
def near_notes(draw: Draw, long_line_chars: int = 20_000, max_edits: int = 4) -> str:
    """A dev-corpus note with 1..``max_edits`` edits; a long line of up to ``long_line_chars``."""
    text = draw(st.sampled_from(corpus_notes()))
    edits = EDITS + ((make_long_line(long_line_chars),) if long_line_chars >= 1_000 else ())
    for edit in draw(st.lists(st.sampled_from(edits), min_size=1, max_size=max_edits)):
        text = edit(draw, text)
    return text


def token_soup(max_tokens: int = 80) -> st.SearchStrategy[str]:
    """Note vocabulary in random order, joined by spaces."""
    token = st.one_of(st.sampled_from(NOTE_TOKENS), st.text(max_size=4))
    return st.lists(token, min_size=1, max_size=max_tokens).map(" ".join)


def unicode_text(max_size: int = 400) -> st.SearchStrategy[str]:
    """Any text: every category hypothesis knows, plus (rarely) lone surrogates."""
    surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
    return st.text(st.one_of(st.characters(), st.characters(codec="ascii"), surrogates), max_size=max_size)


# -- the contract -------------------------------------------------------------------------------------


def evidence_spans(value: Any, where: str = "result") -> Iterator[tuple[str, Evidence]]:
    """Every ``Evidence`` anywhere in ``value`` (models, lists, dicts), with its path."""
    if isinstance(value, Evidence):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from evidence_spans(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from evidence_spans(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from evidence_spans(item, f"{where}[{key!r}]")


def check_spans(text: str, result: CodingResult) -> int:
    """Assert every evidence span is the text at its offsets; return how many there are."""
    count = 0
    for where, evidence in evidence_spans(result):
        count += 1
        assert 0 <= evidence.start <= evidence.end <= len(text), (
            f"{where}: offsets {evidence.start}..{evidence.end} outside a text of {len(text)} characters"
        )
        actual = text[evidence.start : evidence.end]
        assert actual == evidence.text, (
            f"{where}: text[{evidence.start}:{evidence.end}] is {actual!r}, "
            f"evidence.text is {evidence.text!r}"
        )
    return count


def check_outcome(text: str, payer: str = "medicare", max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Code ``text`` twice; return the result JSON, or ``"error:<CODE>"`` for a typed error.

    Any other exception propagates; a broken span or a different second result raises
    ``AssertionError``.
    """
    try:
        result = code_note(text, payer=payer, max_chars=max_chars)
    except FacetCoderError as error:
        again = _error_code(text, payer, max_chars)
        assert again == error.code, f"first run raised {error.code}, second {again}"
        return f"error:{error.code}"
    check_spans(text, result)
    dumped = result.model_dump_json(by_alias=True)
    assert CodingResult.model_validate_json(dumped) == result, "the JSON does not read back as the result"
    second = code_note(text, payer=payer, max_chars=max_chars).model_dump_json(by_alias=True)
    assert second == dumped, "the same input gave a different result the second time"
    return dumped


def _error_code(text: str, payer: str, max_chars: int) -> str | None:
    try:
        code_note(text, payer=payer, max_chars=max_chars)
    except FacetCoderError as error:
        return error.code
    return None
