//! The HTML pages without a browser: every scenario's page and a replay page are whole,
//! self-contained, small, and carry the tree the engine recorded; user text is escaped.
//! (`tests/browser/` drives the same pages in headless Chromium.)

use racelab::render::html::{exploration_page, replay_page, report_page};
use racelab::teach::sizes::Purpose;
use racelab::teach::{Kind, Params, Scenario, explore, parse_schedule, replay};

fn scenario(kind: Kind) -> Scenario {
    Scenario::sized(kind, kind.default_params(), Purpose::Explore).unwrap()
}

/// The JSON the page's script plays.
fn data(html: &str) -> serde_json::Value {
    let start = html
        .find(r#"<script type="application/json" id="racelab-data">"#)
        .expect("a data block");
    let rest = &html[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(json).expect("the data parses")
}

fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.trim_end().ends_with("</html>"));
    // The SVG namespace is a name, not a download.
    let html = html.replace("http://www.w3.org/2000/svg", "");
    for remote in [
        "http://", "https://", "src=", "<link", "@import", "url(http",
    ] {
        assert!(!html.contains(remote), "the page loads something: {remote}");
    }
}

#[test]
fn every_scenario_has_a_small_self_contained_page_with_its_tree() {
    for kind in Kind::ALL {
        let e = explore(scenario(kind)).unwrap();
        let page = exploration_page(&e);
        assert_self_contained(&page.html);
        assert!(
            page.weight() < 1_000_000,
            "{}: {} bytes",
            kind.name(),
            page.weight()
        );
        let d = data(&page.html);
        assert_eq!(d["scenario"], kind.name());
        // One leaf per interleaving.
        let leaves = d["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n[0].as_i64().unwrap() >= 0)
            .count();
        assert_eq!(leaves, e.interleavings, "{}", kind.name());
        // A chart bar per outcome, and a swimlane per witness.
        assert_eq!(page.html.matches("<g class=\"bar ").count(), e.rows.len());
        assert_eq!(
            page.html
                .matches("<svg class=\"lanes\" id=\"witness-")
                .count(),
            e.witnesses.len()
        );
    }
}

#[test]
fn a_page_too_large_to_play_offers_the_witnesses_only() {
    // 12,870 interleavings: over the 3,000 leaves a page embeds.
    let params = Params {
        threads: 2,
        increments: 4,
        ..Params::default()
    };
    let s = Scenario::sized(Kind::CounterUnlocked, params, Purpose::Explore).unwrap();
    let e = explore(s).unwrap();
    let page = exploration_page(&e);
    assert!(page.html.contains("too many to embed"), "no note");
    assert!(!page.html.contains("racelab-data"), "no tree embedded");
    assert!(page.html.contains("id=\"witness-0\""));
    assert!(page.weight() < 100_000, "{}", page.weight());
}

#[test]
fn a_replay_page_shows_the_run_and_starts_the_scheduler_there() {
    let s = scenario(Kind::CounterUnlocked);
    let schedule = parse_schedule("1 2 1 2").unwrap();
    let r = replay(s, &schedule);
    let page = replay_page(s, &schedule, &r);
    assert_self_contained(&page.html);
    assert!(page.html.contains("End value: 1 (✗ forbidden)"));
    assert_eq!(data(&page.html)["start"], serde_json::json!([1, 2, 1, 2]));
    // A refused schedule's page says why.
    let schedule = parse_schedule("1 1 1").unwrap();
    let r = replay(s, &schedule);
    let page = replay_page(s, &schedule, &r);
    assert!(
        page.html.contains("Thread1 has no steps left"),
        "no refusal"
    );
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Evil;

impl std::fmt::Debug for Evil {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("</script><script>alert(1)</script>")
    }
}

#[test]
fn user_text_is_escaped_in_html_and_in_embedded_json() {
    let report = racelab::check::check(|| Evil).expect(|_| false).run();
    let page = report_page(&report);
    assert!(
        !page.html.contains("<script>alert"),
        "raw markup in the page"
    );
    assert!(
        page.html
            .contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(
        page.html
            .contains(r"\u003c/script\u003e\u003cscript\u003ealert(1)")
    );
    assert_eq!(
        page.html.matches("<script").count(),
        1,
        "only the data block"
    );
}
