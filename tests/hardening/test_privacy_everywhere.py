"""Note text appears in results only: never in a log line (root logging at DEBUG, a loguru sink
at TRACE), a warning, stderr, an exception message, a batch summary or an error body, through
every interface (library, CLI, batch, HTTP) and on every error path.

Each note carries ``MARKER``; each capture is checked to work (a canary reaches it) so an
empty capture cannot pass for a clean one. The real-uvicorn-at-debug case is in
``tests/service/test_log_privacy.py``; here the HTTP app runs in-process with the real pipeline.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor import code_note
from extractor.audit import audit_claim
from extractor.errors import FacetCoderError, InvalidClaim, NoteTooLarge, UnknownPayer, UnreadableInput

from .near_notes import ROOT

MARKER = "Qv7ZPRIVACYMARKER"
NOTE = (
    f"PATIENT: {MARKER} Jones, DOB 01/02/1950\n"
    f"PROCEDURE: Bilateral L4-5 and L5-S1 medial branch blocks for {MARKER}, diagnostic block #1.\n"
    f"Under fluoroscopic guidance, needle position confirmed on AP and lateral views ({MARKER}).\n"
    "0.5 mL of 0.5% bupivacaine at each level. No sedation.\n"
    f"PAIN: NRS 7/10 before, 1/10 after. {MARKER} tolerated the procedure well.\n"
)
CLAIM = "64493-50-KX, 64494-50-KX"
TOO_LARGE = NOTE * (200_000 // len(NOTE) + 1)
SURROGATE = NOTE.replace("Jones", "Jones \ud800")
NOTE_WITHOUT_SLASH = NOTE.replace("/", " of ")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "".join(traceback.format_exception(*record.exc_info))
        self.lines.append(f"{record.name}: {text}")


class Capture:
    """What the test logged so far: log records, loguru messages and warnings, as text."""

    def __init__(self, records: _Records, loguru_lines: list[str], recorded: list) -> None:
        self.records = records
        self.loguru_lines = loguru_lines
        self.recorded = recorded

    def text(self, skip: tuple[str, ...] = ()) -> str:
        lines = [line for line in self.records.lines if not line.startswith(skip)]
        lines += self.loguru_lines + [str(warning.message) for warning in self.recorded]
        return "\n".join(lines)


@pytest.fixture
def logs() -> Iterator[Capture]:
    """Root logging at DEBUG, a loguru sink at TRACE and every warning, for the test."""
    from loguru import logger

    handler = _Records()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loguru_lines: list[str] = []
    sink = logger.add(lambda message: loguru_lines.append(str(message)), level="TRACE")
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            yield Capture(handler, loguru_lines, recorded)
    finally:
        logger.remove(sink)
        root.removeHandler(handler)
        root.setLevel(old_level)


def _canaries() -> None:
    from loguru import logger

    logging.getLogger("extractor.canary").debug("canary-logging")
    logger.trace("canary-loguru")
    warnings.warn("canary-warning", stacklevel=1)


def _assert_clean(where: str, text: str) -> None:
    assert MARKER not in text, f"note text in {where}: ...{text[max(0, text.find(MARKER) - 200) :][:400]}..."


def _error_text(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)) + repr(error.args)


# -- library ------------------------------------------------------------------------------------------


def test_library_coding_logs_and_prints_no_note_text(logs, capfd) -> None:
    results = [code_note(NOTE, payer=payer).model_dump_json(by_alias=True) for payer in ("medicare", "rt_lt")]
    audit = audit_claim(NOTE, CLAIM).model_dump_json(by_alias=True)
    assert json.loads(results[0])["lines"] and MARKER in NOTE
    assert json.loads(audit)["submitted"]
    _canaries()
    out, err = capfd.readouterr()
    _assert_clean("stdout", out)
    _assert_clean("stderr", err)
    captured = logs.text()
    assert "canary-logging" in captured and "canary-loguru" in captured and "canary-warning" in captured
    _assert_clean("logs", captured)


@pytest.mark.parametrize(
    ("call", "error_type"),
    [
        pytest.param(lambda: code_note(TOO_LARGE), NoteTooLarge, id="too large"),
        pytest.param(lambda: audit_claim(TOO_LARGE, CLAIM), NoteTooLarge, id="audit too large"),
        pytest.param(lambda: code_note(NOTE, payer="nobody"), UnknownPayer, id="unknown payer"),
        pytest.param(lambda: code_note("medicare", NOTE_WITHOUT_SLASH), UnknownPayer, id="arguments swapped"),
        pytest.param(
            lambda: audit_claim("x", CLAIM, NOTE_WITHOUT_SLASH), UnknownPayer, id="audit payer is the note"
        ),
        pytest.param(
            lambda: code_note("medicare", NOTE),
            FacetCoderError,
            id="arguments swapped, note with a slash",
        ),
        pytest.param(lambda: audit_claim(NOTE, "banana, 64493"), InvalidClaim, id="malformed claim"),
        pytest.param(
            lambda: audit_claim(NOTE, [{"code": "64493", "units": 0}]), InvalidClaim, id="claim units"
        ),
        pytest.param(lambda: code_note(NOTE + "\x00"), UnreadableInput, id="NUL"),
        pytest.param(lambda: code_note(NOTE + "\x01" * 400), UnreadableInput, id="control characters"),
        pytest.param(lambda: code_note(SURROGATE), UnreadableInput, id="lone surrogate"),
        pytest.param(lambda: code_note(NOTE.encode()), UnreadableInput, id="bytes"),
    ],
)
def test_library_errors_do_not_quote_the_note(call, error_type, logs) -> None:
    with pytest.raises(error_type) as info:
        call()
    _assert_clean("the error", _error_text(info.value))
    _assert_clean("logs", logs.text())


# -- command line -------------------------------------------------------------------------------------

_CRASHING_CLI = """
import sys
import extractor.api as api
def crash(text, payer="medicare", **options):
    raise ValueError(f"could not code {text!r}")
