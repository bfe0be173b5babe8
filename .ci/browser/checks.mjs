// The browser test's checks, one function per promise the dashboard makes (see issue 15).
// Each reads the page through Playwright only (the page's CSP forbids eval-based waiting) and
// reports through `check(name, ok, detail)`; "demo" expectations are exact, others read back
// from the API.

const FACT = "status=asserted,reported";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function ready(page, timeout = 20000) {
  await page.waitForSelector("body[data-ready='1']", { timeout });
}

// Clicks (or does) something that refreshes every panel, and waits for the refresh to end.
async function act(page, f) {
  await f();
  await sleep(50);
  await ready(page);
}

async function poll(f, ok, tries = 100) {
  let v;
  for (let i = 0; i < tries; i++) { v = await f(); if (ok(v)) return v; await sleep(100); }
  return v;
}

const rowCount = (page) => page.locator("#events tbody tr[data-id]").count();
const total = async (page) => Number(await page.locator("#timeline").getAttribute("data-total"));
const dyadOptions = (page) => page.locator("#dyad option").evaluateAll((os) => os.map((o) => o.value));

function mondayOf(s) {
  const d = new Date(s + "T00:00:00Z");
  return new Date(d - ((d.getUTCDay() + 6) % 7) * 864e5);
}

function next(period, bucket) {
  if (bucket === "month") {
    let [y, m] = period.split("-").map(Number);
    if (++m > 12) { m = 1; y++; }
    return `${y}-${String(m).padStart(2, "0")}`;
  }
  const d = new Date(period + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + (bucket === "week" ? 7 : 1));
  return d.toISOString().slice(0, 10);
}

export async function timeAxisChecks(page, stats, check) {
  const bucket = await page.locator("#timeline").getAttribute("data-bucket");
  const slots = await page.locator("#timeline rect.slot").evaluateAll((rs) => rs.map((r) => r.dataset.period));
  const gaps = slots.filter((p, i) => i && p !== next(slots[i - 1], bucket));
  check(`timeline periods are continuous (${bucket === "day" ? "daily" : bucket + "ly"})`, slots.length > 0 && gaps.length === 0, `${slots.length} periods, gaps before ${gaps.slice(0, 3)}`);
  if (bucket === "week") {
    const want = (mondayOf(stats.last_date) - mondayOf(stats.first_date)) / (7 * 864e5) + 1;
    check("timeline spans every week from the first event to the last, empty ones included", slots.length === want, `${slots.length} of ${want}`);
  }
  const days = (new Date(stats.last_date) - new Date(stats.first_date)) / 864e5 + 1;
  const want = days <= 62 ? "day" : days <= 3 * 366 ? "week" : "month";
  check("the bucket follows the range", bucket === want, `${bucket} for ${days} days`);
  const bars = await page.locator("#timeline rect.bar").count();
  check("timeline draws bars", bars > 0, `${bars}`);
  const dyad = await page.locator("#dyadchart rect.slot").evaluateAll((rs) => rs.map((r) => r.dataset.period));
  check("the dyad chart shares the timeline's axis", JSON.stringify(dyad) === JSON.stringify(slots), `${dyad.length} vs ${slots.length}`);
}

async function boxes(page, selector) {
  const out = [];
  for (const l of await page.locator(selector).all()) {
    const b = await l.boundingBox();
    if (b && b.width > 0) out.push({ ...b, text: await l.textContent() });
  }
  return out;
}

const hit = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

export async function labelChecks(page, check, where = "") {
  const periods = await page.locator("#timeline rect.slot").count();
  for (const [name, sel, min] of [["timeline axis", "#timeline text.tick-x", Math.min(2, periods)], ["dyad axis", "#dyadchart text.tick-x", 1],
    ["network", "#network text.node-label", 2], ["map", "#map text.place-label", 1]]) {
    const bs = await boxes(page, sel);
    const clash = [];
    for (let i = 0; i < bs.length; i++) for (let j = i + 1; j < bs.length; j++) if (hit(bs[i], bs[j])) clash.push(`${bs[i].text}/${bs[j].text}`);
    check(`${name} labels do not overlap${where}`, bs.length >= min && clash.length === 0, `${bs.length} labels; ${clash.slice(0, 4).join(", ")}`);
  }
  // A label cut off at the panel's edge, or drawn over another place's circle, misleads too.
  for (const [name, svg, sel] of [["network", "#network", "text.node-label"], ["map", "#map", "text.place-label"]]) {
    const panel = await page.locator(svg).boundingBox();
    const out = (await boxes(page, `${svg} ${sel}`)).filter((b) => b.x < panel.x - 1 || b.y < panel.y - 1 || b.x + b.width > panel.x + panel.width + 1 || b.y + b.height > panel.y + panel.height + 1);
    check(`${name} labels stay inside the panel${where}`, out.length === 0, out.map((b) => b.text).join(", "));
  }
  const circles = await boxes(page, "#map circle.place");
  const covered = (await boxes(page, "#map text.place-label")).filter((l) => circles.some((c) => hit(l, c)));
  check(`map labels are clear of the clusters${where}`, covered.length === 0, covered.map((b) => b.text).join(", "));
}

