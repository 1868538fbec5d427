//! Each implementation's style in every chart: a hue of its language's family (lighter for a
//! variant), a dash of its own among those of its colour, and its base's marker.

use crate::plot::{Marker, Style, DASHES};
use crate::summary::Summary;
use std::collections::BTreeMap;

/// Hues for a language none of the families below names, so that a peer in a new language
/// needs no change here: each language takes one by its name.
const OTHER_HUES: [(&str, &str); 5] = [
    ("#0f766e", "#5eead4"),
    ("#4338ca", "#a5b4fc"),
    ("#78350f", "#d6a56b"),
    ("#86198f", "#e879f9"),
    ("#334155", "#94a3b8"),
];

/// A family of kindred languages and its hues, one for each implementation of a program of
/// its own in it, in turn: each a dark shade, with a light one for its variants. JavaScript's
/// engines share one family; so do C++ and Zig.
fn family(language: &str) -> (&str, &'static [(&'static str, &'static str)]) {
    match language {
        "Rust" => ("Rust", &[("#c2410c", "#fb923c")]),
        "Go" => ("Go", &[("#0e7490", "#22d3ee")]),
        "Java" => ("Java", &[("#b91c1c", "#f87171")]),
        "C#" => ("C#", &[("#6d28d9", "#a78bfa")]),
        "JavaScript" => (
            "JavaScript",
            &[
                ("#a16207", "#facc15"),
                ("#d97706", "#fcd34d"),
                ("#4d7c0f", "#a3e635"),
            ],
        ),
        "Python" => ("Python", &[("#1d4ed8", "#60a5fa")]),
        "Elixir" => ("Elixir", &[("#be185d", "#f472b6")]),
        "C++" | "Zig" => (
            "C++ and Zig",
            &[("#15803d", "#86efac"), ("#065f46", "#34d399")],
        ),
        other => {
            let by_name = other.bytes().map(usize::from).sum::<usize>() % OTHER_HUES.len();
            (other, std::slice::from_ref(&OTHER_HUES[by_name]))
        }
    }
}

/// `#rrggbb` moved `by` (0 to 1) towards black.
fn darker(color: &str, by: f64) -> String {
    let channel = |at: usize| u8::from_str_radix(&color[at..at + 2], 16).unwrap_or(0) as f64;
    let [r, g, b] = [1, 3, 5].map(|at| (channel(at) * (1.0 - by)).round() as u8);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Every implementation's style: a hue of its language's family (its base's, lighter, for a
/// variant), a dash of its own among those of its colour, and its base's marker.
pub fn styles(summary: &Summary) -> BTreeMap<String, Style> {
    let mut bases_seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut of_color: BTreeMap<&str, usize> = BTreeMap::new();
    let mut hues: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    let mut markers: BTreeMap<&str, Marker> = BTreeMap::new();
    let mut styles = BTreeMap::new();
    for implementation in &summary.implementations {
        let (kin, palette) = family(summary.language(implementation));
        let base = summary.variant_of(implementation);
        let hue = match base.and_then(|base| hues.get(base)) {
            Some(hue) => *hue,
            None => {
                let bases = bases_seen.entry(kin).or_default();
                *bases += usize::from(base.is_none());
                palette[(*bases).saturating_sub(1) % palette.len()]
            }
        };
        hues.insert(implementation, hue);
        let color = if base.is_some() { hue.1 } else { hue.0 };
        let seen = of_color.entry(color).or_default();
        let marker = match base.and_then(|base| markers.get(base)) {
            Some(marker) => *marker,
            None => Marker::ALL[*seen % Marker::ALL.len()],
        };
        markers.insert(implementation, marker);
        // Past the dashes, a darker shade of the colour keeps each style its own.
        let style = Style {
            color: darker(color, (*seen / DASHES.len()) as f64 * 0.35),
            dash: DASHES[*seen % DASHES.len()],
            marker,
        };
        *seen += 1;
        styles.insert(implementation.clone(), style);
    }
    styles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::tests::{results, row};
    use results::env::ImplementationRecord;
    use results::Status;

    /// A peer in a language no family names gets a hue of its own, not another language's,
    /// with no change to this file.
    #[test]
    fn a_new_language_takes_a_hue_of_its_own() {
        let languages = [("tokio", "Rust"), ("go", "Go"), ("kotlin", "Kotlin")];
        let rows = languages.map(|(name, _)| row(name, 1000, 3.0, Status::Ok));
        let mut run = results(rows.to_vec());
        for (name, language) in languages {
            let record = ImplementationRecord {
                language: language.into(),
                ..Default::default()
            };
            run.env.implementations.insert(name.into(), record);
        }
        let styles = styles(&Summary::new(&run));
        let kotlin = &styles["kotlin"].color;
        assert!(
            OTHER_HUES.iter().any(|(dark, _)| dark == kotlin),
            "{kotlin}"
        );
        for known in ["tokio", "go"] {
            assert_ne!(&styles[known].color, kotlin);
        }
    }
}
