"""A JSON record pasted into a note reads as 'label: value' text in the same width."""

from __future__ import annotations

from extractor.nlp.json_fields import json_fields
from extractor.nlp.rule_text import rule_text


def test_quotes_are_blanks_and_literals_are_words() -> None:
    record = '{\n  "sedation_given": false,\n  "pain": {"pre": 6, "post": 2},\n  "notes": null\n}'
    read = json_fields(record)
    assert len(read) == len(record) == len(rule_text(record))
    assert "sedation_given:  no   ," in read
    assert "pre:  6,  post:  2" in read
    assert "notes:      " in read
    assert '"' not in read


def test_prose_with_quotes_is_left_alone() -> None:
    prose = 'He said "it is true": the left was worse. {see above}'
    assert json_fields(prose) == prose
