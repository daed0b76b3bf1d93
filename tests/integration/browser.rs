//! report.html in a real browser: headless Chromium renders the bundled example's page, the
//! headline figures in the rendered DOM (`--dump-dom`) must equal summary.json's, and a
//! screenshot must not be blank. scripts/test.sh installs Debian's `chromium` when missing;
//! without a browser the test fails under CI (the script should have installed it) and is
//! skipped, with a notice, elsewhere.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::harness::{Workdir, assert_exit};

/// The browser on PATH, if any.
fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs the browser headless on `page` with `args`, in a fresh profile, with nothing to fetch
/// from the network; returns stdout.
fn headless(chromium: &Path, profile: &Path, page: &Path, args: &[&str]) -> String {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .output()
        .expect("the browser runs");
    assert!(
        out.status.success(),
        "{} failed: {}",
        chromium.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The number in the element with this id in the rendered DOM.
fn figure(dom: &str, id: &str) -> u64 {
    let re = regex::Regex::new(&format!(r#"id="{id}"[^>]*>\s*(\d+)\s*<"#)).unwrap();
    let caps = re
        .captures(dom)
        .unwrap_or_else(|| panic!("no #{id} in the rendered page"));
    caps[1].parse().unwrap()
}

#[test]
fn the_example_report_renders_in_headless_chromium() {
    let Some(chromium) = browser() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "no chromium on PATH under CI: scripts/test.sh installs Debian's chromium package"
        );
        eprintln!("skipped: no chromium, chromium-browser or google-chrome on PATH");
        return;
    };
    let wd = Workdir::new();
    let repo = env!("CARGO_MANIFEST_DIR");
    let contacts = format!("{repo}/examples/contacts.csv");
    let calls = format!("{repo}/examples/calls.csv");
    let args = [
        "audit",
        &contacts,
        "--history",
        &calls,
        "--out",
        "out",
        "--quiet",
        "--lang",
        "en",
    ];
    assert_exit(&wd.run(&args), 0);
    let summary: serde_json::Value = serde_json::from_str(&wd.read_string("out/summary.json")).unwrap();
    let page = wd.path().join("out/report.html");
    let profile = tempfile::tempdir().unwrap();

    let dom = headless(&chromium, profile.path(), &page, &["--dump-dom"]);
    assert!(
        dom.contains("Customers by call outcome"),
        "the page rendered: {dom:.400}"
    );
    let status = &summary["customers"]["status"];
    for key in ["reached", "powered_off", "no_answer", "never_called", "empty"] {
        assert_eq!(
            Some(figure(&dom, &format!("status-{key}"))),
            status[key].as_u64(),
            "{key}"
        );
    }
    let actions = &summary["actions"]["by_action"];
    for key in ["prune", "verify", "keep"] {
        assert_eq!(
            Some(figure(&dom, &format!("action-{key}"))),
            actions[key].as_u64(),
            "{key}"
        );
    }
    assert_eq!(
        Some(figure(&dom, "headline-numbers")),
        summary["numbers"]["total"].as_u64()
    );
    assert_eq!(Some(figure(&dom, "input-rows")), summary["input"]["rows"].as_u64());
    assert_eq!(dom.matches("<svg").count(), 7, "every chart is in the DOM");

    let shot = wd.path().join("report.png");
    let arg = format!("--screenshot={}", shot.display());
    headless(&chromium, profile.path(), &page, &[&arg, "--window-size=1280,2000"]);
    let (width, height, colours) = png_colours(&shot);
    assert_eq!((width, height), (1280, 2000));
    assert!(colours > 50, "the screenshot has {colours} colours: blank?");
}

/// The size of a PNG and how many distinct colours it holds.
fn png_colours(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = info.color_type.samples();
    let colours: std::collections::HashSet<&[u8]> = buf[..info.buffer_size()].chunks(step).collect();
    (info.width, info.height, colours.len())
}
