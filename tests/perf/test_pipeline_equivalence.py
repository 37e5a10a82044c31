"""The fast pipeline leaves the same sentences, sections and mentions on every corpus note as
the reference pipeline, and ``code_note`` gives the same result JSON with either."""

from __future__ import annotations

from .equivalence import doc_view, results


def test_corpus_is_there(notes):
    assert len(notes) >= 300


def test_sentences_sections_and_mentions_match_the_reference(docs):
    differ = [name for name, fast, reference in docs if doc_view(fast) != doc_view(reference)]
    assert differ == []


def test_the_doc_keeps_its_text(docs):
    assert all(fast._.facet_text == fast.text for _, fast, _ in docs)


def test_only_json_values_are_left_on_the_doc(docs):
    import json

    for _, fast, _ in docs[:50]:
        json.dumps([fast._.facet_sentences, fast._.facet_sections, fast._.facet_mentions, fast._.facet_cues])
        assert not fast.spans


def test_code_note_results_match_the_reference(notes, docs):
    """The reference side reads the reference Docs the ``docs`` fixture made (the pipeline
    itself is compared above), so the slow pipeline runs once per note, not twice."""
    differ = [
        name
        for (name, text), (_, _, reference) in zip(notes, docs, strict=True)
        if len(set(results(text, reference))) != 1
    ]
    assert differ == []


def test_code_note_results_match_the_reference_pipeline_run_afresh(notes):
    """One note end to end with the reference pipeline built and run inside ``code_note``."""
    name, text = next((name, text) for name, text in notes if name == "sample.txt")
    assert len(set(results(text))) == 1
