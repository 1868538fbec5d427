//! Every chart reads as a picture, from the SVG alone: no bar of no width, no two texts over
//! each other (boxes from font size and length), no two series of a line chart in one style.
//! Checked on the fixture (a real run) and on a generated run of 44 implementations, more
//! than a real run has, with skipped and failed cells, repeats and timelines.

use results::timeline::{Point, Timeline};
use results::{Env, Measurement, Row, Status};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("charts-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A text's box: left, top, right, bottom, and the text.
type TextBox = (f64, f64, f64, f64, String);

fn number(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|value| value.parse().ok())
        .unwrap_or(0.0)
}

/// The boxes of the horizontal texts, estimated as svgcheck.py does: 0.55 em a character.
fn text_boxes(doc: &roxmltree::Document) -> Vec<TextBox> {
    doc.descendants()
        .filter(|node| node.has_tag_name("text") && node.attribute("transform").is_none())
        .filter_map(|node| {
            let body: String = node
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            let body = body.trim().to_string();
            if body.is_empty() {
                return None;
            }
            let size = node
                .attribute("font-size")
                .map_or(10.0, |_| number(node, "font-size"));
            let width = 0.55 * size * body.chars().count() as f64;
            let x = number(node, "x");
            let left = match node.attribute("text-anchor") {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            let top = number(node, "y") - 0.8 * size;
            Some((left, top, left + width, top + size, body))
        })
        .collect()
}

/// What is wrong with the chart at `path`, one line each.
fn problems(path: &Path) -> Vec<String> {
    let svg = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let mut problems = Vec::new();
    for rect in doc.descendants().filter(|n| n.has_tag_name("rect")) {
        if number(rect, "width") <= 0.0 || number(rect, "height") <= 0.0 {
            problems.push(format!("a rect of no size: {rect:?}"));
        }
    }
    let boxes = text_boxes(&doc);
    // Past the chart's width, by the width text really takes (about half its size a
    // character in the renderer's sans-serif; the boxes above allow more, to find overlaps).
    let width = number(doc.root_element(), "width");
    for text in boxes.iter().filter(|_| width > 0.0) {
        let real_end = text.0 + (text.2 - text.0) * 0.5 / 0.55;
        if text.0 < -1.0 || real_end > width + 1.0 {
            problems.push(format!(
                "a text past the chart's edge ({:.0} to {real_end:.0} of {width}): {:?}",
                text.0, text.4
            ));
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let across = a.2.min(b.2) - a.0.max(b.0);
            let down = a.3.min(b.3) - a.1.max(b.1);
            if across > 1.0 && down > 1.0 {
                problems.push(format!("texts over each other: {:?} and {:?}", a.4, b.4));
            }
        }
    }
    // A series draws its line and its legend's sample: a style drawn more than twice is two
    // series in one style.
    let mut styles: BTreeMap<(String, String), usize> = BTreeMap::new();
    for line in doc.descendants().filter(|n| n.has_tag_name("polyline")) {
        if number(line, "stroke-width") <= 1.0 {
            continue;
        }
        let stroke = line.attribute("stroke").unwrap_or("").to_lowercase();
        let dash = line.attribute("stroke-dasharray").unwrap_or("").to_string();
        *styles.entry((stroke, dash)).or_default() += 1;
    }
    for (style, count) in styles.into_iter().filter(|(_, count)| *count > 2) {
        problems.push(format!("{count} lines in the style {style:?}"));
    }
    problems
}

/// Renders `dir` and gives every chart's problems; the charts must be there.
fn rendered_charts(dir: &Path, expected: &[&str]) -> Vec<String> {
    report::render(dir).unwrap();
    let mut problems = Vec::new();
    for chart in expected {
        let path = dir.join(chart);
        assert!(path.is_file(), "{chart} was not drawn");
        problems.extend(problems_of(&path));
    }
    problems
}

fn problems_of(path: &Path) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    problems(path)
        .into_iter()
        .map(|problem| format!("{name}: {problem}"))
        .collect()
}

#[test]
fn the_charts_of_a_real_run_read_well() {
    let dir = temp_dir("fixture");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/run");
    for file in ["results.jsonl", "env.json"] {
        std::fs::copy(fixture.join(file), dir.join(file)).unwrap();
    }
    let expected = [
        "peak-1.svg",
        "peak-10000.svg",
        "peak-40000.svg",
        "kernel-10000.svg",
        "peak-vs-tasks.svg",
        "launch-vs-tasks.svg",
    ];
    let problems = rendered_charts(&dir, &expected);
    assert!(problems.is_empty(), "{problems:#?}");
}

