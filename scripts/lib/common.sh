# Shared helpers of scripts/test and scripts/registry-up: logging, timing, the build user.
# shellcheck shell=bash

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$SCRIPTS_DIR/.." && pwd)

# Phase timings, printed in the summary: "name seconds" per line.
PHASE_TIMES=()
PHASE_NAME=""
PHASE_START=0

section() {
    phase_end
    PHASE_NAME=$1
    PHASE_START=$SECONDS
    printf '\n==== %s ====\n' "$1"
}

phase_end() {
    if [[ -n $PHASE_NAME ]]; then
        PHASE_TIMES+=("$(printf '%-32s %4ds' "$PHASE_NAME" $((SECONDS - PHASE_START)))")
        PHASE_NAME=""
    fi
}

print_phase_times() {
    phase_end
    printf '\n==== timings ====\n'
    local line
    for line in "${PHASE_TIMES[@]}"; do
        printf '%s\n' "$line"
    done
}

info() { printf '  %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

require_root() {
    [[ $(id -u) -eq 0 ]] || die "$1 must run as root (try: sudo $0)"
}

# Cargo runs as the user who invoked sudo, so that target/ stays theirs and their toolchain is
# used; as plain root it runs as root.
BUILD_USER=root
if [[ $(id -u) -eq 0 && -n ${SUDO_USER:-} && ${SUDO_USER} != root ]]; then
    BUILD_USER=$SUDO_USER
elif [[ $(id -u) -ne 0 ]]; then
    BUILD_USER=$(id -un)
fi
BUILD_HOME=$(getent passwd "$BUILD_USER" | cut -d: -f6)

# sudo's secure_path hides ~/.cargo/bin: look there too.
find_cargo() {
    local c
    for c in "$(command -v cargo || true)" "$BUILD_HOME/.cargo/bin/cargo" /usr/local/cargo/bin/cargo; do
        if [[ -n $c && -x $c ]]; then
            CARGO=$c # used by the other lib files
            export CARGO
            CARGO_DIR=$(dirname "$c")
            return 0
        fi
    done
    return 1
}

# Install a toolchain with rustup only when none exists (a clean machine); Debian's rustc is
# older than the crate's rust-version.
ensure_cargo() {
    if find_cargo; then
        return 0
    fi
    info "no cargo found: installing a minimal stable toolchain with rustup for $BUILD_USER"
    command -v curl >/dev/null || die "curl is needed to install rustup"
    as_build_user sh -c 'curl --proto "=https" --tlsv1.2 -sSf https://sh.rustup.rs |
        sh -s -- -y --profile minimal --component clippy,rustfmt' ||
        die "installing Rust with rustup failed; install Rust >= 1.85 and re-run"
    find_cargo || die "cargo still not found after installing rustup"
}

# Run a command as the build user in the repository, with cargo on PATH.
as_build_user() {
    local path="${CARGO_DIR:+$CARGO_DIR:}/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
    if [[ $BUILD_USER == "$(id -un)" ]]; then
        (cd "$REPO_DIR" && PATH=$path "$@")
    else
        (cd "$REPO_DIR" && runuser -u "$BUILD_USER" -- env HOME="$BUILD_HOME" USER="$BUILD_USER" \
            PATH="$path" ${CARGO_TARGET_DIR:+CARGO_TARGET_DIR="$CARGO_TARGET_DIR"} "$@")
    fi
}

# Is something listening on 127.0.0.1:<port>?
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Wait up to $2 seconds for a command to succeed.
wait_for() {
    local what=$1 timeout=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
    info "$what is up"
}
