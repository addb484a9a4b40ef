//! GRUB legacy's commands as Debian's grub-legacy 0.97 builds them: `commands.tsv`, made by
//! `scripts/grub-commands.sh` from the installed grub shell (a test checks it is current).

use std::sync::LazyLock;

#[derive(Debug, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    /// Compiled into this GRUB (Debian leaves out the network and graphics commands).
    pub known: bool,
    /// Allowed on the command line, so in an entry: a stored command without it fails with
    /// `Error 27: Unrecognized command` when the entry boots.
    pub cmdline: bool,
    /// Runs in the global section (before the first `title`).
    pub menu: bool,
}

static TABLE: LazyLock<Vec<CommandSpec>> = LazyLock::new(|| {
    include_str!("commands.tsv")
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let name = fields.next()?;
            let mut flag = || fields.next() == Some("yes");
            Some(CommandSpec {
                name,
                known: flag(),
                cmdline: flag(),
                menu: flag(),
            })
        })
        .collect()
});

/// Every name the table has, compiled in or not.
pub fn all() -> &'static [CommandSpec] {
    &TABLE
}

/// The command GRUB runs for `name` (case-sensitive), if it has one.
pub fn lookup(name: &str) -> Option<&'static CommandSpec> {
    TABLE.iter().find(|c| c.name == name && c.known)
}

/// A name this GRUB lacks but another build or another case has: `Kernel`, `splashimage`.
pub fn near_miss(name: &str) -> Option<&'static CommandSpec> {
    TABLE.iter().find(|c| c.name == name).or_else(|| {
        TABLE
            .iter()
            .find(|c| c.known && c.name.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_as_the_spec_has_it() {
        assert!(lookup("kernel").is_some_and(|c| c.cmdline && !c.menu));
        assert!(lookup("timeout").is_some_and(|c| c.menu && !c.cmdline));
        assert!(lookup("Kernel").is_none() && lookup("splashimage").is_none());
        assert!(near_miss("splashimage").is_some_and(|c| !c.known));
        assert_eq!(near_miss("Kernel").map(|c| c.name), Some("kernel"));
    }
}
