#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: installs Debian's docker.io
# when dockerd is missing and starts it without the default bridge, so nothing a test runs
# can reach a private network.
set -euo pipefail

socket=/var/run/docker.sock
log=${DOCKERD_LOG:-/tmp/agent-containers-dockerd.log}

engine_answers() {
    curl -sf --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1
}

if engine_answers; then
    echo "docker: engine already running"
    exit 0
fi

if ! command -v dockerd >/dev/null; then
    echo "docker: installing docker.io from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq docker.io >/dev/null
fi

# A daemon killed in an earlier run leaves its pid file and socket behind.
pidfile=/var/run/docker.pid
if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    rm -f "$pidfile" "$socket"
fi
if ! pgrep -x containerd >/dev/null && [ -S /run/containerd/containerd.sock ]; then
    rm -f /run/containerd/containerd.sock
fi

echo "docker: starting dockerd (log: $log)"
setsid nohup dockerd --bridge=none --iptables=false --ip-masq=false >"$log" 2>&1 </dev/null &

for _ in $(seq 1 60); do
    if engine_answers; then
        echo "docker: engine up, API $(curl -sf --unix-socket "$socket" http://localhost/version |
            sed -n 's/.*"ApiVersion":"\([^"]*\)".*/\1/p')"
        exit 0
    fi
    sleep 1
done
echo "docker: engine did not answer within 60 s; last lines of $log:" >&2
tail -n 20 "$log" >&2
exit 1
