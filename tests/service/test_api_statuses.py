"""Every status the API answers, over a stand-in coder (the HTTP layer alone)."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from extractor.errors import InvalidClaim
from extractor.models import SCHEMA_VERSION, CodingResult
from extractor.service import ServiceSettings

NOTE = "PROCEDURE: Bilateral L4-L5 medial branch block under fluoroscopy."


def assert_error(response, status: int, error_type: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["type"] == error_type
    assert body["error"]["message"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body["error"]


def test_code_returns_exactly_what_code_note_returns(client, fake_coder):
    response = client.post("/v1/code", json={"text": NOTE, "payer": "commercial"})
    assert response.status_code == 200
    expected = fake_coder(NOTE, "commercial").model_dump(mode="json", by_alias=True)
    assert response.json() == expected
    assert response.json()["lines"][0]["evidence"] == [{"start": 21, "end": 26, "text": "L4-L5"}]
    assert response.headers["cache-control"] == "no-store"


def test_payer_defaults_to_medicare(client):
    assert client.post("/v1/code", json={"text": NOTE}).json()["payer"] == "medicare"


def test_pipeline_is_warmed_once_at_startup_not_per_request(client, fake_coder):
    assert fake_coder.calls == 1  # the warm-up
    for _ in range(3):
        client.post("/v1/code", json={"text": NOTE})
    assert fake_coder.calls == 4
    assert client.get("/healthz").json()["warm"] is True


def test_fhir_format_returns_a_bundle(client):
    response = client.post("/v1/code", json={"text": NOTE, "format": "fhir"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    claim = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Claim")
    assert claim["item"][0]["productOrService"]["coding"][0]["code"] == "64493"


def test_unknown_format_is_422(client):
    error = assert_error(
        client.post("/v1/code", json={"text": NOTE, "format": "xml"}), 422, "INVALID_REQUEST"
    )
    assert "format" in error["message"]


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_note_is_422_and_says_so(client, text):
    error = assert_error(client.post("/v1/code", json={"text": text}), 422, "EMPTY_NOTE")
    assert "empty" in error["message"]


@pytest.mark.parametrize("payer", ["aetna", "../../etc/passwd", "profiles/medicare.yaml", ""])
def test_unknown_payer_is_422_and_lists_the_known_ones(client, fake_coder, payer):
    calls = fake_coder.calls
    error = assert_error(client.post("/v1/code", json={"text": NOTE, "payer": payer}), 422, "UNKNOWN_PAYER")
    assert "medicare" in error["message"] and "commercial" in error["message"]
    assert "not file paths" in error["message"]
    assert fake_coder.calls == calls


def test_note_over_the_limit_is_413_before_any_nlp(make_client, fake_coder):
    client = make_client(ServiceSettings(max_chars=1000))
    calls = fake_coder.calls
    error = assert_error(client.post("/v1/code", json={"text": "L4-L5 " * 200}), 413, "NOTE_TOO_LARGE")
    assert "1,000" in error["message"]
    assert fake_coder.calls == calls
    assert client.post("/v1/code", json={"text": "x" * 1000}).status_code == 200


def test_default_limit_is_200k_characters(client, fake_coder):
    calls = fake_coder.calls
    assert_error(client.post("/v1/code", json={"text": "a" * 200_001}), 413, "NOTE_TOO_LARGE")
    assert fake_coder.calls == calls
    assert client.post("/v1/code", json={"text": "a" * 200_000}).status_code == 200


def test_huge_body_is_refused_on_content_length_before_it_is_read(make_client, fake_coder):
    client = make_client(ServiceSettings(max_chars=100))
    body = json.dumps({"text": "x" * 2_000_000}).encode()
    response = client.post("/v1/code", content=body, headers={"content-type": "application/json"})
    assert_error(response, 413, "NOTE_TOO_LARGE")


def test_chunked_body_over_the_limit_is_413(make_client, fake_coder):
    client = make_client(ServiceSettings(max_chars=100))
    calls = fake_coder.calls

    def chunks():
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    response = client.post("/v1/code", content=chunks(), headers={"content-type": "application/json"})
    assert_error(response, 413, "NOTE_TOO_LARGE")
    assert fake_coder.calls == calls


def test_chunked_body_under_the_limit_is_coded(client):
    def chunks():
        yield b'{"text": "Bilateral '
        yield b'L4-L5 block"}'

    response = client.post("/v1/code", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["lines"][0]["code"] == "64493"


@pytest.mark.parametrize("body", [b"{not json", b'{"text": "abc"', b"", b"\xff\xfe"])
def test_malformed_json_is_400(client, body):
    response = client.post("/v1/code", content=body, headers={"content-type": "application/json"})
    if body == b"":
        assert_error(response, 422, "INVALID_REQUEST")
    else:
        assert_error(response, 400, "MALFORMED_JSON")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"txt": "note"}, "txt"),
        ({"text": 12}, "text"),
        ({"text": None}, "text"),
        ({"text": NOTE, "payer": 3}, "payer"),
        ([NOTE], "body"),
    ],
)
def test_invalid_fields_are_422_naming_the_field_without_echoing_input(client, body, field):
    response = client.post("/v1/code", json=body)
    error = assert_error(response, 422, "INVALID_REQUEST")
    assert field in error["message"]
    assert all(set(item) == {"loc", "msg", "type"} for item in error["fields"])
    assert '"input"' not in response.text
    assert "medial branch" not in response.text


def test_validation_errors_never_echo_the_note(client):
    marker = "ZZ-PATIENT-NOTE-TEXT"
    for body in ({"text": NOTE + marker, "format": "pdf"}, {"text": NOTE + marker, "extra": marker}):
        response = client.post("/v1/code", json=body)
        assert response.status_code == 422
        assert marker not in response.text


def test_typed_errors_keep_their_status(make_client, fake_coder):
    client = make_client(ServiceSettings(warm_up=False))
    fake_coder.fail_with = InvalidClaim("The claim line 'x' is not a code.")
    assert_error(client.post("/v1/code", json={"text": NOTE}), 422, "INVALID_CLAIM")


def test_unexpected_error_is_500_json_without_stack_trace(make_client, fake_coder):
    client = make_client(ServiceSettings(warm_up=False))
    fake_coder.fail_with = RuntimeError("boom: " + NOTE)
    error = assert_error(client.post("/v1/code", json={"text": NOTE}), 500, "INTERNAL_ERROR")
    assert "boom" not in error["message"] and "L4-L5" not in error["message"]


def test_unknown_path_and_wrong_method_are_json(client):
    assert_error(client.get("/v1/nothing"), 404, "NOT_FOUND")
    assert_error(client.get("/v1/code"), 405, "METHOD_NOT_ALLOWED")


class FakeAuditResult(BaseModel):
    coding: CodingResult
    findings: list[dict]


def test_audit_returns_the_audit_result(make_client, fake_coder):
    seen = []

    def fake_audit(text, claim, payer, *, max_chars):
        seen.append((claim, payer, max_chars))
        return FakeAuditResult(coding=fake_coder(text, payer), findings=[{"id": "AUDIT_CODE_MISSING"}])

    client = make_client(audit=fake_audit)
    response = client.post("/v1/audit", json={"text": NOTE, "claim": "64493-RT", "payer": "rt_lt"})
    assert response.status_code == 200
    assert response.json()["findings"] == [{"id": "AUDIT_CODE_MISSING"}]
    assert seen == [("64493-RT", "rt_lt", 200_000)]
    lines = [{"code": "64493", "modifiers": ["RT"], "units": 1}]
    assert client.post("/v1/audit", json={"text": NOTE, "claim": lines}).status_code == 200
    assert seen[-1] == (lines, "medicare", 200_000)


def test_audit_checks_the_note_and_payer_first(make_client):
    def never(*args):
        raise AssertionError("audit must not run")

    client = make_client(ServiceSettings(max_chars=50), audit=never)
    assert_error(client.post("/v1/audit", json={"text": "x" * 51, "claim": "64493"}), 413, "NOTE_TOO_LARGE")
    assert_error(client.post("/v1/audit", json={"text": " ", "claim": "64493"}), 422, "EMPTY_NOTE")
    assert_error(
        client.post("/v1/audit", json={"text": "note", "claim": "64493", "payer": "x.yaml"}),
        422,
        "UNKNOWN_PAYER",
    )
    assert_error(client.post("/v1/audit", json={"text": "note"}), 422, "INVALID_REQUEST")


def test_audit_invalid_claim_is_422(make_client):
    def reject(text, claim, payer, **_):
        raise InvalidClaim("Claim line 1 is not a CPT code.")

    client = make_client(audit=reject)
    assert_error(client.post("/v1/audit", json={"text": NOTE, "claim": "hello"}), 422, "INVALID_CLAIM")


def test_healthz(client):
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["schema_version"] == SCHEMA_VERSION
    assert health["auth_required"] is False
    assert health["max_chars"] == 200_000
    assert {"medicare", "commercial", "rt_lt"} <= set(health["payers"])


def test_schema_is_the_coding_result_schema(client):
    response = client.get("/v1/schema")
    assert response.status_code == 200
    assert response.json() == CodingResult.model_json_schema(by_alias=True)
    assert_error(client.get("/v1/schema", params={"model": "nope"}), 422, "INVALID_REQUEST")


def test_openapi_lists_the_endpoints(client):
    spec = client.get("/openapi.json").json()
    assert {"/v1/code", "/v1/audit", "/v1/schema", "/healthz"} <= set(spec["paths"])
    assert "CodingResult" in spec["components"]["schemas"]
    assert "ErrorBody" in spec["components"]["schemas"]
