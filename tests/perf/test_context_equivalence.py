"""The ConText engine gives every mention the statuses medspaCy's ConText gives it: on every
corpus note with our rules, and on generated notes with rules that use what our JSON does not
(yet): max_scope, max_targets, excluded_types, PSEUDO, same-category modifiers with different
allowed types, cues that cross sentence ends."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.nlp.context_engine import ContextEngine, ContextRule, prune_overlapping
from extractor.nlp.pipeline import load_pipeline
from extractor.nlp.sentences import token_offsets


def test_every_corpus_mention_has_medspacys_statuses(docs):
    differ = []
    for name, fast, reference in docs:
        fast_status = [(m["start"], m["category"], m["status"]) for m in fast._.facet_mentions]
        reference_status = [(m["start"], m["category"], m["status"]) for m in reference._.facet_mentions]
        if fast_status != reference_status:
            differ.append(name)
    assert differ == []


def test_the_corpus_exercises_modifiers(docs):
    statuses = {s for _, fast, _ in docs for m in fast._.facet_mentions for s in m["status"]}
    assert {"NEGATED_EXISTENCE", "HISTORICAL", "HYPOTHETICAL", "FINDING"} <= statuses


RULES = [
    {
        "literal": "no",
        "category": "NEGATED_EXISTENCE",
        "pattern": r"\b(?:no|not|without)\b",
        "direction": "FORWARD",
    },
    {
        "literal": "denies",
        "category": "NEGATED_EXISTENCE",
        "pattern": r"\bdenie[sd]\b",
        "direction": "FORWARD",
        "allowed_types": ["DRUG"],
    },
    {
        "literal": "ruled out",
        "category": "NEGATED_EXISTENCE",
        "pattern": r"\bruled\s+out\b",
        "direction": "BACKWARD",
        "max_scope": 3,
    },
    {
        "literal": "history",
        "category": "HISTORICAL",
        "pattern": r"\bhistory\s+of\b|\bprior\b",
        "direction": "FORWARD",
        "max_targets": 1,
    },
    {
        "literal": "ago",
        "category": "HISTORICAL",
        "pattern": r"\bago\b",
        "direction": "BACKWARD",
        "excluded_types": ["SIDE"],
    },
    {
        "literal": "plan",
        "category": "HYPOTHETICAL",
        "pattern": r"\bwill\b|\bplan\b",
        "direction": "BIDIRECTIONAL",
        "max_scope": 4,
    },
    {
        "literal": "not only",
        "category": "NEGATED_EXISTENCE",
        "pattern": r"\bnot\s+only\b",
        "direction": "PSEUDO",
    },
    {"literal": "but", "category": "TERMINATE", "pattern": r"\bbut\b|;", "direction": "TERMINATE"},
    {"literal": "after", "category": "HISTORICAL", "pattern": r"\bafter\b", "direction": "BACKWARD"},
    {
        "literal": "possible",
        "category": "HYPOTHETICAL",
        "pattern": r"\bpossible\b",
        "direction": "BIDIRECTIONAL",
    },
    {
        "literal": "across",
        "category": "FINDING",
        "pattern": r"\bpain\.\s+Left\b",
        "direction": "BIDIRECTIONAL",
    },
]
WORDS = [
    "no", "not", "only", "without", "denies", "denied", "ruled", "out", "history", "of", "prior", "ago",
    "will", "plan", "but", ";", "pain", "L4-5", "left", "Left", "lidocaine", "block", "the", "patient",
    "had", ".", ",", "\n", "\n\n", "Pain.", "today", "years", "had no pain", "after", "possible",
]  # fmt: skip
TARGETS = {"pain": "SYMPTOM", "l4-5": "LEVEL", "left": "SIDE", "lidocaine": "DRUG", "block": "PROC"}


def medspacy_statuses(rules: list[dict], text: str, targets: list[tuple[int, int, str]]) -> list[list[str]]:
    """medspaCy's ConText on our sentence splitter, targets as spans (as the reference pipeline)."""
    from medspacy.context import ConText, ConTextRule
    from spacy.tokens import Span

    nlp = load_pipeline(reference=True)
    doc = nlp.make_doc(text)
    doc = nlp.get_pipe("facet_sentences_reference")(doc)
    spans = []
    for index, (start, end, label) in enumerate(targets):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(Span(doc, span.start, span.end, label=label, span_id=str(index)))
    doc.spans["generated"] = spans
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = ConText(
            nlp, rules=None, span_attrs=None, input_span_type="group", span_group_name="generated"
        )
        context.add([ConTextRule.from_dict(dict(rule)) for rule in rules])
        context(doc)
    out: list[list[str]] = [[] for _ in targets]
    for span in doc.spans["generated"]:
        for modifier in span._.modifiers:
            if modifier.category not in out[int(span.id_)]:
                out[int(span.id_)].append(modifier.category)
        span._.modifiers = ()
    return out


