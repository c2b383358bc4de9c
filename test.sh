#!/usr/bin/env bash
# Runs every Jobkore test — unit, bUnit component, integration and browser — from a fresh clone.
# Installs what the tests need first (Debian's chromium for the browser tests, postgresql for the PostgreSQL pass), then
# prints each pass's counts and "N passed, N failed" for both, and exits non-zero if any test failed or did not run.
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

# Every data, engine and chaos test runs twice: on SQLite (with everything else), then on PostgreSQL, on a throwaway
# cluster started here (scripts/postgres-cluster.sh installs Debian's postgresql when missing) and stopped at the end.
results="$(mktemp -d)"
postgres="$(mktemp -d)"
chmod 755 "$postgres" # the cluster runs as the postgres user, who must reach its folder inside
cleanup() {
  scripts/postgres-cluster.sh stop "$postgres/cluster" || true
  rm -rf "$results" "$postgres"
}
trap cleanup EXIT
if ! postgres_connection="$(scripts/postgres-cluster.sh start "$postgres/cluster")"; then
  echo "Could not start a PostgreSQL cluster for the PostgreSQL tests (see above)." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Sums the <Counters> of the results files in $1: "passed failed skipped"; not-executed tests count as skipped.
count() {
  local files=("$1"/*.trx)
  if [ ${#files[@]} -eq 0 ]; then
    echo "0 0 0 none"
    return
  fi
  grep -ho '<Counters [^>]*>' "${files[@]}" | awk '
    function attr(name,   m) { if (match($0, name "=\"[0-9]+\"")) { m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0 } return 0 }
    { p += attr("passed"); f += attr("failed") + attr("error") + attr("timeout") + attr("aborted"); s += attr("notExecuted") }
    END { print p + 0, f + 0, s + 0, "some" }'
}

shopt -s nullglob
set +e
dotnet test Jobkore.Blazor.sln -c Release --filter "Database!=PostgreSqlOnly" --logger "trx" --results-directory "$results/sqlite"
sqlite_status=$?
JOBKORE_TEST_DATABASE=PostgreSql JOBKORE_TEST_POSTGRES="$postgres_connection" \
  dotnet test Jobkore.Tests -c Release --no-build \
  --filter "(FullyQualifiedName~Jobkore.Tests.Core.|FullyQualifiedName~Jobkore.Tests.Sync.|Database=PostgreSqlOnly)&Database!=SqliteOnly" \
  --logger "trx" --results-directory "$results/postgres"
postgres_status=$?
set -e

read -r sqlite_passed sqlite_failed sqlite_skipped sqlite_ran < <(count "$results/sqlite")
read -r pg_passed pg_failed pg_skipped pg_ran < <(count "$results/postgres")
if [ "$sqlite_ran" = none ] || [ "$pg_ran" = none ]; then
  echo "No test results were written for a pass: the build or the test host failed (see above)." >&2
fi
# A pass that ran nothing (a filter that matches no test) is a failure, not a green pass.
if [ "$sqlite_passed" -eq 0 ] && [ "$sqlite_failed" -eq 0 ]; then sqlite_failed=1; fi
if [ "$pg_passed" -eq 0 ] && [ "$pg_failed" -eq 0 ]; then pg_failed=1; fi
# A pass that exited non-zero without a failed test (build error, crashed host) counts as one failure.
if [ "$sqlite_status" -ne 0 ] && [ "$sqlite_failed" -eq 0 ]; then sqlite_failed=1; fi
if [ "$postgres_status" -ne 0 ] && [ "$pg_failed" -eq 0 ]; then pg_failed=1; fi
passed=$((sqlite_passed + pg_passed))
failed=$((sqlite_failed + pg_failed))
skipped=$((sqlite_skipped + pg_skipped))

# The measurements the tests print (not assert), for the run's log.
for measurement in artifacts/chaos.md artifacts/multi-instance.md; do
  [ -f "$measurement" ] && cat "$measurement"
done

echo "SQLite: $sqlite_passed passed, $sqlite_failed failed (every test but PostgreSQL's own)"
echo "PostgreSQL: $pg_passed passed, $pg_failed failed (the data, engine and chaos tests again, and PostgreSQL's own)"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
