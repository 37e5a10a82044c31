"""Every gold annotation follows the documented format (corpora/README.md)."""

import json
from pathlib import Path

import pytest

from extractor.models import FACET_KINDS
from extractor.nlp.level_parser import JOINTS

ROOT = Path(__file__).resolve().parents[1] / "corpora"
GOLD = sorted(ROOT.rglob("*.gold.json"))
KINDS = FACET_KINDS | {"other"}
REQUIRED = {"id", "style", "procedures", "agents", "sedation", "pain", "lines", "warnings"}


def test_corpus_is_large_and_split():
    assert len(GOLD) >= 100
    assert any(p.parts[-3] == "dev" for p in GOLD) and any(p.parts[-3] == "test" for p in GOLD)


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_file(path):
    gold = json.loads(path.read_text())
    assert REQUIRED <= set(gold)
    assert path.with_name(path.name.replace(".gold.json", ".txt")).exists()
    for procedure in gold["procedures"]:
        assert procedure["kind"] in KINDS
        for joint in procedure.get("joints", []):
            assert joint["joint"] in JOINTS
            assert joint["side"] in ("left", "right", "bilateral", None)
    assert gold["sedation"] in (None, "none", "local_only", "moderate", "mac", "general")
    assert gold["warnings"] == sorted(set(gold["warnings"]))
    for line in gold["lines"]:
        assert set(line) >= {"code", "modifiers", "units"}
