//! The README's commands, run as written: every `contact-audit` line of its ```sh and
//! ```console blocks (and `cargo run --release -- ...`, run as the built binary) must parse
//! as a plain shell command, exit with its documented code, and, in console blocks, print
//! exactly the output shown. So the README can be pasted into a shell and stays true.
//!
//! A command documents a non-zero exit with a trailing shell comment, `# exit 2`. Commands
//! run in the repository root (so `examples/` is reachable) with `--out` sent to a temp dir.
//!
//! Around it, the same promise for the rest of the docs: links point only inside the
//! repository, every `--fail-on` expression shown is quoted, the `--help` examples parse as
//! plain shell commands, and `.gitignore` lists the README's `/audit-out`.

use std::path::Path;
use std::process::{Command, Stdio};

/// One documented command.
#[derive(Debug)]
struct Example {
    /// 1-based README line, for messages.
    line: usize,
    /// The command as written.
    text: String,
    /// The arguments after the program name, or why the line is not a plain command.
    args: Result<Vec<String>, String>,
    /// The documented exit code.
    exit: i32,
    /// The output shown after it (console blocks only).
    shown: Option<String>,
}

#[test]
fn readme_commands_run_as_documented() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(
        examples.iter().any(|e| e.shown.is_some()) && examples.iter().any(|e| e.shown.is_none()),
        "expected both console and sh examples, found {examples:#?}"
    );
    let failures: Vec<String> = examples.iter().filter_map(run).collect();
    assert!(failures.is_empty(), "README.md examples:\n\n{}", failures.join("\n\n"));
}

#[test]
fn gitignore_lists_the_example_output_dir() {
    let gitignore = std::fs::read_to_string(repo().join(".gitignore")).unwrap();
    assert!(
        gitignore.lines().any(|l| l.trim() == "/audit-out"),
        ".gitignore must list /audit-out (the README's example writes there)"
    );
}

