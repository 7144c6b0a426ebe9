#!/usr/bin/env python3
"""Hostile-client probes against metrics-service (Python 3 standard library only).

Starts the service (fresh temporary data directory, --port 0, --no-scheduler, relaxed
durability), runs each probe and prints one line per probe, `PASS name[: info]` or
`FAIL name: detail`, then `N passed, M failed`. Exits 0 only when nothing failed.
Every server and temporary directory is removed at the end, also on failure or Ctrl-C
(KEEP=1 keeps the directories, for the server logs).

Usage: scripts/hostile_check.py --bin PATH [--only NAME ...]   (normally via hostile-check.sh)
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import time

TIMEOUT = 30.0  # seconds, every socket unless a probe says otherwise
START_TIMEOUT = 60.0  # for a server to log its port and answer /healthz
IMPORT_TIMEOUT = 120.0  # for one `replay import` / `replay export` run
INT64_MAX = 9223372036854775807

BIN = None  # set in main()
WORK = None  # root temporary directory; every server's directory lives inside it
SERVERS = []  # every server started, stopped at the end


# --------------------------------------------------------------------------- helpers


def now_iso(offset_seconds=0.0):
    t = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=offset_seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def short(value, limit=240):
    """A compact one-line rendering of a body for failure details."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[:limit] + "…"


