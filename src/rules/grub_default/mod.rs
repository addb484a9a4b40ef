//! Rules for GRUB 2's `/etc/default/grub`.

pub mod dmraid_cmdline;

use super::{Reporter, Rule};
use crate::formats::grub_default::GrubDefaultFile;

pub struct GrubDefaultCheck {
    pub run: fn(&GrubDefaultFile, &mut Reporter),
}

pub static RULES: &[&Rule] = &[&dmraid_cmdline::RULE];
