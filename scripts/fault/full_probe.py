#!/usr/bin/env python3
"""Probes writes on a full disk (stdlib only): a single metric may still fit in pages the log
file already holds (201, recorded in --out like the load generator's) or answer 503; a batch of
5,000 metrics cannot fit and must answer 503. Every 503 must be the contract's envelope with
code `unavailable` and a message, every answer must come within --timeout seconds (no hang).
Exit status 0 when all that holds."""

import argparse
import http.client
import json
import sys
import time
import uuid
from datetime import datetime, timezone


def metric(event_id):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"event_id": event_id, "agent_id": 1, "operation_type": "probe", "timestamp": now,
            "execution_time_ms": 12.5, "tokens_used": 100, "success": True, "cost_usd": 0.001}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=float, default=15)
    args = p.parse_args()
    failures = 0
    prefix = f"probe-{uuid.uuid4().hex[:8]}"
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.timeout)
    for name, items in [("single", [metric(f"{prefix}-single")]),
                        ("batch of 5,000", [metric(f"{prefix}-{i}") for i in range(5000)])]:
        body = items[0] if len(items) == 1 else {"metrics": items}
        started = time.monotonic()
        try:
            conn.request("POST", "/api/v1/metrics", body=json.dumps(body), headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as e:
            print(f"  FAIL: {name}: no answer within {args.timeout} s ({e})")
            failures += 1
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.timeout)
            continue
        took = time.monotonic() - started
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        if response.status == 503:
            ok = (isinstance(answer, dict) and answer.get("success") is False
                  and answer["error"].get("code") == "unavailable" and len(answer["error"].get("message") or "") > 10)
            if ok:
                print(f"  {name}: 503 in {took:.2f} s: {answer['error']['message']}")
            else:
                print(f"  FAIL: {name}: 503 without the contract's envelope: {raw[:300]!r}")
                failures += 1
        elif response.status in (201, 207) and len(items) == 1 and isinstance(answer, dict):
            created = [r for r in answer["results"] if r["status"] == "created"]
            with open(args.out, "a") as f:
                for r in created:
                    f.write(f"{items[r['index']]['event_id']} {r['id']}\n")
            print(f"  {name}: {response.status} (it fit in pages the log file already holds)")
        else:
            print(f"  FAIL: {name}: HTTP {response.status}: {raw[:300]!r}")
            failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
