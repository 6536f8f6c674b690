# Benchmark helpers: run as the unprivileged user, alternate lodger and Podman, report
# median/min/max and ratios.
# shellcheck shell=bash

BENCH_USER=${TEST_USER:-lodger-test}

# Run a command line as the bench user with a clean, fixed environment.
as_bench_user() {
    local home
    home=$(getent passwd "$BENCH_USER" | cut -d: -f6)
    (cd "$BENCH_DIR" && runuser -u "$BENCH_USER" -- env -i HOME="$home" USER="$BENCH_USER" \
        LOGNAME="$BENCH_USER" PATH="$BENCH_DIR/bin:/usr/local/bin:/usr/bin:/bin" \
        XDG_RUNTIME_DIR="$BENCH_DIR/run" TMPDIR="$BENCH_DIR/tmp" bash -c "$1")
}

# Milliseconds one command line takes, measured inside the user's shell (no runuser cost).
time_ms() {
    as_bench_user "s=\$EPOCHREALTIME; { $1; } >\$TMPDIR/bench.out 2>&1 || { echo \"FAILED, last lines of output:\" >&2; tail -5 \$TMPDIR/bench.out >&2; exit 99; }; e=\$EPOCHREALTIME; \
        echo \$(( (\${e/./} - \${s/./}) / 1000 ))"
}

# "median min max" of the numbers given.
stats() {
    printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {
        m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2;
        printf "%s %s %s\n", m, a[1], a[NR] }'
}

# Podman here needs runc, cgroupfs and the file events logger (hybrid cgroups, no systemd).
write_podman_config() {
    local home
    home=$(getent passwd "$BENCH_USER" | cut -d: -f6)
    install -d -o "$BENCH_USER" -g "$BENCH_USER" "$home/.config" "$home/.config/containers"
    cat >"$home/.config/containers/containers.conf" <<'CONF'
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
    printf '[storage]\ndriver = "overlay"\n' >"$home/.config/containers/storage.conf"
    chown "$BENCH_USER:$BENCH_USER" "$home/.config/containers/"*.conf
}

RESULTS=()

# record FIGURE TARGET-RATIO LODGER-MS... -- PODMAN-MS...
record() {
    local figure=$1 target=$2
    shift 2
    local l=() p=()
    while (($#)) && [[ $1 != -- ]]; do l+=("$1"); shift; done
    (($#)) && shift
    p=("$@")
    local ls ps ratio met
    ls=$(stats "${l[@]}")
    if ((${#p[@]})); then
        ps=$(stats "${p[@]}")
        ratio=$(awk -v a="${ps%% *}" -v b="${ls%% *}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
        if [[ $target == -* ]]; then
            met=n/a
        else
            met=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r >= t ? "met" : "missed") }')
        fi
        RESULTS+=("| $figure | $(fmt_stats "$ls") | $(fmt_stats "$ps") | ${ratio}x | $(fmt_target "$target") | $met |")
    elif [[ $target == -* ]]; then
        RESULTS+=("| $figure | $(fmt_stats "$ls") | - | - | - | - |")
    else
        RESULTS+=("| $figure | $(fmt_stats "$ls") | not measured (no podman) | - | $(fmt_target "$target") | - |")
    fi
}

# record_abs FIGURE LIMIT-MS LODGER-MS...: an absolute target for lodger alone.
record_abs() {
    local figure=$1 limit=$2
    shift 2
    local ls met
    ls=$(stats "$@")
    met=$(awk -v m="${ls%% *}" -v t="$limit" 'BEGIN { print (m < t ? "met" : "missed") }')
    RESULTS+=("| $figure | $(fmt_stats "$ls") | - | - | < ${limit} ms | $met |")
}

fmt_target() {
    if [[ $1 == -* ]]; then echo "-"; else echo "≥${1}x"; fi
}

fmt_stats() {
    local m mn mx
    read -r m mn mx <<<"$1"
    printf '%s ms (%s–%s)' "$m" "$mn" "$mx"
}

print_results() {
    local out=$1
    {
        echo "| figure | lodger median (min–max) | Podman median (min–max) | Podman/lodger | target | |"
        echo "|---|---|---|---|---|---|"
        printf '%s\n' "${RESULTS[@]}"
    } | tee "$out"
}

# A docker-archive of N distinct images (configs differing by a label) sharing the one layer
# of the OCI layout $1: a store with many images, made without a registry.
make_many_archive() {
    local layout=$1 n=$2 out=$3 d mdigest manifest cdigest ldigest diff i hex
    d=$(mktemp -d)
    mdigest=$(jq -r '.manifests[0].digest' "$layout/index.json")
    manifest=$layout/blobs/sha256/${mdigest#sha256:}
    cdigest=$(jq -r '.config.digest' "$manifest")
    ldigest=$(jq -r '.layers[0].digest' "$manifest")
    diff=$(jq -r '.rootfs.diff_ids[0]' "$layout/blobs/sha256/${cdigest#sha256:}")
    gunzip -c "$layout/blobs/sha256/${ldigest#sha256:}" >"$d/${diff#sha256:}.tar"
    : >"$d/entries"
    for ((i = 0; i < n; i++)); do
        jq -c --arg n "$i" '.config.Labels["bench.n"] = $n' \
            "$layout/blobs/sha256/${cdigest#sha256:}" >"$d/config.tmp"
        hex=$(sha256sum "$d/config.tmp" | cut -c1-64)
        mv "$d/config.tmp" "$d/$hex.json"
        jq -nc --arg c "$hex.json" --arg t "localhost/bench/img-$i:latest" \
            --arg l "${diff#sha256:}.tar" '{Config: $c, RepoTags: [$t], Layers: [$l]}' >>"$d/entries"
    done
    jq -s . "$d/entries" >"$d/manifest.json"
    rm "$d/entries"
    tar -C "$d" -cf "$out" .
    chmod 0644 "$out"
    rm -rf "$d"
}
