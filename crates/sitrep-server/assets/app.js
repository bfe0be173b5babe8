// The sitrep dashboard's core: state kept in the URL, the filter form, API calls, shared SVG
// helpers and the refresh loop. Plain JS, nothing loaded from elsewhere; every text that came
// from a news report is inserted with textContent, never as HTML.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const TYPES = ["AGREE","CONSULT","SUPPORT","CONCEDE","COOPERATE","AID","RETREAT","REQUEST","ACCUSE","REJECT","THREATEN","SANCTION","PROTEST","MOBILIZE","COERCE","ASSAULT","STATEMENT","APPEAL"];
const QUAD_COLORS = ["var(--q1)","var(--q2)","var(--q3)","var(--q4)"];
const FACTUAL = "asserted,reported";
const PAGE = 25;
// Form fields and view settings that live in the URL, so a view can be shared or bookmarked.
const FORM_KEYS = ["actor", "event", "quad", "status", "from", "to", "uncertain"];
const VIEW_KEYS = ["place", "pair", "dyad", "level", "all", "sort", "doc"];
const state = { offset: 0, cursors: [null], next: null, stats: null, view: {} };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, parent, text) {
  const n = document.createElementNS(SVG, tag);
  for (const k in attrs || {}) n.setAttribute(k, attrs[k]);
  if (text !== undefined) n.textContent = text;
  if (parent) parent.appendChild(n);
  return n;
}

function h(tag, props, parent, text) {
  const n = document.createElement(tag);
  Object.assign(n, props || {});
  if (text !== undefined) n.textContent = text;
  if (parent) parent.appendChild(n);
  return n;
}

function tip(node, text) { node.appendChild(el("title", {}, null, text)); return node; }

async function api(path, params) {
  const qs = params && [...params].length ? "?" + params.toString() : "";
  const r = await fetch(path + qs);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}

function form() { return document.forms.filters; }

// The query every panel shares: the form, the status rule, and the place or dyad picked.
function filters(extra) {
  const p = new URLSearchParams();
  const f = form();
  for (const k of ["actor", "event", "quad", "from", "to"]) {
    const v = String(f[k].value || "").trim();
    if (v) p.set(k, v);
  }
  // What happened by default: a hypothetical strike is no strike.
  if (f.status.value) p.set("status", f.status.value);
  else if (!f.uncertain.checked) p.set("status", FACTUAL);
  if (state.view.place) p.set("place", state.view.place);
  if (state.view.pair) {
    const [s, t] = state.view.pair.split("|");
    p.set("source", s); p.set("target", t);
  }
  for (const k in extra || {}) p.set(k, extra[k]);
  return p;
}

function readUrl() {
  const q = new URLSearchParams(location.search);
  const f = form();
  for (const k of FORM_KEYS) {
    if (k === "uncertain") f.uncertain.checked = q.get(k) === "1";
    else f[k].value = q.get(k) || "";
  }
  state.view = {};
  for (const k of VIEW_KEYS) if (q.get(k)) state.view[k] = q.get(k);
  $("net-level").value = state.view.level === "actor" ? "actor" : "country";
  $("net-all").checked = state.view.all === "1";
}

function writeUrl() {
  const q = new URLSearchParams();
  const f = form();
  for (const k of FORM_KEYS) {
    if (k === "uncertain") { if (f.uncertain.checked) q.set(k, "1"); }
    else if (String(f[k].value || "").trim()) q.set(k, String(f[k].value).trim());
  }
  for (const k of VIEW_KEYS) if (state.view[k]) q.set(k, state.view[k]);
  const s = q.toString();
  history.replaceState(null, "", s ? "?" + s : location.pathname);
}

function setView(k, v) { if (v) state.view[k] = v; else delete state.view[k]; writeUrl(); }

// Goldstein -10 (red) … 0 (grey) … +10 (blue).
function goldColor(g) {
  const t = Math.max(-1, Math.min(1, (g || 0) / 10));
  const mix = (a, b, f) => Math.round(a + (b - a) * f);
  const [grey, red, blue] = [[134,149,165], [229,72,77], [63,142,232]];
  const to = t < 0 ? red : blue, f = Math.abs(t);
  return `rgb(${mix(grey[0],to[0],f)},${mix(grey[1],to[1],f)},${mix(grey[2],to[2],f)})`;
}

