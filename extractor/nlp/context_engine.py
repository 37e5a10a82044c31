"""ConText over our ConTextRule JSON without spaCy objects: the statuses medspaCy's ConText
(medspacy 1.3, ``medspacy/context``) gives every target, computed on token indices.

What is reproduced, step by step (tests/perf/test_context_equivalence.py checks it on every
corpus note against medspaCy itself):

- modifier matches: each rule's regex ``finditer`` over the text (``re.IGNORECASE``), in rule
  order; a match is widened to whole tokens (start to the token it falls in, end to the next
  token start) as medspaCy's RegexMatcher does, then overlapping matches are pruned with
  ``prune_overlapping_matches`` (longest wins, the earlier on a tie, repeated until stable);
- scope: the modifier's sentence after it (FORWARD), before it (BACKWARD) or all of it
  (BIDIRECTIONAL, TERMINATE), cut to ``max_scope`` tokens;
- ``limit_scope`` between every pair of modifiers, in medspaCy's pair order: a TERMINATE
  modifier or a modifier of the same category (with the same allowed/excluded types) ends the
  scope at its edge (``terminated_by`` cannot be set from rule JSON); only pairs that can
  reach each other (scopes always stay inside the modifier's sentence and span) are compared;
- a modifier modifies a target when the target overlaps its scope, does not overlap the
  modifier itself (medspaCy's one-sided overlap test), the target's label is allowed and the
  direction is not TERMINATE/PSEUDO; ``max_targets`` keeps the closest;
- targets are the mentions widened to tokens (``Doc.char_span(..., alignment_mode="expand")``);
  like spaCy's span extensions, targets with the same character span share their modifiers,
  and, as in ``FacetContext``, the first of them takes them all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_DIRECTIONS = frozenset({"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"})
_KEYS = frozenset(
    {
        "literal",
        "direction",
        "pattern",
        "category",
        "metadata",
        "allowed_types",
        "excluded_types",
        "max_targets",
        "max_scope",
    }
)


@dataclass(frozen=True)
class ContextRule:
    """The ConTextRule fields that decide modification (as ``ConTextRule.from_dict`` reads them)."""

    literal: str
    category: str
    pattern: str
    direction: str
    allowed_types: frozenset[str] | None
    excluded_types: frozenset[str] | None
    max_scope: int | None
    max_targets: int | None

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ContextRule:
        unknown = set(raw) - _KEYS
        if unknown:
            raise KeyError(
                f"context rule {raw.get('literal')!r}: unknown keys {sorted(unknown)}; known: {sorted(_KEYS)}"
            )
        pattern = raw.get("pattern")
        if not isinstance(pattern, str):
            raise ValueError(f"context rule {raw.get('literal')!r}: 'pattern' must be a regex string")
        direction = str(raw.get("direction", "BIDIRECTIONAL")).upper()
        if direction not in _DIRECTIONS:
            raise ValueError(
                f"context rule {raw['literal']!r}: direction {direction!r}; known: {sorted(_DIRECTIONS)}"
            )
        allowed, excluded = raw.get("allowed_types"), raw.get("excluded_types")
        if allowed is not None and excluded is not None:
            raise ValueError(
                f"context rule {raw['literal']!r}: allowed_types and excluded_types are exclusive"
            )
        for name in ("max_scope", "max_targets"):
            if raw.get(name) is not None and raw[name] <= 0:
                raise ValueError(f"context rule {raw['literal']!r}: {name} must be > 0 or null")
        return cls(
            literal=raw["literal"],
            category=str(raw["category"]).upper(),
            pattern=pattern,
            direction=direction,
            allowed_types=None if allowed is None else frozenset(label.upper() for label in allowed),
            excluded_types=None if excluded is None else frozenset(label.upper() for label in excluded),
            max_scope=raw.get("max_scope"),
            max_targets=raw.get("max_targets"),
        )


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """medspaCy's ``tuple_overlaps`` (one-sided: b inside a, or b's end inside a)."""
    return a_start <= b_start < a_end or a_start < b_end <= a_end


def prune_overlapping(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """medspaCy's ``prune_overlapping_matches`` (strategy "longest"), on (rule, start, end)."""
    while True:
        count = len(matches)
        if count == 0:
            return matches
        ordered = sorted(matches, key=lambda m: (m[1], m[2]))
        pruned = []
        current = ordered[0]
        position = 1
        while True:
            if position >= count:
                pruned.append(current)
                break
            following = ordered[position]
            position += 1
            if _overlaps(current[1], current[2], following[1], following[2]):
                pruned.append(max(current, following, key=lambda m: m[2] - m[1]))
                if position >= count:
                    break
                current = ordered[position]
                position += 1
            else:
                pruned.append(current)
                current = following
        if len(pruned) == count:
            return pruned
        matches = pruned


