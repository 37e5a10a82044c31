"""Pain scores asked for and answered in a speaker-labelled transcript.

An ambient scribe keeps the encounter as speaker turns: 'DR. OKAFOR: Pain right now, zero to
ten?' and then 'PATIENT: About a six. It's a good day, honestly.' The score is in the answer,
the words that say it is a pain score are in the question, so no one sentence holds both. A turn
that asks for a 0-10 score and ends on its question mark is answered by the next turn of another
speaker; the first score in the first words of that answer is the one given.
"""

from __future__ import annotations

import re

from .note_facts import score_value

# '[00:02:11] DR. LINDQVIST: ' / 'PATIENT: ' at a line start
_TURN = re.compile(r"(?m)^[ \t]*(?:\[[0-9:]{4,8}\][ \t]*)?(?P<speaker>[A-Z][A-Z.' -]{1,30}):[ \t]*")
# a turn that asks for the score: 'Zero to ten?', 'Pain right now, zero to ten?', 'Number?'
_ASKS = re.compile(r"(?i)(?:\bzero\s+to\s+ten\b|\b0\s*(?:-|to)\s*10\b|^number|\bpain\b)[^\n?]{0,60}\?[ \t]*$")
_WORD_SCORE = "zero|nil|one|two|three|four|five|six|seven|eight|nine|ten"
# the first score in an answer's first words: 'Maybe a seven.', 'Honestly, zero.', '5 out of 10.'
_ANSWER = re.compile(
    rf"(?i)^[^0-9\n]{{0,40}}?(?<![\w.])(?P<score>10|[0-9]|{_WORD_SCORE})\b"
    r"(?![ \t]*(?:%|percent|mg|ml|cc|pounds?|lbs?|o'clock|years?|months?|weeks?|days?|hours?|minutes?|"
    r"am\b|pm\b|[.:,][0-9]))"
)
_ANSWER_REACH = 60


def asked_scores(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of each score given in answer to a turn that asked for one."""
    if "?" not in text:
        return []
    turns = list(_TURN.finditer(text))
    found = []
    for index, turn in enumerate(turns[:-1]):
        line_end = text.find("\n", turn.end())
        question = text[turn.end() : line_end if line_end != -1 else len(text)]
        if not _ASKS.search(question):
            continue
        answer = turns[index + 1]
        if answer.group("speaker").strip() == turn.group("speaker").strip():
            continue
        said = _ANSWER.match(text[answer.end() : answer.end() + _ANSWER_REACH])
        if said is None:
            continue
        value = score_value(said.group("score"))
        if value is not None:
            found.append((answer.end() + said.start("score"), answer.end() + said.end("score"), value))
    return found
