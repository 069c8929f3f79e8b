//! Helpers for racelab's browser tests: find Chromium and ChromeDriver, start a headless
//! session, write a page to disk and open it from there (as a learner opens a saved page:
//! `file://`, no server, no network).
//!
//! Where no browser is installed the tests print why they were skipped and pass; with
//! `CI=true` a missing browser is a failure, since CI installs it (`ci/browser.sh`).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};

/// Chromium and its WebDriver.
pub struct Browser {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// The installed browser, or `None` after printing why the test is skipped. Under `CI=true`
/// a missing browser panics: CI installs one, so its absence is a broken setup.
pub fn browser(test: &str) -> Option<Browser> {
    let chromium = find(
        "RACELAB_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let chromedriver = find("RACELAB_CHROMEDRIVER", &["chromedriver"]);
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => Some(Browser {
            chromium,
            chromedriver,
        }),
        (chromium, _) => {
            let missing = if chromium.is_none() {
                "chromium"
            } else {
                "chromedriver"
            };
            let message = format!(
                "{test}: skipped: {missing} is not installed (Debian: apt-get install chromium \
                 chromium-driver; or set RACELAB_CHROMIUM and RACELAB_CHROMEDRIVER)"
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{message}; CI must install it (ci/browser.sh does)");
            }
            eprintln!("{message}");
            None
        }
    }
}

/// A headless Chromium driven through ChromeDriver; both stop when it is dropped.
pub struct Session {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    profile: PathBuf,
    /// One browser at a time: tests that start browsers together race for ports (a port
    /// found free can be taken by another test's Chromium before its driver binds it).
    _one_at_a_time: tokio::sync::MutexGuard<'static, ()>,
}

static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Where the tests write pages and screenshots: `target/browser/`.
pub fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser");
    std::fs::create_dir_all(&dir).expect("create target/browser");
    dir
}

/// Writes `html` to `target/browser/{name}.html` and returns its `file://` URL.
pub fn write_page(name: &str, html: &str) -> String {
    let path = out_dir().join(format!("{name}.html"));
    std::fs::write(&path, html).expect("write the page");
    let path = path.canonicalize().expect("the page exists");
    format!("file://{}", path.display())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium session (flags that keep Chromium off
    /// the network, which this machine's closed network would refuse).
    pub async fn start(&self, name: &str) -> Session {
        let guard = ONE_BROWSER.lock().await;
        let port = free_port();
        let mut driver = Command::new(&self.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.try_wait() {
                panic!("chromedriver exited at start ({status})");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = out_dir().join(format!("profile-{name}-{port}"));
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".to_string(),
            serde_json::json!({
                "binary": self.chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1100,1400",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Session {
            client,
            driver,
            profile,
            _one_at_a_time: guard,
        }
    }
}

impl Session {
    /// The text of the element with this id.
    pub async fn text(&self, id: &str) -> String {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no #{id}: {e}"))
            .text()
            .await
            .expect("its text")
    }

    /// Clicks the element with this id.
    pub async fn click(&self, id: &str) {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no #{id}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click #{id}: {e}"));
    }

    /// Clicks the buttons of threads `threads`, in order (`thread-1`, `thread-2`, ...).
    pub async fn schedule(&self, threads: &[usize]) {
        for t in threads {
            self.click(&format!("thread-{t}")).await;
        }
    }

    /// Ends the session and stops the browser and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
