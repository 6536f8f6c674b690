# Two local distribution registries: plain HTTP without auth, and HTTPS (self-signed CA) with
# htpasswd basic auth. Everything lives under $1 (the work dir).
# shellcheck shell=bash

PLAIN_PORT=${LODGER_CI_PLAIN_PORT:-5000}
TLS_PORT=${LODGER_CI_TLS_PORT:-5443}
PLAIN_REGISTRY=127.0.0.1:$PLAIN_PORT
TLS_REGISTRY=127.0.0.1:$TLS_PORT
TLS_USER=lodger

# Self-signed CA and a server certificate for IP:127.0.0.1 and DNS:localhost.
make_certs() {
    local certs=$1/certs
    mkdir -p "$certs/client"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
        -keyout "$certs/ca.key" -out "$certs/ca.crt" -subj "/CN=lodger test CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$certs/server.key" -out "$certs/server.csr" -subj "/CN=localhost" 2>/dev/null
    printf '%s\n' 'basicConstraints=critical,CA:FALSE' \
        'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' \
        'subjectAltName=IP:127.0.0.1,DNS:localhost' >"$certs/server.ext"
    openssl x509 -req -in "$certs/server.csr" -CA "$certs/ca.crt" -CAkey "$certs/ca.key" \
        -CAcreateserial -days 7 -extfile "$certs/server.ext" -out "$certs/server.crt" 2>/dev/null
    # skopeo's --*-cert-dir takes every *.crt in a directory as a CA.
    cp "$certs/ca.crt" "$certs/client/ca.crt"
    chmod 0644 "$certs/ca.crt" "$certs/client/ca.crt"
    chmod 0600 "$certs/ca.key" "$certs/server.key"
    info "CA: $certs/ca.crt"
}

write_registry_config() {
    local dir=$1 name=$2 port=$3 tls=$4
    mkdir -p "$dir/registry/$name/storage"
    {
        cat <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/registry/$name/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: lodger-test-$name
YAML
        if [[ $tls == tls ]]; then
            cat <<YAML
  tls:
    certificate: $dir/certs/server.crt
    key: $dir/certs/server.key
auth:
  htpasswd:
    realm: lodger-test
    path: $dir/registry/htpasswd
YAML
        fi
    } >"$dir/registry/$name/config.yml"
}

# Fail clearly when a port is taken: the tests hard-code nothing, but the contract is fixed.
check_port_free() {
    local port=$1
    if port_in_use "$port"; then
        ss -Hltnp "sport = :$port" 2>/dev/null | sed 's/^/    /' >&2 || true
        die "127.0.0.1:$port is already in use (see above); stop that process and re-run"
    fi
}

start_one_registry() {
    local dir=$1 name=$2
    setsid docker-registry serve "$dir/registry/$name/config.yml" \
        </dev/null >"$dir/registry/$name.log" 2>&1 &
    echo $! >"$dir/registry/$name.pid"
}

registry_up() {
    local dir=$1
    command -v docker-registry >/dev/null || die "docker-registry not found: apt-get install docker-registry"
    check_port_free "$PLAIN_PORT"
    check_port_free "$TLS_PORT"
    make_certs "$dir"
    TLS_PASSWORD=$(openssl rand -hex 12)
    mkdir -p "$dir/registry"
    htpasswd -Bbn "$TLS_USER" "$TLS_PASSWORD" >"$dir/registry/htpasswd"
    write_registry_config "$dir" plain "$PLAIN_PORT" plain
    write_registry_config "$dir" tls "$TLS_PORT" tls
    start_one_registry "$dir" plain
    start_one_registry "$dir" tls
    wait_for "plain registry on $PLAIN_REGISTRY" 30 \
        curl -fsS "http://$PLAIN_REGISTRY/v2/" ||
        { registry_dump_logs "$dir"; die "the plain registry did not come up"; }
    wait_for "TLS registry on $TLS_REGISTRY" 30 \
        curl -fsS --cacert "$dir/certs/ca.crt" -u "$TLS_USER:$TLS_PASSWORD" "https://$TLS_REGISTRY/v2/" ||
        { registry_dump_logs "$dir"; die "the TLS registry did not come up (or rejects the CA/credentials)"; }
    # Anonymous access must be refused, or auth tests would prove nothing.
    local code
    code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$dir/certs/ca.crt" "https://$TLS_REGISTRY/v2/")
    [[ $code == 401 ]] || die "the TLS registry answers $code to anonymous requests, expected 401"
}

registry_down() {
    local dir=$1 name pid
    for name in plain tls; do
        [[ -f $dir/registry/$name.pid ]] || continue
        pid=$(cat "$dir/registry/$name.pid")
        if kill "$pid" 2>/dev/null; then
            for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$dir/registry/$name.pid"
    done
}

registry_dump_logs() {
    local dir=$1 name
    for name in plain tls; do
        [[ -f $dir/registry/$name.log ]] || continue
        printf '\n---- last lines of the %s registry log (%s) ----\n' "$name" "$dir/registry/$name.log" >&2
        tail -n 25 "$dir/registry/$name.log" | cut -c1-240 >&2
    done
}

# The environment contract of the integration tests (see tests/common/mod.rs).
write_env_file() {
    local dir=$1
    cat >"$dir/env.sh" <<ENV
export LODGER_TEST_REGISTRY=$PLAIN_REGISTRY
export LODGER_TEST_TLS_REGISTRY=$TLS_REGISTRY
export LODGER_TEST_TLS_CA=$dir/certs/ca.crt
export LODGER_TEST_TLS_USER=$TLS_USER
export LODGER_TEST_TLS_PASSWORD=$TLS_PASSWORD
export LODGER_TEST_FIXTURES=$dir/fixtures
ENV
    chmod 0644 "$dir/env.sh"
}
