"""A printed pick-list reads as its picked options in the same width; other text stays as written."""

from __future__ import annotations

import pytest

from extractor.nlp.picked_options import picked_options
from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("SIDE:  Left   Right   >>Bilateral<<", "SIDE:                   Bilateral  "),
        ("Nerves:   TON   C3   >>C4<<   >>C5<<", "Nerves:                C4,      C5  "),
        ("Side: ( ) Left   (\u2022) Right   ( ) Both", "Side:                Right           "),
        ("Sedation:  ( ) None   ( ) Minimal", "Sedation:                        "),
        ("Guidance:  fluoroscopy / [CT] / none", "Guidance:                 CT        "),
        ("Levels:  L3-L4 / (L4-L5) / (L5-S1)", "Levels:           L4-L5,    L5-S1 "),
        (
            "Levels (* = selected):\n   L3-L4\n * L4-L5\n\nPlan: L3-L4",
            "Levels (* = selected):\n        \n   L4-L5\n\nPlan: L3-L4",
        ),
        (
            "Levels (select all that apply):\n  L3-L4   *L4-L5   *L5-S1",
            "Levels (select all that apply):\n           L4-L5,   L5-S1",
        ),
        (
            "  C6-7  \u2610 L \u2610 R     PACER\n  C7-T1 \u2612 L \u2612 R\n  T1-2  \u2610 L \u2612 R",
            "                    PACER\n  C7-T1 bilat  \n  T1-2  right  ",
        ),
        ("L5-S1 [ ] LEFT [x] RIGHT\nL4-5 [x] L [ ] R", "L5-S1 right             \nL4-5 left       "),
        # an HTML export's row, its no-break spaces and a decoded box's padding as blanks
        ("L3-L4        \u2610  Right        \u2612   Left", "L3-L4        left                    "),
        (
            "Guidance: \u2612 Fluoroscopy  \u2610 CT  \u2610 Ultrasound",
            "Guidance:   Fluoroscopy                    ",
        ),
        ("IV sedation:  \u2610 Yes  \u2612 No", "IV sedation:           No"),
        ("IV sedation: [ ] Yes [x] No", "IV sedation:             No"),
        # a bilingual form's typed boxes, each option named in two languages
        (
            "Imagen / Imaging: [X] Fluoroscopia / Fluoroscopy   [ ] TC / CT   [ ] Ultrasonido / Ultrasound",
            "Imagen / Imaging:     Fluoroscopia / Fluoroscopy                                             ",
        ),
    ],
)
def test_unpicked_options_are_blanks(written: str, read: str) -> None:
    assert picked_options(written) == read
    assert len(rule_text(written)) == len(written)


@pytest.mark.parametrize(
    "kept",
    [
        "Pain: 7/10 pre / 2/10 post",  # no option wrapped
        "Levels: [L4-L5] / [L5-S1]",  # every option wrapped: nothing to choose between
        "Levels (check all that apply):\n [x] L4-5\n [ ] L5-S1",  # checkboxes, no star
        "* Right L4-5 facet injection\n  under fluoroscopy",  # a bullet, no legend
        "pain 7 -> 2; >> see plan",
        "Sedation: none (declined)",
        "Side: \u2612 Left  \u2612 Right",  # every box ticked: nothing to choose between
        "Consent \u2610 signed",  # one box alone
        "Fluoroscopic guidance: [X]   US: [ ]   CT: [ ]",  # each box after its own label
    ],
)
def test_what_is_not_a_pick_list_stays(kept: str) -> None:
    assert picked_options(kept) == kept