// A hypothetical event changes no count until the switch is on.
export async function statusChecks(page, check, api, demo) {
  const all = (await api("/events?limit=1000")).items.length;
  const fact = (await api(`/events?limit=1000&${FACT}`)).items.length;
  if (demo) check("the demo has one event that did not happen", all - fact === 1, `${all} vs ${fact}`);
  const before = { total: await total(page), rows: await rowCount(page), dyads: await dyadOptions(page), esc: await page.locator("#escalations li").count() };
  check("timeline counts what happened by default", before.total === fact, `${before.total} vs ${fact}`);
  check("the table lists what happened by default", before.rows === Math.min(fact, 25), `${before.rows}`);
  const shown = await page.locator("#events td .st").allTextContents();
  check("every row shows its status", shown.length === before.rows && shown.every((s) => ["asserted", "reported"].includes(s)), shown.join(","));
  if (demo) check("the hypothetical dyad is not offered", !before.dyads.includes("NER|FRA"), before.dyads.join(" "));
  await act(page, () => page.check("#uncertain"));
  const after = { total: await total(page), rows: await rowCount(page), dyads: await dyadOptions(page), esc: await page.locator("#escalations li").count() };
  check("with the switch on, the timeline counts every event", after.total === all, `${after.total} vs ${all}`);
  check("with the switch on, the table lists every event", after.rows === Math.min(all, 25), `${after.rows}`);
  check("the escalation list counts only what happened, switch or not", after.esc === before.esc, `${before.esc} vs ${after.esc}`);
  if (demo) {
    check("with the switch on, the hypothetical dyad is offered", after.dyads.includes("NER|FRA"), after.dyads.join(" "));
    const st = await page.locator("#events tr.row-hypothetical .st").allTextContents();
    check("a hypothetical event is marked as such", st.length === 1 && st[0] === "hypothetical", st.join(","));
  }
  await act(page, () => page.uncheck("#uncertain"));
  check("switching back restores the counts", (await total(page)) === before.total);
}

export async function dyadChecks(page, check, api, demo) {
  const opts = (await dyadOptions(page)).filter(Boolean);
  const same = opts.filter((o) => { const [s, t] = o.split("|"); return s === t; });
  check("no same-country pair in the dyad list", opts.length > 0 && same.length === 0, same.join(" "));
  check("no dyad without a country", opts.every((o) => o.split("|").every(Boolean)), opts.join(" "));
  if (demo) {
    const loops = await api(`/network?level=country&self_loops=true&${FACT}`);
    check("the data does hold same-country pairs (NGA → NGA)", loops.edges.some((e) => e.source === "NGA" && e.target === "NGA"));
    const names = await page.locator("#dyad option").allTextContents();
    check("dyads are named from the KB", names.some((n) => n.includes("Chad → Niger")), names.join(" | "));
  }
}

export async function tableChecks(page, check, demo) {
  const dates = await page.locator("#events tbody td.date").allTextContents();
  check("the table is newest first", dates.length > 0 && dates.every((d, i) => !i || dates[i - 1] >= d), dates.join(" "));
  const oneDay = dates.every((d) => d === dates[0]);
  await page.click("#events th[data-sort=date]");
  const asc = await poll(() => page.locator("#events tbody td.date").allTextContents(), (ds) => ds.length && ds[0] <= ds[ds.length - 1] && (oneDay || ds[0] !== dates[0]));
  check("a click on Date sorts oldest first", asc.every((d, i) => !i || asc[i - 1] <= d) && (oneDay || asc[0] !== dates[0]), asc.join(" "));
  await page.click("#events th[data-sort=event]");
  const types = await poll(() => page.locator("#events tbody td .tag").allTextContents(), (ts) => ts.length && ts.every((t, i) => !i || ts[i - 1] <= t));
  check("a click on Type sorts by type", types.every((t, i) => !i || types[i - 1] <= t), types.join(" "));
  await page.click("#events th[data-sort=date]");
  await poll(() => page.locator("#events tbody td.date").allTextContents(), (ds) => ds[0] === dates[0]);
  const cells = await page.locator("#events td.actor").allTextContents();
  check("no actor cell is blank", cells.length > 0 && cells.every((c) => c.trim().length > 0), cells.filter((c) => !c.trim()).length + " blank");
  if (!demo) return;
  check("an actor without a code shows its text, a missing one shows unknown", cells.some((c) => c.includes("Gunmen")) && cells.some((c) => c === "unknown"), cells.join(" | "));
  await act(page, async () => { await page.fill("input[name=actor]", "IND"); await page.click("#filters button[type=submit]"); });
  const ind = await page.locator("#events tbody tr[data-id]").allTextContents();
  check("actor IND matches the Indian officials, not 'arms industry'", ind.length === 1 && ind[0].includes("IND GOV"), ind.join(" | "));
  await act(page, async () => { await page.fill("input[name=actor]", ""); await page.click("#filters button[type=submit]"); });
}

