#!/usr/bin/env python3
"""Soak load (stdlib only): several reader and writer clients against a running server for
--seconds, sampling the server's RSS (VmRSS of /proc/PID/status) every --sample seconds.

Readers loop without pause over the read endpoints (summary, time series, by-agent, by-role,
percentiles, trends, outliers, recommendations, insights, alerts, agents, budgets, healthz,
Prometheus metrics). Writers post single metrics and batches of 10-100 at a paced total rate
(--write-rate metrics/s), now and then trigger an evaluation (POST /admin/evaluate) or
acknowledge an active alert. Any answer other than the expected 2xx, and any connection error,
is an error. Prints one line per sample and a final JSON summary line starting with `SOAK `.
"""

import argparse
import http.client
import json
import random
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

OPERATIONS = ["code_generation", "code_review", "summarize", "search", "plan", "test.run", "deploy-check", "chat"]
ROLES = ["developer", "reviewer", "researcher", "ops"]


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.reads = 0
        self.writes = 0
        self.metrics = 0
        self.evaluations = 0
        self.acks = 0
        self.errors = 0
        self.samples = []
        self.latency = {}  # endpoint -> [count, total seconds, max seconds] (reads)

    def add(self, name, n=1):
        with self.lock:
            setattr(self, name, getattr(self, name) + n)

    def error(self, text):
        with self.lock:
            self.errors += 1
            if len(self.samples) < 20:
                self.samples.append(text)


def iso(ts):
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def metric(rng, agents):
    now = datetime.now(timezone.utc)
    m = {
        "agent_id": rng.randint(1, agents),
        "operation_type": rng.choice(OPERATIONS),
        "timestamp": iso(now - timedelta(seconds=rng.uniform(0, 7 * 86400))),
        "execution_time_ms": round(rng.lognormvariate(6, 0.6), 2),
        "tokens_used": rng.randint(100, 8000),
        "api_calls": rng.randint(1, 6),
        "success": rng.random() < 0.93,
        "cost_usd": round(rng.uniform(0.0005, 0.05), 6),
    }
    if rng.random() < 0.85:
        m["quality_score"] = round(rng.uniform(40, 100), 1)
    return m


class Client:
    def __init__(self, port, counters):
        self.port = port
        self.counters = counters
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None, expect=(200,)):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as e:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.counters.error(f"{method} {path}: {e!r}")
            return None, None
        if response.status not in expect:
            self.counters.error(f"{method} {path}: HTTP {response.status} {raw[:200]!r}")
            return response.status, None
        return response.status, raw


def reader(index, args, counters, stop):
    rng = random.Random(f"reader-{index}")
    client = Client(args.port, counters)
    while not stop.is_set():
        agent = rng.randint(1, args.agents)
        path = rng.choice(
            [
                "/api/v1/metrics/summary",
                f"/api/v1/metrics/aggregate/timeseries?granularity={rng.choice(['hour', 'day', 'week'])}",
                f"/api/v1/metrics/aggregate/timeseries?granularity=day&agent_id={agent}",
                f"/api/v1/metrics/aggregate/by-agent/{agent}",
                f"/api/v1/metrics/aggregate/by-role/{rng.choice(ROLES)}",
                f"/api/v1/metrics/percentiles/{rng.choice(['execution_time', 'cost', 'tokens', 'quality_score'])}",
                f"/api/v1/metrics/percentiles/execution_time?agent_id={agent}",
                f"/api/v1/metrics/trends/{rng.choice(['execution_time', 'cost', 'success_rate', 'quality_score'])}?agent_id={agent}",
                f"/api/v1/metrics/outliers/execution_time?agent_id={agent}",
                "/api/v1/metrics/recommendations/cost",
                "/api/v1/metrics/insights/performance",
                "/api/v1/metrics/alerts?limit=20",
                "/api/v1/agents",
                f"/api/v1/agents/{agent}/budget",
                "/healthz",
                "/metrics",
            ]
        )
        began = time.monotonic()
        status, _ = client.call("GET", path)
        took = time.monotonic() - began
        if status == 200:
            counters.add("reads")
        name = path.split("?")[0].rstrip("0123456789")
        with counters.lock:
            entry = counters.latency.setdefault(name, [0, 0.0, 0.0])
            entry[0] += 1
            entry[1] += took
            entry[2] = max(entry[2], took)


def writer(index, args, counters, stop):
    rng = random.Random(f"writer-{index}")
    client = Client(args.port, counters)
    rate = args.write_rate / args.writers  # metrics per second for this writer
    next_at = time.monotonic()
    while not stop.is_set():
        if time.monotonic() >= args.writes_until:
            time.sleep(0.2)  # the read-only tail
            continue
        roll = rng.random()
        if roll < 0.004:
            status, _ = client.call("POST", "/api/v1/admin/evaluate", {})
            if status == 200:
                counters.add("evaluations")
            continue
        if roll < 0.01:
            status, raw = client.call("GET", "/api/v1/metrics/alerts?status=active&limit=1")
            alerts = json.loads(raw)["data"] if raw else []
            if alerts:
                status, _ = client.call("PUT", f"/api/v1/metrics/alerts/{alerts[0]['id']}/acknowledge", {"by": "soak"})
                if status == 200:
                    counters.add("acks")
            continue
        if rng.random() < 0.7:
            items = [metric(rng, args.agents)]
            status, _ = client.call("POST", "/api/v1/metrics", items[0], expect=(201,))
        else:
            items = [metric(rng, args.agents) for _ in range(rng.randint(10, 100))]
            status, _ = client.call("POST", "/api/v1/metrics", {"metrics": items}, expect=(201,))
        if status == 201:
            counters.add("writes")
            counters.add("metrics", len(items))
        next_at += len(items) / rate
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            next_at = time.monotonic()  # behind: do not burst to catch up


