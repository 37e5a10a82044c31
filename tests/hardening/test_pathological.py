"""Pathological inputs finish, and time grows linearly with the note.

No wall-clock bound is asserted for whole notes (the machine may be loaded): a note 4x longer
must take under 12x the time (8x longer: under 24x; the fastest of a few runs each), and a run
is stopped once it takes 30x. Each rule regex runs over 50 kB adversarial strings under a generous
5 s limit, which only catastrophic or quadratic backtracking reaches.

Known super-linear cases are listed in ``KNOWN_SLOW_SHAPES`` / ``KNOWN_SLOW_REGEXES``: strict
xfails (on ``SuperLinear`` only, so a stale entry fails too) at sizes where they cost a second
or less, so the day one is fixed the test says so and its entry goes.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

import pytest

import extractor.nlp
from extractor import code_note
from extractor.errors import DEFAULT_MAX_CHARS
from extractor.nlp import rule_data

from .near_notes import corpus_notes
from .watchdog import Overtime, SuperLinear, growth, time_limit

REGEX_LIMIT = 5.0  # seconds for one finditer over 50 kB
ADVERSARIAL_CHARS = 50_000
SHAPE_PREFIX = "Bilateral L4-L5 facet injection under fluoroscopy. "


@pytest.fixture(scope="module", autouse=True)
def warm_pipeline() -> None:
    code_note(corpus_notes()[0])


def _report(label: str, small_chars: int, small: float, large_chars: int, large: float) -> None:
    ratio = large / small if small else float("inf")
    print(f"\n{label}: {small_chars:,} chars {small:.3f}s, {large_chars:,} chars {large:.3f}s, x{ratio:.1f}")


def _assert_linear(label: str, small_text: str, large_text: str, *, factor: int = 4) -> None:
    """``large_text`` (``factor`` times longer) takes under ``3 * factor`` times as long."""
    bound = 3.0 * factor
    small, large = growth(lambda: code_note(small_text), lambda: code_note(large_text), bound=bound)
    _report(label, len(small_text), small, len(large_text), large)
    if not large < bound * small:
        raise SuperLinear(
            f"{label}: {len(large_text):,} chars took {large:.2f}s, {len(small_text):,} chars {small:.3f}s "
            f"(over {bound:.0f}x for {factor}x the text)"
        )


def test_a_note_at_the_size_limit_finishes_in_linear_time() -> None:
    """Corpus notes concatenated up to 200,000 characters (the default limit)."""
    text = ""
    for note in corpus_notes():
        text += note + "\n"
        if len(text) >= DEFAULT_MAX_CHARS:
            break
    text = text[:DEFAULT_MAX_CHARS]
    result = code_note(text)
    assert result.lines, "a note made of facet notes should code"
    _assert_linear("200k note", text[: DEFAULT_MAX_CHARS // 4], text)


def test_a_note_of_one_100k_line_finishes_in_linear_time() -> None:
    """Corpus notes with their line breaks turned into spaces: one 100,000-character line."""
    line = " ".join(" ".join(note.split()) for note in corpus_notes())[:100_000]
    assert len(line) == 100_000 and "\n" not in line
    _assert_linear("one 100k line", line[:25_000], line)


# -- notes of one long run of a repeated unit ---------------------------------------------------------

# name -> (what comes between the opening sentence and the run, the unit repeated)
SHAPES = {
    "levels": ("", "L4-5 "),
    "L": ("", "L"),
    "bilateral": ("", "bilateral "),
    "scores": ("", "1/10 "),
    "digits": ("", "0123456789"),
    "medial branch": ("", "medial branch "),
    "level lists": ("", "L4-L5, L5-S1, "),
    "table cells": ("", "a | "),
    "slashes": ("", "/"),
    "periods": ("", ". "),
    "sides": ("", "left right "),
    "doses": ("", "0.5% bupivacaine 1 mL "),
    "cervical": ("", "C3-4 C4-5 T1-2 "),
    "dotted I": ("", "\u0130"),
    "spaces inside a line": ("a", " "),
    "blanks after a pain label": ("Pain 7/10 before", " "),
    "tabs after a sedation label": ("Sedation", "\t"),
    "tabs after a score": ("PAIN: 8/10\n", "\t"),
    "space tab": ("a", " \t"),
    "html": ("", "<td>L4-5</td>"),
    "tabs after a block number sign": ("MBB #", "\t"),
}
# name -> (lead, unit, length of the shorter note (the longer is 8x), what is slow); module doc
KNOWN_SLOW_SHAPES = {
    "open parens": ("", "(", 500, "spaCy's tokenizer: a run of prefix punctuation (also $ [ \" ')"),
    "relief": ("", "80% relief ", 500, "note_facts.build_prior_response, pain_facts._percent_relief: "
               "a regex search of the whole sentence for each mention"),
}  # fmt: skip


def _run_note(lead: str, unit: str, chars: int) -> str:
    return (SHAPE_PREFIX + lead + unit * (chars // len(unit) + 1))[:chars]


@pytest.mark.parametrize(("lead", "unit"), SHAPES.values(), ids=SHAPES.keys())
def test_a_long_run_of_one_unit_takes_linear_time(lead: str, unit: str) -> None:
    """A 100,000-character run (one line) against a 12,500-character one: under 24x the time."""
    _assert_linear(
        f"run of {unit!r}", _run_note(lead, unit, 12_500), _run_note(lead, unit, 100_000), factor=8
    )


@pytest.mark.parametrize(
    ("lead", "unit", "chars"),
    [
        pytest.param(
            lead, unit, chars, id=name, marks=pytest.mark.xfail(strict=True, raises=SuperLinear, reason=why)
        )
        for name, (lead, unit, chars, why) in KNOWN_SLOW_SHAPES.items()
    ],
)
def test_known_super_linear_runs(lead: str, unit: str, chars: int) -> None:
    _assert_linear(
        f"run of {unit!r}", _run_note(lead, unit, chars), _run_note(lead, unit, 8 * chars), factor=8
    )


# -- every rule regex against adversarial strings -----------------------------------------------------


@cache
def rule_regexes() -> dict[str, re.Pattern[str]]:
    """Every compiled regex the NLP half runs on note text: each target, ConText and section rule
    on its own (a file's alternation is no slower than its slowest rule plus the rest), the pain
    patterns, and every module-level pattern of ``extractor.nlp``."""
    found: dict[str, re.Pattern[str]] = {}
    for file_name, rules in rule_data.target_files():
        for index, rule in enumerate(rules):
            found[f"target {file_name}[{index}] {rule.literal!r}"] = re.compile(
                rule_data.rule_body(rule), re.IGNORECASE
            )
    for index, rule in enumerate(rule_data.context_rule_dicts()):
        found[f"context[{index}] {rule.get('literal')!r}"] = re.compile(rule["pattern"], re.IGNORECASE)
    for index, pattern in enumerate(rule_data.section_rule_patterns()):
        found[f"section[{index}]"] = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    for name, pattern in rule_data.pain_patterns().items():
        found[f"pain {name}"] = pattern
    for module_info in pkgutil.iter_modules(extractor.nlp.__path__):
        module = importlib.import_module(f"extractor.nlp.{module_info.name}")
        for attribute, value in vars(module).items():
            values = value if isinstance(value, (tuple, list)) else (value,)
            for index, item in enumerate(values):
                if isinstance(item, re.Pattern):
                    suffix = f"[{index}]" if values is value else ""
                    found[f"{module_info.name}.{attribute}{suffix}"] = item
    return found


def _repeat(unit: str) -> str:
    return (unit * (ADVERSARIAL_CHARS // len(unit) + 1))[:ADVERSARIAL_CHARS]


def _literals(shorten: int) -> str:
    """Every target and ConText rule literal (minus its last ``shorten`` characters), repeated."""
    literals = [rule.literal for _, rules in rule_data.target_files() for rule in rules]
    literals += [str(rule.get("literal", "")) for rule in rule_data.context_rule_dicts()]
    words = [literal[: len(literal) - shorten] for literal in literals if len(literal) > shorten + 1]
    return _repeat(" ".join(words) + " ")


ADVERSARIAL = {
    "levels": "L4-5 ",
    "L": "L",
    "bilateral": "bilateral ",
    "scores": "1/10 ",
    "digits": "0123456789",
    "slashes": "/",
    "medial branch": "medial branch ",
    "spaces": " ",
    "newlines": "\n",
    "tabs": "\t",
    "crlf": "\r\n",
    "level lists": "L4-L5, L5-S1, ",
    "doses": "0.5% bupivacaine 1 mL ",
    "block numbers": "#1 ",
    "parens": "(",
    "table cells": "| ",
    "arrows": "7/10 -> 1/10 ",
    "decimals": "1.",
    "negations": "no ",
    "dotted I": "\u0130",
}
# name -> (prefix, unit): one 50 kB run after a character that some rule starts with, then "x"
PREFIXED_RUNS = {"hash then tabs": ("#", "\t"), "colon then tabs": (":", "\t")}
# (regex name, adversarial string name) -> what is slow
KNOWN_SLOW_REGEXES = {
    ("note_facts._DOSE", "digits"): r"\d+(?:\.\d+)?\s*mg... retried at each digit (on 35-char windows)",
    ("note_facts._CONCENTRATION", "digits"): r"\d+(?:\.\d+)?\s*% retried at each digit (on 35-char windows)",
    ("level_facts._POSTFIX_GAP", "colon then tabs"): r"^[\s,(|:]*(...)*(?:,\s*)?...[\s(|:]*$ on a gap",
}  # fmt: skip


# each rule literal (and a few scores) followed by a run of blanks: nested or adjacent \s* after
# a match's start blow up polynomially here, which one long run of blanks alone does not show
BLANK_RUNS = {"literals then spaces": " ", "literals then tabs": "\t", "literals then newlines": "\n"}
SCORE_PREFIXES = ("pain 8", "NRS 7/10", "8/10", "7 ->", "from 8", "pre 7", "VAS 6 before", "80%", "0.5 mL")
BLANK_RUN_CHARS = 1_000


def _literals_then_blanks(blank: str) -> str:
    literals = [rule.literal for _, rules in rule_data.target_files() for rule in rules]
    literals += [str(rule.get("literal", "")) for rule in rule_data.context_rule_dicts()]
    return "".join(f"{prefix}{blank * BLANK_RUN_CHARS}x\n" for prefix in [*SCORE_PREFIXES, *literals])


def _adversarial(name: str) -> str:
    if name == "rule literals":
        return _literals(0)
    if name == "rule literals less a character":
        return _literals(1)
    if name in BLANK_RUNS:
        return _literals_then_blanks(BLANK_RUNS[name])
    if name in PREFIXED_RUNS:
        prefix, unit = PREFIXED_RUNS[name]
        return prefix + _repeat(unit) + "x"  # a match must fail at the end, after trying every split
    return _repeat(ADVERSARIAL[name])


def _slowest_finditer(names: list[str], text: str, limit: float) -> list[tuple[str, float]]:
    """(regex, seconds) for every regex over ``text`` that ran ``limit`` seconds or more."""
    import time

    slow = []
    for name in names:
        regex = rule_regexes()[name]
        started = time.perf_counter()
        try:
            with time_limit(limit):
                for _ in regex.finditer(text):
                    pass
        except Overtime:
            slow.append((name, float("inf")))
            continue
        elapsed = time.perf_counter() - started
        if elapsed >= limit:
            slow.append((name, elapsed))
    return slow


@pytest.mark.parametrize(
    "string", [*ADVERSARIAL, "rule literals", "rule literals less a character", *BLANK_RUNS, *PREFIXED_RUNS]
)
def test_no_rule_regex_backtracks_on_adversarial_text(string: str) -> None:
    names = [name for name in rule_regexes() if (name, string) not in KNOWN_SLOW_REGEXES]
    assert len(names) > 100, "the rule regexes were not found"
    slow = _slowest_finditer(names, _adversarial(string), REGEX_LIMIT)
    assert not slow, f"over {REGEX_LIMIT:.0f}s on {string!r}: {slow}"


@pytest.mark.parametrize(
    ("regex", "string"),
    [
        pytest.param(
            regex,
            string,
            id=f"{regex}-{string}",
            marks=pytest.mark.xfail(strict=True, raises=SuperLinear, reason=why),
        )
        for (regex, string), why in KNOWN_SLOW_REGEXES.items()
    ],
)
def test_known_backtracking_regexes(regex: str, string: str) -> None:
    """Cheaper than the sweep: half a second is already ten times what a linear scan of one regex
    over these 50 kB needs."""
    assert regex in rule_regexes(), f"{regex} is gone: drop it from KNOWN_SLOW_REGEXES"
    if slow := _slowest_finditer([regex], _adversarial(string), 0.5):
        raise SuperLinear(f"{slow} on {string!r}")
