//! Container networking: pasta by default, slirp4netns as the fallback, published TCP and
//! UDP ports, the generated /etc files, and helpers that end with their container.
//! Loopback addresses only.

mod common;

use common::ocilayout::{Compression, Entry, ImageConfig, OciLayout};
use common::{Env, OutputExt, Sandbox};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A foreground `lodger` command in the background of the test.
fn spawn(sb: &Sandbox, path: Option<&Path>, args: &[&str]) -> Child {
    let mut cmd = sb.command(args);
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// `lodger run OPTS small:latest CMD` in the background of the test.
fn spawn_small(env: &Env, sb: &Sandbox, path: Option<&Path>, opts: &[&str], cmd: &[&str]) -> Child {
    let image = env.image("small:latest");
    let mut args = vec!["run"];
    args.extend(opts);
    args.push(&image);
    args.extend(cmd);
    spawn(sb, path, &args)
}

/// `-p` for a container port on a host port of the loopback.
fn publish(host: u16, container: &str) -> String {
    format!("127.0.0.1:{host}:{container}")
}

/// GET / through the published port, retried while the server starts.
fn http_get(port: u16) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let _ = s.write_all(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n");
            let mut body = String::new();
            let _ = s.read_to_string(&mut body);
            if body.contains("200") {
                return body;
            }
        }
        assert!(Instant::now() < deadline, "no answer on 127.0.0.1:{port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stop(child: Child) -> String {
    // SIGTERM to lodger reaches the container's init, which ends the server.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Helper processes (pasta, slirp4netns, lodger's port forwarder) whose command line
/// mentions `needle`. (pasta runs as a subordinate id: it is root in the container's user
/// namespace and drops to its "nobody".)
fn helpers_with(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let cmdline = std::fs::read(e.path().join("cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        if (cmdline.starts_with("pasta")
            || cmdline.contains("slirp4netns")
            || cmdline.contains("__lodger-portfwd"))
            && cmdline.contains(needle)
        {
            found.push(cmdline);
        }
    }
    found
}

fn wait_gone(needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !helpers_with(needle).is_empty() {
        assert!(
            Instant::now() < deadline,
            "leaked helper: {:?}",
            helpers_with(needle)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const HTTPD: &[&str] = &[
    "sh",
    "-c",
    "echo hello-lodger > /tmp/index.html && exec httpd -f -p 80 -h /tmp",
];

fn serve_http(env: &Env, sb: &Sandbox, path: Option<&Path>, network: &str) {
    let port = free_port();
    let p = publish(port, "80");
    let opts = [
        "--rm",
        "--init",
        "--name",
        "web",
        "--network",
        network,
        "-p",
        &p,
    ];
    let child = spawn_small(env, sb, path, &opts, HTTPD);
    let page = http_get(port);
    assert!(page.contains("hello-lodger"), "{page}");
    assert!(!helpers_with(&port.to_string()).is_empty());
    sb.lodger(&["port", "web"])
        .assert_ok()
        .assert_stdout_contains(&format!("80/tcp -> 127.0.0.1:{port}\n"));
    sb.lodger(&["port", "web", "80"])
        .assert_ok()
        .assert_stdout_contains(&format!("127.0.0.1:{port}"));
    stop(child);
    wait_gone(&port.to_string());
}

#[test]
fn pasta_publishes_a_tcp_port_and_ends_with_the_container() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    serve_http(&env, &sb, None, "pasta");
}

/// The UDP echo server of [`udp_echo`]: this test binary, run inside the container (the
/// image's busybox has no UDP server).
#[test]
#[ignore = "started inside a container by the UDP publishing tests"]
fn udp_echo_server() {
    let Ok(port) = std::env::var("UDP_ECHO_PORT") else {
        return;
    };
    let sock = UdpSocket::bind(("0.0.0.0", port.parse::<u16>().unwrap())).unwrap();
    let mut buf = [0u8; 1500];
    loop {
        let (n, from) = sock.recv_from(&mut buf).unwrap();
        sock.send_to(&buf[..n], from).unwrap();
    }
}

/// The TCP server of [`the_forwarder_passes_a_half_close_on`], run inside the container:
/// it answers only once the client has half-closed its side.
#[test]
#[ignore = "started inside a container by the half-close test"]
fn tcp_half_close_server() {
    let Ok(port) = std::env::var("TCP_SERVER_PORT") else {
        return;
    };
    let listener = std::net::TcpListener::bind(("0.0.0.0", port.parse::<u16>().unwrap())).unwrap();
    for mut s in listener.incoming().flatten() {
        let mut got = Vec::new();
        if s.read_to_end(&mut got).is_ok() {
            let _ = s.write_all(format!("got {} bytes", got.len()).as_bytes());
        }
    }
}

/// Runs one of the ignored server tests of this binary in a container of `network` with
/// `opts` (its environment and `-p`).
fn spawn_test_server(
    env: &Env,
    sb: &Sandbox,
    path: Option<&Path>,
    network: &str,
    opts: &[&str],
    server: &str,
) -> Child {
    let exe = std::env::current_exe().unwrap();
    let exe_mount = format!("{}:/testbin:ro", exe.display());
    let mut args = vec!["--rm", "--init", "--network", network, "-v", &exe_mount];
    args.extend(opts);
    // The test binary needs the host's C library.
    let lib_mounts: Vec<String> = ["/lib64", "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu"]
        .iter()
        .filter(|lib| Path::new(lib).exists())
        .map(|lib| format!("{lib}:{lib}:ro"))
        .collect();
    for m in &lib_mounts {
        args.extend(["-v", m.as_str()]);
    }
    spawn_small(
        env,
        sb,
        path,
        &args,
        &["/testbin", "--ignored", "--exact", server],
    )
}

/// Runs [`udp_echo_server`] on `container_port` with `--network network`, published on
/// every host port of `host_ports`, and checks each one answers; then that the helpers
/// are gone with the container.
fn udp_echo(
    env: &Env,
    network: &str,
    path: Option<&Path>,
    container_port: u16,
    host_ports: &[u16],
) {
    let sb = env.sandbox_with(&["small:latest"]);
    let echo_env = format!("UDP_ECHO_PORT={container_port}");
    let publish: Vec<String> = host_ports
        .iter()
        .map(|p| publish(*p, &format!("{container_port}/udp")))
        .collect();
    let mut opts = vec!["-e", &echo_env];
    for p in &publish {
        opts.extend(["-p", p.as_str()]);
    }
    let child = spawn_test_server(env, &sb, path, network, &opts, "udp_echo_server");
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut buf = [0u8; 64];
    for &port in host_ports {
        let msg = format!("ping-udp {port}\n");
        loop {
            sock.send_to(msg.as_bytes(), ("127.0.0.1", port)).unwrap();
            if let Ok((n, from)) = sock.recv_from(&mut buf) {
                assert_eq!(&buf[..n], msg.as_bytes());
                assert_eq!(
                    from.port(),
                    port,
                    "the answer comes from the published port"
                );
                break;
            }
            if Instant::now() > deadline {
                let stderr = stop(child);
                panic!("no UDP answer on {port} with {network}; lodger said: {stderr}");
            }
        }
    }
    stop(child);
    for port in host_ports {
        wait_gone(&port.to_string());
    }
}

#[test]
fn pasta_publishes_udp_ports_same_and_remapped() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let (same, other) = (free_port(), free_port());
    udp_echo(&env, "pasta", None, same, &[same, other]);
}

#[test]
fn slirp4netns_publishes_udp_ports() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let (same, other) = (free_port(), free_port());
    udp_echo(&env, "slirp4netns", None, same, &[same, other]);
}

/// A client that half-closes gets its answer through lodger's forwarder: the end of its
/// request reaches the server as an end of file, not as a closed connection.
#[test]
fn the_forwarder_passes_a_half_close_on() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let port = free_port();
    let p = publish(port, "7000");
    let opts = ["-e", "TCP_SERVER_PORT=7000", "-p", &p];
    let child = spawn_test_server(
        &env,
        &sb,
        None,
        "slirp4netns",
        &opts,
        "tcp_half_close_server",
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    // Until the forwarder runs the port is refused, and until the server listens the
    // forwarder closes each connection it accepts.
    let answer = loop {
        let mut answer = String::new();
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            if s.write_all(b"request").is_ok() && s.shutdown(Shutdown::Write).is_ok() {
                let _ = s.read_to_string(&mut answer);
            }
        }
        if !answer.is_empty() || Instant::now() > deadline {
            break answer;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(answer, "got 7 bytes");
    assert!(helpers_with(&port.to_string())
        .iter()
        .any(|c| c.contains("__lodger-portfwd")));
    stop(child);
    wait_gone(&port.to_string());
}

/// Waits for a child with a deadline: a start that fails must not hang.
fn wait_output(mut child: Child, secs: u64) -> (i32, String) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("lodger still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_host_port_in_use_fails_the_start_cleanly() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let p = publish(port, "80");
    for (network, says) in [
        ("slirp4netns", format!("127.0.0.1:{port}/tcp")),
        ("pasta", format!("127.0.0.1/{port}:80")),
    ] {
        let opts = ["--name", network, "--network", network, "-p", &p];
        let child = spawn_small(&env, &sb, None, &opts, &["true"]);
        let (code, stderr) = wait_output(child, 20);
        assert_eq!(code, 125, "{network}: {stderr}");
        assert!(stderr.contains(&says), "{network}: {stderr}");
        wait_gone(&port.to_string());
        let ps = sb.lodger(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"]);
        ps.assert_ok()
            .assert_stdout_contains(&format!("{network} Exited (125)"));
        sb.lodger(&["rm", network]).assert_ok();
    }
    drop(taken);
}

#[test]
fn sigkill_of_the_container_ends_the_helper() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let port = free_port();
    let child = spawn_small(
        &env,
        &sb,
        None,
        &["--rm", "-p", &publish(port, "80")],
        HTTPD,
    );
    http_get(port);
    // The container's pid 1 is a child of lodger, which runs it in the foreground.
    let children =
        std::fs::read_to_string(format!("/proc/{}/task/{}/children", child.id(), child.id()))
            .unwrap();
    for pid in children.split_whitespace() {
        let pid: i32 = pid.parse().unwrap();
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() != "pasta" {
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(137));
    wait_gone(&port.to_string());
}

#[test]
fn network_none_has_only_loopback_and_default_has_eth() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let image = env.image("small:latest");
    let out = sb
        .lodger(&[
            "run",
            "--rm",
            "--network",
            "none",
            &image,
            "cat",
            "/proc/net/dev",
        ])
        .assert_ok()
        .stdout_str();
    let ifaces: Vec<&str> = out
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .collect();
    assert_eq!(ifaces, ["lo"], "{out}");
    let out = sb
        .lodger(&["run", "--rm", &image, "cat", "/proc/net/dev"])
        .assert_ok()
        .stdout_str();
    assert!(out.lines().count() > 3, "{out}");
}

#[test]
fn etc_files_follow_the_flags() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let image = env.image("small:latest");
    let out = sb
        .lodger(&[
            "run",
            "--rm",
            "--name",
            "etcnet",
            "--hostname",
            "box",
            "--add-host",
            "db.test:192.0.2.9",
            "--dns",
            "192.0.2.53",
            "--dns-search",
            "a.test",
            "--dns-option",
            "ndots:2",
            &image,
            "cat",
            "/etc/hosts",
            "/etc/resolv.conf",
        ])
        .assert_ok()
        .stdout_str();
    for want in [
        "127.0.0.1\tlocalhost",
        "box etcnet",
        "host.containers.internal",
        "192.0.2.9\tdb.test",
        "nameserver 192.0.2.53",
        "search a.test",
        "options ndots:2",
    ] {
        assert!(out.contains(want), "{want} missing in {out}");
    }
    let out = sb
        .lodger(&[
            "run",
            "--rm",
            "--no-hosts",
            &image,
            "sh",
            "-c",
            "cat /etc/hosts; true",
        ])
        .assert_ok()
        .stdout_str();
    assert!(!out.contains("host.containers.internal"), "{out}");
}

#[test]
fn privileged_host_port_names_the_sysctl() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let start: u16 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    if start <= 80 {
        return;
    }
    sb.lodger(&[
        "run",
        "--rm",
        "-p",
        "127.0.0.1:80:80",
        &env.image("small:latest"),
        "true",
    ])
    .assert_exit(125)
    .assert_stderr_contains("ip_unprivileged_port_start");
}

/// A PATH of symlinks to the host tools lodger needs, without the `without` helpers.
fn path_without(sb: &Sandbox, without: &[&str]) -> PathBuf {
    let dir = sb.root().join(format!("bin-{}", without.join("-")));
    std::fs::create_dir_all(&dir).unwrap();
    for tool in [
        "newuidmap",
        "newgidmap",
        "fuse-overlayfs",
        "pasta",
        "slirp4netns",
    ] {
        if without.contains(&tool) {
            continue;
        }
        for d in ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let p = Path::new(d).join(tool);
            if p.exists() {
                std::os::unix::fs::symlink(&p, dir.join(tool)).unwrap();
                break;
            }
        }
    }
    dir
}

