"""Builds the spaCy pipeline once per process: ``spacy.blank("en")`` plus our components.
Nothing is downloaded; no pretrained model is used.

``load_pipeline(reference=True)`` builds the previous pipeline instead (token-loop sentence
splitter, one ``finditer`` per rule file, medspaCy's ConText): the same results, slower; the
equivalence tests and bench/throughput.py compare the two. medspaCy (and with it PyRuSH and
loguru) is imported only for the reference pipeline.
"""

from __future__ import annotations

import logging
import re
import warnings
from functools import cache

from spacy.language import Language

PIPES = ("facet_sentences", "facet_sections", "facet_targets", "facet_context")

# A run of digits or of blanks has no prefix, suffix or infix in spaCy's English rules, so it is
# one token either way; saying so up front skips the affix searches, which grow faster than the
# run (100,000 digits: 178 ms -> 30 ms; 'Sedation' + 100,000 tabs: 145 ms -> 21 ms, and x90
# against 12,500 tabs before). tests/nlp/test_tokenizer.py checks the tokens stay the same.
PLAIN_RUN = re.compile(r"[0-9]+|\s+")


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
        from .components import TextKeepingTokenizer  # (importing registers the factories)

        nlp = spacy.blank("en")
        nlp.tokenizer.token_match = PLAIN_RUN.fullmatch
        nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
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
