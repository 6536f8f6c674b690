# Machine setup for the test command: packages, test users, device nodes.
# shellcheck shell=bash

TEST_PACKAGES=(
    uidmap passt slirp4netns fuse-overlayfs docker-registry busybox-static apache2-utils
    openssl skopeo ca-certificates tmux procps iproute2 curl jq
)

TEST_USER=lodger-test
NOSUB_USER=lodger-nosub
TEST_SUBID_RANGE=200000:65536

ensure_packages() {
    local missing=() p
    for p in "${TEST_PACKAGES[@]}"; do
        dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        info "all ${#TEST_PACKAGES[@]} packages already installed"
        return 0
    fi
    info "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${TEST_PACKAGES[@]}" >/dev/null
    # The package's own service listens on 127.0.0.1:5000, which the tests need.
    if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
        info "stopping the docker-registry service the package started (it holds port 5000)"
        systemctl stop docker-registry || true
    fi
}

# Remove every subordinate-id line of $1 (by name or uid) from /etc/subuid and /etc/subgid.
drop_subids() {
    local user=$1 uid f
    uid=$(id -u "$user")
    for f in /etc/subuid /etc/subgid; do
        [[ -f $f ]] || continue
        sed -i -e "/^$user:/d" -e "/^$uid:/d" "$f"
    done
}

ensure_user() {
    local user=$1
    if ! id -u "$user" >/dev/null 2>&1; then
        # SUB_*_COUNT=0: useradd would otherwise allocate a range of its own choosing.
        useradd -m -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$user"
        info "created user $user"
    fi
}

ensure_users() {
    ensure_user "$TEST_USER"
    ensure_user "$NOSUB_USER"
    local want="$TEST_USER:$TEST_SUBID_RANGE"
    if ! grep -qx "$want" /etc/subuid 2>/dev/null || ! grep -qx "$want" /etc/subgid 2>/dev/null ||
        (($(grep -c "^$TEST_USER:" /etc/subuid /etc/subgid | awk -F: '{s+=$2} END {print s}') != 2)); then
        drop_subids "$TEST_USER"
        echo "$want" >>/etc/subuid
        echo "$want" >>/etc/subgid
        info "added $want to /etc/subuid and /etc/subgid"
    fi
    drop_subids "$NOSUB_USER"
    info "$TEST_USER: uid $(id -u "$TEST_USER"), subids $TEST_SUBID_RANGE; $NOSUB_USER: uid $(id -u "$NOSUB_USER"), no subids"
}

ensure_devices() {
    [[ -c /dev/fuse ]] || mknod -m 0666 /dev/fuse c 10 229
    mkdir -p /dev/net
    [[ -c /dev/net/tun ]] || mknod /dev/net/tun c 10 200
    chmod 0666 /dev/fuse /dev/net/tun
    info "/dev/fuse and /dev/net/tun: mode 0666"
}
