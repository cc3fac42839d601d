//! A pool of long-lived PDF worker processes (the parent side).
//!
//! Spawning a process per PDF would cost more than extracting a typical
//! two-page council paper, so workers live for the whole run and take one
//! request after another. Any thread may call [`Pool::run`]; it borrows an
//! idle worker (or starts one, up to the configured number, or waits), sends
//! the PDF, and waits for the reply at most the timeout. A worker that times
//! out is killed with SIGKILL; one that dies (abort, segfault, out of memory)
//! is reaped. Either way only that file fails, and the next request starts
//! a fresh worker. [`Pool::run_split`] lets the idle workers share the pages
//! of one long PDF, with the same isolation for each share.

use std::collections::VecDeque;
use std::io::{BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::protocol::{Reply, part_request, read_frame, write_frame};
use super::worker::MEMORY_ENV;

/// How much of a worker's stderr is kept for the crash message.
const STDERR_TAIL: usize = 4096;

/// How a request failed outside the worker's own error handling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// The reply did not come within the timeout; the worker was killed.
    Timeout(Duration),
    /// The worker died; a short reason (`signal 6, stack overflow`).
    Crashed(String),
    /// No worker could be started.
    Spawn(String),
}

/// What is needed to start a worker.
#[derive(Debug, Clone)]
pub struct WorkerSpec {
    /// Program to run.
    pub exe: PathBuf,
    /// Arguments that select worker mode.
    pub args: Vec<String>,
    /// Address-space limit in bytes; 0 for none.
    pub memory_limit: u64,
}

/// See the module docs.
pub struct Pool {
    spec: WorkerSpec,
    max: usize,
    timeout: Duration,
    state: Mutex<State>,
    freed: Condvar,
}

struct State {
    idle: VecDeque<Worker>,
    /// Workers alive, idle or busy (or being started).
    live: usize,
    /// Workers started so far, for tests and statistics.
    started: usize,
}

impl Pool {
    /// A pool of at most `max` workers (at least one).
    pub fn new(spec: WorkerSpec, max: usize, timeout: Duration) -> Pool {
        Pool {
            spec,
            max: max.max(1),
            timeout,
            state: Mutex::new(State {
                idle: VecDeque::new(),
                live: 0,
                started: 0,
            }),
            freed: Condvar::new(),
        }
    }

    /// How many workers the pool may run: also how many share one long PDF.
    pub fn size(&self) -> usize {
        self.max
    }

    /// How many worker processes were started so far.
    pub fn started(&self) -> usize {
        self.lock().started
    }

    /// Extracts one PDF in a worker. See the module docs.
    pub fn run(&self, pdf: &[u8]) -> Result<Reply, PoolError> {
        let worker = self.checkout()?;
        self.finish(worker, |w| w.call(pdf, self.timeout))
    }

