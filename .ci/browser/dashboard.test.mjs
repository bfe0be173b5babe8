// Loads the dashboard in real headless Chromium and checks that the timeline, the network and
// the map draw the demo article's events, that the document view highlights evidence, and
// saves a screenshot. Usage: node dashboard.test.mjs URL SCREENSHOT_DIR
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, outDir, mode = "demo"] = process.argv.slice(2);
// "demo": the hand-coded sample database (exact expectations);
// "seed": the seed story coded by sitrep itself (expectations read back from the API)
const seed = mode === "seed";
const api = async (path) => (await fetch(url + path.replace(/^\//, ""))).json();
let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${detail ? ": " + detail : ""}`); }
}

const profile = mkdtempSync(join(tmpdir(), "sitrep-chromium-"));
// A fresh profile each run (Playwright passes it to Chromium as --user-data-dir).
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1400, height: 1500 },
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  const offsite = [];
  page.on("request", (r) => { if (!r.url().startsWith(url)) offsite.push(r.url()); });

  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready='1']", { timeout: Number(process.env.READY_TIMEOUT_MS || 20000) });

  const bars = await page.locator("#timeline rect.bar").count();
  check("timeline draws bars", bars > 0, `${bars} bars`);
  const nodes = await page.locator("#network g.node").count();
  const edges = await page.locator("#network path.edge").count();
  check("network draws the article's actors", seed ? nodes >= 4 && edges >= 3 : nodes >= 6 && edges >= 5, `${nodes} nodes, ${edges} edges`);
  const places = await page.locator("#map circle.place").count();
  const land = await page.locator("#map path.land").count();
  check("map draws land and event places", places >= (seed ? 1 : 4) && land > 10, `${places} places, ${land} land shapes`);
  const labels = await page.locator("#map text.place-label").allTextContents();
  const wantLabel = seed ? "Gaza" : "Maiduguri";
  check(`map labels ${wantLabel}`, labels.some((l) => l.includes(wantLabel)), labels.join(", "));
  const total = seed ? (await api("/events?limit=1000")).items.length : 7;
  const rows = await page.locator("#events tbody tr").count();
  check(`event table lists the ${total} events`, rows === Math.min(total, 50) && total > 0, `${rows} rows`);

  await page.screenshot({ path: join(outDir, `${mode}-dashboard.png`), fullPage: true });

  // Filtering narrows every view.
  const assaults = seed ? (await api("/events?event=ASSAULT&limit=1000")).items.length : 1;
  await page.selectOption("select[name=event]", "ASSAULT");
  await page.click("#filters button[type=submit]");
  // polled from here: the page's CSP forbids the eval that waitForFunction would need
  for (let i = 0; i < 100 && (await page.locator("#events tbody tr").count()) !== assaults; i++) {
    await page.waitForTimeout(100);
  }
  check("filter by type narrows the table", (await page.locator("#events tbody tr").count()) === assaults && assaults < total);

  // The document view highlights the trigger of the clicked event.
  await page.click("#events tbody tr");
  await page.waitForSelector("#doc-card:not([hidden]) mark.trigger.sel", { timeout: 10000 });
  const sel = await page.locator("mark.trigger.sel").first().textContent();
  check("document view highlights the event's trigger", seed ? /invasion|clash|attack|strike/i.test(sel) : sel === "shelled", sel);
  const listed = await page.locator("#doc-events li").count();
  check("document view lists every event of the article", listed === total, `${listed}`);
  await page.locator("#doc-card").screenshot({ path: join(outDir, `${mode}-document.png`) });

  check("no script errors", errors.length === 0, errors.join(" | "));
  check("nothing requested from another origin", offsite.length === 0, offsite.join(" "));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
