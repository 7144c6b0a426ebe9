#!/usr/bin/env python3
"""Drives the dashboard in headless Chromium, as a person would, against a running server.

    python3 Tests/Dashboard/dashboard_test.py http://127.0.0.1:8080 [--artifacts artifacts]

The server should hold a seeded fleet (`metrics-service seed-demo`) with at least one active
alert. The test opens the page, waits for data, compares the summary cards with
GET /api/v1/metrics/summary, checks the chart, the granularity switch, live updates (a metric
posted meanwhile shows up without a reload, polls answer 304), opens an agent page from an
agent name, clicks Acknowledge on an active alert and checks the status on screen and in the
API, sets a role budget and a fleet budget and checks their gauges (utilization, one threshold
mark per threshold up to 100 % on the arc, the forecast) on the role page and the overview,
checks the phone layout (no horizontal overflow at 390 px), and saves screenshots.

Python 3 standard library only: the Chrome DevTools Protocol is spoken over a minimal
WebSocket client (RFC 6455 handshake and framing) built on `socket`.
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

# --------------------------------------------------------------------------- WebSocket


class WebSocket:
    """A minimal client WebSocket (text frames, ping/pong, fragmentation, close)."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, url, timeout=60):
        u = urllib.parse.urlparse(url)
        if u.scheme != "ws":
            raise ValueError("only ws:// URLs are supported: " + url)
        host, port = u.hostname, u.port or 80
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = (u.path or "/") + ("?" + u.query if u.query else "")
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the WebSocket handshake was cut off")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if " 101 " not in lines[0] + " ":
            raise ConnectionError("WebSocket upgrade refused: " + lines[0])
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
        expected = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            raise ConnectionError("bad Sec-WebSocket-Accept")

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise ConnectionError("the WebSocket was closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send_frame(self, opcode, payload):
        header = bytearray([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        repeated = (mask * (n // 4 + 1))[:n]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big") if n else b""
        self.sock.sendall(bytes(header) + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            fin, opcode, n = b0 & 0x80, b0 & 0x0F, b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack(">H", self._read(2))
            elif n == 127:
                (n,) = struct.unpack(">Q", self._read(8))
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:  # ping
                self._send_frame(0xA, payload)
                continue
            if opcode == 0xA:  # pong
                continue
            if opcode == 0x8:
                raise ConnectionError("the WebSocket was closed by the browser")
            message += payload
            if fin:
                return message.decode("utf-8")

    def close(self):
        try:
            self._send_frame(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()


# --------------------------------------------------------------------------- DevTools protocol


class CDP:
    """Calls over one page's DevTools WebSocket; keeps the events the test looks at."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.exceptions = []
        self.console_errors = []
        self.api_statuses = []  # (url, status)

    def _event(self, msg):
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = params.get("exceptionDetails", {})
            self.exceptions.append((d.get("exception") or {}).get("description") or d.get("text"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Network.responseReceived":
            r = params.get("response", {})
            if "/api/v1/" in r.get("url", ""):
                self.api_statuses.append((r["url"], r.get("status")))

    def call(self, method, params=None):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params or {}}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self._event(msg)

    def evaluate(self, expression, await_promise=False):
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise}
        )
        if "exceptionDetails" in result:
            raise RuntimeError("JavaScript failed: " + json.dumps(result["exceptionDetails"])[:500])
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=20, what=None):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = self.evaluate(expression)
            except RuntimeError:  # e.g. the page is still loading
                last = None
            if last:
                return last
            time.sleep(0.2)
        raise TimeoutError(f"timed out after {timeout}s waiting for {what or expression}")

    def navigate(self, url):
        self.call("Page.navigate", {"url": url})

    def screenshot(self, path, width, mobile=False):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900 if not mobile else 844, "deviceScaleFactor": 1, "mobile": mobile},
        )
        time.sleep(0.6)
        height = self.evaluate("Math.ceil(document.documentElement.scrollHeight)")
        height = max(600, min(int(height or 900), 6000))
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        time.sleep(0.8)
        shot = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900 if not mobile else 844, "deviceScaleFactor": 1, "mobile": mobile},
        )


def find_chromium(explicit):
    for name in [explicit, os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "chrome"]:
        if name and shutil.which(name):
            return shutil.which(name)
    sys.exit("chromium was not found (apt-get install chromium, or pass --chromium)")


def launch_browser(binary, profile):
    args = [
        binary,
        "--headless=new",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        "--hide-scrollbars",
        "--mute-audio",
        "--window-size=1280,900",
        "about:blank",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(1, "--no-sandbox")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("chromium exited early: " + proc.stderr.read().decode(errors="replace")[-2000:])
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if lines:
                port = int(lines[0])
                for _ in range(50):
                    try:
                        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2))
                        pages = [t for t in targets if t.get("type") == "page"]
                        if pages:
                            return proc, pages[0]["webSocketDebuggerUrl"]
                    except (OSError, ValueError):
                        pass
                    time.sleep(0.1)
        time.sleep(0.1)
    proc.kill()
    sys.exit("chromium did not open its DevTools port")


# --------------------------------------------------------------------------- the test


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   - {name}")
        else:
            self.failed += 1
            print(f"FAIL - {name}" + (f": {detail}" if detail else ""))
        sys.stdout.flush()
        return ok


def parse_number(text):
    """'1,234' → 1234, '95.12%' → 95.12, '$0.1234' → 0.1234, '—' → None; with its decimals."""
    text = (text or "").strip()
    m = re.search(r"-?[\d,]*\.?\d+", text)
    if not m or "—" in text:
        return None, 0
    raw = m.group(0).replace(",", "")
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return float(raw), decimals


def matches(shown, expected):
    value, decimals = parse_number(shown)
    if expected is None:
        return value is None
    if value is None:
        return False
    return abs(value - expected) <= 0.5 * 10 ** (-decimals) + 1e-9


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url", help="the running server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--artifacts", default="artifacts", help="where screenshots go")
    parser.add_argument("--chromium", help="the browser binary (default: chromium on PATH)")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    results = Results()

    def api(path, method="GET", body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(base + "/api/v1" + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            return json.load(e)

    # The page and its assets are served by the service itself.
    with urllib.request.urlopen(base + "/", timeout=30) as r:
        html = r.read().decode()
        results.check(r.status == 200 and "text/html" in r.headers.get("Content-Type", ""), "GET / serves the dashboard")
        etag = r.headers.get("ETag")
    req = urllib.request.Request(base + "/", headers={"If-None-Match": etag or '"none"'})
    try:
        urllib.request.urlopen(req, timeout=30)
        results.check(False, "GET / answers 304 to its ETag")
    except urllib.error.HTTPError as e:
        results.check(e.code == 304, "GET / answers 304 to its ETag", f"status {e.code}")
    for asset, kind in [("app.js", "javascript"), ("style.css", "text/css"), ("vendor/chart.umd.min.js", "javascript")]:
        with urllib.request.urlopen(f"{base}/dashboard/{asset}", timeout=30) as r:
            results.check(kind in r.headers.get("Content-Type", ""), f"/dashboard/{asset} has its content type")
    for bad in ["/dashboard/../Package.swift", "/dashboard/%2e%2e/%2e%2e/etc/passwd", "/dashboard/.hidden", "/dashboard/vendor/../../DashboardRoutes.swift"]:
        try:
            # Sent byte for byte (a browser or urllib would normalise the dots away).
            u = urllib.parse.urlparse(base)
            conn = socket.create_connection((u.hostname, u.port or 80), timeout=10)
            conn.sendall(f"GET {bad} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                reply += chunk
            conn.close()
            status = int(reply.split(b" ", 2)[1])
            results.check(status == 404, f"path traversal {bad} is refused", f"status {status}")
        except OSError as e:
            results.check(False, f"path traversal {bad} is refused", str(e))
    results.check("chart.umd.min.js" in html, "the page loads the vendored Chart.js")

    # Budgets of a role (the first agent's) and of the fleet, set before any page is opened. Each
    # is sized from what is already spent so its gauge has something to show (the role's past its
    # 50 % threshold, so the probe metric below raises a role budget alert).
    agents = api("/agents")["data"]
    budget_role = agents[0]["role"]
    role_budget_path = f"/roles/{urllib.parse.quote(budget_role, safe='')}/budget"

    def put_budget(path, thresholds, period, hard, share):
        body = {"total_budget_usd": 1000, "period": period, "thresholds": thresholds, "hard": hard}
        first = api(path, "PUT", body)
        used = (first.get("data") or {}).get("used_usd") or 0
        body["total_budget_usd"] = round(max(used / share, 1.0), 2)
        return api(path, "PUT", body)

    role_budget = put_budget(role_budget_path, [50, 80, 100], "monthly", True, 0.6)
    results.check(role_budget.get("success") is True and role_budget["data"].get("thresholds") == [50, 80, 100]
                  and role_budget["data"].get("hard") is True,
                  f"PUT {role_budget_path} sets a role budget", json.dumps(role_budget)[:300])
    fleet_budget = put_budget("/fleet/budget", [50, 90, 120], "weekly", False, 0.4)
    results.check(fleet_budget.get("success") is True and fleet_budget["data"].get("scope") == "fleet",
                  "PUT /fleet/budget sets a fleet budget", json.dumps(fleet_budget)[:300])

    summary_api = api("/metrics/summary")["data"]
    active = api("/metrics/alerts?status=active&limit=1000")
    if not active["data"]:
        print("the dataset has no active alert; seed it with `metrics-service seed-demo`")
    profile = tempfile.mkdtemp(prefix="dashboard-chromium-")
    browser, ws_url = launch_browser(find_chromium(args.chromium), profile)
    ws = None
    try:
        ws = WebSocket(ws_url)
        cdp = CDP(ws)
        for domain in ["Page", "Runtime", "Network"]:
            cdp.call(domain + ".enable")
        cdp.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

        def check_budget_panel(panel_id, path, label):
            """A budget panel against GET path: the gauge's utilization, one threshold mark per
            threshold up to 100 % where the arc is (angle and radius), the forecast, the hard badge."""
            sel = f"#{panel_id}"
            try:
                cdp.wait_for(f"!!document.querySelector('{sel} [data-testid=budget-utilization] b')", 15, f"the {label} gauge")
            except TimeoutError as e:
                results.check(False, f"the {label} gauge is shown", str(e))
                return
            read = """(() => {
              const p = document.querySelector(%s);
              const text = (q) => { const e = p.querySelector(q); return e ? e.textContent : null; };
              const canvas = p.querySelector('canvas');
              const ch = canvas && window.Chart && Chart.getChart(canvas);
              const arc = ch && ch.getDatasetMeta(0).data[0];
              const c = canvas ? canvas.getBoundingClientRect() : { left: 0, top: 0 };
              const cx = c.left + (arc ? arc.x : 0), cy = c.top + (arc ? arc.y : 0);
              return {
                util: text('[data-testid=budget-utilization] b'),
                projected: text('[data-testid=budget-forecast] [data-testid=forecast-utilization]'),
                forecast: text('[data-testid=budget-forecast]'),
                exhausted: !!p.querySelector('[data-testid=budget-forecast] [data-testid=forecast-exhausted]'),
                hard: !!p.querySelector('[data-testid=budget-hard]'),
                thresholds: text('[data-testid=budget-thresholds]'),
                chart: !!arc, inner: arc ? arc.innerRadius : 0, outer: arc ? arc.outerRadius : 0,
                error: !p.querySelector('.panel-error').hidden,
                marks: [...p.querySelectorAll('[data-testid=threshold-mark]')].map((m) => {
                  const r = m.getBoundingClientRect();
                  const x = r.left + r.width / 2 - cx, y = r.top + r.height / 2 - cy;
                  return { t: Number(m.dataset.threshold), label: m.getAttribute('aria-label'),
                           angle: Math.atan2(y, x) * 180 / Math.PI, dist: Math.hypot(x, y) };
                }),
              };
            })()""" % json.dumps(sel)
            # The forecast moves with the clock (and the page polls every 5 s): compare with the
            # API read just before or just after the page.
            for _ in range(8):
                before = api(path)["data"]
                shown = cdp.evaluate(read)
                after = api(path)["data"]
                fc = [(b["forecast"] or {}).get("projected_utilization_percent") for b in (before, after)]
                util_ok = matches(shown["util"], before["utilization_percent"]) or matches(shown["util"], after["utilization_percent"])
                fc_ok = after["forecast"] is not None and (matches(shown["projected"], fc[0]) or matches(shown["projected"], fc[1]))
                if util_ok and fc_ok:
                    break
                time.sleep(1.5)
            b = after
            results.check(util_ok, f"the {label} gauge shows the API's utilization", f"{shown['util']!r} vs {b['utilization_percent']}")
            results.check(shown["chart"] and not shown["error"], f"the {label} gauge is a Chart.js chart")
            on_arc = [t for t in b["thresholds"] if t <= 100]
            results.check([m["t"] for m in shown["marks"]] == on_arc and [m["label"] for m in shown["marks"]] == [f"threshold {t:g}%" for t in on_arc],
                          f"the {label} gauge has one threshold mark per threshold up to 100% ({', '.join(f'{t:g}' for t in on_arc)})",
                          json.dumps(shown["marks"]))
            misplaced = [m for m in shown["marks"]
                         if abs(((m["angle"] - (180 + 1.8 * m["t"])) % 360 + 540) % 360 - 180) > 3
                         or not shown["inner"] - 2 <= m["dist"] <= shown["outer"] + 2]
            results.check(shown["chart"] and not misplaced, f"the {label} threshold marks sit on the arc at their percentages",
                          json.dumps(misplaced)[:400])
            above = [t for t in b["thresholds"] if t > 100]
            results.check(all(f"{t:g}%" in (shown["thresholds"] or "") for t in b["thresholds"]),
                          f"the {label} lists every threshold" + (f" (also {', '.join(f'{t:g}%' for t in above)}, off the gauge)" if above else ""),
                          repr(shown["thresholds"]))
            results.check(fc_ok, f"the {label} forecast shows the API's projected utilization",
                          f"{shown['projected']!r} vs {fc}")
            results.check(shown["exhausted"] == (b["forecast"] is not None and b["forecast"]["exhausted_at"] is not None),
                          f"the {label} forecast says when it runs out exactly when the API has a date",
                          f"{shown['forecast']!r}, exhausted_at {(b['forecast'] or {}).get('exhausted_at')}")
            results.check(shown["hard"] == b["hard"], f"the {label} shows its hard limit as the API says ({b['hard']})")

        # ---- overview: summary cards equal the API
        cdp.navigate(base + "/#/")
        cdp.wait_for("document.body.dataset.ready === '1'", 30, "the summary cards")
        cards = ["total_operations", "success_rate", "total_cost_usd", "avg_quality_score", "active_alerts", "pending_recommendations"]

        def read_cards():
            return cdp.evaluate(
                "Object.fromEntries(%s.map(k => [k, (document.querySelector(`[data-testid=card-${k}] .card-value`) || {}).textContent]))"
                % json.dumps(cards)
            )

        def expected_cards(s):
            return {
                "total_operations": s["last_24h"]["total_operations"],
                "success_rate": s["last_24h"]["success_rate"],
                "total_cost_usd": s["last_24h"]["total_cost_usd"],
                "avg_quality_score": s["last_24h"]["avg_quality_score"],
                "active_alerts": s["active_alerts"],
                "pending_recommendations": s["pending_recommendations"],
            }

        # The 24 h window slides: compare with the API read just before or just after the DOM.
        mismatches = None
        for _ in range(4):
            before = expected_cards(api("/metrics/summary")["data"])
            shown = read_cards()
            after = expected_cards(api("/metrics/summary")["data"])
            mismatches = [k for k in cards if not (matches(shown.get(k), before[k]) or matches(shown.get(k), after[k]))]
            if not mismatches:
                break
            time.sleep(5.5)
        for k in cards:
            results.check(k not in mismatches, f"card {k} shows the API's value", f"shown {shown.get(k)!r}, API {after[k]!r}")

        recs = api("/metrics/recommendations/cost")
        shown_savings = cdp.wait_for(
            "(document.querySelector('[data-testid=total-savings] .savings-value') || {}).textContent", 15, "savings"
        )
        results.check(matches(shown_savings, recs["total_potential_savings"]), "total potential savings equal the API",
                      f"shown {shown_savings!r}, API {recs['total_potential_savings']}")
        shown_recs = cdp.evaluate("document.querySelectorAll('#recommendations .rec').length")
        results.check(shown_recs == recs["count"], "every recommendation is listed", f"{shown_recs} vs {recs['count']}")

        # ---- the chart: one point per bucket of the API's answer, and the granularity switch
        today = dt.datetime.now(dt.timezone.utc).date()
        window = f"start_date={today - dt.timedelta(days=29)}T00:00:00Z&end_date={today}T23:59:59Z"
        chart_points = "(() => { const c = document.querySelector('.panel-chart canvas'); const ch = c && window.Chart && Chart.getChart(c); return ch ? ch.data.labels.length : 0; })()"
        day_count = api(f"/metrics/aggregate/timeseries?granularity=day&{window}")["count"]
        n = cdp.wait_for(chart_points, 15, "the chart")
        results.check(n == day_count, "the chart has one point per day bucket", f"{n} vs {day_count}")
        week_count = api(f"/metrics/aggregate/timeseries?granularity=week&{window}")["count"]
        cdp.evaluate("document.querySelector('.panel-chart [data-granularity=week]').click()")
        try:
            cdp.wait_for(f"{chart_points} === {week_count}", 10, "the weekly chart")
            results.check(True, "the granularity switch redraws the chart by week")
        except TimeoutError as e:
            results.check(False, "the granularity switch redraws the chart by week", str(e))
        cdp.evaluate("document.querySelector('.panel-chart [data-granularity=day]').click()")
        cdp.wait_for(f"{chart_points} === {day_count}", 10, "the daily chart")

        results.check(cdp.evaluate("document.querySelectorAll('#insights .insight').length") == 5, "the five performance insights are shown")

        # ---- the fleet budget on the overview (thresholds 50, 90 and 120: two marks on the arc)
        check_budget_panel("fleet-budget", "/fleet/budget", "fleet budget")

        # ---- screenshot of the overview at desktop width
        cdp.evaluate("window.scrollTo(0, 0)")
        cdp.screenshot(os.path.join(args.artifacts, "dashboard-desktop.png"), 1280)

        # ---- live: a metric recorded now shows up without a reload; polls revalidate with 304
        probe_agent = agents[0]["id"]
        now_iso = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        posted = api("/metrics", "POST", {"agent_id": probe_agent, "operation_type": "dashboard_probe", "timestamp": now_iso,
                                            "execution_time_ms": 120, "tokens_used": 10, "success": True, "cost_usd": 0.0001})
        results.check(posted.get("accepted") == 1, "a probe metric is recorded", json.dumps(posted)[:200])
        target = api("/metrics/summary")["data"]["last_24h"]["total_operations"]
        try:
            cdp.wait_for(
                f"(document.querySelector('[data-testid=card-total_operations] .card-value') || {{}}).textContent.replace(/,/g, '') === '{target}'",
                15, "the new total")
            results.check(True, "the page updates by itself after a write (polling)")
        except TimeoutError:
            results.check(False, "the page updates by itself after a write (polling)", f"expected {target}")
        time.sleep(5.5)  # one more poll with nothing new
        cdp.evaluate("1")
        not_modified = [u for u, s in cdp.api_statuses if s == 304]
        results.check(len(not_modified) > 0, "polls send If-None-Match and get 304", f"{len(cdp.api_statuses)} API answers, none 304")

        # ---- an agent page, reached by clicking an agent name; acknowledge an alert there
        if active["data"]:
            alert = active["data"][0]
            agent_id, alert_id = alert["agent_id"], alert["id"]
            link = f"a.agent-link[href='#/agent/{agent_id}']"
            cdp.wait_for(f"!!document.querySelector(\"{link}\")", 10, "a link to the agent")
            cdp.evaluate(f"document.querySelector(\"{link}\").click()")
            name = alert["agent_name"]
            try:
                cdp.wait_for(f"(document.getElementById('page-title') || {{}}).textContent.startsWith({json.dumps(name)})", 15, "the agent page")
                results.check(True, f"clicking {name} opens its agent page")
            except TimeoutError as e:
                results.check(False, f"clicking {name} opens its agent page", str(e))
            by_agent = api(f"/metrics/aggregate/by-agent/{agent_id}?{window}")["data"]
            shown_tasks = cdp.wait_for("(document.querySelector('[data-testid=card-tasks] .card-value') || {}).textContent", 15, "tasks")
            results.check(matches(shown_tasks, by_agent["tasks"]["total"]), "the agent's task count equals the API", f"{shown_tasks!r} vs {by_agent['tasks']['total']}")
            shown_trend = cdp.wait_for("(document.querySelector('#trends tr[data-metric=execution_time] [data-trend]') || {}).dataset?.trend", 15, "trends")
            shown_p = cdp.evaluate("(document.querySelector('#trends tr[data-metric=execution_time] [data-testid=p-value]') || {}).textContent")
            # Ask the API exactly what the page asked (the same as_of), as seen on the wire.
            asked = [u for u, _ in cdp.api_statuses if f"/metrics/trends/execution_time?agent_id={agent_id}&" in u]
            if asked:
                with urllib.request.urlopen(asked[-1], timeout=30) as r:
                    trend = json.load(r)["data"]
            else:
                trend = api(f"/metrics/trends/execution_time?agent_id={agent_id}&lookback_days=30")["data"]
            results.check(shown_trend == trend["trend"], "the execution-time trend label equals the API", f"{shown_trend} vs {trend['trend']}")
            try:
                p_ok = (shown_p.strip() == "—") if trend["p_value"] is None else abs(float(shown_p) - trend["p_value"]) <= 0.006 * abs(trend["p_value"])
            except (TypeError, ValueError, AttributeError):
                p_ok = False
            results.check(p_ok, "the trend's p-value equals the API", f"shown {shown_p!r}, API {trend['p_value']}")
            budget = api(f"/agents/{agent_id}/budget")
            if budget.get("success"):
                shown_util = cdp.wait_for("(document.querySelector('[data-testid=budget-utilization] b') || {}).textContent", 15, "the budget gauge")
                results.check(matches(shown_util, budget["data"]["utilization_percent"]), "the budget gauge shows the API's utilization", f"{shown_util!r} vs {budget['data']['utilization_percent']}")
                results.check(cdp.evaluate("!!(window.Chart && Chart.getChart(document.querySelector('#budget canvas')))"), "the budget gauge is a Chart.js chart")
            results.check(cdp.evaluate("document.querySelectorAll('#percentiles tbody tr').length") == 4, "the agent's percentiles are shown")

            row = f"#agent-alerts li.alert[data-alert-id='{alert_id}']"
            cdp.wait_for(f"!!document.querySelector(\"{row} button[data-action=acknowledge]\")", 15, "the Acknowledge button")
            cdp.evaluate(f"document.querySelector(\"{row} button[data-action=acknowledge]\").click()")
            try:
                cdp.wait_for(f"(document.querySelector(\"{row} .alert-status\") || {{}}).textContent === 'acknowledged'", 15, "the new status")
                results.check(True, f"Acknowledge on alert #{alert_id} shows 'acknowledged'")
            except TimeoutError as e:
                results.check(False, f"Acknowledge on alert #{alert_id} shows 'acknowledged'", str(e))
            status = api(f"/metrics/alerts/{alert_id}")["data"]["status"]
            results.check(status == "acknowledged", "the API agrees the alert is acknowledged", status)
            time.sleep(1.0)
            still = cdp.evaluate(f"(document.querySelector(\"{row} .alert-status\") || {{}}).textContent")
            results.check(still == "acknowledged" and not cdp.evaluate(f"!!document.querySelector(\"{row} button[data-action=acknowledge]\")"),
                          "after the refresh the row stays acknowledged without an Acknowledge button", repr(still))
            cdp.screenshot(os.path.join(args.artifacts, "dashboard-agent.png"), 1280)

            # The role page, from the agent's role chip.
            cdp.evaluate("document.querySelector('#page-role a.role-link').click()")
            role = next(a["role"] for a in agents if a["id"] == agent_id)
            by_role = api(f"/metrics/aggregate/by-role/{urllib.parse.quote(role)}?{window}")["data"]
            shown_role_tasks = cdp.wait_for("(document.querySelector('[data-testid=card-total_tasks] .card-value') || {}).textContent", 15, "the role page")
            results.check(matches(shown_role_tasks, by_role["summary"]["total_tasks"]), f"the role page of {role} shows its task count", f"{shown_role_tasks!r}")
            if role != budget_role:
                # No budget (a 404) is a normal state: no error in the panel, the page stays live.
                try:
                    cdp.wait_for("!!document.querySelector('#role-budget [data-testid=no-budget]')", 15, "the role's empty budget panel")
                    no_error = cdp.evaluate("document.querySelector('#role-budget .panel-error').hidden")
                    results.check(no_error, f"role {role} without a budget shows 'no budget', not an error")
                except TimeoutError as e:
                    results.check(False, f"role {role} without a budget shows 'no budget', not an error", str(e))
                time.sleep(5.5)  # one more poll
                live = cdp.evaluate("document.getElementById('live').classList.contains('live-error') ? document.querySelector('#live .live-text').textContent : ''")
                results.check(live == "", f"the live status stays 'Live' on role {role} without a budget", repr(live))
        else:
            results.check(False, "an active alert to acknowledge exists in the dataset")

        # ---- the role budget, on the page of the role it was set for
        cdp.evaluate(f"location.hash = {json.dumps('#/role/' + urllib.parse.quote(budget_role, safe=''))}")
        cdp.wait_for(f"(document.getElementById('page-title') || {{}}).textContent === {json.dumps(budget_role)}", 15, "the budget role's page")
        check_budget_panel("role-budget", role_budget_path, f"role {budget_role} budget")
        cdp.evaluate("window.scrollTo(0, 0)")
        cdp.screenshot(os.path.join(args.artifacts, "dashboard-role.png"), 1280)

        # ---- a role budget alert (raised by the probe metric) is listed with its role
        scoped = [a for a in api("/metrics/alerts?status=active&limit=1000")["data"] if a.get("budget_scope") == "role"]
        if scoped:
            a = scoped[0]
            cdp.evaluate("location.hash = '#/alerts'")
            tag = f"#alerts li.alert[data-alert-id='{a['id']}'] [data-testid=budget-scope]"
            try:
                shown_tag = cdp.wait_for(f"(document.querySelector(\"{tag}\") || {{}}).textContent", 15, "the role budget alert")
                results.check(shown_tag == f"role {a['budget_role']}", f"role budget alert #{a['id']} ({a['type']}) is tagged 'role {a['budget_role']}'", repr(shown_tag))
            except TimeoutError as e:
                results.check(False, f"role budget alert #{a['id']} is tagged with its role", str(e))
        else:
            print(f"(no active role budget alert to look at: role {budget_role} has spent nothing this month)")

        # ---- phone width: no horizontal overflow, cards stacked, screenshot
        cdp.call("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        cdp.navigate("about:blank")
        cdp.wait_for("location.href === 'about:blank'", 10, "a blank page")
        cdp.navigate(base + "/#/")
        cdp.wait_for("document.body.dataset.ready === '1'", 30, "the phone layout")
        time.sleep(1.0)
        overflow = cdp.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        results.check(overflow is not None and overflow <= 0, "no horizontal scrolling at 390 px", f"{overflow}px too wide")
        cdp.screenshot(os.path.join(args.artifacts, "dashboard-phone.png"), 390, mobile=True)

        results.check(not cdp.exceptions, "no uncaught JavaScript exceptions", "; ".join(map(str, cdp.exceptions))[:500])
        results.check(not cdp.console_errors, "no console errors", "; ".join(cdp.console_errors)[:500])
    except Exception as e:  # a failure of the harness counts as a failed check
        results.check(False, "the browser session ran to the end", f"{type(e).__name__}: {e}")
    finally:
        if ws:
            ws.close()
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)

    for name in ["dashboard-desktop.png", "dashboard-phone.png"]:
        path = os.path.join(args.artifacts, name)
        results.check(os.path.exists(path) and os.path.getsize(path) > 10_000, f"screenshot {path} saved")
    print(f"{results.passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
