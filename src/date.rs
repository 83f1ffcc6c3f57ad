//! Document dates: a strict ISO 8601 subset, periods (day, ISO week, month, year) and
//! mergeable date spans.
//!
//! # What is a date
//!
//! [`Date::parse`] accepts exactly these forms (digits ASCII, `T`, `Z` upper-case):
//!
//! | form | example | the day it stands for |
//! |---|---|---|
//! | `YYYY` | `2025` | 1 January |
//! | `YYYY-MM` | `2025-10` | the first of the month |
//! | `YYYY-MM-DD` | `2025-10-28` | that day |
//! | `YYYY-MM-DD` `T` or space `hh:mm[:ss[.fraction]]` [`Z` or `±hh:mm`] | `2025-10-28T23:30:00.5-05:00` | the date written |
//!
//! Years run from 0001 to 9999 (proleptic Gregorian calendar); months, days, hours (00–23),
//! minutes (00–59), seconds (00–60, a leap second allowed) and offsets (hours 00–23, minutes
//! 00–59) are checked, and so is the day of the month (`2025-02-29` is an error). Anything else
//! is an error: week dates, ordinal dates, basic format without dashes, lower-case `t`/`z`,
//! surrounding spaces.
//!
//! **The calendar date written is kept, not converted to UTC**: `2025-10-28T23:30-05:00` is
//! 28 October (in UTC it would already be the 29th). A news item belongs to the day on which
//! it was dated where it was written, and a corpus whose timestamps carry different offsets
//! does not move items across days. The time of day and the offset are validated, then
//! dropped. A partial date stands for the first day it covers (`2025-10` is 1 October);
//! [`Date::parse_last_day`], for the end of a range, reads it as its last day.
//!
//! # Periods and spans
//!
//! A [`Period`] cuts time into days, ISO 8601 weeks (Monday to Sunday, labelled `2025-W44`),
//! months or years; a [`PeriodKey`] is one of them, labelled as in the JSON (`2025-10-28`,
//! `2025-W44`, `2025-10`, `2025`), ordered chronologically. A [`DateSpan`] holds the first
//! and last date seen and a count per period; [`DateSpan::merge`] is associative and
//! commutative, so spans counted on separate parts of a corpus add up to the span of the
//! whole (as long as all use the same period).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar day, 0001-01-01 to 9999-12-31 (proleptic Gregorian). Ordered chronologically;
/// written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// A string that is not a date of the accepted ISO 8601 subset (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unparsable date {value:?}: {reason} (expected YYYY, YYYY-MM, YYYY-MM-DD or \
     YYYY-MM-DDThh:mm[:ss[.f]][Z|±hh:mm])"
)]
pub struct DateError {
    /// The string as given.
    pub value: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        _ => 28,
    }
}

/// Reads exactly `n` ASCII digits at the start of `s`.
fn digits(s: &[u8], n: usize) -> Option<u32> {
    let d = s.get(..n)?;
    d.iter().all(u8::is_ascii_digit).then(|| {
        d.iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'))
    })
}

