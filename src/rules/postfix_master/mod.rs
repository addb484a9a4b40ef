//! Rules for Postfix master.cf: PFC001 reports what postconf reports, in its words; PFC002
//! the `-o` overrides it calls unused.

/// `master_rule! { code: "PFC001", name: "master-field", prefilter: &[], run }`.
macro_rules! master_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr, $(uses_workspace: $ws:expr,)? run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "postfix-master",
            formats: &[$crate::formats::Format::PostfixMaster],
            prefilter: $prefilter,
            uses_workspace: false $(|| $ws)?,
            check: $crate::rules::postfix_master::PostfixMasterCheck { run: $run },
        }
    };
}

pub mod master_field;
pub mod unknown_override;

use super::{Reporter, Rule};
use crate::formats::postfix_conf::MasterCf;

/// What a master.cf rule runs on a file.
pub struct PostfixMasterCheck {
    pub run: fn(&MasterCf, &mut Reporter),
}

/// The rules of this folder, in code order.
pub static RULES: &[&Rule] = &[&master_field::RULE, &unknown_override::RULE];
