//! The API tests run on the test kit (`msme-testkit`: the real server on port 0 over its own
//! data directory and database); what is theirs alone are the bytes of files to upload.

/// A small but real-looking PDF.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

/// The first bytes of a PNG.
pub fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(&[0u8; 64]);
    b
}

/// A Windows executable's header.
pub fn exe() -> Vec<u8> {
    let mut b = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    b.extend_from_slice(&[0u8; 64]);
    b
}