impl Date {
    /// The date `year-month-day`, if it exists and the year is 1 to 9999.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day))
        .then_some(Date { year, month, day })
    }

    /// The year, 1 to 9999.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// [`Date::parse`], except that a partial date gives its **last** day (`2025` is
    /// 31 December, `2025-02` is 28 February): the end of an inclusive range such as
    /// `--until 2025-10`, which then takes in all of October.
    pub fn parse_last_day(s: &str) -> Result<Date, DateError> {
        let d = Date::parse(s)?;
        // Date::parse accepted `s`, so 4 bytes are `YYYY` and 7 are `YYYY-MM`.
        Ok(match s.len() {
            4 => Date {
                month: 12,
                day: 31,
                ..d
            },
            7 => Date {
                day: days_in_month(d.year, d.month),
                ..d
            },
            _ => d,
        })
    }

    /// Parses the ISO 8601 subset of the [module docs](self): the date written, time of day
    /// and offset checked then dropped; a partial date gives its first day.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let fail = |reason| DateError {
            value: s.to_string(),
            reason,
        };
        let b = s.as_bytes();
        let year = digits(b, 4).ok_or_else(|| fail("no four-digit year"))? as u16;
        if year == 0 {
            return Err(fail("year 0000"));
        }
        let (month, day, rest) = match b.get(4) {
            None => (1, 1, &b[4..]),
            Some(b'-') => {
                let month = digits(&b[5..], 2).ok_or_else(|| fail("no two-digit month"))? as u8;
                if !(1..=12).contains(&month) {
                    return Err(fail("no such month"));
                }
                match b.get(7) {
                    None => (month, 1, &b[7..]),
                    Some(b'-') => {
                        let day = digits(&b[8..], 2).ok_or_else(|| fail("no two-digit day"))?;
                        (month, day as u8, &b[10..])
                    }
                    Some(_) => return Err(fail("month not followed by -DD")),
                }
            }
            Some(_) => return Err(fail("year not followed by -MM")),
        };
        let date = Date::new(year, month, day).ok_or_else(|| fail("no such day in that month"))?;
        match rest.first() {
            None => Ok(date),
            Some(b'T' | b' ') => {
                check_time(&rest[1..]).map_err(fail)?;
                Ok(date)
            }
            Some(_) => Err(fail("date not followed by T or a space and a time")),
        }
    }

    /// Days since 1970-01-01 (negative before).
    fn days(self) -> i64 {
        // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01; `None` outside years 1 to 9999.
    fn from_days(days: i64) -> Option<Date> {
        // Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, month, day)
    }

    /// Day of the week, Monday 0 to Sunday 6.
    fn weekday(self) -> i64 {
        // 1970-01-01 was a Thursday.
        (self.days() + 3).rem_euclid(7)
    }

    /// The ISO 8601 week: (week-numbering year, week 1 to 53). The week belongs to the year
    /// holding its Thursday.
    pub fn iso_week(self) -> (i32, u8) {
        let thursday = self.days() - self.weekday() + 3;
        let t = Date::from_days(thursday);
        // The Thursday of a week starting in 9999 or before 0001 lies outside the range:
        // only 9999-12-27..31 and none before 0001-01-01 (a Monday), whose Thursday is in
        // year 10000, week 1.
        let Some(t) = t else {
            return (i32::from(self.year) + 1, 1);
        };
        let jan1 = Date {
            year: t.year,
            month: 1,
            day: 1,
        };
        (i32::from(t.year), ((thursday - jan1.days()) / 7 + 1) as u8)
    }
}

/// Checks `hh:mm[:ss[.f+]][Z|±hh:mm]`.
fn check_time(t: &[u8]) -> Result<(), &'static str> {
    let two = |s: &[u8], max: u32, what| match digits(s, 2) {
        Some(v) if v <= max => Ok(()),
        Some(_) => Err(what),
        None => Err("time not hh:mm[:ss]"),
    };
    two(t, 23, "hour past 23")?;
    if t.get(2) != Some(&b':') {
        return Err("time not hh:mm[:ss]");
    }
    two(&t[3..], 59, "minute past 59")?;
    let mut rest = &t[5..];
    if rest.first() == Some(&b':') {
        two(&rest[1..], 60, "second past 60")?;
        rest = &rest[3..];
        if rest.first() == Some(&b'.') {
            let n = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 {
                return Err("no digits after the decimal point");
            }
            rest = &rest[1 + n..];
        }
    }
    match rest.first() {
        None => Ok(()),
        Some(b'Z') if rest.len() == 1 => Ok(()),
        Some(b'+' | b'-') if rest.len() == 6 && rest[3] == b':' => {
            two(&rest[1..], 23, "offset hour past 23")?;
            two(&rest[4..], 59, "offset minute past 59")
        }
        Some(_) => Err("time not followed by Z or ±hh:mm"),
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

/// Serde as text: written with `Display`, read with `FromStr` (an error names the value).
macro_rules! serde_as_text {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

serde_as_text!(Date, Period, PeriodKey);

/// How time is cut for per-period counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Period {
    /// Calendar days, labelled `2025-10-28`.
    Day,
    /// ISO 8601 weeks, Monday to Sunday, labelled `2025-W44` (week-numbering year).
    Week,
    /// Calendar months, labelled `2025-10`.
    #[default]
    Month,
    /// Calendar years, labelled `2025`.
    Year,
}

/// A period name [`Period::from_str`] does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown period {0:?}: expected day, week, month or year")]
pub struct UnknownPeriod(pub String);

impl Period {
    /// Every period, shortest first.
    pub const ALL: [Period; 4] = [Period::Day, Period::Week, Period::Month, Period::Year];

    /// The name used on the command line and in the JSON (`month`).
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// The period holding `date`.
    pub fn of(self, date: Date) -> PeriodKey {
        let start = match self {
            Period::Day => date,
            Period::Week => {
                // 0001-01-01 is a Monday, so a week's Monday is never before it.
                Date::from_days(date.days() - date.weekday()).expect("a Monday in range")
            }
            Period::Month => Date { day: 1, ..date },
            Period::Year => Date {
                month: 1,
                day: 1,
                ..date
            },
        };
        PeriodKey {
            start,
            period: self,
        }
    }
}

impl FromStr for Period {
    type Err = UnknownPeriod;
    fn from_str(s: &str) -> Result<Period, UnknownPeriod> {
        Period::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPeriod(s.to_string()))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One day, ISO week, month or year: its first day and its kind. Ordered by first day (so
/// chronologically among keys of one period); written as its label (`2025-10-28`,
/// `2025-W44`, `2025-10`, `2025`), from which it reads back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeriodKey {
    /// The period's first day (a Monday for a week).
    pub start: Date,
    /// Its kind.
    pub period: Period,
}

impl PeriodKey {
    /// The period's last day: itself for a day, the Sunday of a week, the month's or the
    /// year's last day (what GEXF's per-period `end` needs, its ends being inclusive).
    pub fn last_day(self) -> Date {
        let d = self.start;
        match self.period {
            Period::Day => d,
            // A week of year 9999 may end past it: it then ends on 9999-12-31.
            Period::Week => Date::from_days(d.days() + 6).unwrap_or(Date {
                year: 9999,
                month: 12,
                day: 31,
            }),
            Period::Month => Date {
                day: days_in_month(d.year, d.month),
                ..d
            },
            Period::Year => Date {
                month: 12,
                day: 31,
                ..d
            },
        }
    }
}

impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.start;
        match self.period {
            Period::Day => write!(f, "{d}"),
            Period::Week => {
                let (y, w) = d.iso_week();
                write!(f, "{y:04}-W{w:02}")
            }
            Period::Month => write!(f, "{:04}-{:02}", d.year, d.month),
            Period::Year => write!(f, "{:04}", d.year),
        }
    }
}

