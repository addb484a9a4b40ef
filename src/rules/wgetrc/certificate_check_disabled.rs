//! WGT005: `check_certificate = off` (or `quiet`): wget accepts any certificate for https.

use crate::formats::wgetrc::values::{boolean, Verdict};
use crate::formats::wgetrc::WgetrcFile;
use crate::rules::Reporter;

wgetrc_rule! {
    code: "WGT005",
    name: "certificate-check-disabled",
    prefilter: &[],
    run: run,
}

fn run(file: &WgetrcFile, cx: &mut Reporter) {
    // The last valid line is the one wget keeps.
    let Some((_, command, _, _)) = file
        .known()
        .filter(|(_, _, spec, v)| spec.name == "checkcertificate" && **v == Verdict::Accepted)
        .last()
    else {
        return;
    };
    let value = &file.bytes()[command.value.clone()];
    let quiet = value.eq_ignore_ascii_case(b"quiet");
    if !(quiet || boolean(value) == Some(false)) {
        return;
    }
    let name = file.text(&command.name);
    let how = if quiet {
        "is `quiet`: wget does not check https certificates and does not even warn"
    } else {
        "is off: wget does not check https certificates"
    };
    cx.report(
        command.value.clone(),
        format!("`{name}` {how}, so anyone on the network path can serve or alter what it downloads"),
    )
    .note("to trust a private certificate authority, name it with `ca_certificate = FILE` and leave checking on");
}
