// The lists: escalation flags (each a link to its events), the events table (newest first,
// sortable) and the document view. Every row shows the event's status, and an actor without a
// code is shown by its text, one not named at all as "unknown", never as a blank.
"use strict";

function actorLabel(a) {
  if (a.code && a.text) return `${a.text} (${a.code})`;
  return a.code || a.text || "unknown";
}

function actorsText(list) { return list && list.length ? list.map(actorLabel).join(", ") : "unknown"; }

// A cell with the codes in front and the names beneath: codes scan fast, names explain.
function actorCell(tr, list) {
  const td = h("td", { className: "actor", title: actorsText(list) }, tr);
  if (!list || !list.length) { h("span", { className: "unknown" }, td, "unknown"); return; }
  list.forEach((a, i) => {
    if (i) td.append(", ");
    if (a.code) h("b", {}, td, a.code);
    if (a.text) h("span", { className: "name" }, td, (a.code ? " " : "") + a.text);
  });
}

function statusTag(parent, s) { return h("span", { className: statusClass(s), title: "status: " + s }, parent, s); }

function addDays(s, n) { const d = new Date(s + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); }

async function drawEscalations() {
  const flags = await api("/escalations", filters({ limit: 40 }));
  const ol = $("escalations");
  ol.textContent = "";
  if (!flags.length) {
    h("li", { className: "muted" }, ol, "No dyad-week stands out. A dyad is flagged \"new\" in its first conflict week; later weeks are judged once it has 4 weeks of its own history.");
    return;
  }
  for (const f of flags) {
    const li = h("li", { className: "esc esc-" + f.kind }, ol);
    const a = h("a", { href: "#", className: "esc-link", title: "show the events of this dyad and week" }, li);
    h("b", {}, a, `${f.source} → ${f.target}`);
    a.append(` week of ${f.week}`);
    h("span", { className: "kind" }, li, f.kind === "new" ? "new dyad" : f.kind);
    const detail = f.kind === "new"
      ? `intensity ${f.intensity.toFixed(0)}, no baseline yet`
      : `intensity ${f.intensity.toFixed(0)} vs baseline ${f.baseline_mean.toFixed(1)} (z ${f.z.toFixed(1)}, ${f.history_weeks} weeks of history)`;
    h("div", { className: "muted" }, li, detail);
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      form().from.value = f.week; form().to.value = addDays(f.week, 6);
      state.view.pair = `${f.source}|${f.target}`; state.view.dyad = state.view.pair;
      refresh().then(() => $("events-card").scrollIntoView({ block: "start" }));
    });
  }
}

function sortBy(key) {
  const cur = state.view.sort || "-date";
  // Dates start newest first; other columns A→Z; a second click reverses.
  const next = cur === key ? "-" + key : cur === "-" + key ? key : key === "date" ? "-date" : key;
  setView("sort", next === "-date" ? null : next);
  firstPage();
  drawEvents();
}

// Pages follow the server's cursors, never an offset: an offset costs every row it skips and
// is refused past 10,000, a cursor costs a first page at any depth. `cursors[i]` starts page
// i; `offset` only numbers the rows shown.
function firstPage() { state.offset = 0; state.cursors = [null]; state.next = null; }

function nextPage() {
  if (!state.next) return;
  state.cursors.push(state.next);
  state.next = null; // a second click before this page arrives must not skip one
  state.offset += PAGE;
  drawEvents();
}

function prevPage() {
  if (state.cursors.length < 2) return;
  state.cursors.pop();
  state.offset = Math.max(0, state.offset - PAGE);
  drawEvents();
}

async function drawEvents() {
  const sort = state.view.sort || "-date";
  const at = { limit: PAGE, sort };
  const cursor = state.cursors[state.cursors.length - 1];
  if (cursor) at.cursor = cursor;
  const page = await api("/events", filters(at));
  state.next = page.next_cursor || null;
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    const k = th.dataset.sort;
    th.dataset.dir = sort === k ? "asc" : sort === "-" + k ? "desc" : "";
  }
  const tb = $("events").tBodies[0];
  tb.textContent = "";
  for (const e of page.items) {
    const tr = h("tr", { className: "row-" + e.status }, tb);
    tr.dataset.id = e.id;
    h("td", { className: "date" }, tr, e.date);
    const tag = h("span", { className: "tag" }, h("td", {}, tr), e.event);
    tag.style.background = QUAD_COLORS[(e.quad_class || 1) - 1];
    actorCell(tr, e.source);
    actorCell(tr, e.target);
    statusTag(h("td", {}, tr), e.status);
    h("td", {}, tr, e.location ? e.location.text : "—");
    const s = e.evidence.sentence;
    h("td", { className: "ev" }, tr, s.length > 180 ? s.slice(0, 180) + "…" : s);
    tr.addEventListener("click", () => openDoc(e.doc_id, e.id));
  }
  if (!page.items.length) h("td", { colSpan: 7, className: "muted" }, h("tr", {}, tb), "No events match these filters.");
  $("page").textContent = page.items.length ? `${fmt(state.offset + 1)}–${fmt(state.offset + page.items.length)}` : "";
  $("prev").disabled = state.cursors.length < 2;
  $("next").disabled = !state.next;
  $("events-note").textContent = "click a row to read its report · click a heading to sort";
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
  return (off) => (map.has(off) ? map.get(off) : Math.min(i, off));
}

function docText(d) {
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
    const which = inTrig.length ? inTrig : inSent;
    m.dataset.events = which.map((s) => s.id).join(" ");
    m.title = which.map((s) => `#${s.n + 1} ${d.events[s.n].event} (${d.events[s.n].status})`).join(", ");
  }
}

async function openDoc(id, eventId) {
  const d = await api("/documents/" + encodeURIComponent(id));
  setView("doc", id);
  $("doc-card").hidden = false;
  $("doc-meta").textContent = [d.date, d.title, d.source].filter(Boolean).join(" · ");
  const link = $("doc-link");
  const safe = d.url && /^https?:\/\//i.test(d.url);
  link.hidden = !safe;
  if (safe) { link.href = d.url; link.title = d.url; } else link.removeAttribute("href");
  docText(d);
  const ol = $("doc-events");
  ol.textContent = "";
  d.events.forEach((e) => {
    const li = h("li", {}, ol);
    li.dataset.id = e.id;
    const tag = h("span", { className: "tag" }, li, e.event + (e.mode ? "/" + e.mode : ""));
    tag.style.background = QUAD_COLORS[(e.quad_class || 1) - 1];
    li.append(" ");
    statusTag(li, e.status);
    h("div", { className: "who" }, li, `${actorsText(e.source)} → ${actorsText(e.target)}`);
    h("div", { className: "muted" }, li, `CAMEO ${e.cameo || "–"} · Goldstein ${e.goldstein} · ${e.date} · confidence ${e.confidence.toFixed(2)} · “${e.evidence.trigger}”${e.location ? " · " + e.location.text : ""}`);
    li.addEventListener("click", () => select(e.id));
  });
  if (eventId) select(eventId);
  $("doc-card").scrollIntoView({ behavior: "smooth" });
}

function select(eventId) {
  document.querySelectorAll("mark.sel, #doc-events li.sel").forEach((m) => m.classList.remove("sel"));
  const marks = [...document.querySelectorAll("#doc-text mark")].filter((m) => m.dataset.events.split(" ").includes(eventId));
  marks.forEach((m) => m.classList.add("sel"));
  const li = document.querySelector(`#doc-events li[data-id="${CSS.escape(eventId)}"]`);
  if (li) li.classList.add("sel");
  if (marks[0]) marks[0].scrollIntoView({ block: "nearest" });
}
