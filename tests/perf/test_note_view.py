"""NoteView's indexed lookups answer as the plain scans did (``ReferenceNoteView``)."""

from __future__ import annotations

from extractor.nlp.note_view import NoteView
from extractor.nlp.reference import ReferenceNoteView

CATEGORY_SETS = [
    ("SIDE",),
    ("LEVEL_PHRASE", "LEVEL_WORD", "NERVE_TON"),
    ("NERVE_CUE", "NERVE_DR", "TARGET_CUE"),
    (),
]


def test_lookups_match_the_plain_scans(docs):
    for _, doc, _ in docs[::3]:
        view, plain = NoteView.from_doc(doc), ReferenceNoteView.from_doc(doc)
        categories = sorted({m.category for m in view.mentions})
        sets = CATEGORY_SETS + [(c,) for c in categories] + [tuple(categories), tuple(reversed(categories))]
        for cats in sets:
            assert view.of(*cats) == plain.of(*cats)
            for sent in range(len(view.sentences)):
                assert list(view.in_sentence(sent, *cats)) == list(plain.in_sentence(sent, *cats))
        offsets = {s["start"] + d for s in view.sections for d in (-1, 0, 1)} | {0, len(view.text)}
        assert [view.role_at(o) for o in sorted(offsets)] == [plain.role_at(o) for o in sorted(offsets)]


def test_role_at_with_sections_out_of_order():
    sections = [
        {"start": 0, "role": "a"},
        {"start": 50, "role": "b"},
        {"start": 20, "role": "c"},
        {"start": 80, "role": "d"},
    ]
    view = NoteView(text="x" * 100, sentences=[[0, 100]], sections=sections)
    plain = ReferenceNoteView(text="x" * 100, sentences=[[0, 100]], sections=sections)
    assert [view.role_at(o) for o in range(100)] == [plain.role_at(o) for o in range(100)]


def test_of_several_categories_returns_a_fresh_list(docs):
    view = NoteView.from_doc(docs[0][1])
    first = view.of("SIDE", "LEVEL_PHRASE")
    first.append("junk")
    assert "junk" not in view.of("SIDE", "LEVEL_PHRASE")


def test_sentence_at_is_the_first_sentence_holding_the_offset(docs):
    def plain(view, offset):
        for start, end in view.sentences:
            if start <= offset < end:
                return start, end
        return offset, offset

    for _, doc, _ in docs[::5]:
        view = NoteView.from_doc(doc)
        for offset in range(-1, len(view.text) + 2, 7):
            assert view.sentence_at(offset) == plain(view, offset)
    odd = NoteView(text="x" * 30, sentences=[[10, 20], [0, 15], [25, 25]], sections=[])
    assert [odd.sentence_at(o) for o in range(30)] == [plain(odd, o) for o in range(30)]
