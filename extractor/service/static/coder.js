// The coder page. Every string that comes from the note, the server or the claim is put in
// the page with textContent / createTextNode, never as HTML, so a note holding <script> or
// <img onerror> stays text.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const SEVERITIES = [
    ["error", "Errors"],
    ["warning", "Warnings"],
    ["info", "Info"],
  ];

  const state = {
    text: "", // the note as sent to the server (what the offsets refer to)
    codePoints: [], // the note split in code points: the server's offsets count code points
    result: null,
    audit: null,
    authRequired: false,
  };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setStatus(message, kind) {
    const status = $("status");
    status.textContent = message || "";
    status.className = "status" + (kind ? " " + kind : "");
  }

  function headers() {
    const result = { "Content-Type": "application/json" };
    const key = $("api-key").value;
    if (key) result["X-API-Key"] = key;
    return result;
  }

  async function postJson(path, body) {
    let response;
    try {
      response = await fetch(path, { method: "POST", headers: headers(), body: JSON.stringify(body) });
    } catch (error) {
      throw new Error("The service could not be reached.");
    }
    let payload = null;
    try {
      payload = await response.json();
    } catch (error) {
      payload = null;
    }
    if (!response.ok) {
      if (response.status === 401) {
        $("api-key-label").hidden = false;
        $("api-key").focus();
      }
      const message = payload && payload.error ? payload.error.message : "HTTP " + response.status;
      const type = payload && payload.error ? payload.error.type + ": " : "";
      throw new Error(type + message);
    }
    return payload;
  }

  // ---- evidence ---------------------------------------------------------------------------

  function validSpans(evidence) {
    const size = state.codePoints.length;
    return (evidence || []).filter(
      (span) =>
        span && Number.isInteger(span.start) && Number.isInteger(span.end) &&
        span.start >= 0 && span.end > span.start && span.end <= size
    );
  }

  // Every evidence list anywhere in the result: lines, warnings and the facts.
  function collectEvidence(value, found) {
    if (Array.isArray(value)) {
      value.forEach((item) => collectEvidence(item, found));
    } else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (/evidence$/.test(key) && Array.isArray(child)) {
          child.forEach((span) => found.push(span));
        } else if (key === "field_evidence" && child && typeof child === "object") {
          Object.values(child).forEach((spans) => (spans || []).forEach((span) => found.push(span)));
        } else {
          collectEvidence(child, found);
        }
      }
    }
    return found;
  }

  // The note as segments cut at every evidence boundary; segments inside evidence get class "ev".
  function renderNote(allEvidence) {
    const spans = validSpans(allEvidence);
    const size = state.codePoints.length;
    const bounds = new Set([0, size]);
    spans.forEach((span) => {
      bounds.add(span.start);
      bounds.add(span.end);
    });
    const cuts = Array.from(bounds).sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    for (let i = 0; i + 1 < cuts.length; i += 1) {
      const start = cuts[i];
      const end = cuts[i + 1];
      const segment = el("span", null, state.codePoints.slice(start, end).join(""));
      segment.dataset.start = String(start);
      segment.dataset.end = String(end);
      if (spans.some((span) => span.start <= start && end <= span.end)) segment.className = "ev";
      fragment.appendChild(segment);
    }
    $("note-view").replaceChildren(fragment);
  }

  function highlight(evidence, source) {
    document.querySelectorAll(".selected").forEach((node) => node.classList.remove("selected"));
    if (source) source.classList.add("selected");
    const spans = validSpans(evidence);
    let first = null;
    $("note-view").querySelectorAll("span[data-start]").forEach((segment) => {
      const start = Number(segment.dataset.start);
      const end = Number(segment.dataset.end);
      const active = spans.some((span) => span.start <= start && end <= span.end);
      segment.classList.toggle("active", active);
      if (active && !first) first = segment;
    });
    if (first) {
      first.scrollIntoView({ block: "center", behavior: "auto" });
    } else if (source) {
      setStatus("No evidence in the note for this item.", "");
    }
  }

  function selectable(node, evidence) {
    node.tabIndex = 0;
    node.classList.add("selectable");
    node.addEventListener("click", () => highlight(evidence, node));
    node.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        highlight(evidence, node);
      }
    });
  }

  // ---- claim lines and warnings -------------------------------------------------------------

  // "64493-50-KX", with " x2" when units are not 1: the form the audit's claim parser reads back.
  function lineText(line) {
    const text = [line.code].concat(line.modifiers || []).join("-");
    return line.units && line.units !== 1 ? text + " x" + line.units : text;
  }

  function lineRow(line, index, withLabel) {
    const row = el("tr", "line");
    row.dataset.index = String(index);
    row.dataset.code = line.code;
    row.appendChild(el("td", "code", line.code));
    row.appendChild(el("td", "modifiers", (line.modifiers || []).join(" ")));
    row.appendChild(el("td", "units", line.units));
    row.appendChild(el("td", "joints", (line.joints || []).join(", ")));
    if (withLabel) row.appendChild(el("td", "label", line.label || ""));
    selectable(row, line.evidence);
    return row;
  }

  function renderLines(lines) {
    const body = $("lines").tBodies[0];
    body.replaceChildren(...lines.map((line, index) => lineRow(line, index, true)));
    $("no-lines").hidden = lines.length > 0;
    $("no-lines").textContent = "The note supports no claim lines.";
    $("copy-btn").disabled = lines.length === 0;
  }

  function warningItem(warning) {
    const item = el("li", "issue sev-" + (warning.severity || "info"));
    item.dataset.id = warning.id || "";
    item.appendChild(el("span", "badge", warning.id || ""));
    item.appendChild(el("span", "message", warning.message || ""));
    if (validSpans(warning.evidence).length) selectable(item, warning.evidence);
    return item;
  }

  function renderWarnings(warnings) {
    const box = $("warnings");
    box.replaceChildren();
    SEVERITIES.forEach(([severity, title]) => {
      const group = warnings.filter((warning) => warning.severity === severity);
      if (!group.length) return;
      const section = el("section", "severity-group sev-" + severity);
      section.dataset.severity = severity;
      section.appendChild(el("h3", null, title + " (" + group.length + ")"));
      const list = el("ul", "warning-list");
      group.forEach((warning) => list.appendChild(warningItem(warning)));
      section.appendChild(list);
      box.appendChild(section);
    });
    $("no-warnings").hidden = warnings.length > 0;
  }

  function showNoteView(show) {
    $("note-view").hidden = !show;
    $("drop-zone").hidden = show;
    $("edit-btn").hidden = !show;
  }

  function showResult(text, result) {
    state.text = text;
    state.codePoints = Array.from(text);
    state.result = result;
    renderNote(collectEvidence(result, []));
    renderLines(result.lines || []);
    renderWarnings(result.warnings || []);
    renderAuditLines(result.lines || []);
    showNoteView(true);
  }

  async function codeNote() {
    const text = $("note-input").value;
    if (!text.trim()) {
      setStatus("Paste a note first.", "error");
      return;
    }
    $("code-btn").disabled = true;
    setStatus("Coding…", "");
    try {
      const result = await postJson("/v1/code", { text: text, payer: $("payer").value });
      showResult(text, result);
      const count = (result.lines || []).length;
      setStatus(count + " claim line" + (count === 1 ? "" : "s") + " for " + result.payer + ".", "ok");
    } catch (error) {
      setStatus(error.message, "error");
    } finally {
      $("code-btn").disabled = false;
    }
  }

  async function copyLines() {
    const lines = (state.result && state.result.lines) || [];
    const text = lines.map(lineText).join("\n");
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      const scratch = el("textarea");
      scratch.value = text;
      document.body.appendChild(scratch);
      scratch.select();
      document.execCommand("copy");
      scratch.remove();
    }
    setStatus("Copied " + lines.length + " line" + (lines.length === 1 ? "" : "s") + ".", "ok");
  }

  // ---- audit --------------------------------------------------------------------------------

  function renderAuditLines(lines) {
    const body = $("audit-lines").tBodies[0];
    body.replaceChildren(...lines.map((line, index) => lineRow(line, index, false)));
  }

  function findingItem(finding) {
    const item = el("li", "issue finding sev-" + (finding.severity || "info"));
    item.dataset.id = finding.id || "";
    item.appendChild(el("span", "badge", finding.id || ""));
    item.appendChild(el("span", "message", finding.message || ""));
    if (finding.line) item.appendChild(el("span", "claimed", "claim line: " + lineText(finding.line)));
    if (finding.suggestion) item.appendChild(el("span", "suggestion", "fix: " + finding.suggestion));
    if (validSpans(finding.evidence).length) selectable(item, finding.evidence);
    return item;
  }

  async function auditClaim() {
    const text = $("note-input").value;
    const claim = $("claim-input").value;
    if (!text.trim()) {
      setStatus("Paste a note first.", "error");
      return;
    }
    if (!claim.trim()) {
      setStatus("Type the claim to audit.", "error");
      return;
    }
    $("audit-btn").disabled = true;
    setStatus("Auditing…", "");
    try {
      const audit = await postJson("/v1/audit", { text: text, claim: claim, payer: $("payer").value });
      state.audit = audit;
      if (audit.coding) showResult(text, audit.coding);
      const findings = audit.findings || [];
      $("findings").replaceChildren(...findings.map(findingItem));
      $("no-findings").hidden = findings.length > 0;
      $("no-findings").textContent = "No findings: the claim matches what the note supports.";
      const submitted = (audit.submitted || []).map(lineText).join(", ");
      $("audit-summary").textContent = findings.length + " finding" + (findings.length === 1 ? "" : "s") +
        (submitted ? " for the claim " + submitted : "") + ".";
      $("audit-summary").className = "status";
      setStatus("Audit done.", "ok");
    } catch (error) {
      setStatus(error.message, "error");
      $("audit-summary").textContent = error.message;
      $("audit-summary").className = "status error";
      $("findings").replaceChildren();
      $("no-findings").hidden = true;
    } finally {
      $("audit-btn").disabled = false;
    }
  }

  // ---- page wiring --------------------------------------------------------------------------

  function selectTab(name) {
    ["code", "audit"].forEach((tab) => {
      $("tab-" + tab).setAttribute("aria-selected", String(tab === name));
      $("panel-" + tab).hidden = tab !== name;
    });
  }

  async function readFile(file) {
    if (!file) return;
    if (file.type && file.type !== "text/plain" && !/\.txt$/i.test(file.name)) {
      setStatus("Only plain-text (.txt) notes can be opened.", "error");
      return;
    }
    $("note-input").value = await file.text();
    showNoteView(false);
    setStatus("Loaded " + file.name + ".", "ok");
  }

  async function loadHealth() {
    try {
      const response = await fetch("/healthz");
      const health = await response.json();
      state.authRequired = Boolean(health.auth_required);
      $("api-key-label").hidden = !state.authRequired;
      if (Array.isArray(health.payers) && health.payers.length) {
        const select = $("payer");
        const current = select.value;
        select.replaceChildren(...health.payers.map((payer) => {
          const option = el("option", null, payer);
          option.value = payer;
          return option;
        }));
        if (health.payers.includes(current)) select.value = current;
      }
    } catch (error) {
      setStatus("The service could not be reached.", "error");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("code-btn").addEventListener("click", codeNote);
    $("api-key-label").addEventListener("submit", (event) => {
      event.preventDefault();
      codeNote();
    });
    $("audit-btn").addEventListener("click", auditClaim);
    $("copy-btn").addEventListener("click", copyLines);
    $("edit-btn").addEventListener("click", () => {
      showNoteView(false);
      $("note-input").focus();
    });
    $("open-btn").addEventListener("click", () => $("file-input").click());
    $("file-input").addEventListener("change", (event) => readFile(event.target.files[0]));
    $("tab-code").addEventListener("click", () => selectTab("code"));
    $("tab-audit").addEventListener("click", () => selectTab("audit"));
    $("note-input").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) codeNote();
    });
    $("claim-input").addEventListener("keydown", (event) => {
      if (event.key === "Enter") auditClaim();
    });
    const zone = $("drop-zone");
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      readFile(event.dataTransfer.files[0]);
    });
    loadHealth();
  });
})();
