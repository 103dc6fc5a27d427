//! Reads back the text of a PDF this crate wrote: every string its content streams show, one
//! line per show operator, decoded from WinAnsi. For tests and checks, not a general PDF
//! reader: it expects uncompressed content streams, as [`valuation_pdf`](crate::valuation_pdf)
//! writes them.

/// The shown text of every page, in drawing order, one line per text run.
pub fn shown_text(pdf: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = pdf;
    while let Some(start) = find(rest, b"stream") {
        let body = skip_eol(&rest[start + b"stream".len()..]);
        let Some(end) = find(body, b"endstream") else {
            break;
        };
        show_ops(&body[..end], &mut out);
        rest = &body[end + b"endstream".len()..];
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn skip_eol(s: &[u8]) -> &[u8] {
    let s = s.strip_prefix(b"\r").unwrap_or(s);
    s.strip_prefix(b"\n").unwrap_or(s)
}

/// Appends the strings shown by `Tj`, `TJ`, `'` and `"` in one content stream.
fn show_ops(stream: &[u8], out: &mut String) {
    let mut strings: Vec<Vec<u8>> = Vec::new();
    let mut i = 0;
    while i < stream.len() {
        match stream[i] {
            b'(' => {
                let (s, next) = literal(stream, i + 1);
                strings.push(s);
                i = next;
            }
            b'<' if stream.get(i + 1) != Some(&b'<') => {
                let end = stream[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(stream.len(), |p| i + p);
                strings.push(hex(&stream[i + 1..end]));
                i = end + 1;
            }
            b if b.is_ascii_alphabetic() || b == b'\'' || b == b'"' => {
                let end = stream[i..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || b"()<>[]/".contains(b))
                    .map_or(stream.len(), |p| i + p);
                let op = &stream[i..end.max(i + 1)];
                if matches!(op, b"Tj" | b"TJ" | b"'" | b"\"") {
                    let text: Vec<u8> = strings.concat();
                    out.push_str(&decode(&text));
                    out.push('\n');
                }
                strings.clear();
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
}

/// A literal string from just after its `(`; returns it and the index after its `)`.
fn literal(s: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let (mut out, mut depth) = (Vec::new(), 0);
    while i < s.len() {
        match s[i] {
            b'\\' => {
                i += 1;
                let Some(&c) = s.get(i) else { break };
                match c {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let digits = s[i..]
                            .iter()
                            .take(3)
                            .take_while(|d| (b'0'..=b'7').contains(d))
                            .count();
                        let v = s[i..i + digits]
                            .iter()
                            .fold(0u32, |a, d| a * 8 + u32::from(d - b'0'));
                        out.push(u8::try_from(v & 0xff).unwrap_or(b'?'));
                        i += digits - 1;
                    }
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(b'(');
            }
            b')' if depth == 0 => return (out, i + 1),
            b')' => {
                depth -= 1;
                out.push(b')');
            }
            b => out.push(b),
        }
        i += 1;
    }
    (out, i)
}

fn hex(s: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = s
        .iter()
        .filter_map(|&c| char::from(c).to_digit(16))
        .filter_map(|d| u8::try_from(d).ok())
        .collect();
    digits
        .chunks(2)
        .map(|p| p[0] * 16 + p.get(1).copied().unwrap_or(0))
        .collect()
}

/// WinAnsi bytes as text.
pub fn decode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x91 => '\u{2018}',
            0x92 => '\u{2019}',
            0x95 => '\u{2022}',
            0x96 => '\u{2013}',
            0x97 => '\u{2014}',
            0x80..=0x9f => '?',
            b => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_hex_and_array_strings_are_read() {
        let stream = b"stream\nBT /F1 9 Tf 1 0 0 1 50 700 Tm (Rs 5,20,30,000 \\(net\\)) Tj ET\n\
            BT <527320D720> Tj ET BT [(A) -20 (B)] TJ ET\nendstream";
        assert_eq!(shown_text(stream), "Rs 5,20,30,000 (net)\nRs \u{d7} \nAB\n");
    }
}
