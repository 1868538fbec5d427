//! The table of the figures a row carries, from their declarations, for the docs.

use crate::table::{Align, Table};

/// The README's table of the figures a row carries, from their declarations.
pub fn figures_table() -> String {
    let mut table = Table::new([
        ("field", Align::Left),
        ("unit", Align::Left),
        ("where it comes from", Align::Left),
    ]);
    for metric in results::metric::ALL {
        table.push(vec![
            format!("`{}`", metric.field),
            metric.unit.name().to_string(),
            metric.source.to_string(),
        ]);
    }
    table.to_string()
}