def error_of(body):
    """The `error` object of an error envelope, or {}."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"]
    return {}


class Server:
    """One `metrics-service serve` process with its own temporary directory and log file."""

    def __init__(self, args=(), data_dir=None, name="server"):
        self.dir = tempfile.mkdtemp(prefix=name + ".", dir=WORK)
        self.data_dir = data_dir or os.path.join(self.dir, "data")
        self.log_path = os.path.join(self.dir, "server.log")
        self.args = list(args)
        self.port = None
        self.proc = None

    def launch(self):
        """Starts the process without waiting for it."""
        cmd = [BIN, "serve", "--data-dir", self.data_dir, "--port", "0", "--no-scheduler"]
        if durability_supported():
            cmd += ["--durability", "relaxed"]
        cmd += self.args
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        SERVERS.append(self)
        return self

    def logged_port(self):
        match = re.search(r"listening on \S*:(\d+)|address=\S*:(\d+)\b.*listening", self.log())
        return int(match.group(1) or match.group(2)) if match else None

    def start(self):
        """Starts the process and waits until it has logged its port and /healthz answers 200."""
        self.launch()
        deadline = time.monotonic() + START_TIMEOUT
        while self.port is None:
            self.port = self.logged_port()
            if self.port is not None:
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited at start (status {self.proc.returncode}): {self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not log its port within {START_TIMEOUT:.0f} s: {self.log_tail()}")
            time.sleep(0.05)
        while True:
            status, _, _ = self.request("GET", "/healthz")
            if status == 200:
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited at start (status {self.proc.returncode}): {self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"/healthz did not answer 200 within {START_TIMEOUT:.0f} s (last: {status})")
            time.sleep(0.1)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines=3):
        return " | ".join(line.strip() for line in self.log().strip().splitlines()[-lines:])

    def death_note(self):
        """Why the process exited, from its log: the Swift runtime failure or fatal error and the
        first frame of the crashed thread outside the runtime, else the last lines."""
        log = self.log()
        match = re.search(r"Fatal error[^\n]*|Swift runtime failure[^\n*]*", log)
        if not match:
            return self.log_tail()
        note = match.group(0).strip()
        crashed = log.find("crashed:", match.end())
        if crashed >= 0:
            for line in log[crashed:].splitlines()[1:40]:
                frame = re.match(r"\s*\d+\s+(?:\[[a-z]+\]\s+)*0x[0-9a-f]+ (.+)", line)
                if frame and "[system]" not in line:
                    note += " at " + frame.group(1).replace(" in metrics-service at ", " ").strip()
                    break
        return note

    # -- HTTP

    def request(self, method, path, body=None, headers=None, key=None, timeout=TIMEOUT):
        """One request on a fresh connection: (status, headers, JSON or text). On a network error
        the status is None and the third item describes the error."""
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        if key is not None:
            hdrs["Authorization"] = f"Bearer {key}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            raw_body = resp.read()
            resp_headers = {k.lower(): v for k, v in resp.getheaders()}
        except (OSError, http.client.HTTPException) as exc:
            return None, {}, f"no answer ({type(exc).__name__}: {exc})"
        finally:
            conn.close()
        text = raw_body.decode("utf-8", "replace")
        try:
            return resp.status, resp_headers, json.loads(text)
        except ValueError:
            return resp.status, resp_headers, text

    def connect(self, timeout=TIMEOUT):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def raw(self, data, timeout=TIMEOUT, head=False):
        """Sends raw bytes on a fresh connection and reads one HTTP response (see read_response)."""
        with self.connect(timeout) as sock:
            sock.sendall(data)
            return read_response(sock, timeout, head=head)


class RawResponse:
    def __init__(self, status, headers, body, closed):
        self.status, self.headers, self.body, self.closed = status, headers, body, closed

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None

    def __str__(self):
        return f"{self.status} {short(self.body.decode('utf-8', 'replace'))}"


class NoResponse(Exception):
    pass


def read_response(sock, timeout=TIMEOUT, head=False):
    """Reads one HTTP/1.x response from sock within `timeout` seconds overall. The body is read
    by Content-Length, chunked coding, or until the peer closes; with head=True only the headers
    are read. `closed` tells whether the peer closed the connection while we read."""
    deadline = time.monotonic() + timeout
    buf = b""
    closed = False

    def more():
        nonlocal buf, closed
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise NoResponse(f"no complete answer within {timeout:.0f} s (got {short(buf.decode('latin-1'))!r})")
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            raise NoResponse(f"no complete answer within {timeout:.0f} s (got {short(buf.decode('latin-1'))!r})")
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            closed = True
        buf += chunk
        return bool(chunk)

    while b"\r\n\r\n" not in buf:
        if not more():
            if not buf:
                raise NoResponse("the server closed the connection without an answer")
            raise NoResponse(f"the connection closed inside the headers: {short(buf.decode('latin-1'))!r}")
    head_bytes, _, rest = buf.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    match = re.match(r"HTTP/\d\.\d (\d{3})", lines[0])
    if not match:
        raise NoResponse(f"not an HTTP status line: {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    buf = rest
    if head:
        return RawResponse(int(match.group(1)), headers, b"", closed)
    if "content-length" in headers:
        length = int(headers["content-length"])
        while len(buf) < length and more():
            pass
        body = buf[:length]
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        while not re.search(rb"(^|\r\n)0\r\n(.*\r\n)?\r\n", buf, re.S) and more():
            pass
        body = decode_chunked(buf)
    else:
        while more():
            pass
        body = buf
    return RawResponse(int(match.group(1)), headers, body, closed)


def decode_chunked(data):
    body = b""
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            return body
        body, data = body + data[:size], data[size + 2 :]


_durability = None


def durability_supported():
    global _durability
    if _durability is None:
        out = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True, timeout=TIMEOUT)
        _durability = "--durability" in out.stdout + out.stderr
    return _durability


def start_server(args=(), data_dir=None, name="server"):
    return Server(args, data_dir, name).start()


def run_tool(*args, timeout=IMPORT_TIMEOUT):
    """Runs the binary with args: (returncode, stdout + stderr)."""
    out = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)
    return out.returncode, (out.stdout + out.stderr).strip()


def metric(agent_id, operation_type="probe", cost_usd=0.01, timestamp=None, **extra):
    item = {
        "agent_id": agent_id,
        "operation_type": operation_type,
        "timestamp": timestamp or now_iso(-60),
        "execution_time_ms": 12.5,
        "tokens_used": 100,
        "success": True,
        "quality_score": 80,
        "cost_usd": cost_usd,
    }
    item.update(extra)
    return item


# --------------------------------------------------------------------------- probe framework


class Probe:
    """Collects the failed checks of one probe (a probe goes on after a failed check, so one run
    reports everything that is off) and informational notes."""

    def __init__(self):
        self.failures = []
        self.notes = []

    def check(self, ok, detail):
        if not ok:
            self.failures.append(detail)
        return ok

    def status(self, got, want, what):
        """Checks a (status, headers, body) answer against a status or a tuple of statuses."""
        status, _, body = got
        wanted = want if isinstance(want, tuple) else (want,)
        if status is None:
            return self.check(False, f"{what}: {body}")
        return self.check(status in wanted, f"{what}: expected {'/'.join(map(str, wanted))}, got {status} {short(body)}")

    def note(self, text):
        self.notes.append(text)


PROBES = []


def probe(name, uses_main=True):
    def register(fn):
        PROBES.append((name, fn, uses_main))
        return fn

    return register


class Main:
    """The first server, shared by most probes; replaced when a probe kills it."""

    server = None


def register_agent(srv, name, role="hostile"):
    status, _, body = srv.request("POST", "/api/v1/agents", {"name": name, "role": role})
    if status not in (200, 201):
        raise RuntimeError(f"registering agent {name}: {status} {short(body)}")
    return body["data"]["id"]


# --------------------------------------------------------------------------- 1. ids


@probe("agent-id-overflow")
def agent_id_overflow(p, srv):
    got = srv.request("POST", "/api/v1/agents", {"id": INT64_MAX, "name": "big", "role": "r"})
    if p.status(got, 422, "POST agent with id 2^63-1"):
        err = error_of(got[2])
        p.check(err.get("code") == "validation_failed", f"error.code {err.get('code')!r}, expected 'validation_failed'")
        p.check(err.get("field") == "id", f"error.field {err.get('field')!r}, expected 'id'")
    p.status(srv.request("POST", "/api/v1/agents", {"name": "next", "role": "r"}), 201, "POST agent without id")
    p.status(srv.request("GET", "/healthz"), 200, "GET /healthz afterwards")


# --------------------------------------------------------------------------- 2. insights


@probe("insights-does-not-stall")
def insights_does_not_stall(p, srv):
    """100,000 distinct operation types; the most expensive reads (insights, percentiles), two at a
    time and each at another as_of (so no cached answer serves them), while /healthz is polled."""
    agent = register_agent(srv, "insights-agent")
    total, batch = 100000, 10000
    for start in range(0, total, batch):
        items = [
            metric(agent, f"op_{i:06d}", timestamp=now_iso(-120 - (i % 3000)), execution_time_ms=float(i % 97))
            for i in range(start, start + batch)
        ]
        got = srv.request("POST", "/api/v1/metrics", {"metrics": items})
        if not p.status(got, 201, f"POST batch of {batch} metrics"):
            return

    results = []
    finished = []

    def reader(path, offset):
        try:
            for k in range(3):
                as_of = now_iso(-(offset + k))
                t0 = time.monotonic()
                status, _, body = srv.request("GET", f"{path}?as_of={urllib.parse.quote(as_of)}&probe={offset + k}")
                results.append((status, time.monotonic() - t0, body))
        finally:
            finished.append(path)

    workers = [
        threading.Thread(target=reader, args=("/api/v1/metrics/insights/performance", 0), daemon=True),
        threading.Thread(target=reader, args=("/api/v1/metrics/percentiles/execution_time", 10), daemon=True),
    ]
    for worker in workers:
        worker.start()
    latencies, bad_health = [], []
    while len(finished) < len(workers):
        t0 = time.monotonic()
        status, _, body = srv.request("GET", "/healthz")
        latencies.append(time.monotonic() - t0)
        if status != 200:
            bad_health.append(f"{status} {short(body, 100)}")
        time.sleep(0.02)
    for worker in workers:
        worker.join()

    durations = ", ".join(f"{d:.2f} s" for _, d, _ in results)
    max_latency = max(latencies)
    for i, (status, duration, body) in enumerate(results, 1):
        p.check(status == 200, f"read #{i}: {status} after {duration:.2f} s {short(body)}")
    p.check(not bad_health, f"/healthz during insights answered {bad_health[0] if bad_health else ''}")
    p.check(max_latency < 0.5, "a /healthz took longer than 0.5 s")
    info = f"insights and percentiles took {durations}; slowest of {len(latencies)} /healthz {max_latency:.3f} s"
    (p.failures if p.failures else p.notes).append(info)


# --------------------------------------------------------------------------- 3. cost cap


@probe("no-shared-cost-cap")
def no_shared_cost_cap(p, srv):
    """$1e9 metrics (the per-metric maximum) from five agents take the fleet past any 64-bit
    nano-dollar cap ($4.6e9 before); each agent's own all-time bound (about $2.3e9) stops only it."""
    spenders = [register_agent(srv, f"cost-agent-{i}") for i in range(5)]
    b = register_agent(srv, "cost-agent-b")
    for i, agent in enumerate(spenders):
        got = srv.request("POST", "/api/v1/metrics", metric(agent, "expensive", cost_usd=1000000000))
        p.status(got, 201, f"$1e9 metric of agent #{i + 1}")
    a = spenders[0]
    p.status(srv.request("POST", "/api/v1/metrics", metric(a, "expensive", cost_usd=1000000000)), 201, "agent A's 2nd $1e9")
    third = srv.request("POST", "/api/v1/metrics", metric(a, "expensive", cost_usd=1000000000))
    if p.status(third, 422, "agent A's 3rd $1e9 (over its own bound)"):
        field = (third[2].get("error") or {}).get("field") if isinstance(third[2], dict) else None
        p.check(field == "cost_usd", f"agent A's 3rd $1e9: error.field {field!r}, expected 'cost_usd'")
    p.status(srv.request("POST", "/api/v1/metrics", metric(a, "cheap", cost_usd=0.01)), 201, "agent A at $0.01")
    p.status(srv.request("POST", "/api/v1/metrics", metric(b, "cheap", cost_usd=0.01)), 201, "metric of agent B at $0.01")
    p.status(srv.request("GET", "/api/v1/metrics/summary"), 200, "GET /metrics/summary")


