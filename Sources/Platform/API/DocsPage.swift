/// The `/docs` page: a self-contained HTML document that renders `/openapi.json` and lets a user
/// try each call with their API key. No CDN and nothing fetched from outside the server.
public enum DocsPage {
    public static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>opsim API</title>
<style>
  :root { --fg:#1d2433; --muted:#5b6472; --line:#d9dee7; --get:#1f7a4d; --bg:#f7f8fa; }
  * { box-sizing: border-box; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; background: var(--bg); }
  header { padding: 20px 28px; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { margin: 0 0 4px; font-size: 22px; }
  header p { margin: 0; color: var(--muted); }
  .key { margin-top: 12px; display: flex; gap: 8px; align-items: center; }
  .key input { width: 360px; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 22px 0 8px; }
  .method.ws { background: #6b3fd4; }
  code { font-family: ui-monospace, monospace; font-size: 13px; background: #eef1f6; padding: 1px 4px; border-radius: 3px; }
  .body p { margin: 8px 0; }
  main { padding: 20px 28px; max-width: 1100px; }
  details { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 10px; }
  summary { cursor: pointer; padding: 10px 14px; display: flex; gap: 12px; align-items: baseline; }
  .method { font: 600 12px ui-monospace, monospace; color: #fff; background: var(--get); padding: 2px 8px; border-radius: 4px; }
  .path { font-family: ui-monospace, monospace; font-weight: 600; }
  .summary { color: var(--muted); }
  .body { padding: 4px 14px 14px; border-top: 1px solid var(--line); }
  table { border-collapse: collapse; width: 100%; margin: 8px 0; }
  td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
  input, select { font: 14px ui-monospace, monospace; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; }
  button { font: 600 14px system-ui, sans-serif; padding: 6px 14px; border-radius: 6px; border: 0; background: #2d5be3; color: #fff; cursor: pointer; }
  pre { background: #0f1420; color: #dce3f0; padding: 10px; border-radius: 6px; overflow: auto; max-height: 420px; font-size: 13px; }
  .status { font-weight: 600; }
  .lock { color: var(--muted); font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1 id="title">opsim API</h1>
  <p id="description">Loading the OpenAPI document…</p>
  <div class="key"><label for="apikey">X-API-Key</label><input id="apikey" placeholder="the demo key opsim serve printed"></div>
</header>
<main id="operations"></main>
<script>
"use strict";
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) { if (k === "text") node.textContent = v; else node.setAttribute(k, v); }
  for (const child of children) node.append(child);
  return node;
};
const keyInput = document.getElementById("apikey");
keyInput.value = localStorage.getItem("opsim-api-key") || "";
keyInput.addEventListener("change", () => localStorage.setItem("opsim-api-key", keyInput.value));

function operationCard(path, method, op) {
  const card = el("details", { id: op.operationId || (method + path) });
  const secured = (op.security || []).length > 0;
  card.append(el("summary", {}, el("span", { class: "method", text: method.toUpperCase() }),
    el("span", { class: "path", text: path }), el("span", { class: "summary", text: op.summary || "" }),
    el("span", { class: "lock", text: secured ? "needs key" : "public" })));
  const body = el("div", { class: "body" });
  const inputs = {};
  const params = op.parameters || [];
  if (params.length) {
    const table = el("table", {}, el("tr", {}, el("th", { text: "parameter" }), el("th", { text: "in" }), el("th", { text: "value" }), el("th", { text: "description" })));
    for (const p of params) {
      let input;
      if (p.schema && p.schema.enum) {
        input = el("select", {}, el("option", { value: "", text: "" }));
        for (const v of p.schema.enum) input.append(el("option", { value: v, text: v }));
      } else {
        input = el("input", { placeholder: (p.schema && (p.schema.format || p.schema.type)) || "" });
      }
      inputs[p.name] = { input, where: p.in };
      table.append(el("tr", {}, el("td", { text: p.name + (p.required ? " *" : "") }), el("td", { text: p.in }), el("td", {}, input), el("td", { text: p.description || "" })));
    }
    body.append(table);
  }
  const output = el("pre", { text: "" });
  const status = el("div", { class: "status" });
  const button = el("button", { text: "Send" });
  button.addEventListener("click", async () => {
    const missing = params.filter(p => p.required && !inputs[p.name].input.value).map(p => p.name);
    if (missing.length) { status.textContent = "fill in " + missing.join(", ") + " first"; return; }
    let url = path;
    const query = new URLSearchParams();
    for (const [name, { input, where }] of Object.entries(inputs)) {
      if (!input.value) continue;
      if (where === "path") url = url.replace("{" + name + "}", encodeURIComponent(input.value));
      else if (where === "query") query.append(name, input.value);
    }
    if (query.toString()) url += "?" + query.toString();
    const headers = {};
    if (keyInput.value) headers["X-API-Key"] = keyInput.value;
    status.textContent = "GET " + url + " …";
    try {
      const started = performance.now();
      const response = await fetch(url, { method: method.toUpperCase(), headers });
      const text = await response.text();
      status.textContent = response.status + " " + response.statusText + " · " + Math.round(performance.now() - started) + " ms · " + url;
      try { output.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch { output.textContent = text; }
    } catch (error) {
      status.textContent = "request failed: " + error;
    }
  });
  body.append(button, status, output);
  card.append(body);
  return card;
}

// WS /v1/stream is not an OpenAPI operation: its protocol is described here.
function streamCard() {
  const card = el("details", { id: "stream" });
  card.append(el("summary", {}, el("span", { class: "method ws", text: "WS" }), el("span", { class: "path", text: "/v1/stream" }),
    el("span", { class: "summary", text: "Chain updates and analytics as JSON messages with sequence numbers." }),
    el("span", { class: "lock", text: "needs key (stream scope)" })));
  const url = location.origin.replace(/^http/, "ws") + "/v1/stream";
  const body = el("div", { class: "body" });
  const lines = [
    ["Connect to ", url, " with the X-API-Key header (or ?api_key=…); the server says hello with its last_sequence."],
    ["Send ", '{"action":"subscribe","indices":["NIFTY"],"channels":["chain","analytics"]}', " to receive updates."],
    ["Each update is ", '{"type":"chain","sequence":N,"index":"NIFTY","at":"…+05:30","data":{…},"previous_sequence":P}',
     ": P is the sequence of the previous message on that subscription, so P ≠ the last one you saw means you missed messages."],
    ["Send ", '{"action":"resume","from_sequence":N}', " to replay retained messages after N (a gap message says when N is too old); ",
     '{"action":"ping"}', " answers pong."],
  ];
  for (const parts of lines) {
    const p = el("p");
    parts.forEach((part, i) => p.append(i % 2 ? el("code", { text: part }) : part));
    body.append(p);
  }
  card.append(body);
  return card;
}

fetch("/openapi.json").then(r => r.json()).then(spec => {
  document.getElementById("title").textContent = spec.info.title + " " + spec.info.version;
  document.getElementById("description").textContent = spec.info.description || "";
  const container = document.getElementById("operations");
  const paths = Object.keys(spec.paths);
  const groups = [["Data", paths.filter(p => p.startsWith("/v1/"))], ["Operations", paths.filter(p => !p.startsWith("/v1/"))]];
  for (const [title, members] of groups) {
    container.append(el("h2", { text: title }));
    for (const path of members) {
      for (const [method, op] of Object.entries(spec.paths[path])) container.append(operationCard(path, method, op));
    }
    if (title === "Data") container.append(streamCard());
  }
  // A link to #operationId (e.g. /docs#getChain) opens that operation.
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target) { target.open = true; target.scrollIntoView(); }
}).catch(error => { document.getElementById("description").textContent = "Could not load /openapi.json: " + error; });
</script>
</body>
</html>
"""#
}
