//! Ids in URL paths: percent-encoding one path segment, and (for sandboxes) decoding it.
//!
//! Check the id first ([`crate::validate::path_segment`], or the vendor's own rule), then put
//! [`encode_segment`] of it into the operation's path: every byte but RFC 3986's unreserved
//! characters (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`, so `/`, `?`, `#`, spaces and non-ASCII
//! text can never change the route.
//!
//! ```
//! use pos_client_core::path::{decode_segment, encode_segment};
//! assert_eq!(encode_segment("a b/ç"), "a%20b%2F%C3%A7");
//! assert_eq!(decode_segment("a%20b%2F%C3%A7"), "a b/ç");
//! ```

use std::fmt::Write;

/// Whether a byte is sent as it is in a path segment (RFC 3986 unreserved).
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes `text` as one URL path segment: every byte that is not unreserved becomes
/// `%XX` (upper-case hex), UTF-8 byte by byte.
pub fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Percent-decodes one path segment (a `+` stays a `+`: it means a space only in forms). A `%`
/// not followed by two hex digits is kept as it is; invalid UTF-8 becomes U+FFFD.
pub fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2)))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: Option<&u8>) -> Option<u8> {
    char::from(*b?)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_non_ascii_bytes_are_encoded() {
        assert_eq!(encode_segment("A-1_b.c~"), "A-1_b.c~");
        assert_eq!(encode_segment("a b"), "a%20b");
        assert_eq!(encode_segment("é+&"), "%C3%A9%2B%26");
        assert_eq!(encode_segment("a/b?c#d%e"), "a%2Fb%3Fc%23d%25e");
        assert_eq!(encode_segment(""), "");
    }

    #[test]
    fn decoding_reverses_encoding_and_keeps_odd_input() {
        for text in ["a b/ç", "é+&", "100%", "x\u{1F600}y", "..", ""] {
            assert_eq!(decode_segment(&encode_segment(text)), text);
        }
        assert_eq!(decode_segment("a+b"), "a+b");
        assert_eq!(decode_segment("50%"), "50%");
        assert_eq!(decode_segment("%zz%4"), "%zz%4");
        assert_eq!(decode_segment("%4a%4A"), "JJ");
        assert_eq!(decode_segment("%FF"), "\u{FFFD}");
    }
}