# --------------------------------------------------------------------------- 4./5. API keys


READ_KEY = "READKEY-0123456789abcdef"
WRITE_KEY = "WRITEKEY-0123456789abcdef"
ADMIN_KEY = "ADMINKEY-0123456789abcdef"


@probe("key-roles", uses_main=False)
def key_roles(p, _):
    keys = os.path.join(tempfile.mkdtemp(prefix="keys.", dir=WORK), "keys")
    with open(keys, "w") as f:
        f.write(f"read {READ_KEY}\nwrite {WRITE_KEY}\nadmin {ADMIN_KEY}\n")
    try:
        srv = start_server(["--api-keys", keys], name="keys-server")
    except RuntimeError as exc:
        p.check(False, f"serve --api-keys with read/write/admin keys: {exc}")
        return
    try:
        p.status(srv.request("GET", "/api/v1/agents", key=READ_KEY), 200, "GET /agents, read key")
        p.status(srv.request("POST", "/api/v1/agents", {"name": "k1", "role": "r"}, key=READ_KEY), 403, "POST /agents, read key")
        p.status(srv.request("POST", "/api/v1/agents", {"name": "k2", "role": "r"}, key=WRITE_KEY), 201, "POST /agents, write key")

        got = srv.request("GET", "/api/v1/admin/rules", key=ADMIN_KEY)
        if p.status(got, 200, "GET /admin/rules, admin key"):
            rules = got[2]["data"]["rules"]
            p.status(srv.request("PUT", "/api/v1/admin/rules", rules, key=WRITE_KEY), 403, "PUT /admin/rules, write key")
            p.status(srv.request("PUT", "/api/v1/admin/rules", rules, key=ADMIN_KEY), 200, "PUT /admin/rules, admin key")

        for job in ("evaluate", "retention"):
            path = f"/api/v1/admin/{job}"
            got = srv.request("POST", path, {"as_of": "9998-12-31T23:59:59Z"}, key=ADMIN_KEY)
            if p.status(got, 422, f"POST {path} as_of 9998-12-31, admin key"):
                field = error_of(got[2]).get("field")
                p.check(field == "as_of", f"POST {path} as_of 9998-12-31: error.field {field!r}, expected 'as_of'")
            p.status(srv.request("POST", path, {"as_of": now_iso()}, key=ADMIN_KEY), 200, f"POST {path} as_of now, admin key")

        p.status(srv.request("GET", "/api/v1/agents"), 401, "GET /agents without a key")
        got = srv.request("GET", "/api/v1/agents", headers={"Authorization": f"bearer {READ_KEY}"})
        p.status(got, 200, "GET /agents with `Authorization: bearer` (lower case)")
        if not srv.alive():
            p.check(False, f"the keyed server exited: {srv.death_note()}")
    finally:
        srv.stop()


