//! [`Money`]: an exact decimal amount. Never `f64`.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_with::{DeserializeAs, SerializeAs};

use crate::encoding::{Cents, DecimalComma, LenientDecimal};

/// An amount of money as an exact decimal, in whatever currency the vendor uses.
///
/// It decodes leniently (a number, `"12.50"` or `"12,50"`) and encodes as a JSON number with its
/// exact text. Arithmetic is exact; sums of item totals equal what a person adds up on paper.
///
/// ```
/// use pos_client_core::Money;
/// let total: Money = ["12.50", "0.10", "7,40"].iter().map(|s| s.parse::<Money>().unwrap()).sum();
/// assert_eq!(total.to_string(), "20.00");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Wraps a decimal amount.
    pub const fn new(amount: Decimal) -> Self {
        Money(amount)
    }

    /// The amount as a decimal.
    pub const fn amount(self) -> Decimal {
        self.0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// `self + rhs`, or `None` when the sum leaves the range of a decimal (about ±7.9 × 10^28).
    ///
    /// The operators (`+`, `-`, `*`, `sum()`) panic on such an overflow, like integer
    /// arithmetic in debug builds: compute totals from caller or server input with the checked
    /// forms, and refuse what overflows.
    pub fn checked_add(self, rhs: Money) -> Option<Money> {
        self.0.checked_add(rhs.0).map(Money)
    }

    /// `self - rhs`, or `None` on overflow.
    pub fn checked_sub(self, rhs: Money) -> Option<Money> {
        self.0.checked_sub(rhs.0).map(Money)
    }

    /// `self × factor`, or `None` on overflow.
    pub fn checked_mul(self, factor: Decimal) -> Option<Money> {
        self.0.checked_mul(factor).map(Money)
    }

    /// The sum of `amounts`, or `None` on overflow.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |total, m| total.checked_add(m))
    }

    /// The same amount written with at least `dp` decimal places (`12.5` → `12.50` for 2), its
    /// other digits kept (`0.125` stays `0.125`): for vendors that print money with cents.
    pub fn with_min_decimals(self, dp: u32) -> Self {
        let mut amount = self.0;
        if amount.scale() < dp {
            amount.rescale(dp);
        }
        Money(amount)
    }

    /// The amount rounded to `dp` decimal places, halves away from zero (commercial rounding).
    pub fn round_dp(self, dp: u32) -> Self {
        Money(
            self.0
                .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )
    }
}

impl From<Decimal> for Money {
    fn from(amount: Decimal) -> Self {
        Money(amount)
    }
}

impl From<Money> for Decimal {
    fn from(m: Money) -> Self {
        m.0
    }
}

impl From<i64> for Money {
    fn from(units: i64) -> Self {
        Money(Decimal::from(units))
    }
}

impl FromStr for Money {
    type Err = String;
    /// Parses `12.50` or `12,50`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::encoding::parse_decimal(s).map(Money)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.0)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Mul<Decimal> for Money {
    type Output = Money;
    fn mul(self, rhs: Decimal) -> Money {
        Money(self.0 * rhs)
    }
}

impl Mul<i64> for Money {
    type Output = Money;
    fn mul(self, rhs: i64) -> Money {
        Money(self.0 * Decimal::from(rhs))
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + *b)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        LenientDecimal::serialize_as(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <LenientDecimal as DeserializeAs<'de, Decimal>>::deserialize_as(deserializer).map(Money)
    }
}

/// The decimal adapters of [`crate::encoding`] work on `Money` (and `Option<Money>`) as on
/// `Decimal`: the encoding module knows nothing of `Money`, so there is no module cycle.
macro_rules! money_through_decimal {
    ($($adapter:ty),*) => {$(
        impl<'de> DeserializeAs<'de, Money> for $adapter {
            fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
                <$adapter as DeserializeAs<'de, Decimal>>::deserialize_as(deserializer).map(Money)
            }
        }
        impl<'de> DeserializeAs<'de, Option<Money>> for $adapter {
            fn deserialize_as<D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Option<Money>, D::Error> {
                <$adapter as DeserializeAs<'de, Option<Decimal>>>::deserialize_as(deserializer)
                    .map(|d| d.map(Money))
            }
        }
        impl SerializeAs<Money> for $adapter {
            fn serialize_as<S: Serializer>(value: &Money, serializer: S) -> Result<S::Ok, S::Error> {
                <$adapter as SerializeAs<Decimal>>::serialize_as(&value.0, serializer)
            }
        }
        impl SerializeAs<Option<Money>> for $adapter {
            fn serialize_as<S: Serializer>(
                value: &Option<Money>,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                <$adapter as SerializeAs<Option<Decimal>>>::serialize_as(
                    &value.map(|m| m.0),
                    serializer,
                )
            }
        }
    )*};
}

money_through_decimal!(LenientDecimal, DecimalComma, Cents);

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn arithmetic_is_exact() {
        let a = Money::new(dec!(0.1));
        let b = Money::new(dec!(0.2));
        assert_eq!(a + b, Money::new(dec!(0.3)));
        assert_eq!((a + b) * 3, Money::new(dec!(0.9)));
        assert_eq!(Money::new(dec!(2.675)).round_dp(2), Money::new(dec!(2.68)));
        assert_eq!(
            Money::new(dec!(-2.675)).round_dp(2),
            Money::new(dec!(-2.68))
        );
        assert!(Money::new(dec!(-0.01)).is_negative());
        assert!(!Money::ZERO.is_negative());
    }

    #[test]
    fn min_decimals_pads_and_keeps_every_digit() {
        let text = |d: Decimal| Money::new(d).with_min_decimals(2).to_string();
        assert_eq!(text(dec!(0)), "0.00");
        assert_eq!(text(dec!(12.5)), "12.50");
        assert_eq!(text(dec!(-3)), "-3.00");
        assert_eq!(text(dec!(0.125)), "0.125");
        assert_eq!(text(dec!(1.2340)), "1.2340");
    }

    #[test]
    fn checked_arithmetic_reports_overflow_instead_of_panicking() {
        let max = Money::new(Decimal::MAX);
        assert_eq!(max.checked_add(Money::new(dec!(1))), None);
        assert_eq!(
            Money::new(Decimal::MIN).checked_sub(Money::new(dec!(1))),
            None
        );
        assert_eq!(max.checked_mul(dec!(2)), None);
        assert_eq!(Money::checked_sum([max, max]), None);
        assert_eq!(
            Money::checked_sum(["0.10", "0.20"].map(|s| s.parse::<Money>().unwrap())),
            Some(Money::new(dec!(0.30)))
        );
        assert_eq!(
            Money::new(dec!(2.50)).checked_mul(dec!(3)),
            Some(Money::new(dec!(7.50)))
        );
    }

    #[test]
    fn serde_reads_leniently_and_writes_exact_numbers() {
        let m: Vec<Money> = serde_json::from_str(r#"[15.00, "15,00", "15.00", 15]"#).unwrap();
        assert!(m.iter().all(|x| x.amount() == dec!(15)));
        assert_eq!(
            serde_json::to_string(&Money::new(dec!(15.00))).unwrap(),
            "15.00"
        );
        assert_eq!(format!("{:?}", Money::new(dec!(1.5))), "Money(1.5)");
    }
}
