//! The sections of `report.md`, one module each, in the order the report gives them; the
//! footnotes that several of them write.

pub mod differ;
pub mod environment;
pub mod fidelity;
pub mod figures;
pub mod implementations;
pub mod kernel;
pub mod launch;
pub mod memory;
pub mod peak;
pub mod published;
pub mod readings;
pub mod side_by_side;
pub mod sizes;
pub mod workers;

use std::fmt::Write;

/// Footnotes that say why a cell failed, was skipped or is to be read with care.
#[derive(Default)]
pub(crate) struct Notes(Vec<String>);

impl Notes {
    /// The marker of `text`, added once.
    pub(crate) fn mark(&mut self, text: String) -> String {
        let number = match self.0.iter().position(|note| *note == text) {
            Some(at) => at + 1,
            None => {
                self.0.push(text);
                self.0.len()
            }
        };
        format!("[{number}]")
    }

    pub(crate) fn write(&self, md: &mut String) {
        for (i, note) in self.0.iter().enumerate() {
            let _ = writeln!(md, "{}. {note}", i + 1);
        }
        if !self.0.is_empty() {
            md.push('\n');
        }
    }
}
