//! Finding the input files: walk the directories given, keep what ratsdoc
//! reads (PDF, text, Markdown), and turn every problem on the way into an
//! outcome for that path instead of an abort.
//!
//! The walk also reads each file's size and modification time, because
//! that is all a nightly run with nothing new needs: `DirEntry::metadata`
//! asks relative to the open directory (`fstatat`), which at 100,000 files
//! costs a fraction of a `stat` of every full path afterwards. Directories
//! are walked in parallel.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use ratsdoc_model::SourceFormat;
use rayon::prelude::*;

/// A file to read, or a path that could not even be looked at.
#[derive(Debug, Clone)]
pub enum Input {
    File {
        path: PathBuf,
        /// The path as the report shows it: as given, `/`-separated.
        display: String,
        format: SourceFormat,
        /// Size and modification time as the walk saw them, if it could.
        seen: Option<Seen>,
    },
    Unreadable {
        display: String,
        reason: String,
    },
}

/// What the manifest compares before it reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub size: u64,
    pub mtime_ns: i128,
}

impl Seen {
    pub fn of(meta: &std::fs::Metadata) -> Seen {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        Seen {
            size: meta.len(),
            mtime_ns,
        }
    }
}

impl Input {
    pub fn display(&self) -> &str {
        match self {
            Input::File { display, .. } | Input::Unreadable { display, .. } => display,
        }
    }
}

/// Every input under `roots`, sorted by display path, each once.
///
/// Inside directories, files of other types and hidden entries are passed
/// over silently (a corpus folder holds READMEs and `.DS_Store`); a file named
/// explicitly on the command line that ratsdoc cannot read is an error
/// outcome, because the user asked for it. Symbolic links are followed; a
/// link back to a directory above it is reported, not walked forever.
pub fn scan(roots: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for root in roots {
        if root.is_file() {
            let display = display_path(root);
            match SourceFormat::from_path(root) {
                Some(format) => inputs.push(Input::File {
                    path: root.clone(),
                    display,
                    format,
                    seen: std::fs::metadata(root).ok().map(|m| Seen::of(&m)),
                }),
                None => inputs.push(Input::Unreadable {
                    display,
                    reason: "unsupported file type (ratsdoc reads .pdf, .txt and .md)".into(),
                }),
            }
            continue;
        }
        match std::fs::metadata(root) {
            Ok(meta) if meta.is_dir() => {
                walk(root, &[identity(&meta)], &mut inputs);
            }
            Ok(_) => inputs.push(Input::Unreadable {
                display: display_path(root),
                reason: "neither a file nor a directory".into(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => inputs.push(Input::Unreadable {
                display: display_path(root),
                reason: "no such file or directory".into(),
            }),
            Err(e) => inputs.push(Input::Unreadable {
                display: display_path(root),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    inputs.sort_by(|a, b| a.display().cmp(b.display()));
    inputs.dedup_by(|a, b| a.display() == b.display());
    inputs
}

/// Device and inode of a directory, to notice a symbolic link that leads
/// back to one of its own ancestors.
type Identity = (u64, u64);

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> Identity {
    (0, 0)
}

/// Adds what `dir` holds to `out`; `ancestors` are the directories from the
/// root down to `dir` itself.
fn walk(dir: &Path, ancestors: &[Identity], out: &mut Vec<Input>) {
    let unreadable = |path: &Path, what: &str, e: std::io::Error| Input::Unreadable {
        display: display_path(path),
        reason: format!("cannot read {what}: {e}"),
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(unreadable(dir, "directory", e));
            return;
        }
    };
    let mut subdirs: Vec<(PathBuf, Identity)> = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.push(unreadable(dir, "directory entry", e));
                continue;
            }
        };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let file_type = match entry.file_type() {
            Ok(t) => t,
            Err(e) => {
                out.push(unreadable(&path, "directory entry", e));
                continue;
            }
        };
        let meta = if file_type.is_symlink() {
            std::fs::metadata(&path)
        } else if file_type.is_dir() || SourceFormat::from_path(&path).is_some() {
            entry.metadata()
        } else {
            continue;
        };
        let meta = match meta {
            Ok(meta) => meta,
            Err(e) => {
                out.push(unreadable(&path, "directory entry", e));
                continue;
            }
        };
        if meta.is_dir() {
            let id = identity(&meta);
            if ancestors.contains(&id) {
                out.push(Input::Unreadable {
                    display: display_path(&path),
                    reason: "symbolic link to a directory above it (not followed)".into(),
                });
            } else {
                subdirs.push((path, id));
            }
        } else if meta.is_file()
            && let Some(format) = SourceFormat::from_path(&path)
        {
            out.push(Input::File {
                display: display_path(&path),
                path,
                format,
                seen: Some(Seen::of(&meta)),
            });
        }
    }
    let below: Vec<Vec<Input>> = subdirs
        .par_iter()
        .map(|(sub, id)| {
            let mut chain = ancestors.to_vec();
            chain.push(*id);
            let mut found = Vec::new();
            walk(sub, &chain, &mut found);
            found
        })
        .collect();
    out.extend(below.into_iter().flatten());
}

/// Report paths use `/` on every platform and drop a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn displays(inputs: &[Input]) -> Vec<String> {
        inputs.iter().map(|i| i.display().to_string()).collect()
    }

    #[test]
    fn walks_nested_folders_skips_hidden_and_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("2020/sub")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for f in [
            "a.txt",
            "2020/b.md",
            "2020/sub/c.pdf",
            "README",
            ".hidden.txt",
            ".git/x.txt",
        ] {
            std::fs::write(root.join(f), b"x").unwrap();
        }
        let inputs = scan(std::slice::from_ref(&root));
        let root_display = display_path(&root);
        assert_eq!(
            displays(&inputs),
            ["2020/b.md", "2020/sub/c.pdf", "a.txt"].map(|f| format!("{root_display}/{f}"))
        );
        for input in &inputs {
            let Input::File { seen, .. } = input else {
                panic!("{input:?}")
            };
            assert_eq!(seen.map(|s| s.size), Some(1));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_reported_and_a_missing_root_is_an_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/x.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(&root, root.join("a/back")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("linked")).unwrap();
        let missing = dir.path().join("nope");
        let inputs = scan(&[root.clone(), missing]);
        let shown = displays(&inputs);
        assert!(
            shown.iter().any(|d| d.ends_with("corpus/a/x.txt")),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|d| d.ends_with("corpus/linked/x.txt")),
            "{shown:?}"
        );
        let reasons: Vec<&str> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::Unreadable { reason, .. } => Some(reason.as_str()),
                Input::File { .. } => None,
            })
            .collect();
        assert!(
            reasons.iter().any(|r| r.contains("symbolic link")),
            "{reasons:?}"
        );
        assert!(
            reasons.contains(&"no such file or directory"),
            "{reasons:?}"
        );
    }
}
