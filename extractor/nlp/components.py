"""Our spaCy components. Every value they leave on a Doc is JSON-serialisable.

- ``facet_sentences``: line- and sentence-aware splitting for clinical layout
  (``sentences``); bounds in ``doc._.facet_sentences``.
- ``facet_sections``: our procedure-note section rules (patterns/nlp/sections.json,
  ``sections``); dicts in ``doc._.facet_sections``.
- ``facet_targets``: one sweep over the note for every TargetRule file and every ConTextRule
  cue (``rule_scan``: the matches of one ``finditer`` per file / per rule, without running
  each regex at every character). Target matches become plain-dict mentions in
  ``doc._.facet_mentions``; cue matches ``[rule, start, end]`` go to ``doc._.facet_cues``.
- ``facet_context``: ConText with our rules (patterns/nlp/context_rules.json) computed by
  ``context_engine`` with medspaCy's semantics; the modifier categories become status
  strings on the mentions.

``TextKeepingTokenizer`` keeps the note text on the Doc (``doc._.facet_text``): ``Doc.text``
rebuilds the text from every token in Python, which costs about a third of tokenizing, each
time it is read.

``reference.py`` keeps the previous components (token loop, ``finditer``, medspaCy's ConText)
to check these against.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from .context_engine import ContextEngine, ContextRule
from .rule_data import context_rule_dicts, rule_body, target_files
from .rule_scan import RuleScanner
from .rule_text import note_rule_text
from .sections import find_sections, header_matches, section_scanner
from .sentences import sentence_bounds, token_offsets

for _name in ("facet_text", "facet_sentences", "facet_sections", "facet_mentions", "facet_cues"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class TextKeepingTokenizer:
    """spaCy's tokenizer, also setting ``doc._.facet_text`` to the text it tokenized;
    everything else (serialisation, ``explain``...) is the wrapped tokenizer's."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc._.facet_text = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


# A run of digits or of blanks has no prefix, suffix or infix in spaCy's English rules, so it is
# one token either way; saying so up front skips the affix searches, which grow faster than the
# run (100,000 digits: 178 ms -> 30 ms; 'Sedation' + 100,000 tabs: 145 ms -> 21 ms, and x90
# against 12,500 tabs before). tests/nlp/test_tokenizer.py checks the tokens stay the same.
PLAIN_RUN = re.compile(r"[0-9]+|\s+")


@registry.tokenizers("facet_coder.Tokenizer.v1")
def create_tokenizer() -> Any:
    """spaCy's English tokenizer (its ``spacy.Tokenizer.v1`` settings) with ``PLAIN_RUN`` as
    ``token_match``, wrapped in ``TextKeepingTokenizer``. Built here rather than by setting
    ``token_match`` on the default tokenizer afterwards: that setter reloads the ~2,700 special
    cases (0.2 s of a 2 s cold start)."""

    def make(nlp: Language) -> TextKeepingTokenizer:
        defaults = nlp.Defaults
        tokenizer = Tokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=PLAIN_RUN.fullmatch,
            url_match=defaults.url_match,
        )
        return TextKeepingTokenizer(tokenizer)

    return make


_OFFSETS = "facet_token_offsets"


def doc_token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Token offsets (``sentences.token_offsets``), kept in ``doc.user_data`` between the
    sentence splitter and ConText, which drops them."""
    offsets = doc.user_data.get(_OFFSETS)
    if offsets is None:
        offsets = doc.user_data[_OFFSETS] = token_offsets(doc)
    return offsets


def note_text(doc: Doc) -> str:
    """The Doc's text, read once (see ``TextKeepingTokenizer``)."""
    text = doc._.facet_text
    if text is None:
        text = doc._.facet_text = doc.text
    return text


@cache
def rule_scanner() -> RuleScanner:
    """One scanner for the target files (passes 0..n-1, ``TARGET_FILES`` order) and the
    ConText cues (one pass per rule, after them)."""
    passes = [[rule_body(rule) for rule in rules] for _, rules in target_files()]
    passes += [[rule["pattern"]] for rule in context_rule_dicts()]
    return RuleScanner(passes)


@cache
def context_engine() -> ContextEngine:
    return ContextEngine([ContextRule.from_dict(rule) for rule in context_rule_dicts()])


