"""Fixtures for the HTTP service: a stand-in coder for the HTTP-layer tests, the real pipeline
for the corpus and browser tests, and a real uvicorn server on a free loopback port."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about httpx as the TestClient transport
    from fastapi.testclient import TestClient

from extractor.service import ServiceSettings, create_app

from .service_support import FakeCoder, ServerProcess


@pytest.fixture
def fake_coder() -> FakeCoder:
    return FakeCoder()


@pytest.fixture
def make_client(fake_coder: FakeCoder) -> Iterator:
    """Builds TestClients over the stand-in coder; the lifespan (warm-up) runs on entry."""
    clients = []

    def build(settings: ServiceSettings | None = None, **kwargs) -> TestClient:
        app = create_app(settings or ServiceSettings(), code=kwargs.pop("code", fake_coder), **kwargs)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def real_client() -> Iterator[TestClient]:
    """The app over the real ``code_note`` and ``audit_claim``, warmed once for the session."""
    with TestClient(create_app(ServiceSettings()), raise_server_exceptions=False) as real:
        yield real


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[ServerProcess]:
    """A real server (real pipeline, debug logging) shared by a test module."""
    server = ServerProcess(tmp_path_factory.mktemp("server") / "server.log", "--log-level", "debug")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
