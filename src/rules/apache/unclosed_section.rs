//! APA001: a section that is never closed. httpd refuses the whole file (`<Files> was not
//! closed.`, on the opening tag's line); in a `.htaccess` every request under it gets HTTP 500.

use crate::fix::{newline_near, Edit, Fix};
use crate::formats::apache::{ApacheFile, LineKind, NodeKind, Problem};
use crate::rules::Reporter;

apache_rule! {
    code: "APA001",
    name: "unclosed-section",
    prefilter: &[&["<"]],
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    for problem in &file.problems {
        let (open, skipped) = match *problem {
            Problem::NotClosed { open } => (open, false),
            Problem::SkippedNotClosed { container } => (container, true),
            _ => continue,
        };
        let node = &file.nodes[open];
        let name = &node.name;
        let line = file.line_number(open);
        let what = if file.htaccess {
            "every request under this directory gets HTTP 500"
        } else {
            "Apache refuses the whole configuration"
        };
        let diagnostic = cx.report(
            file.node_span(open),
            format!("`<{name}>` is never closed: {what}"),
        );
        if skipped {
            diagnostic.note(format!(
                "Apache says: Expected </{name}> before end of configuration (when the condition is false)"
            ));
        } else {
            diagnostic.note(format!(
                "Apache says: <{name}> was not closed. (line {line})"
            ));
        }
        // Sections left open inside it close first. In a skipped body httpd counts every
        // `<…>` as a level to close (a `</…>` there closes the innermost), so those count too.
        let mut chain: Vec<usize> = file
            .nodes
            .iter()
            .enumerate()
            .skip(open)
            .filter(|(_, n)| n.kind == NodeKind::Open && n.end.is_none() && (skipped || !n.skipped))
            .map(|(i, _)| i)
            .collect();
        chain.reverse();
        let mut edits: Vec<Edit> = Vec::new();
        let mut safe = true;
        // Each closes after those inside it.
        let mut after_inner = 0;
        for section in chain {
            let (at, at_end) = end_of(file, section);
            let at = at.max(after_inner);
            after_inner = at;
            safe &= at_end;
            let indent = indentation(file, section);
            let mut text = String::new();
            if at == file.bytes().len()
                && !file.bytes().ends_with(b"\n")
                && !file.bytes().is_empty()
            {
                text.push('\n');
            }
            text.push_str(&format!("{indent}</{}>\n", file.nodes[section].name));
            match edits.iter_mut().find(|e| e.span.start == at) {
                Some(edit) => edit.replacement.push_str(&text),
                None => edits.push(Edit::insert(at, text)),
            }
        }
        // The fix engine writes the line ending found near each edit; a lone `\r` is none to
        // httpd (it splits at `\n` only), so the closing tag would join the line before.
        if edits
            .iter()
            .any(|e| newline_near(file.bytes(), e.span.start) == b"\r")
        {
            continue;
        }
        let title = format!("close `<{name}>`");
        diagnostic.fix(if safe {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        });
    }
}

/// Where the closing tag goes, and whether that is the end of the file: after the last line
/// indented deeper than the opening tag, when all that follows is; else a guess.
fn end_of(file: &ApacheFile, open: usize) -> (usize, bool) {
    let start_line = file.nodes[open].line;
    let own = indent_width(file, start_line);
    let mut last_inside = None;
    let mut outdented = false;
    let mut li = start_line + 1;
    while li < file.lines.len() {
        let kind = file.lines[li].kind;
        if kind == LineKind::Blank || kind == LineKind::Comment {
            li += 1;
            continue;
        }
        if indent_width(file, li) <= own {
            outdented = true;
            break;
        }
        last_inside = Some(li);
        // A section opened inside it ends inside it, however its closing tag is indented: a
        // closing tag put before that end would land inside the nested section.
        let nested_end = match kind {
            LineKind::Node(n) if file.nodes[n].kind == NodeKind::Open => file.nodes[n].end,
            _ => None,
        };
        match nested_end {
            Some(end) => {
                last_inside = Some(file.nodes[end].line);
                li = file.nodes[end].line + 1;
            }
            None => li += 1,
        }
    }
    let after = |li: usize| {
        let end = file.lines[li].span.end;
        if end < file.bytes().len() {
            end + 1
        } else {
            end
        }
    };
    match (outdented, last_inside) {
        (false, _) => (file.bytes().len(), true),
        (true, Some(li)) => (after(li), false),
        // Nothing is indented under it: the end cannot be told, so everything stays inside.
        (true, None) => (file.bytes().len(), false),
    }
}

fn indent_width(file: &ApacheFile, line: usize) -> usize {
    let span = &file.lines[line].span;
    file.bytes()[span.clone()]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .map(|&b| if b == b'\t' { 8 } else { 1 })
        .sum()
}

fn indentation(file: &ApacheFile, node: usize) -> String {
    let span = &file.lines[file.nodes[node].line].span;
    let bytes = &file.bytes()[span.clone()];
    let n = bytes
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    String::from_utf8_lossy(&bytes[..n]).into_owned()
}