def engine_statuses(rules: list[dict], text: str, targets: list[tuple[int, int, str]]) -> list[list[str]]:
    nlp = load_pipeline()
    doc = nlp.make_doc(text)
    doc = nlp.get_pipe("facet_sentences")(doc)
    starts, ends = token_offsets(doc)
    cues = [[m.span() for m in re.finditer(rule["pattern"], text, re.IGNORECASE)] for rule in rules]
    engine = ContextEngine([ContextRule.from_dict(rule) for rule in rules])
    sentence_starts = [start for start, _ in doc._.facet_sentences]
    return engine.statuses(starts, ends, sentence_starts, len(text), cues, targets)


def find_targets(text: str) -> list[tuple[int, int, str]]:
    found = [
        (m.start(), m.end(), TARGETS[m.group().lower()])
        for m in re.finditer(r"pain|L4-5|left|lidocaine|block", text, re.I)
    ]
    # the same span twice (two rule files matching the same words) shares its modifiers
    found += [(s, e, "OTHER") for s, e, label in found if label == "PROC"]
    # a target around a modifier: medspaCy's overlap test is one-sided, so it is modified
    found += [(m.start(), m.end(), "PHRASE") for m in re.finditer(r"had\s+no\s+pain", text, re.I)]
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=60),
    st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_generated_notes_get_medspacys_statuses(words, spaces):
    text = "".join(word + (" " if space else "") for word, space in zip(words, spaces, strict=False))
    if not text.strip():
        return
    targets = find_targets(text)
    assert engine_statuses(RULES, text, targets) == medspacy_statuses(RULES, text, targets)


@pytest.mark.parametrize(
    "text",
    [
        "No pain but left block. History of pain, lidocaine and block; ruled out pain ruled out",
        "Patient will not have pain.\nLeft L4-5 block 3 years ago; prior lidocaine",
        "The patient had no pain, had no pain.",
        "not only pain but no block",
        "pain. Left no\nblock plan pain pain pain pain pain will",
    ],
)
def test_hand_written_notes_get_medspacys_statuses(text):
    targets = find_targets(text)
    assert engine_statuses(RULES, text, targets) == medspacy_statuses(RULES, text, targets)


def test_prune_overlapping_is_medspacys():
    from medspacy.common.util import prune_overlapping_matches

    cases = [
        [(0, 0, 2), (1, 1, 3), (2, 2, 5), (3, 4, 6), (4, 0, 2)],
        [(0, 5, 6), (1, 0, 10), (2, 2, 3), (3, 9, 12)],
        [(0, 1, 2), (1, 1, 2), (2, 1, 3)],
    ]
    for matches in cases:
        assert prune_overlapping(list(matches)) == prune_overlapping_matches(list(matches))


def test_unknown_rule_keys_are_named():
    with pytest.raises(KeyError, match="terminated_by"):
        ContextRule.from_dict({"literal": "x", "category": "X", "pattern": "x", "terminated_by": ["Y"]})
