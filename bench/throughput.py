"""Throughput of coding against the floor: bare ``spacy.blank("en")`` tokenization of the same notes.

    /work/venv/bin/python bench/throughput.py [--notes DIR] [--repeat N] [--reference]

A benchmark that reports, not a pass/fail test. In interleaved rounds (the order rotates each
round) it times, over every note under ``--notes`` (default corpora/):

  (a) ``spacy.blank("en")`` tokenization,
  (b) our NLP pipeline only (``load_pipeline()``),
  (c) ``code_note`` end to end (NLP, fact builders, coding, result model),
  (r) with ``--reference``, the reference pipeline (medspaCy's ConText, one ``finditer`` per
      rule file): what (b) was before issue #7.

It prints notes/s and words/s (medians over the rounds) and the ratios (b)/(a), (c)/(a) as the
median of the per-round ratios (each ratio compares runs of the same round, so a busy shared
machine shifts both sides). Then: ms/note per pipeline component and per code_note stage,
cold start (import + first note) in a fresh interpreter, with the plan cache filled and
without it, peak RSS (this process, and a fresh process that codes every note), and the
scaling curve: notes of 1, 10 and 50 pages made by concatenating corpus notes, ms per page
for tokenization and for code_note.

Targets (issue #7): (c)/(a) >= 0.5, cold start < 2 s, peak RSS < 300 MB, linear scaling.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE_CHARS = 3000
PAGES = (1, 10, 50)

_COLD_START = """
import time
started = time.perf_counter()
from extractor import code_note
imported = time.perf_counter()
code_note(open({path!r}, encoding="utf-8").read())
done = time.perf_counter()
print(imported - started, done - started)
"""

_FRESH_RSS = """
import json, resource, sys
from extractor import code_note
for path in json.loads(sys.stdin.read()):
    code_note(open(path, encoding="utf-8").read())
try:  # VmHWM: ru_maxrss would count the parent's pages shared at fork time
    with open("/proc/self/status") as status:
        print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def load_notes(root: Path) -> list[tuple[Path, str]]:
    paths = [root] if root.is_file() else sorted(root.rglob("*.txt"))
    return [(path, path.read_text(encoding="utf-8")) for path in paths]


def timed_pass(function: Callable[[str], object], texts: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds for one pass over ``texts`` (garbage collection off while timing)."""
    gc.collect()
    gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            function(text)
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        gc.enable()


def interleaved(
    modes: dict[str, Callable[[str], object]], texts: list[str], rounds: int
) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds of each pass of each mode, the order of the modes rotating each round."""
    seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in modes}
    names = list(modes)
    for round_index in range(rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            seconds[name].append(timed_pass(modes[name], texts))
    return seconds


def component_breakdown(texts: list[str]) -> list[tuple[str, float]]:
    """ms/note of the tokenizer, each pipeline component and each code_note stage."""
    from extractor.coding import code_facts, load_profile
    from extractor.models import CodingResult
    from extractor.nlp import facts as facts_module
    from extractor.nlp.note_view import NoteView
    from extractor.nlp.pipeline import load_pipeline
    from extractor.note_input import check_note

    nlp = load_pipeline()
    builders = {name: value for name, value in vars(facts_module).items() if name.startswith("build_")}
    totals: dict[str, float] = {}

    def add(name: str, started: float) -> float:
        now = time.perf_counter()
        totals[name] = totals.get(name, 0.0) + now - started
        return now

    for text in texts:
        started = time.perf_counter()
        check_note(text)
        profile = load_profile("medicare")
        started = add("check_note + profile", started)
        doc = nlp.make_doc(text)
        started = add("tokenizer", started)
        for name, component in nlp.pipeline:
            doc = component(doc)
            started = add(name, started)
        view = NoteView.from_doc(doc)
        started = add("NoteView.from_doc", started)
        for name, builder in builders.items():
            builder(view)
            started = add(f"  {name} (alone)", started)
        facts = facts_module.facts_from_view(view)
        started = add("facts_from_view", started)
        lines, warnings = code_facts(facts, profile)
        started = add("code_facts", started)
        CodingResult(**dict(facts), payer=profile.name, lines=lines, warnings=warnings)
        add("CodingResult", started)
    return [(name, seconds * 1000 / len(texts)) for name, seconds in totals.items()]


def cold_start(note: Path, cache: str, runs: int = 3) -> tuple[float, float, float]:
    """Medians over fresh interpreters: (import s, import + first note s, wall s incl. startup),
    with ``cache`` as the plan cache directory (``extractor.nlp.scan_plan``; "" = none)."""
    from extractor.nlp.scan_plan import CACHE_ENV

    imports, firsts, walls = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        output = subprocess.run(
            [sys.executable, "-c", _COLD_START.format(path=str(note))],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, CACHE_ENV: cache},
        ).stdout.split()
        walls.append(time.perf_counter() - started)
        imports.append(float(output[0]))
        firsts.append(float(output[1]))
    return statistics.median(imports), statistics.median(firsts), statistics.median(walls)