const LANGUAGES: [&str; 9] = [
    "Rust",
    "Go",
    "Java",
    "C#",
    "JavaScript",
    "Python",
    "Elixir",
    "C++",
    "Zig",
];
const COUNTS: [usize; 5] = [1, 10_000, 100_000, 1_000_000, 10_000_000];

/// The generated run's implementations: more than the 41 of a default run now.
const IMPLEMENTATIONS: usize = 44;

/// A run of 44 implementations over five counts, three runs a cell: every fifth a variant of
/// the one before it, every seventh from the second on another release of the second, some
/// cells skipped or failed, each run with a timeline; the first four also at 1 to 16 worker
/// threads.
fn generated_run(dir: &Path) {
    let mut env = Env::default();
    let mut rows = String::new();
    let mut timelines = String::new();
    let mut index = 0;
    for i in 0..IMPLEMENTATIONS {
        let name = format!("impl-{i:02}");
        env.implementations.insert(name.clone(), record(i));
        for (c, &tasks) in COUNTS.iter().enumerate() {
            for repeat in 1..=3 {
                index += 1;
                let row = Row {
                    index,
                    repeat,
                    cell_tasks: tasks,
                    cell_sleep_s: 10.0,
                    asked_sleep_s: None,
                    needed_sleep_s: None,
                    measurement: measurement(&name, i, c, tasks, repeat),
                    self_peak_rss_bytes: None,
                    build: results::Build::Default,
                    beside_others: false,
                    workers: None,
                    heap: None,
                };
                rows += &(serde_json::to_string(&row).unwrap() + "\n");
                for workers in [1, 2, 4, 8, 16].into_iter().filter(|_| i < 4) {
                    let mut at = row.clone();
                    index += 1;
                    at.index = index;
                    at.workers = Some(workers);
                    let peak = row.measurement.peak_rss_bytes.unwrap() as f64;
                    let grown = peak + (workers as f64).ln() * 20.0 * tasks as f64;
                    at.measurement.peak_rss_bytes = Some(grown as u64);
                    rows += &(serde_json::to_string(&at).unwrap() + "\n");
                }
                timelines += &(serde_json::to_string(&timeline(&row)).unwrap() + "\n");
            }
        }
    }
    std::fs::write(dir.join("env.json"), serde_json::to_string(&env).unwrap()).unwrap();
    std::fs::write(dir.join("results.jsonl"), rows).unwrap();
    std::fs::write(dir.join(results::timeline::TIMELINES_FILE), timelines).unwrap();
}

/// The `i`th implementation: its language in turn, every fifth a variant of the one before,
/// every seventh after the first a release of the second.
fn record(i: usize) -> results::env::ImplementationRecord {
    let language = LANGUAGES[i % LANGUAGES.len()];
    let variant_of = (i % 5 == 4).then(|| format!("impl-{:02}", i - 1));
    let release_of = (i > 1 && i % 7 == 1).then(|| "impl-01".to_string());
    results::env::ImplementationRecord {
        label: format!("{language} implementation number {i} with a long label"),
        language: language.into(),
        variant_of: variant_of.or(release_of.clone()),
        release_of,
        version: Some(format!("runtime 1.{i}.0")),
        ..Default::default()
    }
}