#[test]
fn without_pasta_slirp4netns_is_used_with_a_note() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let path = path_without(&sb, &["pasta"]);
    let image = env.image("small:latest");
    let out = sb
        .command(&["run", "--rm", &image, "cat", "/proc/net/dev"])
        .env("PATH", &path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    out.assert_ok()
        .assert_stderr_contains("slirp4netns")
        .assert_stdout_contains("tap0");
    serve_http(&env, &sb, Some(&path), "slirp4netns");
}

/// lodger's forwarder serves published ports of slirp4netns containers unless
/// `port_handler=slirp4netns` hands them to slirp4netns itself.
#[test]
fn slirp4netns_port_handlers() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    for (network, forwarder) in [
        ("slirp4netns", true),
        ("slirp4netns:port_handler=rootlesskit", true),
        ("slirp4netns:port_handler=slirp4netns", false),
    ] {
        let port = free_port();
        let p = publish(port, "80");
        let opts = ["--rm", "--init", "--network", network, "-p", &p];
        let child = spawn_small(&env, &sb, None, &opts, HTTPD);
        assert!(http_get(port).contains("hello-lodger"), "{network}");
        let forwarders: Vec<String> = helpers_with(&port.to_string())
            .into_iter()
            .filter(|c| c.contains("__lodger-portfwd"))
            .collect();
        assert_eq!(
            !forwarders.is_empty(),
            forwarder,
            "{network}: {forwarders:?}"
        );
        stop(child);
        wait_gone(&port.to_string());
    }
}

