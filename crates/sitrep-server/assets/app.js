// The sitrep dashboard: plain JS and SVG, no library, nothing loaded from elsewhere.
// Every text that came from a news report is inserted with textContent, never as HTML.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const TYPES = ["AGREE","CONSULT","SUPPORT","CONCEDE","COOPERATE","AID","RETREAT","REQUEST","ACCUSE","REJECT","THREATEN","SANCTION","PROTEST","MOBILIZE","COERCE","ASSAULT","STATEMENT","APPEAL"];
const QUAD_COLORS = ["var(--q1)","var(--q2)","var(--q3)","var(--q4)"];
const PAGE = 25;
const state = { offset: 0, stats: null };

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

async function api(path, params) {
  const qs = params && [...params].length ? "?" + params.toString() : "";
  const r = await fetch(path + qs);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}

function filters(extra) {
  const p = new URLSearchParams();
  for (const [k, v] of new FormData($("filters"))) if (String(v).trim()) p.set(k, String(v).trim());
  if (state.place) p.set("place", state.place);
  for (const k in extra || {}) p.set(k, extra[k]);
  return p;
}

// Goldstein -10 (red) … 0 (grey) … +10 (blue).
function goldColor(g) {
  const t = Math.max(-1, Math.min(1, (g || 0) / 10));
  const mix = (a, b, f) => Math.round(a + (b - a) * f);
  const [grey, red, blue] = [[134,149,165], [229,72,77], [63,142,232]];
  const to = t < 0 ? red : blue, f = Math.abs(t);
  return `rgb(${mix(grey[0],to[0],f)},${mix(grey[1],to[1],f)},${mix(grey[2],to[2],f)})`;
}

function clear(svg, w, hgt) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  svg.setAttribute("viewBox", `0 0 ${w} ${hgt}`);
  return svg;
}

function empty(svg, w, hgt, msg) {
  el("text", { x: w / 2, y: hgt / 2, "text-anchor": "middle", class: "empty" }, svg, msg);
}

function fmt(n) { return Number(n).toLocaleString("en"); }

// Days covered by the filter (or the data), to pick a bucket that keeps bars readable.
function chooseBucket() {
  const f = filters();
  const s = state.stats || {};
  const a = new Date(f.get("from") || s.first_date || "2000-01-01");
  const b = new Date(f.get("to") || s.last_date || "2000-01-01");
  const days = Math.max(1, (b - a) / 864e5);
  return days <= 120 ? "day" : days <= 3 * 365 ? "week" : "month";
}

async function loadStats() {
  const s = await api("/stats");
  state.stats = s;
  $("stats").textContent = s.events
    ? `${fmt(s.events)} events · ${fmt(s.documents)} documents · ${fmt(s.actors)} actors · ${s.first_date} → ${s.last_date}`
    : "no events yet";
}

async function drawTimeline() {
  const bucket = chooseBucket();
  const pts = await api("/series", filters({ bucket }));
  const W = 1100, H = 170, L = 40, B = 22, T = 8;
  const svg = clear($("timeline"), W, H);
  $("timeline-note").textContent = `${bucket === "day" ? "daily" : bucket + "ly"}, ${fmt(pts.reduce((a, p) => a + p.count, 0))} events`;
  if (!pts.length) return empty(svg, W, H, "no events match");
  const max = Math.max(...pts.map((p) => p.count));
  // Few periods get narrow bars, not one slab across the chart.
  const bw = Math.min(48, (W - L - 4) / pts.length);
  const y = (v) => H - B - (v / max) * (H - B - T);
  el("line", { x1: L, x2: W, y1: H - B, y2: H - B, class: "axis" }, svg);
  for (const v of [max, Math.round(max / 2)]) {
    el("text", { x: L - 6, y: y(v) + 3, "text-anchor": "end", class: "tick" }, svg, fmt(v));
    el("line", { x1: L, x2: W, y1: y(v), y2: y(v), class: "axis", "stroke-dasharray": "2 4" }, svg);
  }
  const g = el("g", { class: "bars" }, svg);
  const every = Math.ceil(pts.length / 10);
  pts.forEach((p, i) => {
    let acc = 0;
    const x = L + 2 + i * bw;
    for (let q = 0; q < 4; q++) {
      if (!p.quad[q]) continue;
      el("rect", { x, y: y(acc + p.quad[q]), width: Math.max(1, bw - 1), height: y(acc) - y(acc + p.quad[q]), fill: QUAD_COLORS[q], class: "bar" }, g)
        .appendChild(el("title", {}, null, `${p.period}: ${p.quad[q]} of ${p.count} events in quad ${q + 1}; mean Goldstein ${p.goldstein_mean.toFixed(1)}`));
      acc += p.quad[q];
    }
    if (i % every === 0) el("text", { x: x + bw / 2, y: H - 6, "text-anchor": "middle", class: "tick" }, svg, p.period);
  });
}

