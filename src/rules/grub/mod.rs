//! Rules for GRUB legacy's grub.conf / menu.lst. GRUB drops what it does not understand
//! without a word, so most of these report what it silently does instead of what was written.

/// `grub_rule! { code: "GRB002", name: "default-out-of-range", prefilter: &[], run }`.
macro_rules! grub_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr,
     uses_workspace: $workspace:expr, run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "grub",
            formats: &[$crate::formats::Format::Grub],
            prefilter: $prefilter,
            uses_workspace: $workspace,
            check: $crate::rules::grub::GrubCheck { run: $run },
        }
    };
}

pub mod default_out_of_range;
pub mod dmraid_initrd;
pub mod dropped_command;
pub mod empty_entry;
pub mod fallback_out_of_range;
pub mod kernel_initrd_mismatch;
pub mod menu_command_in_entry;
pub mod missing_boot_file;
pub mod plaintext_menu_password;

use super::{Reporter, Rule};
use crate::formats::grub::GrubFile;

/// What a grub rule runs on a file.
pub struct GrubCheck {
    pub run: fn(&GrubFile, &mut Reporter),
}

/// The rules of this folder, in code order.
pub static RULES: &[&Rule] = &[
    &dmraid_initrd::RULE,
    &default_out_of_range::RULE,
    &fallback_out_of_range::RULE,
    &kernel_initrd_mismatch::RULE,
    &missing_boot_file::RULE,
    &plaintext_menu_password::RULE,
    &dropped_command::RULE,
    &empty_entry::RULE,
    &menu_command_in_entry::RULE,
];
