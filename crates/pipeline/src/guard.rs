//! The checks that stop a build before it can do harm: a data directory
//! that would be written into the wrong place, and a run that would remove
//! papers because the corpus looks gone rather than emptied on purpose.
//!
//! A nightly job cannot tell an unmounted share from a folder a clerk
//! cleared: both look like "every file removed". ratsdoc therefore removes
//! a paper only when its file is gone from a folder that is itself present
//! and readable, and stops (exit 2, nothing written) when a run would
//! remove papers in a way a vanished or unreadable folder explains.
//! `--allow-mass-removal` is the way to say "yes, on purpose".
//!
//! The checks are pure functions over what the scan saw and what the
//! manifest remembers; [`before_any_write`] gathers the few file-system
//! facts the first check needs.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use ratsdoc_model::Outcome;
use ratsdoc_store::manifest::FileEntry;

use crate::scan::{self, Input, RootState, Scanned};

/// A run that would remove at least this many paper files...
pub const MASS_REMOVAL_FLOOR: usize = 10;
/// ...and more than this share of last run's paper files (numerator,
/// denominator) is stopped unless `--allow-mass-removal` is given.
pub const MASS_REMOVAL_SHARE: (usize, usize) = (1, 2);

/// How to go on, said once for every refusal that the flag lifts.
const ON_PURPOSE: &str = "if the papers were removed on purpose, run again with \
    --allow-mass-removal";

/// Why a build stopped before changing anything in the data directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// The data directory is `/`, the home directory, or overlaps a corpus path.
    #[error(
        "{data} cannot be the data directory: {why}; give ratsdoc a directory of its \
         own outside the corpus (e.g. /srv/ratsdoc/data)"
    )]
    DataDir { data: String, why: String },
    /// A corpus path given on the command line is missing or unreadable.
    #[error(
        "corpus path {root}: {reason}; nothing was removed or written. Check that it is \
         there, mounted and readable; if it was retired on purpose, leave it out of the \
         command line"
    )]
    UnusableRoot { root: String, reason: String },
    /// A corpus folder that gave papers last run gives none now.
    #[error(
        "corpus folder {root} gave {had} paper files last run and none now (an unmounted \
         or emptied share looks like this); nothing was removed or written. Check the \
         folder; {ON_PURPOSE}"
    )]
    EmptiedRoot { root: String, had: usize },
    /// A folder inside the corpus cannot be read, and its papers would go.
    #[error(
        "{dir} cannot be read ({reason}), so the {files} paper files below it that last \
         run read would be removed; nothing was removed or written. Fix its permissions; \
         {ON_PURPOSE}"
    )]
    UnreadableFolder {
        dir: String,
        reason: String,
        files: usize,
    },
    /// The run would remove more than half of last run's paper files.
    #[error(
        "this run would remove {removed} of the {had} paper files of the last run (ratsdoc \
         stops when a run would remove more than half of them and at least \
         {MASS_REMOVAL_FLOOR}); nothing was removed or written. Check the corpus; \
         {ON_PURPOSE}"
    )]
    MassRemoval { removed: usize, had: usize },
}

/// The checks that need no manifest, run before the data directory is
/// created or locked, so that a refused run leaves no trace: the data
/// directory's place, and every corpus path present and readable.
pub fn before_any_write(data: &Path, roots: &[PathBuf]) -> Result<(), GuardError> {
    let states: Vec<(PathBuf, RootState)> = roots
        .iter()
        .map(|root| (root.clone(), scan::root_state(root)))
        .collect();
    unusable_root(
        states
            .iter()
            .map(|(root, state)| (scan::display_path(root), state.clone())),
    )?;
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| scan::resolve(Path::new(&h)));
    let resolved: Vec<PathBuf> = roots.iter().map(|r| scan::resolve(r)).collect();
    match data_dir_conflict(&scan::resolve(data), &resolved, home.as_deref()) {
        Some(why) => Err(GuardError::DataDir {
            data: data.display().to_string(),
            why,
        }),
        None => Ok(()),
    }
}

/// Why `data` (absolute, symbolic links resolved, like `roots` and `home`)
/// must not be the data directory, if it must not: a build writes records,
/// an index and a report there and would read its own output as input or
/// litter a directory the user lives in.
pub fn data_dir_conflict(data: &Path, roots: &[PathBuf], home: Option<&Path>) -> Option<String> {
    if data.parent().is_none() {
        return Some("it is the root of the file system".into());
    }
    if home == Some(data) {
        return Some("it is your home directory".into());
    }
    roots.iter().find_map(|root| {
        if root == data {
            Some(format!("it is also a corpus path ({})", root.display()))
        } else if data.starts_with(root) {
            Some(format!("it lies inside the corpus path {}", root.display()))
        } else if root.starts_with(data) {
            Some(format!("it contains the corpus path {}", root.display()))
        } else {
            None
        }
    })
}

