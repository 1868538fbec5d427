//! Charts as SVG, laid out here: horizontal bars, and lines with their legend beside the data.
//! Every text's box is known from its font size and length, so that labels are placed where
//! they cannot overlap, and every series of a line chart has a style of its own (colour and
//! dash), so that none can be taken for another. The `svg` crate writes the document.

use svg::node::element::{Circle, Group, Line, Polygon, Polyline, Rectangle, Text};
use svg::Document;

/// Font sizes, in pixels.
const FONT: f64 = 12.0;
const TITLE_FONT: f64 = 15.0;

/// The widest a text of `size` pixels can be, per character (sans-serif, digits and capitals
/// included): what the layout leaves for it.
fn text_width(text: &str, size: f64) -> f64 {
    0.62 * size * text.chars().count() as f64
}

/// How values map onto an axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    Linear { high: f64 },
    Log { low: f64, high: f64 },
}

impl Scale {
    /// A linear axis from 0, or a logarithmic one where the values span more than two orders
    /// of magnitude (then a small value would be a bar of no width).
    pub fn for_values(values: &[f64]) -> Scale {
        let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
        let low = positive.iter().copied().fold(f64::INFINITY, f64::min);
        let high = positive.iter().copied().fold(0.0, f64::max);
        // A decade below a least value near a power of ten, so that its bar has some length.
        match high > 0.0 && high / low > 100.0 {
            true => Scale::log(low / 2.0, high),
            false => Scale::linear(high),
        }
    }

    /// A linear axis from 0 to the first round step at or above `high`.
    pub fn linear(high: f64) -> Scale {
        let high = high.max(1e-9);
        let step = nice_ceiling(high / 5.0);
        Scale::Linear {
            high: step * (high / step - 1e-9).ceil(),
        }
    }

    /// A logarithmic axis over whole powers of ten around `low` and `high`.
    pub fn log(low: f64, high: f64) -> Scale {
        Scale::Log {
            low: 10f64.powf(low.max(1e-9).log10().floor()),
            high: 10f64.powf(high.max(low * 10.0).log10().ceil()),
        }
    }

    /// Where `value` sits, from 0 (the axis's start) to 1 (its end), clamped.
    pub fn place(&self, value: f64) -> f64 {
        let at = match *self {
            Scale::Linear { high } => value / high,
            Scale::Log { low, high } => (value.max(low).ln() - low.ln()) / (high.ln() - low.ln()),
        };
        at.clamp(0.0, 1.0)
    }

    /// The value at the axis's start.
    pub fn start(&self) -> f64 {
        match *self {
            Scale::Linear { .. } => 0.0,
            Scale::Log { low, .. } => low,
        }
    }

    /// The values to mark on the axis: every power of ten on a log axis, five or so round
    /// steps on a linear one.
    pub fn ticks(&self) -> Vec<f64> {
        match *self {
            Scale::Linear { high } => {
                let step = nice_ceiling(high / 5.0);
                (0..)
                    .map(|i| i as f64 * step)
                    .take_while(|v| *v <= high * 1.0001)
                    .collect()
            }
            Scale::Log { low, high } => {
                let (first, last) = (low.log10().round() as i32, high.log10().round() as i32);
                (first..=last).map(|p| 10f64.powi(p)).collect()
            }
        }
    }

    pub fn is_log(&self) -> bool {
        matches!(self, Scale::Log { .. })
    }
}

/// The smallest of 1, 2, 2.5 or 5 times a power of ten at or above `value`.
pub fn nice_ceiling(value: f64) -> f64 {
    let power = 10f64.powf(value.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|m| m * power >= value * 0.9999)
        .unwrap_or(10.0);
    step * power
}

/// A tick's label: `0.01`, `0.5`, `10`, `2,500`, `1M`.
pub fn tick_label(value: f64) -> String {
    match value {
        v if v >= 1e6 && (v / 1e6).fract() == 0.0 => format!("{}M", v / 1e6),
        v if v >= 1.0 && v.fract() == 0.0 => results::format::thousands(v as usize),
        v => format!("{}", (v * 1e6).round() / 1e6),
    }
}

/// What marks a point: data of a line, or an event on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

impl Marker {
    pub const ALL: [Marker; 4] = [
        Marker::Circle,
        Marker::Square,
        Marker::Triangle,
        Marker::Diamond,
    ];

    /// The marker at `(x, y)`, `size` pixels across.
    fn draw(
        self,
        x: f64,
        y: f64,
        size: f64,
        fill: &str,
        stroke: &str,
    ) -> svg::node::element::Element {
        let r = size / 2.0;
        let polygon = |points: Vec<(f64, f64)>| {
            let points: Vec<String> = points
                .iter()
                .map(|(a, b)| format!("{a:.1},{b:.1}"))
                .collect();
            Polygon::new()
                .set("points", points.join(" "))
                .set("fill", fill)
                .set("stroke", stroke)
                .into()
        };
        match self {
            Marker::Circle => Circle::new()
                .set("cx", x)
                .set("cy", y)
                .set("r", r)
                .set("fill", fill)
                .set("stroke", stroke)
                .into(),
            Marker::Square => polygon(vec![
                (x - r, y - r),
                (x + r, y - r),
                (x + r, y + r),
                (x - r, y + r),
            ]),
            Marker::Triangle => polygon(vec![
                (x, y - r * 1.2),
                (x + r * 1.1, y + r),
                (x - r * 1.1, y + r),
            ]),
            Marker::Diamond => polygon(vec![
                (x, y - r * 1.3),
                (x + r, y),
                (x, y + r * 1.3),
                (x - r, y),
            ]),
        }
    }
}