impl FromStr for PeriodKey {
    type Err = DateError;
    /// Reads a label back: `YYYY-Www` is a week, `YYYY-MM-DD` a day, `YYYY-MM` a month and
    /// `YYYY` a year.
    fn from_str(s: &str) -> Result<PeriodKey, DateError> {
        let b = s.as_bytes();
        if b.len() == 8 && b.get(4..6) == Some(b"-W") {
            let fail = |reason| DateError {
                value: s.to_string(),
                reason,
            };
            let (Some(y), Some(w)) = (digits(b, 4), digits(&b[6..], 2)) else {
                return Err(fail("week label not YYYY-Www"));
            };
            let jan4 = Date::new(y as u16, 1, 4).ok_or_else(|| fail("no such year"))?;
            let monday = Date::from_days(jan4.days() - jan4.weekday() + 7 * (i64::from(w) - 1));
            return match monday {
                Some(m) if w >= 1 && m.iso_week() == (y as i32, w as u8) => Ok(Period::Week.of(m)),
                _ => Err(fail("no such week in that year")),
            };
        }
        let period = match b.len() {
            4 => Period::Year,
            7 => Period::Month,
            10 => Period::Day,
            _ => {
                return Err(DateError {
                    value: s.to_string(),
                    reason: "not a period label (YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY)",
                });
            }
        };
        Ok(period.of(Date::parse(s)?))
    }
}

/// When something was seen: the first and last date, and a count per period (what is
/// counted is the caller's: windows, for [`crate::cooccur`]). Empty (`first` and `last`
/// `None`, no periods) for something seen only in undated documents.
///
/// [`DateSpan::merge`] is associative and commutative, and `DateSpan::default()` is its
/// identity, provided every span merged was counted with the same [`Period`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateSpan {
    /// The earliest date seen (serialized only when set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<Date>,
    /// The latest date seen (serialized only when set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Date>,
    /// Counts per period, chronologically (serialized only when not empty).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub periods: BTreeMap<PeriodKey, u64>,
}

impl DateSpan {
    /// Counts `n` at `date`, in the `period` holding it.
    pub fn add(&mut self, date: Date, period: Period, n: u64) {
        self.add_at(date, period.of(date), n);
    }

    /// [`DateSpan::add`] with the period already found (`key` must be the one holding
    /// `date`): no date arithmetic, and no allocation once the period has a count.
    pub fn add_at(&mut self, date: Date, key: PeriodKey, n: u64) {
        self.see(date);
        match self.periods.get_mut(&key) {
            Some(c) => *c += n,
            None => {
                self.periods.insert(key, n);
            }
        }
    }

