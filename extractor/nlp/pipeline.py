"""Builds the spaCy pipeline once per process: ``spacy.blank("en")`` plus our components
and medspaCy's ConText with our rules. Nothing is downloaded; no pretrained model is used."""

from __future__ import annotations

import logging
import warnings
from functools import cache

from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)


def _silence_third_party_logging() -> None:
    """PyRuSH (imported by medspaCy) logs note tokens at DEBUG through loguru; never let it."""
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover
        return
    for name in ("PyRuSH", "medspacy", "quickumls"):
        logger.disable(name)
    logging.getLogger("medspacy").setLevel(logging.WARNING)


@cache
def load_pipeline() -> Language:
    import spacy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import medspacy.context  # noqa: F401  (importing medspaCy also imports PyRuSH and loguru)

        _silence_third_party_logging()
        nlp = spacy.blank("en")
        for component in ("facet_sentences", "facet_sections", "facet_targets", "facet_context"):
            nlp.add_pipe(component)
    return nlp
