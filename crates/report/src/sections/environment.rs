//! How the run was measured, and where: `env.json` as a table.

use crate::table::{Align, Table};
use results::Results;

/// How every figure was measured: fixed prose, kept beside this file.
pub(crate) const METER: &str = include_str!("method.md");

/// `env.json` as rows of a table.
pub(crate) fn environment_section(results: &Results) -> String {
    let mut table = Table::new([("", Align::Left), ("", Align::Left)]);
    let value = serde_json::to_value(&results.env).unwrap_or_default();
    for (key, value) in flatten("", value.as_object().cloned().unwrap_or_default()) {
        table.push(vec![key, value]);
    }
    format!("## Environment\n\n{table}\n")
}

/// A JSON object as `key` / `outer.inner` rows.
pub(crate) fn flatten(
    prefix: &str,
    object: serde_json::Map<String, serde_json::Value>,
) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for (key, value) in object {
        let key = format!("{prefix}{key}");
        match value {
            serde_json::Value::Object(inner) => rows.extend(flatten(&format!("{key}."), inner)),
            serde_json::Value::String(s) => rows.push((key, s)),
            other => rows.push((key, other.to_string())),
        }
    }
    rows
}