// A small force layout: repulsion between all nodes, springs along edges, a pull to the centre.
function layout(nodes, edges, W, H) {
  const idx = new Map(nodes.map((n, i) => [n.id, i]));
  nodes.forEach((n, i) => {
    const a = (i / nodes.length) * Math.PI * 2;
    n.x = W / 2 + Math.cos(a) * W / 3; n.y = H / 2 + Math.sin(a) * H / 3; n.vx = 0; n.vy = 0;
  });
  const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.6;
  for (let it = 0; it < 300; it++) {
    const temp = 1 - it / 300;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        const d2 = Math.max(25, dx * dx + dy * dy), f = (k * k) / d2;
        a.vx += dx * f * 0.05; a.vy += dy * f * 0.05; b.vx -= dx * f * 0.05; b.vy -= dy * f * 0.05;
      }
    }
    for (const e of edges) {
      const a = nodes[idx.get(e.source)], b = nodes[idx.get(e.target)];
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(1, Math.hypot(dx, dy));
      const f = (d - k) / d * 0.05;
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    }
    for (const n of nodes) {
      n.vx += (W / 2 - n.x) * 0.01; n.vy += (H / 2 - n.y) * 0.01;
      const sp = Math.hypot(n.vx, n.vy), cap = 20 * temp + 0.5;
      if (sp > cap) { n.vx *= cap / sp; n.vy *= cap / sp; }
      n.x = Math.max(30, Math.min(W - 30, n.x + n.vx)); n.y = Math.max(30, Math.min(H - 14, n.y + n.vy));
      n.vx *= 0.6; n.vy *= 0.6;
    }
  }
}

async function drawNetwork() {
  const net = await api("/network", filters({ level: "actor", max_edges: 80 }));
  const W = 560, H = 360;
  const svg = clear($("network"), W, H);
  if (!net.nodes.length) return empty(svg, W, H, "no actor pairs match");
  layout(net.nodes, net.edges, W, H);
  const pos = new Map(net.nodes.map((n) => [n.id, n]));
  const maxE = Math.max(...net.edges.map((e) => e.count)), maxN = Math.max(...net.nodes.map((n) => n.count));
  const defs = el("defs", {}, svg);
  const m = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: "userSpaceOnUse", orient: "auto" }, defs);
  el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8695a5" }, m);
  const eg = el("g", {}, svg);
  for (const e of net.edges) {
    const a = pos.get(e.source), b = pos.get(e.target);
    const r = 4 + 10 * Math.sqrt(b.count / maxN);
    const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(1, Math.hypot(dx, dy));
    // Bend each edge a little so A→B and B→A stay apart.
    const mx = (a.x + b.x) / 2 - dy / d * 14, my = (a.y + b.y) / 2 + dx / d * 14;
    const ex = b.x - (dx / d) * (r + 2), ey = b.y - (dy / d) * (r + 2);
    el("path", { d: `M${a.x},${a.y} Q${mx},${my} ${ex},${ey}`, class: "edge", stroke: goldColor(e.goldstein_mean),
      "stroke-width": 1 + 5 * Math.sqrt(e.count / maxE), "marker-end": "url(#arrow)" }, eg)
      .appendChild(el("title", {}, null, `${e.source} → ${e.target}: ${e.count} events (${e.conflict} conflict), mean Goldstein ${e.goldstein_mean.toFixed(1)}`));
  }
  const ng = el("g", {}, svg);
  for (const n of net.nodes) {
    const g = el("g", { class: "node", transform: `translate(${n.x},${n.y})` }, ng);
    el("circle", { r: 4 + 10 * Math.sqrt(n.count / maxN), fill: "#5fb3f9" }, g)
      .appendChild(el("title", {}, null, `${n.id} ${n.name ? "(" + n.name + ")" : ""}: ${n.count} events`));
    el("text", { x: 0, y: -(7 + 10 * Math.sqrt(n.count / maxN)), "text-anchor": "middle" }, g, n.id);
    g.addEventListener("click", () => { document.forms.filters.actor.value = n.id; refresh(); });
  }
}