#[test]
fn docs_link_only_inside_the_repository() {
    let mut files = vec![repo().join("README.md")];
    for entry in std::fs::read_dir(repo().join("docs")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut bad = Vec::new();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(file).unwrap();
        let dir = file.parent().unwrap();
        for target in links(&text) {
            let path = target.split('#').next().unwrap_or_default();
            if !path.is_empty() && !dir.join(path).exists() {
                bad.push(format!(
                    "{}: link to {target}, which is not in the repository",
                    file.display()
                ));
            }
        }
        if text.contains("../") {
            bad.push(format!("{}: names a path outside the repository (../)", file.display()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn help_examples_paste_into_a_shell() {
    let mut bad = Vec::new();
    for command in [&["check"][..], &["audit"], &["explain"], &["rules", "check"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_contact-audit"))
            .env_clear()
            .args(command)
            .arg("--help")
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        for line in help.lines().map(str::trim) {
            if let Some(Err(why)) = program_args(line).map(split) {
                bad.push(format!("`{} --help`: `{line}`\n  {why}", command.join(" ")));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn fail_on_expressions_are_quoted_wherever_shown() {
    let mut files = vec![repo().join("README.md"), repo().join("src/cli.rs")];
    files.extend(
        std::fs::read_dir(repo().join("docs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            // The text files only: docs/ also holds report.html's screenshot.
            .filter(|p| p.extension().is_some_and(|x| x == "md")),
    );
    let mut bad = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (at, _) in text.match_indices("--fail-on ") {
            let word = text[at + 10..].split([' ', '\n', '`']).next().unwrap_or_default();
            if word.contains(['>', '<']) && !word.starts_with(['\'', '"']) {
                bad.push(format!("{}: --fail-on {word}", file.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "quote these --fail-on expressions (> is a redirect):\n{}",
        bad.join("\n")
    );
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The targets of `[text](target)` links that are not web addresses.
fn links(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            Some(&rest[..rest.find(')')?])
        })
        .filter(|t| !t.starts_with("http://") && !t.starts_with("https://") && !t.starts_with('#'))
        .collect()
}

/// Runs one example; `None` when it behaved as documented, else what went wrong.
fn run(example: &Example) -> Option<String> {
    let here = format!("README.md:{}: `{}`", example.line, example.text);
    let args = match &example.args {
        Ok(args) => args,
        Err(why) => return Some(format!("{here}\n  {why}")),
    };
    let out_dir = tempfile::tempdir().unwrap();
    let args = redirect_out(args, out_dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_contact-audit"))
        .env_clear()
        .current_dir(repo())
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(example.exit) {
        return Some(format!(
            "{here}\n  exited {:?}, the README says {}\n--- stdout ---\n{stdout}--- stderr ---\n{stderr}",
            out.status.code(),
            example.exit
        ));
    }
    // A terminal shows both streams; the README shows what a terminal shows.
    let printed = format!("{stdout}{stderr}");
    match &example.shown {
        Some(shown) if *shown != printed => Some(format!(
            "{here}\n  prints other output than the README shows\n--- README ---\n{shown}--- binary ---\n{printed}"
        )),
        _ => None,
    }
}

/// `args` with the value of `--out`/`-o` moved into `dir`, so the README's `audit-out` is
/// not written into the repository by the test.
fn redirect_out(args: &[String], dir: &Path) -> Vec<String> {
    let mut redirected = Vec::with_capacity(args.len());
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(value) = arg.strip_prefix("--out=") {
            redirected.push(format!("--out={}", dir.join(value).display()));
        } else if arg == "--out" || arg == "-o" {
            redirected.push(arg.clone());
            if let Some(value) = iter.next() {
                redirected.push(dir.join(value).display().to_string());
            }
        } else {
            redirected.push(arg.clone());
        }
    }
    redirected
}

/// Every `contact-audit` command in the README's sh and console blocks.
fn examples(readme: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut block: Option<&str> = None;
    let lines: Vec<&str> = readme.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(info) = line.trim_start().strip_prefix("```") {
            block = if block.is_some() { None } else { Some(info.trim()) };
            i += 1;
            continue;
        }
        match block {
            Some("sh") => {
                let (text, next) = logical_line(&lines, i);
                if let Some(rest) = program_args(&text) {
                    examples.push(example(i + 1, &text, rest, None));
                }
                i = next;
            }
            Some("console") => {
                let next = (i + 1..lines.len())
                    .find(|&j| lines[j].starts_with("$ ") || lines[j].trim_start().starts_with("```"))
                    .unwrap_or(lines.len());
                let command = line.strip_prefix("$ ").unwrap_or_default();
                if let Some(rest) = program_args(command) {
                    let shown: String = lines[i + 1..next].iter().flat_map(|l| [l, "\n"]).collect();
                    examples.push(example(i + 1, command, rest, Some(shown)));
                }
                i = next;
            }
            _ => i += 1,
        }
    }
    examples
}

/// The line at `i` joined with the lines its trailing backslashes continue onto, and the
/// index after it.
fn logical_line(lines: &[&str], mut i: usize) -> (String, usize) {
    let mut text = String::new();
    while i < lines.len() {
        let line = lines[i].trim();
        i += 1;
        if let Some(head) = line.strip_suffix('\\') {
            text.push_str(head);
            text.push(' ');
        } else {
            text.push_str(line);
            break;
        }
    }
    (text, i)
}

/// What follows the program in a command that runs contact-audit, if it does.
fn program_args(command: &str) -> Option<&str> {
    let command = command.trim();
    ["contact-audit ", "cargo run --release -- "]
        .iter()
        .find_map(|program| command.strip_prefix(program))
}

fn example(line: usize, text: &str, rest: &str, shown: Option<String>) -> Example {
    let split = split(rest);
    let exit = split
        .as_ref()
        .ok()
        .and_then(|(_, comment)| comment.as_deref().and_then(documented_exit))
        .unwrap_or(0);
    Example {
        line,
        text: text.to_string(),
        args: split.map(|(words, _)| words),
        exit,
        shown,
    }
}

/// The code in a trailing `# exit N` (or `# exits N`) comment.
fn documented_exit(comment: &str) -> Option<i32> {
    let mut words = comment.split_whitespace();
    matches!(words.next(), Some("exit" | "exits")).then_some(())?;
    words.next()?.parse().ok()
}

/// Shell-like word splitting: single quotes are literal, double quotes honour `\"`, `\\`,
/// `\$` and `` \` ``, a backslash outside quotes escapes the next character, and `#` at the
/// start of a word begins a comment (returned apart). A character the shell would act on
/// outside quotes (a redirect, a pipe, a list, an expansion) is an error, since the command
/// would not do what the README says.
fn split(line: &str) -> Result<(Vec<String>, Option<String>), String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(word.take()),
            '#' if word.is_none() => return Ok((words, Some(line[at + 1..].trim().to_string()))),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, c)) => w.push(c),
                        None => return Err("unclosed single quote".into()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, c @ ('"' | '\\' | '$' | '`'))) => w.push(c),
                            Some((_, c)) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err("unclosed double quote".into()),
                        },
                        Some((_, '$' | '`')) => return Err("expands a variable or command inside quotes".into()),
                        Some((_, c)) => w.push(c),
                        None => return Err("unclosed double quote".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some((_, c)) => word.get_or_insert_with(String::new).push(c),
                None => return Err("ends in a backslash".into()),
            },
            '>' | '<' => {
                return Err(format!(
                    "an unquoted `{c}` redirects in a shell (`--fail-on a>0` writes to a file named 0): \
                     quote the word, e.g. --fail-on 'landline.length>0'"
                ));
            }
            '|' | ';' | '&' => return Err(format!("an unquoted `{c}` chains commands: show one command per line")),
            '$' | '`' | '*' | '?' | '~' => {
                return Err(format!("an unquoted `{c}` is expanded by the shell: quote it"));
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok((words, None))
}

/// The splitter and the README parser on small inputs.
mod parser {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split(line).unwrap().0
    }

    #[test]
    fn quotes_and_escapes_make_one_word() {
        assert_eq!(
            words("check 'a b' \"c \\\"d\\\"\" e\\ f"),
            ["check", "a b", "c \"d\"", "e f"]
        );
        assert_eq!(words("--fail-on 'invalid>2%' x''y"), ["--fail-on", "invalid>2%", "xy"]);
        assert_eq!(words("  spaced   out  "), ["spaced", "out"]);
        assert_eq!(words("''"), [""]);
    }

    #[test]
    fn comments_carry_the_exit_code() {
        let (w, comment) = split("explain nope  # exit 2").unwrap();
        assert_eq!(
            (w, comment.as_deref()),
            (vec!["explain".to_string(), "nope".into()], Some("exit 2"))
        );
        assert_eq!(documented_exit("exits 1"), Some(1));
        assert_eq!(documented_exit("see above"), None);
        assert_eq!(words("a#b"), ["a#b"]);
    }

    #[test]
    fn shell_operators_outside_quotes_are_errors() {
        let err = split("audit x --fail-on landline.length>0").unwrap_err();
        assert!(err.contains("redirects"), "{err}");
        for line in [
            "a | b", "a; b", "a && b", "a $HOME", "a 'b", "a \"b", "a < f", "a *.csv",
        ] {
            assert!(split(line).is_err(), "{line}");
        }
    }

    #[test]
    fn blocks_yield_commands_output_and_exit_codes() {
        let readme = "text\n```sh\ncargo install --path .\ncargo run --release -- audit x \\\n  --out o\n```\n\
                      ```console\n$ contact-audit check 1\nline one\n\n$ echo skipped\nno\n\
                      $ contact-audit explain z  # exit 2\nerr\n```\n```json\ncontact-audit no\n```\n";
        let found = examples(readme);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].args.as_deref().unwrap(), ["audit", "x", "--out", "o"]);
        assert_eq!((found[0].exit, found[0].shown.as_deref()), (0, None));
        assert_eq!(found[1].shown.as_deref(), Some("line one\n\n"));
        assert_eq!((found[2].exit, found[2].shown.as_deref()), (2, Some("err\n")));
    }

    #[test]
    fn out_dirs_move_into_the_temp_dir() {
        let args: Vec<String> = ["audit", "x", "--out", "o", "-o", "p", "--out=q"]
            .map(String::from)
            .into();
        let moved = redirect_out(&args, Path::new("/tmp/t"));
        assert_eq!(
            moved,
            ["audit", "x", "--out", "/tmp/t/o", "-o", "/tmp/t/p", "--out=/tmp/t/q"]
        );
    }
}
