//! Input text made inert in report.md, which is also printed to the terminal and rendered by
//! Markdown viewers (GitLab, GitHub, IDEs) that pass HTML through. Header names, file names,
//! log lines and outcome texts come from files anyone may have written: none of them may
//! become Markdown structure (a table cell, a heading, a link, emphasis), HTML (`<script>`,
//! `<img onerror>`) or a terminal control sequence (ESC).

/// Text for running prose or a table cell: Markdown punctuation is backslash-escaped, `<`,
/// `>` and `&` become entities, and control characters (line breaks, tabs, ESC) become a
/// space, so the text stays on its one line and in its one cell.
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if is_control(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text as a code span: shown literally (CommonMark passes no HTML and no emphasis inside a
/// code span), fenced with one more backtick than the longest run inside it, with control
/// characters replaced by a space.
pub(crate) fn code(text: &str) -> String {
    let clean: String = text.chars().map(|c| if is_control(c) { ' ' } else { c }).collect();
    let longest = clean.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick needs a space inside the fence.
    let pad = if clean.starts_with('`') || clean.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{clean}{pad}{fence}")
}

/// [`code`] for a table cell: a pipe would end the cell even inside a code span, so it is
/// escaped (GitHub and GitLab tables read `\|` inside code as a pipe).
pub(crate) fn code_cell(text: &str) -> String {
    code(&text.replace('|', "\\|"))
}

/// What a terminal acts on ([`crate::exit::acts_on_terminal`]), and the Unicode line and
/// paragraph separators, which would break the text's one line.
fn is_control(c: char) -> bool {
    crate::exit::acts_on_terminal(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_cannot_become_structure_html_or_a_control_sequence() {
        let cases = [
            ("手机", "手机"),
            ("a|b", "a\\|b"),
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            ("# heading\n| a | b |", "\\# heading \\| a \\| b \\|"),
            ("\u{1b}[31mred\u{1b}[0m", " \\[31mred \\[0m"),
            ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
            ("a\r\nb\tc", "a  b c"),
            ("</svg>&amp;", "&lt;/svg&gt;&amp;amp;"),
        ];
        for (text, want) in cases {
            assert_eq!(inline(text), want, "{text:?}");
        }
    }

    #[test]
    fn code_spans_hold_any_text_literally() {
        let cases = [
            ("plain", "`plain`"),
            ("a`b", "``a`b``"),
            ("`start", "`` `start ``"),
            ("x``y`", "``` x``y` ```"),
            ("<script>|\n\u{1b}", "`<script>|  `"),
        ];
        for (text, want) in cases {
            assert_eq!(code(text), want, "{text:?}");
        }
        assert_eq!(code_cell("a|b"), "`a\\|b`");
    }
}
