// The network (a force layout seeded by country, fitted to the panel, labels placed so they
// never collide) and the map (zoomed to where the events are, nearby places clustered with
// counts). Neither lets a label overlap another: a label with no free spot is left to its tooltip.
"use strict";

const PALETTE = ["#5fb3f9", "#f5a35c", "#7bd88f", "#c792ea", "#f07178", "#ffcb6b", "#89ddff", "#d4a373", "#a3be8c", "#ff9cac"];

function countryColor(code) {
  if (!code) return "#8695a5";
  let x = 0;
  for (const c of code) x = (x * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[x % PALETTE.length];
}

// Repulsion, springs and a weak pull to the centre; nodes of one country start together.
function layout(nodes, edges, W, H) {
  const idx = new Map(nodes.map((n, i) => [n.id, i]));
  const groups = [...new Set(nodes.map((n) => n.country || n.id))];
  nodes.forEach((n, i) => {
    const a = (groups.indexOf(n.country || n.id) / groups.length) * Math.PI * 2 + (i % 5) * 0.08;
    const r = 0.3 + 0.05 * (i % 3);
    n.x = W / 2 + Math.cos(a) * W * r; n.y = H / 2 + Math.sin(a) * H * r; n.vx = 0; n.vy = 0;
  });
  const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.5;
  const iters = nodes.length > 120 ? 120 : 260;
  for (let it = 0; it < iters; it++) {
    const temp = 1 - it / iters;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        const dx = a.x - b.x, dy = a.y - b.y, d2 = Math.max(16, dx * dx + dy * dy);
        const same = a.country && a.country === b.country ? 0.5 : 1;
        const f = (k * k) / d2 * 0.04 * same;
        a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
      }
    }
    for (const e of edges) {
      const a = nodes[idx.get(e.source)], b = nodes[idx.get(e.target)];
      if (a === b) continue;
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(1, Math.hypot(dx, dy));
      const f = ((d - k) / d) * 0.04;
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    }
    for (const n of nodes) {
      n.vx += (W / 2 - n.x) * 0.006; n.vy += (H / 2 - n.y) * 0.006;
      const sp = Math.hypot(n.vx, n.vy), cap = 16 * temp + 0.5;
      if (sp > cap) { n.vx *= cap / sp; n.vy *= cap / sp; }
      n.x += n.vx; n.y += n.vy; n.vx *= 0.6; n.vy *= 0.6;
    }
  }
  // Fit the drawing to the panel, whatever the forces did: nothing pushed against the edges.
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const mx = 70, my = 34;
  for (const n of nodes) {
    n.x = x1 > x0 ? mx + ((n.x - x0) / (x1 - x0)) * (W - 2 * mx) : W / 2;
    n.y = y1 > y0 ? my + ((n.y - y0) / (y1 - y0)) * (H - 2 * my) : H / 2;
  }
}

// Room kept between labels, and half of it between a label and a node: their halo (a 3 px
// paint-order stroke) is outside getBBox.
const HALO = 7;

// Tries spots around each node, busiest first; a label that fits nowhere (inside the panel, clear
// of every node and earlier label) is not drawn.
function placeLabels(svg, nodes, radius, cls = "node-label") {
  const boxes = nodes.map((n) => ({ x: n.x - radius(n), y: n.y - radius(n), width: 2 * radius(n), height: 2 * radius(n) }));
  const g = el("g", { class: "labels" }, svg);
  for (const n of [...nodes].sort((a, b) => b.count - a.count)) {
    const r = radius(n), label = n.label;
    const t = el("text", { class: cls }, g, label);
    // Far enough from the node that the label's halo stays off its circle.
    const spots = [[0, -r - 7, "middle"], [0, r + 14, "middle"], [r + 5, 4, "start"], [-r - 5, 4, "end"]];
    let placed = false;
    for (const [dx, dy, anchor] of spots) {
      t.setAttribute("x", n.x + dx); t.setAttribute("y", n.y + dy); t.setAttribute("text-anchor", anchor);
      const b = t.getBBox();
      const m = HALO / 2, vb = svg.viewBox.baseVal;
      const inside = b.x >= m && b.y >= m && b.x + b.width <= vb.width - m && b.y + b.height <= vb.height - m;
      if (inside && !boxes.some((o) => overlap(b, o, o.label ? HALO : HALO / 2 + 0.5))) { b.label = true; boxes.push(b); placed = true; break; }
    }
    if (!placed) t.remove();
  }
}

