"""`facetcode code`, `schema` and `eval` as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "sample.txt"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "extractor.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_code_json_sample():
    proc = run("code", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert [(line["code"], line["modifiers"]) for line in result["lines"]] == [
        ("64493", ["50", "KX"]),
        ("64494", ["50", "KX"]),
    ]
    text = SAMPLE.read_text()
    for joint in result["procedures"][0]["joints"]:
        for span in joint["evidence"]:
            assert text[span["start"] : span["end"]] == span["text"]


def test_code_from_stdin_text_format():
    proc = run("code", "-", "--format", "text", stdin=SAMPLE.read_text())
    assert proc.returncode == 0, proc.stderr
    assert "64493" in proc.stdout


def test_bad_inputs_exit_non_zero_with_one_line():
    missing = run("code", "no/such/file.txt")
    assert missing.returncode != 0 and len(missing.stderr.strip().splitlines()) == 1
    empty = run("code", "-", stdin="   ")
    assert empty.returncode == 3 and "EMPTY_NOTE" in empty.stderr
    payer = run("code", str(SAMPLE), "--payer", "nosuch")
    assert payer.returncode == 7 and "medicare" in payer.stderr


def test_schema_lists_contract_fields():
    proc = run("schema")
    schema = json.loads(proc.stdout)
    assert {"procedures", "agents", "sedation", "pain", "lines", "warnings", "schema_version"} <= set(
        schema["properties"]
    )


def test_eval_reports_fields(tmp_path):
    gold_dir = tmp_path / "c"
    gold_dir.mkdir()
    (gold_dir / "n1.txt").write_text(SAMPLE.read_text())
    (gold_dir / "n1.gold.json").write_text(
        json.dumps(
            {
                "id": "n1",
                "style": "templated",
                "procedures": [
                    {
                        "kind": "medial_branch_block",
                        "joints": [
                            {"joint": "L4-L5", "side": "bilateral"},
                            {"joint": "L5-S1", "side": "bilateral"},
                        ],
                    }
                ],
                "agents": [],
                "sedation": "local_only",
                "pain": {"pre": 7, "post": 1},
                "lines": [
                    {"code": "64493", "modifiers": ["50", "KX"], "units": 1},
                    {"code": "64494", "modifiers": ["50", "KX"], "units": 1},
                ],
                "warnings": [],
            }
        )
    )
    proc = run("eval", str(gold_dir), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["claim_exact_match"] == 1.0
    assert report["fields"]["joint_side"]["f1"] == 1.0


def test_eval_check_gold_flags_a_gold_file_that_contradicts_its_own_facts(tmp_path):
    dev_gold = sorted((ROOT / "corpora" / "dev" / "templated").glob("*.gold.json"))[0]
    gold = json.loads(dev_gold.read_text())
    (tmp_path / "good.txt").write_text("note text is not read by --check-gold")
    (tmp_path / "good.gold.json").write_text(json.dumps(gold))
    consistent = run("eval", str(tmp_path), "--check-gold")
    assert consistent.returncode == 0, consistent.stdout + consistent.stderr
    assert "checked: 1, self-consistent: 1" in consistent.stdout

    gold["lines"] = gold["lines"] + [{"code": "64495", "modifiers": ["KX"], "units": 1}]
    gold["warnings"] = sorted(set(gold["warnings"]) | {"COOLED_RF"})
    (tmp_path / "bad.txt").write_text("note")
    (tmp_path / "bad.gold.json").write_text(json.dumps(gold))
    conflicting = run("eval", str(tmp_path), "--check-gold")
    assert conflicting.returncode == 1
    assert "- bad" in conflicting.stdout and "- good" not in conflicting.stdout
    assert "64495-KX x1" in conflicting.stdout and "COOLED_RF" in conflicting.stdout
