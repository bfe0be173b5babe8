// Loads the dashboard in real headless Chromium and checks what an analyst relies on: counts of
// what happened unless the switch says otherwise, one continuous time axis, labels that never
// overlap, dyads between countries, a newest-first sortable table, the URL round trip, the map,
// escalation links and the document view; then saves screenshots at 1440 and 390 px.
// Usage: node dashboard.test.mjs URL SCREENSHOT_DIR [demo|seed|dense]
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ui from "./checks.mjs";

const [url, outDir, mode = "demo"] = process.argv.slice(2);
// "demo": the hand-coded articles (exact expectations); "seed": the seed story coded by sitrep
// (expectations read back from the API); "dense": a large synthetic database (layout only).
const demo = mode === "demo", dense = mode === "dense";
const api = async (path) => (await fetch(url + path.replace(/^\//, ""))).json();
let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok - ${mode}: ${name}`); }
  else { failed++; console.log(`not ok - ${mode}: ${name}${detail !== undefined ? ": " + detail : ""}`); }
}

const profile = mkdtempSync(join(tmpdir(), "sitrep-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1440, height: 1200 },
});
const timeout = Number(process.env.READY_TIMEOUT_MS || (dense ? 90000 : 20000));
const errors = [], offsite = [];
async function open(target, width = 1440) {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: width < 600 ? 844 : 1200 });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  page.on("request", (r) => { if (!r.url().startsWith(url)) offsite.push(r.url()); });
  await page.goto(target, { waitUntil: "load" });
  await ui.ready(page, timeout);
  return page;
}

try {
  const page = await open(url);
  const stats = await api("/stats");
  await ui.timeAxisChecks(page, stats, check);
  await ui.labelChecks(page, check);
  if (!dense) {
    await ui.statusChecks(page, check, api, demo);
    await ui.dyadChecks(page, check, api, demo);
    await ui.tableChecks(page, check, demo);
    await ui.mapChecks(page, check, api, demo);
    await ui.escalationChecks(page, check, api, demo);
    await ui.documentChecks(page, check, demo);
    await ui.urlRoundTrip(page, open, check, url);
  }
  await page.goto(url, { waitUntil: "load" });
  await ui.ready(page, timeout);
  await page.screenshot({ path: join(outDir, `${mode}-1440.png`), fullPage: true });
  const phone = await open(url, 390);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  check("the page fits a 390 px screen (no sideways scrolling)", width <= 392, `${width} px wide`);
  await ui.labelChecks(phone, check, " at 390 px");
  await phone.screenshot({ path: join(outDir, `${mode}-390.png`), fullPage: true });
  check("no script errors", errors.length === 0, errors.join(" | "));
  check("nothing requested from another origin", offsite.length === 0, offsite.join(" "));
} finally {
  await browser.close();
}
console.log(`${mode}: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
