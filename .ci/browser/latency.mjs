// Latency of the dashboard's API calls against a running server: each URL is fetched N times
// in turn (after one warm-up) and p50/p99 are printed in ms. Loopback only; no load generation.
// Usage: node latency.mjs BASE_URL [N] [PATHS_FILE]  (PATHS_FILE: one path per line)
import { readFileSync } from "node:fs";

const [base, nArg = "20", file] = process.argv.slice(2);
const n = Number(nArg);
const fact = "status=asserted,reported";
const paths = file ? readFileSync(file, "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#")) : [
  "/stats",
  `/series?bucket=week&${fact}`,
  `/series?bucket=month&${fact}&source=CHN&target=USA`,
  `/network?level=country&max_edges=60&${fact}`,
  `/network?level=actor&max_edges=80&${fact}`,
  `/places?limit=500&${fact}`,
  `/escalations?limit=50`,
  `/events?limit=25&sort=-date&${fact}`,
  `/events?limit=25&sort=-date&${fact}&actor=CHN`,
];
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
for (const p of paths) {
  const url = base.replace(/\/$/, "") + p;
  const r0 = await fetch(url);
  const status = r0.status;
  await r0.arrayBuffer();
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fetch(url);
    await r.arrayBuffer();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${p}\t${status}\tp50 ${pct(ms, 50).toFixed(1)} ms\tp99 ${pct(ms, 99).toFixed(1)} ms`);
}
