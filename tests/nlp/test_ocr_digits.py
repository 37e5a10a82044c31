"""An OCR'd procedure card's letters where digits belong are read as those digits, and only there."""

from __future__ import annotations

import pytest

from extractor.nlp.ocr_digits import ocr_digits
from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("card", "read"),
    [
        ("DOS O3/14/2O25", "DOS 03/14/2025"),
        ("bupi .S% O.5cc ea", "bupi .5% 0.5cc ea"),
        ("Pain: 7/1O -> l/10 @ 3O min", "Pain: 7/10 -> 1/10 @ 30 min"),
        ("Dx MBB #l   B L4-5 + L LS-S1", "Dx MBB #1   B L4-5 + L L5-S1"),
        ("R C4, CS, C6 rnedial br", "R C4, C5, C6 rnedial br"),
        ("B L3 + L4 rned br, B LS dorsal ramus", "B L3 + L4 rned br, B L5 dorsal ramus"),
        ("VAS pre 6 / post O (3O min)", "VAS pre 6 / post 0 (30 min)"),
        ("#1 -> 7S% relief; NRS pre S/1O", "#1 -> 75% relief; NRS pre 5/10"),
        ('Kenalog 4O rng, 25g 1.S" needle', 'Kenalog 40 rng, 25g 1.5" needle'),
    ],
)
def test_misread_digits_are_read_as_digits(card: str, read: str) -> None:
    assert ocr_digits(card) == read
    assert len(rule_text(card)) == len(card)


@pytest.mark.parametrize(
    "text",
    [
        "O2 sat 98% on RA, O2 2L NC",
        "right L5S1 facet, S1 foramen",
        "LS spine films, L/S junction",
        "3 OR cases; MRI 2019 showed L4-5 DDD",
        "Isovue 0.5 mL, Omnipaque 240",
        "I/O recorded; Lidocaine 1% at L5-S1",
    ],
)
def test_real_letters_stay_letters(text: str) -> None:
    assert ocr_digits(text) == text
