//! What the serve tests share: one request through the real router (no
//! socket), and its answer.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use ratsdoc_serve::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

#[derive(Debug, PartialEq)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

pub async fn get(state: &AppState, uri: &str) -> Reply {
    let request = Request::get(uri)
        .body(Body::empty())
        .unwrap_or_else(|e| panic!("request {uri}: {e}"));
    let response = router(state.clone())
        .oneshot(request)
        .await
        .unwrap_or_else(|e| panic!("{uri}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap_or_else(|e| panic!("body of {uri}: {e}"))
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}
