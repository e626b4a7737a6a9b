#!/usr/bin/env bash
# The test command.
#
#   infra/test.sh [dotnet test options]          e.g.  infra/test.sh --filter 'Category!=Slow'
#
# Builds Pipeline.sln once, checks the code style (dotnet format --verify-no-changes), starts a private throwaway RabbitMQ + PostgreSQL (infra/services.sh, own
# state dir and ports, so a developer's own `services.sh up` is left alone), runs tests/Unit,
# tests/Integration and tests/EndToEnd in that order, stops the services, and ends with one line:
#
#   tests: N passed, N failed, N skipped
#
# counted from the TRX files in TestResults/ (or $PIPELINE_TEST_RESULTS). Exit status 0 only when the
# build succeeded, every test run finished, no test failed and at least one test ran.
#   PIPELINE_TEST_CONFIGURATION  Debug (default) or Release
#   PIPELINE_TEST_VERBOSITY      console logger verbosity: minimal (default: failures + totals) or normal
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

projects=(tests/Unit tests/Integration tests/EndToEnd)
configuration=${PIPELINE_TEST_CONFIGURATION:-Debug}
verbosity=${PIPELINE_TEST_VERBOSITY:-minimal}
results=${PIPELINE_TEST_RESULTS:-$PWD/TestResults}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# In CI, leave no compiler/MSBuild servers behind holding the job's output open.
build_servers=()
[[ ${CI:-} != true ]] || build_servers=(--disable-build-servers)

note() { printf 'test.sh: %s\n' "$*" >&2; }
summary() {   # passed failed skipped; always the last line printed
    printf 'tests: %s passed, %s failed, %s skipped\n' "$1" "$2" "$3"
}

# ---- build once
note "building Pipeline.sln ($configuration)"
if ! dotnet build Pipeline.sln -c "$configuration" -nologo -v minimal "${build_servers[@]}"; then
    note "build failed; no tests ran"
    summary 0 0 0
    exit 1
fi

# ---- one code style (.editorconfig): a file the formatter would change fails the run, like a failing test
note "checking the code style (dotnet format --verify-no-changes)"
style_failed=0
if ! dotnet format Pipeline.sln --verify-no-changes --no-restore -v q; then
    note "code style: run 'dotnet format Pipeline.sln' and commit the result"
    style_failed=1
fi

# ---- services (stopped on any exit; stopped explicitly before the summary so it stays the last line)
services_dir=$(mktemp -d /tmp/pipeline-test-services.XXXXXX)
export PIPELINE_SERVICES_DIR=$services_dir
services_down() { PIPELINE_SERVICES_DIR=$services_dir infra/services.sh down || true; }
trap services_down EXIT
exports=$(infra/services.sh up)   # a failure stops here (set -e), which `eval "$(...)"` would hide
eval "$exports"

# ---- count: <Counters total=".." executed=".." passed=".." failed=".." error=".." timeout=".." ...
# notExecuted=".." .../> in a TRX file. Skipped tests are in total but not in executed (their results
# say outcome="NotExecuted", yet the notExecuted counter stays 0), so skipped = total - executed.
counter() {   # trx-file attribute
    local n
    n=$(grep -o '<Counters [^>]*>' "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || true)
    echo "${n:-0}"
}

# ---- tests, in order; keep going after a failing project so the summary covers all of them
mkdir -p "$results"
passed=0 failed=0 skipped=0 incomplete=()
for project in "${projects[@]}"; do
    trx=$results/$(basename "$project").trx
    rm -f "$trx"
    note "testing $project"
    rc=0
    dotnet test "$project" --no-build -c "$configuration" "${build_servers[@]}" \
        --results-directory "$results" \
        --logger "trx;LogFileName=$(basename "$trx")" \
        --logger "console;verbosity=$verbosity" \
        "$@" || rc=$?
    if [[ ! -f $trx ]]; then ((rc == 0)) || incomplete+=("$project"); continue; fi   # no TRX: no tests, or a crash
    project_failed=$(($(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout) + $(counter "$trx" aborted)))
    # A non-zero exit with no failed test means the run itself broke (crash, abort, bad argument).
    if ((rc != 0 && project_failed == 0)); then incomplete+=("$project"); fi
    passed=$((passed + $(counter "$trx" passed)))
    failed=$((failed + project_failed))
    skipped=$((skipped + $(counter "$trx" total) - $(counter "$trx" executed)))
done

services_down
trap - EXIT

status=0
if ((${#incomplete[@]})); then
    note "test run did not complete for: ${incomplete[*]} (see the output above and $results)"
    status=1
fi
if ((failed > 0)); then status=1; fi
if ((style_failed)); then status=1; fi
if ((passed + failed == 0)); then
    note "zero tests ran"
    status=1
fi
summary "$passed" "$failed" "$skipped"
exit $status
