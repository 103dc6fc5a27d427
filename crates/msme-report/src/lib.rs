//! The valuation report as a PDF: a title page with the business (as the reader may see it),
//! the value, range, coverage and confidence; every method with its value, weight and notes; a
//! range chart drawn with vector lines and rectangles; the risks; the comparables with their
//! multiples; and the assumptions with their sources.
//!
//! It renders whatever a kept [`Valuation`] holds, so a method added later (a trained model)
//! appears in the table and the chart without a change here; a valuation read by someone who
//! sees only the listing's teaser arrives with the confidential fields already withheld by the
//! core, and the report says so.
//!
//! Written with `pdf-writer` in the standard Helvetica fonts (nothing embedded), WinAnsi
//! encoded: the rupee sign, which WinAnsi lacks, is written `Rs`, and characters outside
//! WinAnsi as `?`. Content streams are left uncompressed, so [`text::shown_text`] can read the
//! figures back in tests.

mod chart;
mod doc;
mod font;
mod format;
mod model;
mod sections;
pub mod text;
mod title;

use msme_core::error::{DomainError, ErrorKind};
use msme_core::valuation::Valuation;

pub use format::{method_label, rupees, short_rupees};

/// The PDF's media type.
pub const CONTENT_TYPE: &str = "application/pdf";

/// The report of `v`. CPU work: from async code call [`render`], which runs it off the async
/// threads.
pub fn valuation_pdf(v: &Valuation) -> Vec<u8> {
    let title = format!("Valuation report {}", v.id);
    let footer = format!(
        "msme valuation report {}  |  valued {}",
        v.id, v.report.input.valuation_date
    );
    let mut doc = doc::Doc::new(title, footer);
    title::title_page(&mut doc, v);
    doc.new_page();
    sections::methods(&mut doc, &v.report);
    model::model_section(&mut doc, &v.report);
    doc.heading("Range", 120.0);
    chart::range_chart(&mut doc, &v.report);
    sections::risks(&mut doc, &v.report);
    sections::comparables(&mut doc, &v.report);
    sections::assumptions(&mut doc, &v.report);
    doc.finish()
}

/// A report that could not be rendered (a bug in the renderer: it panicked).
#[derive(Debug, thiserror::Error)]
#[error("the valuation report could not be rendered: {0}")]
pub struct ReportError(String);

impl DomainError for ReportError {
    fn code(&self) -> &'static str {
        "report_failed"
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

/// [`valuation_pdf`] on tokio's blocking pool, so rendering never holds an async thread.
pub async fn render(v: Valuation) -> Result<Vec<u8>, ReportError> {
    tokio::task::spawn_blocking(move || valuation_pdf(&v))
        .await
        .map_err(|e| ReportError(e.to_string()))
}

#[cfg(test)]
mod tests;
