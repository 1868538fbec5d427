//! Lines against tasks or time, each in a style of its own, their legend beside the data.

use super::*;

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
