//! Charts as SVG: horizontal bars (`bars`), and lines with their legend beside the data
//! (`lines`), on the scales, markers and shapes laid out here.
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

/// Every chart's width, in pixels.
const WIDTH: f64 = 1000.0;

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

mod bars;
mod lines;
pub use bars::{Bar, BarChart, Mark, Part};
pub use lines::{ys, Event, LineChart, Series};

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
