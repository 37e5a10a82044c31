"""Our tokenizer shortcut (``components.PLAIN_RUN``) must not change a single token."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from extractor.nlp.components import PLAIN_RUN
from extractor.nlp.pipeline import load_pipeline

CORPORA = Path(__file__).resolve().parents[2] / "corpora"
TRICKY = [
    "L4-5 12% 3mm 10/10 1.5 mL 2,000 5x 22G 4/5 (7) [8] 9- -10 +3 #2 3rd 1st",
    "0123456789" * 500,
    "Sedation" + "\t" * 3000 + "none",
    "a" + " " * 4000 + "b\n\n\n\t \t12345\t67890 ",
    "pain 8 \u2192 2, NRS 7/10 -> 1/10; 80%relief 100 %",
    "\u00a0\u2009 L5-S1\u3000 123\u0660\u0661",
]


def _tokens(tokenizer, text: str) -> list[tuple[int, str]]:
    return [(token.idx, token.text) for token in tokenizer(text)]


def test_plain_runs_are_digits_or_blanks_only() -> None:
    assert PLAIN_RUN.fullmatch("0123") and PLAIN_RUN.fullmatch(" \t\n")
    assert (
        not PLAIN_RUN.fullmatch("12%") and not PLAIN_RUN.fullmatch("4-5") and not PLAIN_RUN.fullmatch("1.5")
    )


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_tokens_match_spacy_on_tricky_text(text: str) -> None:
    assert _tokens(load_pipeline().tokenizer, text) == _tokens(spacy.blank("en").tokenizer, text)


def test_tokens_match_spacy_on_every_corpus_note() -> None:
    ours, theirs = load_pipeline().tokenizer, spacy.blank("en").tokenizer
    notes = sorted(CORPORA.rglob("*.txt"))
    assert len(notes) > 400
    differing = [
        path.name for path in notes if _tokens(ours, path.read_text()) != _tokens(theirs, path.read_text())
    ]
    assert not differing
