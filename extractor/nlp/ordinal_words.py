"""Ordinal words as numbers ('fourth' -> 4), for levels said by ordinal: one table for the level
parser ('the fourth and fifth lumbar') and the rule-text reading of ordinal anatomy ('the joint
below the twelfth thoracic vertebra'), which cannot import the parser (the parser imports the rule
text)."""

from __future__ import annotations

SPELLED_ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
ORDINALS: dict[str, int] = {
    **SPELLED_ORDINALS,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9,
    "10th": 10, "11th": 11, "12th": 12,
}  # fmt: skip
