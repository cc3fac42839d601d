//! A crafted paper must not drive the clerk's terminal: a title holding
//! `ESC ] 0 ; … BEL` (set window title), `ESC [ 31 m` (red), a one-byte CSI
//! (U+009B) and a right-to-left override, and a file name with escapes,
//! reach no output of `build`, `search`, `status` or `show` as such, in
//! text or JSON. Logs carry no colour codes unless stderr is a terminal and
//! `NO_COLOR` is unset or empty; the terminal cases run on a pseudo-terminal.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::util::*;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
const CSI: char = '\u{9b}';
const RLO: char = '\u{202e}';

/// The title as the attacker wrote it.
fn crafted_title() -> String {
    format!(
        "Straßenbäume {ESC}]0;übernommen{BEL}in {ESC}[31mrot{ESC}[0m mit {CSI}2J und {RLO}gnuthcaV"
    )
}

/// A corpus with one motion carrying [`crafted_title`], and an empty file
/// whose name holds escapes (its error line names it).
fn crafted_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let paper = format!(
        "Beschlussantrag Nr. BA-007/2021\n\n\
         Einreicher:\n\nFraktion DIE LINKE\n\n\
         Gegenstand:\n\n{}\n\n\
         Beschlussvorschlag:\n\n\
         Die Stadtverwaltung wird beauftragt, dem Stadtrat bis zum 30.06.2021 über die \
         Straßenbäume im Stadtgebiet zu berichten.\n\n\
         Begründung:\n\nDie Straßenbäume leiden unter der Trockenheit.\n",
        crafted_title()
    );
    std::fs::write(corpus.join("BA-007-2021.txt"), paper).unwrap();
    std::fs::write(corpus.join(format!("leer{ESC}]0;x{BEL}.txt")), b"").unwrap();
    corpus
}

/// Every control a terminal would obey, as found in `text`.
fn controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t' && c != '\r')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

fn assert_clean(what: &str, o: &std::process::Output) {
    for (stream, text) in [("stdout", stdout(o)), ("stderr", stderr(o))] {
        let found = controls(&text);
        assert!(
            found.is_empty(),
            "{what}: {stream} holds {found:?}:\n{text}"
        );
    }
}

/// Builds the crafted corpus; returns the temporary directory and `<DATA>`.
fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = crafted_corpus(tmp.path());
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &["--as-of", "2021-09-01"]);
    assert_eq!(code(&o), 1, "the empty file is an error: {}", stderr(&o));
    assert_clean("build", &o);
    assert!(
        stderr(&o).contains("leer\\u{1b}]0;x\\u{7}.txt"),
        "{}",
        stderr(&o)
    );
    (tmp, data)
}

#[test]
fn a_crafted_title_reaches_no_terminal_as_escape_codes() {
    let (_tmp, data) = built();
    let d = data.to_str().unwrap();
    let commands: [(&str, Vec<&str>); 3] = [
        ("search", vec!["search", "Straßenbäume", "--data", d]),
        (
            "status",
            vec!["status", "--data", d, "--as-of", "2021-09-01"],
        ),
        ("show", vec!["show", "BA-007/2021", "--data", d]),
    ];
    for (name, args) in commands {
        let o = run(&args, Path::new("."));
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        assert_clean(name, &o);
        // The title is there, its escapes shown (`\u{1b}]0;…`, or YAML's
        // `\e]0;…` in `show`) rather than obeyed.
        let out = stdout(&o);
        assert!(out.contains("]0;übernommen"), "{name}: {out}");
        assert!(out.contains("[31mrot"), "{name}: {out}");
    }
}

