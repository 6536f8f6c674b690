# Building lodger and its test executables, and the lint checks.
# shellcheck shell=bash

# Build the binary and every test executable, and copy them to $1/bin where the test users
# can read them (the repository may live in a home they cannot enter).
# Writes $1/bin/tests.tsv: "<kind>\t<target name>\t<copied executable>" per test executable.
build_binaries() {
    local dir=$1 bin=$1/bin
    mkdir -p "$bin"
    as_build_user "$CARGO" build --message-format=json-render-diagnostics >"$dir/build.json"
    as_build_user "$CARGO" test --no-run --message-format=json-render-diagnostics >"$dir/tests.json"

    local lodger
    lodger=$(jq -r 'select(.reason == "compiler-artifact" and .executable != null
            and .target.name == "lodger" and (.target.kind | index("bin")) and .profile.test == false)
            | .executable' "$dir/build.json" | tail -n 1)
    [[ -n $lodger && -x $lodger ]] || die "cargo build did not report the lodger binary"
    install -m 0755 "$lodger" "$bin/lodger"

    : >"$bin/tests.tsv"
    local kind name exe
    while IFS=$'\t' read -r kind name exe; do
        install -m 0755 "$exe" "$bin/$kind-$name"
        printf '%s\t%s\t%s\n' "$kind" "$name" "$bin/$kind-$name" >>"$bin/tests.tsv"
    done < <(jq -r 'select(.reason == "compiler-artifact" and .executable != null and .profile.test)
            | [.target.kind[0], .target.name, .executable] | @tsv' "$dir/tests.json" | sort -u)
    info "lodger binary and $(wc -l <"$bin/tests.tsv") test executables in $bin"

    # Tests that compare committed files (man pages, completions) read them from a copy the
    # test users can read, named by LODGER_SOURCE_DIR.
    mkdir -p "$dir/source"
    tar -C "$REPO_DIR" --exclude=./target --exclude=./.git -cf - . | tar -C "$dir/source" -xf -
    chmod -R a+rX "$dir/source"
}

ensure_component() {
    local tool=$1 component=$2
    as_build_user "$CARGO" "$tool" --version >/dev/null 2>&1 && return 0
    [[ -x $CARGO_DIR/rustup ]] || die "cargo $tool is missing and rustup is not available to add $component"
    as_build_user "$CARGO_DIR/rustup" component add "$component"
}

# Lint failures are recorded in LINT_FAILURES, not fatal: the tests still run.
LINT_FAILURES=()

run_lints() {
    ensure_component fmt rustfmt
    ensure_component clippy clippy
    if as_build_user "$CARGO" fmt --all -- --check; then
        info "cargo fmt --check: ok"
    else
        LINT_FAILURES+=("cargo fmt --check")
    fi
    if as_build_user "$CARGO" clippy --all-targets --quiet -- -D warnings; then
        info "cargo clippy --all-targets -- -D warnings: ok"
    else
        LINT_FAILURES+=("cargo clippy --all-targets -- -D warnings")
    fi
}
