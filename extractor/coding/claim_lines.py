"""From the sessions' draft lines to the note's ``ClaimLine``s: one line per unlisted code,
modifiers in order (50, RT/LT, KX), evidence, and a deterministic order (region cranial to
caudal, family, primary first).
"""

from __future__ import annotations

from ..models import ClaimLine, NoteFacts
from .draft import REGION_ORDER, SLOT_ORDER, DraftLine
from .evidence import evidence_union
from .lines import session_lines
from .profiles import Profile
from .sessions import Session
from .tables import CodeTables


def build_claim_lines(
    sessions: list[Session], facts: NoteFacts, profile: Profile, tables: CodeTables
) -> tuple[list[DraftLine], list[ClaimLine]]:
    """The drafts (kept for the checks, which name the codes of each procedure) and the lines."""
    drafts = merge_note_level(
        [line for session in sessions for line in session_lines(session, profile, tables)]
    )
    drafts.sort(key=lambda line: line_sort_key(line, tables))
    return drafts, [to_claim_line(line, facts, tables) for line in drafts]


def merge_note_level(lines: list[DraftLine]) -> list[DraftLine]:
    """Single-line codes (64999) from several families or regions become one line for the note."""
    result: list[DraftLine] = []
    by_code: dict[str, int] = {}
    for line in lines:
        if line.slot != "single":
            result.append(line)
        elif line.code in by_code:
            position = by_code[line.code]
            result[position] = result[position].combine(line, units=1)
        else:
            by_code[line.code] = len(result)
            result.append(line)
    return result


def modifiers_of(line: DraftLine, tables: CodeTables) -> list[str]:
    """The line's modifiers that its code takes, in the table's order (50, RT/LT, KX)."""
    entry = tables.codes.codes[line.code]
    modifiers = []
    if line.laterality and entry.takes_laterality:
        modifiers.append(line.laterality)
    if line.kx and entry.takes_kx:
        modifiers.append("KX")
    return sorted(modifiers, key=tables.codes.modifier_rank)


def line_sort_key(line: DraftLine, tables: CodeTables) -> tuple[object, ...]:
    return (
        REGION_ORDER[line.line_region],
        line.family_rank,
        SLOT_ORDER[line.slot],
        line.first_index,
        [tables.codes.modifier_rank(m) for m in modifiers_of(line, tables)],
        line.code,
    )


def to_claim_line(line: DraftLine, facts: NoteFacts, tables: CodeTables) -> ClaimLine:
    modifiers = modifiers_of(line, tables)
    rules = list(dict.fromkeys(line.rules + (("MODIFIER-ORDER",) if len(modifiers) > 1 else ())))
    evidence = evidence_union(
        *(level.evidence for level in line.levels),
        *(facts.procedures[i].evidence for i in line.procedures),
    )
    return ClaimLine(
        code=line.code,
        modifiers=modifiers,
        units=line.units,
        label=tables.label(line.code),
        joints=[level.joint for level in line.levels],
        evidence=evidence,
        rules=rules,
    )
