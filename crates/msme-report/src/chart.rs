//! The range chart, drawn with vector lines and rectangles: a row per method with its value
//! (a square) and its own low-high (a whisker), over the blended range (a shaded band) and the
//! blended value (a vertical line).

use msme_core::valuation::ValuationReport;

use crate::doc::{Doc, Rgb, ACCENT, BAND, INK, MARGIN, MUTED, RULE, WIDTH};
use crate::font::Face;
use crate::format::{method_label, short_rupees};

const LABEL_W: f32 = 150.0;
const ROW_H: f32 = 20.0;
const TICKS: u32 = 4;
const MARKER: Rgb = (0.85, 0.45, 0.1);

/// The value axis: `lo` to `hi` paise across the plot's width.
struct Axis {
    lo: f64,
    hi: f64,
    x0: f32,
    width: f32,
}

impl Axis {
    fn of(r: &ValuationReport) -> Self {
        let mut all = vec![0, r.low_paise, r.high_paise, r.value_paise];
        for m in &r.methods {
            all.extend(
                [Some(m.value_paise), m.low_paise, m.high_paise]
                    .into_iter()
                    .flatten(),
            );
        }
        let to_f = |p: i64| -> f64 {
            #[allow(clippy::cast_precision_loss)]
            let f = p as f64;
            f
        };
        let lo = all.iter().copied().map(to_f).fold(f64::INFINITY, f64::min);
        let hi = all
            .iter()
            .copied()
            .map(to_f)
            .fold(f64::NEG_INFINITY, f64::max);
        let span = (hi - lo).max(1.0);
        Self {
            lo: if lo < 0.0 { lo - span * 0.05 } else { lo },
            hi: hi + span * 0.05,
            x0: MARGIN + LABEL_W,
            width: WIDTH - LABEL_W - 10.0,
        }
    }

    fn x(&self, paise: i64) -> f32 {
        #[allow(clippy::cast_precision_loss)]
        let share = ((paise as f64 - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        // A share of a page width: well within f32.
        #[allow(clippy::cast_possible_truncation)]
        let offset = (share * f64::from(self.width)) as f32;
        self.x0 + offset
    }

    /// Evenly spaced values from `lo` to `hi`, as paise.
    fn ticks(&self) -> Vec<i64> {
        (0..=TICKS)
            .map(|i| {
                let v = self.lo + (self.hi - self.lo) * f64::from(i) / f64::from(TICKS);
                // Paise values of a chart axis fit in i64.
                #[allow(clippy::cast_possible_truncation)]
                let p = v.round() as i64;
                p
            })
            .collect()
    }
}

/// Draws the chart at the cursor, on a new page if it does not fit.
pub fn range_chart(doc: &mut Doc, r: &ValuationReport) {
    let rows = r.methods.len() + 1;
    #[allow(clippy::cast_precision_loss)]
    let plot_h = rows as f32 * ROW_H;
    doc.ensure(plot_h + 60.0);
    let axis = Axis::of(r);
    let top = doc.y - 6.0;
    let bottom = top - plot_h;
    let (low, high) = (axis.x(r.low_paise), axis.x(r.high_paise));
    doc.fill_rect(low, bottom, (high - low).max(0.8), plot_h, BAND);
    let mut y = top;
    for m in &r.methods {
        y -= ROW_H;
        row_label(doc, y, &method_label(&m.method), Face::Regular);
        let mid = y + ROW_H / 2.0 - 3.0;
        if let (Some(l), Some(h)) = (m.low_paise, m.high_paise) {
            whisker(doc, &axis, mid, l.min(h), l.max(h));
        } else if let Some(bound) = m.low_paise.or(m.high_paise) {
            whisker(
                doc,
                &axis,
                mid,
                bound.min(m.value_paise),
                bound.max(m.value_paise),
            );
        }
        let x = axis.x(m.value_paise);
        doc.fill_rect(x - 3.5, mid - 3.5, 7.0, 7.0, MARKER);
    }
    y -= ROW_H;
    row_label(doc, y, "Blended value and range", Face::Bold);
    let v = axis.x(r.value_paise);
    doc.line(v, bottom, v, top, 1.6, ACCENT);
    doc.stroke_rect(
        low,
        y + 4.0,
        (high - low).max(0.8),
        ROW_H - 8.0,
        1.0,
        ACCENT,
    );
    axis_line(doc, &axis, bottom);
    doc.y = bottom - 30.0;
    doc.paragraph(
        MARGIN,
        WIDTH,
        Face::Regular,
        7.5,
        MUTED,
        "Squares: each method's value; thin lines: the method's own low to high where it has \
         one. Shaded band and outlined bar: the blended range; vertical line: the blended value.",
    );
}

fn row_label(doc: &mut Doc, y: f32, label: &str, face: Face) {
    let saved = doc.y;
    doc.y = y + ROW_H / 2.0 - 6.0;
    doc.text(MARGIN, face, 8.5, INK, label);
    doc.y = saved;
    doc.line(MARGIN + LABEL_W, y, MARGIN + WIDTH - 10.0, y, 0.3, RULE);
}

fn whisker(doc: &mut Doc, axis: &Axis, y: f32, low: i64, high: i64) {
    let (a, b) = (axis.x(low), axis.x(high));
    doc.line(a, y, b, y, 1.0, MUTED);
    doc.line(a, y - 3.0, a, y + 3.0, 1.0, MUTED);
    doc.line(b, y - 3.0, b, y + 3.0, 1.0, MUTED);
}

fn axis_line(doc: &mut Doc, axis: &Axis, y: f32) {
    doc.line(axis.x0, y, axis.x0 + axis.width, y, 0.8, INK);
    let saved = doc.y;
    for t in axis.ticks() {
        let x = axis.x(t);
        doc.line(x, y, x, y - 4.0, 0.8, INK);
        let label = short_rupees(t);
        let half = crate::font::width(&crate::font::encode(&label), Face::Regular, 7.0) / 2.0;
        doc.y = y - 13.0;
        doc.text(x - half, Face::Regular, 7.0, MUTED, &label);
    }
    if axis.lo < 0.0 {
        let zero = axis.x(0);
        doc.line(zero, y, zero, y + 2.0, 0.8, INK);
    }
    doc.y = saved;
}