@probe("empty-keys-file", uses_main=False)
def empty_keys_file(p, _):
    keys = os.path.join(tempfile.mkdtemp(prefix="keys.", dir=WORK), "empty-keys")
    with open(keys, "w") as f:
        f.write("# no keys here\n\n   \n\n")
    srv = Server(["--api-keys", keys], name="empty-keys-server").launch()
    try:
        deadline = time.monotonic() + TIMEOUT
        while srv.alive() and srv.logged_port() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if srv.alive():
            srv.port = srv.logged_port()
            if srv.port is None:
                p.check(False, f"the server neither exited nor listened within {TIMEOUT:.0f} s: {srv.log_tail()}")
            else:  # a keys file without keys was taken as "no authentication"
                status, _, _ = srv.request("GET", "/api/v1/agents")
                p.check(False, f"the server started and serves (GET /api/v1/agents without a key: {status}) instead of exiting")
            return
    finally:
        srv.stop()
    code, output = srv.proc.returncode, srv.log()
    p.check(code != 0, f"exit status {code}, expected non-zero")
    p.check(re.search(r"key", output, re.I) is not None, f"the output does not mention the keys file: {short(output)}")


# --------------------------------------------------------------------------- 6. import


class Export:
    """A real export of a small log (one agent, three metrics), built once."""

    records = None

    @classmethod
    def get(cls):
        if cls.records is None:
            srv = start_server(name="export-source")
            agent = register_agent(srv, "exported-agent")
            for i in range(3):
                got = srv.request("POST", "/api/v1/metrics", metric(agent, f"exported_{i}", cost_usd=0.25 * (i + 1)))
                if got[0] != 201:
                    raise RuntimeError(f"posting a metric for the export: {got[0]} {short(got[2])}")
            srv.stop()
            code, output = run_tool("replay", "export", "--data-dir", srv.data_dir, "--output", os.path.join(srv.dir, "export.jsonl"))
            if code != 0:
                raise RuntimeError(f"replay export failed (status {code}): {short(output)}")
            with open(os.path.join(srv.dir, "export.jsonl"), "rb") as f:
                cls.original = f.read()
            cls.records = [json.loads(line) for line in cls.original.decode().splitlines() if line.strip()]
            for r in cls.records:
                if r["type"] in ("AgentRegistered", "MetricRecorded") and "payload" not in r:
                    raise RuntimeError(f"the export has no JSON payload for event {r['sequence']}: {short(r)}")
        return [json.loads(json.dumps(r)) for r in cls.records]  # a deep copy to modify

    @staticmethod
    def metrics(records):
        return [r for r in records if r["type"] == "MetricRecorded"]