/// Run `repeat` of the `i`th implementation at the `c`th count, `tasks`: a peak growing with
/// both, and some cells skipped or failed.
fn measurement(name: &str, i: usize, c: usize, tasks: usize, repeat: usize) -> Measurement {
    let mut m = Measurement::unmeasured(name, Status::Ok, String::new());
    m.error = None;
    let cost = 50.0 * (1 + i) as f64 * (1.0 + repeat as f64 / 50.0);
    let peak = 2e6 + cost * tasks as f64;
    m.peak_rss_bytes = Some(peak as u64);
    m.kernel = Some(results::Kernel {
        cgroup: "v1".into(),
        total_peak_bytes: (peak * 1.2) as u64,
        kernel_peak_bytes: Some((peak * 0.2) as u64),
        kernel_stack_bytes: None,
        page_tables_bytes: None,
        slab_bytes: None,
    });
    // One launches quicker than the meter reads its events: 0 s, every time.
    m.spawn_s = Some(match i {
        3 => 0.0,
        _ => 1e-6 * tasks as f64 * (1 + i) as f64 + 0.001,
    });
    m.wall_s = Some(10.0 + m.spawn_s.unwrap());
    (m.tasks, m.completed, m.sleep_s) = (Some(tasks), Some(tasks), Some(10.0));
    // The largest, a long note after its value: "not all alive at once".
    (m.all_alive, m.overlapped) = (Some(i + 1 != IMPLEMENTATIONS), Some(true));
    // One has no toolchain here: every cell skipped.
    if i == 5 {
        m.status = Status::Skipped;
        m.error = Some("no C# toolchain (cannot run dotnet)".into());
    } else if (i + c).is_multiple_of(7) && tasks > 1 {
        m.status = Status::Skipped;
        m.error = Some("memory: needs about 52.2 GiB, 23.0 GiB is available".into());
    } else if (i + c).is_multiple_of(11) && tasks > 1 {
        m.status = Status::Failed;
        m.error = Some("timed out after 310 s and was killed".into());
    }
    m
}

/// The memory `row`'s program held over its run: rising to its peak in four steps.
fn timeline(row: &Row) -> Timeline {
    let peak = row.measurement.peak_rss_bytes.unwrap() as f64;
    let spawned = (m_spawn(row) * 1000.0) as u64 + 5;
    let points = (0..40u64)
        .map(|t| {
            Point(
                t * 300,
                (peak / 1024.0 * (t.min(3) + 1) as f64 / 4.0) as u64,
                None,
            )
        })
        .collect();
    Timeline {
        index: row.index,
        start_ms: Some(5),
        spawned_ms: Some(spawned),
        done_ms: Some(spawned + 10_000),
        points,
        ..Timeline::default()
    }
}

fn m_spawn(row: &Row) -> f64 {
    row.measurement.spawn_s.unwrap_or(0.0)
}

#[test]
fn the_charts_of_forty_four_implementations_read_well() {
    let dir = temp_dir("forty-four");
    generated_run(&dir);
    let mut expected: Vec<String> = COUNTS.iter().map(|t| format!("peak-{t}.svg")).collect();
    expected.extend(COUNTS.iter().map(|t| format!("memory-{t}.svg")));
    expected.extend(
        [
            "kernel-10000.svg",
            "peak-vs-tasks.svg",
            "launch-vs-tasks.svg",
            "releases-10000000.svg",
            "workers-10000000.svg",
        ]
        .map(String::from),
    );
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    let problems = rendered_charts(&dir, &expected);
    assert!(problems.is_empty(), "{problems:#?}");
    for chart in ["peak-vs-tasks.svg", "launch-vs-tasks.svg"] {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        for i in 0..IMPLEMENTATIONS {
            let label = format!("implementation number {i} with a long label");
            assert!(text.contains(&label), "{chart} does not name {label}");
        }
    }
    let svg = std::fs::read_to_string(dir.join("launch-vs-tasks.svg")).unwrap();
    assert!(svg.contains("number 3 with a long label (no launch long enough to time)"));
    for chart in ["peak-vs-tasks.svg", "launch-vs-tasks.svg"] {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        assert!(
            svg.contains("number 5 with a long label (no run succeeded)"),
            "{chart} says why the one with no run has no line"
        );
    }
}

/// The checks catch what they look for: a bar of negative width, texts over each other, two
/// series in one style.
#[test]
fn the_checks_find_what_is_wrong() {
    let dir = temp_dir("wrong");
    let path = dir.join("wrong.svg");
    std::fs::write(
        &path,
        r##"<svg xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="-5" height="10"/>
<text x="10" y="20" font-size="12">Rust tokio</text>
<text x="14" y="22" font-size="12">Rust smol</text>
<polyline points="0,0 1,1" stroke="#123456" stroke-width="2"/>
<polyline points="0,0 1,1" stroke="#123456" stroke-width="2"/>
<polyline points="0,0 1,1" stroke="#123456" stroke-width="2"/>
<polyline points="0,0 1,1" stroke="#123456" stroke-width="2"/>
</svg>"##,
    )
    .unwrap();
    let found = problems(&path);
    assert_eq!(found.len(), 3, "{found:#?}");
}