@Language.factory("facet_sentences", default_config={})
def make_sentence_splitter(nlp: Language, name: str) -> "FacetSentenceSplitter":
    return FacetSentenceSplitter()


class FacetSentenceSplitter:
    """Sentence bounds ``[[start, end], ...]`` (characters) in ``doc._.facet_sentences``."""

    def __call__(self, doc: Doc) -> Doc:
        starts, ends = doc_token_offsets(doc)
        doc._.facet_sentences = sentence_bounds(note_text(doc), starts, ends)
        return doc


@Language.factory("facet_sections", default_config={})
def make_sectionizer(nlp: Language, name: str) -> "FacetSectionizer":
    return FacetSectionizer()


class FacetSectionizer:
    """Section dicts in ``doc._.facet_sections``; text before the first header has category None."""

    def __init__(self) -> None:
        section_scanner()

    def __call__(self, doc: Doc) -> Doc:
        text = note_text(doc)
        doc._.facet_sections = find_sections(text, header_matches(note_rule_text(text)))
        return doc


@Language.factory("facet_targets", default_config={})
def make_target_matcher(nlp: Language, name: str) -> "FacetTargetMatcher":
    return FacetTargetMatcher()


class FacetTargetMatcher:
    """Mentions (dicts) in ``doc._.facet_mentions``, file by file in text order; ConText cue
    matches in ``doc._.facet_cues``."""

    def __init__(self) -> None:
        self.files = target_files()
        self.scanner = rule_scanner()

    def __call__(self, doc: Doc) -> Doc:
        text = note_text(doc)
        sentence_starts = [start for start, _ in (doc._.facet_sentences or [[0, len(text)]])]
        targets_text = note_rule_text(text)
        if targets_text == text:
            found = self.scanner.scan(text)
        else:
            # targets read snake_case keys as words and a spoken 'comma' as one; ConText cues stay
            # on the note as written, as medspaCy's ConText reads it (each pass still scanned once)
            targets = len(self.files)
            found = self.scanner.scan(text, range(targets, self.scanner.pass_count))
            found[:targets] = self.scanner.scan(targets_text, range(targets))[:targets]
        mentions: list[dict] = []
        for (_, rules), matches in zip(self.files, found, strict=False):
            for index, start, end in matches:
                rule = rules[index]
                while start < end and text[start].isspace():
                    start += 1
                if start >= end:
                    continue
                mentions.append(
                    {
                        "category": rule.category,
                        "rule": rule.literal,
                        "start": start,
                        "end": end,
                        "text": text[start:end],
                        "meta": rule.metadata,
                        "sent": bisect_right(sentence_starts, start) - 1,
                        "status": [],
                    }
                )
        doc._.facet_mentions = mentions
        doc._.facet_cues = [
            [rule, start, end]
            for rule, matches in enumerate(found[len(self.files) :])
            for _, start, end in matches
        ]
        return doc


@Language.factory("facet_context", default_config={})
def make_context(nlp: Language, name: str) -> "FacetContext":
    return FacetContext()


class FacetContext:
    """Appends the categories of the ConText modifiers of every mention to its ``status``."""

    def __init__(self) -> None:
        self.engine = context_engine()

    def __call__(self, doc: Doc) -> Doc:
        offsets = doc.user_data.pop(_OFFSETS, None)
        mentions = doc._.facet_mentions or []
        if not mentions:
            return doc
        text = note_text(doc)
        cues = doc._.facet_cues
        if cues is None:
            cues = [
                [rule, start, end]
                for rule, matches in enumerate(rule_scanner().scan(text)[len(target_files()) :])
                for _, start, end in matches
            ]
        by_rule: list[list[tuple[int, int]]] = [[] for _ in self.engine.rules]
        for rule, start, end in cues:
            by_rule[rule].append((start, end))
        starts, ends = offsets or token_offsets(doc)
        sentence_starts = [start for start, _ in (doc._.facet_sentences or [[0, len(text)]])]
        statuses = self.engine.statuses(
            starts,
            ends,
            sentence_starts,
            len(text),
            by_rule,
            [(m["start"], m["end"], m["category"]) for m in mentions],
        )
        for mention, status in zip(mentions, statuses, strict=True):
            for category in status:
                if category not in mention["status"]:
                    mention["status"].append(category)
        return doc
