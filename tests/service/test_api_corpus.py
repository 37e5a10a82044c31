"""The service answers exactly what ``code_note`` answers, for every corpus note (real pipeline)."""

from __future__ import annotations

import pytest

from extractor.api import code_note

from .service_support import CORPORA, corpus_notes

NOTES = corpus_notes()


def test_the_corpus_has_notes():
    assert NOTES, f"no notes under {CORPORA}"


@pytest.mark.parametrize("path", NOTES, ids=[str(path.relative_to(CORPORA)) for path in NOTES])
def test_service_matches_code_note(real_client, path):
    text = path.read_text(encoding="utf-8")
    expected = code_note(text).model_dump(mode="json", by_alias=True)
    response = real_client.post("/v1/code", json={"text": text})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["lines"] == expected["lines"]
    assert body == expected


@pytest.mark.parametrize("payer", ["commercial", "rt_lt"])
def test_payer_reaches_code_note(real_client, payer):
    text = (CORPORA / "sample" / "sample.txt").read_text(encoding="utf-8")
    response = real_client.post("/v1/code", json={"text": text, "payer": payer})
    assert response.status_code == 200
    assert response.json() == code_note(text, payer).model_dump(mode="json", by_alias=True)


def test_real_fhir_bundle_validates(real_client):
    from fhir.resources.R4B.bundle import Bundle

    text = (CORPORA / "sample" / "sample.txt").read_text(encoding="utf-8")
    response = real_client.post("/v1/code", json={"text": text, "format": "fhir"})
    assert response.status_code == 200
    bundle = Bundle.model_validate_json(response.text)
    claim = next(entry.resource for entry in bundle.entry if entry.resource.get_resource_type() == "Claim")
    assert [item.productOrService.coding[0].code for item in claim.item] == [
        line.code for line in code_note(text).lines
    ]


def test_real_audit_endpoint(real_client):
    from extractor.audit import audit_claim

    text = (CORPORA / "sample" / "sample.txt").read_text(encoding="utf-8")
    claim = "64493-RT, 64493-LT, 77003"
    response = real_client.post("/v1/audit", json={"text": text, "claim": claim})
    assert response.status_code == 200, response.text
    assert response.json() == audit_claim(text, claim, "medicare").model_dump(mode="json", by_alias=True)
    assert response.json()["findings"]
    as_lines = [
        {"code": "64493", "modifiers": ["RT"]},
        {"code": "64493", "modifiers": ["LT"]},
        {"code": "77003"},
    ]
    same = real_client.post("/v1/audit", json={"text": text, "claim": as_lines})
    assert same.status_code == 200 and same.json()["findings"] == response.json()["findings"]
    bad = real_client.post("/v1/audit", json={"text": text, "claim": "<img src=x onerror=alert(1)>"})
    assert bad.status_code == 422 and bad.json()["error"]["type"] == "INVALID_CLAIM"
