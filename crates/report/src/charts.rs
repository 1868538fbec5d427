//! SVG charts drawn from the summary with plotters' SVG backend (no system fonts needed).

use crate::summary::Summary;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use results::format::thousands;
use std::path::Path;

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A chart written into the results directory.
pub struct Chart {
    pub file: String,
    pub title: String,
}

const SIZE: (u32, u32) = (900, 520);

fn color(index: usize) -> RGBColor {
    const COLORS: [RGBColor; 8] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
    ];
    COLORS[index % COLORS.len()]
}

/// Draws every chart of the summary into `dir`.
pub fn draw_all(summary: &Summary, dir: &Path) -> Result<Vec<Chart>, String> {
    let mut charts = Vec::new();
    let mut draw = |file: String, title: String, result: DrawResult| {
        result.map_err(|e| format!("cannot draw {}: {e}", dir.join(&file).display()))?;
        charts.push(Chart { file, title });
        Ok::<(), String>(())
    };
    for &tasks in &summary.tasks {
        let file = format!("peak-{tasks}.svg");
        let noun = if tasks == 1 { "task" } else { "tasks" };
        let title = format!("Peak memory at {} {noun} (MiB)", thousands(tasks));
        draw(
            file.clone(),
            title.clone(),
            peak_bars(summary, tasks, &title, &dir.join(&file)),
        )?;
    }
    if let Some(tasks) = kernel_chart_tasks(summary) {
        let file = format!("kernel-{tasks}.svg");
        let title = format!(
            "Memory at {} tasks: the program's and the kernel's (MiB, cgroup peak)",
            thousands(tasks)
        );
        draw(
            file.clone(),
            title.clone(),
            kernel_bars(summary, tasks, &title, &dir.join(&file)),
        )?;
    }
    if summary.tasks.len() > 1 {
        let title = "Peak memory against tasks (MiB, log-log)".to_string();
        let file = "peak-vs-tasks.svg".to_string();
        let peak = |cell: &crate::summary::Cell| cell.peak_mib();
        draw(
            file.clone(),
            title.clone(),
            log_log(summary, &title, "MiB", peak, &dir.join(&file)),
        )?;
        let title = "Launch time against tasks (seconds to spawn them all, log-log)".to_string();
        let file = "launch-vs-tasks.svg".to_string();
        let launch = |cell: &crate::summary::Cell| cell.median(|m| m.spawn_s).filter(|s| *s > 0.0);
        draw(
            file.clone(),
            title.clone(),
            log_log(summary, &title, "seconds", launch, &dir.join(&file)),
        )?;
    }
    Ok(charts)
}

type Bars<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<SegmentedCoord<RangedCoordusize>, RangedCoordf64>>;

/// Axes for one bar per label, in MiB up to `top`, with the labels under the bars.
fn bar_axes<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    labels: &[String],
    top: f64,
) -> Result<Bars<'a, 'b>, Box<dyn std::error::Error>> {
    // A segmented range of n values has n + 1 segments: drop the last, empty one.
    let slots = labels.len().max(2) - 1;
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((0..slots).into_segmented(), 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_desc("MiB")
        .x_labels(labels.len().max(1))
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .draw()?;
    Ok(chart)
}

/// The article's bar chart: one bar per runtime that succeeded at `tasks`.
fn peak_bars(summary: &Summary, tasks: usize, title: &str, path: &Path) -> DrawResult {
    let bars: Vec<(usize, String, f64)> = summary
        .runtimes
        .iter()
        .enumerate()
        .filter_map(|(i, runtime)| {
            let peak = summary.cell(runtime, tasks)?.peak_mib()?;
            Some((i, summary.label(runtime), peak))
        })
        .collect();
    let top = bars.iter().map(|b| b.2).fold(1.0, f64::max) * 1.15;
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let labels: Vec<String> = bars.iter().map(|b| b.1.clone()).collect();
    let mut chart = bar_axes(&root, title, &labels, top)?;
    chart.draw_series(
        Histogram::vertical(&chart)
            .margin(24)
            .style_func(|slot, _| match slot {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    color(bars.get(*i).map_or(0, |b| b.0)).filled()
                }
                SegmentValue::Last => WHITE.filled(),
            })
            .data(bars.iter().enumerate().map(|(slot, bar)| (slot, bar.2))),
    )?;
    let label_style = ("sans-serif", 15)
        .into_font()
        .into_text_style(&root)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let labels = bars.iter().enumerate().map(|(slot, (_, _, peak))| {
        Text::new(
            format!("{peak:.1}"),
            (SegmentValue::CenterOf(slot), *peak),
            label_style.clone(),
        )
    });
    chart.draw_series(labels)?;
    root.present()?;
    Ok(())
}

