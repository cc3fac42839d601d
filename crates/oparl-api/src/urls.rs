//! Every URL the endpoint hands out. Paths are this crate's choice (OParl
//! leaves them to the server); what matters is that each is absolute, from
//! the public URL the server was given, and stable across builds.
//!
//! | path under `/oparl/v1.1` | object |
//! |---|---|
//! | `/` | System |
//! | `/bodies`, `/body` | the body list, the one Body |
//! | `/body/papers`, `/body/organizations`, `/body/people`, `/body/meetings`, `/body/terms` | lists |
//! | `/paper/<stem>` | Paper (`<stem>`: the record's file stem) |
//! | `/paper/<stem>/consultation/<n>`, `/paper/<stem>/file/<n>` | Consultation, File |
//! | `/paper/<stem>/file/<n>/access`, `…/download` | the file's bytes |
//! | `/organization/<slug>`, `/person/<slug>`, `/meeting/<slug>`, `/term/<slug>` | the rest |

use crate::PREFIX;

/// The URLs of one server, from its public URL.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `http://host:port/oparl/v1.1`, no trailing slash.
    root: String,
    /// `http://host:port`, no trailing slash: where the web pages are.
    public: String,
}

impl Urls {
    /// `public` is what clients reach the server at (`https://rat.example`,
    /// or a path under a reverse proxy); a trailing slash is ignored.
    pub fn new(public: &str) -> Urls {
        let public = public.trim_end_matches('/');
        Urls {
            root: format!("{public}{PREFIX}"),
            public: public.to_string(),
        }
    }

    pub fn system(&self) -> String {
        format!("{}/", self.root)
    }

    pub fn bodies(&self) -> String {
        format!("{}/bodies", self.root)
    }

    pub fn body(&self) -> String {
        format!("{}/body", self.root)
    }

    /// One of the body's lists: `papers`, `organizations`, `people`,
    /// `meetings`, `terms`.
    pub fn body_list(&self, name: &str) -> String {
        format!("{}/body/{name}", self.root)
    }

    pub fn paper(&self, stem: &str) -> String {
        format!("{}/paper/{}", self.root, segment(stem))
    }

    /// The paper's page for people on the same server (OParl `web`).
    pub fn paper_page(&self, stem: &str) -> String {
        format!("{}/papers/{}", self.public, segment(stem))
    }

    pub fn consultation(&self, stem: &str, n: usize) -> String {
        format!("{}/consultation/{n}", self.paper(stem))
    }

    pub fn file(&self, stem: &str, n: usize) -> String {
        format!("{}/file/{n}", self.paper(stem))
    }

    /// `access` or `download`.
    pub fn file_bytes(&self, stem: &str, n: usize, how: &str) -> String {
        format!("{}/{how}", self.file(stem, n))
    }

    /// `organization`, `person`, `meeting` or `term`, with its slug.
    pub fn object(&self, kind: &str, slug: &str) -> String {
        format!("{}/{kind}/{}", self.root, segment(slug))
    }
}

/// A path segment: unreserved characters stay, every other byte is
/// percent-encoded (record stems may hold letters beyond ASCII).
fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// German letters spelled out for a slug.
const FOLDS: [(char, &str); 7] = [
    ('ä', "ae"),
    ('ö', "oe"),
    ('ü', "ue"),
    ('ß', "ss"),
    ('Ä', "ae"),
    ('Ö', "oe"),
    ('Ü', "ue"),
];

/// Longest readable part of a slug, in bytes.
const SLUG_WORDS: usize = 60;

/// A stable, readable slug for `name`, unique for `key`: the name in
/// lower-case ASCII words, then eight hex digits of the key's blake3, so
/// two names that fold alike ("Bau-Ausschuss", "Bauausschuss") keep two
/// ids and the same name always has the same one.
pub fn slug(name: &str, key: &str) -> String {
    let mut words = String::new();
    for c in name.chars() {
        if let Some((_, spelled)) = FOLDS.iter().find(|(u, _)| *u == c) {
            words.push_str(spelled);
        } else if c.is_ascii_alphanumeric() {
            words.push(c.to_ascii_lowercase());
        } else if !words.ends_with('-') {
            words.push('-');
        }
        if words.len() >= SLUG_WORDS {
            break;
        }
    }
    let words = words.trim_matches('-');
    let hash = blake3::hash(key.as_bytes()).to_hex();
    let short = &hash.as_str()[..8];
    if words.is_empty() {
        short.to_string()
    } else {
        format!("{words}-{short}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_absolute_and_segments_encoded() {
        let urls = Urls::new("http://127.0.0.1:8080/");
        assert_eq!(urls.system(), "http://127.0.0.1:8080/oparl/v1.1/");
        assert_eq!(
            urls.paper("BA-044-2020"),
            "http://127.0.0.1:8080/oparl/v1.1/paper/BA-044-2020"
        );
        assert_eq!(
            urls.paper("Ä_1"),
            "http://127.0.0.1:8080/oparl/v1.1/paper/%C3%84_1"
        );
    }

    #[test]
    fn a_slug_is_readable_stable_and_keyed() {
        let a = slug("Ausschuss für Stadtentwicklung", "committee|A");
        assert!(a.starts_with("ausschuss-fuer-stadtentwicklung-"), "{a}");
        assert_eq!(a, slug("Ausschuss für Stadtentwicklung", "committee|A"));
        assert_ne!(a, slug("Ausschuss für Stadtentwicklung", "committee|B"));
        assert_eq!(slug("…", "k").len(), 8);
    }
}
