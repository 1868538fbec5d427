//! The report's charts, from the summary: what each shows and in which colours; `plot` lays
//! them out. Every implementation is coloured by its language, a variant in a lighter shade of
//! it with its base's marker; in a line chart each series also has a dash of its own.

use crate::plot::{ys, Bar, BarChart, Event, LineChart, Mark, Marker, Part, Scale, Series, Style};
use crate::published::Published;
use crate::summary::{short_reason, Cell, Summary};
use results::format::MIB;
use results::format::{mib, thousands};
use results::metric::{CGROUP_TOTAL, KERNEL_PART, PEAK_RSS, SPAWN};
use std::collections::BTreeMap;
use std::path::Path;
use styles::styles;

mod styles;

/// A chart written into the results directory.
pub struct Chart {
    pub file: String,
    pub title: String,
}

/// A chart drawn: its file's name, its title and the picture.
type Drawn = (String, String, svg::Document);

/// Draws every chart of the summary into `dir`.
pub fn draw_all(
    summary: &Summary,
    published: &Published,
    dir: &Path,
) -> Result<Vec<Chart>, crate::Error> {
    let styles = styles(summary);
    let mut drawn: Vec<Drawn> = Vec::new();
    let every: Vec<&str> = summary.implementations.iter().map(String::as_str).collect();
    for &tasks in &summary.tasks {
        let chart = peak_bars(summary, published, &styles, tasks, &every);
        drawn.push((
            format!("peak-{tasks}.svg"),
            chart.title.clone(),
            chart.render(),
        ));
    }
    drawn.extend(answer_bars(summary, published, &styles));
    if let Some(tasks) = kernel_chart_tasks(summary) {
        let chart = kernel_bars(summary, &styles, tasks);
        drawn.push((
            format!("kernel-{tasks}.svg"),
            chart.title.clone(),
            chart.render(),
        ));
    }
    if summary.tasks.len() > 1 {
        drawn.extend(against_tasks_charts(summary, &styles));
    }
    if let Some((tasks, chart)) = releases_bars(summary, &styles) {
        let file = format!("releases-{tasks}.svg");
        drawn.push((file, chart.title.clone(), chart.render()));
    }
    if let Some((tasks, chart)) = workers_lines(summary, &styles) {
        let file = format!("workers-{tasks}.svg");
        drawn.push((file, chart.title.clone(), chart.render()));
    }
    for &tasks in &summary.tasks {
        if let Some(chart) = memory_over_time(summary, &styles, tasks) {
            drawn.push((
                format!("memory-{tasks}.svg"),
                chart.title.clone(),
                chart.render(),
            ));
        }
    }
    drawn
        .into_iter()
        .map(|(file, title, document)| {
            let path = dir.join(&file);
            svg::save(&path, &document).map_err(crate::Error::write(&path))?;
            Ok(Chart { file, title })
        })
        .collect()
}

/// The README's chart: one bar per program of its own, at a million tasks or the largest count.
fn answer_bars(
    summary: &Summary,
    published: &Published,
    styles: &BTreeMap<String, Style>,
) -> Option<Drawn> {
    let tasks = summary.answer_tasks()?;
    let bases: Vec<&str> = crate::findings::bases(summary).collect();
    let mut chart = peak_bars(summary, published, styles, tasks, &bases);
    chart.subtitle = "one row per program (its variants and other releases: the report); median \
                      peak over the runs, their range; published figures as marks"
        .into();
    Some((
        format!("answer-{tasks}.svg"),
        chart.title.clone(),
        chart.render(),
    ))
}

/// Peak memory and launch time against tasks, one line per implementation.
fn against_tasks_charts(summary: &Summary, styles: &BTreeMap<String, Style>) -> Vec<Drawn> {
    let peak = Axis {
        title: "Peak memory against tasks",
        unit: "MiB",
        subtitle: "medians over the runs of each cell that succeeded",
        when_none: "no run succeeded",
    };
    let peak = against_tasks(summary, styles, &peak, |cell| cell.median(&PEAK_RSS));
    // The meter stamps events as it reads them: a launch quicker than its reading reads 0,
    // which a log axis cannot place.
    let launch = Axis {
        title: "Launch time against tasks",
        unit: "seconds to spawn every task",
        subtitle: "medians over the runs of each cell that succeeded; a launch quicker \
                   than the meter reads its events (0 s) is not drawn",
        when_none: "no launch long enough to time",
    };
    let launch = against_tasks(summary, styles, &launch, |cell| {
        cell.median(&SPAWN).filter(|s| *s > 0.0)
    });
    vec![
        (
            "peak-vs-tasks.svg".into(),
            peak.title.clone(),
            peak.render(),
        ),
        (
            "launch-vs-tasks.svg".into(),
            launch.title.clone(),
            launch.render(),
        ),
    ]
}

