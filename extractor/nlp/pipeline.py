"""Builds the spaCy pipeline once per process: ``spacy.blank("en")`` plus our components.
Nothing is downloaded; no pretrained model is used.

``load_pipeline(reference=True)`` builds the previous pipeline instead (token-loop sentence
splitter, one ``finditer`` per rule file, medspaCy's ConText): the same results, slower; the
equivalence tests and bench/throughput.py compare the two. medspaCy (and with it PyRuSH and
loguru) is imported only for the reference pipeline.
"""

from __future__ import annotations

import logging
import warnings
from functools import cache

from spacy.language import Language

PIPES = ("facet_sentences", "facet_sections", "facet_targets", "facet_context")


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
def load_pipeline(reference: bool = False) -> Language:
    import spacy

    if not reference:
        from . import components  # noqa: F401  (importing registers the factories)

        nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "facet_coder.Tokenizer.v1"}}})
        for component in PIPES:
            nlp.add_pipe(component)
        return nlp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import medspacy.context  # noqa: F401  (importing medspaCy also imports PyRuSH and loguru)

        _silence_third_party_logging()
        from . import reference as reference_components

        nlp = spacy.blank("en")
        for component in reference_components.PIPES:
            nlp.add_pipe(component)
    return nlp
