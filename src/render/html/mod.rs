//! One self-contained HTML page per view: inline CSS, inline SVG, inline JavaScript, no
//! network. What is static (description, Python lines, outcome chart, witnesses) reads
//! without JavaScript; the be-the-scheduler and the tree of schedules need it.
//!
//! * `scenario`: the page of a scenario's exploration or of a replay (`--format html`);
//! * `report`: the page of any check of user code ([`report_page`]);
//! * `svg`: the chart and the swimlanes; `data`: the recorded tree as the script's JSON;
//!   `page.css`, `page.js`: style and behaviour.
//!
//! Text from user code (outcome labels, panic messages, step names) is escaped wherever it
//! goes: [`esc`] in HTML, [`json_in_script`] in the embedded JSON.

mod data;
mod report;
mod scenario;
mod svg;

pub use report::report_page;
pub use scenario::{exploration_page, replay_page};

/// The page's style sheet.
const CSS: &str = include_str!("page.css");
/// The page's behaviour: the be-the-scheduler and the tree (scenario pages only).
const JS: &str = include_str!("page.js");

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` become `\u003c`, ...,
/// so no `</script>` or `<!--` can end or change the element, and the JSON still parses to
/// the same value; U+2028 and U+2029 are escaped for older JavaScript parsers.
pub fn json_in_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A finished page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The HTML.
    pub html: String,
}

impl Page {
    /// The page's size in bytes.
    pub fn weight(&self) -> usize {
        self.html.len()
    }
}

/// "12.3 KB".
pub fn kilobytes(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// Wraps `body` (and, if given, the page's data as JSON, and with `with_js` its script) into a whole page whose footer
/// states its own weight.
fn page(title: &str, body: &str, data: Option<&str>, with_js: bool) -> Page {
    let mut script = match data {
        Some(json) => format!(
            "<script type=\"application/json\" id=\"racelab-data\">{}</script>\n",
            json_in_script(json)
        ),
        None => String::new(),
    };
    if with_js {
        script.push_str(&format!("<script>{JS}</script>\n"));
    }
    let build = |weight: &str| {
        format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"color-scheme\" content=\"light dark\">\n<title>{}</title>\n\
             <style>{CSS}</style>\n</head>\n<body>\n{body}\n<footer>Made by racelab {} · \
             one self-contained file, works offline · {weight}</footer>\n{script}</body>\n</html>\n",
            esc(title),
            env!("CARGO_PKG_VERSION"),
        )
    };
    // The footer states the page's weight, which includes the footer: settle it in a few
    // rounds (the number's length changes at most once or twice).
    let mut weight = build("").len();
    for _ in 0..4 {
        let html = build(&kilobytes(weight));
        if html.len() == weight {
            break;
        }
        weight = html.len();
    }
    Page {
        html: build(&kilobytes(weight)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_text_and_in_json() {
        let evil = "</script><script>alert(1)</script>";
        assert_eq!(
            esc(evil),
            "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        let json = serde_json::to_string(evil).unwrap();
        let safe = json_in_script(&json);
        assert!(!safe.contains('<'), "{safe}");
        assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), evil);
    }

    #[test]
    fn the_footer_states_the_pages_own_weight() {
        let p = page("t", "<p>x</p>", None, false);
        assert!(p.html.contains(&kilobytes(p.weight())), "{}", p.html);
    }
}
