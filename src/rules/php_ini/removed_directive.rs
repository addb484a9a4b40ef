//! INI002: a directive PHP removed. Set non-zero in a php.ini, the ones on main.c's start-up
//! list stop PHP ("Directive '…' is no longer available in PHP"); everywhere else PHP ignores
//! them. register_globals is INI001's.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::formats::php_ini::settings::{PhpSettings, Setting, REMOVED};
use crate::rules::Reporter;

settings_rule! {
    code: "INI002",
    name: "removed-directive",
    prefilter: &[&[
        "allow_call_time_pass_reference", "asp_tags", "define_syslog_variables", "highlight.bg",
        "magic_quotes_", "register_long_arrays", "safe_mode", "zend.ze1_compatibility_mode",
        "track_errors", "y2k_compliance", "always_populate_raw_post_data",
        "mbstring.func_overload",
    ]],
    run: run,
}

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    let target = cx.target("php");
    // The first one PHP's check stops at: it names only that one.
    let mut first_fatal: Option<&'static str> = None;
    for removed in REMOVED.iter().filter(|r| r.name != "register_globals") {
        if target < removed.removed {
            continue;
        }
        for setting in settings.effective(removed.name) {
            let fatal = removed.fatal && setting.stops_startup();
            let diagnostic = if fatal {
                let diagnostic = cx.report(
                    setting.key_span.clone(),
                    format!(
                        "`{}` was removed in PHP {}: set to a non-zero value in php.ini, it stops PHP at start-up (\"Fatal error: Directive '{}' is no longer available in PHP\"), and Apache with mod_php with it",
                        removed.name, removed.removed, removed.name
                    ),
                );
                match first_fatal {
                    None => first_fatal = Some(removed.name),
                    Some(first) => {
                        diagnostic.note(format!(
                            "PHP checks in a fixed order and stops at `{first}` first; this one stops it once that is gone"
                        ));
                    }
                }
                diagnostic
            } else {
                let diagnostic = cx.report(
                    setting.key_span.clone(),
                    format!(
                        "`{}` was removed in PHP {}: {}, so the line does nothing",
                        removed.name,
                        removed.removed,
                        why_ignored(setting, removed.fatal)
                    ),
                );
                diagnostic.severity = Severity::Warning;
                diagnostic
            };
            diagnostic.fix(Fix::safe(
                format!("remove `{}`", removed.name),
                vec![Edit::delete(setting.statement_span.clone())],
            ));
        }
    }
}

fn why_ignored(setting: &Setting, on_startup_list: bool) -> &'static str {
    if !on_startup_list {
        "PHP ignores it without a word"
    } else if setting.source.is_apache() {
        "mod_php applies it per request and ignores it without a word (only a php.ini reaches the start-up check)"
    } else if setting.source == crate::formats::php_ini::settings::SettingSource::UserIni {
        "a .user.ini is read per request, and PHP ignores it without a word"
    } else if setting.is_on() {
        "written so that it is not a number (quoted `\"On\"`), it passes PHP's start-up check and is ignored without a word"
    } else {
        "set off, PHP ignores it"
    }
}
