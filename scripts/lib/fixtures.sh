# Fixture images: built offline by examples/mkfixtures.rs as OCI layouts, pushed with skopeo.
# shellcheck shell=bash

HOSTILE_CASES=(dotdot abs symlink symlinkdotdot hardlink whiteoutdotdot devnode)

build_fixtures() {
    local dir=$1
    mkdir -p "$dir/fixtures"
    [[ $BUILD_USER == "$(id -un)" ]] || chown "$BUILD_USER" "$dir/fixtures"
    as_build_user "$CARGO" run --quiet --example mkfixtures -- "$dir/fixtures"
    chmod -R a+rX "$dir/fixtures"
}

# The manifest (or index) digest a layout's index.json names.
layout_digest() {
    jq -r '.manifests[0].digest' "$1/index.json"
}

layout_blob() {
    local layout=$1 digest=$2
    cat "$layout/blobs/sha256/${digest#sha256:}"
}

skopeo_copy() {
    skopeo --insecure-policy copy --quiet --retry-times 2 "$@"
}

remote_raw() {
    skopeo inspect --raw --tls-verify=false "docker://$1"
}

# An OCI push must keep the layout's manifest byte for byte.
verify_same_digest() {
    local layout=$1 ref=$2 want got
    want=$(layout_digest "$layout")
    got="sha256:$(remote_raw "$ref" | sha256sum | cut -d' ' -f1)"
    [[ $want == "$got" ]] || die "$ref: registry has manifest $got, the layout has $want"
    info "$ref = $want"
}

# A v2s2 conversion changes the manifest but must keep the config and layer blobs.
verify_same_blobs() {
    local layout=$1 ref=$2 want got manifest
    manifest=$(layout_blob "$layout" "$(layout_digest "$layout")")
    want=$(jq -r '.config.digest, .layers[].digest' <<<"$manifest")
    local raw
    raw=$(remote_raw "$ref")
    got=$(jq -r '.config.digest, .layers[].digest' <<<"$raw")
    [[ $(jq -r .mediaType <<<"$raw") == application/vnd.docker.distribution.manifest.v2+json ]] ||
        die "$ref is not a Docker v2s2 manifest"
    [[ $want == "$got" ]] || die "$ref: v2s2 blobs differ from the layout's:"$'\n'"$got"$'\n'"vs"$'\n'"$want"
    info "$ref (v2s2) keeps the layout's $(wc -l <<<"$want") blobs"
}

push_fixtures() {
    local dir=$1 fx=$1/fixtures reg=$PLAIN_REGISTRY/lodger-test
    local to=(--dest-tls-verify=false)
    local name

    skopeo_copy "${to[@]}" --preserve-digests "oci:$fx/small:latest" "docker://$reg/small:latest"
    verify_same_digest "$fx/small" "$reg/small:latest"
    skopeo_copy "${to[@]}" --format v2s2 "oci:$fx/small:latest" "docker://$reg/small:v2s2"
    verify_same_blobs "$fx/small" "$reg/small:v2s2"

    skopeo_copy "${to[@]}" --preserve-digests "oci:$fx/multi:latest" "docker://$reg/multi:latest"
    verify_same_digest "$fx/multi" "$reg/multi:latest"
    skopeo_copy "${to[@]}" --format v2s2 "oci:$fx/multi:latest" "docker://$reg/multi:v2s2"
    verify_same_blobs "$fx/multi" "$reg/multi:v2s2"
    skopeo_copy "${to[@]}" --preserve-digests "oci:$fx/multi-zstd:latest" "docker://$reg/multi:zstd"
    verify_same_digest "$fx/multi-zstd" "$reg/multi:zstd"

    skopeo_copy "${to[@]}" --all --preserve-digests "oci:$fx/index:latest" "docker://$reg/index:latest"
    verify_same_digest "$fx/index" "$reg/index:latest"
    local child
    for child in $(layout_blob "$fx/index" "$(layout_digest "$fx/index")" | jq -r '.manifests[].digest'); do
        [[ $(remote_raw "$reg/index@$child" | sha256sum | cut -d' ' -f1) == "${child#sha256:}" ]] ||
            die "$reg/index: platform manifest $child missing or altered"
    done
    info "$reg/index: both platform manifests present"

    for name in "${HOSTILE_CASES[@]}"; do
        skopeo_copy "${to[@]}" --preserve-digests "oci:$fx/hostile-$name:latest" \
            "docker://$reg/hostile-$name:latest"
        verify_same_digest "$fx/hostile-$name" "$reg/hostile-$name:latest"
    done

    skopeo_copy --dest-cert-dir "$dir/certs/client" --dest-creds "$TLS_USER:$TLS_PASSWORD" \
        --preserve-digests "oci:$fx/small:latest" "docker://$TLS_REGISTRY/lodger-test/small:latest"
    local tls_digest
    tls_digest=$(skopeo inspect --raw --cert-dir "$dir/certs/client" --creds "$TLS_USER:$TLS_PASSWORD" \
        "docker://$TLS_REGISTRY/lodger-test/small:latest" | sha256sum | cut -d' ' -f1)
    [[ sha256:$tls_digest == "$(layout_digest "$fx/small")" ]] ||
        die "TLS registry: small:latest has manifest sha256:$tls_digest"
    info "$TLS_REGISTRY/lodger-test/small:latest = sha256:$tls_digest"

    # For load/save tests: the small image as a docker-archive too (small.oci.tar is the
    # oci-archive mkfixtures writes).
    # skopeo refuses to add to an existing docker-archive: a rerun in the same DIR starts over.
    rm -f "$fx/small.docker.tar"
    skopeo_copy "oci:$fx/small:latest" "docker-archive:$fx/small.docker.tar:lodger-test/small:latest"
    chmod -R a+rX "$fx"
}
