"""Binding and the API key: loopback by default; any other address needs a key on every /v1 call."""

from __future__ import annotations

import pytest

from extractor.service import ServiceSettings, create_app
from extractor.service.settings import UnsafeBinding, is_loopback

KEY = "s3cret-key"
NOTE = "Bilateral L4-L5 medial branch block."


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_needs_no_key(host):
    assert is_loopback(host)
    ServiceSettings(host=host).check_binding()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "example.org"])
def test_other_addresses_refuse_to_start_without_a_key(host, fake_coder):
    with pytest.raises(UnsafeBinding, match="API key"):
        create_app(ServiceSettings(host=host), code=fake_coder)
    with pytest.raises(UnsafeBinding):
        create_app(ServiceSettings(host=host, api_key="   "), code=fake_coder)
    create_app(ServiceSettings(host=host, api_key=KEY), code=fake_coder)


@pytest.fixture
def keyed(make_client):
    return make_client(ServiceSettings(host="0.0.0.0", api_key=KEY))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/code", {"text": NOTE}),
        ("POST", "/v1/audit", {"text": NOTE, "claim": "64493"}),
        ("GET", "/v1/schema", None),
    ],
)
def test_every_v1_request_needs_the_key(keyed, method, path, body):
    for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}):
        response = keyed.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["error"]["type"] == "UNAUTHORIZED"
        assert response.headers["www-authenticate"] == "Bearer"


def test_the_key_opens_v1(keyed):
    assert keyed.post("/v1/code", json={"text": NOTE}, headers={"X-API-Key": KEY}).status_code == 200
    assert keyed.get("/v1/schema", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


def test_key_is_checked_before_the_body(keyed, fake_coder):
    calls = fake_coder.calls
    assert keyed.post("/v1/code", json={"text": "   "}).status_code == 401
    assert fake_coder.calls == calls


def test_page_and_health_stay_open_and_say_a_key_is_needed(keyed):
    assert keyed.get("/").status_code == 200
    assert keyed.get("/healthz").json()["auth_required"] is True


def test_key_from_environment(monkeypatch):
    monkeypatch.setenv("FACETCODE_API_KEY", KEY)
    monkeypatch.setenv("FACETCODE_HOST", "0.0.0.0")
    monkeypatch.setenv("FACETCODE_MAX_CHARS", "5000")
    settings = ServiceSettings.from_env()
    assert (settings.api_key, settings.host, settings.max_chars) == (KEY, "0.0.0.0", 5000)
    assert ServiceSettings.from_env(settings.to_env()) == settings