// Equirectangular projection cropped to 60°S…85°N, where news happens.
const MAP = { W: 720, H: 290, top: 85, bottom: -60 };
const px = (lon) => ((lon + 180) / 360) * MAP.W;
const py = (lat) => ((MAP.top - lat) / (MAP.top - MAP.bottom)) * MAP.H;

async function drawMap() {
  const places = await api("/places", filters({ limit: 400 }));
  const svg = clear($("map"), MAP.W, MAP.H);
  el("rect", { x: 0, y: 0, width: MAP.W, height: MAP.H, class: "sea" }, svg);
  for (let lon = -150; lon <= 150; lon += 30) el("line", { x1: px(lon), x2: px(lon), y1: 0, y2: MAP.H, class: "graticule" }, svg);
  for (let lat = -60; lat <= 80; lat += 20) el("line", { x1: 0, x2: MAP.W, y1: py(lat), y2: py(lat), class: "graticule" }, svg);
  const land = el("g", {}, svg);
  for (const ring of window.WORLD || []) {
    el("path", { class: "land", d: "M" + ring.map(([lo, la]) => `${px(lo).toFixed(1)},${py(la).toFixed(1)}`).join("L") + "Z" }, land);
  }
  if (!places.length) return empty(svg, MAP.W, MAP.H, "no located events match");
  const max = Math.max(...places.map((p) => p.count));
  const g = el("g", { class: "places" }, svg);
  // Biggest first so small places stay clickable on top.
  [...places].sort((a, b) => b.count - a.count).forEach((p, i) => {
    const c = el("circle", { cx: px(p.lon), cy: py(p.lat), r: 2.5 + 12 * Math.sqrt(p.count / max), fill: goldColor(p.mean_goldstein), class: "place" }, g);
    c.appendChild(el("title", {}, null, `${p.place} (${p.country}): ${p.count} events, mean Goldstein ${p.mean_goldstein.toFixed(1)}`));
    c.addEventListener("click", () => { document.forms.filters.actor.value = ""; refresh({ place: p.place }); });
    if (i < 8) el("text", { x: px(p.lon) + 8, y: py(p.lat) + 3, class: "place-label" }, g, p.place);
  });
}

async function fillDyads() {
  const net = await api("/network", filters({ level: "country", max_edges: 40 }));
  const sel = $("dyad"), keep = sel.value;
  sel.textContent = "";
  h("option", { value: "" }, sel, "all events");
  for (const e of net.edges) h("option", { value: `${e.source}|${e.target}` }, sel, `${e.source} → ${e.target} (${fmt(e.count)})`);
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  else if (net.edges.length) sel.value = `${net.edges[0].source}|${net.edges[0].target}`;
}

