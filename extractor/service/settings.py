"""Service settings: plain data, readable from the CLI flags or from ``FACETCODE_*`` variables.

Environment variables carry the settings into every uvicorn worker process (``--workers N``
imports the app factory anew in each worker), so ``to_env``/``from_env`` must round-trip.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..errors import DEFAULT_MAX_CHARS, FacetCoderError

ENV_PREFIX = "FACETCODE_"
BUILTIN_PAYERS = ("medicare", "commercial", "rt_lt")


class UnsafeBinding(FacetCoderError):
    """Raised when the service would listen beyond this machine without an API key."""

    code = "UNSAFE_BINDING"
    exit_code = 10


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServiceSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    api_key: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    warm_up: bool = True

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise ValueError("max_chars must be at least 1")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.api_key is not None and not self.api_key.strip():
            object.__setattr__(self, "api_key", None)

    @property
    def max_body_bytes(self) -> int:
        """Largest request body read: a note of ``max_chars`` fully \\u-escaped, plus room for the rest."""
        return self.max_chars * 12 + 64 * 1024

    def check_binding(self) -> None:
        if not is_loopback(self.host) and not self.api_key:
            raise UnsafeBinding(
                f"Binding {self.host} exposes the service beyond this machine: give an API key "
                f"(--api-key or {ENV_PREFIX}API_KEY), or bind 127.0.0.1."
            )

    def to_env(self) -> dict[str, str]:
        env = {
            f"{ENV_PREFIX}HOST": self.host,
            f"{ENV_PREFIX}PORT": str(self.port),
            f"{ENV_PREFIX}WORKERS": str(self.workers),
            f"{ENV_PREFIX}MAX_CHARS": str(self.max_chars),
            f"{ENV_PREFIX}WARM_UP": "1" if self.warm_up else "0",
        }
        if self.api_key:
            env[f"{ENV_PREFIX}API_KEY"] = self.api_key
        return env

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        env = os.environ if environ is None else environ
        settings = cls()
        overrides: dict[str, Any] = {}
        if f"{ENV_PREFIX}HOST" in env:
            overrides["host"] = env[f"{ENV_PREFIX}HOST"]
        for name in ("port", "workers", "max_chars"):
            key = f"{ENV_PREFIX}{name.upper()}"
            if key in env:
                overrides[name] = int(env[key])
        if env.get(f"{ENV_PREFIX}API_KEY"):
            overrides["api_key"] = env[f"{ENV_PREFIX}API_KEY"]
        if f"{ENV_PREFIX}WARM_UP" in env:
            overrides["warm_up"] = env[f"{ENV_PREFIX}WARM_UP"] not in ("0", "false", "no")
        return replace(settings, **overrides)
