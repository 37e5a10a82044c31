"""Which facet procedure(s) were done today, and which level phrases belong to each.

Notes about blocks talk about RFA all the time ("to determine candidacy for RFA") and RFA notes
recall the blocks that qualified the patient, so the kind is not simply the most specific word:
mentions in the procedure header or beside today's levels weigh more, and a neurotomy wins
over an injection only with evidence that lesioning happened. A second kind becomes its own
procedure only when it owns level phrases in its own sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .level_parser import LEVEL_START
from .listed_parts import listed_segments, segment_label
from .note_view import Mention, NoteView

_NEUROTOMY = frozenset({"rf_ablation_thermal", "rf_pulsed", "chemical_neurolysis", "cryoneurolysis"})
_LESION_EVIDENCE = re.compile(
    r"\b(?:lesion(?:s|ed|ing)?|cannula(?:e|s)?|probes?|generator|electrodes?|thermal|denervat\w*|"
    r"ablat(?:ed|ion\s+was|ions\s+were)|sensory\s+(?:stim\w*|testing)|motor\s+(?:stim\w*|testing)|"
    r"neurotomy\s+(?:was|were)\s+performed|coagulat\w*|neurolys\w*|phenol|alcohol|freez\w*|cryo\w*|pulsed)\b",
    re.IGNORECASE,
)


_OWNER_REACH = 80


@dataclass
class KindGroup:
    kind: str
    technique: str | None
    mentions: list[Mention]
    phrases: list[Mention] = field(default_factory=list)
    scope: list[tuple[int, int]] = field(default_factory=list)  # its listed parts, if any


def family(kind: str) -> str:
    return "neurotomy" if kind in _NEUROTOMY else "injection"


def _weight(view: NoteView, mention: Mention, level_sentences: set[int]) -> int:
    if mention.role == "header":
        return 3
    if mention.sent in level_sentences or mention.sent <= 2:
        return 2
    return 1


def _has_lesion_evidence(view: NoteView) -> bool:
    if any(m.today and not m.negated for m in view.of("TEMPERATURE")):
        return True
    for start, end in view.sentences:
        if view.role_at(start) in ("description", "untitled", "other_today", "header", "pain"):
            if _LESION_EVIDENCE.search(view.text[start:end]):
                return True
    return False


def dominant_kind(view: NoteView, kinds: list[Mention], phrases: list[Mention]) -> str:
    level_sentences = {p.sent for p in phrases}
    # the strongest single mention counts most; repetition only breaks ties
    scores: dict[str, float] = {}
    for mention in kinds:
        kind = mention.meta["kind"]
        value = _weight(view, mention, level_sentences) + 0.1 * mention.meta.get("specificity", 0)
        scores[kind] = max(scores.get(kind, 0.0), value) + 0.05
    families = {family(k) for k in scores}
    if len(families) == 2 and not _has_lesion_evidence(view):
        scores = {k: v for k, v in scores.items() if family(k) == "injection"}
    elif len(families) == 2:
        named = {
            family(m.meta["kind"])
            for m in kinds
            if m.meta.get("specificity", 0) >= 2 and not m.meta.get("needs_levels")
        }
        if (
            len(named) == 1
        ):  # a loose 'facet injection' never outweighs a neurotomy named outright, or vice versa
            scores = {k: v for k, v in scores.items() if family(k) in named}
    if len({family(k) for k in scores}) == 2 and _block_only_titled(view, kinds):
        scores = {k: v for k, v in scores.items() if family(k) == "neurotomy"}
    best_family = family(max(scores, key=scores.__getitem__))
    candidates = {k: v for k, v in scores.items() if family(k) == best_family}
    specific = {
        k: v
        for k, v in candidates.items()
        if any(m.meta["kind"] == k and m.meta.get("specificity", 0) >= 2 for m in kinds)
    }
    pool = specific or candidates
    if (
        best_family == "injection"
        and "intra_articular" in pool
        and (not specific or _joint_denied(view))
        and _nerve_targets(view)
    ):
        # only a loose 'facet injection', or an 'INTRA-ARTICULAR' title over 'no intra-articular
        # injection was made today', and the needles went to the nerves
        return "medial_branch_block"
    if best_family == "neurotomy":
        special = [k for k in pool if k != "rf_ablation_thermal"]
        if special:
            return max(special, key=pool.__getitem__)
    return max(pool, key=pool.__getitem__)


def _block_only_titled(view: NoteView, kinds: list[Mention]) -> bool:
    """'Procedure: LEFT C6-C8 MEDIAL BRANCH BLOCK' over a description that lesions at 85 C through
    RF cannulae: an injection named only in the title (or the assessment) of a note whose body
    names a neurotomy and a lesion temperature is that neurotomy, not a second procedure."""
    injection_roles = {m.role for m in kinds if family(m.meta["kind"]) == "injection"}
    body_neurotomy = any(
        family(m.meta["kind"]) == "neurotomy" and m.role in ("description", "untitled") for m in kinds
    )
    lesioned_at = any(
        m.today and not m.negated and m.role in ("description", "untitled") for m in view.of("TEMPERATURE")
    )
    return bool(injection_roles) and injection_roles <= {"header", "plan"} and body_neurotomy and lesioned_at


def _joint_denied(view: NoteView) -> bool:
    return any(
        m.negated and m.today and m.role != "header" and m.meta.get("kind") == "intra_articular"
        for m in view.of("KIND")
    )


def _nerve_targets(view: NoteView) -> bool:
    return any(m.today for m in view.of("NERVE_CUE", "NERVE_DR", "TARGET_CUE", "SACRAL_ALA", "NERVE_TON"))


def _new_group(kind: str, kinds: list[Mention]) -> KindGroup:
    """The group of one kind: its mentions, and the technique the first of them names."""
    mentions = [m for m in kinds if m.meta["kind"] == kind]
    technique = next((m.meta["technique"] for m in mentions if m.meta.get("technique")), None)
    return KindGroup(kind, technique, mentions)


def _listed_groups(view: NoteView, kinds: list[Mention], phrases: list[Mention]) -> list[KindGroup] | None:
    """One group per listed part ('(A) ... neurotomy ... (B) ... medial branch block'), when two
    parts name different kinds; phrases outside every part go to the first part's kind."""
    segments = listed_segments(view.text)
    if not segments:
        return None
    part_kind: dict[str, Mention] = {}
    for kind in kinds:
        label = segment_label(segments, kind.start)
        if label is None:
            continue  # in a listed part even a loose 'facet joint injections' names the part's kind
        best = part_kind.get(label)
        if best is None or kind.meta.get("specificity", 0) > best.meta.get("specificity", 0):
            part_kind[label] = kind
    if len({k.meta["kind"] for k in part_kind.values()}) < 2:
        return None
    groups: dict[str, KindGroup] = {}
    for label in sorted(part_kind):
        kind = part_kind[label].meta["kind"]
        if kind not in groups:
            groups[kind] = _new_group(kind, kinds)
        groups[kind].scope.extend(segments[label])
    first = next(iter(groups.values()))
    for phrase in phrases:
        label = segment_label(segments, phrase.start)
        target = groups[part_kind[label].meta["kind"]] if label in part_kind else first
        target.phrases.append(phrase)
    return [g for g in groups.values() if g.phrases]