def fresh_rss_mb(paths: list[Path]) -> float:
    # the paths go through stdin: one command-line argument may not exceed 128 KiB on Linux
    # (MAX_ARG_STRLEN), which a list of 3,316 note paths did
    output = subprocess.run(
        [sys.executable, "-c", _FRESH_RSS],
        input=json.dumps([str(p) for p in paths]),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return int(output.split()[-1]) / 1024


def long_note(texts: list[str], pages: int) -> str:
    parts: list[str] = []
    size = 0
    index = 0
    while size < pages * PAGE_CHARS:
        text = texts[index % len(texts)]
        parts.append(text)
        size += len(text) + 2
        index += 1
    return "\n\n".join(parts)


def scaling(texts: list[str], rounds: int) -> list[tuple[int, int, float, float]]:
    """(pages, chars, tokenizer CPU ms/page, code_note CPU ms/page), medians over interleaved
    rounds."""
    import spacy

    from extractor import code_note

    blank = spacy.blank("en")
    rows = []
    for pages in PAGES:
        text = long_note(texts, pages)
        code = lambda t: code_note(t, max_chars=len(t) + 1)  # noqa: E731
        seconds = interleaved({"a": blank, "c": code}, [text], max(3, rounds))
        rows.append(
            (
                pages,
                len(text),
                statistics.median(cpu for _, cpu in seconds["a"]) * 1000 / pages,
                statistics.median(cpu for _, cpu in seconds["c"]) * 1000 / pages,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--notes", type=Path, default=ROOT / "corpora", help="note file or folder (default corpora/)"
    )
    parser.add_argument("--repeat", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--reference", action="store_true", help="also time the reference pipeline")
    args = parser.parse_args()

    import spacy

    from extractor import code_note
    from extractor.nlp.pipeline import load_pipeline

    notes = load_notes(args.notes)
    texts = [text for _, text in notes]
    words = sum(len(text.split()) for text in texts)
    chars = sum(map(len, texts))
    print(f"{len(texts)} notes from {args.notes}, {chars} chars, {words} words; {args.repeat} rounds")

    blank = spacy.blank("en")
    pipeline = load_pipeline()
    modes: dict[str, Callable[[str], object]] = {
        "(a) tokenize": blank,
        "(b) pipeline": pipeline,
        "(c) code_note": code_note,
    }
    if args.reference:
        modes["(r) reference pipeline"] = load_pipeline(reference=True)
    for function in modes.values():  # warm-up: tokenizer caches, lazy tables, rule dispatch
        for text in texts:
            function(text)
    passes = interleaved(modes, texts, args.repeat)

    print(f"\n{'':24}{'notes/s':>10}{'words/s':>12}{'ms/note':>9}{'x (a)':>8}{'CPU ms':>9}{'x (a) CPU':>11}")
    floor = passes["(a) tokenize"]
    for name, runs in passes.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        ratio = statistics.median(a[0] / r[0] for a, r in zip(floor, runs, strict=True))
        cpu_ratio = statistics.median(a[1] / r[1] for a, r in zip(floor, runs, strict=True))
        print(
            f"{name:24}{len(texts) / wall:10.0f}{words / wall:12.0f}"
            f"{wall * 1000 / len(texts):9.2f}{ratio:8.3f}{cpu * 1000 / len(texts):9.2f}{cpu_ratio:11.3f}"
        )
    print(
        "(x (a): throughput relative to (a), the median of the per-round ratios, from wall time and from\n"
        " process CPU time, which a busy shared machine disturbs less; target for (c): >= 0.5)"
    )

    print("\nms/note by stage (one pass, not interleaved):")
    for name, ms in component_breakdown(texts):
        print(f"  {name:34}{ms:8.3f}")

    with tempfile.TemporaryDirectory() as cache:
        cold_start(notes[0][0], cache, runs=1)  # fills the plan cache, as any first run does
        for label, directory in (("plan cache filled", cache), ("no plan cache", "")):
            first_import, first_note, wall = cold_start(notes[0][0], directory)
            print(
                f"\ncold start, {label} (fresh interpreter, median of 3): import {first_import:.2f} s, "
                f"import + first note {first_note:.2f} s, process wall {wall:.2f} s (target < 2 s)"
            )
    print("\nscaling (concatenated corpus notes; CPU ms per page of ~3000 chars):")
    print(f"  {'pages':>5}{'chars':>9}{'tokenize':>10}{'code_note':>11}{'x (a)':>8}")
    for pages, chars, token_ms, code_ms in scaling(texts, args.repeat):
        print(f"  {pages:5d}{chars:9d}{token_ms:10.2f}{code_ms:11.2f}{token_ms / code_ms:8.3f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\npeak RSS: this process {peak:.0f} MB (everything above"
        f"{', reference pipeline included' if args.reference else ''}); "
        f"a fresh process coding every note {fresh_rss_mb([p for p, _ in notes]):.0f} MB (target < 300 MB)"
    )


if __name__ == "__main__":
    main()
