"""Fixtures for the batch tests: a small archive with good notes and one of each bad kind."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def note_folder(tmp_path: Path) -> Path:
    """A folder with good notes in subfolders, plus one each of the bad kinds."""
    root = tmp_path / "notes"
    (root / "2024" / "jan").mkdir(parents=True)
    (root / "2024" / "feb").mkdir(parents=True)
    for index in range(12):
        month = "jan" if index % 2 else "feb"
        (root / "2024" / month / f"n{index:02d}.txt").write_text(
            f"Bilateral facet injection at L{index % 5 + 1} under fluoroscopy. Patient SECRETNAME{index}.\n"
        )
    (root / "cp1252.txt").write_bytes("Caf\u00e9 \u2013 facet L3 injection.".encode("cp1252"))
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (root / "empty.txt").write_text("  \n")
    (root / "raise.txt").write_text("RAISE at L2")
    (root / "readme.md").write_text("not a note")
    return root
