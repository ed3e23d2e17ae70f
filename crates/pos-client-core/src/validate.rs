//! Rules and text forms of request parameters, shared by every vendor crate.
//!
//! The request parameter models that `cargo xtask codegen` generates from the spec notes
//! (`[[params]]` in `docs/specs/<vendor>.toml`) call these functions in their `validate()` and
//! `params()`; hand-written endpoint methods may call them too (for example
//! [`path_segment`] before putting an id into a URL path).
//!
//! Every rule returns [`Error::Validation`] naming the parameter's wire name and the rule.
//! Messages never repeat a text value (it may be personal data or a secret); number and date
//! rules show the offending value, since it is needed to fix the call.

use std::fmt::Display;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use secrecy::ExposeSecret;

use crate::error::{Error, VendorCode};
use crate::operation::{Operation, Param};

/// The decimal separator of decimals sent as text parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalSeparator {
    /// `3.345` (the default).
    #[default]
    Point,
    /// `3,345`.
    Comma,
}

/// Runtime choices of how parameters are written, for encodings the vendor's documents leave
/// open (a spec field with `encoding = "decimal_style"` is written by
/// [`ParamStyle::decimal_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ParamStyle {
    /// The separator of `decimal_style` parameters.
    pub decimal: DecimalSeparator,
    /// Whether `decimal_style` parameters go without trailing zeros (`15.00` as `15`).
    pub trim_zeros: bool,
}

impl ParamStyle {
    /// The default style: decimals with a point, with their exact digits.
    pub const fn new() -> Self {
        ParamStyle {
            decimal: DecimalSeparator::Point,
            trim_zeros: false,
        }
    }

    /// The same style with `separator` for `decimal_style` parameters.
    #[must_use]
    pub const fn decimal(mut self, separator: DecimalSeparator) -> Self {
        self.decimal = separator;
        self
    }

    /// The same style writing `decimal_style` parameters without trailing zeros: `15.00` as
    /// `15` (no separator at all for a whole number), `8.670` as `8.67`. The value is unchanged.
    #[must_use]
    pub const fn without_trailing_zeros(mut self) -> Self {
        self.trim_zeros = true;
        self
    }

    /// A `decimal_style` parameter in this style.
    ///
    /// ```
    /// use pos_client_core::validate::{DecimalSeparator, ParamStyle};
    /// let d: pos_client_core::rust_decimal::Decimal = "15.50".parse().unwrap();
    /// let comma = ParamStyle::new().decimal(DecimalSeparator::Comma);
    /// assert_eq!(comma.decimal_text(d), "15,50");
    /// assert_eq!(comma.without_trailing_zeros().decimal_text(d), "15,5");
    /// ```
    pub fn decimal_text(&self, value: Decimal) -> String {
        let value = if self.trim_zeros {
            value.normalize()
        } else {
            value
        };
        decimal_text(value, self.decimal)
    }
}

/// Writes a decimal with `separator`, keeping its exact digits (`8.670` stays `8,670`).
///
/// ```
/// use pos_client_core::validate::{DecimalSeparator, decimal_text};
/// let d: pos_client_core::rust_decimal::Decimal = "8.670".parse().unwrap();
/// assert_eq!(decimal_text(d, DecimalSeparator::Comma), "8,670");
/// assert_eq!(decimal_text(d, DecimalSeparator::Point), "8.670");
/// ```
pub fn decimal_text(value: Decimal, separator: DecimalSeparator) -> String {
    let text = value.to_string();
    match separator {
        DecimalSeparator::Point => text,
        DecimalSeparator::Comma => text.replace('.', ","),
    }
}

