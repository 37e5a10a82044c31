"""A speech engine's misheard words read as meant, in the same width; the verbs stay verbs."""

from __future__ import annotations

import pytest

from extractor.nlp.misheard_words import misheard_words
from extractor.nlp.rule_data import misheard_words as table
from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("numbed with one percent lie dough cane", "lidocaine"),
        ("point five percent bupi vacate at each", "bupivacaine"),
        ("forty of depot metal", "Depo-Medrol"),
        ("the L three medial ranch", "MB"),
        ("AP and oblique flora scope views", "fluoroscope"),
        ("radio frequency abrasion at eighty degrees", "ablation"),
        ("the L five dorsal ram us", "dorsal ramus"),
    ],
)
def test_phrases_read_as_meant(heard: str, meant: str) -> None:
    read = misheard_words(heard)
    assert meant in read
    assert len(read) == len(heard) == len(rule_text(heard))


def test_sides_read_as_meant_where_the_note_uses_them_so() -> None:
    note = "This was done on the write side and then on the lift. Lift L five S one done."
    read = misheard_words(note)
    assert "right side" in read and "the left" in read and "Left L five" in read
    assert len(read) == len(note)


@pytest.mark.parametrize(
    "kept",
    [
        "Lifting injury at work; I will write the plan. Lift restrictions 20 lb.",
        "She wants to write down her scores every hour.",
    ],
)
def test_verbs_stay_verbs_without_a_misheard_side(kept: str) -> None:
    assert misheard_words(kept) == kept


def test_every_meaning_fits_in_place() -> None:
    data = table()
    for heard, meant in [*data["phrases"].items(), *data["sides"].items()]:
        assert len(meant) <= len(heard), heard
