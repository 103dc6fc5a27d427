//! Which keys and list prefixes a blob store accepts.
//!
//! Keys are `/`-separated and made by the core (`documents/<id>`), but a store still refuses any
//! key that could leave its root or mean different things on different stores: an absolute path,
//! an empty segment (`a//b`, a trailing `/`), a segment that starts with `.` (this covers `.` and
//! `..`, and leaves dot names free for [`crate::FsBlobStore`]'s temporary files), a backslash, or
//! a control character. S3 limits keys to 1,024 bytes; file systems limit a name to 255 bytes.

use std::fmt;

/// The longest key accepted, in bytes (S3's limit).
pub const MAX_KEY_BYTES: usize = 1024;
/// The longest segment accepted, in bytes; below the usual 255-byte file name limit, so that a
/// temporary name built from it still fits.
pub const MAX_SEGMENT_BYTES: usize = 200;

/// Why a key or prefix was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsafe blob key: {0}")]
pub struct UnsafeKey(&'static str);

impl UnsafeKey {
    /// The rule the key broke, for tests and logs.
    pub fn reason(&self) -> &'static str {
        self.0
    }
}

/// Checks a whole key.
pub fn check_key(key: &str) -> Result<(), UnsafeKey> {
    if key.is_empty() {
        return Err(UnsafeKey("empty key"));
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(UnsafeKey("key longer than 1024 bytes"));
    }
    if key.starts_with('/') {
        return Err(UnsafeKey("absolute path"));
    }
    key.split('/').try_for_each(check_segment)
}

/// Checks a list prefix: empty, or complete segments followed by the start of one
/// (`documents/`, `documents/ab`).
pub fn check_prefix(prefix: &str) -> Result<(), UnsafeKey> {
    if prefix.starts_with('/') {
        return Err(UnsafeKey("absolute path"));
    }
    let (dir, tail) = split_prefix(prefix);
    if !dir.is_empty() {
        check_key(dir)?;
    }
    check_chars(tail)
}

/// Splits a prefix into its directory part (complete segments, no trailing `/`) and the start of
/// the last segment.
pub(crate) fn split_prefix(prefix: &str) -> (&str, &str) {
    match prefix.rfind('/') {
        Some(i) => (&prefix[..i], &prefix[i + 1..]),
        None => ("", prefix),
    }
}

fn check_segment(segment: &str) -> Result<(), UnsafeKey> {
    if segment.is_empty() {
        return Err(UnsafeKey("empty segment"));
    }
    if segment.starts_with('.') {
        return Err(UnsafeKey("segment starts with `.`"));
    }
    if segment.len() > MAX_SEGMENT_BYTES {
        return Err(UnsafeKey("segment longer than 200 bytes"));
    }
    check_chars(segment)
}

fn check_chars(s: &str) -> Result<(), UnsafeKey> {
    if s.contains('\\') {
        return Err(UnsafeKey("backslash"));
    }
    if s.chars().any(char::is_control) {
        return Err(UnsafeKey("control character"));
    }
    Ok(())
}

/// Shows a key in an error without letting control characters through to logs.
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.escape_debug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_core_keys() {
        for key in [
            "documents/0192f1e2",
            "images/listing-7/cover.jpg",
            "a",
            "a b/ü.pdf",
        ] {
            assert_eq!(check_key(key), Ok(()), "{key}");
        }
    }

    #[test]
    fn refuses_unsafe_keys() {
        for key in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a/..",
            ".",
            "a/./b",
            "a//b",
            "a/",
            ".hidden",
            "a\\b",
            "..\\x",
            "a\0b",
            "a\nb",
        ] {
            assert!(check_key(key).is_err(), "{key:?} was accepted");
        }
        assert!(check_key(&"a".repeat(201)).is_err());
        assert!(check_key(&["a"; 600].join("/")).is_err());
    }

    #[test]
    fn prefixes() {
        for ok in ["", "documents/", "documents/ab", "doc", "a/b/"] {
            assert_eq!(check_prefix(ok), Ok(()), "{ok}");
        }
        for bad in ["/", "/x", "../", "a/../", "a//", "a\\b/", "a/\\"] {
            assert!(check_prefix(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(split_prefix("a/b/c"), ("a/b", "c"));
        assert_eq!(split_prefix("a/"), ("a", ""));
        assert_eq!(split_prefix("ab"), ("", "ab"));
    }
}