def import_file(name, content):
    """Writes content (bytes, or a list of records) and imports it into a fresh directory:
    (returncode, output, data_dir)."""
    where = tempfile.mkdtemp(prefix=f"import-{name}.", dir=WORK)
    path = os.path.join(where, "log.jsonl")
    if not isinstance(content, bytes):
        content = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in content).encode()
    with open(path, "wb") as f:
        f.write(content)
    data_dir = os.path.join(where, "data")
    code, output = run_tool("replay", "import", path, "--data-dir", data_dir)
    return code, output, data_dir


def expect_refused(p, name, records, must_mention=()):
    code, output, _ = import_file(name, records)
    if not p.check(code != 0, f"import exited {code}, expected a refusal; output: {short(output)}"):
        return
    for what, pattern in must_mention:
        p.check(re.search(pattern, output, re.I) is not None, f"the refusal does not name the {what}: {short(output)}")


@probe("import-validates-cost", uses_main=False)
def import_validates_cost(p, _):
    records = Export.get()
    bad = Export.metrics(records)[:2]
    cost_field = next(k for k in bad[0]["payload"] if k.startswith("cost"))
    for r in bad:
        r["payload"][cost_field] = INT64_MAX
    sequences = "|".join(str(r["sequence"]) for r in bad)
    expect_refused(
        p,
        "cost",
        records,
        must_mention=[("field", r"cost"), ("event", rf"\b({sequences})\b|MetricRecorded")],
    )
    p.note(f"{cost_field} = 2^63-1 in events {sequences.replace('|', ', ')}")


@probe("import-validates-agent-id", uses_main=False)
def import_validates_agent_id(p, _):
    records = Export.get()
    for r in records:
        if r["type"] in ("AgentRegistered", "MetricRecorded"):
            r["payload"]["agent_id"] = INT64_MAX
    expect_refused(p, "agent-id", records)


