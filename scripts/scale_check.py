#!/usr/bin/env python3
"""Scale check: how the service answers and stores as history grows.

Generates N metrics of 100 agents over 90 days as a log export (time order, one JSON line per
event: 100 AgentRegistered, 100 BudgetSet, then the metrics), `replay import`s it into a fresh
data directory, starts `serve` on it and measures:

- the import rate and the start (the fold of the whole log, no checkpoint) until /healthz shows
  the projection at the head;
- the anonymous memory of the server (smaps_rollup) per metric after the start, and again after
  the writes below;
- every read endpoint of the contract over 30-day windows (whole fleet and one agent), the
  median of 5 calls over HTTP, each call with its own query (`as_of` one microsecond apart and
  a parameter the service ignores) so every answer is computed, none comes from the
  windowed-answer cache that serves a repeated poll;
- 20 batches of 1,000 late metrics (timestamps spread over the 90 days) and 20 batches of 1,000
  current ones (the last minute), posted one after the other on one connection, then 80 current
  batches from 8 connections at once (10 each): metrics/s.

Prints one Markdown table. Python 3 standard library only.

    python3 scripts/scale_check.py --bin .build/release/metrics-service --metrics 1000000
"""
import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone

AGENTS = 100
DAYS = 90
OPERATIONS = ["code_review", "implementation", "testing", "planning", "debugging"]
ROLES = ["developer", "reviewer", "tester", "planner"]


