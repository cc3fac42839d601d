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

use ratsdoc_model::{Change, Outcome, SourceFormat};
use ratsdoc_store::manifest::FileEntry;
use rayon::prelude::*;

/// A file to read, a path that could not even be looked at, or one
/// looked at and passed over.
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
    /// Met in a corpus folder but not read: another file type, something
    /// that is no file at all (never opened: a named pipe would block), or
    /// a symbolic link out of the corpus. Not an error.
    Skipped {
        display: String,
        reason: &'static str,
    },
}

/// Why a file in a corpus folder is passed over, as the report says it.
pub const UNSUPPORTED: &str = "not a supported type (ratsdoc reads .pdf, .txt and .md)";
/// A link may point anywhere (`/etc/passwd`); ratsdoc reads only what lies
/// inside the corpus paths it was given.
pub const OUTSIDE: &str = "symbolic link leads outside the corpus";

/// The corpus paths of a run, and what the walk found below them.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    /// Sorted by display path, each once.
    pub inputs: Vec<Input>,
    /// In command-line order.
    pub roots: Vec<Root>,
}

/// A corpus path as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// As the report shows it (see [`display_path`]).
    pub display: String,
    pub state: RootState,
}

/// Whether a corpus path can be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootState {
    Folder,
    File,
    /// Missing, unreadable, or neither file nor folder: the reason.
    Unusable(String),
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
            Input::File { display, .. }
            | Input::Unreadable { display, .. }
            | Input::Skipped { display, .. } => display,
        }
    }
}

/// Whether `root` can be walked or read; looks, never opens a file (a
/// named pipe given as corpus would block).
pub fn root_state(root: &Path) -> RootState {
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => match std::fs::read_dir(root) {
            Ok(_) => RootState::Folder,
            Err(e) => RootState::Unusable(format!("cannot read the folder: {e}")),
        },
        Ok(meta) if meta.is_file() => RootState::File,
        Ok(_) => RootState::Unusable("neither a file nor a folder".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            RootState::Unusable("no such file or directory".into())
        }
        Err(e) => RootState::Unusable(format!("cannot read: {e}")),
    }
}

/// Every input under `roots`, sorted by display path, each once, and the
/// state of each root.
///
/// Inside folders, hidden entries are passed over silently (`.DS_Store`,
/// `.git`); every other entry ratsdoc does not read is [`Input::Skipped`]
/// with its reason. A file named explicitly on the command line that
/// ratsdoc cannot read is an error outcome, because the user asked for it.
/// Symbolic links are followed while they stay inside the corpus paths; a
/// link back to a folder above it is reported, not walked forever.
pub fn scan(roots: &[PathBuf]) -> Scanned {
    let within: Vec<PathBuf> = roots
        .iter()
        .filter_map(|root| std::fs::canonicalize(root).ok())
        .collect();
    let mut inputs = Vec::new();
    let mut seen = Vec::new();
    for root in roots {
        let state = root_state(root);
        match &state {
            RootState::File => inputs.push(named_file(root)),
            RootState::Folder if ratsdoc_oparl::is_paper_folder(root) => {
                inputs.push(paper_folder(root.to_path_buf()));
            }
            RootState::Folder => match std::fs::metadata(root) {
                Ok(meta) => walk(root, &[identity(&meta)], &within, &mut inputs),
                Err(e) => inputs.push(Input::Unreadable {
                    display: display_path(root),
                    reason: format!("cannot read: {e}"),
                }),
            },
            RootState::Unusable(_) => {}
        }
        seen.push(Root {
            display: display_path(root),
            state,
        });
    }
    inputs.sort_by(|a, b| a.display().cmp(b.display()));
    inputs.dedup_by(|a, b| a.display() == b.display());
    Scanned {
        inputs,
        roots: seen,
    }
}

/// A file given on the command line.
fn named_file(root: &Path) -> Input {
    let display = display_path(root);
    match SourceFormat::from_path(root) {
        Some(format) => Input::File {
            path: root.to_path_buf(),
            display,
            format,
            seen: std::fs::metadata(root).ok().map(|m| Seen::of(&m)),
        },
        None => Input::Unreadable {
            display,
            reason: "unsupported file type (ratsdoc reads .pdf, .txt and .md)".into(),
        },
    }
}

/// A paper folder of `ratsdoc sync`: one input, whatever files it holds.
/// Its size is the sum of its files' sizes and its modification time the
/// newest of theirs, so a file added, replaced or removed changes what the
/// plan compares, as a changed file does.
fn paper_folder(path: PathBuf) -> Input {
    Input::File {
        display: display_path(&path),
        seen: folder_seen(&path),
        path,
        format: SourceFormat::Oparl,
    }
}

