//! Horizontal bars, one row each, with their parts, range, marks and value.

use super::*;

/// One part of a bar: a value and its colour.
#[derive(Debug, Clone)]
pub struct Part {
    pub value: f64,
    pub color: String,
}

/// A mark beside a bar: another figure for the same thing (a published one), by its index in
/// the chart's `marks`.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub kind: usize,
    pub value: f64,
}

/// One row of a bar chart: its label, its parts laid end to end (none when it has no figure,
/// then `note` says why), the range of its runs, and marks beside it.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub parts: Vec<Part>,
    pub range: Option<(f64, f64)>,
    pub note: Option<String>,
    pub marks: Vec<Mark>,
}

impl Bar {
    pub fn total(&self) -> f64 {
        self.parts.iter().map(|part| part.value).sum()
    }
}

/// Horizontal bars, one per row, sorted by their totals, largest first; rows without a figure
/// last, with why.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub title: String,
    pub subtitle: String,
    pub unit: String,
    pub bars: Vec<Bar>,
    /// What each kind of mark stands for, and its marker.
    pub marks: Vec<(String, Marker)>,
    /// What each colour of part stands for, where the parts of one bar differ.
    pub parts: Vec<(String, String)>,
}

const ROW: f64 = 22.0;
const BAR: f64 = 14.0;

/// Every value a bar shows: its total, its range and its marks.
fn bar_values(bars: &[Bar]) -> Vec<f64> {
    bars.iter()
        .flat_map(|bar| {
            let ends = bar
                .range
                .map(|(low, high)| vec![low, high])
                .unwrap_or_default();
            let marks = bar.marks.iter().map(|mark| mark.value);
            std::iter::once(bar.total()).chain(ends).chain(marks)
        })
        .filter(|value| *value > 0.0)
        .collect()
}

impl BarChart {
    pub fn render(&self) -> Document {
        let mut bars = self.bars.clone();
        bars.sort_by(|a, b| {
            let key = |bar: &Bar| match bar.parts.is_empty() {
                true => f64::NEG_INFINITY,
                false => bar.total(),
            };
            key(b).total_cmp(&key(a))
        });
        let label_width = bars
            .iter()
            .map(|bar| text_width(&bar.label, FONT))
            .fold(0.0, f64::max);
        let left = 16.0 + label_width + 10.0;
        // Room at the right for the widest value written after its bar, its note with it.
        let value_width = bars
            .iter()
            .filter(|bar| !bar.parts.is_empty())
            .map(|bar| text_width(&value_text(bar), FONT))
            .fold(text_width("99,999.9", FONT), f64::max);
        let right = WIDTH - 16.0 - value_width - 8.0;
        let legend = self.legend(left);
        let mut top = 52.0 + 22.0 * legend.1 as f64;
        let mut panels = Group::new();
        for (bars, scale) in self.panels(bars) {
            let x = |value: f64| left + scale.place(value) * (right - left);
            let bottom = top + ROW * bars.len() as f64;
            panels = panels.add(axis_x(&scale, left, right, top, bottom, &self.unit));
            for (row, bar) in bars.iter().enumerate() {
                let middle = top + ROW * (row as f64 + 0.5);
                panels = panels.add(self.row(bar, middle, left, &x));
            }
            top = bottom + 56.0;
        }
        let height = top - 8.0;
        Document::new()
            .set("viewBox", (0, 0, WIDTH, height))
            .set("width", WIDTH)
            .set("height", height)
            .add(rectangle(0.0, 0.0, WIDTH, height, "white"))
            .add(heading(WIDTH, &self.title, &self.subtitle))
            .add(legend.0)
            .add(panels)
    }

