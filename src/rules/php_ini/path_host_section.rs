//! INI005: a section whose name starts with PATH or HOST without being `[PATH=…]`/`[HOST=…]`
//! (`[pathology]`, `[hostel]`): PHP makes every later setting per-directory/per-host, invisible
//! to the CLI and to every server but CGI/FastCGI, to the end of the file.

use crate::formats::php_ini::PhpIniFile;
use crate::rules::Reporter;

php_ini_rule! {
    code: "INI005",
    name: "path-host-section",
    prefilter: &[&["[path", "[host"]],
    run: run,
}

fn run(file: &PhpIniFile, cx: &mut Reporter) {
    for (index, section) in file.parsed.sections.iter().enumerate() {
        if section.dropped || !section.hides {
            continue;
        }
        // After a real `[PATH=…]`/`[HOST=…]` everything is per-directory on purpose.
        if section.proper {
            break;
        }
        let name = String::from_utf8_lossy(&section.name);
        let prefix = &name[..4];
        let hidden = file
            .parsed
            .entries
            .iter()
            .find(|e| !e.dropped && e.section.is_some_and(|s| s >= index));
        let diagnostic = cx.report(
            section.span.clone(),
            format!(
                "section `[{name}]` starts with `{prefix}`, so PHP reads it as a per-{} section: every setting after it, to the end of the file, is invisible to the CLI, mod_php and PHP-FPM",
                if prefix.eq_ignore_ascii_case("path") { "directory" } else { "host" }
            ),
        );
        if let Some(entry) = hidden {
            diagnostic.label(
                entry.key.clone(),
                "PHP does not apply this setting (nor any after it)",
            );
        }
        diagnostic.note(format!(
            "only `[{}=…]` is meant so, and applies under CGI/FastCGI only; rename the section (any other name is ignored)",
            prefix.to_ascii_uppercase()
        ));
        // Only the first such section matters: the rest of the file is hidden already.
        break;
    }
}
