//! `ratsdoc serve` against clients that open connections and send nothing
//! useful: with the process's file limit lower than their number, a normal
//! request is still answered at once, long before any header timeout: a
//! connection beyond `--max-connections`, or one the process has no file
//! descriptor for, closes the connection waiting longest for a request.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::util::*;

/// Open files the server process may hold: fewer than the idle clients.
const FILE_LIMIT: u64 = 64;
const IDLE_CLIENTS: usize = 80;
/// Longest wait for the answer: far more than a server that makes room
/// needs, far less than the header timeout.
const PATIENCE: Duration = Duration::from_secs(30);

/// The server process; killed when the test ends, however it ends.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `ratsdoc serve` on a free loopback port with at most [`FILE_LIMIT`]
/// open files, and the address it printed.
fn serve_with_file_limit(data: &std::path::Path, extra: &[&str]) -> (Serving, SocketAddr) {
    let mut cmd = ratsdoc();
    cmd.args([
        "serve",
        "--data",
        data.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
    ])
    .args(extra)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let limit = libc::rlimit {
        rlim_cur: FILE_LIMIT,
        rlim_max: FILE_LIMIT,
    };
    // SAFETY: setrlimit is async-signal-safe and reads only `limit`, a
    // plain value copied into the closure.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let mut child = cmd.spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    (Serving(child), addr)
}

/// Opens [`IDLE_CLIENTS`] connections that send half a request or nothing,
/// then asks for the stylesheet and returns the answer.
fn request_behind_silent_clients(addr: SocketAddr) -> String {
    let idle: Vec<TcpStream> = (0..IDLE_CLIENTS)
        .map(|i| {
            let mut s = TcpStream::connect(addr).unwrap();
            if i % 2 == 0 {
                s.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
            }
            s
        })
        .collect();
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    client
        .write_all(
            b"GET /static/style.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut answer = Vec::new();
    match client.read_to_end(&mut answer) {
        Ok(_) => {}
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => panic!(
            "no answer in {PATIENCE:?} behind {} silent connections",
            idle.len()
        ),
        Err(e) => panic!("read: {e}"),
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// The header timeout of these tests: far beyond [`PATIENCE`], so only
/// closing waiting connections lets the request through in time.
const LONG: &str = "600";

#[test]
fn silent_clients_beyond_the_connection_limit_do_not_lock_out_a_request() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let (_server, addr) = serve_with_file_limit(
        &data,
        &["--header-timeout", LONG, "--max-connections", "20"],
    );
    let answer = request_behind_silent_clients(addr);
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
}

#[test]
fn silent_clients_beyond_the_file_limit_do_not_lock_out_a_request() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    // The default connection limit, 512, is far above the file limit.
    let (_server, addr) = serve_with_file_limit(&data, &["--header-timeout", LONG]);
    let answer = request_behind_silent_clients(addr);
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
}

#[test]
fn limits_of_zero_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for flag in [
        "--header-timeout",
        "--request-timeout",
        "--max-connections",
        "--keep-alive-requests",
    ] {
        let o = run(
            // A bad address too: were the flag accepted, the run would fail
            // there instead of serving for ever.
            &[
                "serve",
                "--data",
                tmp.path().to_str().unwrap(),
                "--addr",
                "x",
                flag,
                "0",
            ],
            tmp.path(),
        );
        assert_eq!(code(&o), 2, "{flag} 0: {}", stderr(&o));
        assert!(stderr(&o).contains(flag), "{flag}: {}", stderr(&o));
    }
}
