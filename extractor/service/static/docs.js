// A minimal, local API reference built from /openapi.json (no CDN, text nodes only).
"use strict";

(function () {
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function refName(schema) {
    if (!schema) return "";
    if (schema.$ref) return schema.$ref.split("/").pop();
    if (schema.type) return schema.type;
    return "";
  }

  function endpoint(path, method, operation) {
    const box = el("section", "endpoint");
    const title = el("h3");
    title.appendChild(el("span", "method " + method, method.toUpperCase()));
    title.appendChild(el("span", "path", path));
    title.appendChild(el("span", "muted", operation.summary || ""));
    box.appendChild(title);
    if (operation.description) box.appendChild(el("p", null, operation.description));
    const facts = el("dl");
    const body = operation.requestBody && operation.requestBody.content;
    if (body && body["application/json"]) {
      facts.appendChild(el("dt", null, "Request body"));
      facts.appendChild(el("dd", null, refName(body["application/json"].schema)));
    }
    (operation.parameters || []).forEach((parameter) => {
      facts.appendChild(el("dt", null, "Parameter " + parameter.name));
      facts.appendChild(el("dd", null, parameter.in + (parameter.schema && parameter.schema.enum
        ? ": " + parameter.schema.enum.join(" | ") : "")));
    });
    Object.entries(operation.responses || {}).forEach(([status, response]) => {
      const content = response.content && response.content["application/json"];
      const name = content ? refName(content.schema) : "";
      facts.appendChild(el("dt", null, status));
      facts.appendChild(el("dd", null, (response.description || "") + (name ? " (" + name + ")" : "")));
    });
    box.appendChild(facts);
    return box;
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const spec = await (await fetch("/openapi.json")).json();
    document.getElementById("api-version").textContent = spec.info.title + " " + spec.info.version;
    const endpoints = document.getElementById("endpoints");
    Object.entries(spec.paths).forEach(([path, operations]) => {
      Object.entries(operations).forEach(([method, operation]) => {
        endpoints.appendChild(endpoint(path, method, operation));
      });
    });
    const schemas = document.getElementById("schemas");
    Object.entries((spec.components && spec.components.schemas) || {}).forEach(([name, schema]) => {
      const details = el("details");
      details.appendChild(el("summary", null, name));
      details.appendChild(el("pre", null, JSON.stringify(schema, null, 2)));
      schemas.appendChild(details);
    });
  });
})();
