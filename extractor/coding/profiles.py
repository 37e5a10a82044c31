"""Payer profiles: built-in data files (patterns/profiles/) or user files that may ``extends`` one.

A profile says how bilateral levels are reported, whether KX and the LCD checks apply, the
response threshold, the T12-L1 option and which warnings run at which severity.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InvalidProfile, UnknownPayer, quoted_payer
from ..models import Severity
from .catalog import warning_catalog

# libyaml's safe loader when installed (about 10x faster, same data); the pure-Python one otherwise
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SUFFIXES = (".yaml", ".yml", ".json")


class Profile(BaseModel):
    """A payer's coding conventions. Every field but ``name`` has the Medicare default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    extends: str | None = None
    bilateral_format: Literal["modifier_50", "rt_lt_lines"] = "modifier_50"
    bilateral_units: int = Field(default=1, ge=1, le=2)
    bilateral_add_on: Literal["modifier_50", "units"] = "modifier_50"
    kx_on_diagnostic: bool = True
    lcd_checks: bool = True
    max_levels_per_region: int = Field(default=2, ge=1)
    response_threshold: float = Field(default=80, ge=0, le=100)
    t12_l1_lumbar_exception: bool = False
    enabled_warnings: list[str] | None = None
    disabled_warnings: list[str] = Field(default_factory=list)
    severity_overrides: dict[str, Severity] = Field(default_factory=dict)

    def runs(self, warning_id: str) -> bool:
        """Whether this profile raises ``warning_id`` at all."""
        spec = warning_catalog()[warning_id]
        if spec.lcd_check and not self.lcd_checks:
            return False
        if self.enabled_warnings is not None and warning_id not in self.enabled_warnings:
            return False
        return warning_id not in self.disabled_warnings

    def severity(self, warning_id: str) -> Severity:
        return self.severity_overrides.get(warning_id, warning_catalog()[warning_id].severity)


def _builtin_dir() -> Any:
    return files("extractor.patterns").joinpath("profiles")


def known_profiles() -> list[str]:
    """Names of the built-in profiles (file stems under patterns/profiles/)."""
    return list(_builtin_names())


@lru_cache(maxsize=1)
def _builtin_names() -> tuple[str, ...]:
    """Listed once per process: the built-ins ship inside the package and do not change while it
    runs, and listing the folder on every ``code_note`` call cost more than the coding rules."""
    return tuple(
        sorted(
            entry.name.rsplit(".", 1)[0]
            for entry in _builtin_dir().iterdir()
            if entry.is_file() and entry.name.endswith(_SUFFIXES)
        )
    )


def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name, or a profile file by path (.yaml/.yml/.json).

    Raises ``UnknownPayer`` (listing the known names) for an unknown name and ``InvalidProfile``
    for a file that cannot be read or does not validate.
    """
    key = name_or_path.strip()
    if key.lower() in _builtin_names():
        return _load_builtin(key.lower())
    if key.lower().endswith(_SUFFIXES) or "/" in key or "\\" in key:
        path = Path(key).expanduser().resolve()
        if not path.is_file():
            raise InvalidProfile(f"Profile file not found: {quoted_payer(key, longest=255)}")
        stat = path.stat()
        return _load_file(str(path), stat.st_mtime_ns, stat.st_size)
    raise UnknownPayer(key, known_profiles())


@lru_cache(maxsize=16)
def _load_builtin(name: str) -> Profile:
    return _validate(_resolve_builtin(name, ()), f"built-in profile {name!r}")


@lru_cache(maxsize=64)
def _load_file(path: str, mtime_ns: int, size: int) -> Profile:
    return _validate(_resolve_file(Path(path), ()), f"profile file {path}")


def _resolve_builtin(name: str, chain: tuple[str, ...]) -> dict[str, Any]:
    for suffix in _SUFFIXES:
        entry = _builtin_dir().joinpath(name + suffix)
        if entry.is_file():
            raw = _parse(entry.read_text(encoding="utf-8"), suffix, f"built-in profile {name!r}")
            return _with_parent(raw, name, chain, base=None)
    raise UnknownPayer(name, known_profiles())


def _resolve_file(path: Path, chain: tuple[str, ...]) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidProfile(f"Cannot read profile file {path}: {error}") from error
    raw = _parse(text, path.suffix.lower(), f"profile file {path}")
    raw.setdefault("name", path.stem)
    return _with_parent(raw, str(path), chain, base=path.parent)


def _with_parent(
    raw: dict[str, Any], ident: str, chain: tuple[str, ...], base: Path | None
) -> dict[str, Any]:
    if ident in chain:
        raise InvalidProfile(f"Profile inheritance loops: {' -> '.join(chain + (ident,))}")
    parent_ref = raw.get("extends")
    if not parent_ref:
        return raw
    if not isinstance(parent_ref, str):
        raise InvalidProfile(f"'extends' must be a profile name or path, got {parent_ref!r}")
    if parent_ref in _builtin_names():
        parent = _resolve_builtin(parent_ref, chain + (ident,))
    else:
        parent_path = Path(parent_ref).expanduser()
        if base is not None and not parent_path.is_absolute():
            parent_path = base / parent_path
        if not parent_path.is_file():
            raise InvalidProfile(
                f"Profile {ident} extends {parent_ref!r}, which is neither a known profile "
                f"({', '.join(known_profiles())}) nor a profile file."
            )
        parent = _resolve_file(parent_path.resolve(), chain + (ident,))
    return _deep_merge(parent, raw)


def _deep_merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _parse(text: str, suffix: str, what: str) -> dict[str, Any]:
    try:
        raw = json.loads(text) if suffix == ".json" else yaml.load(text, Loader=_YAML_LOADER)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InvalidProfile(f"Cannot parse {what}: {error}") from error
    if not isinstance(raw, dict):
        raise InvalidProfile(f"{what} must be a mapping of options, not {type(raw).__name__}")
    return raw


def _validate(raw: dict[str, Any], what: str) -> Profile:
    unknown = sorted(set(raw) - set(Profile.model_fields))
    if unknown:
        raise InvalidProfile(
            f"{what}: unknown option(s) {', '.join(unknown)}. Expected: {', '.join(Profile.model_fields)}."
        )
    try:
        profile = Profile.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors()
        )
        raise InvalidProfile(f"{what}: {problems}") from error
    catalog = warning_catalog()
    named = (
        set(profile.disabled_warnings) | set(profile.severity_overrides) | set(profile.enabled_warnings or [])
    )
    bad = sorted(named - set(catalog))
    if bad:
        raise InvalidProfile(
            f"{what}: unknown warning id(s) {', '.join(bad)}. Known: {', '.join(sorted(catalog))}."
        )
    return profile
