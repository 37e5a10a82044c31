"""Runs several rule passes over a note in one sweep, with the results of ``finditer``.

A *pass* is an ordered list of rule patterns that ``finditer`` would run as one alternation
(our TargetRule files) or a single rule (each ConTextRule, as medspaCy's RegexMatcher runs
them). For every pass, ``scan`` returns exactly the ``(rule, start, end)`` matches
``re.compile("|".join(rules), flags).finditer(text)`` yields, in order:

- a match can only start where one of its rules' starts (``start_keys``) fits, so only
  those positions are tried: word starts (found with numpy) and the few other characters
  some rule starts with (one sweep that skips ahead in C);
- at a position, the rules of a pass whose starts fit the next six characters are tried in
  file order and the first that matches wins, which is what the alternation does; the next
  match of that pass is looked for from the end of this one, which is what ``finditer``
  does; a pass with a rule that could start anywhere is run with ``finditer`` itself.

Where each rule can start (the *plan*) is worked out when the scanner is built, or read from
the plan cache (``scan_plan``); a rule is compiled the first time a note may need it; the rules
to try after each six-key string are worked out the first time that string is seen and kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from operator import itemgetter

import numpy as np

from . import scan_plan
from .scan_plan import ByHead, ScanPlan
from .start_keys import NON_ASCII, key_text, start_keys

Match = tuple[int, int, int]
"""(rule index within its pass, start, end)."""

KEY_LENGTH = 6
_SHORT_KEY = 2
_MEMO_LIMIT = 200_000
_LINE_BREAK = re.compile(r"\n")
_FIRST = itemgetter(0)

Entry = tuple[int, tuple[tuple[int, re.Pattern[str]], ...]]
"""(pass, its rules that may match there, in rule order, with their regexes)."""
Entries = tuple[Entry, ...]
"""Passes to try at a position, in pass order."""


def _is_word(char: str) -> bool:
    """``re``'s ``\\w`` (Unicode): ``str.isalnum`` is the same test as sre's."""
    return char.isalnum() or char == "_"


_WORD_CODES = np.array([_is_word(chr(code)) for code in range(128)], dtype=bool)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def word_starts(text: str) -> np.ndarray:
    """Per character: does a word (``\\w+``) start here? (numpy: a ``finditer`` costs a
    Python object per word.)"""
    codes = _codes(text)
    if text.isascii():
        word = _WORD_CODES[codes]
    else:
        word = _WORD_CODES[np.minimum(codes, 127)]
        for index in np.flatnonzero(codes > 127).tolist():
            word[index] = _is_word(text[index])
    start = word.copy()
    start[1:] &= ~word[:-1]
    return start


def _is_ascii_word(key: str) -> bool:
    return key.isascii() and (key.isalnum() or key == "_")


def _class(keys: Iterable[str]) -> str:
    return "".join(re.escape(key) for key in sorted(keys))


class _Starts:
    """Rule starts indexed by their first two keys (one for starts one character long)."""

    def __init__(self) -> None:
        self.starts: dict[tuple[str, int, int], list[tuple[frozenset[str], ...]]] = {}

    def add(self, first: str, index: int, rule: int, rest: tuple[frozenset[str], ...]) -> None:
        if not rest:
            self.starts.setdefault((first, index, rule), []).append(())
            return
        for second in rest[0]:
            self.starts.setdefault((first + second, index, rule), []).append(rest[1:])

    def by_head(self) -> ByHead:
        """One start per rule and head: the key sets of its starts merged position by
        position, as long as the shortest (a looser start, so still every match fits)."""
        heads: dict[str, list[tuple[int, int, tuple[frozenset[str], ...]]]] = {}
        for (head, index, rule), rests in sorted(self.starts.items()):
            length = min(len(rest) for rest in rests)
            merged = tuple(frozenset().union(*(rest[i] for rest in rests)) for i in range(length))
            heads.setdefault(head, []).append((index, rule, merged))
        return {head: tuple(starts) for head, starts in heads.items()}


class _Dispatch(dict):
    """The text's keys at a position (``key_length`` of them) -> the passes that may match
    there. Filled on first sight of each key string, from the plan's starts by head."""

    def __init__(self, scanner: RuleScanner, by_head: ByHead) -> None:
        super().__init__()
        self.scanner = scanner
        self.by_head = by_head

    def __missing__(self, key: str) -> Entries:
        merged: dict[int, set[int]] = {}
        for head in (key[:1], key[:2]) if len(key) > 1 else (key,):
            for index, rule, rest in self.by_head.get(head, ()):
                if len(rest) <= len(key) - len(head) and all(
                    key[i] in keys for i, keys in enumerate(rest, len(head))
                ):
                    merged.setdefault(index, set()).add(rule)
        entries = tuple(self.scanner.entry(index, rules) for index, rules in sorted(merged.items()))
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        self[key] = entries
        return entries


