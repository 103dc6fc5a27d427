#!/usr/bin/env bash
# Schema-driven fuzzing of the HTTP API: every operation in /openapi.json, called anonymously and
# as a signed-in buyer, seller and admin, must answer no 5xx, only documented statuses, and bodies
# that match the documented schemas. About two minutes on two cores (the build aside).
#
#   bash .ci/schemathesis.sh
#
# Schemathesis (PyPI, pinned) goes into a venv under the user's cache dir, reused across runs.
# The server is the debug `msme` binary on a fresh demo marketplace in a temporary data
# directory; it is stopped, and the directory removed, on exit. Any failure fails the script.
#
# Knobs (environment): MSME_SCHEMATHESIS_EXAMPLES (test cases per operation and phase, default
# 15), MSME_SCHEMATHESIS_SEED (default 2026: CI runs are reproducible; change it to explore).
set -euo pipefail
cd "$(dirname "$0")/.."

st_version="4.32.5" # works on Python 3.11
venv="${XDG_CACHE_HOME:-$HOME/.cache}/msme-ci/schemathesis-${st_version}"
examples="${MSME_SCHEMATHESIS_EXAMPLES:-15}"
seed="${MSME_SCHEMATHESIS_SEED:-2026}"
demo_password="msme-demo-2026"

say() { echo "schemathesis.sh: $*" >&2; }

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "$st_version"; then
  say "installing schemathesis==${st_version} into ${venv}"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${st_version}"
fi

cargo build --quiet -p msme-cli
msme="${CARGO_TARGET_DIR:-target}/debug/msme"

work="$(mktemp -d "${TMPDIR:-/tmp}/msme-schemathesis.XXXXXX")"
server_pid=""
stop() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

data="$work/data"
"$msme" --data-dir "$data" --json init >/dev/null
demo="$("$msme" --data-dir "$data" --json demo --seed 7 --listings 30)"
json_field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval("d"+sys.argv[2]))' "$@"; }
buyer="$(json_field "$demo" '["try"]["buyer"]')"
seller="$(json_field "$demo" '["try"]["seller"]')"
"$msme" --data-dir "$data" --json serve --addr 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.log" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  line="$(head -n 1 "$work/serve.out")"
  if [[ -n "$line" ]]; then url="$(json_field "$line" '["url"]')"; break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    say "msme serve exited; its log:"; cat "$work/serve.log" >&2; exit 1
  fi
  sleep 0.1
done
[[ -n "$url" ]] || { say "msme serve printed no URL within 10 s"; exit 1; }
say "server at $url"

# A fresh access token for the account with this mobile ($2: its TOTP secret, if it has MFA).
token_of() {
  python3 - "$url" "$1" "$demo_password" "${2:-}" <<'PY'
import base64, hashlib, hmac, json, struct, sys, time, urllib.error, urllib.request
url, mobile, password, secret = sys.argv[1:]
body = {"mobile": mobile, "password": password}
if secret:  # RFC 6238: SHA-1, 6 digits, 30 s steps
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    code = struct.unpack(">I", mac[(mac[-1] & 15):][:4])[0] & 0x7FFFFFFF
    body["totp"] = f"{code % 1_000_000:06d}"
req = urllib.request.Request(
    url + "/v1/auth/login",
    data=json.dumps(body).encode(),
    headers={"Content-Type": "application/json"},
)
for attempt in range(20):  # the run before may have used up this client's sign-in budget
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            print(json.load(r)["access_token"])
            break
    except urllib.error.HTTPError as e:
        if e.code != 429 or attempt == 19:
            raise
        time.sleep(int(e.headers.get("Retry-After", "1")))
PY
}

checks="not_a_server_error,status_code_conformance,response_schema_conformance"
# Each run signs in as it is told, or not at all: no accounts of schemathesis's own making.
printf '[auth]\nauto-signup = false\n' >"$work/schemathesis.toml"
# $1: a label; the rest: extra arguments (headers, filters). One worker: CPython 3.11.7's
# ast.parse is not thread-safe ("AST constructor recursion depth mismatch", fixed in 3.11.9),
# and hypothesis parses lambdas' source as it generates.
fuzz() {
  local label="$1"; shift
  say "fuzzing as ${label}"
  (cd "$work" && "$venv/bin/schemathesis" --config-file schemathesis.toml run "$url/openapi.json" \
    --checks "$checks" \
    --max-examples "$examples" \
    --seed "$seed" \
    --phases examples,coverage,fuzzing,stateful \
    --generation-database none \
    --suppress-health-check all \
    --request-timeout 30 \
    --workers 1 \
    --no-color \
    "$@")
}

started=$SECONDS
failed=()
fuzz anonymous || failed+=(anonymous)
# These end the session of the token a run uses (signing out; an admin may disable or demote
# any account, its own too, whose id schemathesis reads from the token): the signed-in runs
# leave them out, and each is called last, on its own, with a fresh token.
enders=(/v1/auth/logout "/v1/users/{id}/disable" "/v1/users/{id}/role")
# An access token of a new admin account ($1: its number): the runs that may disable or demote
# their own account get one each. Admins sign in with an authenticator code as well.
admin_token() {
  local mobile="+91900000$((1000 + $1))" created
  created="$(echo "$demo_password" | "$msme" --data-dir "$data" --json user create \
    --name "CI Admin $1" --mobile "$mobile" --role admin --password-stdin)"
  token_of "$mobile" "$(json_field "$created" '["mfa"]["totp_secret"]')"
}
admins=0
# $1: buyer, seller or admin; $2: a label; the rest: filters.
signed_in() {
  local who="$1" label="$2" token
  shift 2
  if [[ "$who" == admin ]]; then
    admins=$((admins + 1))
    token="$(admin_token "$admins")"
  else
    token="$(token_of "${!who}")"
  fi
  fuzz "$label" -H "Authorization: Bearer ${token}" "$@" || failed+=("$label")
}
excluded=()
for path in "${enders[@]}"; do excluded+=(--exclude-path "$path"); done
for who in buyer seller admin; do signed_in "$who" "$who" "${excluded[@]}"; done
for path in "${enders[@]}"; do
  for who in buyer admin; do signed_in "$who" "$who, $path" --include-path "$path"; done
done
say "took $((SECONDS - started)) s"
if ((${#failed[@]})); then
  say "failures as: ${failed[*]}; the server's log:"
  tail -n 50 "$work/serve.log" >&2
  exit 1
fi
say "every operation passed: ${checks}"