// Draws at the element's real width, so text keeps its size on a phone.
function canvas(svg, hgt) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const w = Math.max(280, Math.round(svg.getBoundingClientRect().width || 560));
  svg.setAttribute("viewBox", `0 0 ${w} ${hgt}`);
  svg.setAttribute("height", hgt);
  return w;
}

function empty(svg, w, hgt, msg) {
  el("text", { x: w / 2, y: hgt / 2, "text-anchor": "middle", class: "empty" }, svg, msg);
}

const overlap = (a, b, pad) => a.x < b.x + b.width + pad && b.x < a.x + a.width + pad &&
  a.y < b.y + b.height + pad && b.y < a.y + a.height + pad;

// Removes labels that would touch one already kept (in priority order): labels never overlap.
function dropOverlaps(texts, pad = 2) {
  const kept = [];
  for (const t of texts) {
    const b = t.getBBox();
    if (kept.some((k) => overlap(b, k, pad))) t.remove();
    else kept.push(b);
  }
}

function fmt(n) { return Number(n).toLocaleString("en"); }

function statusClass(s) { return "st st-" + (s || "asserted"); }

async function loadStats() {
  const s = await api("/stats");
  state.stats = s;
  $("stats").textContent = s.events
    ? `${fmt(s.events)} events · ${fmt(s.documents)} documents · ${fmt(s.actors)} actors · ${s.first_date} → ${s.last_date}`
    : "no events yet";
}

function drawChips() {
  const box = $("chips");
  box.textContent = "";
  const chip = (label, key) => {
    const b = h("button", { type: "button", className: "chip", title: "remove this filter" }, box, label + " ×");
    b.addEventListener("click", () => { setView(key, null); refresh(); });
  };
  if (state.view.place) chip(`place: ${state.view.place}`, "place");
  if (state.view.pair) chip(`dyad: ${state.view.pair.replace("|", " → ")}`, "pair");
}

function showError(where, err) {
  const n = $(where);
  if (n && n.tagName === "svg") { const w = canvas(n, 100); empty(n, w, 100, "error: " + err.message); }
  else if (n) { n.textContent = "error: " + err.message; }
  console.error(err);
}

async function refresh(keepOffset) {
  if (!keepOffset) firstPage();
  document.body.dataset.ready = "0";
  writeUrl();
  drawChips();
  const tasks = [
    ["timeline", drawTimeline], ["network", drawNetwork], ["map", drawMap],
    ["dyadchart", () => fillDyads().then(drawDyad)], ["escalations", drawEscalations], ["events", drawEvents],
  ];
  await Promise.all(tasks.map(([w, f]) => f().catch((e) => showError(w, e))));
  if (state.view.doc && $("doc-card").hidden) await openDoc(state.view.doc).catch((e) => showError("doc-text", e));
  document.body.dataset.ready = "1";
}

function debounce(f, ms) { let t; return () => { clearTimeout(t); t = setTimeout(f, ms); }; }

async function main() {
  const sel = form().event;
  for (const t of TYPES) h("option", { value: t }, sel, t);
  readUrl();
  $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
  $("filters").addEventListener("reset", () => setTimeout(() => { state.view = {}; readUrl(); refresh(); }, 0));
  $("uncertain").addEventListener("change", () => refresh());
  $("prev").addEventListener("click", prevPage);
  $("next").addEventListener("click", nextPage);
  $("dyad").addEventListener("change", () => { setView("dyad", $("dyad").value); drawDyad(); });
  $("net-level").addEventListener("change", () => { setView("level", $("net-level").value === "actor" ? "actor" : null); drawNetwork(); });
  $("net-all").addEventListener("change", () => { setView("all", $("net-all").checked ? "1" : null); drawNetwork(); });
  $("doc-close").addEventListener("click", () => { $("doc-card").hidden = true; setView("doc", null); });
  $("map-reset").addEventListener("click", () => { state.mapBox = null; drawMap(); });
  for (const th of document.querySelectorAll("#events th[data-sort]")) th.addEventListener("click", () => sortBy(th.dataset.sort));
  window.addEventListener("resize", debounce(() => { drawTimeline(); drawNetwork(); drawMap(); drawDyad(); }, 200));
  try { await loadStats(); } catch (e) { $("stats").textContent = "error: " + e.message; }
  await refresh();
}

document.addEventListener("DOMContentLoaded", main);
