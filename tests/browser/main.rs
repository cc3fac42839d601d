//! End-to-end test of `ratsdoc serve` in a real headless browser:
//! corpus/ is built into a temporary data directory, the server
//! runs on a free loopback port, and Debian's chromium, driven by
//! chromedriver over the W3C WebDriver protocol (plain JSON over HTTP),
//! searches "Prävention", sees BA-044/2020 and I-051/2020, opens
//! BA-044/2020 and finds I-051/2020 with the late verdict. Screenshots go to
//! `target/screenshots/`; with `RATSDOC_UPDATE_SCREENSHOTS=1` also to
//! `docs/screenshots/` for the README.
//!
//! Without chromium or chromedriver the test says so and passes: install
//! them with `.ci/install-browser.sh`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratsdoc_extract::ExtractorConfig;
use ratsdoc_pipeline::{BuildOptions, NoProgress};
use ratsdoc_serve::{Limits, ServeOptions, Server};
use serde_json::{Value, json};

/// The W3C name of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long any one wait (driver start, page load, element) may take.
const PATIENCE: Duration = Duration::from_secs(45);

#[test]
fn search_and_open_a_paper_in_headless_chromium() {
    let (Some(chromium), Some(chromedriver)) = (
        find_program(&["chromium", "chromium-browser"]),
        find_program(&["chromedriver"]),
    ) else {
        println!("skipped: chromium/chromedriver not installed (run .ci/install-browser.sh)");
        return;
    };

    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let data = work.path().join("data");
    build_corpus(&data);

    let server = Server::bind(ServeOptions {
        data: data.clone(),
        addr: "127.0.0.1:0".into(),
        today: NaiveDate::from_ymd_opt(2026, 5, 1),
        limits: Limits::default(),
        oparl: ratsdoc_serve::OparlOptions::default(),
    })
    .unwrap_or_else(|e| panic!("server: {e}"));
    let base = format!("http://{}", server.local_addr());
    // The server thread ends with the test process.
    std::thread::spawn(move || server.run());

    let driver = Driver::start(&chromedriver, work.path());
    let browser = driver.session(&chromium, &work.path().join("profile"));
    let shots = screenshot_dirs();

    // The search page: type the query, submit with the button.
    browser.go(&format!("{base}/"));
    let query = browser.find("#q");
    browser.type_into(&query, "Prävention");
    browser.click(&browser.find("form.search button[type=submit]"));
    browser.wait_for_url("q=Pr");
    let text = browser.wait_for_text("main", &["BA-044/2020", "I-051/2020"]);
    assert!(text.contains("Treffer"), "{text}");
    browser.save_screenshot(&shots, "search.png");

    // The search's Atom feed: announced in the head, shown as a link.
    let feed = browser.find(r#"head link[rel="alternate"][type="application/atom+xml"]"#);
    let href = browser.get(&format!("/element/{feed}/attribute/href"));
    assert!(
        href.as_str().is_some_and(|h| h.contains("/feed.atom?q=Pr")),
        "feed link {href}"
    );
    browser.find(r#"main a.feed[href^="/feed.atom?q=Pr"]"#);

    // The motion's page: the answer and the late verdict.
    browser.click(&browser.find(r#"a[href="/papers/BA-044-2020"]"#));
    browser.wait_for_url("/papers/BA-044-2020");
    let text = browser.wait_for_text("main", &["I-051/2020", "verspätet"]);
    assert!(
        text.contains("beantwortet durch I-051/2020"),
        "no answer link on the page:\n{text}"
    );
    assert!(
        text.contains("70 Tage verspätet"),
        "no late verdict:\n{text}"
    );
    browser.save_screenshot(&shots, "paper.png");

    // Keyboard: the skip link is the first thing Tab reaches.
    browser.go(&format!("{base}/"));
    browser.post("/actions", &key_press("\u{E004}"));
    let active = browser.get("/element/active");
    let id = active[ELEMENT].as_str().unwrap_or_default().to_string();
    let focused = browser.get(&format!("/element/{id}/text"));
    assert_eq!(focused.as_str(), Some("Zum Inhalt springen"));

    // The clerk's page: its calendar and its feed of changes.
    browser.go(&format!("{base}/status"));
    browser.find(r#"head link[rel="alternate"][type="text/calendar"][href^="/status.ics"]"#);
    browser.find(r#"head link[rel="alternate"][type="application/atom+xml"][href="/status.atom"]"#);
    browser.wait_for_text(
        "main",
        &["Fristen als Kalender abonnieren", "Änderungen als Feed"],
    );

    browser.close();
    println!("browser test passed; screenshots in {}", shots[0].display());
}

/// `ratsdoc build corpus/ --data <data>` through the library; PDFs are read
/// by the `ratsdoc` binary as worker when it has been built, else skipped
/// (the two seed papers are text files).
fn build_corpus(data: &Path) {
    let corpus = workspace().join("corpus");
    let worker = target_dir().and_then(|t| {
        ["debug", "release"]
            .iter()
            .map(|p| t.join(p).join("ratsdoc"))
            .find(|p| p.is_file())
    });
    let opts = BuildOptions {
        inputs: vec![corpus],
        data: data.to_path_buf(),
        as_of: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default(),
        extractor: ExtractorConfig {
            worker_exe: worker,
            worker_args: vec!["__pdf-worker".into()],
            workers: 1,
            timeout: Duration::from_secs(60),
            memory_limit: 2048 * 1024 * 1024,
        },
        full: false,
        allow_mass_removal: false,
        council: ratsdoc_pipeline::Profile::chemnitz().clone(),
    };
    let report =
        ratsdoc_pipeline::build(&opts, &NoProgress).unwrap_or_else(|e| panic!("build: {e}"));
    assert!(report.totals.records >= 2, "build found too few papers");
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `target/`: the test binary lives in `target/<profile>/deps/`.
fn target_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(PathBuf::from(dir));
    }
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.parent()?.to_path_buf())
}

/// Where screenshots go: `target/screenshots/`, and `docs/screenshots/`
/// when asked to update the README's pictures.
fn screenshot_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        target_dir()
            .unwrap_or_else(|| workspace().join("target"))
            .join("screenshots"),
    ];
    if std::env::var_os("RATSDOC_UPDATE_SCREENSHOTS").is_some_and(|v| v == "1") {
        dirs.push(workspace().join("docs/screenshots"));
    }
    dirs
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

fn key_press(key: &str) -> Value {
    json!({ "actions": [{
        "type": "key", "id": "keyboard",
        "actions": [{ "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }]
    }]})
}

/// A running chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
    agent: ureq::Agent,
}

impl Driver {
    fn start(chromedriver: &Path, work: &Path) -> Driver {
        let port = free_port();
        let log = work.join("chromedriver.log");
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start chromedriver: {e}"));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(90)))
            .build()
            .into();
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let deadline = Instant::now() + PATIENCE;
        loop {
            let ready = driver
                .agent
                .get(format!("{}/status", driver.url))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn session(&self, chromium: &Path, profile: &Path) -> Browser<'_> {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={}", profile.display()),
                    "--window-size=1280,1000", "--lang=de-DE",
                ]
            }
        }}});
        let v = call(
            &self.agent,
            "POST",
            &format!("{}/session", self.url),
            Some(&caps),
        );
        let id = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Browser {
            driver: self,
            session: format!("{}/session/{id}", self.url),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One WebDriver request; the answer's `value`, or a panic with the
/// driver's error message.
fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<&Value>) -> Value {
    let response = match (method, body) {
        ("POST", Some(b)) => agent.post(url).send_json(b),
        ("POST", None) => agent.post(url).send_json(json!({})),
        ("DELETE", _) => agent.delete(url).call(),
        _ => agent.get(url).call(),
    };
    let mut response = response.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status();
    let v: Value = response
        .body_mut()
        .with_config()
        .limit(50 * 1024 * 1024)
        .read_json()
        .unwrap_or_else(|e| panic!("{method} {url}: not JSON: {e}"));
    assert!(
        status.is_success(),
        "{method} {url}: {status}: {}",
        v["value"]
    );
    v["value"].clone()
}

/// A browser session.
struct Browser<'a> {
    driver: &'a Driver,
    session: String,
}

