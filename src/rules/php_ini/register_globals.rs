//! INI001: register_globals enabled. On PHP ≥ 5.4 a php.ini that sets it non-zero stops PHP
//! (and Apache with mod_php) at start-up; elsewhere it is ignored, which breaks the
//! application that needed it; on PHP ≤ 5.3 it is the variable-injection hole.

use crate::config::Version;
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::formats::php_ini::settings::{PhpSettings, Setting, SettingSource};
use crate::rules::Reporter;

settings_rule! {
    code: "INI001",
    name: "register-globals",
    prefilter: &[&["register_globals"]],
    run: run,
}

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    let target = cx.target("php");
    for setting in settings.effective("register_globals") {
        let Some((message, severity, notes)) = verdict(setting, target) else {
            continue;
        };
        let off = setting.source.boolean(false);
        let diagnostic = cx.report(setting.key_span.clone(), message);
        diagnostic.severity = severity;
        diagnostic.label(setting.value_span.clone(), "enabled here");
        for note in notes {
            diagnostic.note(note);
        }
        diagnostic.fix(Fix::safe(
            format!("set register_globals to {off}"),
            vec![Edit::replace(setting.value_span.clone(), off)],
        ));
    }
}

/// What register_globals set this way does on the target PHP.
fn verdict(setting: &Setting, target: Version) -> Option<(String, Severity, Vec<String>)> {
    let removed = target >= Version::new(5, 4);
    let apache = setting.source.is_apache();
    if removed {
        if setting.stops_startup() {
            return Some((
                "register_globals is enabled: PHP refuses to start (\"Directive 'register_globals' is no longer available in PHP\"), and Apache with mod_php fails to start with it".into(),
                Severity::Error,
                vec![
                    "PHP says: Fatal error: Directive 'register_globals' is no longer available in PHP in Unknown on line 0; Apache then logs AH00020: Configuration Failed, exiting".into(),
                    "register_globals was removed in PHP 5.4; code that relies on it must read $_GET/$_POST instead".into(),
                ],
            ));
        }
        if !setting.is_on() {
            return None;
        }
        let (what, why) = if apache {
            (
                format!("`{}` sets register_globals", directive(setting.source)),
                "PHP 5.4 removed it, so mod_php ignores the line without a word: an application that needs it is broken",
            )
        } else if setting.source == SettingSource::UserIni {
            (
                "this .user.ini enables register_globals".to_string(),
                "PHP 5.4 removed it, so PHP ignores the line without a word: an application that needs it is broken",
            )
        } else {
            (
                "register_globals is enabled in quotes".to_string(),
                "quoted, it passes PHP's start-up check and is ignored without a word: PHP 5.4 removed it, so an application that needs it is broken",
            )
        };
        return Some((
            format!("{what}, which does nothing: {why}"),
            Severity::Warning,
            vec!["register_globals was removed in PHP 5.4; code that relies on it must read $_GET/$_POST instead".into()],
        ));
    }
    if !setting.is_on() {
        return None;
    }
    let injection = "every request parameter becomes a global variable, so a visitor can set any uninitialized variable of the application (variable injection)";
    let message = if target >= Version::new(5, 3) {
        format!("register_globals is enabled: {injection}; PHP 5.3 also warns \"Directive 'register_globals' is deprecated in PHP 5.3 and greater\"")
    } else {
        format!("register_globals is enabled: {injection}")
    };
    Some((
        message,
        Severity::Error,
        vec!["its default has been off since PHP 4.2.0; it was removed in PHP 5.4".into()],
    ))
}

fn directive(source: SettingSource) -> &'static str {
    match source {
        SettingSource::ApacheFlag => "php_flag",
        SettingSource::ApacheValue => "php_value",
        SettingSource::ApacheAdminFlag => "php_admin_flag",
        SettingSource::ApacheAdminValue => "php_admin_value",
        SettingSource::PhpIni | SettingSource::UserIni => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(value: &str, quoted: bool, source: SettingSource) -> Setting {
        Setting {
            key: "register_globals".into(),
            key_span: 0..16,
            value: value.into(),
            value_span: 17..19,
            statement_span: 0..20,
            quoted,
            source,
        }
    }

    #[test]
    fn on_php_8_a_php_ini_stops_php_and_apache_lines_do_nothing() {
        let v82 = Version::new(8, 2);
        let (m, s, _) = verdict(&setting("1", false, SettingSource::PhpIni), v82).unwrap();
        assert!(
            m.contains("PHP refuses to start") && s == Severity::Error,
            "{m}"
        );
        let (m, s, _) = verdict(&setting("On", true, SettingSource::PhpIni), v82).unwrap();
        assert!(m.contains("does nothing") && s == Severity::Warning, "{m}");
        assert!(verdict(&setting("", false, SettingSource::PhpIni), v82).is_none());
        // `php_flag register_globals on` is stored as "1": mod_php never reaches the check.
        let (m, s, _) = verdict(&setting("1", false, SettingSource::ApacheFlag), v82).unwrap();
        assert!(m.starts_with("`php_flag` sets register_globals") && s == Severity::Warning);
        let (m, _, _) =
            verdict(&setting("1", false, SettingSource::ApacheAdminValue), v82).unwrap();
        assert!(m.contains("php_admin_value"), "{m}");
        assert!(verdict(&setting("0", false, SettingSource::ApacheFlag), v82).is_none());
        assert!(verdict(&setting("1", false, SettingSource::UserIni), v82)
            .unwrap()
            .0
            .contains(".user.ini"));
    }

    #[test]
    fn before_5_4_it_is_the_injection_hole() {
        for source in [
            SettingSource::PhpIni,
            SettingSource::ApacheFlag,
            SettingSource::ApacheValue,
        ] {
            let (m, s, _) = verdict(&setting("1", false, source), Version::new(5, 2)).unwrap();
            assert!(m.contains("variable injection") && s == Severity::Error);
        }
        let (m, _, _) = verdict(
            &setting("On", true, SettingSource::PhpIni),
            Version::new(5, 3),
        )
        .unwrap();
        assert!(m.contains("deprecated"), "{m}");
        assert!(verdict(
            &setting("0", false, SettingSource::ApacheFlag),
            Version::new(5, 2)
        )
        .is_none());
    }

    #[test]
    fn the_fix_writes_off_in_each_source_s_own_way() {
        assert_eq!(SettingSource::ApacheFlag.boolean(false), "off");
        assert_eq!(SettingSource::ApacheValue.boolean(false), "0");
        assert_eq!(SettingSource::PhpIni.boolean(false), "Off");
    }
}
