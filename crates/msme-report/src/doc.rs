//! A4 pages with a cursor that moves down, breaking to a new page when the next piece does
//! not fit; text, rules, boxes and tables whose header repeats after a break.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::font::{self, Face};

pub const PAGE_W: f32 = 595.0;
pub const PAGE_H: f32 = 842.0;
pub const MARGIN: f32 = 50.0;
/// The size of body text in the report's sections.
pub const BODY: f32 = 9.5;
/// Usable width between the margins.
pub const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const TOP: f32 = PAGE_H - MARGIN;
/// The footer lives below this line.
const BOTTOM: f32 = MARGIN + 14.0;

/// An RGB colour, each part 0 to 1.
pub type Rgb = (f32, f32, f32);
pub const INK: Rgb = (0.1, 0.1, 0.12);
pub const MUTED: Rgb = (0.4, 0.4, 0.45);
pub const RULE: Rgb = (0.8, 0.8, 0.83);
pub const ACCENT: Rgb = (0.12, 0.32, 0.62);
pub const BAND: Rgb = (0.82, 0.88, 0.96);

/// How a table cell's text sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

impl Column {
    /// A column whose cells sit on the left.
    pub fn left(title: &'static str, width: f32) -> Self {
        Self {
            title,
            width,
            align: Align::Left,
        }
    }

    /// A column whose cells sit on the right (amounts, percentages).
    pub fn right(title: &'static str, width: f32) -> Self {
        Self {
            title,
            width,
            align: Align::Right,
        }
    }
}

/// A table column.
pub struct Column {
    pub title: &'static str,
    pub width: f32,
    pub align: Align,
}

/// The document being laid out.
pub struct Doc {
    pages: Vec<Content>,
    /// Baseline of the next line on the current page.
    pub y: f32,
    footer: String,
    title: String,
}

const CELL_SIZE: f32 = 8.5;
const CELL_LEADING: f32 = 11.0;
const PAD: f32 = 4.0;

impl Doc {
    pub fn new(title: String, footer: String) -> Self {
        Self {
            pages: vec![Content::new()],
            y: TOP,
            footer,
            title,
        }
    }