@probe("import-validates-unknown-agent", uses_main=False)
def import_validates_unknown_agent(p, _):
    records = Export.get()
    Export.metrics(records)[0]["payload"]["agent_id"] = 424242
    expect_refused(p, "unknown-agent", records)


@probe("import-control", uses_main=False)
def import_control(p, _):
    Export.get()
    code, output, data_dir = import_file("control", Export.original)
    if not p.check(code == 0, f"importing the unmodified export exited {code}: {short(output)}"):
        return
    code, output, _ = import_file("control-reserialized", Export.get())
    p.check(code == 0, f"importing the re-serialized unmodified export exited {code}: {short(output)}")
    try:
        srv = start_server(data_dir=data_dir, name="imported-server")
    except RuntimeError as exc:
        p.check(False, f"serving the imported directory: {exc}")
        return
    try:
        got = srv.request("GET", "/api/v1/agents")
        if p.status(got, 200, "GET /agents on the imported directory"):
            names = [a.get("name") for a in got[2].get("data", [])]
            p.check(names == ["exported-agent"], f"agents after import: {names}")
    finally:
        srv.stop()


# --------------------------------------------------------------------------- 7. HTTP hygiene


def post_head(extra, path="/api/v1/metrics"):
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{extra}\r\n").encode()


def expect_raw(p, srv, data, want, what, timeout=TIMEOUT):
    try:
        resp = srv.raw(data, timeout=timeout)
    except (NoResponse, OSError) as exc:
        p.check(False, f"{what}: {exc}")
        return None
    p.check(resp.status in want, f"{what}: expected {'/'.join(map(str, want))}, got {resp}")
    return resp


@probe("chunked-bad-coding")
def chunked_bad_coding(p, srv):
    data = post_head("Transfer-Encoding: xchunked\r\n") + b"5\r\nhello\r\n0\r\n\r\n"
    expect_raw(p, srv, data, (400, 501), "Transfer-Encoding: xchunked")


@probe("chunked-huge-size")
def chunked_huge_size(p, srv):
    data = post_head("Transfer-Encoding: chunked\r\n") + b"ffffffffffffffffff\r\n{\"a\":1}\r\n0\r\n\r\n"
    expect_raw(p, srv, data, (400,), "chunk size ffffffffffffffffff")


@probe("chunked-negative-size")
def chunked_negative_size(p, srv):
    data = post_head("Transfer-Encoding: chunked\r\n") + b"-1a\r\n{\"a\":1}\r\n0\r\n\r\n"
    expect_raw(p, srv, data, (400,), "chunk size -1a")


@probe("content-length-too-large")
def content_length_too_large(p, srv):
    data = post_head("Content-Length: 100000000\r\n") + b'{"metrics"'
    expect_raw(p, srv, data, (413,), "Content-Length 100000000 with 10 bytes sent", timeout=10)


LEVEL = re.compile(r"^\S+ (trace|debug|info|notice|warning|error|critical) ", re.M)


def error_lines(log):
    return [m.group(0) + log[m.end() : log.find("\n", m.end())] for m in LEVEL.finditer(log) if m.group(1) in ("error", "critical")]


@probe("client-closes-mid-body")
def client_closes_mid_body(p, srv):
    time.sleep(1.0)  # let the log of earlier probes' connections settle
    before = error_lines(srv.log())
    with srv.connect() as sock:
        sock.sendall(post_head("Content-Length: 1000\r\n") + b'{"metrics": [' + b" " * 87)
    time.sleep(1.0)
    p.status(srv.request("GET", "/healthz"), 200, "GET /healthz afterwards")
    time.sleep(0.5)
    new = error_lines(srv.log())[len(before) :]
    p.check(not new, f"the server logged at level error: {short(' | '.join(new), 400)}")


