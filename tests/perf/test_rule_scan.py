"""``RuleScanner`` finds exactly what ``finditer`` finds: our rule files, ConText cues and section
headers on every corpus note and on generated text, and small rule sets built to hit the corners
(a rule that can match the empty string, look-behinds, case-sensitive rules, non-ASCII letters
that IGNORECASE folds to ASCII, rules with their own groups)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.nlp.components import rule_scanner
from extractor.nlp.rule_data import context_rule_dicts, rule_body, section_rule_patterns, target_files
from extractor.nlp.rule_scan import RuleScanner
from extractor.nlp.sections import section_scanner
from extractor.nlp.start_keys import ASCII_FOLDS, key_text, start_keys

OUR_PASSES = [[rule_body(rule) for rule in rules] for _, rules in target_files()] + [
    [rule["pattern"]] for rule in context_rule_dicts()
]


def finditer_matches(passes, text: str, flags: int = re.IGNORECASE) -> list[list[tuple[int, int, int]]]:
    out = []
    for rules in passes:
        regex = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, pattern in enumerate(rules)), flags)
        out.append([(int(m.lastgroup[1:]), m.start(), m.end()) for m in regex.finditer(text)])
    return out


REFERENCE = None


def our_reference(text: str):
    global REFERENCE
    if REFERENCE is None:
        REFERENCE = [
            re.compile("|".join(f"(?P<r{i}>{p})" for i, p in enumerate(rules)), re.IGNORECASE)
            for rules in OUR_PASSES
        ]
    return [[(int(m.lastgroup[1:]), m.start(), m.end()) for m in regex.finditer(text)] for regex in REFERENCE]


def test_our_rules_on_every_corpus_note(notes):
    scanner = rule_scanner()
    differ = [name for name, text in notes if scanner.scan(text) != our_reference(text)]
    assert differ == []


def test_section_headers_on_every_corpus_note(notes):
    regex = re.compile(
        "|".join(f"(?P<r{i}>{p})" for i, p in enumerate(section_rule_patterns())),
        re.IGNORECASE | re.MULTILINE,
    )
    differ = [
        name
        for name, text in notes
        if section_scanner().scan(text)[0]
        != [(int(m.lastgroup[1:]), m.start(), m.end()) for m in regex.finditer(text)]
    ]
    assert differ == []


def shuffled_corpus_text(notes):
    pieces = st.sampled_from(
        [piece for _, text in notes[:60] for piece in re.split(r"(\s+|\W)", text) if piece]
    )
    odd = st.sampled_from(["İ", "ı", "ſ", "K", "é", "•", "–", "≥", "°", "\u00a0", "\t", "\r\n", "ǅ", "ß"])
    return st.lists(st.one_of(pieces, pieces, pieces, odd), max_size=300).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_our_rules_on_generated_text(notes, data):
    text = data.draw(shuffled_corpus_text(notes))
    if data.draw(st.booleans()):
        text = text.upper()
    assert rule_scanner().scan(text) == our_reference(text)


CORNER_PASSES = [
    [r"\bfoo\b", r"\bfo\w*", r"(?-i:BAR)\b", r"(?<=[0-9])\s+L\b", r"(?<=:)\s*(?:none|n/a)\b"],
    [r"x*"],  # can match the empty string: run with finditer itself
    [r"\bst(r)(i)ng\b|\bkelvin", r"é\w+|\w+é", r"\bss\b", r"#\s*\d", r"(?<![a-z])ı"],
    [r";|\(L\)", r"\b[A-Z]{3,}(?=:)"],
]
CORNER_WORDS = [
    "foo", "fool", "FOO", "bar", "BAR", "Bar", "4", " L", "L", ":", " none", "n/a", "x", "xx", "string",
    "STR\u0130NG", "\u017ftring", "\u212aelvin", "Kelvin", "caf\u00e9", "\u00e9clair", "ss", "\u00df", "#",
    " 2", ";", "(L)", "ABC:", "ABCD", " ", "\n", "\u0131", "I",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CORNER_WORDS), max_size=40).map("".join))
def test_corner_rules_on_generated_text(text):
    scanner = corner_scanner()
    assert scanner.scan(text) == finditer_matches(CORNER_PASSES, text)


_CORNER = None


def corner_scanner() -> RuleScanner:
    global _CORNER
    if _CORNER is None:
        _CORNER = RuleScanner(CORNER_PASSES)
    return _CORNER


def test_a_rule_that_can_match_nothing_runs_with_finditer():
    assert start_keys(r"x*") is None
    assert 1 in corner_scanner()._whole


def test_the_ascii_folds_are_all_there_are():
    every = "".join(chr(c) for c in range(128, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    found = {char for char in re.findall(r"[a-z]", every, re.IGNORECASE)}
    assert found == set(ASCII_FOLDS)
    assert all(re.fullmatch(letter, char, re.IGNORECASE) for char, letter in ASCII_FOLDS.items())


def test_key_text_keeps_offsets():
    text = "İstanbul ſ K café • L4"
    keys = key_text(text)
    assert len(keys) == len(text)
    assert keys.startswith("istanbul s k caf\x80")
