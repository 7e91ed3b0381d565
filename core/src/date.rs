//! Calendar dates without a time zone (birth dates, claim dates), small enough for wasm and
//! strict about what a real date is.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A real calendar date between 1900 and 2199, or `None`.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1900..2200).contains(&year) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Self::parse_compact(&format!("{}{}{}", &s.trim()[0..4], &s.trim()[5..7], &s.trim()[8..10]))
    }

    /// `YYYYMMDD`, as in ID numbers.
    pub fn parse_compact(s: &str) -> Option<Date> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Date::new(s[0..4].parse().ok()?, s[4..6].parse().ok()?, s[6..8].parse().ok()?)
    }

    /// The date `days` days after 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days).
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, month as u8, day as u8)
    }

    /// The calendar date in Beijing (UTC+8) at `unix_secs`.
    pub fn beijing_from_unix(unix_secs: i64) -> Option<Date> {
        Date::from_unix_days((unix_secs + 8 * 3600).div_euclid(86_400))
    }

    /// Days since 1970-01-01.
    pub fn unix_days(self) -> i64 {
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `n` days later.
    pub fn plus_days(self, n: i64) -> Option<Date> {
        Date::from_unix_days(self.unix_days() + n)
    }

    /// Whole months from `self` to `later` (0 if `later` is earlier).
    pub fn months_until(self, later: Date) -> u32 {
        if later <= self {
            return 0;
        }
        let mut months = (later.year as i32 - self.year as i32) * 12 + later.month as i32 - self.month as i32;
        if later.day < self.day {
            months -= 1;
        }
        months.max(0) as u32
    }

    /// Age in whole years on `on`.
    pub fn age_on(self, on: Date) -> u32 {
        self.months_until(on) / 12
    }
}

/// Of the versions of a published rule or text, the one in force on `on`: the latest that took
/// effect by then, or the earliest when every version is still to come. `key` gives a version's
/// (effective date, version number).
pub fn in_force<T>(versions: &[T], on: Date, key: impl Fn(&T) -> (Date, u32)) -> Option<&T> {
    versions
        .iter()
        .filter(|v| key(v).0 <= on)
        .max_by_key(|v| key(v))
        .or_else(|| versions.iter().min_by_key(|v| key(v)))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// In JSON a date is an ISO 8601 string (`2026-11-27`).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Date {}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse_iso(&s).ok_or_else(|| serde::de::Error::custom(format!("not a date (YYYY-MM-DD): {s}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_only() {
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("2023-02-29").is_none());
        assert!(Date::parse_iso("1900-02-29").is_none());
        assert!(Date::parse_iso("2000-02-29").is_some());
        assert!(Date::parse_iso("2024-13-01").is_none());
        assert!(Date::parse_iso("2024-1-01").is_none());
        assert!(Date::parse_compact("19491231").is_some());
        assert_eq!(Date::parse_iso("2024-03-05").unwrap().to_string(), "2024-03-05");
    }

    #[test]
    fn unix_days_both_ways() {
        assert_eq!(Date::from_unix_days(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix_days(20_454), Date::new(2026, 1, 1));
        // 2026-11-26T16:30:00Z is already 27 November in Beijing.
        assert_eq!(Date::beijing_from_unix(1_795_710_600), Date::new(2026, 11, 27));
        for days in [-1000, 0, 11_016, 19_782, 20_454, 60_000] {
            assert_eq!(Date::from_unix_days(days).unwrap().unix_days(), days);
        }
        assert_eq!(Date::new(2024, 2, 28).unwrap().plus_days(1), Date::new(2024, 2, 29));
    }

    #[test]
    fn months_and_ages() {
        let d = |s| Date::parse_iso(s).unwrap();
        assert_eq!(d("2024-01-31").months_until(d("2024-02-29")), 0);
        assert_eq!(d("2024-01-15").months_until(d("2025-01-15")), 12);
        assert_eq!(d("1985-03-15").age_on(d("2026-03-14")), 40);
        assert_eq!(d("1985-03-15").age_on(d("2026-03-15")), 41);
        assert_eq!(serde_json::to_string(&d("2026-11-27")).unwrap(), "\"2026-11-27\"");
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    }
}