impl Browser<'_> {
    fn post(&self, path: &str, body: &Value) -> Value {
        call(
            &self.driver.agent,
            "POST",
            &format!("{}{path}", self.session),
            Some(body),
        )
    }

    fn get(&self, path: &str) -> Value {
        call(
            &self.driver.agent,
            "GET",
            &format!("{}{path}", self.session),
            None,
        )
    }

    fn go(&self, url: &str) {
        self.post("/url", &json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = format!("{}/element", self.session);
            let body = json!({ "using": "css selector", "value": css });
            let found = self
                .driver
                .agent
                .post(&url)
                .send_json(&body)
                .ok()
                .filter(|r| r.status().is_success())
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .and_then(|v| v["value"][ELEMENT].as_str().map(str::to_string));
            if let Some(id) = found {
                return id;
            }
            if Instant::now() > deadline {
                let source = self.get("/source");
                panic!("no element {css:?} on the page:\n{source}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn type_into(&self, element: &str, text: &str) {
        self.post(
            &format!("/element/{element}/value"),
            &json!({ "text": text }),
        );
    }

    fn click(&self, element: &str) {
        self.post(&format!("/element/{element}/click"), &json!({}));
    }

    fn wait_for_url(&self, part: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.get("/url");
            if url.as_str().is_some_and(|u| u.contains(part)) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "URL {url} never contained {part:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The visible text of `css` once it holds every one of `needles`.
    fn wait_for_text(&self, css: &str, needles: &[&str]) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let element = self.find(css);
            let text = self.get(&format!("/element/{element}/text"));
            let text = text.as_str().unwrap_or_default().to_string();
            if needles.iter().all(|n| text.contains(n)) {
                return text;
            }
            if Instant::now() > deadline {
                panic!("page never showed {needles:?}; it shows:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn save_screenshot(&self, dirs: &[PathBuf], name: &str) {
        let png = self.get("/screenshot");
        let bytes = base64_decode(png.as_str().unwrap_or_default());
        assert!(bytes.starts_with(b"\x89PNG"), "screenshot is not a PNG");
        for dir in dirs {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            std::fs::write(dir.join(name), &bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
    }

    fn close(&self) {
        call(&self.driver.agent, "DELETE", &self.session, None);
    }
}

/// Standard base64 (what WebDriver sends screenshots in), without a crate.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