fn folder_seen(dir: &Path) -> Option<Seen> {
    let mut total = Seen {
        size: 0,
        mtime_ns: 0,
    };
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let meta = entry.metadata().ok()?;
        if meta.is_file() {
            let seen = Seen::of(&meta);
            total.size += seen.size;
            total.mtime_ns = total.mtime_ns.max(seen.mtime_ns);
        }
    }
    Some(total)
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

/// Why something that is neither a regular file nor a folder is skipped.
fn not_a_file(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe, not a file (not opened)";
        }
        if file_type.is_socket() {
            return "a socket, not a file";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device, not a file";
        }
    }
    let _ = file_type;
    UNSUPPORTED
}

/// Whether the symbolic link `path` leads to something outside every corpus
/// path in `within` (canonical). A dangling or looping link is not judged
/// here: reading it fails and says why.
fn leaves_corpus(path: &Path, within: &[PathBuf]) -> bool {
    std::fs::canonicalize(path)
        .is_ok_and(|target| !within.iter().any(|root| target.starts_with(root)))
}

/// Adds what `dir` holds to `out`; `ancestors` are the directories from the
/// root down to `dir` itself; `within` are the canonical corpus paths.
fn walk(dir: &Path, ancestors: &[Identity], within: &[PathBuf], out: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(unreadable(dir, "directory", e));
            return;
        }
    };
    let mut subdirs: Vec<(PathBuf, Identity)> = Vec::new();
    for entry in entries {
        match meet(dir, entry, ancestors, within) {
            Met::Hidden => {}
            Met::Input(input) => out.push(input),
            Met::Dir(path, id) => subdirs.push((path, id)),
        }
    }
    let below: Vec<Vec<Input>> = subdirs
        .par_iter()
        .map(|(sub, id)| {
            let mut chain = ancestors.to_vec();
            chain.push(*id);
            let mut found = Vec::new();
            walk(sub, &chain, within, &mut found);
            found
        })
        .collect();
    out.extend(below.into_iter().flatten());
}

/// What one directory entry turns out to be.
enum Met {
    /// A hidden entry (`.DS_Store`, `.git`): passed over silently.
    Hidden,
    /// A file to read, or one with its outcome already (skipped, unreadable).
    Input(Input),
    /// A directory to walk.
    Dir(PathBuf, Identity),
}

fn unreadable(path: &Path, what: &str, e: std::io::Error) -> Input {
    Input::Unreadable {
        display: display_path(path),
        reason: format!("cannot read {what}: {e}"),
    }
}

fn skipped(path: &Path, reason: &'static str) -> Met {
    Met::Input(Input::Skipped {
        display: display_path(path),
        reason,
    })
}

/// Looks at one entry of `dir`: its type from the directory listing, and
/// metadata only for what may be read or walked (a pipe is never opened).
fn meet(
    dir: &Path,
    entry: std::io::Result<std::fs::DirEntry>,
    ancestors: &[Identity],
    within: &[PathBuf],
) -> Met {
    let entry = match entry {
        Ok(entry) => entry,
        Err(e) => return Met::Input(unreadable(dir, "directory entry", e)),
    };
    if entry.file_name().as_encoded_bytes().starts_with(b".") {
        return Met::Hidden;
    }
    let path = entry.path();
    let file_type = match entry.file_type() {
        Ok(t) => t,
        Err(e) => return Met::Input(unreadable(&path, "directory entry", e)),
    };
    let meta = if file_type.is_symlink() {
        if leaves_corpus(&path, within) {
            return skipped(&path, OUTSIDE);
        }
        std::fs::metadata(&path)
    } else if file_type.is_dir() {
        entry.metadata()
    } else if file_type.is_file() {
        // A file ratsdoc does not read needs no metadata.
        if SourceFormat::from_path(&path).is_none() {
            return skipped(&path, UNSUPPORTED);
        }
        entry.metadata()
    } else {
        return skipped(&path, not_a_file(file_type));
    };
    let meta = match meta {
        Ok(meta) => meta,
        Err(e) => return Met::Input(unreadable(&path, "directory entry", e)),
    };
    if meta.is_dir() {
        let id = identity(&meta);
        if ancestors.contains(&id) {
            return Met::Input(Input::Unreadable {
                display: display_path(&path),
                reason: "symbolic link to a directory above it (not followed)".into(),
            });
        }
        if ratsdoc_oparl::is_paper_folder(&path) {
            return Met::Input(paper_folder(path));
        }
        return Met::Dir(path, id);
    }
    if !meta.is_file() {
        return skipped(&path, not_a_file(meta.file_type()));
    }
    match SourceFormat::from_path(&path) {
        Some(format) => Met::Input(Input::File {
            display: display_path(&path),
            path,
            format,
            seen: Some(Seen::of(&meta)),
        }),
        None => skipped(&path, UNSUPPORTED),
    }
}

