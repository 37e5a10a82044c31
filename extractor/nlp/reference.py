"""The reference pipeline: the components as they were before the fast path (issue #7), kept
to check that the fast components give the same results (tests/perf, bench/throughput.py).

- ``facet_sentences_reference``: the token-by-token sentence splitter;
- ``facet_sections_reference``: one ``finditer`` of the combined header regex;
- ``facet_targets_reference``: one ``finditer`` per TargetRule file, each match also a spaCy
  ``Span`` in ``doc.spans["facet_targets"]``;
- ``facet_context_reference``: medspaCy's ConText with our rules; its modifier objects become
  status strings on the mentions and are then cleared (they are not serialisable).

Built by ``load_pipeline(reference=True)``; medspaCy is imported only here.
"""

import bisect
import re
import warnings

from spacy.language import Language
from spacy.tokens import Doc, Span

from .rule_data import compiled_target_files, context_rule_dicts, section_rules

SPAN_GROUP = "facet_targets"
PIPES = (
    "facet_sentences_reference",
    "facet_sections_reference",
    "facet_targets_reference",
    "facet_context_reference",
)

for _name in ("facet_sentences", "facet_sections", "facet_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

_NOT_TODAY_ROLES = frozenset({"history", "indication", "exam", "imaging", "diagnosis"})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n[ \t]*")
_PROCEDURE_NARRATION = re.compile(
    r"(?i)(?:the\s+patient\s+was\s+(?:placed|positioned|brought|taken)|(?:he|she)\s+was\s+(?:placed|positioned|"
    r"brought|taken)|after\s+(?:informed\s+)?consent|(?:written\s+)?(?:informed\s+)?consent\s+was\s+obtained|"
    r"prone\b|the\s+patient\s+(?:declined|received)\s+|(?:he|she)\s+declined\s+sedation|time[- ]?out|today\s+we\s+"
    r"(?:proceeded|performed|did)|we\s+proceeded|under\s+(?:fluoro|ct|ultrasound))"
)
_LIST_MARK = re.compile(r"^(?:[-*\u2022]|\d+[.)]\s)")
_SENT_END = re.compile(r"[.!?]+[\"')\]]*$")
_NEWLINE_JOIN_MIN_LINE = 70
_ABBREVIATIONS = frozenset(
    {"Dr.", "Mr.", "Ms.", "Mrs.", "vs.", "approx.", "e.g.", "i.e.", "approx", "resp", "incl"}
)


@Language.factory("facet_sentences_reference", default_config={})
def make_sentence_splitter(nlp: Language, name: str) -> "FacetSentenceSplitter":
    return FacetSentenceSplitter()


class FacetSentenceSplitter:
    """Splits at sentence-final punctuation followed by a capital or digit, and at newlines.

    A newline does not split when it looks like a hard wrap inside a sentence (a long line
    that does not end in punctuation followed by a lower-case word).
    """

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        starts = [0]
        previous = None
        for token in doc:
            if previous is not None:
                boundary = False
                if "\n" in previous.text or ("\n" in previous.whitespace_ and not token.is_space):
                    boundary = not self._is_hard_wrap(text, previous, token)
                elif (
                    _SENT_END.search(previous.text)
                    and previous.whitespace_
                    and (
                        token.text[:1].isupper()
                        or token.text[:1].isdigit()
                        or token.text[:1] in "#-*•("
                        or self._after_word(doc, previous)
                    )
                ):
                    boundary = previous.text not in _ABBREVIATIONS
                elif previous.lower_ in ("period", "paragraph") and token.lower_ not in ("of", "the", "was"):
                    boundary = True
                token.is_sent_start = boundary
                if boundary:
                    starts.append(token.idx)
            else:
                token.is_sent_start = True
            previous = token
        bounds = [[start, end] for start, end in zip(starts, starts[1:] + [len(text)], strict=True)]
        doc._.facet_sentences = bounds
        return doc

    @staticmethod
    def _after_word(doc: Doc, stop) -> bool:
        """A full stop after a real word ends a sentence even before a lower-case word (dictation)."""
        if stop.text != "." or stop.i == 0:
            return False
        word = doc[stop.i - 1]
        return word.is_alpha and len(word.text) >= 4 and word.lower_ not in _ABBREVIATIONS

    @staticmethod
    def _is_hard_wrap(text: str, previous, token) -> bool:
        if not token.text[:1].islower():
            return False
        line_start = text.rfind("\n", 0, previous.idx) + 1
        line = text[line_start : previous.idx + len(previous.text)].rstrip()
        return len(line) >= _NEWLINE_JOIN_MIN_LINE and not line.endswith((".", ":", ";", "!", "?"))


@Language.factory("facet_sections_reference", default_config={})
def make_sectionizer(nlp: Language, name: str) -> "FacetSectionizer":
    return FacetSectionizer()


class FacetSectionizer:
    """Marks section spans by header; text before the first header has category None."""

    def __init__(self) -> None:
        self.regex, self.rules = section_rules()

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        sections: list[dict] = []
        current = {"category": None, "role": "untitled", "start": 0, "end": len(text), "header_end": 0}
        for match in self.regex.finditer(text):
            rule = self.rules[int(match.lastgroup[1:])]
            current["end"] = match.start()
            if current["end"] > current["start"] or current["category"] is not None:
                sections.append(current)
            current = {
                "category": rule.category,
                "role": rule.role,
                "start": match.start(),
                "end": len(text),
                "header_end": match.end(),
            }
        sections.append(current)
        doc._.facet_sections = self._split_procedure_paragraphs(text, self._end_inline_sections(text, sections))
        return doc

    @staticmethod
    def _split_procedure_paragraphs(text: str, sections: list[dict]) -> list[dict]:
        """A paragraph that narrates the procedure ('Prone, prepped and draped...') inside a
        history, indication, exam or assessment section starts untitled (coded) text."""
        out: list[dict] = []
        for section in sections:
            if section["role"] not in _NOT_TODAY_ROLES:
                out.append(section)
                continue
            current = section
            for match in _PARAGRAPH_BREAK.finditer(text, section["header_end"], section["end"]):
                if _PROCEDURE_NARRATION.match(text, match.end()):
                    current["end"] = match.end()
                    out.append(current)
                    current = {"category": None, "role": "untitled", "start": match.end(), "end": section["end"],
                               "header_end": match.end()}
                    break
            out.append(current)
        return out

    @staticmethod
    def _end_inline_sections(text: str, sections: list[dict]) -> list[dict]:
        """A header with its content on the same line ('Hx: 1st MBB gave 85%') covers only that
        line when the next line starts a new statement; the rest is untitled (coded) text."""
        out: list[dict] = []
        for section in sections:
            out.append(section)
            if section["category"] is None or section["role"] in ("header", "untitled", "description"):
                continue
            line_end = text.find("\n", section["header_end"])
            if (
                line_end == -1
                or line_end >= section["end"]
                or not text[section["header_end"] : line_end].strip()
            ):
                continue
            next_line_end = text.find("\n", line_end + 1)
            next_line = text[line_end + 1 : next_line_end if next_line_end != -1 else len(text)]
            stripped = next_line.strip()
            header_line = text[section["start"] : line_end]
            wrapped = stripped[:1].islower() and len(header_line) >= _NEWLINE_JOIN_MIN_LINE
            if not stripped or wrapped or _LIST_MARK.match(stripped):
                continue
            rest = {
                "category": None,
                "role": "untitled",
                "start": line_end + 1,
                "end": section["end"],
                "header_end": line_end + 1,
            }
            section["end"] = line_end + 1
            out.append(rest)
        return out


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
            for match in compiled.regex.finditer(text):
                rule = compiled.rules[int(match.lastgroup[1:])]
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