fn tasks_noun(tasks: usize) -> String {
    match tasks {
        1 => "1 task".into(),
        _ => format!("{} tasks", thousands(tasks)),
    }
}

/// The article's bar chart at `tasks`: each of `implementations`' median peak, its runs'
/// range, the published figures beside it, and the rows that have none, with why.
fn peak_bars(
    summary: &Summary,
    published: &Published,
    styles: &BTreeMap<String, Style>,
    tasks: usize,
    implementations: &[&str],
) -> BarChart {
    let bars = implementations
        .iter()
        .map(|&implementation| {
            let cell = summary.cell(implementation, tasks);
            let peak = cell.and_then(|cell| cell.median(&PEAK_RSS));
            let range = cell
                .filter(|cell| cell.ok().count() > 1)
                .and_then(|cell| cell.range(&PEAK_RSS));
            let alive = cell.is_none_or(|cell| cell.ok().all(|m| m.all_alive != Some(false)));
            Bar {
                label: summary.label(implementation),
                parts: one_part(peak, &styles[implementation]),
                range,
                note: match (peak, alive) {
                    (None, _) => Some(short_reason(cell)),
                    (Some(_), false) => Some("not all alive at once".into()),
                    _ => None,
                },
                marks: published_marks(published, implementation, tasks),
            }
        })
        .collect();
    let markers = [
        Marker::Diamond,
        Marker::Triangle,
        Marker::Square,
        Marker::Circle,
    ];
    BarChart {
        title: format!("Peak memory at {}", tasks_noun(tasks)),
        subtitle: "median peak resident memory of the process over its runs, with their range; \
                   published figures (other machines; MB shown as MiB) as marks"
            .into(),
        unit: "MiB".into(),
        bars,
        marks: published
            .sources
            .iter()
            .zip(markers.into_iter().cycle())
            .map(|(source, marker)| (source.title.clone(), marker))
            .collect(),
        parts: Vec::new(),
    }
}

/// The published figures for `runtime` at `tasks`, one mark per source that has one.
fn published_marks(published: &Published, implementation: &str, tasks: usize) -> Vec<Mark> {
    published
        .sources
        .iter()
        .enumerate()
        .filter_map(|(kind, source)| {
            let figure = source.figure(implementation, tasks)?;
            Some(Mark {
                kind,
                value: source.in_mib(figure),
            })
        })
        .collect()
}

/// The task count the kernel chart shows: 10,000 where measured (every implementation runs
/// there, OS threads included), else the largest count with a kernel figure.
fn kernel_chart_tasks(summary: &Summary) -> Option<usize> {
    let has_kernel = |tasks: usize| {
        summary.implementations.iter().any(|implementation| {
            summary
                .cell(implementation, tasks)
                .is_some_and(|cell| cell.median(&KERNEL_PART).is_some())
        })
    };
    match has_kernel(10_000) {
        true => Some(10_000),
        false => summary.tasks.iter().rev().copied().find(|&t| has_kernel(t)),
    }
}

/// The kernel's part of each implementation's memory: the cgroup's peak, split into the
/// kernel's part and the rest.
fn kernel_bars(summary: &Summary, styles: &BTreeMap<String, Style>, tasks: usize) -> BarChart {
    const KERNEL: &str = "#374151";
    let bars = summary
        .implementations
        .iter()
        .map(|implementation| {
            let cell = summary.cell(implementation, tasks);
            let figures = cell
                .and_then(|cell| Some((cell.median(&CGROUP_TOTAL)?, cell.median(&KERNEL_PART)?)));
            let parts = match figures {
                Some((total, kernel)) => vec![
                    Part {
                        value: (total - kernel).max(0.0),
                        color: styles[implementation].color.clone(),
                    },
                    Part {
                        value: kernel,
                        color: KERNEL.into(),
                    },
                ],
                None => Vec::new(),
            };
            Bar {
                label: summary.label(implementation),
                note: parts.is_empty().then(|| short_reason(cell)),
                parts,
                range: None,
                marks: Vec::new(),
            }
        })
        .collect();
    BarChart {
        title: format!("Memory at {}: the program's and the kernel's", tasks_noun(tasks)),
        subtitle: "peak of each run's memory cgroup; files read before the run (the binary, its \
                   libraries) are charged to whoever read them first, not counted here"
            .into(),
        unit: "MiB".into(),
        bars,
        marks: Vec::new(),
        parts: vec![(
            "the kernel's part (thread stacks, page tables, slab); the rest of a bar is the program's"
                .into(),
            KERNEL.into(),
        )],
    }
}