/// Report paths use `/` on every platform and drop a leading `./`. The
/// report path is the manifest's key, so it must differ for every two
/// paths: see [`display_bytes`].
#[cfg(unix)]
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    display_bytes(bytes.strip_prefix(b"./").unwrap_or(bytes))
}

#[cfg(not(unix))]
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// A Unix path's bytes as text, one to one. A UTF-8 name without anything
/// that looks like an escape (`\x` and two hex digits) is shown as it is,
/// as it always was. Any other name is escaped: each byte that is not
/// UTF-8 as `\xFF`, each backslash as `\\`. The two never meet, because
/// every escaped name contains `\x` and two hex digits and no plain one
/// does; so two files never share a report path (a lossy conversion would
/// make `a\xFF.txt` and `a\xFE.txt` one file).
pub fn display_bytes(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes)
        && !looks_escaped(text)
    {
        return text.to_string();
    }
    let mut shown = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        shown.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02X}"));
        }
    }
    shown
}

/// Whether `text` holds `\x` followed by two hex digits.
fn looks_escaped(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0] == b'\\' && w[1] == b'x' && w[2].is_ascii_hexdigit() && w[3].is_ascii_hexdigit()
    })
}

/// What changed for an input that is not read (an error before reading, or
/// a skipped file), judged by its outcome and reason: the same outcome for
/// the same reason as last run is `unchanged`, so that a link loop or a
/// README reported once does not make every later run report a change.
pub fn unread_change(prev: Option<&FileEntry>, outcome: Outcome, reason: &str) -> Change {
    match prev {
        None => Change::Added,
        Some(prev) if prev.outcome == outcome && prev.reason.as_deref() == Some(reason) => {
            Change::Unchanged
        }
        Some(_) => Change::Changed,
    }
}

