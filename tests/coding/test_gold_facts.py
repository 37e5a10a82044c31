"""Coding from the gold facts of the dev corpus must give the gold lines and warnings (medicare).

This isolates the coding half from extraction: whatever the NLP scores, lines coded from correct
facts must match the annotators' lines exactly. Only corpora/dev is read (corpora/test is held out).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.coding import code_facts, load_profile
from extractor.gold_check import facts_from_gold

DEV = Path(__file__).resolve().parents[2] / "corpora" / "dev"
GOLD = sorted(DEV.glob("*/*.gold.json"))


@pytest.mark.skipif(not GOLD, reason="no dev gold annotations")
@pytest.mark.parametrize("path", GOLD, ids=[path.stem.removesuffix(".gold") for path in GOLD])
def test_gold_facts_code_to_gold_lines(path: Path) -> None:
    gold = json.loads(path.read_text(encoding="utf-8"))
    lines, warnings = code_facts(facts_from_gold(gold), load_profile("medicare"))
    expected = sorted((line["code"], tuple(line["modifiers"]), line["units"]) for line in gold["lines"])
    assert sorted((line.code, tuple(line.modifiers), line.units) for line in lines) == expected
    assert sorted({warning.id for warning in warnings}) == sorted(gold["warnings"])