def iso(us):
    return datetime.fromtimestamp(us / 1e6, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def generate(path, n, end_us, seed):
    """Writes the export: agents, budgets, then n metrics in time order."""
    rng = random.Random(seed)
    start_us = end_us - DAYS * 86_400_000_000
    seq = 0
    with open(path, "w") as out:
        def line(type_name, type_id, at, payload):
            nonlocal seq
            seq += 1
            out.write(json.dumps({
                "sequence": seq, "event_id": None, "type": type_name, "type_id": type_id, "schema_version": 1,
                "recorded_at": iso(at), "occurred_at": iso(at), "payload": payload,
            }, separators=(",", ":")))
            out.write("\n")

        for a in range(1, AGENTS + 1):
            line("AgentRegistered", 1, start_us, {"agent_id": a, "name": f"agent-{a}", "role": ROLES[a % len(ROLES)]})
        for a in range(1, AGENTS + 1):
            line("BudgetSet", 2, start_us, {
                "agent_id": a, "total_budget_nanos": 500_000_000_000, "warning_threshold_percent": 80.0,
                "critical_threshold_percent": 100.0, "period": "monthly"})
        step = (end_us - start_us) / n
        for i in range(n):
            t = int(start_us + i * step)
            agent = rng.randint(1, AGENTS)
            quality = round(rng.uniform(40, 100), 2) if rng.random() < 0.8 else None
            payload = {
                "agent_id": agent, "operation_type": OPERATIONS[rng.randrange(len(OPERATIONS))],
                "timestamp": iso(t), "execution_time_ms": round(rng.lognormvariate(6, 0.6), 2),
                "tokens_used": rng.randint(100, 8000), "api_calls": rng.randint(1, 5),
                "success": rng.random() < 0.93, "quality_score": quality,
                "cost_nanos": rng.randint(1_000, 90_000_000), "error_message": None,
            }
            # Recorded when it happened (the import keeps the log's own times).
            seq += 1
            out.write('{"sequence":%d,"event_id":null,"type":"MetricRecorded","type_id":3,"schema_version":1,'
                      '"recorded_at":"%s","occurred_at":"%s","payload":%s}\n'
                      % (seq, iso(t), iso(t), json.dumps(payload, separators=(",", ":"))))
    return seq


def anonymous_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Anonymous:"):
                return int(line.split()[1])
    return 0


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, data


def wait_healthy(port, head, deadline_s=3600):
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        try:
            status, data = Client(port).request("GET", "/healthz")
            if status == 200 and json.loads(data).get("projection_sequence", 0) >= head:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("the server did not become healthy")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/metrics-service")
    parser.add_argument("--metrics", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--export", help="the generated export: reused when it exists, else written and kept "
                        "(to measure two builds on the same data)")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    work = tempfile.mkdtemp(prefix="scale-check-")
    rows = []
    server = None
    try:
        export = args.export or os.path.join(work, "log.jsonl")
        if args.export and os.path.exists(args.export):
            # The history ends where the reused export ends (its last line's timestamp).
            with open(export, "rb") as f:
                f.seek(max(0, os.path.getsize(export) - 4096))
                last = json.loads(f.read().splitlines()[-1])
            head = last["sequence"]
            end_us = int(datetime.strptime(last["payload"]["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ")
                         .replace(tzinfo=timezone.utc).timestamp() * 1e6)
            if head != args.metrics + 2 * AGENTS:
                raise SystemExit(f"{export} holds {head:,} events, not the {args.metrics + 2 * AGENTS:,} asked for")
        else:
            end_us = int(time.time() * 1e6) - 60_000_000  # the generated history ends a minute ago
            t0 = time.monotonic()
            head = generate(export, args.metrics, end_us, args.seed)
            print(f"generated {head:,} events in {time.monotonic() - t0:.1f} s", file=sys.stderr)

        data_dir = os.path.join(work, "data")
        t0 = time.monotonic()
        subprocess.run([binary, "replay", "import", export, "--data-dir", data_dir], check=True,
                       stdout=subprocess.DEVNULL)
        seconds = time.monotonic() - t0
        rows.append(("replay import", f"{seconds:.2f} s", f"{head / seconds:,.0f} events/s"))
        if not args.export:
            os.remove(export)

        port = free_port()
        t0 = time.monotonic()
        server = subprocess.Popen([binary, "serve", "--data-dir", data_dir, "--port", str(port), "--no-scheduler",
                                   "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_healthy(port, head)
        seconds = time.monotonic() - t0
        rows.append(("start (fold, no checkpoint)", f"{seconds:.2f} s", f"{head / seconds:,.0f} events/s"))
        anon = anonymous_kib(server.pid) * 1024
        rows.append(("anonymous memory after start", f"{anon / 2**20:,.0f} MiB", f"{anon / args.metrics:.1f} B/metric"))

        client = Client(port)
        v1 = "/api/v1"
        counter = [0]

        def at():
            # A new as_of and a parameter the service ignores: every call is computed, none is
            # the windowed-answer cache's (which would answer a repeated poll).
            counter[0] += 1
            return f"{iso(end_us + counter[0])}&_={counter[0]}"

        agent = 7
        reads = [
            ("agents", lambda: f"{v1}/agents"),
            ("agent", lambda: f"{v1}/agents/{agent}"),
            ("agent budget", lambda: f"{v1}/agents/{agent}/budget?as_of={at()}"),
            ("summary", lambda: f"{v1}/metrics/summary?as_of={at()}"),
            ("time series, day, fleet", lambda: f"{v1}/metrics/aggregate/timeseries?granularity=day&as_of={at()}"),
            ("time series, hour, fleet", lambda: f"{v1}/metrics/aggregate/timeseries?granularity=hour&as_of={at()}"),
            ("time series, day, agent",
             lambda: f"{v1}/metrics/aggregate/timeseries?granularity=day&agent_id={agent}&as_of={at()}"),
            ("by-agent", lambda: f"{v1}/metrics/aggregate/by-agent/{agent}?as_of={at()}"),
            ("by-role", lambda: f"{v1}/metrics/aggregate/by-role/developer?as_of={at()}"),
            ("percentiles execution_time, fleet", lambda: f"{v1}/metrics/percentiles/execution_time?as_of={at()}"),
            ("percentiles quality_score, fleet", lambda: f"{v1}/metrics/percentiles/quality_score?as_of={at()}"),
            ("percentiles execution_time, agent",
             lambda: f"{v1}/metrics/percentiles/execution_time?agent_id={agent}&as_of={at()}"),
            ("outliers execution_time, fleet", lambda: f"{v1}/metrics/outliers/execution_time?as_of={at()}"),
            ("outliers cost, agent", lambda: f"{v1}/metrics/outliers/cost?agent_id={agent}&as_of={at()}"),
            ("trend execution_time, fleet", lambda: f"{v1}/metrics/trends/execution_time?as_of={at()}"),
            ("trend cost, agent", lambda: f"{v1}/metrics/trends/cost?agent_id={agent}&as_of={at()}"),
            ("cost recommendations", lambda: f"{v1}/metrics/recommendations/cost?as_of={at()}"),
            ("performance insights", lambda: f"{v1}/metrics/insights/performance?as_of={at()}"),
            ("alerts", lambda: f"{v1}/metrics/alerts?as_of={at()}"),
        ]
        for name, path in reads:
            times = []
            for _ in range(5):
                p = path()
                t0 = time.perf_counter()
                status, _ = client.request("GET", p)
                times.append(time.perf_counter() - t0)
                if status != 200:
                    raise SystemExit(f"GET {p} answered {status}")
            rows.append((f"GET {name}", f"{statistics.median(times) * 1000:.1f} ms", "median of 5"))

        rng = random.Random(args.seed + 1)

        def batch(late):
            items = []
            for _ in range(1000):
                if late:
                    t = end_us - rng.randint(0, DAYS * 86_400_000_000)
                else:
                    t = int(time.time() * 1e6) - rng.randint(0, 60_000_000)
                items.append({
                    "agent_id": rng.randint(1, AGENTS), "operation_type": OPERATIONS[rng.randrange(len(OPERATIONS))],
                    "timestamp": iso(t), "execution_time_ms": round(rng.lognormvariate(6, 0.6), 2),
                    "tokens_used": rng.randint(100, 8000), "success": rng.random() < 0.93,
                    "quality_score": round(rng.uniform(40, 100), 2), "cost_usd": round(rng.uniform(0.001, 0.09), 6),
                })
            return json.dumps({"metrics": items}).encode()

        for late, name in [(True, "20 late batches of 1,000 (spread over 90 days)"),
                           (False, "20 current batches of 1,000 (last minute)")]:
            bodies = [batch(late) for _ in range(20)]
            t0 = time.perf_counter()
            for body in bodies:
                status, data = client.request("POST", f"{v1}/metrics", body)
                if status != 201:
                    raise SystemExit(f"POST /metrics answered {status}: {data[:200]!r}")
            seconds = time.perf_counter() - t0
            rows.append((f"POST {name}", f"{seconds:.2f} s", f"{20_000 / seconds:,.0f} metrics/s"))

        # Current batches from 8 connections at once (one thread each, bodies built beforehand).
        bodies = [[batch(False) for _ in range(10)] for _ in range(8)]
        failures = []

        def post_all(mine):
            c = Client(port)
            for body in mine:
                status, data = c.request("POST", f"{v1}/metrics", body)
                if status != 201:
                    failures.append(f"POST /metrics answered {status}: {data[:200]!r}")

        threads = [threading.Thread(target=post_all, args=(mine,)) for mine in bodies]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - t0
        if failures:
            raise SystemExit(failures[0])
        rows.append(("POST 80 current batches of 1,000 from 8 connections", f"{seconds:.2f} s",
                     f"{80_000 / seconds:,.0f} metrics/s"))

        anon = anonymous_kib(server.pid) * 1024
        total = args.metrics + 120_000
        rows.append(("anonymous memory after the writes", f"{anon / 2**20:,.0f} MiB", f"{anon / total:.1f} B/metric"))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f"| {args.metrics:,} metrics, {AGENTS} agents, {DAYS} days | value | rate |")
    print("|---|---:|---:|")
    for name, value, rate in rows:
        print(f"| {name} | {value} | {rate} |")


if __name__ == "__main__":
    main()