    /// The bars in panels, each with its scale: one panel, logarithmic where the values span
    /// more than two orders of magnitude; but bars of several parts need a linear scale to be
    /// read as sums, so there they go in two panels, the bars of a tenth of the largest or more
    /// and the rest, each on a linear scale of its own.
    fn panels(&self, bars: Vec<Bar>) -> Vec<(Vec<Bar>, Scale)> {
        let scale = Scale::for_values(&bar_values(&bars));
        if self.parts.is_empty() || !scale.is_log() {
            return vec![(bars, scale)];
        }
        let largest = bars.iter().map(Bar::total).fold(0.0, f64::max);
        let (large, small): (Vec<Bar>, Vec<Bar>) = bars
            .into_iter()
            .partition(|bar| bar.total() >= largest / 10.0);
        [large, small]
            .into_iter()
            .filter(|panel| !panel.is_empty())
            .map(|panel| {
                let high = bar_values(&panel).into_iter().fold(1.0, f64::max);
                (panel, Scale::linear(high))
            })
            .collect()
    }

    /// The legend of the marks and of the parts under the heading, in as many lines as it
    /// needs to stay within the chart; how many lines it takes.
    fn legend(&self, left: f64) -> (Group, usize) {
        let mut group = Group::new();
        let (mut at, mut lines) = (left, 0);
        let mut place = |width: f64| {
            if lines == 0 || at + width > WIDTH - 16.0 {
                (at, lines) = (left, lines + 1);
            }
            let spot = (at, 58.0 + 22.0 * (lines - 1) as f64);
            at += width + 24.0;
            spot
        };
        for (name, marker) in &self.marks {
            let (x, y) = place(14.0 + text_width(name, FONT));
            group = group
                .add(marker.draw(x + 5.0, y - 4.0, 9.0, "white", "black"))
                .add(text(x + 14.0, y, FONT, "start", name));
        }
        for (name, color) in &self.parts {
            let (x, y) = place(16.0 + text_width(name, FONT));
            group = group
                .add(rectangle(x, y - 10.0, 12.0, 12.0, color))
                .add(text(x + 16.0, y, FONT, "start", name));
        }
        (group, lines)
    }

    /// One bar: its label at the left, its parts, its range, its marks and its value at its end.
    fn row(&self, bar: &Bar, middle: f64, left: f64, x: &impl Fn(f64) -> f64) -> Group {
        let mut group = Group::new().add(text(left - 10.0, middle + 4.0, FONT, "end", &bar.label));
        if bar.parts.is_empty() {
            let note = bar.note.clone().unwrap_or_else(|| "no figure".into());
            return group.add(
                text(left + 4.0, middle + 4.0, FONT, "start", &note)
                    .set("fill", "#666")
                    .set("font-style", "italic"),
            );
        }
        let mut from = 0.0;
        for part in &bar.parts {
            let (start, end) = (x(from), x(from + part.value));
            group = group.add(rectangle(
                start,
                middle - BAR / 2.0,
                end - start,
                BAR,
                &part.color,
            ));
            from += part.value;
        }
        let mut end = x(bar.total());
        if let Some((low, high)) = bar.range {
            let (a, b) = (x(low), x(high));
            group = group
                .add(line((a, middle), (b, middle), "black", 1.0))
                .add(line((a, middle - 5.0), (a, middle + 5.0), "black", 1.0))
                .add(line((b, middle - 5.0), (b, middle + 5.0), "black", 1.0));
            end = end.max(b);
        }
        let mut marks = Vec::new();
        for mark in &bar.marks {
            let at = x(mark.value);
            let marker = self.marks.get(mark.kind).map_or(Marker::Diamond, |m| m.1);
            group = group.add(marker.draw(at, middle, 9.0, "white", "black"));
            marks.push(at);
        }
        let value = value_text(bar);
        // The value right after its bar, moved past a mark only where it would cover one: a
        // mark far beyond the bar (a published figure ten times ours) leaves it at the bar.
        let width = text_width(&value, FONT);
        let mut start = end + 6.0;
        marks.sort_by(f64::total_cmp);
        for at in marks {
            if at + 5.0 > start - 2.0 && at - 5.0 < start + width {
                start = at + 11.0;
            }
        }
        group.add(text(start, middle + 4.0, FONT, "start", &value))
    }
}

/// What is written after a bar: its value, and its note where it has one.
fn value_text(bar: &Bar) -> String {
    let value = format!("{:.1}", bar.total());
    match &bar.note {
        Some(note) => format!("{value} ({note})"),
        None => value,
    }
}
