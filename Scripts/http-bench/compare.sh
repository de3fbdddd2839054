#!/bin/bash
# Reproduces the HTTP comparison of issue 5 on loopback: opsim's own server vs FastAPI/uvicorn,
# measured back to back in the same run (the anchors' method, shorter runs by default).
#
#   Scripts/http-bench/compare.sh [SECONDS] [LAYOUT...]
#
# Needs: wrk; a release build (swift build -c release --product opsim-bench); a Python venv with
# fastapi + uvicorn[standard] at $VENV (default /tmp/anchorvenv). Layouts: pinned (server on core 0,
# wrk -t1 on core 1) and shared (no pinning, wrk -t2). Prints one line per run and a summary table.
set -u
SECONDS_PER_RUN=${1:-10}
shift || true
LAYOUTS=${*:-pinned shared}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHAIN=${CHAIN:-$ROOT/../shared/reference/http-workload/chain.json}
VENV=${VENV:-/tmp/anchorvenv}
BENCH=$ROOT/.build/release/opsim-bench
OURS_PORT=18090
FASTAPI_PORT=18091
RESULTS=${RESULTS:-/tmp/http-compare-$(date +%s)}
mkdir -p "$RESULTS"

start_server() { # name layout
    local name=$1 layout=$2 pin="" workers=1 loops=1
    if [ "$layout" = pinned ]; then pin="taskset -c 0"; else workers=2; loops=2; fi
    if [ "$name" = opsim ]; then
        $pin "$BENCH" http-server --port $OURS_PORT --chain "$CHAIN" --loops $loops 2>/dev/null &
    else
        (cd "$ROOT/Scripts/http-bench" && CHAIN_FILE="$CHAIN" $pin "$VENV/bin/uvicorn" fastapi_app:app \
            --port $FASTAPI_PORT --workers $workers --loop uvloop --http httptools --no-access-log \
            --log-level warning >/dev/null 2>&1) &
    fi
    SERVER_PID=$!
    local port=$OURS_PORT; [ "$name" = fastapi ] && port=$FASTAPI_PORT
    for _ in $(seq 1 100); do  # wait until it answers (uvicorn imports slowly on a loaded machine)
        curl -s -o /dev/null -H 'X-API-Key: test-key' "http://127.0.0.1:$port/health" && return
        sleep 0.2
    done
    echo "server $name did not start" >&2
}

stop_server() {
    pkill -INT -P "$SERVER_PID" 2>/dev/null
    kill -INT "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    sleep 1
}

tree_cpu_ticks() { # pid -> utime+stime of the process and all its descendants, in clock ticks
    local total=0 pid
    for pid in $1 $(pgrep -P "$1"); do
        if [ "$pid" != "$1" ]; then
            total=$((total + $(tree_cpu_ticks "$pid")))
        elif [ -r /proc/$pid/stat ]; then
            total=$((total + $(awk '{print $14 + $15}' /proc/$pid/stat)))
        fi
    done
    echo $total
}

run_wrk() { # name layout path conns seconds
    local port=$OURS_PORT; [ "$1" = fastapi ] && port=$FASTAPI_PORT
    local wrkcmd="wrk -t2"; [ "$2" = pinned ] && wrkcmd="taskset -c 1 wrk -t1"
    $wrkcmd -c"$4" -d"$5"s --latency -H 'X-API-Key: test-key' "http://127.0.0.1:$port$3"
}

for layout in $LAYOUTS; do
    for path in /health /chain; do
        for conns in 64 256; do
            for round in 1 2; do
                for name in fastapi opsim; do
                    start_server $name $layout
                    run_wrk $name $layout $path $conns 3 >/dev/null  # warm-up
                    out="$RESULTS/$layout-${path#/}-$conns-$name-$round.txt"
                    cpu0=$(tree_cpu_ticks "$SERVER_PID")
                    run_wrk $name $layout $path $conns "$SECONDS_PER_RUN" > "$out"
                    cpu1=$(tree_cpu_ticks "$SERVER_PID")
                    stop_server
                    requests=$(awk '/requests in/ {print $1}' "$out")
                    cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v r="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { if (r > 0) printf "%.1f", t * 1e6 / hz / r }')
                    rps=$(awk '/Requests\/sec/ {print $2}' "$out")
                    p50=$(awk '$1=="50%" {print $2}' "$out")
                    p99=$(awk '$1=="99%" {print $2}' "$out")
                    errs=$(grep -E "Non-2xx|Socket errors" "$out" | tr '\n' ' ')
                    echo "$layout $path c=$conns round=$round $name rps=$rps p50=$p50 p99=$p99 cpu_us_per_req=$cpu_us $errs load=$(cut -d' ' -f1 /proc/loadavg)"
                done
            done
        done
    done
done | tee "$RESULTS/summary.txt"
echo "raw wrk outputs: $RESULTS"