/// How a series is drawn: its colour, its dash pattern (empty: solid) and its marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub color: String,
    pub dash: &'static str,
    pub marker: Marker,
}

/// Dash patterns a series can take, each told apart from the others at a glance.
pub const DASHES: [&str; 7] = ["", "9 4", "2 3", "9 3 2 3", "16 5", "4 7", "9 3 2 3 2 3"];

fn text(x: f64, y: f64, size: f64, anchor: &str, content: &str) -> Text {
    Text::new(content)
        .set("x", format!("{x:.1}"))
        .set("y", format!("{y:.1}"))
        .set("font-size", size)
        .set("font-family", "sans-serif")
        .set("text-anchor", anchor)
}

fn line(from: (f64, f64), to: (f64, f64), color: &str, width: f64) -> Line {
    Line::new()
        .set("x1", format!("{:.1}", from.0))
        .set("y1", format!("{:.1}", from.1))
        .set("x2", format!("{:.1}", to.0))
        .set("y2", format!("{:.1}", to.1))
        .set("stroke", color)
        .set("stroke-width", width)
}

fn rectangle(x: f64, y: f64, width: f64, height: f64, fill: &str) -> Rectangle {
    Rectangle::new()
        .set("x", format!("{x:.1}"))
        .set("y", format!("{y:.1}"))
        .set("width", format!("{:.1}", width.max(1.0)))
        .set("height", format!("{height:.1}"))
        .set("fill", fill)
}

fn polyline(points: &[(f64, f64)], style: &Style) -> Polyline {
    let points: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let mut line = Polyline::new()
        .set("points", points.join(" "))
        .set("fill", "none")
        .set("stroke", style.color.as_str())
        .set("stroke-width", 2);
    if !style.dash.is_empty() {
        line = line.set("stroke-dasharray", style.dash);
    }
    line
}

/// The title and the line under it, from the top of a chart `width` wide.
fn heading(width: f64, title: &str, subtitle: &str) -> Group {
    Group::new()
        .add(text(width / 2.0, 22.0, TITLE_FONT, "middle", title).set("font-weight", "bold"))
        .add(text(width / 2.0, 40.0, FONT, "middle", subtitle).set("fill", "#444"))
}

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

const WIDTH: f64 = 1000.0;
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

/// The x axis under rows from `top` to `bottom`: a grid line and a label at each tick, and the
/// unit under them.
fn axis_x(scale: &Scale, left: f64, right: f64, top: f64, bottom: f64, unit: &str) -> Group {
    let mut group = Group::new().add(line((left, bottom), (right, bottom), "#333", 1.0));
    let mut last_end = f64::NEG_INFINITY;
    for tick in scale.ticks() {
        let at = left + scale.place(tick) * (right - left);
        group = group.add(line((at, top), (at, bottom), "#ddd", 1.0));
        let label = tick_label(tick);
        let half = text_width(&label, FONT) / 2.0;
        if at - half > last_end + 4.0 {
            group = group.add(text(at, bottom + 16.0, FONT, "middle", &label));
            last_end = at + half;
        }
    }
    let unit = match scale.is_log() {
        true => format!("{unit} (logarithmic scale)"),
        false => unit.to_string(),
    };
    group.add(text(
        (left + right) / 2.0,
        bottom + 34.0,
        FONT,
        "middle",
        &unit,
    ))
}

/// An event on a line: where it happened, and its marker.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub at: (f64, f64),
    pub kind: usize,
}

/// One line of a line chart.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub style: Style,
    pub points: Vec<(f64, f64)>,
    /// Whether each point gets the series' marker (sparse data), or only its events do.
    pub marked: bool,
    pub events: Vec<Event>,
}

impl Series {
    /// A line through a few points, each with the series' marker, and no events.
    pub fn marked(label: String, style: Style, points: Vec<(f64, f64)>) -> Series {
        Series {
            label,
            style,
            points,
            marked: true,
            events: Vec::new(),
        }
    }
}

/// Every vertical value of `series`.
pub fn ys(series: &[Series]) -> Vec<f64> {
    series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .collect()
}

/// Lines against a horizontal and a vertical axis, with the legend beside the data.
#[derive(Debug, Clone)]
pub struct LineChart {
    pub title: String,
    pub subtitle: String,
    pub x_unit: String,
    pub y_unit: String,
    pub x_scale: Scale,
    pub y_scale: Scale,
    pub series: Vec<Series>,
    /// What each kind of event stands for, and its marker (drawn hollow on the line).
    pub events: Vec<(String, Marker)>,
}

