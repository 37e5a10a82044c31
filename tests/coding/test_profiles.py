"""Payer profiles: built-ins, user files with ``extends``, and the errors a coder sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.coding import Profile, known_profiles, load_profile
from extractor.errors import InvalidProfile, UnknownPayer

PROFILES_DIR = Path(__file__).parent / "profiles"


def test_known_profiles_are_the_three_built_ins() -> None:
    assert known_profiles() == ["commercial", "medicare", "rt_lt"]


def test_medicare_defaults() -> None:
    medicare = load_profile("medicare")
    assert isinstance(medicare, Profile)
    assert medicare.name == "medicare"
    assert medicare.bilateral_format == "modifier_50"
    assert medicare.bilateral_units == 1
    assert medicare.kx_on_diagnostic and medicare.lcd_checks
    assert medicare.response_threshold == 80
    assert medicare.t12_l1_lumbar_exception is False
    assert medicare.severity("SEDATION_NOT_BILLABLE") == "warning"


def test_commercial_extends_medicare() -> None:
    commercial = load_profile("commercial")
    assert commercial.name == "commercial"
    assert commercial.extends == "medicare"
    assert not commercial.kx_on_diagnostic and not commercial.lcd_checks
    assert commercial.response_threshold == 50
    assert commercial.bilateral_format == "modifier_50"
    assert commercial.severity("SEDATION_NOT_BILLABLE") == "info"
    assert not commercial.runs("LEVELS_EXCEED_LCD_LIMIT")
    assert not commercial.runs("DIAGNOSTIC_SESSION_BEYOND_SECOND")
    assert commercial.runs("ULTRASOUND_GUIDANCE") and commercial.runs("NONTHERMAL_DENERVATION")
    assert commercial.runs("BIOLOGIC_INJECTATE")


def test_rt_lt_extends_commercial() -> None:
    rt_lt = load_profile("rt_lt")
    assert rt_lt.bilateral_format == "rt_lt_lines"
    assert rt_lt.response_threshold == 50
    assert not rt_lt.kx_on_diagnostic
    assert rt_lt.severity("SEDATION_NOT_BILLABLE") == "info"


def test_built_in_profiles_are_cached() -> None:
    assert load_profile("medicare") is load_profile("medicare")
    assert load_profile(" medicare ") is load_profile("medicare")
    assert load_profile("Medicare") is load_profile("medicare")


def test_unknown_payer_lists_known_names() -> None:
    with pytest.raises(UnknownPayer) as raised:
        load_profile("aetna")
    message = str(raised.value)
    assert "'aetna'" in message
    for name in ("commercial", "medicare", "rt_lt"):
        assert name in message
    assert raised.value.known == ["commercial", "medicare", "rt_lt"]
    assert raised.value.exit_code == 7


def test_user_yaml_profile_extends_builtin() -> None:
    profile = load_profile(str(PROFILES_DIR / "bcbsnd_50x2.yaml"))
    assert profile.name == "bcbsnd"
    assert profile.bilateral_units == 2
    assert profile.response_threshold == 50


def test_user_json_profile() -> None:
    profile = load_profile(str(PROFILES_DIR / "quiet_inferred.json"))
    assert not profile.runs("JOINTS_INFERRED_FROM_NERVES")
    assert profile.severity("MISSING_GUIDANCE") == "error"
    # severity_overrides are merged with the parent's, not replaced
    assert profile.severity("SEDATION_NOT_BILLABLE") == "warning"


def test_user_profile_extends_user_file_by_relative_path() -> None:
    profile = load_profile(str(PROFILES_DIR / "asc_facility.yaml"))
    assert profile.bilateral_format == "rt_lt_lines"
    assert profile.t12_l1_lumbar_exception is True
    assert profile.kx_on_diagnostic is True


def test_user_profile_name_defaults_to_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "my_plan.yaml"
    path.write_text("extends: commercial\nbilateral_units: 2\n", encoding="utf-8")
    assert load_profile(str(path)).name == "my_plan"


def test_user_profile_reloads_after_edit(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"extends": "medicare", "response_threshold": 70}), encoding="utf-8")
    assert load_profile(str(path)).response_threshold == 70
    path.write_text(
        json.dumps({"extends": "medicare", "response_threshold": 65, "name": "plan2"}), encoding="utf-8"
    )
    assert load_profile(str(path)).response_threshold == 65


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("extends: medicare\nbilateral: 50\n", "unknown option(s) bilateral"),
        ("extends: medicare\nbilateral_format: both\n", "bilateral_format"),
        ("extends: medicare\nbilateral_units: 3\n", "bilateral_units"),
        ("extends: medicare\nresponse_threshold: 180\n", "response_threshold"),
        ("extends: medicare\ndisabled_warnings: [NOT_A_WARNING]\n", "unknown warning id(s) NOT_A_WARNING"),
        ("extends: medicare\nseverity_overrides: {MISSING_LEVEL: fatal}\n", "severity_overrides"),
        ("extends: united\n", "neither a known profile"),
        ("- just\n- a list\n", "must be a mapping"),
        ("extends: medicare\nname: [unclosed\n", "Cannot parse"),
    ],
)
def test_invalid_profile_files(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidProfile) as raised:
        load_profile(str(path))
    assert expected in str(raised.value)
    assert raised.value.exit_code == 8


def test_unknown_option_message_lists_expected_options(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("bilateral: 50\n", encoding="utf-8")
    with pytest.raises(InvalidProfile, match="Expected: name, description, extends, bilateral_format"):
        load_profile(str(path))


def test_extends_loop_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(InvalidProfile, match="loops"):
        load_profile(str(tmp_path / "a.yaml"))


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidProfile, match="not found"):
        load_profile(str(tmp_path / "nowhere.yaml"))
