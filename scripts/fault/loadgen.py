#!/usr/bin/env python3
"""Load generator for the fault-injection scripts (stdlib only).

Posts single metrics and batches with client event ids from several threads (one keep-alive
connection each) and appends every metric the server acknowledged as `created` to --out as a
line `EVENT_ID METRIC_ID`, flushed at once, so the file is complete even when the server is
killed mid-request. Runs until --duration elapses or the server goes away (connection refused
or reset: expected in the kill test). Answers other than 201/207 while the server is up are
counted as errors (and printed); with --expect-503, 503 answers in the contract's envelope are
counted separately and are not errors.

Prints one JSON line on stdout at the end: requests, created, duplicates, errors, unavailable,
connection_failures, seconds.
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


def iso(ts):
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def make_metric(rng, event_id, agents, now):
    metric = {
        "event_id": event_id,
        "agent_id": rng.randint(1, agents),
        "operation_type": rng.choice(OPERATIONS),
        "timestamp": iso(now - timedelta(seconds=rng.uniform(30, 3000))),
        "execution_time_ms": round(rng.uniform(5, 5000), 3),
        "tokens_used": rng.randint(0, 20000),
        "api_calls": rng.randint(0, 10),
        "success": rng.random() < 0.9,
        "cost_usd": round(rng.uniform(0, 0.5), 6),
    }
    if rng.random() < 0.8:
        metric["quality_score"] = round(rng.uniform(0, 100), 2)
    if not metric["success"]:
        metric["error_message"] = "failed"
    return metric


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.created = 0
        self.duplicates = 0
        self.errors = 0
        self.unavailable = 0
        self.connection_failures = 0
        self.error_samples = []

    def add(self, **kw):
        with self.lock:
            for k, v in kw.items():
                setattr(self, k, getattr(self, k) + v)

    def error(self, text):
        with self.lock:
            self.errors += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(text)


def worker(index, args, stats, out, out_lock, deadline, stop):
    rng = random.Random(f"{args.seed}-{index}")
    host, port = args.host, args.port
    conn = http.client.HTTPConnection(host, port, timeout=args.timeout)
    i = 0
    failures_in_row = 0
    while time.monotonic() < deadline and not stop.is_set():
        i += 1
        now = datetime.now(timezone.utc)
        if rng.random() < args.single_fraction:
            metrics = [make_metric(rng, f"{args.prefix}-t{index}-{i}", args.agents, now)]
            body = metrics[0]
        else:
            n = rng.randint(2, args.max_batch)
            metrics = [make_metric(rng, f"{args.prefix}-t{index}-{i}-{k}", args.agents, now) for k in range(n)]
            # Now and then repeat an id inside the batch: the second one must be a duplicate.
            if n > 3 and rng.random() < 0.1:
                metrics[-1] = dict(metrics[-1], event_id=metrics[0]["event_id"])
            body = {"metrics": metrics}
        data = json.dumps(body).encode()
        try:
            conn.request("POST", "/api/v1/metrics", body=data, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            # The server went away (killed) or dropped the connection: reconnect a few times, then stop.
            conn.close()
            stats.add(connection_failures=1)
            failures_in_row += 1
            if failures_in_row >= args.max_connection_failures:
                return
            time.sleep(0.05)
            conn = http.client.HTTPConnection(host, port, timeout=args.timeout)
            continue
        failures_in_row = 0
        stats.add(requests=1)
        if status in (201, 207):
            try:
                answer = json.loads(raw)
                results = answer["results"]
            except (ValueError, KeyError, TypeError):
                stats.error(f"{status} with an unreadable body: {raw[:200]!r}")
                continue
            lines = []
            created = duplicates = 0
            for result in results:
                event_id = metrics[result["index"]]["event_id"]
                if result["status"] == "created":
                    created += 1
                    lines.append(f"{event_id} {result['id']}\n")
                elif result["status"] == "duplicate":
                    duplicates += 1
                else:
                    stats.error(f"item rejected: {json.dumps(result)[:200]}")
            if lines:
                with out_lock:
                    out.write("".join(lines))
                    out.flush()
            stats.add(created=created, duplicates=duplicates)
        elif status == 503 and args.expect_503:
            try:
                answer = json.loads(raw)
                ok = answer["success"] is False and answer["error"]["code"] == "unavailable" and answer["error"]["message"]
            except (ValueError, KeyError, TypeError):
                ok = False
            if ok:
                stats.add(unavailable=1)
                if args.stop_on_503:
                    stop.set()
            else:
                stats.error(f"503 without the contract's envelope: {raw[:200]!r}")
        else:
            stats.error(f"HTTP {status}: {raw[:300]!r}")
    conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--agents", type=int, default=5, help="agent ids 1..N (registered beforehand)")
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--max-batch", type=int, default=200)
    parser.add_argument("--single-fraction", type=float, default=0.5)
    parser.add_argument("--prefix", required=True, help="event id prefix (unique per run)")
    parser.add_argument("--seed", default="0")
    parser.add_argument("--out", required=True, help="file receiving 'EVENT_ID METRIC_ID' per created metric")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--max-connection-failures", type=int, default=5)
    parser.add_argument("--expect-503", action="store_true")
    parser.add_argument("--stop-on-503", action="store_true")
    args = parser.parse_args()

    stats = Stats()
    stop = threading.Event()
    out_lock = threading.Lock()
    started = time.monotonic()
    deadline = started + args.duration
    with open(args.out, "a", buffering=1) as out:
        threads = [
            threading.Thread(target=worker, args=(i, args, stats, out, out_lock, deadline, stop), daemon=True)
            for i in range(args.threads)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for sample in stats.error_samples:
        print(f"loadgen error: {sample}", file=sys.stderr)
    print(
        json.dumps(
            {
                "requests": stats.requests,
                "created": stats.created,
                "duplicates": stats.duplicates,
                "errors": stats.errors,
                "unavailable": stats.unavailable,
                "connection_failures": stats.connection_failures,
                "seconds": round(time.monotonic() - started, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
