"""An HL7 v2 message's OBX segments read as 'label: value' lines, one character for one."""

from __future__ import annotations

from extractor.nlp.hl7_fields import hl7_fields
from extractor.nlp.rule_text import rule_text

_MESSAGE = (
    "MSH|^~\\&|PAINPROC|SYNTH|EHR|SYNTH|20250203091522||ORU^R01|SYN1|P|2.3\n"
    "OBX|3|TX|LEVELS^Levels treated||T12-L1 (bilateral)^L1-L2 (left)||||||F\n"
    "OBX|7|NM|PAINPRE^Pain score pre (NRS)||7|/10|||||F\n"
    "OBX|9|TX|MEDS^Medications administered||Lidocaine 1% skin 3 mL"
    "\\.br\\Marcaine 0.5% 0.5 mL per site||||||F\n"
)


def test_segments_read_as_label_and_value() -> None:
    read = hl7_fields(_MESSAGE).split("\n")
    assert read[1].strip() == "Levels treated: T12-L1 (bilateral),L1-L2 (left)"
    assert read[2].split() == ["Pain", "score", "pre", "(NRS):", "7"]
    assert read[3].strip() == "Medications administered: Lidocaine 1% skin 3 mL"
    assert read[5].strip() == "Marcaine 0.5% 0.5 mL per site"  # (after the escaped break's blank line)
    assert read[0] == _MESSAGE.split("\n")[0]  # (other segments stay as written)
    assert len(rule_text(_MESSAGE)) == len(_MESSAGE)


def test_a_note_without_segments_is_unchanged() -> None:
    note = "Procedure: L4-5 MBB | fluoro | 7 -> 1\nnot at a line start: x OBX|1|ST|A^B||v||F\n"
    assert hl7_fields(note) == note


def test_the_orders_requested_procedure_reads_as_a_title() -> None:
    order = "OBR|1|PO4|PF4|CT7721^CT GUIDED LEFT C6-7 AND C7-T1 FACET INJ^L|||20250228151000||RAD|F"
    read = hl7_fields(order)
    assert read.strip() == "Title: CT GUIDED LEFT C6-7 AND C7-T1 FACET INJ"
    assert len(read) == len(order)
