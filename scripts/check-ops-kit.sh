#!/usr/bin/env bash
# Checks the operations kit: systemd units, Prometheus rules and their tests, the Grafana
# dashboard and the example Airflow DAG. One line per check; exits 1 if any fails.
# Needs systemd-analyze (package systemd), promtool (package prometheus) and python3.
set -euo pipefail

cd "$(dirname "$0")/.."
MAX_EXPOSURE=2.0
UNITS=(systemd/jira-airflow-reconciler.service systemd/jira-airflow-reconciler-reconcile.service)
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass() { printf 'ok    %s\n' "$1"; }
fail() {
  printf 'FAIL  %s\n' "$1"
  sed 's/^/      /' "$2" || true
  failures=$((failures + 1))
}

for tool in systemd-analyze promtool python3; do
  if ! command -v "$tool" >/dev/null; then
    printf 'FAIL  %s is not installed (systemd-analyze: apt-get install systemd; promtool: apt-get install prometheus)\n' "$tool"
    exit 1
  fi
done

# `systemd-analyze verify` fails a unit whose ExecStart binary is missing, and /usr/bin/node may not
# exist where this runs. The arguments (/opt/.../cli.js) are never checked. So each unit is verified
# as a copy (same file name) that is unchanged when its binary exists, else runs /bin/true:
# everything but that one path is still checked. Each is verified alone and with the credentials
# drop-in. Verify exits 0 on warnings such as an unknown key, so any output counts as a failure.
verify_unit() { # unit, drop-in file or "", label
  local dir name binary note=""
  dir=$(mktemp -d "$work/verify.XXXXXX")
  name=$(basename "$1")
  binary=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$1")
  if [[ -x "$binary" ]]; then
    cp "$1" "$dir/$name"
  else
    sed "s|^ExecStart=$binary |ExecStart=/bin/true |" "$1" >"$dir/$name"
    note=" ($binary missing here: verified with ExecStart=/bin/true)"
  fi
  if [[ -n "$2" ]]; then
    mkdir "$dir/$name.d"
    cp "$2" "$dir/$name.d/$(basename "$2" .example)"
  fi
  if systemd-analyze verify "$dir/$name" >"$work/out" 2>&1 && [[ ! -s "$work/out" ]]; then
    pass "systemd-analyze verify $3$note"
  else
    fail "systemd-analyze verify $3$note" "$work/out"
  fi
}

for unit in "${UNITS[@]}"; do
  name=$(basename "$unit")
  verify_unit "$unit" "" "$name"
  verify_unit "$unit" systemd/credentials.conf.example "$name + credentials.conf drop-in"

  if systemd-analyze security --offline=true "$unit" >"$work/out" 2>&1; then
    exposure=$(sed -n 's/.*Overall exposure level for .*: \([0-9][0-9.]*\).*/\1/p' "$work/out")
    if [[ -z "$exposure" ]]; then
      fail "systemd-analyze security $name: no 'Overall exposure level' line" "$work/out"
    elif awk -v e="$exposure" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(e <= m) }'; then
      pass "systemd-analyze security $name: exposure $exposure <= $MAX_EXPOSURE"
    else
      grep '^✗' "$work/out" >"$work/exposed" || true
      fail "systemd-analyze security $name: exposure $exposure > $MAX_EXPOSURE; harden the settings marked ✗ below" "$work/exposed"
    fi
  else
    fail "systemd-analyze security $name" "$work/out"
  fi
done

if promtool check rules config/prometheus/alerts.yml >"$work/out" 2>&1; then
  pass "promtool check rules config/prometheus/alerts.yml"
else
  fail "promtool check rules config/prometheus/alerts.yml" "$work/out"
fi

if promtool test rules config/prometheus/alerts.test.yml >"$work/out" 2>&1; then
  pass "promtool test rules config/prometheus/alerts.test.yml"
else
  fail "promtool test rules config/prometheus/alerts.test.yml" "$work/out"
fi

if python3 -m json.tool config/grafana/dashboard.json >/dev/null 2>"$work/out"; then
  pass "python3 -m json.tool config/grafana/dashboard.json"
else
  fail "python3 -m json.tool config/grafana/dashboard.json" "$work/out"
fi

# The dashboard's queries parse as PromQL: each becomes a recording rule for promtool, with
# Grafana's variables replaced by plain values. (JSON is YAML, so no YAML library is needed.)
if python3 - config/grafana/dashboard.json >"$work/dashboard-rules.yml" 2>"$work/out" <<'PY'; then
import json, sys
dashboard = json.load(open(sys.argv[1]))
values = {"$__rate_interval": "5m", "$__interval": "1m", "$job": ".*", "$instance": ".*"}
rules = []
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        expr = target["expr"]
        for name, value in values.items():
            expr = expr.replace(name, value)
        rules.append({"record": "dashboard:query", "expr": expr})
if not rules:
    sys.exit("the dashboard has no queries")
json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, sys.stdout)
PY
  if promtool check rules "$work/dashboard-rules.yml" >"$work/out" 2>&1; then
    pass "dashboard queries parse as PromQL"
  else
    fail "dashboard queries parse as PromQL" "$work/out"
  fi
else
  fail "dashboard queries parse as PromQL" "$work/out"
fi

# The byte-code goes to a temporary folder, not a __pycache__ beside the DAG.
if PYTHONPYCACHEPREFIX="$work/pycache" python3 -m py_compile config/airflow/scraper_dag.py >"$work/out" 2>&1; then
  pass "python3 -m py_compile config/airflow/scraper_dag.py"
else
  fail "python3 -m py_compile config/airflow/scraper_dag.py" "$work/out"
fi

if ((failures > 0)); then
  printf '%d ops-kit check(s) failed\n' "$failures"
  exit 1
fi
printf 'all ops-kit checks passed\n'
