"""A bilingual dictation's Spanish reads as English in the same width; quotes and 'DOS' stay."""

from __future__ import annotations

import pytest

from extractor.nlp.rule_text import rule_text
from extractor.nlp.spanish_words import spanish_words


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("Pain before ocho de diez.", "Pain before 8/10        ."),
        ("about ochenta y cinco por ciento relief", "about 85 percent                 relief"),
        ("cien por ciento", "100 percent    "),
        ("lesions at cuarenta y dos grados", "lesions at 42 degrees" + " " * 11),
        (
            "the T doce and L uno medial branches, lado isquierdo",
            "the T 12   and L 1   medial branches, lado left     ",
        ),
        ("Sin sedación. izquierdo L4-5, ambos lados", "No sedation . left      L4-5, bilateral  "),
        # a bilingual form's headers and fields, in the case they were written in
        ("Historia / History:", "History  / History:"),
        ("PROCEDIMIENTO REALIZADO / PROCEDURE PERFORMED:", "PROCEDURE PERFORMED     / PROCEDURE PERFORMED:"),
        ("Sedacion / Sedation: ninguna", "Sedation / Sedation: none   "),
    ],
)
def test_spanish_reads_as_english(said: str, read: str) -> None:
    assert spanish_words(said) == read
    assert len(rule_text(said)) == len(said)


@pytest.mark.parametrize(
    "kept",
    [
        "DOS 09/09/2025, dos needles",  # no Spanish marker: nothing is read
        'He said "dolor ocho de diez cuando me subo a la troca" (pain eight out of ten).',
        "L5/S1 sin. bilat.",  # continental Latin 'sin.' (left) is not 'sin sedación'
    ],
)
def test_what_is_not_code_switched_stays(kept: str) -> None:
    assert spanish_words(kept) == kept