@probe("head-on-get")
def head_on_get(p, srv):
    for path in ("/api/v1/agents", "/healthz"):
        with srv.connect() as sock:
            sock.sendall(f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            try:
                resp = read_response(sock, head=True)
            except NoResponse as exc:
                p.check(False, f"HEAD {path}: {exc}")
                continue
            extra = resp.body
            sock.settimeout(1.0)
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    extra += chunk
            except socket.timeout:
                pass
            except ConnectionResetError:
                pass
        p.check(resp.status == 200, f"HEAD {path}: status {resp.status}, expected 200")
        p.check(
            not extra,
            f"HEAD {path}: {len(extra)} body bytes followed the headers "
            f"(Content-Length: {resp.headers.get('content-length')}): {short(extra.decode('utf-8', 'replace'), 100)}",
        )


@probe("http10-close")
def http10_close(p, srv):
    with srv.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
        try:
            resp = read_response(sock)
        except NoResponse as exc:
            p.check(False, f"GET /healthz HTTP/1.0: {exc}")
            return
        p.check(resp.status == 200, f"GET /healthz HTTP/1.0: {resp}")
        if resp.closed:
            return
        sock.settimeout(10.0)
        try:
            rest = sock.recv(65536)
        except socket.timeout:
            p.check(False, "the connection stayed open 10 s after the HTTP/1.0 answer")
            return
        except ConnectionResetError:
            rest = b""
        p.check(rest == b"", f"bytes after the answer instead of a close: {short(rest.decode('latin-1'))!r}")


@probe("parser-400-envelope")
def parser_400_envelope(p, srv):
    resp = expect_raw(p, srv, b"THIS IS NOT HTTP\r\n\r\n", (400,), "THIS IS NOT HTTP")
    if resp is None:
        return
    if not resp.body:
        p.check(False, f"the 400 has an empty body (headers: {resp.headers})")
        return
    body = resp.json()
    ok = isinstance(body, dict) and body.get("success") is False and isinstance(body.get("error"), dict)
    p.check(ok and "code" in body["error"], f"the 400 body is not the error envelope: {short(resp.body.decode('utf-8', 'replace'))}")


@probe("slowloris-healthz")
def slowloris_healthz(p, srv):
    idle = []
    try:
        for _ in range(50):
            sock = srv.connect()
            sock.sendall(b"GET /hea")
            idle.append(sock)
        time.sleep(0.5)
        t0 = time.monotonic()
        got = srv.request("GET", "/healthz")
        p.status(got, 200, f"GET /healthz beside {len(idle)} idle half-sent requests")
        p.note(f"/healthz answered in {time.monotonic() - t0:.3f} s")
    finally:
        for sock in idle:
            sock.close()


# --------------------------------------------------------------------------- runner


def run(only):
    passed = failed = 0
    for name, fn, uses_main in PROBES:
        if only and name not in only:
            continue
        p = Probe()
        srv = None
        try:
            if uses_main:
                if Main.server is None or not Main.server.alive():
                    Main.server = start_server(name="main")
                srv = Main.server
            fn(p, srv)
        except Exception as exc:  # a probe that breaks is a failed probe, with the reason
            p.check(False, f"{type(exc).__name__}: {exc}")
        if srv is not None and not srv.alive():
            p.check(False, f"the server exited (status {srv.proc.returncode}): {short(srv.death_note(), 300)}")
            Main.server = None  # the next probe starts a fresh one
        if p.failures:
            failed += 1
            print(f"FAIL {name}: {'; '.join(p.failures)}", flush=True)
        else:
            passed += 1
            print(f"PASS {name}" + (f": {'; '.join(p.notes)}" if p.notes else ""), flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    return failed


def cleanup():
    for srv in SERVERS:
        try:
            srv.stop()
        except BaseException:  # a second Ctrl-C: do not leave the process behind
            if srv.alive():
                srv.proc.kill()
    if WORK and os.path.isdir(WORK):
        if os.environ.get("KEEP") == "1":
            print(f"kept {WORK}", file=sys.stderr)
        else:
            shutil.rmtree(WORK, ignore_errors=True)


def main():
    global BIN, WORK
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="the metrics-service binary")
    parser.add_argument("--only", nargs="*", default=[], help="run only these probes")
    args = parser.parse_args()
    BIN = os.path.abspath(args.bin)
    unknown = set(args.only) - {name for name, _, _ in PROBES}
    if unknown:
        parser.error(f"unknown probes: {', '.join(sorted(unknown))}")

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    WORK = tempfile.mkdtemp(prefix="hostile-check.")
    try:
        failed = run(set(args.only))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        cleanup()
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