#[test]
fn without_any_helper_the_error_names_the_packages() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let path = path_without(&sb, &["pasta", "slirp4netns"]);
    let out = sb
        .command(&["run", "--rm", &env.image("small:latest"), "true"])
        .env("PATH", &path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    out.assert_exit(125)
        .assert_stderr_contains("passt")
        .assert_stderr_contains("slirp4netns");
}

#[test]
fn containers_share_a_network_namespace() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let image = env.image("small:latest");
    let web = spawn_small(
        &env,
        &sb,
        None,
        &["--rm", "--init", "--name", "web"],
        &[
            "sh",
            "-c",
            "echo hi-from-web > /tmp/index.html && exec httpd -f -p 8080 -h /tmp",
        ],
    );
    // No port is published: the page is only reachable inside web's network namespace.
    let deadline = Instant::now() + Duration::from_secs(15);
    let page = loop {
        let out = sb.lodger(&[
            "run",
            "--rm",
            "--network",
            "container:web",
            &image,
            "wget",
            "-qO-",
            "http://127.0.0.1:8080/",
        ]);
        if out.status.success() {
            break out.stdout_str();
        }
        assert!(
            Instant::now() < deadline,
            "no page through container:web: {}",
            out.stderr_str()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(page.trim(), "hi-from-web");
    stop(web);
    sb.lodger(&["run", "--rm", "--network", "container:web", &image, "true"])
        .assert_exit(125);
}

/// An image that EXPOSEs 8080/tcp and serves a page there with the host's static busybox.
fn load_exposing_image(sb: &Sandbox) -> Option<String> {
    let busybox = std::fs::read("/bin/busybox").ok()?;
    let dir = sb.root().join("exposed-layout");
    let mut layout = OciLayout::create(&dir).unwrap();
    let mut entries = vec![];
    for d in ["bin", "dev", "etc", "proc", "sys", "tmp", "run", "www"] {
        entries.push(Entry::dir(d));
    }
    entries.push(Entry::file("bin/busybox", busybox).mode(0o755));
    entries.push(Entry::file("www/index.html", "exposed-page\n"));
    let layer = layout
        .add_layer("busybox httpd", &entries, Compression::Gzip)
        .unwrap();
    let mut config = ImageConfig::new();
    config.exposed_ports = vec!["8080/tcp".into()];
    config.cmd = Some(
        ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
            .map(String::from)
            .to_vec(),
    );
    let manifest = layout.add_image(&config, &[layer]).unwrap();
    let name = "localhost/lodger-test/exposed:latest";
    layout.tag(&manifest, name).unwrap();
    sb.lodger(&["load", "-i", dir.to_str().unwrap()])
        .assert_ok();
    Some(name.to_string())
}

#[test]
fn publish_all_puts_exposed_ports_on_free_host_ports() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let Some(image) = load_exposing_image(&sb) else {
        common::say("skipped: no static /bin/busybox on this host");
        return;
    };
    let child = spawn(
        &sb,
        None,
        &["run", "--rm", "--init", "--name", "exposed", "-P", &image],
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    let line = loop {
        let out = sb.lodger(&["port", "exposed"]);
        let text = out.stdout_str();
        if let Some(l) = text.lines().find(|l| l.starts_with("8080/tcp -> 0.0.0.0:")) {
            break l.to_string();
        }
        assert!(Instant::now() < deadline, "no published port: {text}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let port: u16 = line.rsplit(':').next().unwrap().parse().unwrap();
    assert!(port >= 1024, "{line}");
    let page = http_get(port);
    assert!(page.contains("exposed-page"), "{page}");
    // ps and inspect show the port chosen, as Podman does.
    let ps = sb.lodger(&["ps", "--format", "{{.Names}} {{.Ports}}"]);
    assert_eq!(
        ps.assert_ok().stdout_str().trim(),
        format!("exposed 0.0.0.0:{port}->8080/tcp")
    );
    let table = sb.lodger(&["ps"]).assert_ok().stdout_str();
    assert!(
        table.contains(&format!("0.0.0.0:{port}->8080/tcp")),
        "{table}"
    );
    let json = sb
        .lodger(&["ps", "--format", "json"])
        .assert_ok()
        .stdout_str();
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["Ports"][0]["host_port"], port);
    assert_eq!(rows[0]["Ports"][0]["container_port"], 8080);
    let inspect = |t: &str| {
        sb.lodger(&["inspect", "--format", t, "exposed"])
            .assert_ok()
            .stdout_str()
            .trim()
            .to_string()
    };
    assert_eq!(
        inspect(r#"{{(index (index .NetworkSettings.Ports "8080/tcp") 0).HostPort}}"#),
        port.to_string()
    );
    assert_eq!(
        inspect(r#"{{range $p, $b := .HostConfig.PortBindings}}{{$p}} {{end}}"#),
        "8080/tcp"
    );
    stop(child);
    wait_gone(&port.to_string());
}

/// The monitor of a detached container, found by the container id in its command line.
fn monitor_of(id: &str) -> Option<i32> {
    std::fs::read_dir("/proc").unwrap().flatten().find_map(|e| {
        let cmdline = std::fs::read(e.path().join("cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        (cmdline.contains("__lodger-monitor") && cmdline.contains(id))
            .then(|| e.file_name().to_str()?.parse().ok())
            .flatten()
    })
}

#[test]
fn detached_containers_keep_their_ports_and_their_helper_ends_with_them() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let image = env.image("small:latest");
    // slirp4netns's ports go through lodger's forwarder: a second helper process to end.
    for network in ["pasta", "slirp4netns"] {
        let run_detached = |name: &str, port: u16| {
            let p = publish(port, "80");
            let mut args = vec!["run", "-d", "--init", "--name", name];
            args.extend(["--network", network, "-p", &p, &image]);
            args.extend(HTTPD);
            sb.lodger(&args).assert_ok().stdout_str().trim().to_string()
        };

        // The CLI that started it is gone; the published port keeps working until `stop`.
        let port = free_port();
        run_detached("dweb", port);
        assert!(http_get(port).contains("hello-lodger"), "{network}");
        std::thread::sleep(Duration::from_millis(500));
        assert!(http_get(port).contains("hello-lodger"), "{network}");
        assert!(!helpers_with(&port.to_string()).is_empty(), "{network}");
        sb.lodger(&["stop", "-t", "2", "dweb"]).assert_ok();
        wait_gone(&port.to_string());
        sb.lodger(&["rm", "dweb"]).assert_ok();

        // SIGKILL of the monitor takes the helper with it.
        let port = free_port();
        let id = run_detached("dweb2", port);
        assert!(http_get(port).contains("hello-lodger"), "{network}");
        let monitor = monitor_of(&id).expect("a monitor for the detached container");
        unsafe { libc::kill(monitor, libc::SIGKILL) };
        wait_gone(&port.to_string());
        sb.lodger(&["rm", "-f", "dweb2"]).assert_ok();
    }
}

/// When `stop` or a foreground `run` returns, the published host port is free again, as in
/// Podman: `stop` then `start`, `restart`, and the same `run -p` twice in a row all work.
#[test]
fn published_ports_are_free_when_stop_or_run_returns() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let image = env.image("small:latest");
    let port_is_free = |port: u16, what: &str| {
        if let Err(e) = std::net::TcpListener::bind(("127.0.0.1", port)) {
            panic!("127.0.0.1:{port} still taken after {what}: {e}");
        }
    };
    for network in ["pasta", "slirp4netns"] {
        let port = free_port();
        let p = publish(port, "80");
        let mut args = vec!["run", "-d", "--init", "--name", "again"];
        args.extend(["--network", network, "-p", &p, &image]);
        args.extend(HTTPD);
        sb.lodger(&args).assert_ok();
        assert!(http_get(port).contains("hello-lodger"), "{network}");
        for round in 0..3 {
            sb.lodger(&["stop", "-t", "0", "again"]).assert_ok();
            port_is_free(port, &format!("stop ({network}, round {round})"));
            sb.lodger(&["start", "again"]).assert_ok();
            assert!(http_get(port).contains("hello-lodger"), "{network}");
            sb.lodger(&["restart", "-t", "0", "again"]).assert_ok();
            assert!(http_get(port).contains("hello-lodger"), "{network}");
        }
        sb.lodger(&["rm", "-f", "again"]).assert_ok();
        port_is_free(port, &format!("rm -f ({network})"));
        for round in 0..3 {
            sb.lodger(&[
                "run",
                "--rm",
                "--network",
                network,
                "-p",
                &p,
                &image,
                "true",
            ])
            .assert_ok();
            port_is_free(port, &format!("run --rm ({network}, round {round})"));
        }
    }
}

/// The options after `slirp4netns:` and `pasta:` reach the helper: the host's loopback as
/// 10.0.2.2 only with `allow_host_loopback`, an IPv6 address with `enable_ipv6`, pasta's own
/// `--mtu`.
#[test]
fn helper_options_take_effect() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let image = env.image("small:latest");
    let host = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = host.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut c in host.incoming().flatten() {
            let _ = c.write_all(b"hello-host\n");
        }
    });
    let nc = format!("nc -w 2 10.0.2.2 {port} </dev/null");
    let run = |network: &str, script: &str| {
        sb.lodger(&[
            "run",
            "--rm",
            "--network",
            network,
            &image,
            "sh",
            "-c",
            script,
        ])
    };
    run("slirp4netns:allow_host_loopback=true", &nc)
        .assert_ok()
        .assert_stdout_contains("hello-host");
    let out = run("slirp4netns", &nc);
    assert_ne!(
        out.status.code(),
        Some(0),
        "host loopback reachable by default"
    );
    // The address comes from a router advertisement: give it a moment.
    let v6 = "for i in $(seq 50); do grep -q '^fd00' /proc/net/if_inet6 && exit 0; sleep 0.1; done; exit 1";
    run("slirp4netns:enable_ipv6=true", v6).assert_ok();
    run(
        "slirp4netns",
        "sleep 1; ! grep -q '^fd00' /proc/net/if_inet6",
    )
    .assert_ok();
    // pasta names the interface after the host's.
    let mtus = run("pasta:--mtu,1400", "cat /sys/class/net/*/mtu");
    assert!(
        mtus.assert_ok().stdout_str().lines().any(|l| l == "1400"),
        "{}",
        mtus.stdout_str()
    );
}

/// `--network host` shares the host's interfaces; `--network ns:PATH` joins a namespace file
/// (here another container's), and a path that does not exist is a clear error.
#[test]
fn host_and_ns_path_networks() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let image = env.image("small:latest");
    let names = |text: &str| {
        let mut v: Vec<String> = text
            .lines()
            .skip(2)
            .filter_map(|l| Some(l.split_once(':')?.0.trim().to_string()))
            .collect();
        v.sort();
        v
    };
    let inside = sb
        .lodger(&[
            "run",
            "--rm",
            "--network",
            "host",
            &image,
            "cat",
            "/proc/net/dev",
        ])
        .assert_ok()
        .stdout_str();
    let host = std::fs::read_to_string("/proc/net/dev").unwrap();
    assert_eq!(names(&inside), names(&host));

    let mut args = vec!["run", "-d", "--name", "nsweb", image.as_str()];
    args.extend(HTTPD);
    sb.lodger(&args).assert_ok();
    let pid = sb
        .lodger(&["inspect", "--format", "{{.State.Pid}}", "nsweb"])
        .assert_ok()
        .stdout_str();
    let ns = format!("ns:/proc/{}/ns/net", pid.trim());
    let get = "for i in $(seq 50); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 80 \
               && exit 0; sleep 0.1; done; exit 1";
    sb.lodger(&["run", "--rm", "--network", &ns, &image, "sh", "-c", get])
        .assert_ok()
        .assert_stdout_contains("hello-lodger");
    sb.lodger(&[
        "run",
        "--rm",
        "--network",
        "ns:/nonexistent",
        &image,
        "true",
    ])
    .assert_exit(125)
    .assert_stderr_contains("/nonexistent");
    sb.lodger(&["rm", "-f", "nsweb"]).assert_ok();

    // A network namespace of a user namespace made outside lodger (`unshare -Urn`), whose
    // maps know only the user: the container is made in that user namespace and runs.
    let mut holder = std::process::Command::new("unshare")
        .args(["-Urn", "sleep", "60"])
        .spawn()
        .expect("unshare");
    let netns = format!("/proc/{}/ns/net", holder.id());
    // Until unshare has exec'd sleep, the path still names this test's own namespaces.
    let own = std::fs::read_link("/proc/self/ns/user").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while std::fs::read_link(format!("/proc/{}/ns/user", holder.id())).ok() == Some(own.clone()) {
        assert!(Instant::now() < deadline, "unshare made no user namespace");
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = sb.lodger(&[
        "run",
        "--rm",
        "--network",
        &format!("ns:{netns}"),
        &image,
        "sh",
        "-c",
        "tail -n +3 /proc/net/dev | cut -d: -f1; id -u",
    ]);
    let _ = holder.kill();
    let _ = holder.wait();
    let text = out.assert_ok().stdout_str();
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>(),
        ["lo", "0"],
        "{text}"
    );
}
