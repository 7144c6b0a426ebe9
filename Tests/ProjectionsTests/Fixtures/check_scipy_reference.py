#!/usr/bin/env python3
"""Recomputes every expected value of scipy-reference.json from its inputs with NumPy and SciPy
(and Python's decimal module for the rounding tables) and prints the rows that differ.

    python3 Tests/ProjectionsTests/Fixtures/check_scipy_reference.py

Exit status 0 when every row agrees bit for bit (the p-values and betainc within 1e-15 relative,
as SciPy's last bits move between versions), 1 otherwise. StatisticsTests.swift reads the same
file and checks the Swift implementations against it.
"""
import json
import math
import os
import sys
import decimal
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from scipy import special, stats

HERE = os.path.dirname(os.path.abspath(__file__))
MASK = (1 << 64) - 1


def number(v):
    return {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}.get(v, v) if isinstance(v, str) else float(v)


def same(a, b, rel=0.0):
    a, b = number(a), number(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if rel == 0.0:
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b or abs(a - b) <= rel * abs(b)


def splitmix64(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def sample(row):
    gen = splitmix64(row["seed"])
    out = []
    for _ in range(row["count"]):
        z = next(gen)
        if row["kind"] == "uniform":
            out.append((z >> 11) * 2.0**-53 * 200 - 100)
        elif row["kind"] == "integers":
            out.append(float(z % 50))
        else:
            out.append(1e6 + (z >> 11) * 2.0**-53)
    return np.array(out)


def main():
    with open(os.path.join(HERE, "scipy-reference.json")) as f:
        ref = json.load(f)
    decimal.getcontext().prec = 2000
    bad = []

    for row in ref["rounding"]:
        x = number(row["x"])
        if not math.isfinite(x):
            continue
        q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-row["places"]), rounding=ROUND_HALF_UP) if abs(
            row["places"]) < 400 else None
        if q is None:
            continue
        if not same(float(q), row["rounded"]) or (row["places"] >= 0 and format(q, "f") != row["fixed"]):
            bad.append(("rounding", row, float(q), format(q, "f")))

    for row in ref["betainc"]:
        v = special.betainc(row["a"], row["b"], row["x"])
        if not same(v, row["expected"], rel=1e-15):
            bad.append(("betainc", row, v))

    for row in ref["student_t_two_sided"]:
        v = 2 * stats.t.sf(abs(row["t"]), row["df"])
        if not same(v, row["expected"], rel=1e-15):
            bad.append(("student_t", row, v))

    for row in ref["linregress"]:
        r = stats.linregress(row["x"], row["y"])
        got = {"slope": r.slope, "intercept": r.intercept, "r_value": r.rvalue, "r_squared": r.rvalue**2,
               "p_value": r.pvalue, "stderr": r.stderr, "intercept_stderr": r.intercept_stderr}
        for key, value in got.items():
            if not same(value, row[key], rel=1e-15 if key == "p_value" else 0.0):
                bad.append(("linregress", key, row[key], value))

    levels = ref["percentile_levels"]
    for row in ref["samples"]:
        values = sample(row)
        if not same(np.mean(values), row["mean"]) or not same(np.std(values), row["std"]):
            bad.append(("sample mean/std", row["seed"], np.mean(values), np.std(values)))
        for level, expected in zip(levels, row["percentiles"]):
            if not same(np.percentile(values, level), expected):
                bad.append(("percentile", row["seed"], level, expected))

    for item in bad[:20]:
        print("differs:", item)
    total = sum(len(ref[k]) for k in ("rounding", "betainc", "student_t_two_sided", "linregress", "samples"))
    print(f"{total - len(bad)} rows agree, {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
