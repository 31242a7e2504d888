#!/usr/bin/env bash
# A local cluster on loopback: HAProxy (least connections, health checks on /readyz, WebSocket
# timeouts) in front of N `beluga serve` workers. SIGTERM/SIGINT drains the workers, then stops
# HAProxy; nothing it started is left behind.
set -euo pipefail

usage() {
  cat >&2 <<USAGE
usage: cluster.sh --workers N --port P [--max-sessions M] [--drain-timeout S] [--host H] PIPELINE.yaml
  --workers N        beluga serve worker processes to start (default 2)
  --port P           HAProxy's port on 127.0.0.1 (required)
  --max-sessions M   admission limit per worker (beluga serve --max-sessions)
  --drain-timeout S  seconds a draining worker lets live sessions finish (default 30)
  --check-inter MS   HAProxy health-check interval in ms (default 1000)
environment: BELUGA, the beluga command (default: this checkout's CLI, else beluga on PATH)
USAGE
  exit 1
}

workers=2 port='' max_sessions='' drain=30 inter=1000 pipeline=''
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers=${2:?--workers needs a value}; shift 2 ;;
    --port) port=${2:?--port needs a value}; shift 2 ;;
    --max-sessions) max_sessions=${2:?--max-sessions needs a value}; shift 2 ;;
    --drain-timeout) drain=${2:?--drain-timeout needs a value}; shift 2 ;;
    --check-inter) inter=${2:?--check-inter needs a value}; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "cluster.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$pipeline" ] || { echo "cluster.sh: one pipeline file only (got $pipeline and $1)" >&2; usage; }; pipeline=$1; shift ;;
  esac
done
[ -n "$port" ] || { echo "cluster.sh: --port is required" >&2; usage; }
[ -n "$pipeline" ] || { echo "cluster.sh: the pipeline file is required" >&2; usage; }
[ -r "$pipeline" ] || { echo "cluster.sh: cannot read $pipeline" >&2; exit 1; }
case "$workers$port$drain$inter${max_sessions:-0}" in *[!0-9]*) echo "cluster.sh: --workers, --port, --max-sessions, --drain-timeout and --check-inter take whole numbers" >&2; exit 1 ;; esac
if ! command -v haproxy >/dev/null 2>&1; then
  echo "cluster.sh: HAProxy is not installed; install it (Debian/Ubuntu: apt-get install haproxy, macOS: brew install haproxy)" >&2
  exit 1
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -n "${BELUGA:-}" ]; then
  read -r -a beluga <<<"$BELUGA"
elif [ -f "$root/packages/core/bin/beluga.js" ]; then
  beluga=(node "$root/packages/core/bin/beluga.js")
elif [ -f "$root/packages/core/dist/cli/bin.js" ]; then
  beluga=(node "$root/packages/core/dist/cli/bin.js")
elif command -v beluga >/dev/null 2>&1; then
  beluga=(beluga)
else
  echo "cluster.sh: no beluga CLI found: run pnpm build in $root, or set BELUGA" >&2
  exit 1
fi

run=$(mktemp -d "${TMPDIR:-/tmp}/beluga-cluster.XXXXXX")
pids=() haproxy_pid=''

stop_all() {
  trap - TERM INT EXIT
  # Workers first: each stops accepting (readyz 503), drains its live sessions and exits 0.
  for pid in "${pids[@]}"; do [ "$pid" = 0 ] || kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do [ "$pid" = 0 ] || wait "$pid" 2>/dev/null || true; done
  if [ -n "$haproxy_pid" ]; then
    kill -TERM "$haproxy_pid" 2>/dev/null || true
    wait "$haproxy_pid" 2>/dev/null || true
  fi
  rm -rf "$run"
}
trap 'stop_all; exit 0' TERM INT
trap 'stop_all' EXIT

serve_args=(serve "$pipeline" --host 127.0.0.1 --port 0 --drain-timeout "$drain")
[ -z "$max_sessions" ] || serve_args+=(--max-sessions "$max_sessions")

for i in $(seq 1 "$workers"); do
  "${beluga[@]}" "${serve_args[@]}" >"$run/worker-$i.log" 2>&1 &
  pids+=("$!")
done

backends=''
for i in $(seq 1 "$workers"); do
  pid=${pids[$((i - 1))]} url=''
  for _ in $(seq 1 300); do
    url=$(grep -m1 -o 'listening http://[0-9.]*:[0-9]*' "$run/worker-$i.log" 2>/dev/null | cut -d' ' -f2 || true)
    [ -z "$url" ] || break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "cluster.sh: worker $i did not start:" >&2
    sed 's/^/  /' "$run/worker-$i.log" >&2
    exit 1
  fi
  echo "worker $i: $url (pid $pid)" >&2
  backends+="    server w$i ${url#http://}"$'\n'
done

# Least connections suits long-lived calls; a worker whose /readyz says 503 (full or draining) is
# taken out within one check interval and its live tunnels are left alone. A 503 from a worker that
# filled up between two checks is retried once on another.
# Each proxied call holds two descriptors: keep maxconn inside this shell's limit.
fds=$(ulimit -n)
[ "$fds" = unlimited ] && fds=65536
maxconn=$(((fds - 200) / 2))
[ "$maxconn" -le 10000 ] || maxconn=10000
cat >"$run/haproxy.cfg" <<CFG
global
    maxconn $maxconn
    stats socket $run/haproxy.sock mode 600 level admin

defaults
    mode http
    log global
    option dontlognull
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    timeout client-fin 5s
    timeout http-request 10s

frontend beluga
    bind 127.0.0.1:$port
    default_backend workers

backend workers
    balance leastconn
    option httpchk GET /readyz
    http-check expect status 200
    retry-on 503 conn-failure empty-response
    option redispatch 1
    retries 2
    default-server check inter ${inter} fall 1 rise 1
$backends
CFG

haproxy -f "$run/haproxy.cfg" -db >"$run/haproxy.log" 2>&1 &
haproxy_pid=$!
echo "haproxy: 127.0.0.1:$port (pid $haproxy_pid)" >&2
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$haproxy_pid" 2>/dev/null; then
    echo "cluster.sh: haproxy did not start:" >&2
    sed 's/^/  /' "$run/haproxy.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "listening http://127.0.0.1:$port"

# Stay up until a signal; a worker that dies (crash, kill -9) is reported and left out by HAProxy.
while kill -0 "$haproxy_pid" 2>/dev/null; do
  for i in "${!pids[@]}"; do
    pid=${pids[$i]}
    if [ "$pid" != 0 ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "cluster.sh: worker $((i + 1)) (pid $pid) exited" >&2
      pids[i]=0
    fi
  done
  sleep 0.5 & wait $! || true
done
echo "cluster.sh: haproxy exited" >&2
exit 1
