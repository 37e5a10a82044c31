"""Spanish words in an English note, read as the English the rules know.

A bilingual clinician's dictation code-switches: 'lado derecho', 'izquierdo L4-5', 'ambos lados',
'ocho de diez', 'setenta por ciento', 'ochenta grados', 'T doce', 'sin sedación', a form's
'Sedación: ninguna' or 'ofrecida y rechazada'. The words become
their English (or digits) in the same width, left-aligned and padded with blanks, so every offset
stays the note's. Numbers are read only where they are scores, percents, temperatures or levels;
'dos' alone (or 'DOS', date of service) is left as it is.
"""

from __future__ import annotations

import re

_UNITS = {
    "cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
_TENS = {
    "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100,
}  # fmt: skip
_UNIT = "|".join(_UNITS)
_NUMBER = rf"(?:(?:{'|'.join(_TENS)})(?:[ \t]+y[ \t]+(?:{_UNIT}))?|{_UNIT})"
_WORDS = {
    "derecho": "right",
    "derecha": "right",
    "izquierdo": "left",
    "izquierda": "left",
    "isquierdo": "left",
    "isquierda": "left",
    "ambos lados": "bilateral",
    "sin sedación": "no sedation",
    "sin sedacion": "no sedation",
    "sin sedasion": "no sedation",
    "sedación": "sedation",
    "sedacion": "sedation",
    "sedasion": "sedation",
    "ninguna": "none",
    "ninguno": "none",
    "rechazada": "declined",
    "rechazado": "declined",
    "ofrecida": "offered",
    "ofrecido": "offered",
    # a bilingual form's headers ('PROCEDIMIENTO REALIZADO / PROCEDURE PERFORMED:', 'Historia / History:')
    "procedimiento realizado": "procedure performed",
    "procedimientos": "procedures",
    "procedimiento": "procedure",
    "historia": "history",
    "descripcion": "description",
    "descripción": "description",
    "indicaciones": "indications",
    "indicacion": "indication",
    "indicación": "indication",
    "hallazgos": "findings",
    "complicaciones": "complications",
    "medicamentos": "medications",
    "diagnostico": "diagnosis",
    "diagnóstico": "diagnosis",
}  # ('sin' alone is not read: it is also continental Latin for left, 'L5/S1 sin.')
_WORD = re.compile(r"(?i)\b(?:" + "|".join(w.replace(" ", "[ \\t]+") for w in _WORDS) + r")\b")
# (lower case: 'DOS 09/09' is a date of service)
_SAID_NUMBER = re.compile(
    rf"\b(?P<number>{_NUMBER})[ \t]+(?P<unit>de[ \t]+diez|por[ \t]+ciento|grados)\b"
    rf"|\b(?P<level>[CTL])[ \t]+(?P<vertebra>{_UNIT})\b"
)
_UNIT_WORD = {"de": "/10", "por": " percent", "grados": " degrees"}
_MARKERS = (
    "de diez", "por ciento", "grados", "derech", "izquierd", "isquierd", "ambos lados", "sedaci", "ningun",
    "rechazad", "procedimiento", "historia", "descripci",
)  # fmt: skip


def _value(said: str) -> int:
    words = said.lower().split()
    return _TENS.get(words[0], 0) + _UNITS.get(words[-1], 0) if words[0] in _TENS else _UNITS[words[0]]


def _padded(match: re.Match[str], read: str) -> str:
    width = len(match.group(0))
    return read[:width] + " " * max(0, width - len(read))


def _in_case_of(said: str, read: str) -> str:
    """``read`` in the case ``said`` was written in ('HISTORIA' -> 'HISTORY', 'Historia' -> 'History'):
    a header rule may want its capitals."""
    if said.isupper():
        return read.upper()
    return read[:1].upper() + read[1:] if said[:1].isupper() else read


def _number(match: re.Match[str]) -> str:
    if match.group("level"):
        return _padded(match, f"{match.group('level')} {_UNITS[match.group('vertebra')]}")
    unit = _UNIT_WORD[match.group("unit").split()[0]]
    return _padded(match, f"{_value(match.group('number'))}{unit}")


_QUOTE_REACH = 400
"""How far back on its line a word looks for the quotation it may be in (bounded: this runs per word)."""


def _quoted(text: str, offset: int) -> bool:
    """``offset`` is inside a quotation opened on its line: the patient's own words ('"dolor ocho
    de diez cuando me subo a la troca" (pain eight out of ten when I get into the truck)'),
    which an interpreter's note glosses in English beside them."""
    reach = max(0, offset - _QUOTE_REACH)
    line_start = text.rfind("\n", reach, offset)
    line = text[reach if line_start == -1 else line_start + 1 : offset]
    return (line.count('"') + line.count("\u201c") + line.count("\u201d")) % 2 == 1


def spanish_words(text: str) -> str:
    """``text`` with its Spanish sides, scores, percents, temperatures and levels in English."""
    lowered = text.lower()
    if not any(marker in lowered for marker in _MARKERS):
        return text
    original = text
    text = _SAID_NUMBER.sub(lambda m: m.group(0) if _quoted(original, m.start()) else _number(m), text)
    return _WORD.sub(
        lambda m: (
            m.group(0)
            if _quoted(original, m.start())
            else _padded(m, _in_case_of(m.group(0), _WORDS[" ".join(m.group(0).lower().split())]))
        ),
        text,
    )
