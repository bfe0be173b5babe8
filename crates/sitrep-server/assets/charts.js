// Time charts: one continuous time axis (every period from the range's start to its end, empty
// ones drawn empty) shared by the timeline and the dyad chart. Never places periods side by
// side with the gaps between them removed, and never lets two axis labels overlap.
"use strict";

const DAY = 864e5;
const iso = (d) => d.toISOString().slice(0, 10);
const utc = (s) => new Date(s + "T00:00:00Z");

// The range the charts cover: the filter's dates, else the data's.
function timeRange() {
  const f = form(), s = state.stats || {};
  const from = f.from.value || s.first_date || iso(new Date());
  const to = f.to.value || s.last_date || from;
  return from <= to ? [from, to] : [to, from];
}

// Day up to two months, week up to three years, month beyond: 30 to 160 bars.
function chooseBucket() {
  const [a, b] = timeRange();
  const days = (utc(b) - utc(a)) / DAY + 1;
  return days <= 62 ? "day" : days <= 3 * 366 ? "week" : "month";
}

// Every period key of the range, in the API's labels: a day, the Monday of a week, YYYY-MM.
function periods(bucket) {
  const [a, b] = timeRange();
  const out = [], end = utc(b);
  if (bucket === "month") {
    let y = +a.slice(0, 4), m = +a.slice(5, 7);
    const key = () => `${y}-${String(m).padStart(2, "0")}`;
    while (key() <= b.slice(0, 7)) { out.push(key()); if (++m > 12) { m = 1; y++; } }
    return out;
  }
  let d = utc(a);
  if (bucket === "week") d = new Date(d - ((d.getUTCDay() + 6) % 7) * DAY);
  const step = bucket === "week" ? 7 : 1;
  for (; d <= end; d = new Date(+d + step * DAY)) out.push(iso(d));
  return out;
}

// Points keyed by period, over every period of the range (missing ones are empty).
function continuous(points, bucket) {
  const by = new Map(points.map((p) => [p.period, p]));
  return periods(bucket).map((k) => by.get(k) || { period: k, count: 0, goldstein_mean: 0, quad: [0, 0, 0, 0], empty: true });
}

const bucketWord = (b) => (b === "day" ? "daily" : b + "ly");

// Period labels under the axis, every k-th slot so they have room, then any overlap dropped.
function timeAxis(svg, slots, x, slotW, y, bucket) {
  const chars = bucket === "month" ? 7 : 10;
  const every = Math.max(1, Math.ceil((chars * 6.2 + 10) / slotW));
  const texts = [];
  slots.forEach((p, i) => {
    if (i % every) return;
    texts.push(el("text", { x: x(i) + slotW / 2, y, "text-anchor": "middle", class: "tick tick-x" }, svg, p.period));
  });
  dropOverlaps(texts, 4);
}

async function drawTimeline() {
  const bucket = chooseBucket();
  const pts = continuous(await api("/series", filters({ bucket })), bucket);
  const svg = $("timeline"), H = 180, L = 44, R = 10, B = 24, T = 10;
  const W = canvas(svg, H);
  const total = pts.reduce((a, p) => a + p.count, 0);
  svg.dataset.total = total;
  svg.dataset.bucket = bucket;
  $("timeline-note").textContent = `${bucketWord(bucket)}, ${fmt(total)} events${form().uncertain.checked || form().status.value ? "" : " (asserted and reported)"}`;
  if (!total) return empty(svg, W, H, "no events match");
  const max = Math.max(1, ...pts.map((p) => p.count));
  const slotW = (W - L - R) / pts.length, bw = Math.max(1, slotW * 0.86);
  const x = (i) => L + i * slotW;
  const y = (v) => H - B - (v / max) * (H - B - T);
  el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }, svg);
  for (const v of [...new Set([max, Math.round(max / 2)])].filter((v) => v > 0)) {
    el("text", { x: L - 6, y: y(v) + 3, "text-anchor": "end", class: "tick" }, svg, fmt(v));
    el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "axis", "stroke-dasharray": "2 4" }, svg);
  }
  const g = el("g", { class: "bars" }, svg);
  pts.forEach((p, i) => {
    // One slot per period, drawn even when empty, so the axis has no hidden gaps.
    tip(el("rect", { x: x(i), y: T, width: slotW, height: H - B - T, class: "slot", "data-period": p.period, "data-count": p.count }, g),
      `${p.period}: ${p.count} events`);
    let acc = 0;
    for (let q = 0; q < 4; q++) {
      if (!p.quad[q]) continue;
      tip(el("rect", { x: x(i) + (slotW - bw) / 2, y: y(acc + p.quad[q]), width: bw, height: y(acc) - y(acc + p.quad[q]), fill: QUAD_COLORS[q], class: "bar" }, g),
        `${p.period}: ${p.quad[q]} of ${p.count} events in quad ${q + 1}; mean Goldstein ${p.goldstein_mean.toFixed(1)}`);
      acc += p.quad[q];
    }
  });
  timeAxis(svg, pts, x, slotW, H - 7, bucket);
}