/// What a chart against tasks shows, and what its legend says of a line with no point though
/// some run of it succeeded (one with none says so).
struct Axis<'a> {
    title: &'a str,
    unit: &'a str,
    subtitle: &'a str,
    when_none: &'a str,
}

/// One line per implementation of `value` against tasks, both axes logarithmic; an
/// implementation with no value keeps its place in the legend, saying why it has no line.
fn against_tasks(
    summary: &Summary,
    styles: &BTreeMap<String, Style>,
    axis: &Axis,
    value: impl Fn(&Cell) -> Option<f64>,
) -> LineChart {
    let series: Vec<Series> = summary
        .implementations
        .iter()
        .map(|implementation| {
            let points: Vec<(f64, f64)> = summary
                .tasks
                .iter()
                .filter_map(|&tasks| {
                    Some((
                        tasks.max(1) as f64,
                        value(summary.cell(implementation, tasks)?)?,
                    ))
                })
                .collect();
            let succeeded = summary.tasks.iter().any(|&tasks| {
                let cell = summary.cell(implementation, tasks);
                cell.is_some_and(|cell| cell.ok().next().is_some())
            });
            let label = match (points.is_empty(), succeeded) {
                (false, _) => summary.label(implementation),
                (true, true) => format!("{} ({})", summary.label(implementation), axis.when_none),
                (true, false) => format!("{} (no run succeeded)", summary.label(implementation)),
            };
            Series::marked(label, styles[implementation].clone(), points)
        })
        .collect();
    let ys = ys(&series);
    let low = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let high = ys.iter().copied().fold(0.0, f64::max);
    let least = summary.tasks.first().copied().unwrap_or(1).max(1) as f64;
    let most = summary.tasks.last().copied().unwrap_or(10).max(10) as f64;
    LineChart {
        title: format!("{} (log-log)", axis.title),
        subtitle: axis.subtitle.into(),
        x_unit: "tasks".into(),
        y_unit: axis.unit.into(),
        x_scale: Scale::log(least, most),
        y_scale: match ys.is_empty() {
            true => Scale::log(0.1, 10.0),
            false => Scale::log(low, high),
        },
        series,
        events: Vec::new(),
    }
}

/// A bar of one part in the implementation's colour, or none where it has no figure.
fn one_part(value: Option<f64>, style: &Style) -> Vec<Part> {
    let part = value.map(|value| Part {
        value,
        color: style.color.clone(),
    });
    part.into_iter().collect()
}

/// A cell's median peak over its task count, in bytes.
fn bytes_per_task(cell: Option<&Cell>, tasks: usize) -> Option<f64> {
    Some(cell?.median(&PEAK_RSS)? * MIB / tasks as f64)
}

/// What a task costs at each release of each runtime the run built against other releases,
/// at the largest task count where one of those has a figure.
fn releases_bars(summary: &Summary, styles: &BTreeMap<String, Style>) -> Option<(usize, BarChart)> {
    let families: Vec<&str> = summary
        .implementations
        .iter()
        .filter(|name| !summary.releases_of(name).is_empty())
        .flat_map(|name| std::iter::once(name.as_str()).chain(summary.releases_of(name)))
        .collect();
    let tasks = summary.tasks.iter().rev().copied().find(|&tasks| {
        families
            .iter()
            .any(|name| bytes_per_task(summary.cell(name, tasks), tasks).is_some())
    })?;
    let bars = families
        .iter()
        .map(|&name| {
            let cell = summary.cell(name, tasks);
            let value = bytes_per_task(cell, tasks);
            Bar {
                label: format!("{} ({})", summary.label(name), summary.version(name)),
                parts: one_part(value, &styles[name]),
                range: None,
                note: value.is_none().then(|| short_reason(cell)),
                marks: Vec::new(),
            }
        })
        .collect();
    let chart = BarChart {
        title: format!("Bytes per task by release at {}", tasks_noun(tasks)),
        subtitle: "each runtime's program built against each release (its lock of that day):                    median peak resident memory over the tasks"
            .into(),
        unit: "bytes per task".into(),
        bars,
        marks: Vec::new(),
        parts: Vec::new(),
    };
    Some((tasks, chart))
}

