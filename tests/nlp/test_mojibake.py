"""UTF-8 text read once as Windows-1252 reads as the characters it was, in the same width."""

from __future__ import annotations

import pytest

from extractor.nlp.mojibake import fixed_mojibake
from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("garbled", "read"),
    [
        ("lesion 80\u00c2\u00b0C x 90 s", "lesion 80 \u00b0C x 90 s"),  # the sign stays beside its unit
        ("don\u00e2\u20ac\u2122t", "don\u2019  t"),
        # a box whose last byte was lost
        ("\u00e2\u02dc\u2019 No  \u00e2\u02dc Yes", "\u2612   No  \u2610  Yes"),
        ("If \u00e2\u2030\u00a580%", "If \u2265  80%"),
        ("\u00e2\u20ac\u0153quoted\u00e2\u20ac\u009d", "\u201c  quoted\u201d  "),  # a C1 control kept as is
    ],
)
def test_garbled_runs_read_as_their_characters(garbled: str, read: str) -> None:
    assert fixed_mojibake(garbled) == read
    assert len(rule_text(garbled)) == len(garbled)


@pytest.mark.parametrize(
    "kept",
    [
        "Bilateral L4-5, 80 \u00b0C, \u2610 CT \u2612 fluoro",  # already right
        "Caf\u00e9 au lait spots; na\u00efve to injections",  # accented letters, not garbled pairs
        "\u00c2ge 64",  # a lead byte with nothing after it that continues it
    ],
)
def test_text_that_is_not_garbled_stays(kept: str) -> None:
    assert fixed_mojibake(kept) == kept


def test_rf_temperature_written_garbled_is_read() -> None:
    from extractor import code_note

    result = code_note(
        "Procedure: right L4-5 and L5-S1 radiofrequency neurotomy under fluoroscopy.\n"
        "Lesions at 80\u00c2\u00b0C x 90 sec at each of the L3, L4 medial branches and L5 dorsal ramus."
    )
    assert [p.temperature_c for p in result.procedures] == [80.0]
