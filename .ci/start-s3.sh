#!/usr/bin/env bash
# Starts a local S3-compatible server (moto, from PyPI) for the msme-blob S3 suite.
#
#   eval "$(bash .ci/start-s3.sh)"    # sets MSME_TEST_S3_ENDPOINT in the calling shell
#
# Idempotent: if a moto server already answers on the port, it does nothing but print the
# export line. Progress goes to stderr; stdout carries only the export line. The server keeps
# running in the background (its pid in $TMPDIR/msme-moto-<port>.pid, its log beside it).
set -euo pipefail

port="${MSME_TEST_S3_PORT:-5055}"
endpoint="http://127.0.0.1:${port}"
moto_version="5.2.1" # works on Python 3.11
state_dir="${TMPDIR:-/tmp}"
log="${state_dir}/msme-moto-${port}.log"
pidfile="${state_dir}/msme-moto-${port}.pid"

say() { echo "start-s3: $*" >&2; }

# True when a moto (S3) server answers on the port: GET / is S3's ListBuckets.
answering() {
  python3 - "$endpoint" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/", timeout=2) as r:
    sys.exit(0 if b"ListAllMyBucketsResult" in r.read() else 1)
PY
}

if answering; then
  say "S3 server already answering at ${endpoint}"
else
  if ! python3 -c 'import moto.server, flask, flask_cors' 2>/dev/null; then
    say "installing moto[server]==${moto_version} from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check "moto[server]==${moto_version}" ||
      python3 -m pip install --quiet --disable-pip-version-check --break-system-packages \
        "moto[server]==${moto_version}"
  fi
  say "starting moto on ${endpoint} (log: ${log})"
  # setsid + nohup: the server outlives this script and the shell that ran it.
  setsid nohup python3 -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 60); do
    answering && break
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      say "moto exited; its log:"; cat "$log" >&2; exit 1
    fi
    sleep 0.5
  done
  if ! answering; then
    say "moto did not answer within 30 s; its log:"; cat "$log" >&2; exit 1
  fi
  say "moto is up (pid $(cat "$pidfile"))"
fi

echo "export MSME_TEST_S3_ENDPOINT=${endpoint}"