#[test]
fn json_output_escapes_the_crafted_title_and_keeps_its_value() {
    let (_tmp, data) = built();
    let d = data.to_str().unwrap();
    // Each command with the JSON pointer to the title in its output.
    let commands: [(&str, Vec<&str>, &str); 3] = [
        (
            "search",
            vec!["search", "Straßenbäume", "--data", d, "--json"],
            "/hits/0/title",
        ),
        (
            "status",
            vec!["status", "--data", d, "--as-of", "2021-09-01", "--json"],
            "/0/title",
        ),
        (
            "show",
            vec!["show", "BA-007/2021", "--data", d, "--json"],
            "/record/title",
        ),
    ];
    for (name, args, title) in commands {
        let o = run(&args, Path::new("."));
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        assert_clean(name, &o);
        let value: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let title = value
            .pointer(title)
            .and_then(|t| t.as_str())
            .unwrap_or_else(|| panic!("{name}: {value}"));
        assert!(
            title.contains(ESC) && title.contains(CSI) && title.contains(RLO),
            "{name}: {title:?}"
        );
    }
}

#[test]
fn logs_have_no_colour_codes_when_stderr_is_not_a_terminal() {
    let (tmp, data) = built();
    let corpus = tmp.path().join("corpus");
    let o = ratsdoc()
        .args([
            "build",
            corpus.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--quiet",
        ])
        .env("RATSDOC_LOG", "info")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(err.contains("INFO"), "no log lines to check: {err}");
    assert!(!err.contains(ESC), "colour codes or escapes in {err:?}");
}

/// `ratsdoc args…` with stdout and stderr on a new pseudo-terminal, and
/// what the terminal received; `None` where no pseudo-terminal can be had.
fn on_terminal(args: &[&str], no_color: Option<&str>) -> Option<String> {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: both pointers are to live locals; the name, termios and
    // window size pointers may be null.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    if opened != 0 {
        println!("no pseudo-terminal: {}", std::io::Error::last_os_error());
        return None;
    }
    // SAFETY: openpty succeeded, so both are open descriptors owned by no one else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut cmd = ratsdoc();
    cmd.args(args)
        .env("RATSDOC_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave));
    match no_color {
        Some(v) => cmd.env("NO_COLOR", v),
        None => cmd.env_remove("NO_COLOR"),
    };
    let mut child = cmd.spawn().unwrap();
    // The command holds the slave's copies; without them the master reads
    // end of file (EIO on Linux) once the child is gone.
    drop(cmd);
    let mut got = Vec::new();
    let mut master = std::fs::File::from(master);
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.raw_os_error() == Some(libc::EIO) => break,
            Err(e) => panic!("reading the terminal: {e}"),
        }
    }
    child.wait().unwrap();
    Some(String::from_utf8_lossy(&got).into_owned())
}

#[test]
fn colours_on_a_terminal_only_without_no_color() {
    let (tmp, data) = built();
    let corpus = tmp.path().join("corpus");
    let (c, d) = (corpus.to_str().unwrap(), data.to_str().unwrap());
    let runs: [(&str, Vec<&str>); 2] = [
        ("build", vec!["build", c, "--data", d, "--quiet"]),
        ("search", vec!["search", "Straßenbäume", "--data", d]),
    ];
    if on_terminal(&["--version"], None).is_none() {
        println!("skipped: this machine gives no pseudo-terminal");
        return;
    }
    for (name, args) in runs {
        // Our own colours (and tracing's) appear on a terminal, also with an
        // empty NO_COLOR, which no-color.org says to ignore…
        for no_color in [None, Some("")] {
            let shown = on_terminal(&args, no_color).unwrap();
            assert!(
                shown.contains("\u{1b}["),
                "{name} {no_color:?}: no colour in {shown:?}"
            );
            assert!(!shown.contains("\u{1b}]"), "{name}: {shown:?}");
            assert!(
                !shown.contains(BEL) && !shown.contains(CSI),
                "{name}: {shown:?}"
            );
        }
        // …and none at all under NO_COLOR.
        let shown = on_terminal(&args, Some("1")).unwrap();
        assert!(!shown.contains(ESC), "{name} NO_COLOR=1: {shown:?}");
        assert!(
            shown.contains("Straßenbäume") || name == "build",
            "{name}: {shown:?}"
        );
    }
}
