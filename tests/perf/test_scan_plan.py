"""The plan cache (``scan_plan``): a scanner built from a cached plan is the scanner built from
scratch; a damaged, foreign or unwritable cache costs a rebuild, never a wrong scan."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from extractor.nlp import scan_plan
from extractor.nlp.rule_scan import RuleScanner

from .test_rule_scan import OUR_PASSES, finditer_matches, our_reference

PASSES = [["left|right", r"\bL[1-5]\b"], [r"(?<=\s)-x", "ab+c"], ["x*"]]


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob("scan-plan-*.marshal"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(scan_plan.CACHE_ENV, str(tmp_path))
    return tmp_path


def test_a_cached_plan_is_the_plan_built_from_scratch_and_scans_the_same(cache: Path, notes) -> None:
    built = RuleScanner(OUR_PASSES)
    assert len(_files(cache)) == 1
    calls = []

    def rebuild() -> scan_plan.ScanPlan:
        calls.append(1)
        return built._plan()

    reread = scan_plan.cached([tuple(p) for p in OUR_PASSES], re.IGNORECASE, built.key_length, rebuild)
    assert calls == [], "the second build must read the cache"
    assert reread == built._plan()
    from_cache = RuleScanner(OUR_PASSES)
    for _, text in notes[:80]:
        assert from_cache.scan(text) == our_reference(text)


def test_a_damaged_or_malformed_cache_file_is_rebuilt(cache: Path) -> None:
    fresh = RuleScanner(PASSES)
    (path,) = _files(cache)
    text = "left L4 -x abbbc xx right"
    expected = fresh.scan(text)
    for damage in (b"", b"\x00garbage", path.read_bytes()[:50], __import__("marshal").dumps((1, 2))):
        path.write_bytes(damage)
        assert RuleScanner(PASSES).scan(text) == expected
        assert scan_plan._read(path) is not None, "the rebuilt plan is written back"


def test_other_patterns_or_flags_get_their_own_plan(cache: Path) -> None:
    RuleScanner(PASSES)
    RuleScanner(PASSES, flags=0)
    RuleScanner([*PASSES, ["new"]])
    assert len(_files(cache)) == 3


def test_no_cache_directory_and_an_unwritable_one_still_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(scan_plan.CACHE_ENV, "")
    assert scan_plan.cache_dir() is None
    assert RuleScanner(PASSES).scan("left L4 -x") == finditer_matches(PASSES, "left L4 -x")
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv(scan_plan.CACHE_ENV, str(blocked / "cache"))
    assert RuleScanner(PASSES).scan("right abc") == finditer_matches(PASSES, "right abc")


def test_the_default_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(scan_plan.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert scan_plan.cache_dir() == tmp_path / "facet-coder"


def test_no_temporary_files_are_left(cache: Path) -> None:
    RuleScanner(PASSES)
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".marshal")] == []
    assert all(os.stat(p).st_size > 0 for p in _files(cache))