def memory_kib(pid):
    """VmRSS and its anonymous part (RssAnon; the rest is mostly LMDB's file-backed map)."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon"):
                values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("RssAnon", 0)


def log_head(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/healthz")
        return json.loads(conn.getresponse().read())["log_head"]
    except Exception:
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--readers", type=int, default=4)
    p.add_argument("--writers", type=int, default=3)
    p.add_argument("--write-rate", type=float, default=500, help="metrics per second over all writers")
    p.add_argument("--agents", type=int, default=8)
    p.add_argument("--sample", type=float, default=10)
    p.add_argument("--warmup", type=float, default=60, help="seconds after which memory should stay flat")
    p.add_argument("--read-only-tail", type=float, default=0.2, help="fraction of the run at the end without writes")
    args = p.parse_args()

    counters = Counters()
    stop = threading.Event()
    threads = [threading.Thread(target=reader, args=(i, args, counters, stop), daemon=True) for i in range(args.readers)]
    threads += [threading.Thread(target=writer, args=(i, args, counters, stop), daemon=True) for i in range(args.writers)]
    started = time.monotonic()
    args.writes_until = started + args.seconds * (1 - args.read_only_tail)
    for t in threads:
        t.start()
    samples = []
    last = (0, 0, 0.0)
    while True:
        elapsed = time.monotonic() - started
        wait = min(args.sample, args.seconds - elapsed)
        if wait > 0:
            time.sleep(wait)
        elapsed = time.monotonic() - started
        try:
            rss, anon = memory_kib(args.pid)
        except OSError:
            print("the server process is gone", flush=True)
            counters.error("the server process is gone")
            break
        head = log_head(args.port)
        with counters.lock:
            reads, writes, errors = counters.reads, counters.writes, counters.errors
        rps = (reads + writes - last[0] - last[1]) / max(elapsed - last[2], 0.001)
        last = (reads, writes, elapsed)
        phase = "mixed" if started + elapsed <= args.writes_until else "reads"
        samples.append(
            {"t": round(elapsed), "rss_kib": rss, "anon_kib": anon, "log_head": head, "phase": phase}
        )
        print(
            f"t={elapsed:5.0f}s {phase:5} rss={rss / 1024:6.1f} MiB (anon {anon / 1024:6.1f}) log_head={head} "
            f"reads={reads} writes={writes} errors={errors} ({rps:.0f} req/s)",
            flush=True,
        )
        if elapsed >= args.seconds - 0.5:
            break
    stop.set()
    for t in threads:
        t.join(timeout=70)
    seconds = time.monotonic() - started
    mib = lambda kib: round(kib / 1024, 1)
    warm = next((s for s in samples if s["t"] >= args.warmup), samples[0])
    mixed = [s for s in samples if s["phase"] == "mixed"]
    tail = [s for s in samples if s["phase"] == "reads"]
    end_mixed = mixed[-1] if mixed else samples[-1]
    grown = (end_mixed["log_head"] or 0) - (warm["log_head"] or 0)
    summary = {
        "seconds": round(seconds, 1),
        "readers": args.readers,
        "writers": args.writers,
        "reads": counters.reads,
        "writes": counters.writes,
        "metrics_written": counters.metrics,
        "evaluations": counters.evaluations,
        "acknowledgements": counters.acks,
        "errors": counters.errors,
        "requests_per_second": round((counters.reads + counters.writes) / seconds, 1),
        "warm": {"t": warm["t"], "rss_mib": mib(warm["rss_kib"]), "anon_mib": mib(warm["anon_kib"]), "log_head": warm["log_head"]},
        "end_of_writes": {
            "t": end_mixed["t"], "rss_mib": mib(end_mixed["rss_kib"]), "anon_mib": mib(end_mixed["anon_kib"]),
            "log_head": end_mixed["log_head"],
        },
        "anon_growth_bytes_per_event_while_writing": round((end_mixed["anon_kib"] - warm["anon_kib"]) * 1024 / grown, 1)
        if grown > 0
        else None,
    }
    if tail:
        summary["read_only_tail"] = {
            "from_t": tail[0]["t"], "to_t": tail[-1]["t"],
            "rss_mib": [mib(tail[0]["rss_kib"]), mib(tail[-1]["rss_kib"])],
            "anon_mib": [mib(tail[0]["anon_kib"]), mib(tail[-1]["anon_kib"])],
            "anon_max_mib": mib(max(s["anon_kib"] for s in tail)),
        }
    summary["slowest_reads_ms"] = {
        name: {"n": n, "mean": round(total / n * 1000, 1), "max": round(worst * 1000, 1)}
        for name, (n, total, worst) in sorted(counters.latency.items(), key=lambda kv: -kv[1][1] / kv[1][0])[:6]
    }
    for sample in counters.samples[:10]:
        print(f"error: {sample}", file=sys.stderr)
    print("SOAK " + json.dumps(summary), flush=True)
    sys.exit(1 if counters.errors else 0)


if __name__ == "__main__":
    main()
