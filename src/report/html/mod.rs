//! report.html: the human report for a browser, a file share or an e-mail attachment. One
//! self-contained file (inline CSS, inline SVG charts, no script, no font or image to fetch),
//! printable, in the language of `--lang`, written into the run's set beside report.md from
//! the same [`Run`]. The page comes from a minijinja template (autoescape on, so every value
//! from input is escaped where it is placed) and the charts from plotters' SVG backend.

use std::path::Path;

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment};

mod charts;
mod history;
mod labels;
mod page;

use super::atomic::AtomicFile;
use super::{Output, Run};

/// The page template.
const PAGE: &str = include_str!("page.html");
/// The stylesheet, inlined into the page.
const STYLE: &str = include_str!("style.css");

/// Renders the page.
pub(crate) fn render(run: &Run<'_>) -> anyhow::Result<String> {
    let mut env = Environment::new();
    // HTML escaping for the page, whatever minijinja's default; none for the stylesheet, which
    // holds no input and whose quotes must stay quotes.
    env.set_auto_escape_callback(|name| {
        if name == "page.html" {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.add_template("page.html", PAGE)?;
    env.add_template("style.css", STYLE)?;
    let page = page::build(run);
    let html = env.get_template("page.html")?.render(Value::from(Serde(&page)))?;
    Ok(html)
}

/// Writes `report.html` into `dir`.
pub(crate) fn write(dir: &Path, html: &str) -> anyhow::Result<()> {
    let mut file = AtomicFile::create(dir, Output::Html.name())?;
    file.write_bytes(html.as_bytes())?;
    file.commit()
}