/// The first corpus path that is missing or unreadable. No flag lifts
/// this: a retired folder is left out of the command line instead.
pub fn unusable_root(
    roots: impl IntoIterator<Item = (String, RootState)>,
) -> Result<(), GuardError> {
    for (root, state) in roots {
        if let RootState::Unusable(reason) = state {
            return Err(GuardError::UnusableRoot { root, reason });
        }
    }
    Ok(())
}

/// Whether this run may remove what it would remove: the files of the
/// manifest `old` that gave a paper (`record` or `other`) and that the
/// scan no longer found. Stops on a corpus path that is unusable now, and,
/// unless `allow_mass_removal`, on a corpus folder that emptied, on a
/// folder that could not be read, and on a removal of more than half.
pub fn removals(
    old: &BTreeMap<String, FileEntry>,
    scanned: &Scanned,
    allow_mass_removal: bool,
) -> Result<(), GuardError> {
    unusable_root(
        scanned
            .roots
            .iter()
            .map(|r| (r.display.clone(), r.state.clone())),
    )?;
    if allow_mass_removal {
        return Ok(());
    }
    let present: HashSet<&str> = scanned.inputs.iter().map(Input::display).collect();
    let papers: Vec<&str> = old
        .iter()
        .filter(|(_, entry)| matches!(entry.outcome, Outcome::Record | Outcome::Other))
        .map(|(path, _)| path.as_str())
        .collect();
    let gone: Vec<&str> = papers
        .iter()
        .copied()
        .filter(|path| !present.contains(path))
        .collect();
    if gone.is_empty() {
        return Ok(());
    }
    for root in &scanned.roots {
        let found = scanned
            .inputs
            .iter()
            .any(|i| matches!(i, Input::File { .. }) && under(i.display(), &root.display));
        let had = papers.iter().filter(|p| under(p, &root.display)).count();
        if root.state == RootState::Folder && !found && had > 0 {
            return Err(GuardError::EmptiedRoot {
                root: root.display.clone(),
                had,
            });
        }
    }
    for input in &scanned.inputs {
        if let Input::Unreadable { display, reason } = input {
            let files = gone.iter().filter(|p| under(p, display)).count();
            if files > 0 {
                return Err(GuardError::UnreadableFolder {
                    dir: display.clone(),
                    reason: reason.clone(),
                    files,
                });
            }
        }
    }
    let (num, den) = MASS_REMOVAL_SHARE;
    if gone.len() >= MASS_REMOVAL_FLOOR && gone.len() * den > papers.len() * num {
        return Err(GuardError::MassRemoval {
            removed: gone.len(),
            had: papers.len(),
        });
    }
    Ok(())
}