    pub fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` points fit above the footer.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a document has a page")
    }

    /// Already-encoded text with its baseline at (`x`, `y`).
    pub fn raw_text(&mut self, x: f32, y: f32, face: Face, size: f32, color: Rgb, text: &[u8]) {
        let c = self.page();
        c.begin_text();
        c.set_fill_rgb(color.0, color.1, color.2);
        c.set_font(face.resource(), size);
        c.next_line(x, y);
        c.show(Str(text));
        c.end_text();
    }

    /// One line of text at `x` on the cursor's baseline, cut to nothing else.
    pub fn text(&mut self, x: f32, face: Face, size: f32, color: Rgb, s: &str) {
        let y = self.y;
        self.raw_text(x, y, face, size, color, &font::encode(s));
    }

    /// Wrapped text from `x`, `width` wide, one line after another, breaking pages as needed.
    pub fn paragraph(&mut self, x: f32, width: f32, face: Face, size: f32, color: Rgb, s: &str) {
        let leading = size * 1.35;
        for line in font::wrap(s, face, size, width) {
            self.ensure(leading);
            self.y -= leading;
            let y = self.y;
            self.raw_text(x, y, face, size, color, &line);
        }
    }

    /// A paragraph of body text across the page.
    pub fn body(&mut self, s: &str) {
        self.paragraph(MARGIN, WIDTH, Face::Regular, BODY, INK, s);
    }

    /// A section title with a rule under it; keeps `keep` points of what follows on its page.
    pub fn heading(&mut self, s: &str, keep: f32) {
        self.ensure(34.0 + keep);
        self.y -= 22.0;
        self.text(MARGIN, Face::Bold, 13.0, ACCENT, s);
        self.y -= 6.0;
        let y = self.y;
        self.line(MARGIN, y, MARGIN + WIDTH, y, 0.8, ACCENT);
        self.y -= 4.0;
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        let c = self.page();
        c.set_fill_rgb(color.0, color.1, color.2);
        c.rect(x, y, w, h);
        c.fill_nonzero();
    }

    pub fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32, color: Rgb) {
        let c = self.page();
        c.set_stroke_rgb(color.0, color.1, color.2);
        c.set_line_width(width);
        c.rect(x, y, w, h);
        c.stroke();
    }

    #[allow(clippy::too_many_arguments)]
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb) {
        let c = self.page();
        c.set_stroke_rgb(color.0, color.1, color.2);
        c.set_line_width(width);
        c.move_to(x1, y1);
        c.line_to(x2, y2);
        c.stroke();
    }

    /// A table: cells wrap within their column (a `\n` starts a new line); a row too long
    /// for the rest of the page continues on the next, under the header again.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        self.ensure(3.0 * CELL_LEADING + 2.0 * PAD);
        self.table_header(columns);
        for row in rows {
            let cells: Vec<Vec<Vec<u8>>> = columns
                .iter()
                .zip(row)
                .map(|(col, text)| cell_lines(text, col.width - 2.0 * PAD))
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            if self.y - CELL_LEADING * 2.0_f32.min(height_f(height)) - PAD < BOTTOM {
                self.new_page();
                self.table_header(columns);
            }
            self.y -= PAD / 2.0;
            for i in 0..height {
                if self.y - CELL_LEADING < BOTTOM {
                    self.new_page();
                    self.table_header(columns);
                }
                self.y -= CELL_LEADING;
                self.table_line(columns, &cells, i);
            }
            self.y -= PAD;
            let y = self.y;
            self.line(MARGIN, y, MARGIN + table_width(columns), y, 0.4, RULE);
        }
    }

    fn table_header(&mut self, columns: &[Column]) {
        let h = CELL_LEADING + PAD * 2.0;
        let w = table_width(columns);
        let y = self.y - h;
        self.fill_rect(MARGIN, y, w, h, (0.93, 0.94, 0.96));
        let mut x = MARGIN;
        self.y -= CELL_LEADING + PAD / 2.0;
        for col in columns {
            self.cell(x, col, Face::Bold, col.title.as_bytes());
            x += col.width;
        }
        self.y = y;
    }

    fn table_line(&mut self, columns: &[Column], cells: &[Vec<Vec<u8>>], i: usize) {
        let mut x = MARGIN;
        for (col, lines) in columns.iter().zip(cells) {
            if let Some(line) = lines.get(i) {
                self.cell(x, col, Face::Regular, line);
            }
            x += col.width;
        }
    }

    fn cell(&mut self, x: f32, col: &Column, face: Face, text: &[u8]) {
        let left = match col.align {
            Align::Left => x + PAD,
            Align::Right => x + col.width - PAD - font::width(text, face, CELL_SIZE),
        };
        let y = self.y;
        self.raw_text(left, y, face, CELL_SIZE, INK, text);
    }

    /// The PDF: every page with its footer, the two standard fonts, and the document's title.
    pub fn finish(mut self) -> Vec<u8> {
        let total = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            footer(page, &self.footer, i + 1, total);
        }
        let mut pdf = Pdf::new();
        let (catalog, tree, regular, bold, info) = (
            Ref::new(1),
            Ref::new(2),
            Ref::new(3),
            Ref::new(4),
            Ref::new(5),
        );
        pdf.catalog(catalog).pages(tree);
        let ids: Vec<(Ref, Ref)> = (0..total)
            .map(|i| {
                let n = i32::try_from(6 + 2 * i).unwrap_or(i32::MAX - 1);
                (Ref::new(n), Ref::new(n + 1))
            })
            .collect();
        pdf.pages(tree)
            .kids(ids.iter().map(|(p, _)| *p))
            .count(i32::try_from(total).unwrap_or(i32::MAX));
        for ((page_id, content_id), content) in ids.iter().zip(self.pages) {
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
            page.parent(tree);
            page.contents(*content_id);
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Face::Regular.resource(), regular);
            fonts.pair(Face::Bold.resource(), bold);
            fonts.finish();
            resources.finish();
            page.finish();
            pdf.stream(*content_id, &content.finish());
        }
        for (id, face) in [(regular, Face::Regular), (bold, Face::Bold)] {
            pdf.type1_font(id)
                .base_font(face.base_font())
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info)
            .title(TextStr(&self.title))
            .producer(TextStr("msme"));
        pdf.finish()
    }
}

fn footer(page: &mut Content, text: &str, n: usize, total: usize) {
    let line = font::encode(&format!("{text}  |  page {n} of {total}"));
    page.set_stroke_rgb(RULE.0, RULE.1, RULE.2);
    page.set_line_width(0.5);
    page.move_to(MARGIN, MARGIN + 8.0);
    page.line_to(PAGE_W - MARGIN, MARGIN + 8.0);
    page.stroke();
    page.begin_text();
    page.set_fill_rgb(MUTED.0, MUTED.1, MUTED.2);
    page.set_font(Face::Regular.resource(), 7.5);
    page.next_line(MARGIN, MARGIN - 2.0);
    page.show(Str(&line));
    page.end_text();
}

fn cell_lines(text: &str, width: f32) -> Vec<Vec<u8>> {
    text.split('\n')
        .flat_map(|part| font::wrap(part, Face::Regular, CELL_SIZE, width))
        .collect()
}

fn table_width(columns: &[Column]) -> f32 {
    columns.iter().map(|c| c.width).sum()
}

fn height_f(lines: usize) -> f32 {
    // Rows are at most a few hundred lines.
    #[allow(clippy::cast_precision_loss)]
    let n = lines as f32;
    n
}
