"""No note text in any log line, at any level, whatever the request does."""

from __future__ import annotations

import logging

import httpx
from pydantic import BaseModel, ValidationError

from extractor.service import ServiceSettings
from extractor.service.guards import describe_exception

from .service_support import ServerProcess

MARKER = "Zq7-PATIENT-SECRET-TEXT"
NOTE = f"Bilateral L4-L5 medial branch block. {MARKER}"


def server_log(caplog) -> str:
    """What the service logged (the test's own HTTP client logs its URLs under httpx)."""
    return "\n".join(
        record.getMessage() + (str(record.exc_info) if record.exc_info else "")
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    )


def _requests(client) -> list[int]:
    statuses = [
        client.post("/v1/code", json={"text": NOTE}).status_code,
        client.post("/v1/code?text=" + MARKER, json={"text": NOTE}).status_code,
        client.post("/v1/code", json={"text": NOTE, "format": MARKER}).status_code,
        client.post("/v1/code", json={"text": NOTE, "payer": MARKER}).status_code,
        client.post("/v1/code", json={"text": NOTE, MARKER: 1}).status_code,
        client.post("/v1/code", json={"text": NOTE * 100}).status_code,
        client.post(
            "/v1/code", content=("{" + MARKER).encode(), headers={"content-type": "application/json"}
        ).status_code,
        client.post("/v1/audit", json={"text": NOTE}).status_code,
    ]
    return statuses


def test_no_note_text_in_logs_for_any_status(make_client, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(ServiceSettings(max_chars=2000))
    statuses = _requests(client)
    assert statuses == [200, 200, 422, 422, 422, 413, 400, 422]
    assert MARKER not in server_log(caplog)
    access = [record.getMessage() for record in caplog.records if record.name == "facetcode.access"]
    assert any(line.startswith("POST /v1/code 200 ") for line in access)
    assert any(line.startswith("POST /v1/code 413 ") for line in access)
    assert all("?" not in line for line in access)


def test_a_crash_logs_the_type_and_frames_but_not_the_message(make_client, fake_coder, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(ServiceSettings(warm_up=False))
    fake_coder.fail_with = ValueError(f"could not parse {NOTE}")
    response = client.post("/v1/code", json={"text": NOTE})
    assert response.status_code == 500
    assert MARKER not in server_log(caplog) and MARKER not in response.text
    errors = [record for record in caplog.records if record.name == "facetcode.error"]
    assert len(errors) == 1
    assert "builtins.ValueError" in errors[0].getMessage()
    assert errors[0].exc_info is None


def test_describe_exception_drops_pydantic_input_values():
    class Line(BaseModel):
        units: int

    try:
        Line(units=MARKER)
    except ValidationError as error:
        assert MARKER in str(error)
        described = describe_exception(error)
    assert MARKER not in described
    assert "ValidationError" in described


def test_real_server_logs_no_note_text_at_debug_level(tmp_path):
    """uvicorn itself, at debug level, over real sockets: only method, path and status."""
    server = ServerProcess(tmp_path / "server.log", "--log-level", "debug", "--max-chars", "5000")
    try:
        server.wait_ready()
        with httpx.Client(base_url=server.url, timeout=30) as http:
            statuses = [
                http.post("/v1/code", json={"text": NOTE}).status_code,
                http.post("/v1/code", params={"note": MARKER}, json={"text": NOTE}).status_code,
                http.post("/v1/code", json={"text": NOTE, "payer": MARKER}).status_code,
                http.post("/v1/code", json={"text": NOTE, "format": MARKER}).status_code,
                http.post("/v1/code", json={"text": NOTE * 200}).status_code,
                http.post(
                    "/v1/code", content=b"{" + MARKER.encode(), headers={"content-type": "application/json"}
                ).status_code,
                http.post("/v1/audit", json={"text": NOTE, "claim": MARKER}).status_code,
            ]
    finally:
        log = server.stop()
    assert statuses == [200, 200, 422, 422, 413, 400, 422]
    assert MARKER not in log
    assert "POST /v1/code 200" in log and "POST /v1/code 413" in log and "POST /v1/audit 422" in log