    /// Extracts one PDF with up to `parts` workers at once, each reading
    /// an equal run of its pages ([`part_request`]); the pages come back in
    /// order as one reply. Only workers that are idle (or can be started)
    /// right now join, so a call never waits for a second worker while
    /// holding a first one; with one worker this is [`Pool::run`]. Any
    /// share's failure is the file's failure, as in [`Pool::run`]: a
    /// timeout or crash in one share, or the document-level `Failed` every
    /// share reports alike.
    pub fn run_split(&self, pdf: &[u8], parts: usize) -> Result<Reply, PoolError> {
        let mut workers = vec![self.checkout()?];
        while workers.len() < parts {
            match self.try_checkout() {
                Some(Ok(w)) => workers.push(w),
                Some(Err(_)) | None => break,
            }
        }
        if workers.len() == 1 {
            return self.finish(workers.remove(0), |w| w.call(pdf, self.timeout));
        }
        let n = u32::try_from(workers.len()).unwrap_or(1);
        let results: Vec<Result<Reply, PoolError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = workers
                .into_iter()
                .zip(0u32..)
                .map(|(worker, k)| {
                    scope.spawn(move || {
                        let request = part_request(pdf, k, n);
                        self.finish(worker, |w| w.call(&request, self.timeout))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(PoolError::Crashed("share thread panicked".into())))
                })
                .collect()
        });
        let mut pages = Vec::new();
        for result in results {
            match result? {
                Reply::Pages(p) => pages.extend(p),
                failed @ Reply::Failed { .. } => return Ok(failed),
            }
        }
        Ok(Reply::Pages(pages))
    }

    /// Runs one call on `worker` and gives the worker back (or, when the
    /// call failed, accounts for its end).
    fn finish(
        &self,
        mut worker: Worker,
        call: impl FnOnce(&mut Worker) -> Result<Reply, PoolError>,
    ) -> Result<Reply, PoolError> {
        let result = call(&mut worker);
        if result.is_ok() {
            self.lock().idle.push_back(worker);
        } else {
            drop(worker);
            self.lock().live -= 1;
        }
        self.freed.notify_one();
        result
    }

    /// An idle worker or a new one if below the limit; `None` when all are
    /// busy.
    fn try_checkout(&self) -> Option<Result<Worker, PoolError>> {
        let mut state = self.lock();
        if let Some(w) = state.idle.pop_front() {
            return Some(Ok(w));
        }
        if state.live < self.max {
            state.live += 1;
            state.started += 1;
            drop(state);
            return Some(Worker::spawn(&self.spec).inspect_err(|_| {
                self.lock().live -= 1;
                self.freed.notify_one();
            }));
        }
        None
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the state
        // inconsistent (every update is a single statement), so a poisoned
        // lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An idle worker, a new one if below the limit, or the next one freed.
    fn checkout(&self) -> Result<Worker, PoolError> {
        let mut state = self.lock();
        loop {
            if let Some(w) = state.idle.pop_front() {
                return Ok(w);
            }
            if state.live < self.max {
                state.live += 1;
                state.started += 1;
                drop(state);
                return Worker::spawn(&self.spec).inspect_err(|_| {
                    self.lock().live -= 1;
                    self.freed.notify_one();
                });
            }
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// One child process and the threads that read its output.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<Vec<u8>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<JoinHandle<()>>,
}

impl Worker {
    fn spawn(spec: &WorkerSpec) -> Result<Worker, PoolError> {
        let mut child = Command::new(&spec.exe)
            .args(&spec.args)
            .env(MEMORY_ENV, spec.memory_limit.to_string())
            // A crash is told by the runtime's first line ("memory allocation
            // of …", "… overflowed its stack"); an inherited RUST_BACKTRACE
            // would bury it under a backtrace longer than the kept tail, and
            // symbolising that backtrace under the memory cap can fail too.
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| PoolError::Spawn(format!("{}: {e}", spec.exe.display())))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(PoolError::Spawn("no pipes to the worker".into()));
        };
        let (tx, replies) = mpsc::channel();
        // The reply reader ends at EOF, when the worker exits; it owns
        // nothing else, so it is not joined.
        std::thread::Builder::new()
            .name("pdf-worker-out".into())
            .spawn(move || {
                let mut out = BufReader::new(stdout);
                while let Ok(Some(frame)) = read_frame(&mut out) {
                    if tx.send(frame).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| PoolError::Spawn(e.to_string()))?;
        let tail = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&tail);
        let stderr_reader = std::thread::Builder::new()
            .name("pdf-worker-err".into())
            .spawn(move || keep_tail(stderr, &sink))
            .map_err(|e| PoolError::Spawn(e.to_string()))?;
        Ok(Worker {
            child,
            stdin,
            replies,
            stderr: tail,
            stderr_reader: Some(stderr_reader),
        })
    }

    /// One request and its reply, within `timeout`.
    fn call(&mut self, pdf: &[u8], timeout: Duration) -> Result<Reply, PoolError> {
        let deadline = Instant::now() + timeout;
        if write_frame(&mut self.stdin, pdf).is_err() {
            return Err(self.died());
        }
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.replies.recv_timeout(wait) {
            Ok(frame) => serde_json::from_slice(&frame)
                .map_err(|e| PoolError::Crashed(format!("garbled reply: {e}"))),
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Err(PoolError::Timeout(timeout))
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.died()),
        }
    }

    /// The worker closed its pipes: reap it and say why it ended.
    fn died(&mut self) -> PoolError {
        // It is exiting; give it a moment, then make sure.
        let until = Instant::now() + Duration::from_secs(2);
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(5)),
                _ => {
                    let _ = self.child.kill();
                    break self.child.wait().ok();
                }
            }
        };
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let stderr = self
            .stderr
            .lock()
            .map(|t| String::from_utf8_lossy(&t).into_owned())
            .unwrap_or_default();
        let cause = if stderr.contains("overflowed its stack") {
            ", stack overflow"
        } else if stderr.contains("memory allocation of") {
            ", out of memory"
        } else {
            ""
        };
        let reason = match status {
            Some(s) => match s.signal() {
                Some(sig) => format!("signal {sig}{cause}"),
                None => format!("exit code {}{cause}", s.code().unwrap_or(-1)),
            },
            None => format!("lost{cause}"),
        };
        PoolError::Crashed(reason)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Idle workers hold no state worth a graceful shutdown.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `from` to its end, keeping the last [`STDERR_TAIL`] bytes.
fn keep_tail(mut from: impl Read, tail: &Mutex<Vec<u8>>) {
    let mut buf = [0u8; 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        if let Ok(mut t) = tail.lock() {
            t.extend_from_slice(&buf[..n]);
            if t.len() > STDERR_TAIL {
                let cut = t.len() - STDERR_TAIL;
                t.drain(..cut);
            }
        }
    }
}
