"""The page and the docs are served by the app itself, load nothing from elsewhere, and never
build HTML from strings."""

from __future__ import annotations

import re
from importlib import resources

import pytest

STATIC = resources.files("extractor.service") / "static"
ASSETS = sorted(entry.name for entry in STATIC.iterdir() if entry.name.endswith((".html", ".js", ".css")))


def test_the_page_docs_and_their_assets_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200, asset
    docs = client.get("/docs")
    assert docs.status_code == 200
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', docs.text):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404


def test_pages_forbid_foreign_scripts(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert client.get("/").headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", ASSETS)
def test_no_cdn_or_remote_url(name):
    text = (STATIC / name).read_text()
    assert not re.search(r"https?://|//[a-z0-9.-]+\.(com|net|org|io)/", text), name
    assert "@import" not in text


@pytest.mark.parametrize("name", [name for name in ASSETS if name.endswith(".js")])
def test_scripts_never_write_html_strings(name):
    text = (STATIC / name).read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in text, f"{name} uses {sink}"