class _Modifier:
    __slots__ = ("rule", "start", "end", "scope_start", "scope_end", "low", "high", "targets")

    def __init__(self, rule: ContextRule, start: int, end: int, sent_start: int, sent_end: int) -> None:
        self.rule, self.start, self.end = rule, start, end
        direction, max_scope = rule.direction, rule.max_scope
        if direction == "FORWARD":
            self.scope_start, self.scope_end = end, sent_end
            if max_scope is not None and self.scope_end - self.scope_start > max_scope:
                self.scope_end = end + max_scope
        elif direction == "BACKWARD":
            self.scope_start, self.scope_end = sent_start, start
            if max_scope is not None and self.scope_end - self.scope_start > max_scope:
                self.scope_start = start - max_scope
        else:
            self.scope_start, self.scope_end = sent_start, sent_end
            if max_scope is not None and start - self.scope_start > max_scope:
                self.scope_start = start - max_scope
            if max_scope is not None and self.scope_end - end > max_scope:
                self.scope_end = end + max_scope
        # every scope this modifier can have lies in [low, high]; low is the sentence start
        self.low, self.high = min(sent_start, start, self.scope_start), max(sent_end, end, self.scope_end)
        self.targets: list[int] = []

    def limit_scope(self, other: _Modifier) -> None:
        """medspaCy's ``ConTextModifier.limit_scope``."""
        if not _overlaps(self.scope_start, self.scope_end, other.scope_start, other.scope_end):
            return
        rule, other_rule = self.rule, other.rule
        if rule.direction == "TERMINATE":
            return
        if other_rule.direction != "TERMINATE" and other_rule.category != rule.category:
            return
        if rule.category == other_rule.category and (
            rule.allowed_types != other_rule.allowed_types or rule.excluded_types != other_rule.excluded_types
        ):
            return
        if rule.direction in ("FORWARD", "BIDIRECTIONAL") and other.start > self.start:
            self.scope_end = min(self.scope_end, other.start)
        if rule.direction in ("BACKWARD", "BIDIRECTIONAL") and other.end < self.end:
            self.scope_start = max(self.scope_start, other.end)

    def modifies(self, start: int, end: int, label: str) -> bool:
        """medspaCy's ``ConTextModifier.modifies`` (no ``on_modifies`` callbacks here)."""
        if _overlaps(self.start, self.end, start, end):
            return False
        rule = self.rule
        if rule.direction in ("TERMINATE", "PSEUDO"):
            return False
        if rule.allowed_types is not None:
            if label not in rule.allowed_types:
                return False
        elif rule.excluded_types is not None and label in rule.excluded_types:
            return False
        return _overlaps(self.scope_start, self.scope_end, start, end)


