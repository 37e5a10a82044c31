"""``code_facts``: NoteFacts + payer profile -> claim lines and documentation warnings.

Pure and deterministic: the same facts and profile always give the same lines and warnings,
in the same order. No spaCy here: the coding half is tested with facts built by hand.
"""

from __future__ import annotations

from ..models import FACET_KINDS, ClaimLine, CodingWarning, NoteFacts
from .checks import CheckContext, run_checks
from .claim_lines import build_claim_lines
from .profiles import Profile
from .sessions import build_sessions
from .tables import code_tables
from .warnings import no_facet_hit, to_warnings


def code_facts(facts: NoteFacts, profile: Profile) -> tuple[list[ClaimLine], list[CodingWarning]]:
    """Claim lines (region cranial to caudal, primary first) and warnings (errors first).

    A note with no facet procedure performed today gets no lines and only NO_FACET_PROCEDURE.
    """
    if not any(procedure.kind in FACET_KINDS for procedure in facts.procedures):
        return [], to_warnings([no_facet_hit(facts)], profile)
    tables = code_tables()
    sessions = build_sessions(facts, profile, tables)
    drafts, lines = build_claim_lines(sessions, facts, profile, tables)
    context = CheckContext(facts, profile, tables, tuple(drafts), tuple(lines))
    return lines, to_warnings(run_checks(context), profile)