async function drawNetwork() {
  const level = $("net-level").value;
  const extra = { level, max_edges: level === "actor" ? 60 : 50 };
  if ($("net-all").checked) { extra.self_loops = "true"; extra.generic = "true"; }
  const net = await api("/network", filters(extra));
  const svg = $("network"), H = 380;
  const W = canvas(svg, H);
  svg.dataset.nodes = net.nodes.length;
  if (!net.nodes.length) return empty(svg, W, H, "no actor pairs match");
  layout(net.nodes, net.edges, W, H);
  const pos = new Map(net.nodes.map((n) => [n.id, n]));
  const maxE = Math.max(...net.edges.map((e) => e.count)), maxN = Math.max(...net.nodes.map((n) => n.count));
  const radius = (n) => 4 + 10 * Math.sqrt(n.count / maxN);
  const defs = el("defs", {}, svg);
  const m = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: "userSpaceOnUse", orient: "auto" }, defs);
  el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8695a5" }, m);
  const eg = el("g", {}, svg);
  const label = (id) => { const n = pos.get(id); return n && n.name && n.name !== id ? `${n.name} (${id})` : id; };
  for (const e of net.edges) {
    const a = pos.get(e.source), b = pos.get(e.target), r = radius(b);
    let d;
    if (a === b) d = `M${a.x},${a.y - r} c 18,-26 36,0 ${r},${r}`;
    else {
      const dx = b.x - a.x, dy = b.y - a.y, len = Math.max(1, Math.hypot(dx, dy));
      // Bent a little, so A→B and B→A stay apart.
      const mx = (a.x + b.x) / 2 - (dy / len) * 12, my = (a.y + b.y) / 2 + (dx / len) * 12;
      d = `M${a.x},${a.y} Q${mx},${my} ${b.x - (dx / len) * (r + 2)},${b.y - (dy / len) * (r + 2)}`;
    }
    tip(el("path", { d, class: "edge", stroke: goldColor(e.goldstein_mean), "stroke-width": 1 + 5 * Math.sqrt(e.count / maxE), "marker-end": "url(#arrow)" }, eg),
      `${label(e.source)} → ${label(e.target)}: ${e.count} events (${e.conflict} conflict), mean Goldstein ${e.goldstein_mean.toFixed(1)}`);
  }
  const ng = el("g", {}, svg);
  for (const n of net.nodes) {
    n.label = level === "country" ? n.name || n.id : n.id;
    const g = el("g", { class: "node", transform: `translate(${n.x},${n.y})` }, ng);
    tip(el("circle", { r: radius(n), fill: countryColor(n.country) }, g), `${label(n.id)}: ${n.count} events`);
    g.addEventListener("click", () => { form().actor.value = n.id; refresh(); });
  }
  placeLabels(svg, net.nodes, radius);
}

// Equirectangular; the view is fitted to the events' places, at most the inhabited world.
const WORLD_BOX = { w: -170, e: 180, n: 78, s: -56 };

