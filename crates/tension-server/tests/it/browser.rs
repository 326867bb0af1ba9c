//! The meeting view in a real browser: headless Chromium driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`, which `.ci/run` installs). Skipped, saying so, when they
//! are not on the machine.
//!
//! The story of pushback to a signed decision: a business and a technical member sign in; the
//! business member proposes plan 3; the technical member raises a blocking objection on one of
//! its items; the business member's signature is refused, with the reason on the page; the
//! objection is accepted as a risk; both sign; the record names both and the accepted risk.
//! The test keeps a screenshot of the meeting view in the target folder, and in
//! `docs/img/meeting.png` with `TENSION_UPDATE_SCREENSHOTS=1`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tension_server::{AppState, app};

use crate::{Harness, password};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Where a program is on the `PATH`, if it is.
fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

/// chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_driver(program: &Path) -> Driver {
    let port = free_port();
    let child = Command::new(program)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on {port} within 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    driver
}

async fn browser(driver: &Driver) -> Client {
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,2600"]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("an object")
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

async fn fill(client: &Client, css: &str, text: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

/// The text of an element, waiting for it while a form's answer loads (the engines run on
/// every meeting page).
/// Clicks a form's button and waits until the answer has replaced the page: the old page's
/// root goes stale (so that nothing is read from the page the form was on).
async fn submit(client: &Client, css: &str) {
    let old = client.find(Locator::Css("html")).await.expect("a page");
    click(client, css).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while old.tag_name().await.is_ok() {
        assert!(Instant::now() < deadline, "{css}: no answer within 60 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text(client: &Client, css: &str) -> String {
    let found = client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await;
    match found {
        Ok(element) => element
            .text()
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}")),
        Err(error) => {
            let url = client.current_url().await.map(|u| u.to_string());
            let source = client.source().await.unwrap_or_default();
            panic!("{css}: {error}\non {url:?}:\n{source}")
        }
    }
}

async fn sign_in(client: &Client, base: &str, user: &str) {
    client.goto(&format!("{base}/login")).await.expect("loads");
    fill(client, "input[name=name]", user).await;
    fill(client, "input[name=password]", &password(user)).await;
    submit(client, "button[type=submit]").await;
    let url = client.current_url().await.expect("a page");
    assert_eq!(url.path(), "/", "{user} is signed in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_pushback_to_a_signed_decision_in_the_browser() {
    let (Some(chromedriver), true) = (on_path("chromedriver"), Path::new(CHROMIUM).is_file())
    else {
        // `.ci/run` installs them and then requires this test to run.
        assert!(
            std::env::var("TENSION_BROWSER").as_deref() != Ok("require"),
            "TENSION_BROWSER=require, but chromedriver or {CHROMIUM} is missing: apt-get install chromium chromium-driver"
        );
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "browser test skipped: chromedriver or {CHROMIUM} is missing (apt-get install chromium chromium-driver; .ci/run installs them)"
            );
        }
        return;
    };
    let h = Harness::new("sqlite").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let server = app(AppState {
        store: h.store.clone(),
        secure_cookies: false,
    });
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            server.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let driver = start_driver(&chromedriver);
    let business = browser(&driver).await;
    let technical = browser(&driver).await;
    let meeting = format!("{base}/w/checkout/meeting");

    sign_in(&business, &base, "bea").await;
    sign_in(&technical, &base, "ted").await;

    // The business side proposes plan 3 of the frontier.
    business
        .goto(&format!("{meeting}?plan=3"))
        .await
        .expect("loads");
    let plans = text(&business, "#plans").await;
    assert!(plans.contains("wallets"), "{plans}");
    fill(
        &business,
        "#propose textarea[name=rationale]",
        "Health first: wallets now, one-click after the refactor.",
    )
    .await;
    submit(&business, "#propose button[type=submit]").await;
    let message = text(&business, "#message").await;
    assert!(message.contains("decision 1 proposed"), "{message}");

    // The technical side raises a blocking objection on wallets.
    technical
        .goto(&format!("{meeting}?plan=3"))
        .await
        .expect("loads");
    click(&technical, "#raise summary").await;
    fill(&technical, "#raise input[name=id]", "wallets-need-review").await;
    fill(&technical, "#raise input[name=on]", "wallets").await;
    click(
        &technical,
        "#raise select[name=tension] option[value=speed-durability]",
    )
    .await;
    fill(
        &technical,
        "#raise textarea[name=text]",
        "Wallet tokens touch the card vault: security must look first.",
    )
    .await;
    click(&technical, "#raise input[name=blocking]").await;
    submit(&technical, "#raise button[type=submit]").await;
    let message = text(&technical, "#message").await;
    assert!(
        message.contains("objection `wallets-need-review` raised"),
        "{message}"
    );
    let column = text(&technical, "#tension-speed-durability").await;
    assert!(
        column.contains("wallets-need-review") && column.contains("blocking"),
        "{column}"
    );

    // The business side tries to sign: refused, and the page says why.
    business.goto(&meeting).await.expect("loads");
    submit(&business, "#decision-1 button[name=sign]").await;
    let refusal = text(&business, "#message").await;
    assert!(
        refusal.contains("decision 1 cannot be signed while blocking objections")
            && refusal.contains("wallets-need-review (open)")
            && refusal.contains("accept them as risks"),
        "{refusal}"
    );

    // The business side accepts the objection as a risk, with an owner.
    let card = "#objection-wallets-need-review form:has(input[value=accepted-risk])";
    fill(
        &business,
        &format!("{card} input[name=note]"),
        "Security reviews wallets in the first week; tokens stay out of our systems.",
    )
    .await;
    fill(
        &business,
        &format!("{card} input[name=risk_owner]"),
        "Marcus",
    )
    .await;
    fill(
        &business,
        &format!("{card} input[name=review_by]"),
        "2027-02-15",
    )
    .await;
    submit(&business, &format!("{card} button")).await;
    let message = text(&business, "#message").await;
    assert!(
        message.contains("objection `wallets-need-review` is accepted-risk"),
        "{message}"
    );

    // Both sign.
    submit(&business, "#decision-1 button[name=sign]").await;
    let message = text(&business, "#message").await;
    assert!(
        message.contains("still needs the technical side"),
        "{message}"
    );
    technical.goto(&meeting).await.expect("loads");
    submit(&technical, "#decision-1 button[name=sign]").await;
    let message = text(&technical, "#message").await;
    assert!(
        message.contains("decision 1 signed: it is accepted"),
        "{message}"
    );

    // The record names both and the accepted risk.
    technical
        .goto(&format!("{base}/w/checkout/decisions/1"))
        .await
        .expect("loads");
    let record = text(&technical, "#record").await;
    assert!(record.contains("status: accepted"), "{record}");
    assert!(
        record.contains("decision-makers: [bea (business), ted (technical)]"),
        "{record}"
    );
    assert!(
        record.contains("**wallets-need-review** (owner: Marcus)"),
        "{record}"
    );

    // The meeting view as both sides see it now, for the README.
    business
        .goto(&format!("{meeting}?plan=3"))
        .await
        .expect("loads");
    let log = text(&business, "#decisions").await;
    assert!(
        log.contains("accepted") && log.contains("ted (technical"),
        "{log}"
    );
    let png = business.screenshot().await.expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "a PNG of the page"
    );
    // Every run keeps its screenshot in the target folder; with TENSION_UPDATE_SCREENSHOTS=1
    // it becomes the README's, in docs/img (so that a test run leaves the sources alone).
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("meeting.png");
    std::fs::write(&kept, &png).expect("the screenshot is kept");
    if std::env::var("TENSION_UPDATE_SCREENSHOTS").as_deref() == Ok("1") {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/img");
        std::fs::create_dir_all(&dir).expect("docs/img");
        std::fs::write(dir.join("meeting.png"), &png).expect("the screenshot is kept");
    }

    business.close().await.expect("closes");
    technical.close().await.expect("closes");
}