def group_phrases(view: NoteView, kinds: list[Mention], phrases: list[Mention]) -> list[KindGroup]:
    """The dominant kind takes every phrase not owned by another specific kind in its sentence
    (unless the note lists its procedures in marked parts)."""
    listed = _listed_groups(view, kinds, phrases) or _sided_groups(view, kinds, phrases)
    if listed:
        return listed
    main = dominant_kind(view, kinds, phrases)
    groups: dict[str, KindGroup] = {}

    def group(kind: str) -> KindGroup:
        if kind not in groups:
            groups[kind] = _new_group(kind, kinds)
        return groups[kind]

    group(main)
    separate: dict[str, bool] = {}  # per kind: _separate_kind scans the note, once is enough
    owned: list[tuple[Mention, str | None]] = []
    for phrase in phrases:
        owners = [
            k
            for k in kinds
            if k.sent == phrase.sent
            and k.meta.get("specificity", 0) >= 2
            and abs(k.start - phrase.start) <= _OWNER_REACH
        ]
        owner = min(owners, key=lambda k: abs(k.start - phrase.start)) if owners else None
        kind = owner.meta["kind"] if owner is not None else None
        if kind is not None and kind != main and kind not in separate:
            separate[kind] = _separate_kind(view, kind, main, kinds)
        owned.append((phrase, kind if kind is None or kind == main or separate[kind] else main))
    by_region = _kind_by_region(owned)
    for phrase, kind in owned:
        if kind is None:
            # 'Cervical. ... the right C4, C5 and C6 articular pillars' in a session that did a
            # lumbar RFA and a cervical block: the kind that owns the other cervical levels
            kind = by_region.get(_phrase_region(phrase), main)
        group(kind).phrases.append(phrase)
    ordered = [groups[main]] + [g for k, g in groups.items() if k != main and g.phrases]
    return ordered


