# Running the test executables as the unprivileged test users and summing their results.
# shellcheck shell=bash

# Per binary, so that one hung test cannot eat the whole budget.
TEST_TIMEOUT=${LODGER_CI_TEST_TIMEOUT:-1500}

TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_IGNORED=0
RESULT_LINES=()

# A runtime dir and a TMPDIR (0700) owned by the user, inside the work dir.
prepare_user_dirs() {
    local dir=$1 user=$2
    install -d -m 0700 -o "$user" -g "$user" "$dir/run/$user" "$dir/tmp/$user"
}

# The environment every test executable gets (besides HOME, USER, ...).
test_env() {
    local dir=$1
    # shellcheck disable=SC1091
    (source "$dir/env.sh" && env | grep -E '^LODGER_TEST_' | sort)
    echo "LODGER_BIN=$dir/bin/lodger"
    echo "LODGER_SOURCE_DIR=$dir/source"
    echo "RUST_BACKTRACE=1"
}

# Test files named tests/nosub_*.rs run as the user without a subuid range.
runner_for() {
    local kind=$1 name=$2
    if [[ $kind == test && $name == nosub_* ]]; then
        echo "$NOSUB_USER"
    else
        echo "$TEST_USER"
    fi
}

run_one() {
    local dir=$1 runner=$2 exe=$3
    shift 3
    local env_args
    mapfile -t env_args < <(test_env "$dir")
    local home
    home=$(getent passwd "$runner" | cut -d: -f6)
    (cd "$dir" && runuser -u "$runner" -- env -i HOME="$home" USER="$runner" LOGNAME="$runner" \
        PATH=/usr/local/bin:/usr/bin:/bin XDG_RUNTIME_DIR="$dir/run/$runner" TMPDIR="$dir/tmp/$runner" \
        "${env_args[@]}" timeout -k 30 "$TEST_TIMEOUT" "$exe" --test-threads=2 "$@")
}

# Sum the "test result:" lines of a log: prints "passed failed ignored".
sum_results() {
    grep -E '^test result: ' "$1" |
        sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\1 \2 \3/' |
        awk '{p+=$1; f+=$2; i+=$3; n++} END {print p+0, f+0, i+0, n+0}'
}

run_all_tests() {
    local dir=$1
    shift
    mkdir -p "$dir/logs"
    prepare_user_dirs "$dir" "$TEST_USER"
    prepare_user_dirs "$dir" "$NOSUB_USER"
    local kind name exe runner rc log passed failed ignored results status
    while IFS=$'\t' read -r kind name exe; do
        runner=$(runner_for "$kind" "$name")
        log=$dir/logs/$kind-$name.log
        printf '\n---- %s %s (as %s) ----\n' "$kind" "$name" "$runner"
        set +e
        run_one "$dir" "$runner" "$exe" "$@" 2>&1 </dev/null | tee "$log"
        rc=${PIPESTATUS[0]}
        set -e
        read -r passed failed ignored results < <(sum_results "$log")
        if ((rc == 124 || rc == 137)); then
            status="TIMEOUT after ${TEST_TIMEOUT}s"
            failed=$((failed + 1))
        elif ((rc != 0 && failed == 0)); then
            status="CRASHED (exit $rc)"
            failed=1
        elif ((results == 0)); then
            status="NO RESULT"
            failed=$((failed + 1))
        elif ((rc != 0)); then
            status=FAILED
        else
            status=ok
        fi
        TOTAL_PASSED=$((TOTAL_PASSED + passed))
        TOTAL_FAILED=$((TOTAL_FAILED + failed))
        TOTAL_IGNORED=$((TOTAL_IGNORED + ignored))
        RESULT_LINES+=("$(printf '%-36s %-13s %5d passed %4d failed %4d ignored  %s' \
            "$kind $name" "$runner" "$passed" "$failed" "$ignored" "$status")")
    done <"$dir/bin/tests.tsv"
}

# Processes the tests left behind (detached containers, monitors) under the test users.
reap_test_user_processes() {
    local user pids
    for user in "$TEST_USER" "$NOSUB_USER"; do
        id -u "$user" >/dev/null 2>&1 || continue
        # Zombies are skipped: they are gone once their parent reaps them.
        pids=$(ps -u "$user" -o pid=,stat= | awk '$2 !~ /^Z/ {print $1}' || true)
        [[ -n $pids ]] || continue
        warn "processes left behind by the tests as $user:"
        # shellcheck disable=SC2086
        ps -o pid,etime,args -p "$(echo $pids | tr ' ' ',')" >&2 || true
        # shellcheck disable=SC2086
        kill -9 $pids 2>/dev/null || true
    done
}

print_test_results() {
    printf '\n==== results ====\n'
    local line
    for line in "${RESULT_LINES[@]}"; do
        printf '%s\n' "$line"
    done
    printf 'total: %d passed, %d failed, %d ignored\n' "$TOTAL_PASSED" "$TOTAL_FAILED" "$TOTAL_IGNORED"
}
