# Shared helpers of the fault-injection scripts (sourced). Expects $bin and $work to be set.

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server DIR PORT LOGFILE: starts the service in the background, sets $server_pid, waits for /healthz.
start_server() {
    local dir=$1 port=$2 logfile=$3
    "$bin" serve --data-dir "$dir" --port "$port" --no-scheduler --log-level warning >>"$logfile" 2>&1 &
    server_pid=$!
    for _ in $(seq 300); do
        if curl -sf --max-time 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "the server exited at start; its log:" >&2
            tail -20 "$logfile" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "the server did not answer /healthz within 30 s" >&2
    return 1
}

stop_server() {
    if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
}

# register_agents PORT N [BUDGET_USD]: agents 1..N (idempotent), each with a `total` budget.
register_agents() {
    local port=$1 n=$2 budget=${3:-1000000} i
    for i in $(seq "$n"); do
        curl -sf --max-time 10 -X POST "http://127.0.0.1:$port/api/v1/agents" -H 'Content-Type: application/json' \
            -d "{\"id\": $i, \"name\": \"fault-agent-$i\", \"role\": \"role-$((i % 3))\"}" >/dev/null
        curl -sf --max-time 10 -X PUT "http://127.0.0.1:$port/api/v1/agents/$i/budget" \
            -H 'Content-Type: application/json' \
            -d "{\"total_budget_usd\": $budget, \"period\": \"total\"}" >/dev/null
    done
}
