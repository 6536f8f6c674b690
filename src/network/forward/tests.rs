//! The relay against loopback servers in this process: no namespaces needed.

use super::relay::Forwarder;
use std::io::{Read, Write};
use std::net::Shutdown;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// A forwarder on a free loopback port to `target`, in a thread of its own, and the
/// id of that thread for its CPU time.
fn forward_to(targets: &[u16]) -> (Vec<u16>, i32) {
    let mut tcp = Vec::new();
    let mut ports = Vec::new();
    for &t in targets {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        l.set_nonblocking(true).unwrap();
        ports.push(l.local_addr().unwrap().port());
        tcp.push((l, t));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // SAFETY: gettid has no preconditions.
        tx.send(unsafe { libc::gettid() }).unwrap();
        let _ = Forwarder::new(tcp, Vec::new()).run();
    });
    (ports, rx.recv().unwrap())
}

/// User plus system time of a thread of this process, in clock ticks.
fn cpu_ticks(tid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

fn reset(s: TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt with a linger struct of the size given.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0);
}

#[test]
fn a_half_close_passes_through_and_the_answer_comes_back() {
    let server = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let (ports, _) = forward_to(&[server.local_addr().unwrap().port()]);
    let mut client = connect(ports[0]);
    client.write_all(b"question").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let (mut inner, _) = server.accept().unwrap();
    let mut got = Vec::new();
    inner.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"question");
    inner.write_all(b"answer").unwrap();
    drop(inner);
    let mut answer = Vec::new();
    client.read_to_end(&mut answer).unwrap();
    assert_eq!(answer, b"answer");
}

#[test]
fn a_client_reset_after_its_half_close_neither_spins_nor_lingers() {
    let server = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let (ports, tid) = forward_to(&[server.local_addr().unwrap().port()]);
    let mut client = connect(ports[0]);
    client.write_all(b"x").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let (mut inner, _) = server.accept().unwrap();
    inner
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut got = Vec::new();
    inner.read_to_end(&mut got).unwrap();
    reset(client);
    std::thread::sleep(Duration::from_millis(100));
    let before = cpu_ticks(tid);
    std::thread::sleep(Duration::from_millis(500));
    let spent = cpu_ticks(tid) - before;
    assert!(spent < 10, "the forwarder spun: {spent} ticks in 0.5 s");
    // The container's side is closed with the client's: its writes fail soon.
    let deadline = Instant::now() + Duration::from_secs(5);
    while inner.write_all(b"late").is_ok() {
        assert!(Instant::now() < deadline, "the inner connection lingers");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Bytes a socket has not sent yet (or that are not acknowledged).
fn unsent(s: &TcpStream) -> usize {
    let mut n: libc::c_int = 0;
    // SAFETY: TIOCOUTQ writes one int.
    assert_eq!(
        unsafe { libc::ioctl(s.as_raw_fd(), libc::TIOCOUTQ, &mut n) },
        0
    );
    n as usize
}

#[test]
fn what_a_container_sent_before_its_reset_still_arrives() {
    let server = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let (ports, _) = forward_to(&[server.local_addr().unwrap().port()]);
    let mut client = connect(ports[0]);
    client.write_all(b"request").unwrap();
    let (mut inner, _) = server.accept().unwrap();
    let mut b = [0u8; 7];
    inner.read_exact(&mut b).unwrap();
    // The client reads nothing yet: the answer fills every buffer on its way and waits,
    // part of it in the forwarder's socket when the reset comes.
    inner.set_nonblocking(true).unwrap();
    let chunk = vec![7u8; 64 * 1024];
    let (mut sent, mut idle) = (0, 0);
    while idle < 20 {
        match inner.write(&chunk) {
            Ok(n) => (sent, idle) = (sent + n, 0),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                idle += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("{e}"),
        }
    }
    // What the reset discards never left the container's socket; the rest must arrive
    // (more only if the forwarder was still moving data when this was measured).
    let left = sent - unsent(&inner);
    reset(inner);
    let mut answer = Vec::new();
    let _ = client.read_to_end(&mut answer);
    assert!(
        (left..=sent).contains(&answer.len()),
        "{} of {left} bytes arrived",
        answer.len()
    );
}

#[test]
fn a_server_with_a_full_accept_queue_does_not_stall_other_ports() {
    let stuck = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    // SAFETY: listen on a socket this test owns; a backlog of 0 queues one connection.
    assert_eq!(unsafe { libc::listen(stuck.as_raw_fd(), 0) }, 0);
    let stuck_port = stuck.local_addr().unwrap().port();
    let _queued: Vec<TcpStream> = (0..2)
        .filter_map(|_| {
            let s = TcpStream::connect_timeout(
                &SocketAddr::from((Ipv4Addr::LOCALHOST, stuck_port)),
                Duration::from_millis(200),
            );
            s.ok()
        })
        .collect();
    let echo = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let echo_port = echo.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in echo.incoming().flatten() {
            let mut b = [0u8; 16];
            if let Ok(n) = s.read(&mut b) {
                let _ = s.write_all(&b[..n]);
            }
        }
    });
    let (ports, _) = forward_to(&[stuck_port, echo_port]);
    let _waiting = connect(ports[0]);
    std::thread::sleep(Duration::from_millis(100));
    let mut client = connect(ports[1]);
    client
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    client.write_all(b"ping").unwrap();
    let mut b = [0u8; 4];
    client.read_exact(&mut b).expect("the other port answers");
    assert_eq!(&b, b"ping");
}

#[test]
fn a_closed_container_port_closes_the_client() {
    let unused = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = unused.local_addr().unwrap().port();
    drop(unused);
    let (ports, _) = forward_to(&[port]);
    let mut client = connect(ports[0]);
    let mut b = Vec::new();
    let _ = client.read_to_end(&mut b);
    assert!(b.is_empty());
}
