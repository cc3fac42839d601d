//! A File's bytes (`accessUrl`, `downloadUrl`): only a file a record names,
//! only under the files root, and only while its bytes are still the ones
//! the build read (blake3 as the record keeps it).

use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ratsdoc_model::Record;
use ratsdoc_oparl_api::{FileFacts, paper_files};

use super::{catalog, failure, live_record};
use crate::AppState;
use crate::error::WebError;

/// The file of a record at `path` (as the record keeps it), if it lies
/// under `root`: a hand-edited record cannot make the server read
/// elsewhere.
fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let full = root.join(path).canonicalize().ok()?;
    full.starts_with(&root).then_some(full)
}

/// The size of the file, if it can be served.
pub fn size(root: &Path, path: &str) -> Option<u64> {
    let full = resolve(root, path)?;
    std::fs::metadata(full)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
}

/// File `n` of the record.
pub fn find(record: &Record, stem: &str, n: &str) -> Result<FileFacts, WebError> {
    n.parse::<usize>()
        .ok()
        .and_then(|n| paper_files(record).into_iter().find(|f| f.n == n))
        .ok_or_else(|| WebError::not_found(format!("Keine Datei {n} zu „{stem}“.")))
}

/// The bytes, checked against the record's hash.
fn read(root: &Path, file: &FileFacts) -> Result<Vec<u8>, WebError> {
    let gone = || {
        WebError::not_found(format!(
            "Die Datei „{}“ liegt nicht (mehr) vor.",
            file.file_name()
        ))
    };
    let full = resolve(root, &file.path).ok_or_else(gone)?;
    let bytes = std::fs::read(full).map_err(|_| gone())?;
    if let Some(expected) = &file.hash
        && blake3::hash(&bytes).to_hex().as_str() != expected
    {
        return Err(WebError::not_found(format!(
            "Die Datei „{}“ hat sich seit dem letzten Build geändert; der nächste Build liest sie neu.",
            file.file_name()
        )));
    }
    Ok(bytes)
}

/// `…/file/<n>/access` (shown in the browser) or `…/download` (saved).
pub async fn bytes(
    State(app): State<AppState>,
    UrlPath((stem, n, how)): UrlPath<(String, String, String)>,
) -> Response {
    let download = match how.as_str() {
        "access" => false,
        "download" => true,
        _ => {
            return failure(&WebError::not_found(format!(
                "Unbekannter Zugriff „{how}“."
            )));
        }
    };
    let work = move || {
        let (_, cat) = catalog(&app)?;
        let (record, _) = live_record(&app, &cat, &stem)?;
        let file = find(&record, &stem, &n)?;
        let bytes = read(&app.oparl().files_root, &file)?;
        Ok::<_, WebError>((file, bytes))
    };
    let (file, bytes) = match tokio::task::spawn_blocking(work).await {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return failure(&e),
        Err(e) => return failure(&WebError::from(e)),
    };
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(file.mime_type()),
        )],
        bytes,
    )
        .into_response();
    if download {
        let name: String = file
            .file_name()
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() && c != '"' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-edited record cannot point the server outside the files
    /// root, by `..` or by an absolute path.
    #[test]
    fn only_files_under_the_root_resolve() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("corpus")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("corpus/a.txt"), "Antrag").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("secret.txt"), "geheim").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(size(&root, "corpus/a.txt"), Some(6));
        assert_eq!(size(&root, "../secret.txt"), None);
        let outside = dir.path().join("secret.txt");
        assert_eq!(size(&root, outside.to_str().unwrap_or_default()), None);
        assert_eq!(size(&root, "corpus/missing.txt"), None);
    }
}
