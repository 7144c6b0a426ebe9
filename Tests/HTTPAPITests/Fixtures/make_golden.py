#!/usr/bin/env python3
"""Writes golden.json: the conformance kit's expectations, frozen, for `swift test`.

Run by hand only (never by the build or the tests), from anywhere:

    python3 Tests/HTTPAPITests/Fixtures/make_golden.py [--kit PATH] [--out PATH] [--check]

`--kit` is the conformance kit directory holding gen.py and oracle.py (default:
`../../../../shared/conformance` relative to this file, i.e. `/work/shared/conformance` beside the
repository); it needs Python 3.11 with numpy and scipy. `--out` defaults to golden.json beside
this script. `--check` regenerates in memory and exits 1 if the file on disk differs.

What it builds (deterministic: a fixed seed and a fixed `end`, no clock is read):

* `gen.make_dataset(seed=7, end=2025-11-17T12:00:00Z)` (a Monday), then a SMALL subset of it:
  all 10 agents and all 9 budgets, every 20th metric (in posting order), plus every metric of the
  sparse agents (reviewer2, tester2), every metric at 00:00:00 and 23:59:59.500 (bucket and
  period boundaries), the planted execution-time outliers, both duplicate event ids (an exact
  retry and a later different payload), the x8 outlier 20 minutes before `end`, and enough of
  oncall's last 7 days for that outlier to raise an outlier alert (§4 needs >= 10 values).
  Budgets are scaled by each agent's subset/full cost ratio so that budget alerts still fire;
  a guard keeps every running budget sum at least 1e-6 USD away from every threshold.
* The writes in order: agents (1-5 get their id from the server, 6-10 send it), budgets, metric
  batches (with every expected per-item result and metric id), then `POST /admin/evaluate` at
  `end`. Metric ids are log positions: 10 agent events, 9 budget events, then each stored metric
  followed by the budget alerts it raises (§2, §4).
* `cases`: every read endpoint of §3 (and the budget status of §2, the alert list, one alert and
  alert histories) with `as_of = end` and explicit windows, each expected body computed by
  `oracle.py` exactly as `run.py` does. Performance-degradation and outlier alerts (which the
  oracle leaves to the server) are computed here from §4 with the oracle's own helpers
  (`daily_series`, `fit_trend`), so the alert list, its ids and the summary's `active_alerts` are
  fully pinned.

Expected bodies use the kit's comparison rules (GoldenTests.swift implements them): floats
within 1.01e-2, 1.01e-4 for USD keys (plus a case's `usd_keys`), `slope` and `r_squared`,
relative 1e-4 for `p_value`; ints, bools and strings exact; ISO timestamps as instants;
`message`/`reason` with numbers within one unit of their last digit; every expected key must be
present, extra keys are allowed. Sentinel strings: "<<any>>" (present, any value),
"<<any-time>>" (an ISO-8601 UTC timestamp), "<<absent-or-null>>" (missing or null),
"<<any-int>>" (an integer).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_KIT = os.path.normpath(os.path.join(HERE, "../../../../shared/conformance"))

SEED = 7
END = dt.datetime(2025, 11, 17, 12, 0, 0, tzinfo=dt.timezone.utc)
CLOCK_AFTER_END_SECONDS = 120  # the server clock of the test: just after the data's end
STRIDE = 20
BATCH = 200

ANY = "<<any>>"
ANY_TIME = "<<any-time>>"
ABSENT_OR_NULL = "<<absent-or-null>>"
ANY_INT = "<<any-int>>"

# Keys compared with 4-decimal tolerance (run.py's USD_KEYS); COST_STAT_KEYS join them for `cost`.
COST_STAT_KEYS = ["p50", "p75", "p90", "p95", "p99", "mean", "median", "std_dev", "value",
                  "deviation_from_mean"]


def load_kit(path: str):
    sys.path.insert(0, path)
    import gen  # noqa: E402
    import oracle  # noqa: E402
    return gen, oracle


# ----------------------------------------------------------------------------- the subset


def select_metrics(gen, oracle, ds) -> list[dict]:
    end_us = oracle.to_us(ds["end"])
    DAY, SEC = oracle.DAY, oracle.SEC
    planted = set()
    gap = oracle.to_us(ds["gap_day"] + "T00:00:00Z") // DAY
    for name, op, days_ago in gen.OUTLIERS:
        ts = end_us - int(days_ago * DAY) // SEC * SEC
        if ts // DAY == gap:
            ts += DAY
        aid = next(a["id"] for a in ds["agents"] if a["name"] == name)
        planted.add((aid, op, ts))
    spec = ds["features"]["last_hour_outlier"]
    planted.add((spec["agent_id"], "deploy", oracle.to_us(spec["timestamp"])))
    dups = set(ds["duplicate_event_ids"])
    sparse = {a["id"] for a in ds["agents"] if a["name"] in ("reviewer2", "tester2")}
    oncall = spec["agent_id"]
    out, oncall_recent = [], 0
    for k, m in enumerate(ds["metrics"]):
        ts = oracle.to_us(m["timestamp"])
        keep = (
            k % STRIDE == 0
            or m["agent_id"] in sparse
            or ts % DAY == 0
            or m["timestamp"].endswith("T23:59:59.500Z")
            or (m["agent_id"], m["operation_type"], ts) in planted
            or m.get("event_id") in dups
        )
        if not keep and m["agent_id"] == oncall and ts >= end_us - 7 * DAY:
            oncall_recent += 1
            keep = oncall_recent % 3 == 0
        if keep:
            out.append(m)
    return out


def scaled_budgets(ds, subset) -> list[dict]:
    """The dataset's budgets scaled by each agent's subset/full cost ratio (so alerts still fire)."""
    full, part = {}, {}
    for m in ds["metrics"]:
        full[m["agent_id"]] = full.get(m["agent_id"], 0.0) + m["cost_usd"]
    for m in subset:
        part[m["agent_id"]] = part.get(m["agent_id"], 0.0) + m["cost_usd"]
    out = []
    for b in ds["budgets"]:
        aid = b["agent_id"]
        ratio = part.get(aid, 0.0) / full[aid] if full.get(aid) else 1.0
        nb = dict(b)
        nb["total_budget_usd"] = round(b["total_budget_usd"] * ratio, 4)
        out.append(nb)
    return out


def guard_budgets(oracle, budgets, subset):
    """Nudges budgets until no running sum is within 1e-6 USD of a threshold (as gen.py does for
    costs), so float summation order cannot flip an alert."""
    for _ in range(100):
        norm = {b["agent_id"]: oracle.normalize_budget(b) for b in budgets}
        sums, seen, bad = {}, set(), set()
        for m in subset:
            eid = m.get("event_id")
            if eid is not None:
                if eid in seen:
                    continue
                seen.add(eid)
            b = norm.get(m["agent_id"])
            if b is None:
                continue
            key = (m["agent_id"], oracle.period_bounds(b["period"], oracle.to_us(m["timestamp"]))[0])
            sums[key] = sums.get(key, 0.0) + m["cost_usd"]
            for level in ("warning", "critical"):
                thr = b["total_budget_usd"] * b[f"{level}_threshold_percent"] / 100.0
                if abs(sums[key] - thr) < 1e-6:
                    bad.add(m["agent_id"])
        if not bad:
            return budgets
        for b in budgets:
            if b["agent_id"] in bad:
                b["total_budget_usd"] = round(b["total_budget_usd"] + 0.0001, 4)
    raise RuntimeError("could not separate budget sums from thresholds")


# ----------------------------------------------------------------------------- log positions


def metric_ids(oracle, agent_events, budget_events, metrics) -> tuple[list[int | None], int]:
    """Server metric ids (log positions) of `metrics` in posting order; None for duplicates.

    A first replay with provisional ids learns which metric raised how many budget alerts
    (the oracle's `_budget_alert` is wrapped to count them); a stored metric's position is then
    the count of events before it: agents, budgets, earlier metrics and their alerts."""
    raised_by: dict[int, int] = {}
    original = oracle._budget_alert

    def counting(st, alert_id, aid, b, level, used, row, period, ps, pe):
        raised_by[row["id"]] = raised_by.get(row["id"], 0) + 1
        return original(st, alert_id, aid, b, level, used, row, period, ps, pe)

    provisional = [{"kind": "metric", "metric": m, "id": None} for m in metrics]
    oracle._budget_alert = counting
    try:
        oracle.replay(agent_events + budget_events + provisional)
    finally:
        oracle._budget_alert = original
    seen, ids = set(), []
    position = len(agent_events) + len(budget_events)
    provisional_id = 0
    for m in metrics:
        eid = m.get("event_id")
        if eid is not None and eid in seen:
            ids.append(None)
            continue
        if eid is not None:
            seen.add(eid)
        provisional_id += 1
        position += 1
        ids.append(position)
        position += raised_by.get(provisional_id, 0)
    return ids, position


# ----------------------------------------------------------------------------- §4 evaluation alerts


def evaluation_alerts(oracle, st, as_of_us: int, first_id: int) -> list[dict]:
    """Performance-degradation then outlier alerts of one evaluation at `as_of` on a log that had
    none (§4), in id order, as expected public alert objects."""
    import numpy as np

    DAY, HOUR = oracle.DAY, oracle.HOUR
    log = st.log
    out = []
    next_id = first_id
    for aid in sorted(st.agents):
        mask = log.select(as_of_us - 7 * DAY, as_of_us, agent_id=aid)
        x, y = oracle.daily_series(log, mask, "execution_time", as_of_us - 7 * DAY)
        f = oracle.fit_trend(x, y, "execution_time")
        if f["trend"] != "degrading":
            continue
        current = float(y[-1])
        expected = float(np.mean(log.exec[mask]))
        out.append(_eval_alert(oracle, st, next_id, aid, "performance_degradation", "warning", current,
                               expected, as_of_us))
        next_id += 1
    found = []
    for aid in sorted(st.agents):
        pop = log.select(as_of_us - 7 * DAY, as_of_us, agent_id=aid)
        values = log.exec[pop]
        if len(values) < 10:
            continue
        mean, std = float(np.mean(values)), float(np.std(values))
        if std == 0:
            continue
        recent = np.nonzero(log.select(as_of_us - HOUR + 1, as_of_us, agent_id=aid))[0]
        for i in recent:
            z = (float(log.exec[i]) - mean) / std
            if abs(z) > 3.0:
                found.append((int(log.id[i]), aid, float(log.exec[i]), mean, int(log.ts[i])))
    for mid, aid, value, mean, ts in sorted(found):
        out.append(_eval_alert(oracle, st, next_id, aid, "outlier", "info", value, mean, ts))
        next_id += 1
    return out


def _eval_alert(oracle, st, alert_id, aid, kind, severity, current, expected, detected_us):
    return {
        "id": alert_id, "agent_id": aid, "agent_name": st.agent_name(aid), "type": kind,
        "severity": severity, "metric": "execution_time",
        "current_value": oracle.r4(current), "expected_value": oracle.r4(expected),
        "threshold_value": ANY,
        "deviation_percent": oracle.r2((current - expected) / expected * 100.0) if expected else None,
        "message": ANY, "status": "active", "detected_at": oracle.iso(detected_us),
        "acknowledged_at": None, "resolved_at": None, "rule": kind,
        "period_start": ABSENT_OR_NULL, "period_end": ABSENT_OR_NULL,
    }


def budget_alert_view(oracle, a: dict) -> dict:
    e = oracle.public(a)
    e["rule"] = "budget_" + a["severity"]
    e["period_end"] = None if a["_pe"] is None else oracle.iso(a["_pe"])
    if a["_zero_budget"]:
        e["message"], e["deviation_percent"] = ANY, ANY
    return e


# ----------------------------------------------------------------------------- build


def build(kit: str) -> dict:
    gen, oracle = load_kit(kit)
    DAY, HOUR = oracle.DAY, oracle.HOUR
    ds = gen.make_dataset(SEED, END)
    end_us = oracle.to_us(ds["end"])
    as_of = oracle.iso(end_us)
    clock = oracle.iso(end_us + CLOCK_AFTER_END_SECONDS * oracle.SEC)

    subset = select_metrics(gen, oracle, ds)
    budgets = guard_budgets(oracle, scaled_budgets(ds, subset), subset)

    agent_events = [{"kind": "agent", "id": a["id"], "name": a["name"], "role": a["role"]}
                    for a in ds["agents"]]
    budget_events = [{"kind": "budget", **b} for b in budgets]
    ids, last_position = metric_ids(oracle, agent_events, budget_events, subset)
    events = (agent_events + budget_events
              + [{"kind": "metric", "metric": m, "id": i} for m, i in zip(subset, ids) if i is not None]
              + [{"kind": "evaluate", "as_of": as_of}])
    st = oracle.replay(events)

    # --- writes ---------------------------------------------------------------------------
    writes_agents = []
    for a in ds["agents"]:
        body = {"name": a["name"], "role": a["role"]}
        if a["explicit_id"]:
            body = {"id": a["id"], **body}
        writes_agents.append({"body": body, "status": 201,
                              "expected": {"success": True, "data": {"id": a["id"], "name": a["name"],
                                                                     "role": a["role"]}}})
    writes_budgets = []
    for k, b in enumerate(budgets):
        partial = oracle.replay(agent_events + budget_events[: k + 1])
        writes_budgets.append({
            "agent_id": b["agent_id"], "body": {x: v for x, v in b.items() if x != "agent_id"},
            "status": 200, "expected": oracle.budget_status(partial, b["agent_id"], as_of=clock)})
    id_of_event = {}
    for m, i in zip(subset, ids):
        if i is not None and m.get("event_id") is not None:
            id_of_event.setdefault(m["event_id"], i)
    batches = []
    for k in range(0, len(subset), BATCH):
        items = subset[k:k + BATCH]
        results = []
        for j, (m, i) in enumerate(zip(items, ids[k:k + BATCH])):
            if i is None:
                results.append({"index": j, "status": "duplicate", "id": id_of_event[m["event_id"]]})
            else:
                results.append({"index": j, "status": "created", "id": i})
        n_dup = sum(1 for r in results if r["status"] == "duplicate")
        batches.append({
            "metrics": items, "status": 201 if n_dup == 0 else 207,
            "expected": {"success": True, "accepted": len(items) - n_dup, "duplicates": n_dup,
                         "rejected": 0, "results": results}})

    # --- alerts ---------------------------------------------------------------------------
    budget_alerts = [budget_alert_view(oracle, a) for a in st.alerts]
    eval_alerts = evaluation_alerts(oracle, st, end_us, len(st.alerts) + 1)
    all_alerts = budget_alerts + eval_alerts
    active = sum(1 for a in all_alerts if a["status"] == "active")

    # --- cases ----------------------------------------------------------------------------
    cases = []

    def add(name, path, query, expected, usd_keys=(), status=200, check=None):
        q = {k: (oracle.iso(v) if k in ("start_date", "end_date", "as_of") and not isinstance(v, str) else str(v))
             for k, v in query.items() if v is not None}
        case = {"name": name, "path": path, "query": q, "status": status, "expected": expected}
        if usd_keys:
            case["usd_keys"] = sorted(usd_keys)
        if check:
            case["check"] = check
        cases.append(case)

    monday = oracle.bucket_floor(end_us - 8 * DAY, "week")
    month = oracle.bucket_floor(end_us, "month")
    W = {"w30": (end_us - 30 * DAY, end_us), "all": (end_us - 46 * DAY, end_us),
         "monday-to-monday": (monday, monday + 7 * DAY), "month-start": (month, end_us),
         "last-2-days": (end_us - 2 * DAY, end_us), "last-3-days": (end_us - 3 * DAY, end_us)}
    agents = ds["agents"]
    roles = list(gen.ROLES)
    ts_path = "/api/v1/metrics/aggregate/timeseries"

    def ts_case(name, granularity, win, **filters):
        q = {"as_of": as_of, "start_date": win[0], "end_date": win[1], "granularity": granularity, **filters}
        add(f"timeseries.{granularity}.{name}", ts_path, q,
            oracle.timeseries(st, as_of=as_of, start=win[0], end=win[1], granularity=granularity, **filters))

    for g in oracle.GRANULARITIES:
        win = "last-3-days" if g == "hour" else "w30"  # hourly over 30 days would be 721 buckets
        ts_case(win, g, W[win])
        ts_case(f"{win}.agent=1", g, W[win], agent_id=1)
        ts_case(f"{win}.role=tester", g, W[win], role="tester")
        ts_case(f"{win}.op=testing", g, W[win], operation_type="testing")
    for g in ("day", "week", "month"):
        ts_case("all", g, W["all"])
    for g in ("hour", "day", "week"):
        ts_case("monday-to-monday", g, W["monday-to-monday"])
    ts_case("month-start", "month", W["month-start"])
    ts_case("month-start", "day", W["month-start"])
    for a in agents:
        ts_case(f"w30.agent={a['id']}", "week", W["w30"], agent_id=a["id"])
    for role in roles:
        ts_case(f"w30.role={role}", "week", W["w30"], role=role)
    for op in gen.OPERATIONS:
        ts_case(f"w30.op={op}", "week", W["w30"], operation_type=op)
    ts_case("w30.agent=5.op=testing", "day", W["w30"], agent_id=5, operation_type="testing")
    ts_case("w30.role=developer.op=bugfix", "day", W["w30"], role="developer", operation_type="bugfix")
    add("timeseries.defaults", ts_path, {"as_of": as_of}, oracle.timeseries(st, as_of=as_of))

    for a in agents:
        for wname in ("w30", "all", "last-2-days"):
            win = W[wname]
            add(f"by_agent.{a['name']}.{wname}", f"/api/v1/metrics/aggregate/by-agent/{a['id']}",
                {"as_of": as_of, "start_date": win[0], "end_date": win[1]},
                oracle.by_agent(st, a["id"], as_of=as_of, start=win[0], end=win[1]))
    add("by_agent.coder.defaults", "/api/v1/metrics/aggregate/by-agent/1", {"as_of": as_of},
        oracle.by_agent(st, 1, as_of=as_of))

    for role in roles:
        for wname in ("w30", "last-2-days"):
            win = W[wname]
            add(f"by_role.{role}.{wname}", f"/api/v1/metrics/aggregate/by-role/{role}",
                {"as_of": as_of, "start_date": win[0], "end_date": win[1]},
                oracle.by_role(st, role, as_of=as_of, start=win[0], end=win[1]))

    names = {a["id"]: a["name"] for a in agents}
    prev_month = oracle.bucket_floor(month - 1, "month") + 9 * DAY + 12 * HOUR
    points = [(b["agent_id"], "end", as_of) for b in budgets]
    points += [(7, "previous-month", oracle.iso(prev_month)), (1, "previous-month", oracle.iso(prev_month)),
               (8, "3-days-ago", oracle.iso(end_us - 3 * DAY)), (5, "10-days-ago", oracle.iso(end_us - 10 * DAY))]
    for aid, label, at in points:
        add(f"budget.{names[aid]}.{label}", f"/api/v1/agents/{aid}/budget", {"as_of": at},
            oracle.budget_status(st, aid, as_of=at))

    def pct_case(name, metric, win, **filters):
        exp = oracle.percentiles(st, metric, as_of=as_of, start=win[0], end=win[1], **filters)
        if exp["agent_id"] is None:
            exp["agent_id"] = ABSENT_OR_NULL
        add(f"percentiles.{metric}.{name}", f"/api/v1/metrics/percentiles/{metric}",
            {"as_of": as_of, "start_date": win[0], "end_date": win[1], **filters}, exp,
            usd_keys=COST_STAT_KEYS if metric == "cost" else ())

    for metric in oracle.PERCENTILE_METRICS:
        pct_case("w30", metric, W["w30"])
        pct_case("all", metric, W["all"])
        for a in agents:
            pct_case(f"agent={a['id']}", metric, W["w30"], agent_id=a["id"])
    for op in gen.OPERATIONS:
        pct_case(f"op={op}", "execution_time", W["w30"], operation_type=op)
    pct_case("agent=1.op=implementation", "cost", W["w30"], agent_id=1, operation_type="implementation")

    def trend_case(metric, lookback, agent_id=None):
        who = "all" if agent_id is None else f"agent={agent_id}"
        add(f"trends.{metric}.{who}.lb{lookback or 'default'}", f"/api/v1/metrics/trends/{metric}",
            {"as_of": as_of, "lookback_days": lookback, "agent_id": agent_id},
            oracle.trends(st, metric, as_of=as_of, lookback_days=lookback or 30, agent_id=agent_id))

    for metric in oracle.TREND_METRICS:
        for lookback in (30, 14):
            trend_case(metric, lookback)
            for a in agents:
                trend_case(metric, lookback, a["id"])
        trend_case(metric, 90)
    trend_case("execution_time", None)

    def outlier_case(name, metric, z=None, limit=None, **filters):
        win = W["w30"]
        exp = oracle.outliers(st, metric, as_of=as_of, start=win[0], end=win[1],
                              z_threshold=3.0 if z is None else z, limit=100 if limit is None else limit,
                              **filters)
        add(f"outliers.{metric}.{name}", f"/api/v1/metrics/outliers/{metric}",
            {"as_of": as_of, "start_date": win[0], "end_date": win[1], "z_threshold": z, "limit": limit,
             **filters}, exp, usd_keys=COST_STAT_KEYS if metric == "cost" else ())

    for metric in oracle.OUTLIER_METRICS:
        for z in (2.5, 3.0):
            outlier_case(f"z{z}", metric, z)
    for a in agents:
        outlier_case(f"z2.5.agent={a['id']}", "execution_time", 2.5, agent_id=a["id"])
    outlier_case("z2.5.op=testing", "execution_time", 2.5, operation_type="testing")
    outlier_case("z2.5.limit=2", "execution_time", 2.5, limit=2)
    outlier_case("z1.5.agent=9", "cost", 1.5, agent_id=9)
    outlier_case("defaults", "execution_time")

    add("recommendations.cost", "/api/v1/metrics/recommendations/cost", {"as_of": as_of},
        oracle.cost_recommendations(st, as_of=as_of))
    for wname in ("w30", "all", "last-2-days"):
        win = W[wname]
        add(f"insights.performance.{wname}", "/api/v1/metrics/insights/performance",
            {"as_of": as_of, "start_date": win[0], "end_date": win[1]},
            oracle.performance_insights(st, as_of=as_of, start=win[0], end=win[1]))
    add("summary", "/api/v1/metrics/summary", {"as_of": as_of},
        oracle.summary(st, as_of=as_of, active_alerts=active))

    # alert list: everything, and filtered (a wide window as the kit sends, and none)
    wide = {"as_of": as_of, "start_date": oracle.iso(end_us - 90 * DAY), "end_date": as_of, "limit": 1000}

    def alert_case(name, query, limit=None, **filters):
        exp = oracle.alerts_list(all_alerts, view=lambda a: a,
                                 limit=limit if limit is not None else int(query.get("limit", 50)), **filters)
        add(f"alerts.{name}", "/api/v1/metrics/alerts", {**query, **filters}, exp)

    alert_case("all", wide)
    alert_case("all.no-window.default-limit", {"as_of": as_of})
    alert_case("budget.all", wide, type="budget_overrun")
    for status in ("active", "resolved"):
        alert_case(f"status={status}", wide, status=status)
    for sev in ("warning", "critical", "info"):
        alert_case(f"severity={sev}", wide, severity=sev)
    for t in ("performance_degradation", "outlier"):
        alert_case(f"type={t}", wide, type=t)
    for aid in sorted({a["agent_id"] for a in all_alerts}):
        alert_case(f"agent={aid}", wide, agent_id=aid)
    alert_case("active.critical", wide, status="active", severity="critical")
    alert_case("budget.limit=3", {**wide, "limit": 3}, type="budget_overrun")
    # a detected_at window (§1: on the alert list start/end filter detected_at)
    lo, hi = end_us - 20 * DAY, end_us - 5 * DAY
    sel = [a for a in all_alerts if lo <= oracle.to_us(a["detected_at"]) <= hi]
    exp = oracle.alerts_list(sel, view=lambda a: a, limit=1000)
    add("alerts.window.20-to-5-days-ago", "/api/v1/metrics/alerts",
        {"as_of": as_of, "start_date": lo, "end_date": hi, "limit": 1000}, exp)

    for a in all_alerts:
        add(f"alerts.get.{a['id']}", f"/api/v1/metrics/alerts/{a['id']}", {}, {"success": True, "data": a})

    # histories: a raised-only alert, a period_ended one; positions are log positions
    raise_position = alert_positions(oracle, agent_events, budget_events, subset, ids)
    picks = []
    ended = next((a for a in st.alerts if a.get("_reason") == "period_ended"), None)
    still = next((a for a in st.alerts if a["status"] == "active"), None)
    for a in (ended, still):
        if a is not None:
            picks.append(a)
    for a in picks:
        hist = []
        for h in a["_history"]:
            hist.append({"status": h["status"], "at": h["at"] if h["at"] is not None else ANY_TIME,
                         "by": h["by"] if h["_origin"] == "user" else ANY,
                         "note": h["note"] if h["_origin"] == "user" else ANY,
                         "reason": h["reason"] if h["_origin"] == "system" else ANY,
                         "position": ANY_INT})
        hist[0]["position"] = raise_position[a["id"]]
        add(f"alerts.history.{a['id']}.{a['_history'][-1]['status']}", f"/api/v1/metrics/alerts/{a['id']}/history",
            {}, {"success": True, "data": hist}, check="increasing_positions")
    for a in eval_alerts:
        add(f"alerts.history.{a['id']}.{a['type']}", f"/api/v1/metrics/alerts/{a['id']}/history", {},
            {"success": True, "data": [{"status": "active", "at": a["detected_at"], "by": ANY, "note": ANY,
                                        "reason": ANY, "position": ANY_INT}]}, check="increasing_positions")

    add("agents.list", "/api/v1/agents", {},
        {"success": True, "data": [{"id": a["id"], "name": a["name"], "role": a["role"]} for a in agents]})
    for a in agents:
        add(f"agents.get.{a['id']}", f"/api/v1/agents/{a['id']}", {},
            {"success": True, "data": {"id": a["id"], "name": a["name"], "role": a["role"]}})

    return {
        "about": "Generated by make_golden.py from the conformance kit (gen.py + oracle.py); do not edit by hand.",
        "seed": SEED,
        "end": as_of,
        "clock": clock,
        "stats": {"metrics_posted": len(subset), "metrics_stored": sum(1 for i in ids if i is not None),
                  "budget_alerts": len(budget_alerts), "evaluation_alerts": len(eval_alerts),
                  "active_alerts": active, "last_metric_position": last_position},
        "writes": {
            "agents": writes_agents,
            "budgets": writes_budgets,
            "metric_batches": batches,
            "evaluate": {"body": {"as_of": as_of}, "status": 200,
                         "expected": {"success": True, "data": {
                             "alerts_raised": len(eval_alerts),
                             "alerts_resolved": sum(1 for a in st.alerts if a.get("_reason") == "period_ended")}}},
        },
        "cases": cases,
    }


def alert_positions(oracle, agent_events, budget_events, metrics, ids) -> dict[int, int]:
    """Log position of each budget alert's raising: right after the metric that raised it."""
    raised: list[int] = []
    original = oracle._budget_alert
    id_list = [i for i in ids if i is not None]

    def recording(st, alert_id, aid, b, level, used, row, period, ps, pe):
        raised.append(row["id"])
        return original(st, alert_id, aid, b, level, used, row, period, ps, pe)

    events = [{"kind": "metric", "metric": m, "id": i} for m, i in zip(metrics, ids) if i is not None]
    oracle._budget_alert = recording
    try:
        oracle.replay(agent_events + budget_events + events)
    finally:
        oracle._budget_alert = original
    out, count_after = {}, {}
    for alert_id, metric_id in enumerate(raised, start=1):
        count_after[metric_id] = count_after.get(metric_id, 0) + 1
        out[alert_id] = metric_id + count_after[metric_id]
    assert set(raised) <= set(id_list)
    return out


def _jsonable(x):
    import numpy as np
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError("non-finite float in the golden data")
    return x


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kit", default=DEFAULT_KIT, help="conformance kit directory (gen.py, oracle.py)")
    ap.add_argument("--out", default=os.path.join(HERE, "golden.json"))
    ap.add_argument("--check", action="store_true", help="exit 1 if the file on disk is stale")
    args = ap.parse_args(argv)
    golden = _jsonable(build(os.path.abspath(args.kit)))
    text = json.dumps(golden, indent=None, separators=(",", ":"), ensure_ascii=False) + "\n"
    if args.check:
        with open(args.out, encoding="utf-8") as f:
            same = f.read() == text
        print("golden.json is up to date" if same else "golden.json is stale")
        return 0 if same else 1
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    s = golden["stats"]
    print(f"wrote {args.out}: {len(text) / 1e6:.2f} MB, {len(golden['cases'])} cases, "
          f"{s['metrics_posted']} metrics posted ({s['metrics_stored']} stored), {s['budget_alerts']} budget "
          f"alerts, {s['evaluation_alerts']} evaluation alerts, {s['active_alerts']} active")
    return 0


if __name__ == "__main__":
    sys.exit(main())
