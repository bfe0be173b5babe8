#!/usr/bin/env python3
"""Load test for `sitrep serve`, from a second process on loopback: a bounded number of requests
(and a time cap) per endpoint, over keep-alive connections from a few threads; prints p50/p90/p99.

    python3 loadtest.py http://127.0.0.1:8080 [--requests 400] [--threads 4] [--seconds 60]
"""
import argparse, http.client, json, random, statistics, sys, threading, time, urllib.parse


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def run(base, targets, n, threads, seconds):
    u = urllib.parse.urlparse(base)
    lat, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(n))

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            t = random.choice(targets)
            t0 = time.perf_counter()
            try:
                conn.request("GET", t)
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except Exception as e:  # a dropped connection counts as an error, then reconnect
                ok = False
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            dt = (time.perf_counter() - t0) * 1000
            with lock:
                (lat if ok else errors).append(dt)

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.monotonic() - t0
    return lat, errors, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args()
    conn = http.client.HTTPConnection(urllib.parse.urlparse(a.base).hostname, urllib.parse.urlparse(a.base).port)
    conn.request("GET", "/stats")
    stats = json.loads(conn.getresponse().read())
    conn.request("GET", "/network?level=country&max_edges=50")
    edges = json.loads(conn.getresponse().read())["edges"]
    dyads = [(e["source"], e["target"]) for e in edges] or [("USA", "CHN")]
    print(f"database: {stats['events']:,} events, {stats['documents']:,} documents")
    q = urllib.parse.quote
    suites = {
        "dyad series (week)": [f"/series?source={q(s)}&target={q(t)}&bucket=week" for s, t in dyads],
        "dyad series (month, quad 4)": [f"/series?source={q(s)}&target={q(t)}&bucket=month&quad=4" for s, t in dyads],
        "events page (dyad)": [f"/events?source={q(s)}&target={q(t)}&limit=50" for s, t in dyads],
        "events page (type+dates)": [f"/events?event=ASSAULT&from=2023-0{m}-01&to=2023-0{m}-28&limit=50" for m in range(1, 10)],
        "events page (deep offset)": ["/events?limit=50&offset=%d" % o for o in (1000, 10000, 100000)],
    }
    for name, targets in suites.items():
        lat, errors, wall = run(a.base, targets, a.requests, a.threads, a.seconds)
        if not lat:
            print(f"{name}: no successful requests ({len(errors)} errors)")
            continue
        print(f"{name:30s} n={len(lat):4d} err={len(errors)} p50={percentile(lat,50):7.1f}ms "
              f"p90={percentile(lat,90):7.1f}ms p99={percentile(lat,99):7.1f}ms  {len(lat)/wall:6.1f} req/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
