#!/usr/bin/env python3
"""Consistency check of a data directory and the running server on it (stdlib only).

1. `metrics-service replay verify` passes (checksums, gapless sequences, decoding, id index).
2. `metrics-service replay export`: every acknowledged metric (lines `EVENT_ID METRIC_ID` in the
   --acked files) is in the log exactly once, at the sequence the server answered; no client
   event id appears twice in the log.
3. Re-posting acknowledged metrics with their event ids answers `duplicate` with the same id
   (the idempotency index survived) -- all of --recheck, a sample of the others.
4. The projections count every metric of the log once: /healthz projection position = log head;
   summary (24 h and 30 d), time series, percentiles and the sum of by-agent totals = number of
   MetricRecorded events in the log; by-agent cost and the budget's used_usd = the log's exact
   cost sums per agent.

Exit status 0 when everything holds; every failure is printed.
"""

import argparse
import http.client
import json
import random
import subprocess
import sys
from collections import defaultdict


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--agents", type=int, default=5)
    p.add_argument("--acked", nargs="*", default=[], help="files of acknowledged metrics")
    p.add_argument("--recheck", nargs="*", default=[], help="acked files to re-post in full")
    p.add_argument("--sample", type=int, default=2000, help="re-posted metrics from the other files")
    p.add_argument("--seed", default="0")
    p.add_argument("--min-metrics", type=int, default=0, help="the log must hold at least this many metrics")
    p.add_argument("--store", help="the log's PostgreSQL URL (replay reads it instead of --data-dir)")
    p.add_argument(
        "--budget-alerts-once",
        action="store_true",
        help="check that each (agent, period, level) budget alert fired at most once, and fired when crossed",
    )
    args = p.parse_args()
    failures = []

    def fail(text):
        failures.append(text)
        print(f"  FAIL: {text}", flush=True)

    # 1. replay verify
    where = ["--data-dir", args.data_dir] + (["--store", args.store] if args.store else [])
    verify = subprocess.run([args.bin, "replay", "verify", *where], capture_output=True, text=True, timeout=300)
    if verify.returncode != 0:
        fail(f"replay verify exited {verify.returncode}: {(verify.stdout + verify.stderr).strip()[-600:]}")

    # 2. export
    export = subprocess.run([args.bin, "replay", "export", *where], capture_output=True, text=True, timeout=600)
    if export.returncode != 0:
        fail(f"replay export exited {export.returncode}: {export.stderr.strip()[-600:]}")
    by_event_id = defaultdict(list)
    metrics = 0
    head = 0
    count_by_agent = defaultdict(int)
    nanos_by_agent = defaultdict(int)
    for line in export.stdout.splitlines():
        record = json.loads(line)
        head = record["sequence"]
        if record["event_id"] is not None:
            by_event_id[record["event_id"]].append(record["sequence"])
        if record["type"] == "MetricRecorded":
            metrics += 1
            payload = record["payload"]
            count_by_agent[payload["agent_id"]] += 1
            nanos_by_agent[payload["agent_id"]] += payload["cost_nanos"]
    for event_id, sequences in by_event_id.items():
        if len(sequences) > 1:
            fail(f"event id {event_id} is stored {len(sequences)} times: {sequences}")
    acked = {}
    for path in args.acked:
        with open(path) as f:
            for line in f:
                event_id, metric_id = line.split()
                if event_id in acked and acked[event_id] != int(metric_id):
                    fail(f"{event_id} was acknowledged twice with ids {acked[event_id]} and {metric_id}")
                acked[event_id] = int(metric_id)
    missing = 0
    for event_id, metric_id in acked.items():
        stored = by_event_id.get(event_id)
        if stored != [metric_id]:
            missing += 1
            if missing <= 10:
                fail(f"acknowledged {event_id} (id {metric_id}) is stored at {stored}")
    if missing > 10:
        fail(f"... {missing} acknowledged metrics missing or misplaced in all")
    if metrics < len(acked) or metrics < args.min_metrics:
        fail(f"the log holds {metrics} metrics, fewer than the {max(len(acked), args.min_metrics)} expected")

    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)

    def call(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, raw

    # 3. re-post acknowledged metrics: each must be a duplicate with the same id.
    recheck_ids = set()
    for path in args.recheck:
        with open(path) as f:
            recheck_ids.update(line.split()[0] for line in f)
    others = sorted(set(acked) - recheck_ids)
    rng = random.Random(args.seed)
    recheck_ids.update(rng.sample(others, min(args.sample, len(others))))
    ids = sorted(recheck_ids)
    wrong = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        body = {
            "metrics": [
                {
                    "event_id": e,
                    "agent_id": 1,
                    "operation_type": "recheck",
                    "timestamp": "2020-01-01T00:00:00Z",
                    "execution_time_ms": 1,
                    "tokens_used": 1,
                    "success": True,
                    "cost_usd": 0,
                }
                for e in chunk
            ]
        }
        status, answer = call("POST", "/api/v1/metrics", body)
        if status != 207 or not isinstance(answer, dict):
            fail(f"re-posting acknowledged metrics answered {status}: {str(answer)[:300]}")
            break
        for result in answer["results"]:
            e = chunk[result["index"]]
            if result["status"] != "duplicate" or result.get("id") != acked[e]:
                wrong += 1
                if wrong <= 10:
                    fail(f"re-posting {e} (id {acked[e]}) answered {result}")
    if wrong > 10:
        fail(f"... {wrong} re-posted metrics were not duplicates of their original in all")

    # 4. projections
    status, health = call("GET", "/healthz")
    if status != 200:
        fail(f"/healthz answered {status}")
    elif health.get("log_head") != head or health.get("projection_sequence") != head:
        fail(f"/healthz {health} differs from the log head {head}")

    def expect(name, value, wanted):
        if value != wanted:
            fail(f"{name} = {value}, the log holds {wanted}")

    status, summary = call("GET", "/api/v1/metrics/summary")
    if status != 200:
        fail(f"summary answered {status}: {str(summary)[:300]}")
    else:
        summary = summary["data"]
        expect("summary last_24h.total_operations", summary["last_24h"]["total_operations"], metrics)
        expect("summary last_30d_summary.total_operations", summary["last_30d_summary"]["total_operations"], metrics)
    status, series = call("GET", "/api/v1/metrics/aggregate/timeseries?granularity=day")
    if status != 200:
        fail(f"timeseries answered {status}: {str(series)[:300]}")
    else:
        expect("timeseries sum of total_operations", sum(b["total_operations"] for b in series["data"]), metrics)
    status, pct = call("GET", "/api/v1/metrics/percentiles/execution_time")
    if status != 200:
        fail(f"percentiles answered {status}: {str(pct)[:300]}")
    else:
        count = pct.get("count", pct.get("data", {}).get("count") if isinstance(pct.get("data"), dict) else None)
        expect("percentiles count", count, metrics)
    total = 0
    for agent in range(1, args.agents + 1):
        status, by_agent = call("GET", f"/api/v1/metrics/aggregate/by-agent/{agent}")
        if status != 200:
            fail(f"by-agent {agent} answered {status}: {str(by_agent)[:300]}")
            continue
        data = by_agent.get("data", by_agent)
        tasks = data["tasks"]["total"]
        total += tasks
        expect(f"by-agent {agent} tasks.total", tasks, count_by_agent[agent])
        usd = nanos_by_agent[agent] / 1e9
        if abs(data["cost"]["total_usd"] - usd) > 0.00011:
            fail(f"by-agent {agent} cost.total_usd = {data['cost']['total_usd']}, the log sums to {usd:.9f}")
        status, budget = call("GET", f"/api/v1/agents/{agent}/budget")
        if status == 200:
            used = budget.get("data", budget)["used_usd"]
            if abs(used - usd) > 0.00011:
                fail(f"agent {agent} budget used_usd = {used}, the log sums to {usd:.9f}")
    expect("sum of by-agent tasks.total", total, metrics)
    if args.budget_alerts_once:
        status, alerts = call("GET", "/api/v1/metrics/alerts?type=budget_overrun&limit=1000")
        if status != 200:
            fail(f"alerts answered {status}: {str(alerts)[:300]}")
        else:
            fired = defaultdict(int)
            for alert in alerts.get("data", alerts.get("alerts", [])):
                fired[(alert["agent_id"], alert.get("period_start"), alert["rule"])] += 1
            for key, count in fired.items():
                if count > 1:
                    fail(f"budget alert {key} fired {count} times")
            for agent in range(1, args.agents + 1):
                status, budget = call("GET", f"/api/v1/agents/{agent}/budget")
                if status != 200:
                    continue
                budget = budget.get("data", budget)
                crossed = budget["used_usd"] >= budget["total_budget_usd"] * budget["critical_threshold_percent"] / 100
                rules = {rule for (a, _, rule), _ in fired.items() if a == agent}
                if crossed and "budget_critical" not in rules:
                    fail(f"agent {agent} used {budget['used_usd']} of {budget['total_budget_usd']} without a critical alert")
    conn.close()
    print(
        f"  log: head {head}, {metrics} metrics, {len(acked)} acknowledged, {len(ids)} re-posted as duplicates;"
        f" {'OK' if not failures else f'{len(failures)} failures'}",
        flush=True,
    )
    sys.exit(1 if failures else 0)



if __name__ == "__main__":
    main()
