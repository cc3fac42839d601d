//! Finding the input files: walk the directories given, keep what ratsdoc
//! reads (PDF, text, Markdown), and turn every problem on the way into an
//! outcome for that path instead of an abort.

use std::path::{Path, PathBuf};

use ratsdoc_model::SourceFormat;

/// A file to read, or a path that could not even be looked at.
#[derive(Debug, Clone)]
pub enum Input {
    File {
        path: PathBuf,
        /// The path as the report shows it: as given, `/`-separated.
        display: String,
        format: SourceFormat,
    },
    Unreadable {
        display: String,
        reason: String,
    },
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
/// outcome, because the user asked for it.
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
                }),
                None => inputs.push(Input::Unreadable {
                    display,
                    reason: "unsupported file type (ratsdoc reads .pdf, .txt and .md)".into(),
                }),
            }
            continue;
        }
        if !root.exists() {
            inputs.push(Input::Unreadable {
                display: display_path(root),
                reason: "no such file or directory".into(),
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if !entry.file_type().is_file() {
                        continue;
                    }
                    if let Some(format) = SourceFormat::from_path(entry.path()) {
                        inputs.push(Input::File {
                            path: entry.path().to_path_buf(),
                            display: display_path(entry.path()),
                            format,
                        });
                    }
                }
                Err(e) => {
                    let display = e
                        .path()
                        .map(display_path)
                        .unwrap_or_else(|| display_path(root));
                    let reason = match e.io_error() {
                        Some(io) => format!("cannot read directory entry: {io}"),
                        None => format!("cannot walk: {e}"),
                    };
                    inputs.push(Input::Unreadable { display, reason });
                }
            }
        }
    }
    inputs.sort_by(|a, b| a.display().cmp(b.display()));
    inputs.dedup_by(|a, b| a.display() == b.display());
    inputs
}

/// Report paths use `/` on every platform and drop a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
