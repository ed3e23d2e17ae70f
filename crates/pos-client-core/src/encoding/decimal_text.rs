//! Decimals from text (a point or a comma) and from JSON floats, exactly: the parsing behind the
//! decimal adapters.

use std::borrow::Cow;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::refused;

/// Parses a decimal written with a point or a comma (`"8,67"`), with optional whitespace.
/// A string with both (`"1.234,56"`) is rejected rather than guessed at.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    if let Some(d) = decimal_from_plain_text(text.as_bytes()) {
        return Ok(d);
    }
    let t = text.trim();
    // A decimal comma becomes a point in a stack buffer: no allocation for the usual short text.
    let mut buf = [0u8; 48];
    let normalized: Cow<'_, str> = match (t.contains(','), t.contains('.')) {
        (true, true) => return Err(format!("ambiguous decimal {t:?}: both ',' and '.'")),
        (true, false) if t.len() <= buf.len() && t.matches(',').count() == 1 => {
            let bytes = &mut buf[..t.len()];
            bytes.copy_from_slice(t.as_bytes());
            for b in bytes.iter_mut() {
                if *b == b',' {
                    *b = b'.';
                }
            }
            // Replacing one ASCII byte by another keeps the text valid UTF-8.
            Cow::Borrowed(std::str::from_utf8(bytes).map_err(|e| e.to_string())?)
        }
        (true, false) => Cow::Owned(t.replacen(',', ".", 1)),
        _ => Cow::Borrowed(t),
    };
    let parsed = if normalized.contains(['e', 'E']) {
        Decimal::from_scientific(&normalized)
    } else {
        Decimal::from_str(&normalized)
    };
    parsed.map_err(|e| format!("invalid decimal {t:?}: {e}"))
}

/// The usual decimal text, `[-+]digits[.,digits]` with at most 18 digits and a digit on each
/// side of the separator, read in one pass; `None` for anything else (whitespace, exponents,
/// a negative zero, longer text), which [`parse_decimal`] hands to `rust_decimal`. Gives what
/// `Decimal::from_str` gives for the same text with a point, scale included.
pub(super) fn decimal_from_plain_text(text: &[u8]) -> Option<Decimal> {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    // 18 bytes hold at most 18 digits: the mantissa stays below 10^18 < i64::MAX.
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale = 0;
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => mantissa = mantissa * 10 + i64::from(b - b'0'),
            b'.' | b',' if scale == 0 && i > 0 && i + 1 < digits.len() => {
                scale = (digits.len() - i - 1) as u32;
            }
            _ => return None,
        }
    }
    if negative && mantissa == 0 {
        return None;
    }
    Some(Decimal::new(
        if negative { -mantissa } else { mantissa },
        scale,
    ))
}

/// The decimal the shortest round-trip text of a finite `v` denotes.
pub(super) fn decimal_from_f64(v: f64) -> Result<Decimal, String> {
    if !v.is_finite() {
        return Err(refused("a decimal", v));
    }
    match decimal_from_f64_fast(v) {
        Some(d) => Ok(d),
        None => parse_decimal(&v.to_string()),
    }
}

/// The decimal of the shortest round-trip text of `v` when it has at most 6 fractional digits
/// and 15 significant digits (every amount and quantity in practice), without formatting `v`.
///
/// If `m / 10^k == v` for an integer `|m| < 10^15` (the division is correctly rounded, `m` and
/// `10^k` being exact in `f64`), then the decimal `m × 10^-k` parses back to `v`. Decimals of at
/// most 15 significant digits round-trip through `f64`, so no two of them map to the same `v`:
/// the shortest round-trip text of `v` (at most as many digits) denotes the same value. The
/// smallest such `k` gives the same scale as that text. `None` means: use the text.
pub(super) fn decimal_from_f64_fast(v: f64) -> Option<Decimal> {
    const POW10: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    if v == 0.0 {
        return None;
    }
    for (k, p) in POW10.iter().enumerate() {
        let m = (v * p).round();
        if m.abs() >= 1e15 {
            return None;
        }
        if m / p == v {
            return Some(Decimal::new(m as i64, k as u32));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn f64_fast_path_on_edge_cases() {
        for (v, text) in [
            (12.25, Some("12.25")),
            (12.5, Some("12.5")),
            (-3.0, Some("-3")),
            (0.1, Some("0.1")),
            (123456.789, Some("123456.789")),
            (999_999_999_999_999.0, Some("999999999999999")),
            (0.000001, Some("0.000001")),
            (0.0000001, None),
            (0.1 + 0.2, None),
            (1e15, None),
            (0.0, None),
            (-0.0, None),
        ] {
            assert_eq!(
                decimal_from_f64_fast(v).map(|d| d.to_string()).as_deref(),
                text,
                "{v}"
            );
        }
    }

    proptest! {
        #[test]
        fn f64_fast_path_matches_the_shortest_text(m in -999_999_999_999_999i64..=999_999_999_999_999, scale in 0u32..=8, bits in any::<u64>()) {
            // Decimals that came through f64, and arbitrary doubles.
            let from_decimal = m as f64 / 10f64.powi(scale as i32);
            for v in [from_decimal, f64::from_bits(bits)] {
                if !v.is_finite() { continue; }
                let slow = parse_decimal(&v.to_string());
                if let Some(fast) = decimal_from_f64_fast(v) {
                    let slow = slow.unwrap();
                    prop_assert_eq!(fast, slow);
                    prop_assert_eq!(fast.to_string(), slow.to_string(), "same scale for {}", v);
                }
            }
        }

        #[test]
        fn plain_decimal_text_reads_as_rust_decimal_does(text in "[-+]?[0-9]{0,20}([.,][0-9]{0,20})?") {
            // The one-pass reader either declines or gives rust_decimal's value and scale.
            if let Some(fast) = decimal_from_plain_text(text.as_bytes()) {
                let slow = Decimal::from_str(&text.replace(',', ".")).unwrap();
                prop_assert_eq!(fast, slow);
                prop_assert_eq!(fast.to_string(), slow.to_string(), "same scale for {}", text);
            }
            // And parse_decimal answers as before: through rust_decimal when the reader declines.
            let normalized = text.replace(',', ".");
            prop_assert_eq!(
                parse_decimal(&text).ok().map(|d| d.to_string()),
                Decimal::from_str(&normalized).ok().map(|d| d.to_string())
            );
        }
    }
}