/// Whether the report path `path` lies in or is the corpus path shown as
/// `root` (report paths are `/`-separated and keep the root as given).
fn under(path: &str, root: &str) -> bool {
    if root.starts_with('/') && root.trim_matches('/').is_empty() {
        return path.starts_with('/');
    }
    let root = root.trim_end_matches('/');
    if root.is_empty() || root == "." {
        return !path.starts_with('/');
    }
    path == root
        || path
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{Root, Seen};
    use ratsdoc_model::SourceFormat;
    use ratsdoc_store::manifest::Hash;

    fn entry(outcome: Outcome) -> FileEntry {
        FileEntry {
            hash: Hash::default(),
            size: 1,
            mtime_ns: 1,
            outcome,
            ids: Vec::new(),
            reason: None,
        }
    }

    fn manifest(paths: &[&str]) -> BTreeMap<String, FileEntry> {
        paths
            .iter()
            .map(|p| (p.to_string(), entry(Outcome::Record)))
            .collect()
    }

    fn file(display: &str) -> Input {
        Input::File {
            path: PathBuf::from(display),
            display: display.to_string(),
            format: SourceFormat::Txt,
            seen: Some(Seen {
                size: 1,
                mtime_ns: 1,
            }),
        }
    }

    fn folder(display: &str, state: RootState) -> Root {
        Root {
            display: display.to_string(),
            state,
        }
    }

    fn numbered(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("corpus/{i:03}.txt")).collect()
    }

    #[test]
    fn a_missing_root_stops_the_run_even_with_the_flag() {
        let old = manifest(&["corpus/a.txt"]);
        let scanned = Scanned {
            inputs: Vec::new(),
            roots: vec![folder(
                "corpus",
                RootState::Unusable("no such file or directory".into()),
            )],
        };
        for allow in [false, true] {
            let err = removals(&old, &scanned, allow).unwrap_err();
            assert!(matches!(err, GuardError::UnusableRoot { .. }), "{err}");
            assert!(err.to_string().contains("corpus path corpus"), "{err}");
        }
    }

    #[test]
    fn an_emptied_folder_stops_the_run_unless_allowed() {
        let old = manifest(&["corpus/a.txt", "corpus/b.txt", "other/c.txt"]);
        let scanned = Scanned {
            inputs: vec![
                file("other/c.txt"),
                Input::Skipped {
                    display: "corpus/README".into(),
                    reason: scan::UNSUPPORTED,
                },
            ],
            roots: vec![
                folder("corpus", RootState::Folder),
                folder("other", RootState::Folder),
            ],
        };
        let err = removals(&old, &scanned, false).unwrap_err();
        assert_eq!(
            err,
            GuardError::EmptiedRoot {
                root: "corpus".into(),
                had: 2
            }
        );
        assert!(err.to_string().contains("--allow-mass-removal"), "{err}");
        assert_eq!(removals(&old, &scanned, true), Ok(()));
    }

    #[test]
    fn files_below_an_unreadable_folder_are_not_taken_for_removed() {
        let old = manifest(&["corpus/2020/a.txt", "corpus/b.txt"]);
        let scanned = Scanned {
            inputs: vec![
                file("corpus/b.txt"),
                Input::Unreadable {
                    display: "corpus/2020".into(),
                    reason: "permission denied".into(),
                },
            ],
            roots: vec![folder("corpus", RootState::Folder)],
        };
        let err = removals(&old, &scanned, false).unwrap_err();
        assert!(
            matches!(err, GuardError::UnreadableFolder { files: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn more_than_half_removed_stops_from_the_floor_on() {
        let all = numbered(2 * MASS_REMOVAL_FLOOR);
        let old = manifest(&all.iter().map(String::as_str).collect::<Vec<_>>());
        let roots = vec![folder("corpus", RootState::Folder)];
        let keep = |n: usize| Scanned {
            inputs: all[..n].iter().map(|p| file(p)).collect(),
            roots: roots.clone(),
        };
        // Exactly half removed: allowed.
        assert_eq!(removals(&old, &keep(MASS_REMOVAL_FLOOR), false), Ok(()));
        // One more than half: stopped, unless allowed.
        let err = removals(&old, &keep(MASS_REMOVAL_FLOOR - 1), false).unwrap_err();
        assert_eq!(
            err,
            GuardError::MassRemoval {
                removed: MASS_REMOVAL_FLOOR + 1,
                had: 2 * MASS_REMOVAL_FLOOR
            }
        );
        assert_eq!(removals(&old, &keep(MASS_REMOVAL_FLOOR - 1), true), Ok(()));
    }

    #[test]
    fn below_the_floor_most_of_a_small_corpus_may_go() {
        let all = numbered(MASS_REMOVAL_FLOOR);
        let old = manifest(&all.iter().map(String::as_str).collect::<Vec<_>>());
        let scanned = Scanned {
            inputs: vec![file(&all[0])],
            roots: vec![folder("corpus", RootState::Folder)],
        };
        assert_eq!(removals(&old, &scanned, false), Ok(()));
    }

    #[test]
    fn errors_and_skipped_files_of_last_run_do_not_count_as_papers() {
        let mut old = manifest(&["corpus/a.txt"]);
        for path in ["corpus/x.txt", "corpus/y.doc"] {
            old.insert(path.into(), entry(Outcome::Error));
        }
        old.insert("corpus/z.doc".into(), entry(Outcome::Skipped));
        let scanned = Scanned {
            inputs: vec![file("corpus/a.txt")],
            roots: vec![folder("corpus", RootState::Folder)],
        };
        assert_eq!(removals(&old, &scanned, false), Ok(()));
    }

    #[test]
    fn the_data_directory_stays_out_of_the_corpus_and_the_home() {
        let roots = [PathBuf::from("/srv/papers")];
        let home = Some(Path::new("/home/clerk"));
        let conflict = |data: &str| data_dir_conflict(Path::new(data), &roots, home);
        assert_eq!(conflict("/srv/data"), None);
        assert_eq!(conflict("/srv/papers-data"), None);
        for (data, why) in [
            ("/", "root of the file system"),
            ("/home/clerk", "home directory"),
            ("/srv/papers", "also a corpus path"),
            ("/srv/papers/data", "inside the corpus path"),
            ("/srv", "contains the corpus path"),
        ] {
            let found = conflict(data).unwrap_or_default();
            assert!(found.contains(why), "{data}: {found:?}");
        }
    }

    #[test]
    fn report_paths_lie_under_their_root_by_whole_components() {
        assert!(under("corpus/a.txt", "corpus"));
        assert!(under("corpus/a.txt", "corpus/"));
        assert!(under("corpus", "corpus"));
        assert!(!under("corpus2/a.txt", "corpus"));
        assert!(under("a.txt", "."));
        assert!(under("/abs/a.txt", "/"));
    }
}
