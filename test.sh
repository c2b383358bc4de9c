#!/usr/bin/env bash
# Runs every Jobkore test — unit, bUnit component, integration and browser — from a fresh clone, then the tests that
# need PostgreSQL on a throwaway cluster (scripts/postgres-cluster.sh).
# Installs what the tests need first (Debian's chromium for the browser tests), then prints
# "N passed, N failed" and exits non-zero if any test failed or did not run.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests (about a minute)..."
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "Could not install chromium. Install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi

results="$(mktemp -d)"
postgres_folder="$(mktemp -d)"
trap 'scripts/postgres-cluster.sh stop "$postgres_folder" >/dev/null 2>&1 || true; rm -rf "$results"' EXIT

set +e
dotnet test Jobkore.Blazor.sln -c Release --filter "Database!=PostgreSqlOnly" --logger "trx;LogFileName=sqlite.trx" --results-directory "$results"
test_status=$?

# Tests of what only PostgreSQL has ([Trait("Database", "PostgreSqlOnly")]: the notifier's backplane) run on a throwaway
# cluster; if it cannot start they fail, saying how to start one.
postgres="$(scripts/postgres-cluster.sh start "$postgres_folder")"
JOBKORE_TEST_POSTGRES="$postgres" dotnet test Jobkore.Blazor.sln -c Release --no-build --filter "Database=PostgreSqlOnly" \
  --logger "trx;LogFileName=postgresql.trx" --results-directory "$results"
postgres_status=$?
if [ "$test_status" -eq 0 ]; then test_status=$postgres_status; fi
set -e

shopt -s nullglob
trx_files=("$results"/*.trx)
if [ ${#trx_files[@]} -eq 0 ]; then
  echo "No test results were written: the build or the test host failed (see above)." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Sum the <Counters> of every results file; not-executed tests count as skipped.
read -r passed failed skipped < <(
  grep -ho '<Counters [^>]*>' "${trx_files[@]}" | awk '
    function attr(name,   m) { if (match($0, name "=\"[0-9]+\"")) { m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0 } return 0 }
    { p += attr("passed"); f += attr("failed") + attr("error") + attr("timeout") + attr("aborted"); s += attr("notExecuted") }
    END { print p + 0, f + 0, s + 0 }')

if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

# The measurements the tests print (not assert), for the run's log.
for measurement in artifacts/live-latency.md artifacts/chaos.md; do
  [ -f "$measurement" ] && cat "$measurement"
done

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
