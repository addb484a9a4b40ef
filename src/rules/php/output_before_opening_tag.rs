//! PHP002: a BOM or whitespace before the opening tag of a code file, which PHP sends as
//! output before anything the file does.

use super::stray_output::{describe, Includers};
use crate::fix::{Edit, Fix};
use crate::formats::php::PhpFile;
use crate::rules::Reporter;

php_rule! {
    code: "PHP002",
    name: "output-before-opening-tag",
    prefilter: &[],
    uses_workspace: true,
    run: run,
}

fn run(file: &PhpFile, cx: &mut Reporter) {
    // Cheap test first: almost every file starts with its opening tag.
    if file.bytes().starts_with(b"<?") {
        return;
    }
    let Some(code_file) = file.code_file() else {
        return;
    };
    let stray = code_file.before_open.clone();
    if stray.is_empty() {
        return;
    }
    let what = describe(&file.bytes()[stray.clone()]);
    let includers = Includers::of(cx);
    let diagnostic = cx.report(
        stray.clone(),
        includers.message(format!(
            "{what} before the opening tag is sent as output wherever this file is included or run"
        )),
    );
    diagnostic
        .label(code_file.open_tag.clone(), "PHP code starts here")
        .note(if file.bytes()[stray.clone()].starts_with(crate::source::UTF8_BOM) {
            "the file starts with a UTF-8 byte order mark (bytes EF BB BF), which editors do not show; save it as UTF-8 without BOM"
        } else {
            "whitespace outside `<?php` is output like any HTML"
        });
    includers.label(diagnostic);
    diagnostic.fix(Fix::safe(
        format!("remove {what}"),
        vec![Edit::delete(stray)],
    ));
}
