//! The build lock: one `ratsdoc build` per data directory at a time.
//!
//! An OS file lock (`flock` on Unix) rather than a marker file: the kernel
//! drops it when the holder dies, even by `kill -9`, so a crashed run never
//! blocks the next night's run. The holder writes its pid and start time
//! into the locked file so the loser can say who holds it, and empties it
//! when it ends: a holder's note found by the next run means that run was
//! killed, and only then are its temporary files looked for.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::StoreError;

/// Held for the whole run; released when dropped or when the process dies.
#[derive(Debug)]
pub struct BuildLock {
    file: File,
    previous_unfinished: bool,
}

impl BuildLock {
    /// Takes the lock or fails at once with [`StoreError::Locked`]; never waits,
    /// so cron runs do not pile up behind a slow one.
    pub fn acquire(path: &Path) -> Result<BuildLock, StoreError> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| StoreError::io(path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let holder = if holder.is_empty() {
                    "holder unknown (it has not written its pid yet)".to_string()
                } else {
                    holder.to_string()
                };
                let dir = path.parent().unwrap_or(path).to_path_buf();
                return Err(StoreError::Locked { dir, holder });
            }
            Err(TryLockError::Error(e)) => return Err(StoreError::io(path, e)),
        }
        let mut previous = String::new();
        let _ = file.read_to_string(&mut previous);
        let started = chrono::Local::now().format("%Y-%m-%d %H:%M:%S %z");
        let note = format!("pid {} started {started}\n", std::process::id());
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)).map(|_| ()))
            .and_then(|()| file.write_all(note.as_bytes()))
            .and_then(|()| file.flush())
            .map_err(|e| StoreError::io(path, e))?;
        Ok(BuildLock {
            file,
            previous_unfinished: !previous.trim().is_empty(),
        })
    }

    /// Whether the run before this one was killed (or lost to a power cut)
    /// and may have left temporary files.
    pub fn previous_run_unfinished(&self) -> bool {
        self.previous_unfinished
    }
}

impl Drop for BuildLock {
    /// A run that ends, with or without an error, leaves no temporary
    /// files; one that panics might.
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = self.file.set_len(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_in_same_process_is_refused_with_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        let first = BuildLock::acquire(&path).unwrap();
        let err = BuildLock::acquire(&path).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        assert!(msg.contains("started"), "{msg}");
        drop(first);
        let second = BuildLock::acquire(&path).unwrap();
        assert!(!second.previous_run_unfinished(), "the first one ended");
        drop(second);
        // What a killed holder leaves: its note.
        std::fs::write(&path, "pid 1 started 2026-11-22 03:00:00 +0000\n").unwrap();
        assert!(BuildLock::acquire(&path).unwrap().previous_run_unfinished());
    }
}
