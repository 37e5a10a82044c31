"""``facetcode batch`` as a process: really killed and resumed, a pool worker really killed, exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from batch_helpers import FAKE_CODER, cli_command, cli_env, read_output, run_cli, write_jsonl

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")


def _records(count: int) -> list[dict]:
    return [{"id": f"n{i:04d}", "text": f"Facet note SECRETNAME{i} at L{i % 5 + 1}"} for i in range(count)]


def _lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _wait_for_lines(path: Path, count: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while _lines_in(path) < count:
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.02)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _pool_workers(pid: int) -> list[int]:
    workers = []
    for child in _children(pid):
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline:
            workers.append(child)
    return workers


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _start(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        cli_command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(**env),
        stdin=subprocess.DEVNULL,
    )


def test_a_run_killed_with_sigkill_and_resumed_has_every_id_exactly_once(tmp_path: Path) -> None:
    records = _records(400)
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    args = (str(source), "-o", str(out), "--workers", "2", "--coder", FAKE_CODER, "--chunk-size", "4")
    process = _start(*args, BATCH_FAKE_DELAY="0.01")
    _wait_for_lines(out, 60, process)
    workers = _pool_workers(process.pid)
    assert workers, "no pool worker found"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while any(_alive(worker) for worker in workers):  # orphans notice the dead parent and exit
        assert time.monotonic() < deadline, "orphaned workers kept running"
        time.sleep(0.1)
    done_before = _lines_in(out)
    assert 60 <= done_before < 400
    with out.open("ab") as handle:  # as if the kill had landed in the middle of a write
        handle.write(b'{"id": "n0399", "result": {"schema_version": "1.')

    summary_path = tmp_path / "summary.json"
    resumed = run_cli(*args, "--resume", "--summary", str(summary_path))
    assert resumed.returncode == 0, resumed.stderr
    ids = Counter(line["id"] for line in read_output(out))
    assert ids == Counter(record["id"] for record in records)
    summary = json.loads(summary_path.read_text())
    assert summary["records"] == 400 and summary["errors"] == 0
    assert summary["this_run"]["skipped_already_done"] == done_before
    assert summary["this_run"]["repaired_torn_line"] is True
    assert sum(summary["lines_per_code"].values()) == 400
    assert "torn last line" in resumed.stderr and "SECRETNAME" not in resumed.stderr + resumed.stdout


def test_a_pool_worker_killed_from_outside_loses_no_record(tmp_path: Path) -> None:
    records = _records(200)
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    summary_path = tmp_path / "summary.json"
    process = _start(
        str(source), "-o", str(out), "--workers", "2", "--coder", FAKE_CODER, "--summary", str(summary_path),
        BATCH_FAKE_DELAY="0.02",
    )  # fmt: skip
    _wait_for_lines(out, 20, process)
    os.kill(_pool_workers(process.pid)[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    lines = read_output(out)
    assert Counter(line["id"] for line in lines) == Counter(record["id"] for record in records)
    assert all("result" in line for line in lines)
    summary = json.loads(summary_path.read_text())
    assert summary["this_run"]["worker_deaths"] >= 1 and summary["errors"] == 0
    assert "a worker process died" in stderr and "worker processes died" in stdout


def test_sigterm_stops_cleanly_and_the_run_resumes(tmp_path: Path) -> None:
    records = _records(300)
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    args = (str(source), "-o", str(out), "--workers", "1", "--coder", FAKE_CODER, "--quiet")
    process = _start(*args, BATCH_FAKE_DELAY="0.01")
    _wait_for_lines(out, 20, process)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and "rerun with --resume" in stderr
    assert out.read_bytes().endswith(b"\n")
    resumed = run_cli(*args, "--resume")
    assert resumed.returncode == 0 and resumed.stdout == "" and resumed.stderr == ""
    assert Counter(line["id"] for line in read_output(out)) == Counter(record["id"] for record in records)


def test_csv_input_custom_columns_quiet_and_summary(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('mrn,body\nA1,"two lines\nat L4"\nA2,\nA3,L5 only\n')
    out = tmp_path / "out.jsonl"
    summary_path = tmp_path / "summary.json"
    result = run_cli(
        str(source), "-o", str(out), "--id-field", "mrn", "--text-field", "body", "--workers", "1",
        "--coder", FAKE_CODER, "--quiet", "--summary", str(summary_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    lines = {line["id"]: line for line in read_output(out)}
    assert lines["A1"]["result"]["lines"][0]["code"] == "64494"
    assert lines["A2"]["error"]["type"] == "EMPTY_NOTE"
    summary = json.loads(summary_path.read_text())
    assert summary["lines_per_code"] == {"64494": 1, "64495": 1}
    assert summary["errors_per_type"] == {"EMPTY_NOTE": 1}
    assert summary["records"] == 3 and summary["this_run"]["processed"] == 3


def test_run_level_problems_have_their_own_exit_codes(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", _records(3))
    out = tmp_path / "out.jsonl"
    first = run_cli(str(source), "-o", str(out), "--workers", "1", "--coder", FAKE_CODER)
    assert first.returncode == 0 and "3 records this run" in first.stdout
    again = run_cli(str(source), "-o", str(out), "--coder", FAKE_CODER)
    assert again.returncode == 12 and "OUTPUT_EXISTS" in again.stderr
    payer = run_cli(str(source), "-o", str(tmp_path / "p.jsonl"), "--payer", "nobody")
    assert payer.returncode == 7 and "UNKNOWN_PAYER" in payer.stderr
    missing = run_cli(str(tmp_path / "nope"), "-o", str(out))
    assert missing.returncode == 9
    other = tmp_path / "notes.xml"
    other.write_text("<x/>")
    assert run_cli(str(other), "-o", str(tmp_path / "o.jsonl")).returncode == 11
