#!/usr/bin/env bash
# Alert email against a real SMTP server: a Python virtual environment with aiosmtpd from PyPI runs
# an SMTP server on loopback (scripts/email/smtp_sink.py); a fresh release server mails its alert
# transitions there (--email ...,min=warning), beside a second --email target whose server is dead
# (nothing listens on its port), which must delay nothing. A role budget with thresholds 50/80/100
# is pushed over all three: the info alert is not mailed, the warning and critical ones are, then
# an acknowledgement. Prints `N passed, M failed`.
#
# Env: METRICS_SERVICE_BIN (default .build/release/metrics-service), EMAIL_VENV (default
# .build-email-venv, reused between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release)" >&2; exit 2; }
venv=${EMAIL_VENV:-.build-email-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import aiosmtpd" 2> /dev/null || "$venv/bin/pip" install --quiet aiosmtpd
work=$(mktemp -d)
server=
sink=
cleanup() {
    [ -n "$server" ] && kill "$server" 2> /dev/null || true
    [ -n "$sink" ] && kill "$sink" 2> /dev/null || true
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
. scripts/fault/common.sh
smtp=$(free_port)
dead=$(free_port)
port=$(free_port)
"$venv/bin/python" scripts/email/smtp_sink.py "$smtp" "$work/mail.jsonl" > "$work/sink.log" 2>&1 &
sink=$!
for _ in $(seq 100); do grep -q ready "$work/sink.log" 2> /dev/null && break; sleep 0.1; done
"$bin" serve --data-dir "$work/data" --port "$port" --no-scheduler --log-level warning \
    --email "smtp://127.0.0.1:$dead,from=alerts@fleet.test,to=nobody@fleet.test" \
    --email "smtp://127.0.0.1:$smtp,from=alerts@fleet.test,to=ops@fleet.test,to=lead@fleet.test,min=warning" \
    --public-url "http://dash.example.test" > "$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port/api/v1"
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break; sleep 0.1; done
json() { curl -sf -X "$1" "$base$2" -H 'Content-Type: application/json' -d "$3"; }
json POST /agents '{"name": "mailer-1", "role": "dev"}' > /dev/null
json PUT /roles/dev/budget '{"total_budget_usd": 10, "thresholds": [50, 80, 100]}' > /dev/null
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
metric() { echo "{\"agent_id\": 1, \"operation_type\": \"chat\", \"timestamp\": \"$now\", \"execution_time_ms\": 5, \"tokens_used\": 1, \"success\": true, \"cost_usd\": $1}"; }
json POST /metrics "$(metric 6)" > /dev/null   # 60 %: the 50 % threshold (info: not mailed)
json POST /metrics "$(metric 5)" > /dev/null   # 110 %: 80 % (warning) and 100 % (critical)
# The outbox delivers asynchronously: wait (up to 120 s) for the two messages, then acknowledge
# the critical alert and wait for its message.
wait_for() { for _ in $(seq 1200); do [ "$(wc -l < "$work/mail.jsonl" 2> /dev/null || echo 0)" -ge "$1" ] && return 0; sleep 0.1; done; return 1; }
wait_for 2 || true
critical=$(curl -sf "$base/metrics/alerts?severity=critical" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
json PUT "/metrics/alerts/$critical/acknowledge" '{"by": "ana"}' > /dev/null
wait_for 3 || true
python3 - "$work/mail.jsonl" << 'PY'
import email, json, sys
from email import policy

messages = [json.loads(line) for line in open(sys.argv[1])] if sys.argv[1] else []
passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    passed += ok
    failed += not ok
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f" {detail}"))

parsed = [email.message_from_string(m["data"], policy=policy.default) for m in messages]
subjects = [str(p["Subject"]) for p in parsed]
check("three messages: warning and critical raised, then the acknowledgement (the info one not mailed)",
      len(messages) == 3, f"{len(messages)}: {subjects}")
check("every message to both recipients, from the sender",
      all(m["rcpt_tos"] == ["ops@fleet.test", "lead@fleet.test"] and m["mail_from"] == "alerts@fleet.test" for m in messages),
      str([(m["mail_from"], m["rcpt_tos"]) for m in messages]))
check("subjects carry severity, message and transition",
      len(subjects) == 3 and subjects[0].startswith("[warning] Budget alert: role dev") and subjects[0].endswith("raised")
      and subjects[1].startswith("[critical]") and "acknowledged" in subjects[2], str(subjects))
bodies = [p.get_content() for p in parsed]
check("the body names the budget and links the role's dashboard page",
      all("Budget: role dev" in b and "Dashboard: http://dash.example.test/#/role/dev" in b for b in bodies), bodies[0] if bodies else "")
check("the acknowledgement names who acknowledged", len(bodies) == 3 and "acknowledged by ana" in bodies[2], bodies[2] if len(bodies) == 3 else "")
check("plain text in UTF-8 with a Message-ID and a Date",
      all(p.get_content_type() == "text/plain" and p["Message-ID"] and p["Date"] for p in parsed))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
