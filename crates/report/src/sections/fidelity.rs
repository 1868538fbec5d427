//! Each implementation beside the published program it stands for, measured in the same run.

use super::Notes;
use crate::summary::{Cell, Summary};
use crate::table::{Align, Table};
use results::format::thousands;
use results::metric::PEAK_RSS;

/// Above this ratio of our median to the published program's, ours holds more than the
/// program it stands for: a defect, unless the manifest says why it is on purpose.
pub const FIDELITY_LIMIT: f64 = 1.05;

/// Each implementation beside the published program it stands for, as printed, measured in
/// the same run (`--fidelity`): medians of their runs and their ratio.
pub(crate) fn fidelity_section(summary: &Summary) -> Option<String> {
    let mut table = Table::new([
        ("implementation", Align::Left),
        ("stands for", Align::Left),
        ("tasks", Align::Right),
        ("ours (MiB)", Align::Right),
        ("runs", Align::Right),
        ("published program (MiB)", Align::Right),
        ("runs", Align::Right),
        ("ratio", Align::Right),
    ]);
    let mut notes = Notes::default();
    for implementation in &summary.implementations {
        let Some(program) = summary.published_program(implementation) else {
            continue;
        };
        for &tasks in &summary.tasks {
            let Some(theirs) = summary.published_cell(implementation, tasks) else {
                continue;
            };
            table.push(fidelity_row(
                summary,
                implementation,
                program,
                tasks,
                theirs,
                &mut notes,
            ));
        }
    }
    if table.is_empty() {
        return None;
    }
    let mut md = format!(
        "## Fidelity: each implementation beside the program it stands for\n\n\
         Each implementation that stands for a published program keeps that program as printed \
         in its folder, with only the task count and the sleep read from the command line \
         (the article's for the other languages; for Rust, whose programs the article never \
         published, the 2024 follow-up's, or the article's snippet for threads). \
         `--fidelity` runs both at the same counts in the same run, in turns; each figure is \
         the median of their runs' peaks. A ratio above {FIDELITY_LIMIT:.2} whose runs do not \
         overlap the program's is a defect to \
         fix, unless the note says why ours is the article's shape and the other is not.\n\n\
         {table}\n"
    );
    notes.write(&mut md);
    Some(md)
}

/// One implementation's row of the fidelity table at `tasks`: ours, the program it stands for
/// (`theirs`), and the ratio of their medians, with a note where it passes the limit.
pub(crate) fn fidelity_row(
    summary: &Summary,
    implementation: &str,
    program: &results::env::PublishedProgram,
    tasks: usize,
    theirs: &Cell,
    notes: &mut Notes,
) -> Vec<String> {
    let label = summary.label(implementation);
    let ours = summary.cell(implementation, tasks);
    let median = |cell: Option<&Cell>| cell.and_then(|cell| cell.median(&PEAK_RSS));
    let runs = |cell: Option<&Cell>| cell.map_or(0, |c| c.ok().count()).to_string();
    let ratio = median(ours)
        .zip(median(Some(theirs)))
        .map(|(ours, theirs)| ours / theirs);
    let mut ratio_text = ratio.map_or("–".into(), |r| format!("{r:.2}"));
    if ratio.is_some_and(|r| r > FIDELITY_LIMIT) {
        let why = program.difference.as_deref();
        ratio_text += &notes.mark(fidelity_note(&label, tasks, why, ours, theirs));
    }
    if let Some(problem) = theirs.not_ok().next() {
        let why = problem.error.clone().unwrap_or_default();
        ratio_text += &notes.mark(format!(
            "{label}'s published program at {} tasks: {why}",
            thousands(tasks)
        ));
    }
    vec![
        label,
        program.what.clone(),
        thousands(tasks),
        PEAK_RSS.show(median(ours)),
        runs(ours),
        PEAK_RSS.show(median(Some(theirs))),
        runs(Some(theirs)),
        ratio_text,
    ]
}

/// Why ours holds more than its published program at `tasks`: on purpose, for `difference`;
/// the programs' own spread, where their runs overlap; else a defect.
pub(crate) fn fidelity_note(
    label: &str,
    tasks: usize,
    difference: Option<&str>,
    ours: Option<&Cell>,
    theirs: &Cell,
) -> String {
    let ranges = (
        ours.and_then(|cell| cell.range(&PEAK_RSS)),
        theirs.range(&PEAK_RSS),
    );
    match (difference, ranges) {
        (Some(why), _) => format!("{label}: on purpose: {why}."),
        // Medians of a few runs apart while the runs themselves are not: the programs' own
        // spread, not yet a difference between them.
        (None, (Some((low, high)), Some((their_low, their_high))))
            if low <= their_high && their_low <= high =>
        {
            format!(
                "{label} at {}: above {FIDELITY_LIMIT:.2}, but the runs overlap (ours {low:.1} \
                 to {high:.1} MiB, the program's {their_low:.1} to {their_high:.1}): more runs \
                 must tell whether ours holds more.",
                thousands(tasks)
            )
        }
        (None, _) => format!(
            "{label}: a defect: ours holds more than the program it stands for (more than \
             {FIDELITY_LIMIT:.2} times its median, every run of ours above every run of it)."
        ),
    }
}
