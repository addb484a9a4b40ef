//! `--format sarif` (to be written).

use std::io::{self, Write};

use super::Sources;
use crate::engine::FileReport;

pub fn render(_out: &mut dyn Write, _reports: &[FileReport], _sources: &Sources) -> io::Result<()> {
    Ok(())
}