export async function mapChecks(page, check, api, demo) {
  const land = await page.locator("#map path.land").count();
  const clusters = await page.locator("#map g.cluster").evaluateAll((gs) => gs.map((g) => ({ places: g.dataset.places.split("|"), count: +g.dataset.count })));
  const places = await api(`/places?limit=500&${FACT}`);
  const sum = clusters.reduce((a, c) => a + c.count, 0), want = places.reduce((a, p) => a + p.count, 0);
  check("map draws land and clusters that add up to the located events", land > 10 && clusters.length > 0 && sum === want, `${land} land, ${clusters.length} clusters, ${sum} vs ${want}`);
  if (!demo) return;
  const near = clusters.find((c) => c.places.includes("N'Djamena"));
  check("nearby places (N'Djamena, Kousseri) form one cluster with their count", near && near.places.includes("Kousseri") && near.count === 2, JSON.stringify(near));
  const diffa = page.locator("#map g.cluster[data-places='Diffa']");
  await act(page, () => diffa.click());
  const rows = await page.locator("#events tbody tr[data-id]").allTextContents();
  const chip = await page.locator("#chips .chip").allTextContents();
  check("a click on a place shows its events", rows.length === 1 && rows[0].includes("Diffa") && chip.some((c) => c.includes("Diffa")), rows.join(" | "));
  await act(page, () => page.click("#chips .chip"));
}

export async function escalationChecks(page, check, api, demo) {
  const flags = await api("/escalations");
  const hypo = await api("/escalations?status=hypothetical");
  check("escalation ignores what did not happen", hypo.length === 0, JSON.stringify(hypo).slice(0, 200));
  if (!demo) return;
  const nga = flags.find((f) => f.source === "NGA" && f.target === "CMR");
  check("a dyad's first conflict week is flagged new, without a z-score", nga && nga.kind === "new" && nga.z === null, JSON.stringify(flags));
  const link = page.locator("#escalations a.esc-link", { hasText: "NGA → CMR" });
  await act(page, () => link.click());
  const rows = await page.locator("#events tbody tr[data-id]").allTextContents();
  check("an escalation flag links to its events", rows.length === 1 && rows[0].includes("bombed"), rows.join(" | "));
  await act(page, async () => { await page.click("#chips .chip"); });
  await act(page, async () => { await page.fill("input[name=from]", ""); await page.fill("input[name=to]", ""); await page.click("#filters button[type=submit]"); });
}

export async function documentChecks(page, check, demo) {
  const row = demo ? page.locator("#events tbody tr", { hasText: "bombed" }) : page.locator("#events tbody tr[data-id]").first();
  await row.click();
  await page.waitForSelector("#doc-card:not([hidden]) mark.trigger.sel", { timeout: 10000 });
  const sel = await page.locator("mark.trigger.sel").first().textContent();
  check("document view highlights the event's trigger", demo ? sel === "bombed" : sel.length > 0, sel);
  const listed = await page.locator("#doc-events li").count();
  check("document view lists events", listed > 0, `${listed}`);
  const who = await page.locator("#doc-events li .who").allTextContents();
  check("document events name actors with their codes", who.some((w) => /\(([A-Z]{3}( [A-Z]{3})?)\)/.test(w)), who.join(" | "));
  if (demo) {
    const href = await page.locator("#doc-link").getAttribute("href");
    check("document view links to the source article", href === "https://news.example.org/2024/02/05/border-talks", href);
  }
  await page.locator("#doc-card").screenshot({ path: process.argv[3] + `/${process.argv[4] || "demo"}-document.png` });
}

export async function urlRoundTrip(page, open, check, url) {
  await act(page, async () => {
    await page.selectOption("select[name=event]", "ASSAULT");
    await page.check("#uncertain");
    await page.click("#filters button[type=submit]");
  });
  await page.selectOption("#net-level", "actor");
  await page.click("#events th[data-sort=source]");
  await sleep(300);
  const shared = page.url();
  const q = new URL(shared).searchParams;
  check("filters and view are in the URL", q.get("event") === "ASSAULT" && q.get("uncertain") === "1" && q.get("level") === "actor" && q.get("sort") === "source", shared);
  const rows = await page.locator("#events tbody tr[data-id]").evaluateAll((rs) => rs.map((r) => r.dataset.id));
  const again = await open(shared);
  const rows2 = await again.locator("#events tbody tr[data-id]").evaluateAll((rs) => rs.map((r) => r.dataset.id));
  const same = (await again.inputValue("select[name=event]")) === "ASSAULT" && (await again.isChecked("#uncertain")) &&
    (await again.inputValue("#net-level")) === "actor";
  check("a shared URL opens the same view", same && JSON.stringify(rows) === JSON.stringify(rows2) && rows.length > 0, `${rows.length} vs ${rows2.length} rows`);
  await again.close();
  await page.goto(url, { waitUntil: "load" });
  await ready(page);
}
