//! How a rendered calendar or feed travels: compressed when the client
//! accepts gzip, and not at all when the client already holds it.
//!
//! A subscribed calendar polls the same URL every few minutes, and the
//! unfiltered one is megabytes at 100,000 papers. Both answers are made
//! once per build and request and kept with the body in the snapshot:
//! - the gzip form, which calendar programs and feed readers ask for
//!   (`Accept-Encoding: gzip`) and which is a fraction of the size;
//! - a strong `ETag` from the body's hash, so a client that sends
//!   `If-None-Match` gets `304 Not Modified` and no body until the next
//!   build changes it.

use std::io::Write;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Bodies smaller than this go out as they are: compressing them saves
/// less than the gzip header and the work cost.
const COMPRESS_FROM: usize = 1024;

/// One rendered body, in the forms it is sent in.
#[derive(Debug)]
pub struct Rendered {
    pub plain: Bytes,
    /// Made on the first request that accepts gzip, so bodies no client
    /// asks compressed (OParl pages read once by a crawler) never pay for
    /// it. `None` inside for small bodies, or if compression failed (then
    /// the plain body is sent: it is never worse than no answer).
    gzip: OnceLock<Option<Bytes>>,
    /// Quoted, as the header carries it.
    pub etag: String,
}

impl Rendered {
    pub fn new(body: String) -> Rendered {
        let plain = Bytes::from(body);
        let etag = format!("\"{}\"", &blake3::hash(&plain).to_hex()[..32]);
        Rendered {
            plain,
            gzip: OnceLock::new(),
            etag,
        }
    }

    /// What the cache counts against its byte budget: the plain body and
    /// the gzip form once one was made.
    pub fn size(&self) -> usize {
        let gzip = self.gzip.get().and_then(Option::as_ref);
        self.plain.len() + gzip.map_or(0, Bytes::len)
    }

    fn gzip(&self) -> Option<&Bytes> {
        self.gzip
            .get_or_init(|| {
                (self.plain.len() >= COMPRESS_FROM)
                    .then(|| gzip(&self.plain))
                    .flatten()
                    .map(Bytes::from)
            })
            .as_ref()
    }

    /// The answer to a request with `headers`: 304 when the client's
    /// `If-None-Match` names this body, else the body, gzipped when the
    /// client accepts it.
    pub fn respond(&self, content_type: &'static str, headers: &HeaderMap) -> Response {
        let etag = HeaderValue::from_str(&self.etag).ok();
        let mut common = HeaderMap::new();
        common.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if let Some(etag) = etag {
            common.insert(header::ETAG, etag);
        }
        if client_holds(headers, &self.etag) {
            return (StatusCode::NOT_MODIFIED, common).into_response();
        }
        common.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        match accepts_gzip(headers).then(|| self.gzip()).flatten() {
            Some(gzip) => {
                common.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                (common, gzip.clone()).into_response()
            }
            _ => (common, self.plain.clone()).into_response(),
        }
    }
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 4), Compression::default());
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

/// `If-None-Match` lists `etag` (or is `*`). Weak forms (`W/"…"`) match
/// too: a GET compares weakly (RFC 9110, 13.1.2).
fn client_holds(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

/// `Accept-Encoding` names `gzip` (or `*`) with a non-zero quality.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for item in headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match coding.as_str() {
            "gzip" | "x-gzip" => gzip = Some(quality > 0.0),
            "*" => any = Some(quality > 0.0),
            _ => {}
        }
    }
    gzip.or(any).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn gzip_is_taken_only_when_offered_with_a_quality() {
        let accept = |v: &str| accepts_gzip(&headers(&[(header::ACCEPT_ENCODING, v)]));
        assert!(accept("gzip, deflate, br"));
        assert!(accept("br;q=1.0, gzip;q=0.8"));
        assert!(accept("*"));
        assert!(!accept("gzip;q=0"));
        assert!(!accept("*, gzip;q=0"));
        assert!(!accept("deflate, br"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn the_gzip_form_unpacks_to_the_plain_body() {
        let body = "BEGIN:VCALENDAR\r\n".repeat(200);
        let rendered = Rendered::new(body.clone());
        let gzip = rendered.gzip().unwrap();
        assert!(gzip.len() < body.len() / 10);
        let mut unpacked = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, body);
        assert!(Rendered::new("short".into()).gzip().is_none());
    }

    #[test]
    fn a_client_holding_the_body_gets_not_modified() {
        let rendered = Rendered::new("body".into());
        let same = headers(&[(header::IF_NONE_MATCH, &format!("W/{}", rendered.etag))]);
        let other = headers(&[(header::IF_NONE_MATCH, "\"0123\", \"4567\"")]);
        assert_eq!(
            rendered.respond("text/plain", &same).status(),
            StatusCode::NOT_MODIFIED
        );
        let sent = rendered.respond("text/plain", &other);
        assert_eq!(sent.status(), StatusCode::OK);
        assert_eq!(sent.headers()[header::ETAG], rendered.etag.as_str());
        assert!(client_holds(
            &headers(&[(header::IF_NONE_MATCH, "*")]),
            "\"x\""
        ));
    }

    #[test]
    fn different_bodies_have_different_tags() {
        assert_ne!(
            Rendered::new("a".into()).etag,
            Rendered::new("b".into()).etag
        );
        assert_eq!(
            Rendered::new("a".into()).etag,
            Rendered::new("a".into()).etag
        );
    }
}
