"""The reference pipeline: the slow way to the same results, kept to check the fast
components against (tests/perf, bench/throughput.py). Built by ``load_pipeline(reference=True)``;
medspaCy is imported only here.

- ``facet_sentences_reference``: the sentence rules of ``sentences`` tested between every
  pair of tokens (the fast splitter tests only the tokens a regex finds);
- ``facet_sections_reference``: one ``finditer`` of the combined header regex, then the same
  section logic as the fast path (``sections.find_sections``);
- ``facet_targets_reference``: one ``finditer`` per TargetRule file; each match is also a
  spaCy ``Span`` in ``doc.spans["facet_targets"]`` for medspaCy's ConText;
- ``facet_context_reference``: medspaCy's ConText with our rules; its modifier categories are
  copied onto the mentions as strings and the modifier objects dropped (they are not
  serialisable and break multiprocessing);
- ``ReferenceNoteView``: ``NoteView`` without its indexes.

Behaviour belongs in ``sentences.py``, ``sections.py``, the rule JSON and the ConText engine,
not here: this module only runs the same rules the slow, obvious way.
"""

import bisect
import warnings
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from .note_view import Mention, NoteView
from .rule_data import compiled_target_files, context_rule_dicts, section_rules
from .rule_text import rule_text
from .sections import find_sections
from .sentences import is_boundary, token_offsets

SPAN_GROUP = "facet_targets"
PIPES = (
    "facet_sentences_reference",
    "facet_sections_reference",
    "facet_targets_reference",
    "facet_context_reference",
)

for _name in ("facet_text", "facet_sentences", "facet_sections", "facet_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("facet_sentences_reference", default_config={})
def make_sentence_splitter(nlp: Language, name: str) -> "FacetSentenceSplitter":
    return FacetSentenceSplitter()


class FacetSentenceSplitter:
    """Every token boundary tested; sets ``is_sent_start`` (medspaCy's ConText needs it)."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        starts, ends = token_offsets(doc)
        bounds = [0]
        for token in doc:
            if token.i == 0:
                token.is_sent_start = True
                continue
            boundary = is_boundary(text, starts, ends, token.i)
            token.is_sent_start = boundary
            if boundary:
                bounds.append(token.idx)
        doc._.facet_sentences = [[s, e] for s, e in zip(bounds, bounds[1:] + [len(text)], strict=True)]
        return doc


@Language.factory("facet_sections_reference", default_config={})
def make_sectionizer(nlp: Language, name: str) -> "FacetSectionizer":
    return FacetSectionizer()


class FacetSectionizer:
    def __init__(self) -> None:
        self.regex = section_rules()[0]

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        headers = [(int(m.lastgroup[1:]), m.start(), m.end()) for m in self.regex.finditer(rule_text(text))]  # type: ignore[index]
        doc._.facet_sections = find_sections(text, headers)
        return doc


@Language.factory("facet_targets_reference", default_config={})
def make_target_matcher(nlp: Language, name: str) -> "FacetTargetMatcher":
    return FacetTargetMatcher()


class FacetTargetMatcher:
    """Runs our TargetRule files; each match is a mention dict and a Span with ``id_`` = index."""

    def __init__(self) -> None:
        self.files = compiled_target_files()

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        sentence_starts = [start for start, _ in (doc._.facet_sentences or [[0, len(text)]])]
        mentions: list[dict] = []
        spans: list[Span] = []
        for compiled in self.files:
            for match in compiled.regex.finditer(rule_text(text)):
                rule = compiled.rules[int(match.lastgroup[1:])]  # type: ignore[index]
                start, end = match.span()
                while start < end and text[start].isspace():
                    start += 1
                if start >= end:
                    continue
                index = len(mentions)
                mentions.append(
                    {
                        "category": rule.category,
                        "rule": rule.literal,
                        "start": start,
                        "end": end,
                        "text": text[start:end],
                        "meta": rule.metadata,
                        "sent": bisect.bisect_right(sentence_starts, start) - 1,
                        "status": [],
                    }
                )
                span = doc.char_span(start, end, label=rule.category, alignment_mode="expand")
                if span is not None and len(span):
                    spans.append(Span(doc, span.start, span.end, label=rule.category, span_id=str(index)))
        doc._.facet_mentions = mentions
        doc.spans[SPAN_GROUP] = spans
        return doc


@Language.factory("facet_context_reference", default_config={})
def make_context(nlp: Language, name: str) -> "FacetContext":
    return FacetContext(nlp)


class FacetContext:
    """medspaCy's ConText with our rules; modifier categories are copied onto the mentions as
    strings and the modifier objects dropped (they are not serialisable)."""

    def __init__(self, nlp: Language) -> None:
        from medspacy.context import ConText, ConTextRule

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.context = ConText(
                nlp, rules=None, span_attrs=None, input_span_type="group", span_group_name=SPAN_GROUP
            )
            self.context.add([ConTextRule.from_dict(dict(rule)) for rule in context_rule_dicts()])

    def __call__(self, doc: Doc) -> Doc:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.context(doc)
        mentions = doc._.facet_mentions or []
        for span in doc.spans.get(SPAN_GROUP, []):
            modifiers = span._.modifiers
            if modifiers:
                status = mentions[int(span.id_)]["status"]
                for modifier in modifiers:
                    if modifier.category not in status:
                        status.append(modifier.category)
                span._.modifiers = ()
        doc._.context_graph = None
        return doc


class ReferenceNoteView(NoteView):
    """``NoteView`` with its lookups done the obvious way (a scan per call), to check the
    indexed ones against."""

    def of(self, *categories: str) -> list[Mention]:
        if len(categories) == 1:
            return self._by_category.get(categories[0], [])
        merged = [m for c in categories for m in self._by_category.get(c, [])]
        return sorted(merged, key=lambda m: m.start)

    def in_sentence(self, sent: int, *categories: str) -> Iterator[Mention]:
        for mention in self.of(*categories):
            if mention.sent == sent:
                yield mention

    def role_at(self, offset: int) -> str:
        role = "untitled"
        for section in self.sections:
            if section["start"] <= offset:
                role = section["role"]
            else:
                break
        return role