/// What a task costs against the worker threads a runtime was given (`--workers`), one line
/// per implementation, at the largest task count with such runs.
fn workers_lines(
    summary: &Summary,
    styles: &BTreeMap<String, Style>,
) -> Option<(usize, LineChart)> {
    let counts = summary.worker_counts();
    let tasks = summary.tasks.iter().rev().copied().find(|&tasks| {
        summary.implementations.iter().any(|name| {
            counts
                .iter()
                .any(|&count| summary.workers_cell(name, tasks, count).is_some())
        })
    })?;
    let series: Vec<Series> = summary
        .implementations
        .iter()
        .filter_map(|name| {
            let points: Vec<(f64, f64)> = counts
                .iter()
                .filter_map(|&count| {
                    let cell = summary.workers_cell(name, tasks, count);
                    Some((count as f64, bytes_per_task(cell, tasks)?))
                })
                .collect();
            (!points.is_empty())
                .then(|| Series::marked(summary.label(name), styles[name].clone(), points))
        })
        .collect();
    let ys = ys(&series);
    let chart = LineChart {
        title: format!(
            "Bytes per task against worker threads at {}",
            tasks_noun(tasks)
        ),
        subtitle: "median peak resident memory over the tasks, each runtime given that many \
                   worker threads through its own setting"
            .into(),
        x_unit: "worker threads".into(),
        y_unit: "bytes per task".into(),
        x_scale: Scale::linear(counts.last().copied().unwrap_or(1) as f64),
        y_scale: Scale::linear(ys.iter().copied().fold(0.0, f64::max)),
        series,
        events: Vec::new(),
    };
    Some((tasks, chart))
}

/// Each implementation's resident memory against time since it started, in its first
/// successful run at `tasks`, with the moments every task was spawned and every one joined.
fn memory_over_time(
    summary: &Summary,
    styles: &BTreeMap<String, Style>,
    tasks: usize,
) -> Option<LineChart> {
    let mut starts = Vec::new();
    let series: Vec<Series> = summary
        .implementations
        .iter()
        .filter_map(|implementation| {
            let (series, up) = timeline_series(summary, styles, implementation, tasks)?;
            starts.extend(up);
            Some(series)
        })
        .filter(|series| series.points.len() > 1)
        .collect();
    if series.is_empty() {
        return None;
    }
    let points = || series.iter().flat_map(|s| s.points.iter());
    let longest = points().map(|p| p.0).fold(0.0, f64::max);
    let high = points().map(|p| p.1).fold(0.0, f64::max);
    // From the least any runtime holds once it is up (its `start`): what a process holds while
    // it is still being loaded is not the runtime's and would stretch the axis.
    let low = starts
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(high);
    Some(LineChart {
        title: format!("Memory over time at {}", tasks_noun(tasks)),
        subtitle: "resident memory of each implementation's first successful run, as the meter \
                   read it, from its start to its end"
            .into(),
        x_unit: "seconds since the program started".into(),
        y_unit: "MiB".into(),
        x_scale: Scale::linear(longest.max(0.1)),
        y_scale: Scale::log(low, high),
        series,
        events: vec![
            ("every task spawned".into(), Marker::Circle),
            ("every task joined".into(), Marker::Square),
        ],
    })
}

/// One implementation's line on the memory-over-time chart at `tasks`, with its spawned and
/// joined events, and what it held at its first reading once it said it was up.
fn timeline_series(
    summary: &Summary,
    styles: &BTreeMap<String, Style>,
    implementation: &str,
    tasks: usize,
) -> Option<(Series, Option<f64>)> {
    let (spawned, done) = (0, 1);
    let timeline = summary.timeline(implementation, tasks)?;
    let points: Vec<(f64, f64)> = timeline
        .points
        .iter()
        .map(|p| (p.0 as f64 / 1000.0, mib(p.1 * 1024)))
        .filter(|p| p.1 > 0.0)
        .collect();
    // An event sits on the line, at the reading just before it.
    let on_line = |ms: u64| {
        let at = ms as f64 / 1000.0;
        let before = points.iter().rev().find(|p| p.0 <= at).or(points.first())?;
        Some((at, before.1))
    };
    let up = timeline
        .start_ms
        .map(|ms| ms as f64 / 1000.0)
        .and_then(|at| points.iter().find(|p| p.0 >= at))
        .map(|p| p.1);
    let events = [(timeline.spawned_ms, spawned), (timeline.done_ms, done)]
        .into_iter()
        .filter_map(|(ms, kind)| {
            Some(Event {
                at: on_line(ms?)?,
                kind,
            })
        })
        .collect();
    let series = Series {
        label: summary.label(implementation),
        style: styles[implementation].clone(),
        points,
        marked: false,
        events,
    };
    Some((series, up))
}