    /// Widens `first`..`last` to include `date`, counting nothing.
    pub fn see(&mut self, date: Date) {
        self.first = Some(self.first.map_or(date, |f| f.min(date)));
        self.last = Some(self.last.map_or(date, |l| l.max(date)));
    }

    /// Adds `other` to this span: the earlier first, the later last, counts summed per period.
    pub fn merge(&mut self, other: &DateSpan) {
        for d in other.first.into_iter().chain(other.last) {
            self.see(d);
        }
        for (k, n) in &other.periods {
            *self.periods.entry(*k).or_default() += n;
        }
    }

    /// True when nothing dated was seen.
    pub fn is_empty(&self) -> bool {
        self.first.is_none() && self.periods.is_empty()
    }
}

/// Which documents are counted by date: `since` and `until` inclusive, either open.
///
/// With either bound set, an undated document is **excluded** (it cannot be shown to fall
/// inside the range); callers count it among the excluded documents and say so.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateRange {
    /// The first day counted.
    pub since: Option<Date>,
    /// The last day counted.
    pub until: Option<Date>,
}

impl DateRange {
    /// True when neither bound is set: every document is counted.
    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether a document of this date (`None`: undated) is counted.
    pub fn admits(&self, date: Option<Date>) -> bool {
        match date {
            None => self.is_open(),
            Some(d) => self.since.is_none_or(|s| d >= s) && self.until.is_none_or(|u| d <= u),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn periods_end_on_their_last_day() {
        let last = |p: Period, s: &str| p.of(Date::parse(s).unwrap()).last_day().to_string();
        assert_eq!(last(Period::Day, "2025-10-28"), "2025-10-28");
        assert_eq!(last(Period::Week, "2025-10-28"), "2025-11-02");
        assert_eq!(last(Period::Month, "2024-02-10"), "2024-02-29");
        assert_eq!(last(Period::Month, "2025-02-10"), "2025-02-28");
        assert_eq!(last(Period::Year, "2025-02-10"), "2025-12-31");
        assert_eq!(last(Period::Week, "9999-12-30"), "9999-12-31");
    }

    #[test]
    fn valid_dates() {
        for (input, want) in [
            ("2025", "2025-01-01"),
            ("2025-10", "2025-10-01"),
            ("2025-10-28", "2025-10-28"),
            ("2024-02-29", "2024-02-29"),
            ("2000-02-29", "2000-02-29"),
            ("0001-01-01", "0001-01-01"),
            ("9999-12-31", "9999-12-31"),
            ("2025-10-28T09:15", "2025-10-28"),
            ("2025-10-28T09:15:30", "2025-10-28"),
            ("2025-10-28 09:15:30", "2025-10-28"),
            ("2025-10-28T09:15:30Z", "2025-10-28"),
            ("2025-10-28T09:15:30.123456789Z", "2025-10-28"),
            ("2025-10-28T23:59:60+00:00", "2025-10-28"),
            // The date written, not UTC: in UTC these are the 29th and the 27th.
            ("2025-10-28T23:30:00-05:00", "2025-10-28"),
            ("2025-10-28T01:00+09:00", "2025-10-28"),
            ("2025-10-28T00:00Z", "2025-10-28"),
        ] {
            assert_eq!(
                Date::parse(input).map(|x| x.to_string()),
                Ok(want.into()),
                "{input}"
            );
        }
    }

    #[test]
    fn invalid_dates() {
        for input in [
            "",
            "25",
            "20251",
            "0000",
            "0000-01-01",
            "2025-1",
            "2025-00",
            "2025-13",
            "2025-10-1",
            "2025-10-00",
            "2025-10-32",
            "2025-02-29",
            "1900-02-29",
            "2025-04-31",
            "20251028",
            "2025/10/28",
            "2025-W44",
            "2025-301",
            " 2025-10-28",
            "2025-10-28 ",
            "2025-10-28t09:15",
            "2025-10-28T",
            "2025-10-28T9:15",
            "2025-10-28T24:00",
            "2025-10-28T09:60",
            "2025-10-28T09:15:61",
            "2025-10-28T09:15:30.",
            "2025-10-28T09:15:30z",
            "2025-10-28T09:15:30+0500",
            "2025-10-28T09:15:30+05",
            "2025-10-28T09:15:30+24:00",
            "2025-10-28T09:15:30+05:60",
            "2025-10-28T09:15:30Z+01:00",
            "2025-10-28Tnoon",
            "26-FEB-1987 15:01:01.79",
            "２０２５",
            "2025-10-28\u{0}",
        ] {
            assert!(Date::parse(input).is_err(), "{input:?} parsed");
        }
        let e = Date::parse("2025-13").unwrap_err();
        assert_eq!(e.reason, "no such month");
        assert!(
            e.to_string()
                .starts_with("unparsable date \"2025-13\": no such month")
        );
    }

    #[test]
    fn a_partial_date_ends_on_its_last_day() {
        for (input, want) in [
            ("2025", "2025-12-31"),
            ("2025-02", "2025-02-28"),
            ("2024-02", "2024-02-29"),
            ("2025-04", "2025-04-30"),
            ("2025-10-28", "2025-10-28"),
            ("2025-10-28T23:30-05:00", "2025-10-28"),
        ] {
            assert_eq!(Date::parse_last_day(input), Ok(d(want)), "{input}");
        }
        assert!(Date::parse_last_day("2025-13").is_err());
    }

    #[test]
    fn iso_weeks_and_period_labels() {
        for (date, week) in [
            ("2025-10-28", "2025-W44"),
            ("2021-01-03", "2020-W53"),
            ("2021-01-04", "2021-W01"),
            ("2024-12-30", "2025-W01"),
            ("2026-12-31", "2026-W53"),
            ("2027-01-01", "2026-W53"),
            ("2008-12-29", "2009-W01"),
            ("0001-01-01", "0001-W01"),
            ("9999-12-31", "9999-W52"),
        ] {
            let key = Period::Week.of(d(date));
            assert_eq!(key.to_string(), week, "{date}");
            assert_eq!(key.start.weekday(), 0, "{date}: weeks start on Monday");
            assert_eq!(week.parse::<PeriodKey>(), Ok(key), "{week}");
        }
        let x = d("2025-10-28");
        let labels: Vec<String> = Period::ALL.iter().map(|p| p.of(x).to_string()).collect();
        assert_eq!(labels, ["2025-10-28", "2025-W44", "2025-10", "2025"]);
        for p in Period::ALL {
            assert_eq!(p.of(x).to_string().parse::<PeriodKey>(), Ok(p.of(x)));
            assert_eq!(p.as_str().parse::<Period>(), Ok(p));
        }
        for bad in [
            "2025-W00",
            "2025-W53",
            "2025-W5",
            "2025-Wxx",
            "25-10",
            "2025-10-28T00:00",
        ] {
            assert!(bad.parse::<PeriodKey>().is_err(), "{bad}");
        }
        assert!("2026-W53".parse::<PeriodKey>().is_ok());
        assert!("fortnight".parse::<Period>().is_err());
    }

    #[test]
    fn ranges_are_inclusive_and_exclude_undated_when_bounded() {
        let r = DateRange {
            since: Some(d("2025-03-01")),
            until: Some(d("2025-03-31")),
        };
        assert!(r.admits(Some(d("2025-03-01"))) && r.admits(Some(d("2025-03-31"))));
        assert!(!r.admits(Some(d("2025-02-28"))) && !r.admits(Some(d("2025-04-01"))));
        assert!(!r.admits(None));
        assert!(DateRange::default().admits(None));
    }

    fn date() -> impl Strategy<Value = Date> {
        (1i64..=3_000_000).prop_map(|n| Date::from_days(n - 719_162).unwrap())
    }

    fn span() -> impl Strategy<Value = DateSpan> {
        prop::collection::vec((date(), 1u64..5), 0..6).prop_map(|v| {
            let mut s = DateSpan::default();
            for (x, n) in v {
                s.add(x, Period::Week, n);
            }
            s
        })
    }

    proptest! {
        #[test]
        fn days_round_trip(x in date()) {
            prop_assert_eq!(Date::from_days(x.days()), Some(x));
            prop_assert_eq!(Date::parse(&x.to_string()), Ok(x));
            if let Some(next) = Date::from_days(x.days() + 1) {
                prop_assert!(next > x);
                prop_assert_eq!(next.days() - x.days(), 1);
            }
        }

        #[test]
        fn merge_is_associative_and_commutative(a in span(), b in span(), c in span()) {
            let merged = |x: &DateSpan, y: &DateSpan| { let mut m = x.clone(); m.merge(y); m };
            prop_assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
            prop_assert_eq!(merged(&a, &b), merged(&b, &a));
            prop_assert_eq!(merged(&a, &DateSpan::default()), a.clone());
        }
    }
}