async function drawDyad() {
  const [s, t] = ($("dyad").value || "|").split("|");
  const p = filters({ bucket: chooseBucket() });
  if (s && t) { p.set("source", s); p.set("target", t); }
  const pts = await api("/series", p);
  const W = 560, H = 220, L = 34, R = 30, mid = H / 2;
  const svg = clear($("dyadchart"), W, H);
  if (!pts.length) return empty(svg, W, H, "no events for this dyad");
  const coop = pts.map((x) => x.quad[0] + x.quad[1]), conf = pts.map((x) => x.quad[2] + x.quad[3]);
  const max = Math.max(1, ...coop, ...conf), bw = Math.min(40, (W - L - R) / pts.length), s2 = (mid - 14) / max;
  el("line", { x1: L, x2: W - R, y1: mid, y2: mid, class: "axis" }, svg);
  el("text", { x: L - 4, y: 14, "text-anchor": "end", class: "tick" }, svg, fmt(max));
  el("text", { x: L - 4, y: H - 6, "text-anchor": "end", class: "tick" }, svg, fmt(max));
  el("text", { x: W - R + 4, y: 14, class: "tick" }, svg, "+10");
  el("text", { x: W - R + 4, y: H - 6, class: "tick" }, svg, "−10");
  pts.forEach((x, i) => {
    const X = L + i * bw;
    if (coop[i]) el("rect", { x: X, y: mid - coop[i] * s2, width: Math.max(1, bw - 1), height: coop[i] * s2, class: "q2" }, svg)
      .appendChild(el("title", {}, null, `${x.period}: ${coop[i]} cooperation`));
    if (conf[i]) el("rect", { x: X, y: mid, width: Math.max(1, bw - 1), height: conf[i] * s2, class: "q4" }, svg)
      .appendChild(el("title", {}, null, `${x.period}: ${conf[i]} conflict`));
  });
  const gy = (g) => mid - (g / 10) * (mid - 14);
  const line = pts.map((x, i) => `${(L + i * bw + bw / 2).toFixed(1)},${gy(x.goldstein_mean).toFixed(1)}`).join(" ");
  el("polyline", { points: line, fill: "none", stroke: "#f0d264", "stroke-width": 1.6 }, svg);
  el("text", { x: L + 2, y: H - 6, class: "tick" }, svg, pts[0].period);
  if (pts.length > 1) el("text", { x: L + pts.length * bw, y: H - 6, "text-anchor": "end", class: "tick" }, svg, pts[pts.length - 1].period);
}

async function drawEscalations() {
  const flags = await api("/escalations", filters({ limit: 30 }));
  const ol = $("escalations");
  ol.textContent = "";
  if (!flags.length) { h("li", { className: "muted" }, ol, "No dyad-week stands out from its baseline (at least 4 weeks of data are needed)."); return; }
  for (const f of flags) {
    const li = h("li", {}, ol);
    h("b", {}, li, `${f.source} → ${f.target}`);
    li.append(` week of ${f.week}: intensity ${f.intensity.toFixed(0)} vs baseline ${f.baseline_mean.toFixed(1)} (z ${f.z.toFixed(1)}, ${f.kind})`);
    li.addEventListener("click", () => { $("dyad").value = `${f.source}|${f.target}`; drawDyad(); });
  }
}

function actorsText(list) { return (list || []).map((a) => a.code || a.text).join(", "); }

async function drawEvents() {
  const page = await api("/events", filters({ limit: PAGE, offset: state.offset }));
  const tb = $("events").tBodies[0];
  tb.textContent = "";
  for (const e of page.items) {
    const tr = h("tr", {}, tb);
    h("td", {}, tr, e.date);
    const td = h("td", {}, tr);
    const tag = h("span", { className: "tag" }, td, e.event);
    tag.style.background = QUAD_COLORS[(e.quad_class || 1) - 1];
    h("td", { title: (e.source || []).map((a) => a.text).join(", ") }, tr, actorsText(e.source));
    h("td", { title: (e.target || []).map((a) => a.text).join(", ") }, tr, actorsText(e.target));
    h("td", {}, tr, e.status);
    h("td", {}, tr, e.location ? e.location.text : "");
    h("td", { className: "ev" }, tr, e.evidence.sentence.length > 180 ? e.evidence.sentence.slice(0, 180) + "…" : e.evidence.sentence);
    tr.addEventListener("click", () => openDoc(e.doc_id, e.id));
  }
  if (!page.items.length) h("td", { colSpan: 7, className: "muted" }, h("tr", {}, tb), "No events match these filters.");
  $("page").textContent = page.items.length ? `${fmt(state.offset + 1)}–${fmt(state.offset + page.items.length)}` : "";
  $("prev").disabled = state.offset === 0;
  $("next").disabled = !page.has_more;
  $("events-note").textContent = "click a row to read its report";
}

