"""``audit_claim`` and ``facetcode audit`` with the note's coding stubbed (no NLP needed):
argument handling, claim files, exit statuses and the text format."""

from __future__ import annotations

import argparse
import json

import pytest

from extractor.audit import AuditResult, audit_claim
from extractor.audit import api as audit_api
from extractor.audit.text_output import render_text
from extractor.cli import audit_command
from extractor.cli.note_source import InputNotFound
from extractor.errors import InvalidClaim

from .builders import NOTE, biologic, procedure, result

BILATERAL_2 = {"L4-L5": "bilateral", "L5-S1": "bilateral"}


@pytest.fixture
def coded(monkeypatch):
    """Stub the NLP + coding step: every note codes to a bilateral L4-5/L5-S1 diagnostic MBB."""
    calls = []
    res = result(
        ["64493-50-KX", "64494-50-KX"], [procedure(joints=BILATERAL_2)], warnings=["MISSING_PAIN_SCORES"]
    )

    def fake_code_note(text, payer, max_chars):
        calls.append((text, payer))
        return res.model_copy(update={"payer": payer})

    monkeypatch.setattr(audit_api, "_code_note", fake_code_note)
    monkeypatch.setattr(audit_api, "_load_profile", lambda payer: payer)
    return calls


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="facetcode")
    audit_command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


@pytest.fixture
def note_file(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    return str(path)


def test_audit_claim_returns_the_coding_the_submitted_lines_and_findings(coded):
    audit = audit_claim(NOTE, "64493-RT-KX, 64493-LT-KX, 64494-50-KX", payer="commercial")
    assert isinstance(audit, AuditResult)
    assert coded == [(NOTE, "commercial")]
    assert [str(line) for line in audit.submitted] == ["64493-RT-KX", "64493-LT-KX", "64494-50-KX"]
    assert [f.id for f in audit.findings] == ["AUDIT_BILATERAL_AS_TWO_LINES"]
    assert audit.coding.payer == "commercial" and audit.has_errors
    dumped = json.loads(audit.model_dump_json(by_alias=True))
    assert set(dumped) == {"coding", "submitted", "findings"}
    assert set(dumped["findings"][0]) == {
        "id",
        "severity",
        "message",
        "line",
        "suggestion",
        "evidence",
        "source",
    }
    assert dumped["findings"][0]["line"] == {"code": "64493", "modifiers": ["RT", "KX"], "units": 1}


def test_audit_claim_accepts_json_lines(coded):
    audit = audit_claim(
        NOTE, [{"code": "64493", "modifiers": ["50", "KX"]}, {"code": "64494", "modifiers": ["50", "KX"]}]
    )
    assert audit.findings == [] and not audit.has_errors


def test_a_malformed_claim_fails_before_any_coding(coded):
    with pytest.raises(InvalidClaim, match="'6449'"):
        audit_claim(NOTE, "6449-50")
    assert coded == []


def test_package_exports_audit_claim_lazily():
    import extractor

    assert extractor.audit_claim is audit_claim


def test_cli_exit_status_zero_for_a_supported_claim(coded, note_file, capsys):
    assert run_cli(["audit", note_file, "--claim", "64493-50-KX, 64494-50-KX"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["findings"] == [] and output["coding"]["payer"] == "medicare"


def test_cli_exit_status_one_on_an_error_finding(coded, note_file, capsys):
    assert (
        run_cli(["audit", note_file, "--claim", "64493-50-KX, 64494-50-KX, 77003", "--payer", "rt_lt"]) == 1
    )
    output = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in output["findings"]] == ["AUDIT_GUIDANCE_UNBUNDLED"]
    assert coded[-1][1] == "rt_lt"


def test_cli_exit_status_zero_when_only_warnings(coded, note_file, capsys):
    assert run_cli(["audit", note_file, "--claim", "64493-50-KX"]) == 0
    assert [f["severity"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["warning"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "claim.json",
            json.dumps(
                [{"code": "64493", "modifiers": ["RT", "KX"]}, {"code": "64493", "modifiers": ["LT", "KX"]}]
            ),
        ),
        (
            "claim.json",
            json.dumps(
                {
                    "lines": [
                        {"code": "64493", "modifiers": ["RT", "KX"]},
                        {"code": "64493", "modifiers": ["LT", "KX"]},
                    ]
                }
            ),
        ),
        ("claim.txt", "64493-RT-KX\n64493-LT-KX\n"),
    ],
)
def test_cli_claim_file(coded, note_file, tmp_path, capsys, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert run_cli(["audit", note_file, "--claim-file", str(path)]) == 1
    ids = [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert ids == ["AUDIT_BILATERAL_AS_TWO_LINES", "AUDIT_CODE_MISSING"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('[{"code": ', "not valid JSON"),
        ('{"claim": []}', '"lines"'),
        ("[]", "no lines"),
        ('[{"code": "644"}]', "'644'"),
    ],
)
def test_cli_bad_claim_file(coded, note_file, tmp_path, content, words):
    path = tmp_path / "claim.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidClaim, match=words):
        run_cli(["audit", note_file, "--claim-file", str(path)])


def test_cli_missing_claim_file(coded, note_file, tmp_path):
    with pytest.raises(InputNotFound):
        run_cli(["audit", note_file, "--claim-file", str(tmp_path / "absent.json")])


def test_cli_needs_exactly_one_claim_source(note_file):
    with pytest.raises(SystemExit):
        run_cli(["audit", note_file])
    with pytest.raises(SystemExit):
        run_cli(["audit", note_file, "--claim", "64493", "--claim-file", "x.json"])


def test_cli_text_format(coded, note_file, capsys):
    assert (
        run_cli(["audit", note_file, "--claim", "64493-RT-KX, 64493-LT-KX, 77003", "--format", "text"]) == 1
    )
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == "Claim audit (payer: medicare)"
    header = next(line for line in lines if "Submitted claim" in line)
    assert header.index("Supported by the note") > header.index("Submitted claim")
    assert any(line.startswith("! 64493-RT-KX") and line.endswith("64493-50-KX") for line in lines)
    assert any(line.startswith("! 77003") for line in lines)
    assert text.index("ERRORS (2)") < text.index("WARNINGS (1)")
    assert "  AUDIT_CODE_MISSING\n    The note supports 64494-50-KX" in text
    assert "Suggestion: 64493-50-KX" in text
    assert 'Evidence: "fluoroscopy"' in text
    assert "MISSING_PAIN_SCORES" in text


def test_text_format_for_a_clean_claim_and_for_a_whole_claim_finding():
    res = result(["64493-50"], [procedure("intra_articular", intent="therapeutic")])
    clean = render_text(audit_result(res, "64493-50"))
    assert "No findings: the claim matches what the note supports." in clean
    res.agents = [biologic()]
    flagged = render_text(audit_result(res, "64493-50"))
    assert "  AUDIT_BIOLOGIC\n" in flagged and 'Evidence: "PRP"' in flagged


def test_text_format_quotes_long_evidence_on_one_line():
    res = result(["64493-50-KX"])
    res.lines[0].evidence[0].text = "word\n" * 60
    text = render_text(audit_result(res, "64493-RT-KX"))
    quoted = next(line for line in text.splitlines() if "Evidence:" in line)
    assert quoted.endswith('…"') and len(quoted) < 120


def audit_result(res, claim):
    from extractor.audit import audit_lines, parse_claim

    submitted = parse_claim(claim)
    return AuditResult(coding=res, submitted=submitted, findings=audit_lines(res, submitted))
