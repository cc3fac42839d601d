//! The polite HTTP client: timeouts, retries with backoff on 429 and 5xx
//! that honour `Retry-After` up to a cap, and a size cap on every answer so
//! a 2 GB "PDF" neither fills the disk nor the memory.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use serde_json::value::RawValue;

/// One reason a clerk understands why a request gave nothing usable.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("HTTP {status} from {url}")]
    Status { status: u16, url: String },
    #[error("no answer from {url} within {seconds} s")]
    Timeout { url: String, seconds: u64 },
    #[error("cannot reach {url}: {reason}")]
    Transport { url: String, reason: String },
    #[error("{url} is larger than the limit of {}; not kept", size_text(*limit))]
    TooLarge { url: String, limit: u64 },
    #[error("{url} did not answer JSON ({what})")]
    NotJson { url: String, what: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Limits and timeouts of [`Client`]; the defaults suit a council's server.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub connect_timeout: Duration,
    /// The whole of one JSON request, answer included.
    pub json_timeout: Duration,
    /// The whole of one file download.
    pub file_timeout: Duration,
    /// Further attempts after a 429, a 5xx or a broken connection.
    pub retries: u32,
    /// The first wait between attempts; it doubles each time.
    pub backoff: Duration,
    /// The longest wait for one retry, whatever `Retry-After` asks.
    pub max_retry_wait: Duration,
    pub max_json_bytes: u64,
    pub max_file_bytes: u64,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            connect_timeout: Duration::from_secs(10),
            json_timeout: Duration::from_secs(60),
            file_timeout: Duration::from_secs(600),
            retries: 3,
            backoff: Duration::from_secs(1),
            max_retry_wait: Duration::from_secs(60),
            max_json_bytes: 64 * 1024 * 1024,
            max_file_bytes: 200 * 1024 * 1024,
        }
    }
}

/// What a finished download left in its temporary file.
#[derive(Debug, Clone)]
pub struct Downloaded {
    pub size: u64,
    pub blake3: String,
}

pub struct Client {
    agent: ureq::Agent,
    opts: HttpOptions,
}