/// A runtime's colour index, label and points.
type Line = (usize, String, Vec<(f64, f64)>);

/// One line per runtime of `value` against tasks, both axes logarithmic.
fn log_log(
    summary: &Summary,
    title: &str,
    unit: &str,
    value: impl Fn(&crate::summary::Cell) -> Option<f64>,
    path: &Path,
) -> DrawResult {
    let lines: Vec<Line> = summary
        .runtimes
        .iter()
        .enumerate()
        .map(|(i, runtime)| {
            let points = summary
                .tasks
                .iter()
                .filter_map(|&tasks| {
                    Some((tasks.max(1) as f64, value(summary.cell(runtime, tasks)?)?))
                })
                .collect();
            (i, summary.label(runtime), points)
        })
        .collect();
    let all = lines.iter().flat_map(|line| line.2.iter());
    let (low, high) = all.fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let (low, high) = if low <= high {
        (low / 2.0, high * 2.0)
    } else {
        (0.1, 10.0)
    };
    let max_tasks = summary.tasks.last().copied().unwrap_or(1).max(10) as f64;
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d((1.0..max_tasks * 1.5).log_scale(), (low..high).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("tasks")
        .y_desc(unit)
        .x_label_formatter(&|x| thousands(*x as usize))
        .draw()?;
    for (index, runtime, points) in lines {
        let style = color(index).stroke_width(2);
        chart
            .draw_series(LineSeries::new(points.clone(), style))?
            .label(runtime)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 4, color(index).filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// The task count the kernel chart shows: 10,000 where measured (every implementation runs
/// there, OS threads included), else the largest count with a kernel figure.
fn kernel_chart_tasks(summary: &Summary) -> Option<usize> {
    let has_kernel = |tasks: usize| {
        summary.runtimes.iter().any(|runtime| {
            summary
                .cell(runtime, tasks)
                .is_some_and(|cell| cell.kernel_mib().is_some())
        })
    };
    match has_kernel(10_000) {
        true => Some(10_000),
        false => summary.tasks.iter().rev().copied().find(|&t| has_kernel(t)),
    }
}

/// One stacked bar per implementation: the cgroup's peak, split into the kernel's part and
/// the rest (the program's own memory, page cache included).
fn kernel_bars(summary: &Summary, tasks: usize, title: &str, path: &Path) -> DrawResult {
    let bars: Vec<(String, f64, f64)> = summary
        .runtimes
        .iter()
        .filter_map(|runtime| {
            let cell = summary.cell(runtime, tasks)?;
            let (total, kernel) = (cell.total_mib()?, cell.kernel_mib()?);
            Some((summary.label(runtime), (total - kernel).max(0.0), kernel))
        })
        .collect();
    let top = bars.iter().map(|b| b.1 + b.2).fold(1.0, f64::max) * 1.15;
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let mut chart = bar_axes(&root, title, &labels, top)?;
    let user = color(0);
    let kernel = color(3);
    let rect = |slot: usize, low: f64, high: f64, style: RGBColor| {
        let corners = [
            (SegmentValue::Exact(slot), low),
            (SegmentValue::Exact(slot + 1), high),
        ];
        let mut bar = Rectangle::new(corners, style.filled());
        bar.set_margin(0, 0, 24, 24);
        bar
    };
    chart
        .draw_series(
            bars.iter()
                .enumerate()
                .map(|(i, b)| rect(i, 0.0, b.1, user)),
        )?
        .label("the program (total less the kernel's part)")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 15, y + 5)], user.filled()));
    chart
        .draw_series(
            bars.iter()
                .enumerate()
                .map(|(i, b)| rect(i, b.1, b.1 + b.2, kernel)),
        )?
        .label("the kernel (stacks, page tables, slab)")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 15, y + 5)], kernel.filled()));
    let label_style = ("sans-serif", 14)
        .into_font()
        .into_text_style(&root)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        Text::new(
            format!("{:.1}", b.1 + b.2),
            (SegmentValue::CenterOf(i), b.1 + b.2),
            label_style.clone(),
        )
    }))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}
