"""Loads the NLP rule data under ``patterns/nlp`` and compiles it once per process.

Rules are stored in medspaCy's own JSON formats (TargetRule, ConTextRule, SectionRule) so a
coder can read and review them; ``<<NAME>>`` fragments from ``macros.json`` are expanded
here. Target rules of one file are compiled into a single alternation (one regex pass per
file per note): within a file, earlier rules win at the same position.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from .first_chars import with_first_char_lookahead

TARGET_FILES = ("levels", "sides", "procedures", "guidance", "agents", "sedation", "cues")
_MACRO = re.compile(r"<<([A-Z_]+)>>")


@dataclass(frozen=True)
class TargetRuleData:
    """One target rule as plain data (medspaCy's TargetRule fields we use)."""

    literal: str
    category: str
    pattern: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CompiledTargetFile:
    """The rules of one file compiled into one regex; group ``g<i>`` is ``rules[i]``."""

    name: str
    regex: re.Pattern[str]
    rules: tuple[TargetRuleData, ...]


def _read_json(name: str) -> dict[str, Any]:
    return json.loads(files("extractor.patterns").joinpath("nlp", f"{name}.json").read_text("utf-8"))


@cache
def macros() -> dict[str, str]:
    return dict(_read_json("macros")["macros"])


def expand(pattern: str) -> str:
    table = macros()

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in table:
            raise KeyError(f"Unknown macro <<{name}>>; known: {', '.join(sorted(table))}")
        return table[name]

    return _MACRO.sub(replace, pattern)


def _target_rules(name: str) -> tuple[TargetRuleData, ...]:
    rules = []
    for raw in _read_json(name)["target_rules"]:
        unknown = set(raw) - {"literal", "category", "pattern", "metadata"}
        if unknown:
            raise KeyError(f"{name}.json: unknown keys {sorted(unknown)} in rule {raw.get('literal')!r}")
        rules.append(
            TargetRuleData(
                raw["literal"], raw["category"], expand(raw["pattern"]), dict(raw.get("metadata") or {})
            )
        )
    return tuple(rules)


def rule_body(rule: TargetRuleData) -> str:
    """The rule's regex as it runs (compiled with ``re.IGNORECASE`` unless case-sensitive)."""
    return f"(?-i:{rule.pattern})" if rule.metadata.get("case_sensitive") else rule.pattern


@cache
def target_files() -> tuple[tuple[str, tuple[TargetRuleData, ...]], ...]:
    """(file name, rules) for every target rule file, in ``TARGET_FILES`` order."""
    return tuple((name, _target_rules(name)) for name in TARGET_FILES)


@cache
def compiled_target_files() -> tuple[CompiledTargetFile, ...]:
    """Each file as one alternation (the reference pipeline; ``rule_scan`` gives the same
    matches faster)."""
    compiled = []
    for name, rules in target_files():
        parts = [f"(?P<g{index}>{rule_body(rule)})" for index, rule in enumerate(rules)]
        compiled.append(CompiledTargetFile(name, re.compile("|".join(parts), re.IGNORECASE), rules))
    return tuple(compiled)


@dataclass(frozen=True)
class SectionRuleData:
    literal: str
    category: str
    role: str


# Around a header name: an optional list number ('1. ', 'B) '); a second name ('History / Exam');
# one short word ('Dx 2', not a procedure abbreviation: 'Dx MBB - third block' is not a header);
# a parenthesis ('(NRS)'); then a colon, a dot leader, a spaced dash, the end of the line, the
# dictated word 'colon', the pipe after a two-column form's label cell ('Plan        | ...') or a
# form's question mark before its answer column (' 1. Procedure performed?      Bilateral L3-4').
# The name alone and a full stop fill a line too ('Plan.'; not 'Follow-up and
# procedure visit.').
_HEADER_NUMBER = (
    r"(?:(?:section|part)[ \t]+[0-9]{1,2}[.:)]?[ \t]+|\([0-9]{1,2}\)[ \t]+|[0-9]{1,2}[.)][ \t]+|"
    r"(?-i:[IVX]{1,5})[.)][ \t]+|[A-H][.)][ \t]+|[-*\u2022][ \t]+|\[[xX\u2713\u2714]\][ \t]*)?"
)  # '3. ', '(3) ', 'SECTION 3. ', 'VIII. ', 'B) ', '- ', '[x] '
_HEADER_SECOND_NAME = r"(?:[ \t]*(?:/|&|and)[ \t]*[A-Za-z][A-Za-z ]{1,28}?)?"
_HEADER_SHORT_WORD = r"(?:[ \t]+(?!(?:MBBs?|RFA|RF|IA|MB|TON|ESI|SI)\b)[A-Z0-9][A-Za-z0-9]{0,2}(?![A-Za-z]))?"
_HEADER_END = (
    r"(?:[ \t]+[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?)?"  # 'Procedure 05/14 (IR fluoroscopy suite):'
    r"(?:[ \t]*\([^)\n]{0,120}\))?"
    r"(?:[ \t]*:|[ \t]*\.{3,}[ \t]*|[ \t]+-[ \t]|[ \t]+-?[ \t]*$|[ \t]*$|[ \t]+colon\b|[ \t]*\|[ \t]"
    r"|\?[ \t]{2})"
)


# 'Previous procedures, from the outside records:': an aside after a comma, then the colon
_HEADER_ASIDE = r",[ \t][^:\n.,;]{1,40}:"


@cache
def section_rule_patterns() -> tuple[str, ...]:
    """Each header rule's regex (``re.IGNORECASE | re.MULTILINE``), anchored at a line start."""
    return tuple(
        rf"^[ \t]*+{_HEADER_NUMBER}(?:(?:{raw['pattern']})"
        rf"{_HEADER_SECOND_NAME}{_HEADER_SHORT_WORD}{_HEADER_END}|(?:{raw['pattern']})[ \t]*\.[ \t]*$"
        rf"|(?:{raw['pattern']}){_HEADER_ASIDE}"
        rf"{_spoken(raw)})"
        for raw in _read_json("sections")["section_rules"]
    )


def _spoken(raw: dict[str, Any]) -> str:
    """The dictated form of a header: its ``metadata.spoken`` names in lower case at the start of
    a paragraph or of the note, then a comma or a blank and a lower-case word that does not make the name part
    of a sentence ('plan, follow up'; not 'plan was discussed'); or in any case with a comma or a
    full stop ('Description. After induction ...', 'Procedure title, bilateral ...'); or capitalised
    with a full stop at any line start ('Procedure. Right L four five ...'), or followed by a spoken
    'colon' at a line start ('all caps procedure colon ...')."""
    names = raw.get("metadata", {}).get("spoken")
    if not names:
        return ""
    return (
        rf"|(?:(?<=\n\n)|\A)(?-i:(?=[a-z]))(?:{names})(?:,[ \t]*|[ \t]+)"
        r"(?!(?:was|were|is|are|has|had|and|or|of|to|with|for|on|at|in|as|by|will|would)\b)(?-i:(?=[a-z]))"
        # 'Description. After induction ...', 'Okay, procedure. This was ...'
        rf"|(?:(?<=\n\n)|\A)(?:(?:okay|ok|alright|all\s+right)[,.]?[ \t]+)?(?:{names})[,.][ \t]+(?=[A-Za-z])"
        # a dictated header capitalised at a line start under the dictator's name line ('Dr R. Tapsell
        # FFPMANZCA, Dunedin' over 'Procedure. Right L four five facet joint injection.')
        rf"|(?<=\n)(?-i:(?=[A-Z]))(?:{names})\.[ \t]+(?-i:(?=[A-Z]))"
        # a speech engine's typed-out formatting at a line start ('all caps procedure colon right L
        # three dash four ...', 'DESCRIPTION colon time out performed')
        rf"|(?:(?<=\n)|\A)(?:all[ \t]+caps[ \t]+)?(?:{names})[ \t]+colon[ \t]+"
    )


@cache
def section_rule_data() -> tuple[SectionRuleData, ...]:
    """The header rules, in file order (rule ``i`` is ``section_rule_patterns()[i]``)."""
    return tuple(
        SectionRuleData(raw["literal"], raw["category"], raw["metadata"]["role"])
        for raw in _read_json("sections")["section_rules"]
    )


@cache
def section_rules() -> tuple[re.Pattern[str], tuple[SectionRuleData, ...]]:
    """All section headers as one multiline regex; group ``s<i>`` is rule ``i`` (the reference
    pipeline's way; ``sections.header_matches`` gives the same matches faster)."""
    parts = [f"(?P<s{index}>{pattern})" for index, pattern in enumerate(section_rule_patterns())]
    return re.compile("|".join(parts), re.IGNORECASE | re.MULTILINE), section_rule_data()


@cache
def context_rule_dicts() -> tuple[dict[str, Any], ...]:
    """ConTextRule dicts with macros expanded, ready for ``ConTextRule.from_dict``."""
    out = []
    for raw in _read_json("context_rules")["context_rules"]:
        rule = dict(raw)
        if "pattern" in rule and isinstance(rule["pattern"], str):
            rule["pattern"] = expand(rule["pattern"])
        out.append(rule)
    return tuple(out)


@cache
def pain_patterns() -> dict[str, re.Pattern[str]]:
    data = _read_json("pain")
    return {
        name: with_first_char_lookahead(expand(pattern), re.IGNORECASE)
        for name, pattern in data["patterns"].items()
    }


@cache
def abbreviation_key_data() -> dict[str, Any]:
    """What a shorthand key's meanings are read as (``patterns/nlp/abbreviation_key.json``)."""
    data = _read_json("abbreviation_key")
    for meaning in data["meanings"]:
        re.compile(meaning["meaning"])  # a broken regex fails at load, naming no note
    return data


@cache
def misheard_words() -> dict[str, Any]:
    """The speech engine's misheard words and what was meant (``patterns/nlp/misheard.json``)."""
    data = _read_json("misheard")
    for heard, meant in [*data["phrases"].items(), *data["sides"].items()]:
        if len(meant) > len(heard):
            raise ValueError(f"misheard.json: {meant!r} is longer than {heard!r}; the rules read it in place")
    return data
