"""The fast pipeline against the reference pipeline, on every corpus note.

Run as a script to print the notes whose results differ (exit status 1 if any)::

    /work/venv/bin/python tests/perf/equivalence.py [DIR ...]

Both pipelines run on the same working tree (the same rule JSON), so the check stays valid
while the rules change; ``code_note`` runs end to end with each (``reference_pipeline``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractor.nlp import facts as facts_module
from extractor.nlp.pipeline import load_pipeline

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora"


def corpus_notes(*roots: Path) -> list[Path]:
    """Every note (``*.txt``) under ``roots`` (default: all of corpora/), sorted."""
    return sorted(path for root in (roots or (CORPORA,)) for path in root.rglob("*.txt"))


@contextmanager
def reference_pipeline(doc=None) -> Iterator[None]:
    """``code_note`` / ``extract_facts`` run the reference pipeline and ``ReferenceNoteView``
    inside this block; given ``doc`` (the reference pipeline's Doc of the note to be coded,
    already made), they read it instead of running the slow pipeline a second time."""
    from extractor.nlp.reference import ReferenceNoteView

    def made(text: str):
        assert text == doc.text, "the Doc given is not of the note being coded"
        return doc

    original = facts_module.load_pipeline, facts_module.NoteView
    pipeline = load_pipeline(reference=True) if doc is None else made
    facts_module.load_pipeline = lambda: pipeline  # type: ignore[assignment]
    facts_module.NoteView = ReferenceNoteView  # type: ignore[misc]
    try:
        yield
    finally:
        facts_module.load_pipeline, facts_module.NoteView = original  # type: ignore[misc]


def doc_view(doc) -> dict:
    """What the components leave on a Doc for the fact builders."""
    return {
        "sentences": doc._.facet_sentences,
        "sections": doc._.facet_sections,
        "mentions": doc._.facet_mentions,
    }


def results(text: str, reference_doc=None) -> tuple[str, str]:
    """(fast, reference) ``code_note`` JSON, or the error each raised; ``reference_doc`` as
    for ``reference_pipeline``."""
    from extractor import code_note

    def run() -> str:
        try:
            return code_note(text).model_dump_json()
        except Exception as error:  # noqa: BLE001  (typed input errors must match too)
            return f"{type(error).__name__}: {error}"

    fast = run()
    with reference_pipeline(reference_doc):
        reference = run()
    return fast, reference


def main(argv: list[str]) -> int:
    paths = corpus_notes(*(Path(a) for a in argv))
    differ = [p for p in paths if len(set(results(p.read_text(encoding="utf-8")))) != 1]
    for path in differ:
        print(f"DIFFERS {path.relative_to(ROOT)}")
    print(f"{len(paths)} notes, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