_SIDE_BEFORE_KIND = 40
"""How far before a kind its side may be named ('right lumbar radiofrequency neurotomy')."""


def _one_side(mention: Mention) -> str | None:
    if mention.today and not mention.negated and mention.value in ("left", "right"):
        return mention.value
    return None


def _sided_groups(view: NoteView, kinds: list[Mention], phrases: list[Mention]) -> list[KindGroup] | None:
    """'Procedures today, number one, right lumbar radiofrequency neurotomy. Number two, left
    lumbar medial branch blocks': two kinds, each named with its own side, take the level phrases
    of their side (the side named last before the phrase in its sentence); a phrase with no side
    of its own goes to the first kind named."""
    sided: dict[str, str] = {}  # side -> kind
    for kind in kinds:
        if not kind.today or kind.negated or kind.meta.get("specificity", 0) < 2:
            continue
        before = [
            side
            for m in view.in_sentence(kind.sent, "SIDE")
            if m.end <= kind.start and kind.start - m.end <= _SIDE_BEFORE_KIND and (side := _one_side(m))
        ]
        if before:
            if sided.get(before[-1], kind.meta["kind"]) != kind.meta["kind"]:
                return None  # one side named with two kinds
            sided[before[-1]] = kind.meta["kind"]
    if len(sided) != 2 or len(set(sided.values())) != 2:
        return None
    first = min(sided.values(), key=lambda k: min(m.start for m in kinds if m.meta["kind"] == k))
    groups = {kind: _new_group(kind, kinds) for kind in sorted(set(sided.values()), key=lambda k: k != first)}
    for phrase in phrases:
        sides = [
            side
            for m in view.in_sentence(phrase.sent, "SIDE")
            if m.end <= phrase.start and (side := _one_side(m))
        ]
        groups[sided[sides[-1]] if sides else first].phrases.append(phrase)
    if not all(g.phrases for g in groups.values()):
        return None
    for group in groups.values():
        # each kind's own sentences (its levels' and its names'), so its sides, intent and the
        # sacral-ala target of the other side are read within them
        sentences = {p.sent for p in group.phrases} | {m.sent for m in group.mentions if m.today}
        group.scope.extend(view.sentence_bounds(sent) for sent in sorted(sentences))
    return list(groups.values())


def _phrase_region(phrase: Mention) -> str | None:
    """'cervical_thoracic' or 'lumbar_sacral' by the first level letter (None if unread)."""
    letter = LEVEL_START.search(phrase.text)
    if letter is None:
        return None
    return "cervical_thoracic" if letter.group(1).upper() in "CT" else "lumbar_sacral"


def _kind_by_region(owned: list[tuple[Mention, str | None]]) -> dict[str | None, str]:
    """Region -> kind, when two kinds own level phrases of different regions only (a lumbar RFA
    and a cervical block in one session); empty otherwise."""
    regions: dict[str, set[str | None]] = {}
    for phrase, kind in owned:
        if kind is not None:
            regions.setdefault(kind, set()).add(_phrase_region(phrase))
    if len(regions) < 2 or any(None in r or len(r) != 1 for r in regions.values()):
        return {}
    if len({next(iter(r)) for r in regions.values()}) != len(regions):
        return {}
    return {next(iter(r)): kind for kind, r in regions.items()}


def _separate_kind(view: NoteView, kind: str, main: str, kinds: list[Mention]) -> bool:
    """A second kind stands on its own unless it is a neurotomy without lesioning evidence, an
    intra-articular injection the note says was not made, or both are neurotomies."""
    if family(kind) == "neurotomy" and not _has_lesion_evidence(view):
        return False
    if family(kind) == "injection" and family(main) == "neurotomy" and _block_only_titled(view, kinds):
        return False
    if kind == "intra_articular" and main == "medial_branch_block" and _joint_denied(view):
        return False  # an 'INTRA-ARTICULAR' title over 'no intra-articular injection was made today'
    return not (family(kind) == family(main) == "neurotomy")
