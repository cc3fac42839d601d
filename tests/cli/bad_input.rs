//! Bad input never wins: every file gets exactly one outcome, good files
//! still get their records, and the exit code says "some files failed".

use crate::util::*;

#[test]
fn empty_binary_and_unreadable_files_are_errors_and_the_rest_is_done() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = copy_text_corpus(tmp.path());
    std::fs::write(corpus.join("empty.txt"), b"").unwrap();
    std::fs::write(corpus.join("blank.md"), b"  \n\n\t\n").unwrap();
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(corpus.join("binary.txt"), &binary).unwrap();
    std::os::unix::fs::symlink(
        tmp.path().join("does-not-exist.txt"),
        corpus.join("dangling.txt"),
    )
    .unwrap();
    let data = tmp.path().join("data");
    let o = build(&corpus, &data, &[]);
    assert_eq!(code(&o), 1, "stdout: {} stderr: {}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    for name in ["empty.txt", "blank.md", "binary.txt", "dangling.txt"] {
        assert!(err.contains(name), "{name} not named in: {err}");
    }
    let report = report(&data);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 9, "each input exactly once: {files:#?}");
    for f in files {
        let path = f["path"].as_str().unwrap();
        let outcome = f["outcome"].as_str().unwrap();
        let bad = ["empty.txt", "blank.md", "binary.txt", "dangling.txt"]
            .iter()
            .any(|n| path.ends_with(n));
        if bad {
            assert_eq!(outcome, "error", "{path}");
            assert!(
                !f["reason"].as_str().unwrap_or("").is_empty(),
                "{path} has a reason"
            );
        } else {
            assert_ne!(outcome, "error", "{path}");
        }
    }
    assert!(data.join("records/BA-044-2020.yaml").is_file());
    assert!(data.join("records/I-051-2020.yaml").is_file());
    assert_eq!(report["totals"]["errors"], 4);
}

#[test]
fn an_explicitly_named_unsupported_file_is_an_error_not_a_silence() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("paper.docx");
    std::fs::write(&doc, b"PK\x03\x04").unwrap();
    let data = tmp.path().join("data");
    let o = build(&doc, &data, &[]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("unsupported file type"),
        "{}",
        stderr(&o)
    );
}
