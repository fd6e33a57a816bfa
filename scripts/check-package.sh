#!/usr/bin/env bash
# Checks the npm package as a user gets it: `npm pack` (its prepack builds dist/), then
# `npm install -g` of the tarball into a temporary prefix, then the installed command's --help,
# --version, setup airflow --print-dag and demo, run from outside the checkout. One line per check;
# exits 1 if any fails. Needs python3 (the printed DAG is compiled).
#
# Dependencies come from the npm cache or registry (--prefer-offline). better-sqlite3 is a native
# module: its prebuilt binaries live on GitHub, which need not be reachable, so it is compiled from
# source (npm_config_build_from_source; needs python3, make and g++, and Node's headers: npm's
# `nodedir` setting, or node-gyp's download). Set CHECK_PACKAGE_PREBUILT=1 to let it try the
# prebuilt binary first.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
started=$SECONDS

pass() { printf 'ok    %s\n' "$1"; }
fail() {
  printf 'FAIL  %s\n' "$1"
  tail -n 40 "$2" | sed 's/^/      /' || true
  failures=$((failures + 1))
}
finish() {
  local seconds=$((SECONDS - started))
  if ((failures > 0)); then
    printf '%d package check(s) failed (%ds)\n' "$failures" "$seconds"
    exit 1
  fi
  printf 'all package checks passed (%ds)\n' "$seconds"
  exit 0
}

if [[ -z "${CHECK_PACKAGE_PREBUILT:-}" ]]; then export npm_config_build_from_source=true; fi

# pack: the tarball holds what the commands need and no tests.
if npm pack --pack-destination "$work" --json >"$work/pack.json" 2>"$work/pack.log"; then
  tarball="$work/$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].filename)' "$work/pack.json")"
  pass "npm pack: $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"
else
  fail "npm pack" "$work/pack.log"
  finish
fi

node - "$work/pack.json" >"$work/contents.log" 2>&1 <<'JS' && pass "tarball contents: dist/cli.js, the simulators, config/, systemd/, README.md; no tests" || fail "tarball contents" "$work/contents.log"
const files = new Set(JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'))[0].files.map((f) => f.path));
const needed = [
  'package.json', 'README.md', 'dist/cli.js', 'dist/cli/main.js', 'dist/sandbox/demo/seed.js',
  'config/example.yaml', 'config/airflow/scraper_dag.py', 'config/airflow/README.md',
  'systemd/jira-airflow-reconciler.service', 'systemd/jira-airflow-reconciler-reconcile.service',
  'systemd/reconciler.env.example', 'systemd/credentials.conf.example',
];
const missing = needed.filter((path) => !files.has(path));
const unwanted = [...files].filter((path) => /^(test|src|scripts|node_modules|\.ci)\//.test(path) || /\.test\.[jt]s$/.test(path));
if (missing.length) console.log(`missing: ${missing.join(', ')}`);
if (unwanted.length) console.log(`should not ship: ${unwanted.slice(0, 20).join(', ')}`);
process.exit(missing.length || unwanted.length ? 1 : 0);
JS

prefix="$work/prefix"
if npm install -g --prefix "$prefix" --prefer-offline --no-audit --no-fund "$tarball" >"$work/install.log" 2>&1; then
  pass "npm install -g --prefix <tmp> $(basename "$tarball")"
else
  fail "npm install -g --prefix <tmp> $(basename "$tarball")" "$work/install.log"
  finish
fi
bin="$prefix/bin/jira-airflow-reconciler"

# From an empty folder outside the checkout, with none of its settings, so nothing resolves back to it.
mkdir "$work/elsewhere"
cd "$work/elsewhere"
run() { env -i PATH="$prefix/bin:$PATH" HOME="$work/elsewhere" "$bin" "$@"; }

if run --help >"$work/help.log" 2>&1 && grep -q 'Usage: jira-airflow-reconciler' "$work/help.log"; then
  pass "jira-airflow-reconciler --help"
else
  fail "jira-airflow-reconciler --help" "$work/help.log"
fi

expected=$(node -p 'require(process.argv[1]).version' "$root/package.json")
if run --version >"$work/version.log" 2>&1 && [[ "$(cat "$work/version.log")" == "$expected" ]]; then
  pass "jira-airflow-reconciler --version: $expected"
else
  fail "jira-airflow-reconciler --version (expected $expected)" "$work/version.log"
fi

# The example DAG is read from the installed config/ at run time: this proves the path resolves there.
if run setup airflow --print-dag >"$work/dag.py" 2>"$work/dag.log" \
  && grep -q '^SOURCES = ("alfabeta", "quebec", "lafa")$' "$work/dag.py" \
  && PYTHONPYCACHEPREFIX="$work/pycache" python3 -m py_compile "$work/dag.py" 2>>"$work/dag.log"; then
  pass "jira-airflow-reconciler setup airflow --print-dag: the example DAG, valid Python"
else
  cat "$work/dag.py" >>"$work/dag.log"
  fail "jira-airflow-reconciler setup airflow --print-dag" "$work/dag.log"
fi

if run demo >"$work/demo.log" 2>&1; then
  pass "jira-airflow-reconciler demo: $(grep -c '' "$work/demo.log") lines, exit 0"
else
  fail "jira-airflow-reconciler demo" "$work/demo.log"
fi

if [[ -n "$(ls -A "$work/elsewhere")" ]]; then
  ls -A "$work/elsewhere" >"$work/left.log"
  fail "the commands left files in the working folder" "$work/left.log"
fi

finish
