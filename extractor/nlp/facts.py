"""``extract_facts``: note text -> NoteFacts (the NLP half's only public product)."""

from __future__ import annotations

from ..models import NoteFacts
from .note_facts import build_agents, build_prior_response, build_sedation
from .note_view import NoteView
from .pain_facts import build_pain
from .pipeline import load_pipeline
from .procedure_facts import build_procedures


def facts_from_view(view: NoteView) -> NoteFacts:
    procedures, discrepancy, elsewhere = build_procedures(view)
    sedation, sedation_evidence = build_sedation(view)
    return NoteFacts(
        procedures=procedures,
        agents=build_agents(view),
        sedation=sedation,  # type: ignore[arg-type]
        sedation_evidence=sedation_evidence,
        pain=build_pain(view),
        prior_response=build_prior_response(view),
        level_discrepancy=discrepancy,
        other_findings=elsewhere,
    )


def extract_facts(text: str) -> NoteFacts:
    """Run the pipeline on ``text`` and build the facts; evidence offsets index ``text``."""
    doc = load_pipeline()(text)
    return facts_from_view(NoteView.from_doc(doc))