impl LineChart {
    pub fn render(&self) -> Document {
        let legend_width = self
            .series
            .iter()
            .map(|s| text_width(&s.label, FONT))
            .chain(self.events.iter().map(|e| text_width(&e.0, FONT)))
            .fold(0.0, f64::max)
            + 44.0;
        let entries = self.series.len() + self.events.len();
        let (left, top): (f64, f64) = (70.0, 56.0);
        let right = WIDTH - legend_width - 24.0;
        let bottom = (top + 380.0).max(top + 18.0 * entries as f64);
        let height = bottom + 50.0;
        let x = |v: f64| left + self.x_scale.place(v) * (right - left);
        let y = |v: f64| bottom - self.y_scale.place(v) * (bottom - top);
        let mut doc = Document::new()
            .set("viewBox", (0, 0, WIDTH, height))
            .set("width", WIDTH)
            .set("height", height)
            .add(rectangle(0.0, 0.0, WIDTH, height, "white"))
            .add(heading(WIDTH, &self.title, &self.subtitle))
            .add(axis_x(
                &self.x_scale,
                left,
                right,
                top,
                bottom,
                &self.x_unit,
            ))
            .add(self.axis_y(left, right, top, bottom));
        for series in self.series.iter().filter(|s| !s.points.is_empty()) {
            let points: Vec<(f64, f64)> =
                series.points.iter().map(|&(a, b)| (x(a), y(b))).collect();
            doc = doc.add(polyline(&points, &series.style));
            let color = series.style.color.as_str();
            if series.marked {
                for &(a, b) in &points {
                    doc = doc.add(series.style.marker.draw(a, b, 7.0, color, color));
                }
            }
            for event in &series.events {
                let marker = self.events.get(event.kind).map_or(Marker::Circle, |e| e.1);
                doc = doc.add(marker.draw(x(event.at.0), y(event.at.1), 8.0, "white", color));
            }
        }
        doc.add(self.legend(right + 24.0, top))
    }

    /// The y axis: a grid line and a label at each tick, and the unit turned along it.
    fn axis_y(&self, left: f64, right: f64, top: f64, bottom: f64) -> Group {
        let mut group = Group::new().add(line((left, top), (left, bottom), "#333", 1.0));
        let mut last_top = f64::INFINITY;
        for tick in self.y_scale.ticks() {
            let at = bottom - self.y_scale.place(tick) * (bottom - top);
            group = group.add(line((left, at), (right, at), "#ddd", 1.0));
            if at + FONT < last_top {
                group = group.add(text(left - 6.0, at + 4.0, FONT, "end", &tick_label(tick)));
                last_top = at;
            }
        }
        let unit = match self.y_scale.is_log() {
            true => format!("{} (logarithmic scale)", self.y_unit),
            false => self.y_unit.clone(),
        };
        let middle = (top + bottom) / 2.0;
        group.add(
            text(18.0, middle, FONT, "middle", &unit)
                .set("transform", format!("rotate(-90 18 {middle:.1})")),
        )
    }

    /// The legend, beside the data: a sample of each series' line and marker with its label,
    /// then each kind of event.
    fn legend(&self, left: f64, top: f64) -> Group {
        let mut group = Group::new();
        let mut y = top + 6.0;
        for series in &self.series {
            let style = &series.style;
            group = group.add(polyline(&[(left, y), (left + 28.0, y)], style));
            if series.marked {
                group =
                    group.add(
                        style
                            .marker
                            .draw(left + 14.0, y, 7.0, &style.color, &style.color),
                    );
            }
            group = group.add(text(left + 36.0, y + 4.0, FONT, "start", &series.label));
            y += 18.0;
        }
        for (name, marker) in &self.events {
            group = group
                .add(marker.draw(left + 14.0, y, 8.0, "white", "black"))
                .add(text(left + 36.0, y + 4.0, FONT, "start", name));
            y += 18.0;
        }
        group
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_span_gets_a_log_axis_on_whole_powers_of_ten() {
        let scale = Scale::for_values(&[2.3, 95.7, 4348.0]);
        assert_eq!(
            scale,
            Scale::Log {
                low: 1.0,
                high: 10_000.0
            }
        );
        assert_eq!(scale.ticks(), [1.0, 10.0, 100.0, 1000.0, 10_000.0]);
        assert_eq!(scale.place(100.0), 0.5);
        assert_eq!(
            Scale::for_values(&[20.0, 95.0]),
            Scale::Linear { high: 100.0 }
        );
        assert_eq!(Scale::linear(547.8), Scale::Linear { high: 600.0 });
        assert_eq!(Scale::linear(35.9), Scale::Linear { high: 40.0 });
        assert_eq!(
            Scale::Linear { high: 100.0 }.ticks(),
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(Scale::Linear { high: 250.0 }.ticks().len(), 6);
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(0.01), "0.01");
        assert_eq!(tick_label(10.0), "10");
        assert_eq!(tick_label(2500.0), "2,500");
        assert_eq!(tick_label(1e7), "10M");
    }
}
