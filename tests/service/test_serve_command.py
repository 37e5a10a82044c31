"""``facetcode serve`` flags and its refusal to expose the service without a key."""

from __future__ import annotations

import argparse

import pytest

from extractor.cli.serve_command import register, settings_from_args
from extractor.service.settings import UnsafeBinding


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


def test_defaults(monkeypatch):
    monkeypatch.delenv("FACETCODE_API_KEY", raising=False)
    settings = settings_from_args(parse())
    assert (settings.host, settings.port, settings.workers, settings.api_key, settings.max_chars) == (
        "127.0.0.1",
        8000,
        1,
        None,
        200_000,
    )


def test_flags():
    args = parse(
        "--host", "0.0.0.0", "--port", "9001", "--workers", "2", "--api-key", "k", "--max-chars", "5000"
    )
    settings = settings_from_args(args)
    assert (settings.host, settings.port, settings.workers, settings.api_key, settings.max_chars) == (
        "0.0.0.0",
        9001,
        2,
        "k",
        5000,
    )
    assert settings.to_env()["FACETCODE_API_KEY"] == "k"


def test_other_address_without_key_is_refused(monkeypatch):
    monkeypatch.delenv("FACETCODE_API_KEY", raising=False)
    with pytest.raises(UnsafeBinding):
        settings_from_args(parse("--host", "0.0.0.0"))


def test_key_from_environment(monkeypatch):
    monkeypatch.setenv("FACETCODE_API_KEY", "from-env")
    assert settings_from_args(parse("--host", "0.0.0.0")).api_key == "from-env"


def test_facetcode_serve_refuses_a_public_address_without_a_key(monkeypatch, capsys):
    from extractor.cli import main

    monkeypatch.delenv("FACETCODE_API_KEY", raising=False)
    assert main(["serve", "--host", "0.0.0.0"]) == UnsafeBinding.exit_code
    assert "UNSAFE_BINDING" in capsys.readouterr().err