/// `path` made absolute with symbolic links resolved, as far as it exists
/// (a data directory may not exist yet): what two paths are compared by
/// when one must not lie inside the other.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(found) = std::fs::canonicalize(existing) {
            return missing.iter().rev().fold(found, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn displays(inputs: &[Input]) -> Vec<String> {
        inputs.iter().map(|i| i.display().to_string()).collect()
    }

    fn skipped(inputs: &[Input]) -> Vec<(String, &'static str)> {
        inputs
            .iter()
            .filter_map(|i| match i {
                Input::Skipped { display, reason } => Some((display.clone(), *reason)),
                _ => None,
            })
            .collect()
    }

    fn reasons(inputs: &[Input]) -> Vec<&str> {
        inputs
            .iter()
            .filter_map(|i| match i {
                Input::Unreadable { reason, .. } => Some(reason.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn walks_nested_folders_skips_foreign_files_and_ignores_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("2020/sub")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for f in [
            "a.txt",
            "2020/b.md",
            "2020/sub/c.pdf",
            "README",
            "old.doc",
            ".hidden.txt",
            ".DS_Store",
            ".git/x.txt",
        ] {
            std::fs::write(root.join(f), b"x").unwrap();
        }
        let scanned = scan(std::slice::from_ref(&root));
        let root_display = display_path(&root);
        let shown = |files: &[&str]| -> Vec<String> {
            files
                .iter()
                .map(|f| format!("{root_display}/{f}"))
                .collect()
        };
        assert_eq!(
            displays(&scanned.inputs),
            shown(&["2020/b.md", "2020/sub/c.pdf", "README", "a.txt", "old.doc"])
        );
        assert_eq!(
            skipped(&scanned.inputs),
            shown(&["README", "old.doc"])
                .into_iter()
                .map(|d| (d, UNSUPPORTED))
                .collect::<Vec<_>>()
        );
        for input in &scanned.inputs {
            if let Input::File { seen, .. } = input {
                assert_eq!(seen.map(|s| s.size), Some(1));
            }
        }
        assert_eq!(scanned.roots[0].state, RootState::Folder);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_reported_and_a_missing_root_is_unusable() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/x.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(&root, root.join("a/back")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("linked")).unwrap();
        let missing = dir.path().join("nope");
        let scanned = scan(&[root.clone(), missing]);
        let shown = displays(&scanned.inputs);
        assert!(
            shown.iter().any(|d| d.ends_with("corpus/a/x.txt")),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|d| d.ends_with("corpus/linked/x.txt")),
            "{shown:?}"
        );
        let reasons = reasons(&scanned.inputs);
        assert!(
            reasons.iter().any(|r| r.contains("symbolic link")),
            "{reasons:?}"
        );
        assert_eq!(
            scanned.roots[1].state,
            RootState::Unusable("no such file or directory".into())
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_corpus_are_skipped_links_inside_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("a/x.txt"), b"x").unwrap();
        std::fs::write(outside.join("secret.txt"), b"x").unwrap();
        let link = |to: &Path, name: &str| std::os::unix::fs::symlink(to, root.join(name)).unwrap();
        link(&root.join("a/x.txt"), "inside.txt");
        link(&outside.join("secret.txt"), "secret.txt");
        link(&outside, "out");
        link(Path::new("/etc/passwd"), "passwd.txt");
        let scanned = scan(std::slice::from_ref(&root));
        let shown = displays(&scanned.inputs);
        assert!(
            shown.iter().any(|d| d.ends_with("corpus/inside.txt")),
            "{shown:?}"
        );
        let outside_links: Vec<String> = skipped(&scanned.inputs)
            .into_iter()
            .filter(|(_, reason)| *reason == OUTSIDE)
            .map(|(d, _)| d.rsplit('/').next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(outside_links, ["out", "passwd.txt", "secret.txt"]);
        assert!(
            !shown.iter().any(|d| d.contains("out/")),
            "not walked: {shown:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_skipped_without_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(&root).unwrap();
        let fifo = root.join("pipe.txt");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path and a plain mode.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        // Opening the pipe would block this test forever.
        let scanned = scan(std::slice::from_ref(&root));
        let found = skipped(&scanned.inputs);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("named pipe"), "{found:?}");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_differ_only_in_bytes_that_are_not_utf8_stay_two_files() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(&root).unwrap();
        for name in [&b"a\xff.txt"[..], b"a\xfe.txt"] {
            std::fs::write(root.join(std::ffi::OsStr::from_bytes(name)), b"x").unwrap();
        }
        let scanned = scan(std::slice::from_ref(&root));
        let shown = displays(&scanned.inputs);
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].ends_with("/a\\xFE.txt"), "{shown:?}");
        assert!(shown[1].ends_with("/a\\xFF.txt"), "{shown:?}");
    }

    #[test]
    fn report_paths_are_one_to_one_and_utf8_names_unchanged() {
        for (bytes, shown) in [
            (&b"corpus/a.txt"[..], "corpus/a.txt"),
            (
                "corpus/Bürgeranfrage.pdf".as_bytes(),
                "corpus/Bürgeranfrage.pdf",
            ),
            (b"a\\b.txt", "a\\b.txt"),
            (b"a\xff.txt", "a\\xFF.txt"),
            (b"a\\xFF.txt", "a\\\\xFF.txt"),
            (b"a\\b\xfe.txt", "a\\\\b\\xFE.txt"),
        ] {
            assert_eq!(display_bytes(bytes), shown, "{bytes:?}");
        }
        let names: [&[u8]; 5] = [b"a\xff", b"a\\xFF", b"a\\\\xFF", b"a\\xff", b"a\\\xff"];
        let mut shown: Vec<String> = names.iter().map(|n| display_bytes(n)).collect();
        shown.sort();
        shown.dedup();
        assert_eq!(shown.len(), names.len(), "{shown:?}");
    }

    #[test]
    fn an_input_not_read_is_unchanged_while_its_outcome_and_reason_are() {
        let prev = FileEntry {
            hash: Default::default(),
            size: 0,
            mtime_ns: 0,
            outcome: Outcome::Error,
            ids: Vec::new(),
            reason: Some("symbolic link to a directory above it (not followed)".into()),
        };
        let loop_reason = prev.reason.clone().unwrap_or_default();
        assert_eq!(
            unread_change(None, Outcome::Error, &loop_reason),
            Change::Added
        );
        assert_eq!(
            unread_change(Some(&prev), Outcome::Error, &loop_reason),
            Change::Unchanged
        );
        assert_eq!(
            unread_change(Some(&prev), Outcome::Error, "cannot read: denied"),
            Change::Changed
        );
        assert_eq!(
            unread_change(Some(&prev), Outcome::Skipped, &loop_reason),
            Change::Changed
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_does_not_exist_yet_resolves_below_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        std::os::unix::fs::symlink(&real, real.join("via")).unwrap();
        assert_eq!(resolve(&real.join("via/new/data")), real.join("new/data"));
    }
}