// Evidence offsets are UTF-8 byte offsets; JS strings index UTF-16 units.
function byteToIndex(text) {
  const map = new Map();
  let b = 0, i = 0;
  for (const ch of text) {
    map.set(b, i);
    const cp = ch.codePointAt(0);
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  map.set(b, i);
  return (off) => map.has(off) ? map.get(off) : Math.min(i, off);
}

async function openDoc(id, eventId) {
  const d = await api("/documents/" + encodeURIComponent(id));
  $("doc-card").hidden = false;
  $("doc-meta").textContent = [d.date, d.title, d.source, d.id].filter(Boolean).join(" · ");
  const at = byteToIndex(d.text);
  const spans = d.events.map((e, n) => ({ n, id: e.id, s: at(e.evidence.start), e: at(e.evidence.end), ts: at(e.evidence.trigger_start), te: at(e.evidence.trigger_end) }));
  const cuts = new Set([0, d.text.length]);
  for (const s of spans) [s.s, s.e, s.ts, s.te].forEach((c) => cuts.add(c));
  const points = [...cuts].sort((a, b) => a - b);
  const box = $("doc-text");
  box.textContent = "";
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k], b = points[k + 1];
    const inSent = spans.filter((s) => s.s <= a && b <= s.e);
    const inTrig = spans.filter((s) => s.te > s.ts && s.ts <= a && b <= s.te);
    const chunk = d.text.slice(a, b);
    if (!inSent.length && !inTrig.length) { box.append(chunk); continue; }
    const m = h("mark", { className: inTrig.length ? "trigger" : "" }, box, chunk);
    m.dataset.events = (inTrig.length ? inTrig : inSent).map((s) => s.id).join(" ");
    m.title = (inTrig.length ? inTrig : inSent).map((s) => "#" + (s.n + 1) + " " + d.events[s.n].event).join(", ");
  }
  const ol = $("doc-events");
  ol.textContent = "";
  d.events.forEach((e) => {
    const li = h("li", {}, ol);
    const tag = h("span", { className: "tag" }, li, e.event + (e.mode ? "/" + e.mode : ""));
    tag.style.background = QUAD_COLORS[(e.quad_class || 1) - 1];
    li.append(` ${actorsText(e.source) || "?"} → ${actorsText(e.target) || "?"}`);
    h("div", { className: "muted" }, li, `CAMEO ${e.cameo || "–"} · Goldstein ${e.goldstein} · ${e.status} · ${e.date} · confidence ${e.confidence.toFixed(2)} · “${e.evidence.trigger}”`);
    li.addEventListener("click", () => select(e.id));
  });
  if (eventId) select(eventId);
  $("doc-card").scrollIntoView({ behavior: "smooth" });
}

function select(eventId) {
  document.querySelectorAll("mark.sel").forEach((m) => m.classList.remove("sel"));
  const marks = [...document.querySelectorAll("#doc-text mark")].filter((m) => m.dataset.events.split(" ").includes(eventId));
  marks.forEach((m) => m.classList.add("sel"));
  if (marks[0]) marks[0].scrollIntoView({ block: "nearest" });
}

function showError(where, err) {
  const svg = $(where);
  if (svg && svg.tagName === "svg") { clear(svg, 500, 100); empty(svg, 500, 100, "error: " + err.message); }
  else console.error(err);
}

async function refresh(extra) {
  state.offset = 0;
  // A click on the map narrows everything to that place until the next filter change.
  state.place = extra && extra.place ? extra.place : null;
  const tasks = [
    ["timeline", drawTimeline], ["network", drawNetwork], ["map", drawMap],
    ["dyadchart", () => fillDyads().then(drawDyad)], ["escalations", drawEscalations], ["events", drawEvents],
  ];
  await Promise.all(tasks.map(([w, f]) => f().catch((e) => showError(w, e))));
  document.body.dataset.ready = "1";
}

async function main() {
  const sel = document.forms.filters.event;
  for (const t of TYPES) h("option", { value: t }, sel, t);
  $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
  $("filters").addEventListener("reset", () => setTimeout(refresh, 0));
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); drawEvents(); });
  $("next").addEventListener("click", () => { state.offset += PAGE; drawEvents(); });
  $("dyad").addEventListener("change", drawDyad);
  $("doc-close").addEventListener("click", () => { $("doc-card").hidden = true; });
  try { await loadStats(); } catch (e) { $("stats").textContent = "error: " + e.message; }
  await refresh();
}

main();