api.code_note = crash
from extractor.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _cli(*args: str, stdin: str | None = None, crash: bool = False) -> subprocess.Popen:
    command = [sys.executable, "-c", _CRASHING_CLI] if crash else [sys.executable, "-m", "extractor.cli"]
    return subprocess.Popen(
        [*command, *args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "always"},
    )


def test_cli_prints_note_text_only_in_results(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text(TOO_LARGE, encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(NOTE.encode() + b"\x00\x01\x02")
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n ", encoding="utf-8")
    bad_claim = tmp_path / "claim.json"
    bad_claim.write_text('{"lines": [{"code": "64493", "units": "many"}]}', encoding="utf-8")
    runs = {
        "code json": (_cli("code", str(note)), 0),
        "code text from stdin": (_cli("code", "-", "--format", "text", stdin=NOTE), 0),
        "audit": (_cli("audit", str(note), "--claim", CLAIM), None),
        "too large": (_cli("code", str(big)), NoteTooLarge.exit_code),
        "unknown payer": (_cli("code", str(note), "--payer", "nobody"), UnknownPayer.exit_code),
        "binary": (_cli("code", str(binary)), UnreadableInput.exit_code),
        "empty": (_cli("code", str(empty)), 3),
        "malformed claim": (_cli("audit", str(note), "--claim", "banana"), InvalidClaim.exit_code),
        "bad claim file": (_cli("audit", str(note), "--claim-file", str(bad_claim)), InvalidClaim.exit_code),
        "a bug in coding": (_cli("code", str(note), crash=True), 70),
    }
    for name, (process, expected) in runs.items():
        stdout, stderr = process.communicate(NOTE if name == "code text from stdin" else None, timeout=180)
        if expected is None:
            assert process.returncode in (0, 1), f"{name}: exit {process.returncode}: {stderr[-800:]}"
        else:
            assert process.returncode == expected, f"{name}: exit {process.returncode}: {stderr[-800:]}"
        _assert_clean(f"stderr of {name}", stderr)
        if process.returncode not in (0, 1):
            _assert_clean(f"stdout of {name}", stdout)
            ours = [line for line in stderr.splitlines() if line.startswith("facetcode:")]
            assert len(ours) == 1, f"{name}: not one facetcode line: {stderr[-800:]}"
        else:
            assert stdout.strip(), f"{name}: no result"
    assert "INTERNAL_ERROR" in stderr and "ValueError" in stderr  # the last run: a bug, described safely


# -- batch --------------------------------------------------------------------------------------------


def test_batch_keeps_note_text_in_result_lines_only(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "good.txt").write_text(NOTE, encoding="utf-8")
    (folder / "latin.txt").write_bytes(NOTE.replace("Jones", "Mu\u00f1oz").encode("cp1252"))
    (folder / "big.txt").write_text(TOO_LARGE, encoding="utf-8")
    (folder / "binary.txt").write_bytes(NOTE.encode() + b"\x00\x01")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    records = tmp_path / "notes.jsonl"
    lines = [
        json.dumps({"id": "good", "text": NOTE}),
        json.dumps({"id": "surrogate", "text": SURROGATE}),  # json.dumps writes it as \ud800
        json.dumps({"id": "nul", "text": NOTE + "\x00"}),
        json.dumps({"id": "big", "text": TOO_LARGE}),
        json.dumps({"id": "no-text", "body": NOTE}),
        '{"id": "torn", "text": "' + NOTE[:60].replace("\n", " "),
    ]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = {}
    for name, source in (("folder", folder), ("jsonl", records)):
        out, summary = tmp_path / f"{name}.jsonl", tmp_path / f"{name}-summary.json"
        command = ["batch", str(source), "-o", str(out), "--workers", "1", "--summary", str(summary)]
        runs[name] = (_cli(*command), out, summary)
    expected_errors = {
        "folder": {"big": "NOTE_TOO_LARGE", "binary": "UNREADABLE_INPUT", "empty": "EMPTY_NOTE"},
        "jsonl": {
            "surrogate": "UNREADABLE_INPUT",
            "nul": "UNREADABLE_INPUT",
            "big": "NOTE_TOO_LARGE",
            "no-text": "INVALID_RECORD",
            "#L6": "INVALID_RECORD",
        },
    }
    for name, (process, out, summary) in runs.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr[-2000:]
        _assert_clean(f"batch {name} stdout", stdout)
        _assert_clean(f"batch {name} stderr", stderr)
        _assert_clean(f"batch {name} summary", summary.read_text(encoding="utf-8"))
        by_id = {line["id"]: line for line in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
        errors = {key: line["error"]["type"] for key, line in by_id.items() if "error" in line}
        assert errors == expected_errors[name]
        for key, line in by_id.items():
            if "error" in line:
                _assert_clean(f"batch {name} error line {key}", json.dumps(line, ensure_ascii=False))
            else:
                assert line["result"]["lines"], f"{key} should code"


# -- HTTP ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's notice about httpx as the TestClient transport
        from fastapi.testclient import TestClient

    from extractor.service import ServiceSettings, create_app

    with TestClient(create_app(ServiceSettings(max_chars=20_000)), raise_server_exceptions=False) as client:
        yield client


def _raw(body: str) -> dict:
    return {"content": body.encode(), "headers": {"content-type": "application/json"}}


HTTP_CASES = [
    ("code", "post", "/v1/code", {"json": {"text": NOTE}}, 200),
    ("fhir", "post", "/v1/code", {"json": {"text": NOTE, "format": "fhir"}}, 200),
    ("audit", "post", "/v1/audit", {"json": {"text": NOTE, "claim": CLAIM}}, 200),
    ("too large", "post", "/v1/code", {"json": {"text": NOTE * 100}}, 413),
    ("body too large", "post", "/v1/code", {"json": {"text": NOTE * 2_000}}, 413),
    ("empty", "post", "/v1/code", {"json": {"text": " \n "}}, 422),
    ("unknown payer", "post", "/v1/code", {"json": {"text": NOTE, "payer": "nobody"}}, 422),
    ("payer is the note", "post", "/v1/code", {"json": {"text": NOTE, "payer": NOTE}}, 422),
    ("NUL", "post", "/v1/code", {"json": {"text": NOTE + "\x00"}}, 422),
    ("surrogate", "post", "/v1/code", _raw(json.dumps({"text": SURROGATE})), 422),
    ("malformed JSON", "post", "/v1/code", _raw('{"text": "' + NOTE[:80].replace("\n", " ")), 400),
    ("note as a list", "post", "/v1/code", {"json": {"text": [NOTE]}}, 422),
    ("unknown field", "post", "/v1/code", {"json": {"text": NOTE, "note": NOTE}}, 422),
    ("format is the note", "post", "/v1/code", {"json": {"text": NOTE, "format": NOTE}}, 422),
    ("malformed claim", "post", "/v1/audit", {"json": {"text": NOTE, "claim": "banana"}}, 422),
    ("claim code is the note", "post", "/v1/audit", {"json": {"text": NOTE, "claim": [{"code": NOTE}]}}, 422),
    ("note in the query", "post", "/v1/code?text=" + MARKER, {"json": {"text": NOTE}}, 200),
    ("GET with the note", "get", "/v1/code?text=" + MARKER, {}, 405),
]


def test_http_errors_and_logs_never_quote_the_note(http, logs) -> None:
    statuses = {}
    for name, method, url, options, _ in HTTP_CASES:
        response = getattr(http, method)(url, **options)
        statuses[name] = response.status_code
        if response.status_code != 200:
            assert response.json()["error"]["type"], name
            _assert_clean(f"the {response.status_code} body of {name}", response.text)
    assert statuses == {name: status for name, _, _, _, status in HTTP_CASES}
    _canaries()
    captured = logs.text(skip=("httpx", "httpcore"))  # the test's own client logs its URLs
    assert "POST /v1/code 413" in captured and "canary-logging" in captured  # the access log is captured
    _assert_clean("logs", captured)
