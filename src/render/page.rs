//! A rule's page (`lints/<format>/<name>.md`) as `etclint explain` shows it on a terminal:
//! headings underlined, examples as indented code under a plain caption, links as
//! `text (address)`. The fence tags the tests read (`php bad lines=2`) are not for readers.

/// The Markdown `page` as plain text.
pub fn for_terminal(page: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in page.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_code {
                in_code = false;
                out.push('\n');
            } else {
                in_code = true;
                out.push_str(&caption(info));
                out.push('\n');
            }
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if let Some(heading) = heading(line) {
            let (level, text) = heading;
            let text = inline(text);
            out.push_str(&text);
            out.push('\n');
            let rule = if level == 1 { '=' } else { '-' };
            out.extend(std::iter::repeat_n(rule, text.chars().count()));
            out.push('\n');
            continue;
        }
        out.push_str(&inline(line));
        out.push('\n');
    }
    // A page's blank lines stay; only the trailing run is cut to one newline.
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

/// `# Title` → (1, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let text = line.get(level..)?.strip_prefix(' ')?;
    (1..=6).contains(&level).then_some((level, text.trim()))
}

/// What an example block is, from its fence's info string (`php bad lines=2 file=a.php`).
fn caption(info: &str) -> String {
    let words: Vec<&str> = info.split_whitespace().skip(1).collect();
    let file = words.iter().find_map(|w| w.strip_prefix("file="));
    let role = words.iter().find_map(|w| match *w {
        "bad" => Some("Bad"),
        "good" => Some("Good"),
        "fixed" => Some("Fixed"),
        "unsafe-fixed" | "fixed-unsafe" => Some("Fixed with --unsafe-fixes"),
        _ => None,
    });
    match (role, file) {
        (Some(role), Some(file)) => format!("{role} ({file}):"),
        (Some(role), None) => format!("{role}:"),
        (None, Some(file)) => format!("{file}:"),
        (None, None) => String::new(),
    }
}

/// Links as `text (address)`; the rest as written.
fn inline(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else {
            break;
        };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        let text = &after[..close];
        let address = &after[close + 2..close + 2 + end];
        out.push_str(&rest[..open]);
        out.push_str(text);
        out.push_str(" (");
        out.push_str(address);
        out.push(')');
        rest = &after[close + 2 + end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_lose_their_markup() {
        let page = "# name (PHP004)\n\n## Example\n\n```php bad lines=2\n<?php\n$a;\n```\n\n```php file=lib/a.php\nx\n```\n\nSee [the manual](https://php.net/x) and `code`.\n";
        assert_eq!(
            for_terminal(page),
            "name (PHP004)\n=============\n\nExample\n-------\n\nBad:\n    <?php\n    $a;\n\n\nlib/a.php:\n    x\n\n\nSee the manual (https://php.net/x) and `code`.\n"
        );
    }
}
