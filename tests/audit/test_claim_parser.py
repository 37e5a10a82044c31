"""parse_claim: every accepted form, and each malformed form naming its bad part."""

from __future__ import annotations

import pytest

from extractor.audit import SubmittedLine, parse_claim
from extractor.errors import InvalidClaim


def lines(claim) -> list[tuple[str, list[str], int]]:
    return [(line.code, line.modifiers, line.units) for line in parse_claim(claim)]


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("64493-50-KX", [("64493", ["50", "KX"], 1)]),
        ("64493-50-KX, 64494-50-KX x1", [("64493", ["50", "KX"], 1), ("64494", ["50", "KX"], 1)]),
        ("64635-RT\n64636-RT x2\n", [("64635", ["RT"], 1), ("64636", ["RT"], 2)]),
        ("64636-LT x 2", [("64636", ["LT"], 2)]),
        ("64636-LT X2", [("64636", ["LT"], 2)]),
        ("64636-LT ×2", [("64636", ["LT"], 2)]),
        ("64636x3", [("64636", [], 3)]),
        ("64636-RTx2", [("64636", ["RT"], 2)]),
        ("0216t-50", [("0216T", ["50"], 1)]),
        ("  64493 - rt - kx ,, 77003 ", [("64493", ["RT", "KX"], 1), ("77003", [], 1)]),
        ("J1010-JZ x80", [("J1010", ["JZ"], 80)]),
        ("64493-KX-50", [("64493", ["KX", "50"], 1)]),
        ("64999", [("64999", [], 1)]),
    ],
)
def test_valid_claim_strings(claim, expected):
    assert lines(claim) == expected


def test_json_lines_with_defaults_and_string_modifiers():
    claim = [
        {"code": "64493", "modifiers": ["50", "kx"], "units": 1},
        {"code": "64494", "modifiers": "50-KX"},
        {"code": "77003"},
        {"code": "64636", "units": "2"},
    ]
    assert lines(claim) == [
        ("64493", ["50", "KX"], 1),
        ("64494", ["50", "KX"], 1),
        ("77003", [], 1),
        ("64636", [], 2),
    ]


def test_submitted_lines_pass_through_and_print_back():
    line = SubmittedLine(code="64636", modifiers=["RT"], units=2)
    assert parse_claim([line]) == [line]
    assert str(line) == "64636-RT x2"
    assert parse_claim(str(line)) == [line]


@pytest.mark.parametrize(
    ("claim", "names"),
    [
        ("6449-50", ["line 1", "'6449'", "not a procedure code"]),
        ("64493-50, 6449A1", ["line 2", "'6449A1'"]),
        ("64493-K", ["'K'", "not a modifier"]),
        ("64493-KX2", ["'KX2'", "not a modifier"]),
        ("64493-", ["''", "not a modifier"]),
        ("64493 x0", ["units '0'"]),
        ("64493 x", ["units ''"]),
        ("64493 x2.5", ["units '2.5'"]),
        ("64493 x1000", ["units '1000'"]),
        ("64493-50-50", ["modifier 50 appears twice"]),
        ("64493 50", ["'64493 50'", "not a procedure code"]),
        ("", ["no lines"]),
        (" ,\n ", ["no lines"]),
        ([], ["no lines"]),
        (64493, ["not int"]),
        ([{"code": "64493", "units": 0}], ["line 1", "units '0'"]),
        ([{"code": "64493", "units": True}], ["line 1", "units"]),
        ([{"modifiers": ["50"]}], ["line 1", "needs a code"]),
        ([{"code": "64493", "mods": ["50"]}], ["unknown field(s) mods"]),
        ([{"code": "64493", "modifiers": [50]}], ["modifiers must be a list of strings"]),
        (["64493-50"], ["line 1", "must be an object"]),
    ],
)
def test_malformed_claims_name_the_bad_part(claim, names):
    with pytest.raises(InvalidClaim) as raised:
        parse_claim(claim)
    for name in names:
        assert name in str(raised.value)
    assert raised.value.code == "INVALID_CLAIM"
