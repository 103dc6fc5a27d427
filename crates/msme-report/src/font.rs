//! Helvetica and Helvetica-Bold, two of the PDF standard fonts every reader carries, so nothing
//! is embedded. Text is written in WinAnsiEncoding; widths are Adobe's Helvetica metrics (the
//! AFM files' `WX` values for the printable ASCII range, in thousandths of the font size).

use pdf_writer::Name;

/// A typeface of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// Widths of the characters 32 to 126 in Helvetica.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Widths of the characters 32 to 126 in Helvetica-Bold.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

impl Face {
    /// The resource name pages use for the face.
    pub fn resource(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }

    /// The standard font's PostScript name.
    pub fn base_font(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"Helvetica"),
            Face::Bold => Name(b"Helvetica-Bold"),
        }
    }

    fn advance(self, byte: u8) -> u16 {
        let table = match self {
            Face::Regular => &REGULAR,
            Face::Bold => &BOLD,
        };
        match byte {
            32..=126 => table[usize::from(byte - 32)],
            0x95 => 350,
            0x97 => 1000,
            0x91 | 0x92 => 250,
            // The rest of the Latin-1 range: about an average lower-case letter.
            _ => 556,
        }
    }
}

/// `s` in WinAnsiEncoding. The rupee sign becomes `Rs ` (WinAnsi has none), a minus sign a
/// hyphen, and any other character outside WinAnsi a `?`.
pub fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ' '..='~' => out.push(c as u8),
            '\u{20B9}' => out.extend_from_slice(b"Rs "),
            '\u{2212}' => out.push(b'-'),
            '\u{2013}' => out.push(0x96),
            '\u{2014}' => out.push(0x97),
            '\u{2022}' => out.push(0x95),
            '\u{2018}' => out.push(0x91),
            '\u{2019}' => out.push(0x92),
            '\u{201C}' | '\u{201D}' => out.push(b'"'),
            '\u{2026}' => out.extend_from_slice(b"..."),
            '\u{2265}' => out.extend_from_slice(b">="),
            '\u{2264}' => out.extend_from_slice(b"<="),
            '\u{2248}' => out.push(b'~'),
            '\t' | '\n' | '\r' => out.push(b' '),
            // WinAnsi matches Latin-1 from 0xA0 up (×, ±, ÷, ², é, ...).
            '\u{A0}'..='\u{FF}' => out.push(u8::try_from(u32::from(c)).unwrap_or(b'?')),
            _ => out.push(b'?'),
        }
    }
    out
}

/// Width of encoded text at `size` points.
pub fn width(text: &[u8], face: Face, size: f32) -> f32 {
    let units: u32 = text.iter().map(|&b| u32::from(face.advance(b))).sum();
    // Widths of a line stay far below f32's exact-integer range.
    #[allow(clippy::cast_precision_loss)]
    let units = units as f32;
    units * size / 1000.0
}

/// `s` broken into encoded lines no wider than `max` points: at spaces where possible, inside a
/// word only when the word alone is too wide. Never returns an empty list.
pub fn wrap(s: &str, face: Face, size: f32, max: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in encode(s).split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let mut candidate = line.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(word);
        if width(&candidate, face, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for &b in word {
            line.push(b);
            if width(&line, face, size) > max && line.len() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, vec![b]));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupees_and_signs_are_written_in_win_ansi() {
        assert_eq!(encode("₹1,200 − 5 × 2"), b"Rs 1,200 - 5 \xd7 2".to_vec());
        assert_eq!(encode("देश"), b"???".to_vec());
        // Helvetica "Hello" = H 722 + e 556 + l 222 + l 222 + o 556 = 2278 units.
        assert!((width(b"Hello", Face::Regular, 10.0) - 22.78).abs() < 1e-4);
        assert!(width(b"Hello", Face::Bold, 10.0) > width(b"Hello", Face::Regular, 10.0));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_inside_words_too_long() {
        let lines = wrap("one two three four", Face::Regular, 10.0, 45.0);
        assert_eq!(lines, vec![b"one two".to_vec(), b"three four".to_vec()]);
        let long = wrap("abcdefghijklmnopqrstuvwxyz", Face::Regular, 10.0, 40.0);
        assert!(long.len() > 1);
        assert!(long.iter().all(|l| width(l, Face::Regular, 10.0) <= 40.0));
        assert_eq!(long.concat(), b"abcdefghijklmnopqrstuvwxyz".to_vec());
        assert_eq!(wrap("", Face::Regular, 10.0, 40.0), vec![Vec::<u8>::new()]);
    }
}