function mapView(places, W, H) {
  let b = state.mapBox;
  if (!b && places.length) {
    const lons = places.map((p) => p.lon), lats = places.map((p) => p.lat);
    b = { w: Math.min(...lons), e: Math.max(...lons), s: Math.min(...lats), n: Math.max(...lats) };
  }
  if (!b) b = WORLD_BOX;
  // Padding and a minimum span, then the box widened to the panel's shape.
  let cx = (b.w + b.e) / 2, cy = (b.n + b.s) / 2;
  let sx = Math.max(16, (b.e - b.w) * 1.3), sy = Math.max(10, (b.n - b.s) * 1.3);
  if (sx / sy < W / H) sx = sy * (W / H); else sy = sx * (H / W);
  sx = Math.min(sx, 360); sy = Math.min(sy, 150);
  cy = Math.max(WORLD_BOX.s + sy / 2, Math.min(85 - sy / 2, cy));
  const w = cx - sx / 2, n = cy + sy / 2;
  return { px: (lon) => ((lon - w) / sx) * W, py: (lat) => ((n - lat) / sy) * H };
}

// Greedy clustering in screen space, busiest place first.
function clusters(places, v, radius) {
  const out = [];
  for (const p of [...places].sort((a, b) => b.count - a.count)) {
    const x = v.px(p.lon), y = v.py(p.lat);
    const c = out.find((c) => Math.hypot(c.x - x, c.y - y) < radius);
    if (c) { c.places.push(p); c.count += p.count; c.gsum += p.mean_goldstein * p.count; }
    else out.push({ x, y, places: [p], count: p.count, gsum: p.mean_goldstein * p.count });
  }
  return out;
}

async function drawMap() {
  const places = await api("/places", filters({ limit: 500 }));
  const svg = $("map"), H = Math.max(260, Math.min(420, Math.round(svg.getBoundingClientRect().width * 0.62)));
  const W = canvas(svg, H);
  const v = mapView(places, W, H);
  $("map-reset").hidden = !state.mapBox;
  el("rect", { x: 0, y: 0, width: W, height: H, class: "sea" }, svg);
  const land = el("g", {}, svg);
  for (const ring of window.WORLD || []) {
    el("path", { class: "land", d: "M" + ring.map(([lo, la]) => `${v.px(lo).toFixed(1)},${v.py(la).toFixed(1)}`).join("L") + "Z" }, land);
  }
  $("map-note").textContent = places.length ? `${fmt(places.length)} places` : "";
  if (!places.length) return empty(svg, W, H, "no located events match");
  const cs = clusters(places, v, 22);
  const max = Math.max(...cs.map((c) => c.count));
  const g = el("g", { class: "places" }, svg);
  for (const c of cs) {
    const r = (c.r = 6 + 13 * Math.sqrt(c.count / max));
    const node = el("g", { class: "cluster", "data-places": c.places.map((p) => p.place).join("|"), "data-count": c.count }, g);
    tip(el("circle", { cx: c.x, cy: c.y, r, fill: goldColor(c.gsum / c.count), class: "place" }, node),
      (c.places.length > 1 ? `${fmt(c.count)} events in ${fmt(c.places.length)} places\n` : "") +
      c.places.slice(0, 12).map((p) => `${p.place} (${p.country}): ${p.count} events`).join("\n") + (c.places.length > 12 ? `\n… ${c.places.length - 12} more` : ""));
    el("text", { x: c.x, y: c.y + 3.5, "text-anchor": "middle", class: "cluster-count" }, node, shortCount(c.count));
    node.addEventListener("click", () => {
      if (c.places.length === 1) { setView("place", c.places[0].place); state.mapBox = null; refresh(); return; }
      const lons = c.places.map((p) => p.lon), lats = c.places.map((p) => p.lat);
      state.mapBox = { w: Math.min(...lons), e: Math.max(...lons), s: Math.min(...lats), n: Math.max(...lats) };
      drawMap();
    });
    c.label = c.places[0].place + (c.places.length > 1 ? ` +${c.places.length - 1}` : "");
  }
  // Labels go where they stay inside the panel and clear of other clusters' circles.
  placeLabels(svg, cs, (c) => c.r, "place-label");
}

// A count that fits inside the smallest cluster circle; the exact one is in its tooltip.
function shortCount(n) {
  if (n < 10000) return fmt(n);
  return n < 999500 ? `${Math.round(n / 1000)}k` : `${(n / 1e6).toFixed(1)}M`;
}
