//! racelab's HTML pages in a real browser: be the scheduler by clicking and by keys, a
//! blocked thread's disabled button and its reason, the chart against the JSON, user text
//! that must not run as script, and a screenshot for the README.

use fantoccini::key::Key;
use fantoccini::Locator;
use racelab::render::{html, json};
use racelab::teach::sizes::Purpose;
use racelab::teach::{explore, Kind, Scenario};
use racelab_browser_tests::{browser, out_dir, write_page, Session};

fn page_of(kind: Kind) -> String {
    let scenario = Scenario::sized(kind, kind.default_params(), Purpose::Explore).unwrap();
    let exploration = explore(scenario).unwrap();
    write_page(kind.name(), &html::exploration_page(&exploration).html)
}

async fn open(test: &str, kind: Kind) -> Option<Session> {
    let session = browser(test)?.start(test).await;
    session
        .client
        .goto(&page_of(kind))
        .await
        .expect("open the page");
    Some(session)
}

#[tokio::test(flavor = "current_thread")]
async fn clicking_1_2_1_2_loses_an_update_and_1_1_2_2_does_not() {
    let Some(s) = open("clicking", Kind::CounterUnlocked).await else {
        return;
    };
    s.schedule(&[1, 2, 1, 2]).await;
    let verdict = s.text("verdict").await;
    assert!(
        verdict.contains("End value: 1") && verdict.contains("forbidden"),
        "{verdict}"
    );
    assert_eq!(s.text("game-schedule").await, "1 2 1 2");
    s.click("restart").await;
    s.schedule(&[1, 1, 2, 2]).await;
    let verdict = s.text("verdict").await;
    assert!(
        verdict.contains("End value: 2") && verdict.contains("acceptable"),
        "{verdict}"
    );
    // Every thread has finished: both buttons are disabled and say so.
    for t in [1, 2] {
        let button = s
            .client
            .find(Locator::Id(&format!("thread-{t}")))
            .await
            .unwrap();
        assert!(!button.is_enabled().await.unwrap());
        assert_eq!(
            s.text(&format!("reason-{t}")).await,
            "everyone has finished"
        );
    }
    s.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn keys_pick_threads_and_backspace_undoes() {
    let Some(s) = open("keys", Kind::CounterUnlocked).await else {
        return;
    };
    let body = s.client.find(Locator::Css("body")).await.unwrap();
    body.send_keys("1212").await.unwrap();
    assert!(s.text("verdict").await.contains("End value: 1"));
    body.send_keys(&format!("{}{}", Key::Backspace, Key::Backspace))
        .await
        .unwrap();
    assert_eq!(s.text("game-schedule").await, "1 2");
    body.send_keys("21").await.unwrap();
    assert_eq!(s.text("game-schedule").await, "1 2 2 1");
    assert!(s.text("verdict").await.contains("End value: 1"));
    s.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_blocked_threads_button_is_disabled_with_its_reason() {
    let Some(s) = open("blocked", Kind::CounterLocked).await else {
        return;
    };
    s.schedule(&[1]).await; // Thread1 acquires the lock.
    let thread2 = s.client.find(Locator::Id("thread-2")).await.unwrap();
    assert!(!thread2.is_enabled().await.unwrap());
    assert_eq!(
        s.text("reason-2").await,
        "Thread2 is blocked: Thread1 holds the lock"
    );
    assert_eq!(
        thread2.attr("aria-describedby").await.unwrap().as_deref(),
        Some("reason-2")
    );
    // The swimlane shows Thread2 waiting.
    let waits = s
        .client
        .find_all(Locator::Css("#game-lanes .wait"))
        .await
        .unwrap();
    assert_eq!(waits.len(), 1);
    s.schedule(&[1, 1, 1, 2, 2, 2, 2]).await;
    assert!(s.text("verdict").await.contains("End value: 2"));
    s.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_charts_numbers_are_the_jsons() {
    let Some(browser) = browser("chart") else {
        return;
    };
    let s = browser.start("chart").await;
    for kind in Kind::ALL {
        let scenario = Scenario::sized(kind, kind.default_params(), Purpose::Explore).unwrap();
        let exploration = explore(scenario).unwrap();
        let url = write_page(kind.name(), &html::exploration_page(&exploration).html);
        s.client.goto(&url).await.unwrap();
        let bars = s
            .client
            .execute(
                "return [...document.querySelectorAll('#chart .bar')].map(b => \
                 [b.dataset.outcome, Number(b.dataset.count), b.dataset.verdict]);",
                vec![],
            )
            .await
            .unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&json::exploration_json(&exploration)).unwrap();
        let expected: Vec<serde_json::Value> = json["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                let outcome = match &row["outcome"] {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                serde_json::json!([outcome, row["interleavings"], row["verdict"]])
            })
            .collect();
        assert_eq!(bars, serde_json::Value::Array(expected), "{}", kind.name());
    }
    s.close().await;
}

/// An outcome whose `Debug` text is markup.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Evil;

impl std::fmt::Debug for Evil {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("</script><script>alert(1)</script>")
    }
}

#[tokio::test(flavor = "current_thread")]
async fn user_text_is_shown_as_text_and_never_run() {
    let Some(browser) = browser("escaping") else {
        return;
    };
    let report = racelab::check::check(|| Evil).expect(|_| false).run();
    let page = html::report_page(&report);
    let s = browser.start("escaping").await;
    s.client
        .goto(&write_page("escaping", &page.html))
        .await
        .unwrap();
    // An alert would be open now; there is none.
    assert!(s.client.get_alert_text().await.is_err(), "a script ran");
    let text = s.text("witnesses").await;
    assert!(
        text.contains("</script><script>alert(1)</script>"),
        "{text}"
    );
    // The embedded JSON parses back to the same text.
    let outcome = s
        .client
        .execute(
            "return JSON.parse(document.getElementById('racelab-data').textContent).outcomes[0].outcome;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(outcome, "</script><script>alert(1)</script>");
    let scripts = s.client.find_all(Locator::Css("script")).await.unwrap();
    assert_eq!(scripts.len(), 1, "only the page's own data block");
    s.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn screenshot_of_a_lost_update() {
    let Some(s) = open("screenshot", Kind::CounterUnlocked).await else {
        return;
    };
    s.schedule(&[1, 2, 1, 2]).await;
    s.client
        .find(Locator::Id("play"))
        .await
        .unwrap()
        .click()
        .await
        .ok();
    s.client
        .execute(
            "document.getElementById('outcomes').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    let png = s.client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let path = out_dir().join("counter-unlocked.png");
    std::fs::write(&path, &png).unwrap();
    eprintln!("screenshot: {}", path.display());
    s.close().await;
}