class RuleScanner:
    """Runs ``passes`` (each a sequence of patterns) with ``flags``; see the module doc.

    With ``line_starts=True`` every rule is anchored at the start of a line (``^`` with
    ``re.MULTILINE``), so only line starts are tried (and two-character prefixes are enough).
    """

    def __init__(
        self,
        passes: Sequence[Sequence[str]],
        flags: int = re.IGNORECASE,
        line_starts: bool = False,
        key_length: int = KEY_LENGTH,
    ) -> None:
        self.line_starts = line_starts
        self.key_length = _SHORT_KEY if line_starts else key_length
        self._flags = flags
        self._patterns = [tuple(rules) for rules in passes]
        self._compiled: list[list[re.Pattern[str] | None]] = [[None] * len(rules) for rules in passes]
        plan = scan_plan.cached(self._patterns, flags, self.key_length, self._plan)
        self._at_word = _Dispatch(self, plan.at_word)
        self._elsewhere = _Dispatch(self, plan.elsewhere)
        self._whole = {index: self._alternation(self._patterns[index], flags) for index in plan.whole}
        self._scanned = [index for index in range(len(passes)) if index not in self._whole]
        self._sweep_at, self._sweep_after = (
            re.compile(pattern) if pattern is not None else None for pattern in plan.sweeps
        )

    def _plan(self) -> ScanPlan:
        """Where each rule can start, indexed for ``_Dispatch``: parsing every pattern for its
        starts is most of the cost of building a scanner, hence ``scan_plan.cached``."""
        at_word, elsewhere = _Starts(), _Starts()
        whole: list[int] = []
        sweep: dict[tuple[frozenset[str] | None, str], set[str] | None] = {}
        for index, rules in enumerate(self._patterns):
            keys = [self._keys(pattern, self._flags) for pattern in rules]
            if any(k is None for k in keys):
                whole.append(index)
                continue
            for rule, starts in enumerate(keys):
                for bounded, before, sets in starts or ():
                    rest = sets[1:]
                    for first in sets[0]:
                        if _is_ascii_word(first) or first == NON_ASCII:
                            at_word.add(first, index, rule, rest)
                        if bounded and _is_ascii_word(first):
                            continue
                        elsewhere.add(first, index, rule, rest)
                        seconds = sweep.setdefault((before, first), set())
                        if seconds is not None:
                            if rest:
                                seconds.update(rest[0])
                            else:
                                sweep[(before, first)] = None
        return ScanPlan(at_word.by_head(), elsewhere.by_head(), tuple(whole), self._sweep_patterns(sweep))

    @staticmethod
    def _alternation(rules: Sequence[str], flags: int) -> tuple[re.Pattern[str], tuple[int, ...]]:
        """The pass as one regex, and the rule index of each group number (a rule's own
        groups sit inside its group, so ``lastindex`` names the rule)."""
        regex = re.compile("|".join(f"({pattern})" for pattern in rules), flags)
        owner = [-1] * (regex.groups + 1)
        group = 1
        for rule, pattern in enumerate(rules):
            owner[group] = rule
            group += 1 + re.compile(pattern, flags).groups
        return regex, tuple(owner)

    def entry(self, index: int, rules: set[int]) -> Entry:
        return (index, tuple((rule, self._regex(index, rule)) for rule in sorted(rules)))

    def _regex(self, index: int, rule: int) -> re.Pattern[str]:
        """Compiled the first time a note has a place where the rule may start: a fresh
        process compiles only what its notes need (most of a cold start otherwise)."""
        regex = self._compiled[index][rule]
        if regex is None:
            regex = self._compiled[index][rule] = re.compile(self._patterns[index][rule], self._flags)
        return regex

    def _keys(self, pattern: str, flags: int) -> frozenset | None:
        """Starts four characters long (common words need them to tell rules apart), two
        where four would be too many; two for line starts."""
        return start_keys(pattern, flags, self.key_length) or start_keys(pattern, flags, _SHORT_KEY)

    @staticmethod
    def _sweep_patterns(
        sweep: dict[tuple[frozenset[str] | None, str], set[str] | None],
    ) -> tuple[str | None, str | None]:
        """Over the key text, positions where a rule not tied to a word start may start: one
        regex for rules without a look-behind (the position is the match start), one for rules
        with a one-character look-behind (found from that character: the position is the
        match start + 1). Each is a branch of single characters, so ``re`` skips ahead in C
        to the next character that can start one."""
        free: dict[str, list[str]] = {}
        after: dict[str, list[str]] = {}
        for (before, first), seconds in sorted(sweep.items(), key=repr):
            follow = f"(?=[{_class(seconds)}])" if seconds is not None else ""
            if before is None:
                free.setdefault(first, []).append(follow)
            else:
                for char in before:
                    after.setdefault(char, []).append(f"{re.escape(first)}{follow}")

        def branch(options: dict[str, list[str]], lookahead: bool) -> str | None:
            if not options:
                return None
            alternatives = []
            for char, checks in sorted(options.items()):
                if lookahead:
                    tail = f"(?=(?:{'|'.join(checks)}))"
                else:
                    tail = "" if "" in checks else f"(?:{'|'.join(checks)})"
                alternatives.append(re.escape(char) + tail)
            return "|".join(alternatives)

        return branch(free, lookahead=False), branch(after, lookahead=True)

    def _candidates(self, text: str, keys: str) -> list[tuple[int, Entries]]:
        """(position, rules to try there), in text order, for positions with something to try."""
        at_word, length = self._at_word, self.key_length
        if self.line_starts:
            starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
            return [
                (p, entries)
                for p in starts
                if p < len(text)
                and (entries := (at_word if _is_word(text[p]) else self._elsewhere)[keys[p : p + length]])
            ]
        starts = word_starts(text)
        words = np.flatnonzero(starts).tolist()
        candidates = [(p, entries) for p in words if (entries := at_word[keys[p : p + length]])]
        others = {m.start() for m in self._sweep_at.finditer(keys)} if self._sweep_at else set()
        if self._sweep_after:
            others.update(m.end() for m in self._sweep_after.finditer(keys))
        if others:
            others = {p for p in others if not starts[p]}
            elsewhere = self._elsewhere
            candidates += [(p, entries) for p in others if (entries := elsewhere[keys[p : p + length]])]
            candidates.sort(key=_FIRST)
        return candidates

    @property
    def pass_count(self) -> int:
        return len(self._patterns)

    def scan(self, text: str, passes: range | None = None) -> list[list[Match]]:
        """For every pass (or only those in ``passes``; the others come back empty), its
        ``finditer`` matches as (rule index, start, end)."""
        found: list[list[Match]] = [[] for _ in self._patterns]
        wanted = passes if passes is not None else range(len(self._patterns))
        for index, (regex, owner) in self._whole.items():
            if index in wanted:
                found[index] = [(owner[m.lastindex], m.start(), m.end()) for m in regex.finditer(text)]  # type: ignore[index]
        if not any(index in wanted for index in self._scanned):
            return found
        resume = [0] * len(self._patterns)
        if not text:
            return found
        for position, entries in self._candidates(text, key_text(text)):
            for index, rules in entries:
                if position < resume[index] or index not in wanted:
                    continue
                for rule, regex in rules:
                    match = regex.match(text, position)
                    if match is not None:
                        end = match.end()
                        found[index].append((rule, position, end))
                        resume[index] = end if end > position else position + 1
                        break
        return found
