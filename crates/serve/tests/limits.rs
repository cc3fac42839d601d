//! Slow and idle clients against a real server on a loopback port: a client
//! that sends half a request and then nothing is disconnected, connections
//! beyond the limit do not lock out a normal request, and a kept-alive
//! connection ends after its last allowed request.
//!
//! The limits are short here (half a second) so that every wait is bounded
//! by a read timeout of a few seconds; nothing sleeps.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use ratsdoc_serve::{Limits, ServeOptions, Server};

/// Longest any read in these tests waits: far above the limits under test,
/// so a pass never depends on timing, while a hang fails instead of
/// blocking the test run.
const PATIENCE: Duration = Duration::from_secs(20);

const SHORT: Duration = Duration::from_millis(500);

/// A server on a free loopback port over an empty data directory (the
/// stylesheet needs no data); it runs until the test process ends.
fn start(limits: Limits) -> (tempfile::TempDir, SocketAddr) {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let server = Server::bind(ServeOptions {
        limits,
        ..ServeOptions::new(data.path(), "127.0.0.1:0")
    })
    .unwrap_or_else(|e| panic!("server: {e}"));
    let addr = server.local_addr();
    std::thread::spawn(move || server.run());
    (data, addr)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream
        .set_read_timeout(Some(PATIENCE))
        .unwrap_or_else(|e| panic!("read timeout: {e}"));
    stream
}

fn send(stream: &mut TcpStream, bytes: &str) {
    stream
        .write_all(bytes.as_bytes())
        .unwrap_or_else(|e| panic!("write: {e}"));
}

/// Everything the server sends until it closes the connection. Panics when
/// the server keeps it open for longer than [`PATIENCE`].
fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "the server kept the connection open for {PATIENCE:?}; so far it sent {:?}",
                    String::from_utf8_lossy(&got)
                )
            }
            Err(e) => panic!("read: {e}"),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

const STYLESHEET: &str = "GET /static/style.css HTTP/1.1\r\nHost: localhost\r\n";

#[test]
fn a_client_that_stops_in_the_middle_of_its_headers_is_disconnected() {
    let (_data, addr) = start(Limits {
        header_timeout: SHORT,
        ..Limits::default()
    });
    let mut stream = connect(addr);
    send(&mut stream, "GET /static/style.css HTTP/1.1\r\nHost: loc");
    let answer = read_until_closed(&mut stream);
    assert!(
        !answer.contains(" 200 "),
        "half a request was answered: {answer}"
    );
}

#[test]
fn a_connection_that_never_sends_a_byte_is_disconnected() {
    let (_data, addr) = start(Limits {
        header_timeout: SHORT,
        ..Limits::default()
    });
    let mut stream = connect(addr);
    let answer = read_until_closed(&mut stream);
    assert!(!answer.contains(" 200 "), "{answer}");
}

#[test]
fn idle_connections_beyond_the_limit_do_not_lock_out_a_request() {
    let limit = 4;
    let (_data, addr) = start(Limits {
        header_timeout: SHORT,
        max_connections: limit,
        ..Limits::default()
    });
    // Four times the limit: half send a partial header, half nothing.
    let idle: Vec<TcpStream> = (0..4 * limit)
        .map(|i| {
            let mut s = connect(addr);
            if i % 2 == 0 {
                send(&mut s, "GET / HTTP/1.1\r\nX-Slow: ");
            }
            s
        })
        .collect();
    let mut stream = connect(addr);
    send(
        &mut stream,
        &format!("{STYLESHEET}Connection: close\r\n\r\n"),
    );
    let answer = read_until_closed(&mut stream);
    assert!(
        answer.starts_with("HTTP/1.1 200 "),
        "no answer behind {} idle connections: {answer:?}",
        idle.len()
    );
    assert!(answer.contains("text/css"), "{answer}");
}

#[test]
fn at_the_limit_the_longest_waiting_connection_makes_room() {
    let limit = 4;
    // A header timeout far beyond PATIENCE: only closing a waiting
    // connection can let the request through in time.
    let (_data, addr) = start(Limits {
        header_timeout: Duration::from_secs(600),
        max_connections: limit,
        ..Limits::default()
    });
    // Accepted in the order they connect (the kernel's queue is first in,
    // first out), so the first is the one waiting longest.
    let mut silent: Vec<TcpStream> = (0..limit)
        .map(|_| {
            let mut s = connect(addr);
            send(&mut s, "GET / HTTP/1.1\r\nX-Slow: ");
            s
        })
        .collect();
    let mut stream = connect(addr);
    send(
        &mut stream,
        &format!("{STYLESHEET}Connection: close\r\n\r\n"),
    );
    let answer = read_until_closed(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer:?}");
    // The first silent client was the one closed.
    assert!(!read_until_closed(&mut silent[0]).contains(" 200 "));
}

#[test]
fn a_kept_alive_connection_closes_after_its_last_allowed_request() {
    let (_data, addr) = start(Limits {
        max_requests_per_connection: 2,
        ..Limits::default()
    });
    let mut stream = connect(addr);
    // Three requests in a row on one connection: two are answered, the
    // second with `Connection: close`, then the server closes.
    let request = format!("{STYLESHEET}\r\n");
    send(&mut stream, &request.repeat(3));
    let answer = read_until_closed(&mut stream);
    assert_eq!(answer.matches("HTTP/1.1 200 ").count(), 2, "{answer}");
    assert_eq!(
        answer
            .to_ascii_lowercase()
            .matches("connection: close")
            .count(),
        1,
        "{answer}"
    );
}

#[test]
fn a_request_whose_body_never_comes_is_answered_and_closed() {
    let (_data, addr) = start(Limits::default());
    let mut stream = connect(addr);
    send(
        &mut stream,
        &format!("{STYLESHEET}Content-Length: 1000000\r\n\r\nfirst bytes of a body"),
    );
    let answer = read_until_closed(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
}
