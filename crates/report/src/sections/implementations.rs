//! Each implementation: what it is, its exact version and the command every cell ran.

use crate::summary::Summary;
use crate::table::{Align, Table};
use results::Results;

/// Each implementation: what it is, its exact version, and the command every cell ran.
pub(crate) fn implementations_section(results: &Results, summary: &Summary) -> String {
    let mut table = Table::new(
        ["implementation", "language", "model", "version", "command"].map(|c| (c, Align::Left)),
    );
    let implementations = &results.env.implementations;
    // The run's order, then any the run was asked for but has no row of.
    let mut names: Vec<&String> = summary
        .implementations
        .iter()
        .filter(|name| implementations.contains_key(*name))
        .collect();
    names.extend(
        implementations
            .keys()
            .filter(|name| !summary.implementations.contains(name)),
    );
    for name in names {
        let found = &implementations[name];
        let version = match (&found.version, &found.unavailable) {
            (Some(version), _) => version.clone(),
            (None, Some(why)) => format!("not available: {why}"),
            (None, None) => "–".into(),
        };
        table.push(vec![
            format!("{} ({name})", found.label),
            found.language.clone(),
            found.model.clone(),
            version,
            format!("`{}`", found.command.join(" ")),
        ]);
    }
    format!("## Implementations\n\n{table}\n")
}