async function fillDyads() {
  const net = await api("/network", filters({ level: "country", max_edges: 60 }));
  const sel = $("dyad"), keep = state.view.dyad || sel.value;
  sel.textContent = "";
  h("option", { value: "" }, sel, "all events");
  const name = new Map(net.nodes.map((n) => [n.id, n.name]));
  for (const e of net.edges) {
    h("option", { value: `${e.source}|${e.target}` }, sel,
      `${name.get(e.source) || e.source} → ${name.get(e.target) || e.target} (${fmt(e.count)})`);
  }
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  else if (net.edges.length) sel.value = `${net.edges[0].source}|${net.edges[0].target}`;
}

async function drawDyad() {
  const [s, t] = ($("dyad").value || "|").split("|");
  const bucket = chooseBucket();
  const p = filters({ bucket });
  if (s && t) { p.set("source", s); p.set("target", t); }
  const pts = continuous(await api("/series", p), bucket);
  const svg = $("dyadchart"), H = 230, L = 70, R = 34, B = 22, mid = (H - B) / 2 + 4;
  const W = canvas(svg, H);
  if (!pts.some((x) => x.count)) return empty(svg, W, H, "no events for this dyad");
  const coop = pts.map((x) => x.quad[0] + x.quad[1]), conf = pts.map((x) => x.quad[2] + x.quad[3]);
  const max = Math.max(1, ...coop, ...conf), slotW = (W - L - R) / pts.length, bw = Math.max(1, slotW * 0.86);
  const half = mid - 12, s2 = half / max, x = (i) => L + i * slotW;
  el("line", { x1: L, x2: W - R, y1: mid, y2: mid, class: "axis" }, svg);
  el("text", { x: L - 4, y: mid - half + 4, "text-anchor": "end", class: "tick" }, svg, `${fmt(max)} coop`);
  el("text", { x: L - 4, y: mid + 3, "text-anchor": "end", class: "tick" }, svg, "0");
  el("text", { x: L - 4, y: mid + half + 4, "text-anchor": "end", class: "tick" }, svg, `${fmt(max)} conflict`);
  el("text", { x: W - R + 4, y: mid - half + 4, class: "tick" }, svg, "+10");
  el("text", { x: W - R + 4, y: mid + half + 4, class: "tick" }, svg, "−10");
  const g = el("g", { class: "bars" }, svg);
  pts.forEach((x0, i) => {
    el("rect", { x: x(i), y: mid - half, width: slotW, height: 2 * half, class: "slot", "data-period": x0.period, "data-count": x0.count }, g);
    const X = x(i) + (slotW - bw) / 2;
    if (coop[i]) tip(el("rect", { x: X, y: mid - coop[i] * s2, width: bw, height: coop[i] * s2, class: "q2 bar" }, g), `${x0.period}: ${coop[i]} cooperation`);
    if (conf[i]) tip(el("rect", { x: X, y: mid, width: bw, height: conf[i] * s2, class: "q4 bar" }, g), `${x0.period}: ${conf[i]} conflict`);
  });
  // The Goldstein line joins only periods with events: an empty week has no mean.
  const gy = (v) => mid - (v / 10) * half;
  let run = [];
  const flush = () => { if (run.length) el("polyline", { points: run.join(" "), fill: "none", stroke: "#f0d264", "stroke-width": 1.6 }, svg); run = []; };
  pts.forEach((x0, i) => {
    if (!x0.count) return flush();
    run.push(`${(x(i) + slotW / 2).toFixed(1)},${gy(x0.goldstein_mean).toFixed(1)}`);
    if (run.length === 1) el("circle", { cx: x(i) + slotW / 2, cy: gy(x0.goldstein_mean), r: 2, fill: "#f0d264" }, svg);
  });
  flush();
  timeAxis(svg, pts, x, slotW, H - 6, bucket);
}