/// The User-Agent: names ratsdoc and where to read about it.
pub fn user_agent() -> String {
    format!(
        "ratsdoc/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

impl Client {
    pub fn new(opts: HttpOptions) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(opts.connect_timeout))
            .user_agent(user_agent())
            .http_status_as_error(false)
            .max_redirects(5)
            .build()
            .into();
        Client { agent, opts }
    }

    pub fn options(&self) -> &HttpOptions {
        &self.opts
    }

    /// GETs `url` and parses the answer as JSON, at most `max_json_bytes`.
    pub fn get_json(&self, url: &str) -> Result<Value, FetchError> {
        let raw = self.get_raw(url)?;
        serde_json::from_str(raw.get()).map_err(|e| FetchError::NotJson {
            url: url.to_string(),
            what: format!("invalid JSON: {e}"),
        })
    }

    /// GETs `url` and checks the answer is JSON, keeping it as sent.
    pub fn get_raw(&self, url: &str) -> Result<Box<RawValue>, FetchError> {
        let resp = self.call(url, self.opts.json_timeout)?;
        let content_type = header(&resp, "content-type").unwrap_or_default();
        let bytes = resp
            .into_body()
            .with_config()
            .limit(self.opts.max_json_bytes)
            .read_to_vec()
            .map_err(|e| self.read_error(url, e, self.opts.max_json_bytes, true))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            let what =
                if content_type.contains("html") || bytes.trim_ascii_start().starts_with(b"<") {
                    format!("it sent a web page, {content_type}")
                } else {
                    format!("invalid JSON: {e}")
                };
            FetchError::NotJson {
                url: url.to_string(),
                what,
            }
        })
    }

    /// Streams `url` into `to` (created or truncated), hashing as it goes,
    /// and stops at `max_file_bytes`; `to` is fsynced before this returns.
    pub fn download(&self, url: &str, to: &Path) -> Result<Downloaded, FetchError> {
        let limit = self.opts.max_file_bytes;
        let resp = self.call(url, self.opts.file_timeout)?;
        let announced = header(&resp, "content-length").and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        let write_err = |source| FetchError::Write {
            path: to.display().to_string(),
            source,
        };
        let mut file = std::fs::File::create(to).map_err(write_err)?;
        let mut reader = resp.into_body().into_with_config().limit(u64::MAX).reader();
        let mut hasher = blake3::Hasher::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut size = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_error(url, e)),
            };
            size += n as u64;
            if size > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n]).map_err(write_err)?;
            crate::hooks::pause_at(crate::hooks::Stage::Download);
        }
        file.sync_all().map_err(write_err)?;
        Ok(Downloaded {
            size,
            blake3: hasher.finalize().to_hex().to_string(),
        })
    }

    /// One GET with retries; returns the first answer that is neither 429
    /// nor 5xx (or the last one), or a transport error.
    fn call(
        &self,
        url: &str,
        timeout: Duration,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let mut attempt = 0;
        loop {
            let result = self
                .agent
                .get(url)
                .config()
                .timeout_global(Some(timeout))
                .build()
                .call();
            let retry_wait = match &result {
                Ok(resp) => {
                    retryable_status(resp.status().as_u16()).then(|| self.wait(attempt, resp))
                }
                Err(ureq::Error::Timeout(_)) => None,
                Err(_) => Some(self.backoff(attempt)),
            };
            match (retry_wait, attempt < self.opts.retries) {
                (Some(wait), true) => {
                    tracing::info!(url, attempt, ?wait, "retrying");
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                _ => return self.finish(url, result, timeout),
            }
        }
    }

    fn finish(
        &self,
        url: &str,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        timeout: Duration,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        match result {
            Ok(resp) if resp.status().is_success() => Ok(resp),
            Ok(resp) => Err(FetchError::Status {
                status: resp.status().as_u16(),
                url: url.to_string(),
            }),
            Err(ureq::Error::Timeout(_)) => Err(FetchError::Timeout {
                url: url.to_string(),
                seconds: timeout.as_secs().max(1),
            }),
            Err(e) => Err(FetchError::Transport {
                url: url.to_string(),
                reason: e.to_string(),
            }),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        (self.opts.backoff * 2u32.saturating_pow(attempt)).min(self.opts.max_retry_wait)
    }

    /// `Retry-After` in seconds or as an HTTP date, else the backoff; capped.
    fn wait(&self, attempt: u32, resp: &ureq::http::Response<ureq::Body>) -> Duration {
        let asked = header(resp, "retry-after").and_then(|v| parse_retry_after(&v));
        asked
            .unwrap_or_else(|| self.backoff(attempt))
            .min(self.opts.max_retry_wait)
    }

    fn read_error(&self, url: &str, e: ureq::Error, limit: u64, json: bool) -> FetchError {
        match e {
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
                url: url.to_string(),
                limit,
            },
            ureq::Error::Timeout(_) => FetchError::Timeout {
                url: url.to_string(),
                seconds: if json {
                    self.opts.json_timeout.as_secs()
                } else {
                    self.opts.file_timeout.as_secs()
                },
            },
            e => FetchError::Transport {
                url: url.to_string(),
                reason: e.to_string(),
            },
        }
    }

    fn io_error(&self, url: &str, e: std::io::Error) -> FetchError {
        match e.into_inner().map(|inner| inner.downcast::<ureq::Error>()) {
            Some(Ok(inner)) => self.read_error(url, *inner, self.opts.max_file_bytes, false),
            Some(Err(other)) => FetchError::Transport {
                url: url.to_string(),
                reason: other.to_string(),
            },
            None => FetchError::Transport {
                url: url.to_string(),
                reason: "connection broken".to_string(),
            },
        }
    }
}

/// `200 MB`, `64 MiB` or `1234 bytes`: a limit as the user set it.
fn size_text(bytes: u64) -> String {
    if bytes >= 1_000_000 && bytes.is_multiple_of(1_000_000) {
        format!("{} MB", bytes / 1_000_000)
    } else if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

fn retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
}

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn limits_read_as_set() {
        assert_eq!(size_text(200_000_000), "200 MB");
        assert_eq!(size_text(64 << 20), "64 MiB");
        assert_eq!(size_text(1234), "1234 bytes");
    }

    #[test]
    fn user_agent_names_ratsdoc() {
        assert!(user_agent().starts_with("ratsdoc/"), "{}", user_agent());
        assert!(user_agent().contains("(+"));
    }
}
