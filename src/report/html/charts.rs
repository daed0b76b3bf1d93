//! The page's charts: horizontal bar charts drawn by plotters into SVG text, inlined in the
//! page. Labels can come from input (column names, slot names from `--rules`): plotters'
//! SVG backend escapes text and attribute values itself (`<`, `>`, `&`, quotes), so labels
//! are handed over raw (escaping them first would show `&amp;lt;`), and a test here proves
//! that an input label cannot close the `<svg>` or open a `<script>`.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// The colours of the page, one per meaning, so a chart and its table agree.
pub(super) mod colour {
    use plotters::style::RGBColor;

    /// Good: reached, ok, keep.
    pub(crate) const GOOD: RGBColor = RGBColor(46, 125, 50);
    /// Needs attention: warn, retry.
    pub(crate) const WARN: RGBColor = RGBColor(239, 160, 0);
    /// Lost: invalid, empty, prune.
    pub(crate) const BAD: RGBColor = RGBColor(198, 40, 40);
    /// Powered off, retry later.
    pub(crate) const OFF: RGBColor = RGBColor(121, 85, 72);
    /// Not yet known: never dialled, unknown.
    pub(crate) const NEUTRAL: RGBColor = RGBColor(120, 144, 156);
    /// Plain counts.
    pub(crate) const PLAIN: RGBColor = RGBColor(33, 101, 168);
}

/// One bar: its label and its segments (value, colour), drawn left to right.
pub(super) struct Bar {
    /// The label left of the bar (may come from input).
    pub(super) label: String,
    /// The stacked segments.
    pub(super) segments: Vec<(u64, RGBColor)>,
}

impl Bar {
    /// A bar of one segment.
    pub(super) fn one(label: impl Into<String>, value: u64, colour: RGBColor) -> Bar {
        Bar {
            label: label.into(),
            segments: vec![(value, colour)],
        }
    }
}

/// The chart's width in pixels (the page scales it down on narrow screens).
const WIDTH: u32 = 760;
/// The height of one bar's row.
const ROW: u32 = 30;
/// The font size of labels.
const FONT: u32 = 14;

/// Draws `bars` as a horizontal bar chart, first bar on top; the SVG text, or an empty
/// string when there is nothing to draw.
pub(super) fn bars(bars: &[Bar]) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let mut svg = String::new();
    // Drawing into a String cannot fail for want of a device; an error here would be a bug
    // in the chart's own geometry, and the page is still worth having without the chart.
    if draw(&mut svg, bars).is_err() {
        return String::new();
    }
    svg
}

fn draw<'a>(svg: &'a mut String, bars: &[Bar]) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let n = bars.len();
    let height = ROW * n as u32 + 40;
    let max = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.0).sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let label_width = bars.iter().map(|b| text_width(&b.label)).max().unwrap_or(0) + 12;
    let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(6)
        .margin_right(24)
        .x_label_area_size(26)
        .y_label_area_size(label_width.min(WIDTH / 2))
        // A discrete range holds its end: 0..n - 1 is n segments.
        .build_cartesian_2d(0..max + max / 20 + 1, (0..n - 1).into_segmented())?;
    let labels: Vec<&str> = bars.iter().rev().map(|b| b.label.as_str()).collect();
    let y_label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => labels.get(*i).map_or_else(String::new, |s| (*s).to_string()),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&y_label)
        .x_labels(6)
        .x_label_formatter(&|v| v.to_string())
        .label_style(("sans-serif", FONT).into_font())
        .light_line_style(RGBColor(236, 239, 241))
        .draw()?;
    for (row, bar) in bars.iter().rev().enumerate() {
        let mut x = 0;
        for &(value, colour) in &bar.segments {
            if value == 0 {
                continue;
            }
            let mut rect = Rectangle::new(
                [(x, SegmentValue::Exact(row)), (x + value, SegmentValue::Exact(row + 1))],
                colour.filled(),
            );
            rect.set_margin(5, 5, 0, 0);
            chart.plotting_area().draw(&rect)?;
            x += value;
        }
        let total: u64 = bar.segments.iter().map(|s| s.0).sum();
        chart.plotting_area().draw(&Text::new(
            format!(" {total}"),
            (x, SegmentValue::CenterOf(row)),
            ("sans-serif", FONT)
                .into_font()
                .color(&RGBColor(55, 71, 79))
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Center,
                )),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// The width a label needs, in pixels: wide (CJK) characters take a full em, others about
/// half of one; plotters' own estimate without a font file would be guesswork too.
fn text_width(text: &str) -> u32 {
    let ems: f64 = text
        .chars()
        .map(|c| if (c as u32) >= 0x1100 { 1.0 } else { 0.58 })
        .sum();
    (ems * f64::from(FONT)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_from_input_are_escaped_in_the_svg() {
        let hostile = "</svg><script>alert(1)</script>\"'&";
        let svg = bars(&[Bar::one(hostile, 3, colour::PLAIN), Bar::one("手机", 5, colour::GOOD)]);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        assert_eq!(svg.matches("</svg>").count(), 1, "{svg}");
        assert!(
            svg.contains("&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;"),
            "{svg}"
        );
        assert!(svg.contains("手机"));
    }

    #[test]
    fn nothing_to_draw_draws_nothing() {
        assert_eq!(bars(&[]), "");
        assert!(bars(&[Bar::one("zero", 0, colour::PLAIN)]).starts_with("<svg"));
    }
}