class ContextEngine:
    """Statuses of targets from modifier matches, on one tokenised note."""

    def __init__(self, rules: Sequence[ContextRule]) -> None:
        self.rules = tuple(rules)

    def statuses(
        self,
        token_starts: list[int],
        token_ends: list[int],
        sentence_starts: list[int],
        text_length: int,
        cue_matches: Sequence[Sequence[tuple[int, int]]],
        targets: Sequence[tuple[int, int, str]],
    ) -> list[list[str]]:
        """For every target (start char, end char, label): its modifier categories, in
        medspaCy's order, without repeats.

        ``token_starts``/``token_ends``: character offsets of the tokens (ends without
        trailing whitespace), which tile the text; ``sentence_starts``: character offset of
        each sentence's first token; ``cue_matches[i]``: rule ``i``'s regex matches (start,
        end), in text order.
        """
        out: list[list[str]] = [[] for _ in targets]
        count = len(token_starts)
        if count == 0 or not targets:
            return out
        first_tokens = [bisect_left(token_starts, start) for start in sentence_starts]
        spans = self._target_spans(token_starts, token_ends, text_length, targets)
        if not any(span is not None for span in spans):
            return out
        modifiers = self._modifiers(token_starts, first_tokens, count, cue_matches)
        if not modifiers:
            return out
        self._limit_scopes(modifiers)
        self._apply(modifiers, spans, targets)
        shared: dict[tuple[int, int], list[str]] = {}
        owner: dict[tuple[int, int], int] = {}
        for modifier in modifiers:
            for target in modifier.targets:
                key = (token_starts[spans[target][0]], token_ends[spans[target][1] - 1])  # type: ignore[index]
                shared.setdefault(key, []).append(modifier.rule.category)
        for target, span in enumerate(spans):
            if span is None:
                continue
            key = (token_starts[span[0]], token_ends[span[1] - 1])
            if key in shared and key not in owner:
                owner[key] = target
                status = out[target]
                for category in shared[key]:
                    if category not in status:
                        status.append(category)
        return out

    @staticmethod
    def _target_spans(
        token_starts: list[int],
        token_ends: list[int],
        text_length: int,
        targets: Sequence[tuple[int, int, str]],
    ) -> list[tuple[int, int] | None]:
        """``Doc.char_span(start, end, alignment_mode="expand")`` as token ranges (None when
        spaCy gives no span or an empty one)."""
        spans: list[tuple[int, int] | None] = []
        for start, end, _ in targets:
            if not 0 <= start < end <= text_length:
                spans.append(None)
                continue
            first = bisect_right(token_starts, start) - 1
            last = bisect_right(token_starts, end - 1) - 1
            if start == token_ends[first]:
                first += 1
            spans.append((first, last + 1) if last + 1 > first else None)
        return spans

    def _modifiers(
        self,
        token_starts: list[int],
        first_tokens: list[int],
        count: int,
        cue_matches: Sequence[Sequence[tuple[int, int]]],
    ) -> list[_Modifier]:
        raw = [
            (rule, bisect_right(token_starts, start) - 1, bisect_left(token_starts, end))
            for rule, matches in enumerate(cue_matches)
            for start, end in matches
        ]
        raw = [match for match in raw if match[2] > match[1]]
        modifiers = []
        for rule, start, end in prune_overlapping(raw):
            sentence = bisect_right(first_tokens, start) - 1
            sent_end = first_tokens[sentence + 1] if sentence + 1 < len(first_tokens) else count
            modifiers.append(_Modifier(self.rules[rule], start, end, first_tokens[sentence], sent_end))
        return modifiers

    @staticmethod
    def _limit_scopes(modifiers: list[_Modifier]) -> None:
        """``ConTextGraph.update_scopes``: every pair (i < j) in order, i limited by j then j
        by i; only the pairs where one of the two can change are visited, in the same order.

        Modifiers are in text order (they do not overlap). For j after i, ``i.limit_scope(j)``
        can only move i's scope end back to j's start, so it needs i FORWARD/BIDIRECTIONAL
        and j starting before i's scope end; ``j.limit_scope(i)`` can only move j's scope
        start up to i's end, so it needs j BACKWARD/BIDIRECTIONAL and i ending after j's
        scope start; and neither can happen when their reaches [low, high] do not meet
        (``low`` is the start of the modifier's sentence, so the reach of i ends at a
        modifier index found by bisection)."""
        lows = [modifier.low for modifier in modifiers]
        ordered = all(a <= b for a, b in zip(lows, lows[1:], strict=False))
        count = len(modifiers)
        looking_back = [
            j
            for j, modifier in enumerate(modifiers)
            if modifier.rule.direction in ("BACKWARD", "BIDIRECTIONAL")
        ]
        for i, first in enumerate(modifiers):
            last = bisect_right(lows, first.high) if ordered else count
            ahead = i + 1 if first.rule.direction in ("FORWARD", "BIDIRECTIONAL") else last
            back = bisect_right(looking_back, i)
            while True:
                if ahead < last and modifiers[ahead].start >= first.scope_end:
                    ahead = last
                after = looking_back[back] if back < len(looking_back) else count
                j = min(ahead, after)
                if j >= last:
                    break
                in_scope = j == ahead
                if in_scope:
                    ahead += 1
                if j == after:
                    back += 1
                second = modifiers[j]
                if not in_scope and first.end <= second.scope_start:
                    continue
                first.limit_scope(second)
                second.limit_scope(first)

    @staticmethod
    def _apply(
        modifiers: list[_Modifier],
        spans: list[tuple[int, int] | None],
        targets: Sequence[tuple[int, int, str]],
    ) -> None:
        """``ConTextGraph.apply_modifiers``: each modifier's targets, in target order. A
        target can only be modified if it starts in [scope start, scope end) or ends in
        (scope start, scope end], and never by a TERMINATE or PSEUDO modifier; the others are
        found by bisection over the targets sorted by start and by end, then tested with
        ``modifies``."""
        present = [
            (start, end, target)
            for target, span in enumerate(spans)
            if span is not None
            for start, end in [span]
        ]
        by_start = sorted(present)
        starts = [start for start, _, _ in by_start]
        by_end = sorted((end, start, target) for start, end, target in present)
        ends = [end for end, _, _ in by_end]
        labels = [label.upper() for _, _, label in targets]
        for modifier in modifiers:
            low, high = modifier.scope_start, modifier.scope_end
            if low >= high or modifier.rule.direction in ("TERMINATE", "PSEUDO"):
                continue
            found = {
                target for _, _, target in by_start[bisect_left(starts, low) : bisect_left(starts, high)]
            }
            found.update(
                target for _, _, target in by_end[bisect_right(ends, low) : bisect_right(ends, high)]
            )
            modifier.targets = [
                target
                for target in sorted(found)
                if modifier.modifies(spans[target][0], spans[target][1], labels[target])  # type: ignore[index]
            ]
            limit = modifier.rule.max_targets
            if limit is not None and len(modifier.targets) > limit:
                distance = {
                    t: min(abs(modifier.start - spans[t][1]), abs(spans[t][0] - modifier.end))  # type: ignore[index]
                    for t in modifier.targets
                }
                modifier.targets = sorted(modifier.targets, key=distance.__getitem__)[:limit]
