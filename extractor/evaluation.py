"""Scores ``code_note`` against the gold annotations of a corpus folder (format: corpora/README.md).

Each field is scored as a set of items per note (micro precision/recall/F1 over the corpus);
a null value is no item. Claims are scored as exact matches of the whole set of lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import FACET_KINDS, CodingResult

FIELDS = ("joint_side", "kind", "guidance", "intent", "session", "agents", "sedation", "pain", "warnings")


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Miss:
    note: str
    field: str
    missing: list[str]
    extra: list[str]


@dataclass
class EvalReport:
    notes: int = 0
    scores: dict[str, FieldScore] = field(default_factory=lambda: {name: FieldScore() for name in FIELDS})
    claims_exact: int = 0
    misses: list[Miss] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def claim_accuracy(self) -> float:
        return self.claims_exact / self.notes if self.notes else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "notes": self.notes,
            "claim_exact_match": round(self.claim_accuracy, 4),
            "fields": {
                name: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                }
                for name, s in self.scores.items()
            },
            "misses": [m.__dict__ for m in self.misses],
            "errors": [{"note": n, "error": e} for n, e in self.errors],
        }


def _facet(procedures: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in procedures if p.get("kind") in FACET_KINDS]


def field_items(annotation: dict[str, Any]) -> dict[str, set[str]]:
    """The scored items of one annotation (gold JSON or a CodingResult dumped with aliases)."""
    procedures = annotation.get("procedures") or []
    facet = _facet(procedures)
    items: dict[str, set[str]] = {name: set() for name in FIELDS}
    for procedure in facet:
        for joint in procedure.get("joints") or []:
            items["joint_side"].add(f"{joint['joint']}:{joint.get('side')}")
        # values, not per region: annotators may keep T12-L1 + L1-L2 as one procedure or two
        if procedure.get("guidance") is not None:
            items["guidance"].add(str(procedure["guidance"]))
        if procedure.get("intent") is not None:
            items["intent"].add(str(procedure["intent"]))
        if procedure.get("diagnostic_session") is not None:
            items["session"].add(str(procedure["diagnostic_session"]))
    for procedure in procedures:
        items["kind"].add(str(procedure.get("kind")))
    for agent in annotation.get("agents") or []:
        items["agents"].add(f"{agent['name']}:{agent.get('role', 'target')}")
    if annotation.get("sedation") is not None:
        items["sedation"].add(str(annotation["sedation"]))
    pain = annotation.get("pain") or {}
    for key in ("pre", "post", "percent_relief"):
        if pain.get(key) is not None:
            items["pain"].add(f"{key}:{float(pain[key]):g}")
    items["warnings"] = {w if isinstance(w, str) else w["id"] for w in annotation.get("warnings") or []}
    return items


def claim_key(lines: Iterable[dict[str, Any]]) -> list[str]:
    return sorted(
        f"{line['code']}{''.join('-' + m for m in line.get('modifiers') or [])} x{line.get('units', 1)}"
        for line in lines
    )


def load_gold(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    pairs = []
    for gold_path in sorted(folder.rglob("*.gold.json")):
        note_path = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".txt")
        if note_path.exists():
            pairs.append((note_path, json.loads(gold_path.read_text("utf-8"))))
    return pairs


def evaluate(folder: Path, coder: Callable[[str, str], CodingResult], payer: str = "medicare") -> EvalReport:
    report = EvalReport()
    for note_path, gold in load_gold(folder):
        note_id = gold.get("id") or note_path.stem
        try:
            result = coder(note_path.read_text("utf-8"), payer)
        except Exception as error:  # noqa: BLE001  (a failing note is reported, not fatal)
            report.errors.append((note_id, f"{type(error).__name__}: {error}"))
            continue
        predicted = result.model_dump(mode="json", by_alias=True)
        report.notes += 1
        gold_items, predicted_items = field_items(gold), field_items(predicted)
        for name in FIELDS:
            score = report.scores[name]
            g, p = gold_items[name], predicted_items[name]
            score.tp += len(g & p)
            score.fp += len(p - g)
            score.fn += len(g - p)
            if g != p:
                report.misses.append(Miss(note_id, name, sorted(g - p), sorted(p - g)))
        gold_claim, predicted_claim = claim_key(gold.get("lines") or []), claim_key(predicted["lines"])
        if gold_claim == predicted_claim:
            report.claims_exact += 1
        else:
            report.misses.append(
                Miss(
                    note_id,
                    "claim",
                    sorted(set(gold_claim) - set(predicted_claim)),
                    sorted(set(predicted_claim) - set(gold_claim)),
                )
            )
    return report


def format_report(report: EvalReport, show_misses: bool = True) -> str:
    out = [f"notes: {report.notes}   claim exact match: {report.claim_accuracy:.1%}"]
    out.append(f"{'field':<12} {'P':>6} {'R':>6} {'F1':>6}   tp   fp   fn")
    for name, s in report.scores.items():
        out.append(f"{name:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
    if report.errors:
        out.append("errors:")
        out += [f"  {note}: {error}" for note, error in report.errors]
    if show_misses and report.misses:
        out.append("misses (missing / extra):")
        for miss in report.misses:
            out.append(f"  {miss.note:<18} {miss.field:<11} -{miss.missing} +{miss.extra}")
    return "\n".join(out)
