"""parse_claim on arbitrary text: a list of lines or InvalidClaim, never another exception; and
every line it returns prints back to itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractor.audit import SubmittedLine, parse_claim
from extractor.errors import InvalidClaim

codes = st.one_of(
    st.from_regex(r"\A\d{5}\Z"),
    st.from_regex(r"\A\d{4}[A-Z]\Z"),
    st.from_regex(r"\A[A-Z]\d{4}\Z"),
)
modifiers = st.lists(st.from_regex(r"\A[0-9A-Z]{2}\Z"), max_size=4, unique=True)
lines = st.builds(SubmittedLine, code=codes, modifiers=modifiers, units=st.integers(1, 999))


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_arbitrary_text_parses_or_raises_invalid_claim(text):
    try:
        parsed = parse_claim(text)
    except InvalidClaim as error:
        assert str(error)
    else:
        assert parsed and all(isinstance(line, SubmittedLine) for line in parsed)


@given(st.lists(lines, min_size=1, max_size=6), st.sampled_from([", ", "\n", ",", " ,\n"]))
def test_printed_lines_parse_back(submitted, separator):
    assert parse_claim(separator.join(str(line) for line in submitted)) == submitted
    assert parse_claim([line.model_dump() for line in submitted]) == submitted