/// Adds parameters to the query: [`Param::Flag`] as a bare key, [`Param::Secret`] redacted.
pub fn add_query(op: Operation, params: Vec<(&'static str, Param)>) -> Operation {
    params.into_iter().fold(op, |op, (key, value)| match value {
        Param::Plain(text) => op.query(key, text),
        Param::Secret(secret) => op.query_secret(key, &secret),
        Param::Flag => op.query_flag(key),
    })
}

/// How many bytes `params` take in a query string as [`add_query`] writes them (`&key=value`
/// each, percent-encoded, a space as `%20`): for a vendor that must keep a URL under a server's
/// limit.
pub fn query_len(params: &[(&'static str, Param)]) -> usize {
    let encoded = |text: &str| -> usize {
        url::form_urlencoded::byte_serialize(text.as_bytes())
            .map(|part| if part == "+" { 3 } else { part.len() })
            .sum()
    };
    params
        .iter()
        .map(|(key, value)| {
            1 + encoded(key)
                + match value {
                    Param::Plain(text) => 1 + encoded(text),
                    Param::Secret(secret) => 1 + encoded(secret.expose_secret()),
                    Param::Flag => 0,
                }
        })
        .sum()
}

/// Adds parameters as form fields; a [`Param::Flag`] is sent as `key=` (a form field always
/// has a value), a [`Param::Secret`] is redacted.
pub fn add_form(op: Operation, params: Vec<(&'static str, Param)>) -> Operation {
    params.into_iter().fold(op, |op, (key, value)| match value {
        Param::Plain(text) => op.form(key, text),
        Param::Secret(secret) => op.form_secret(key, &secret),
        Param::Flag => op.form(key, ""),
    })
}

/// `1 character`, `2 characters`.
fn characters(n: usize) -> String {
    if n == 1 {
        "1 character".to_owned()
    } else {
        format!("{n} characters")
    }
}

fn fail<C: VendorCode>(wire: &str, what: impl Display) -> Result<(), Error<C>> {
    Err(Error::validation(format!("{wire}: {what}")))
}

/// The text is not empty and not only whitespace.
pub fn not_blank<C: VendorCode>(wire: &str, value: &str) -> Result<(), Error<C>> {
    if value.trim().is_empty() {
        return fail(wire, "must not be empty");
    }
    Ok(())
}

/// The text has at least `min` characters (Unicode scalar values, not bytes).
pub fn min_chars<C: VendorCode>(wire: &str, value: &str, min: usize) -> Result<(), Error<C>> {
    let count = value.chars().count();
    if count < min {
        return fail(
            wire,
            format_args!("must have at least {} (it has {count})", characters(min)),
        );
    }
    Ok(())
}

/// The text has at most `max` characters (Unicode scalar values, not bytes).
pub fn max_chars<C: VendorCode>(wire: &str, value: &str, max: usize) -> Result<(), Error<C>> {
    let count = value.chars().count();
    if count > max {
        return fail(
            wire,
            format_args!("is longer than {} (it has {count})", characters(max)),
        );
    }
    Ok(())
}

/// The text has no control characters (CR, LF, tab, NUL …): one line of plain text.
pub fn text<C: VendorCode>(wire: &str, value: &str) -> Result<(), Error<C>> {
    if value.chars().any(char::is_control) {
        return fail(wire, "contains a control character (such as CR or LF)");
    }
    Ok(())
}

/// The text is a code: no whitespace and no control characters.
pub fn code<C: VendorCode>(wire: &str, value: &str) -> Result<(), Error<C>> {
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail(wire, "contains a space or a control character");
    }
    Ok(())
}

/// The text is safe as one URL path segment: not empty, no `/`, `?`, `#`, `%`, no `..`, no
/// control characters (percent-encoding the rest is the URL builder's job).
pub fn path_segment<C: VendorCode>(wire: &str, value: &str) -> Result<(), Error<C>> {
    if value.is_empty() {
        return fail(wire, "must not be empty");
    }
    if value.contains("..") {
        return fail(wire, "must not contain `..`");
    }
    if value
        .chars()
        .any(|c| matches!(c, '/' | '?' | '#' | '%') || c.is_control())
    {
        return fail(
            wire,
            "must not contain `/`, `?`, `#`, `%` or a control character",
        );
    }
    Ok(())
}

/// The value is at least `min`.
pub fn at_least<T: PartialOrd + Display, C: VendorCode>(
    wire: &str,
    value: &T,
    min: &T,
) -> Result<(), Error<C>> {
    if value < min {
        return fail(wire, format_args!("must be at least {min} (got {value})"));
    }
    Ok(())
}

/// The value is at most `max`.
pub fn at_most<T: PartialOrd + Display, C: VendorCode>(
    wire: &str,
    value: &T,
    max: &T,
) -> Result<(), Error<C>> {
    if value > max {
        return fail(wire, format_args!("must be at most {max} (got {value})"));
    }
    Ok(())
}

/// The value is greater than zero (`T::default()`).
pub fn positive<T: PartialOrd + Display + Default, C: VendorCode>(
    wire: &str,
    value: &T,
) -> Result<(), Error<C>> {
    if *value <= T::default() {
        return fail(wire, format_args!("must be greater than 0 (got {value})"));
    }
    Ok(())
}

/// Free text that may hold line breaks (comments, notes): no control character other than CR,
/// LF and tab (a NUL or an escape sequence would be stored as is).
pub fn multiline<C: VendorCode>(wire: &str, value: &str) -> Result<(), Error<C>> {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\r' | '\n' | '\t'))
    {
        return fail(
            wire,
            "contains a control character other than a line break or tab",
        );
    }
    Ok(())
}

/// The date's year has four digits and no sign (1 to 9999), as `dd.mm.yyyy` and `YYYY-MM-DD`
/// write it.
pub fn four_digit_year<C: VendorCode>(wire: &str, date: NaiveDate) -> Result<(), Error<C>> {
    if !(1..=9999).contains(&date.year()) {
        return fail(
            wire,
            format_args!("the year must be between 1 and 9999 (got {})", date.year()),
        );
    }
    Ok(())
}

/// The decimal has at most `max` significant digits (trailing zeros dropped): what a vendor's
/// floating-point column keeps exactly (15 for a `Double`), so the server cannot change it.
pub fn significant_digits<C: VendorCode>(
    wire: &str,
    value: Decimal,
    max: u32,
) -> Result<(), Error<C>> {
    let mantissa = value.normalize().mantissa().unsigned_abs();
    let digits = mantissa.checked_ilog10().map_or(1, |d| d + 1);
    if digits > max {
        return fail(
            wire,
            format_args!(
                "has more than {max} significant digits, which the vendor's floating-point type cannot hold exactly (got {value})"
            ),
        );
    }
    Ok(())
}

/// The list has at least `min` elements.
pub fn min_items<C: VendorCode>(wire: &str, len: usize, min: usize) -> Result<(), Error<C>> {
    if len < min {
        return if min == 1 {
            fail(wire, "at least one item is required")
        } else {
            fail(
                wire,
                format_args!("at least {min} items are required (got {len})"),
            )
        };
    }
    Ok(())
}

/// The decimal has at most `scale` decimal places once trailing zeros are dropped (`10.50`
/// fits a scale of 1; `10.005` does not fit 2).
pub fn max_scale<C: VendorCode>(wire: &str, value: Decimal, scale: u32) -> Result<(), Error<C>> {
    if value.normalize().scale() > scale {
        return fail(
            wire,
            format_args!("has more than {scale} decimal places (got {value})"),
        );
    }
    Ok(())
}

/// When both are given, `first` is not after `last` (a range: start ≤ end).
pub fn not_after<T: PartialOrd + Display, C: VendorCode>(
    first_wire: &str,
    first: Option<&T>,
    last_wire: &str,
    last: Option<&T>,
) -> Result<(), Error<C>> {
    match (first, last) {
        (Some(a), Some(b)) if a > b => fail(
            first_wire,
            format_args!("({a}) must not be after {last_wire} ({b})"),
        ),
        _ => Ok(()),
    }
}

/// Exactly one of the parameters named in `wires` is given (`given[i]` for `wires[i]`).
pub fn exactly_one<C: VendorCode>(wires: &[&str], given: &[bool]) -> Result<(), Error<C>> {
    let count = given.iter().filter(|g| **g).count();
    if count != 1 {
        return Err(Error::validation(format!(
            "exactly one of {} must be given (got {count})",
            wires.join(", ")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoCode;

    type R = Result<(), Error<NoCode>>;

    fn message(result: R) -> String {
        match result {
            Err(Error::Validation { message }) => message,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn not_blank_refuses_empty_and_whitespace() {
        assert!(not_blank::<NoCode>("code", "A").is_ok());
        assert_eq!(message(not_blank("code", "")), "code: must not be empty");
        assert_eq!(message(not_blank("code", " \t")), "code: must not be empty");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(max_chars::<NoCode>("name", "éééé", 4).is_ok());
        let m = message(max_chars("name", "ééééé", 4));
        assert_eq!(m, "name: is longer than 4 characters (it has 5)");
        assert!(min_chars::<NoCode>("name", "éé", 2).is_ok());
        assert_eq!(
            message(min_chars("name", "é", 2)),
            "name: must have at least 2 characters (it has 1)"
        );
        assert_eq!(
            message(max_chars("mode", "BB", 1)),
            "mode: is longer than 1 character (it has 2)"
        );
    }

    #[test]
    fn text_messages_never_repeat_the_value() {
        let secret = "hunter2\nsecret";
        let m = message(text("password", secret));
        assert!(!m.contains("hunter2"), "{m}");
        let m = message(max_chars("password", secret, 3));
        assert!(!m.contains("hunter2"), "{m}");
        let m = message(code("password", secret));
        assert!(!m.contains("hunter2"), "{m}");
    }

    #[test]
    fn text_refuses_control_characters() {
        assert!(text::<NoCode>("comment", "Two words, ünïcode").is_ok());
        for bad in ["a\nb", "a\rb", "a\tb", "a\u{0}b", "a\u{7f}b"] {
            assert!(
                message(text("comment", bad)).starts_with("comment: contains a control"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn code_refuses_whitespace_and_control_characters() {
        assert!(code::<NoCode>("barcode", "6010-0000").is_ok());
        for bad in ["6010 0000", "6010\u{a0}0000", "a\nb", "a\u{1b}"] {
            assert!(code::<NoCode>("barcode", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn path_segment_refuses_what_could_leave_the_segment() {
        for good in ["A-1", "0001077484", "a.b", "ü x"] {
            assert!(path_segment::<NoCode>("id", good).is_ok(), "{good:?}");
        }
        for bad in [
            "", "a/b", "a?b", "a#b", "a%2F", "..", "a..b", "a\nb", "\u{0}",
        ] {
            assert!(path_segment::<NoCode>("id", bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            message(path_segment("id", "..")),
            "id: must not contain `..`"
        );
    }

    #[test]
    fn bounds_are_inclusive() {
        assert!(at_least::<u32, NoCode>("rowno", &1, &1).is_ok());
        assert_eq!(
            message(at_least("rowno", &0u32, &1)),
            "rowno: must be at least 1 (got 0)"
        );
        assert!(at_most::<u32, NoCode>("rowno", &9999, &9999).is_ok());
        assert_eq!(
            message(at_most("rowno", &10_000u32, &9999)),
            "rowno: must be at most 9999 (got 10000)"
        );
        assert!(at_most::<Decimal, NoCode>("qty", &dec("1.50"), &dec("1.5")).is_ok());
    }

    #[test]
    fn positive_refuses_zero_and_negatives() {
        assert!(positive::<u32, NoCode>("qty", &1).is_ok());
        assert!(positive::<Decimal, NoCode>("qty", &dec("0.001")).is_ok());
        assert_eq!(
            message(positive("qty", &0u32)),
            "qty: must be greater than 0 (got 0)"
        );
        assert!(positive::<Decimal, NoCode>("qty", &dec("0.000")).is_err());
        assert!(positive::<i64, NoCode>("qty", &-3).is_err());
    }

    #[test]
    fn scale_ignores_trailing_zeros() {
        assert!(max_scale::<NoCode>("amount", dec("10.50"), 2).is_ok());
        assert!(max_scale::<NoCode>("amount", dec("10.5000"), 2).is_ok());
        assert!(max_scale::<NoCode>("amount", dec("10"), 0).is_ok());
        assert_eq!(
            message(max_scale("amount", dec("10.005"), 2)),
            "amount: has more than 2 decimal places (got 10.005)"
        );
    }

    #[test]
    fn not_after_checks_only_when_both_are_given() {
        assert!(not_after::<u64, NoCode>("start", Some(&3), "end", Some(&3)).is_ok());
        assert!(not_after::<u64, NoCode>("start", Some(&9), "end", None).is_ok());
        assert!(not_after::<u64, NoCode>("start", None, "end", Some(&1)).is_ok());
        assert_eq!(
            message(not_after("start", Some(&5u64), "end", Some(&3))),
            "start: (5) must not be after end (3)"
        );
    }

    #[test]
    fn exactly_one_counts_the_given_parameters() {
        let wires = ["batch_id", "searchcode"];
        assert!(exactly_one::<NoCode>(&wires, &[true, false]).is_ok());
        assert!(exactly_one::<NoCode>(&wires, &[false, true]).is_ok());
        assert_eq!(
            message(exactly_one(&wires, &[false, false])),
            "exactly one of batch_id, searchcode must be given (got 0)"
        );
        assert!(exactly_one::<NoCode>(&wires, &[true, true]).is_err());
    }

    #[test]
    fn decimals_keep_their_digits_with_either_separator() {
        assert_eq!(decimal_text(dec("3.345"), DecimalSeparator::Comma), "3,345");
        assert_eq!(decimal_text(dec("-0.10"), DecimalSeparator::Comma), "-0,10");
        assert_eq!(decimal_text(dec("12"), DecimalSeparator::Comma), "12");
        assert_eq!(decimal_text(dec("3.345"), DecimalSeparator::Point), "3.345");
        assert_eq!(ParamStyle::default().decimal, DecimalSeparator::Point);
        assert_eq!(
            ParamStyle::new().decimal(DecimalSeparator::Comma).decimal,
            DecimalSeparator::Comma
        );
    }

    #[test]
    fn params_go_to_the_query_or_the_form() {
        let params = || {
            vec![
                ("a", Param::Plain("1".to_owned())),
                ("flag", Param::Flag),
                ("token", Param::Secret("s3cret".to_owned().into())),
            ]
        };
        let op = add_query(Operation::read("v", "op", http::Method::GET, ""), params());
        let keys: Vec<&str> = op.query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "flag", "token"]);
        assert!(matches!(op.query[1].1, Param::Flag));
        assert!(matches!(op.query[2].1, Param::Secret(_)));
        assert_eq!(
            op.secret_strs(),
            ["s3cret"],
            "the secret is registered for redaction"
        );

        let op = add_form(
            Operation::write("v", "op", http::Method::POST, ""),
            params(),
        );
        let crate::operation::Body::Form(pairs) = &op.body else {
            panic!("a form body");
        };
        assert!(matches!(&pairs[0].1, Param::Plain(v) if v == "1"));
        assert!(matches!(&pairs[1].1, Param::Plain(v) if v.is_empty()));
        assert!(matches!(pairs[2].1, Param::Secret(_)));
        assert_eq!(op.secret_strs(), ["s3cret"]);
    }
}
