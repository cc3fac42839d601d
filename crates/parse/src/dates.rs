//! German dates as council papers write them: `10.03.2020`, `1.7.2023`,
//! `11. Dezember 2024`, and the ends of periods (month, quarter, half-year,
//! year) that report deadlines name.
//!
//! Invalid dates (`31.02.2020`) are never guessed into valid ones; they are
//! simply not dates.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

/// Month names and the abbreviations found in tables, lower case.
const MONTHS: [(&str, u32); 24] = [
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("april", 4),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("august", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("dezember", 12),
    ("jan", 1),
    ("feb", 2),
    ("mrz", 3),
    ("apr", 4),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("okt", 10),
    ("nov", 11),
    ("dez", 12),
];

/// The alternation of full month names, for other modules' patterns.
pub const MONTH_NAMES: &str = "Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember";

/// A month by its German name or common abbreviation, any case.
pub fn month_number(name: &str) -> Option<u32> {
    let lower = name.trim().trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|(_, m)| *m)
}

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:$|[^\d])")
        .expect("constant pattern")
});
static WORDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})\.\s*({MONTH_NAMES})\s+(\d{{4}})\b"
    ))
    .expect("constant pattern")
});

/// A date from its day, month and year numbers, if it exists.
pub fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Every date in `text`, numeric or with the month's name, in order.
pub fn find_dates(text: &str) -> Vec<(NaiveDate, Range<usize>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(c) = NUMERIC.captures_at(text, at) {
        let (Some(d), Some(m), Some(y)) = (c.get(1), c.get(2), c.get(3)) else {
            break;
        };
        at = y.end();
        if let (Ok(dd), Ok(mm), Ok(yy)) =
            (d.as_str().parse(), m.as_str().parse(), y.as_str().parse())
            && let Some(date) = ymd(yy, mm, dd)
        {
            found.push((date, d.start()..y.end()));
        }
    }
    for c in WORDED.captures_iter(text) {
        let (Some(all), Some(d), Some(m), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if let (Ok(dd), Some(mm), Ok(yy)) = (
            d.as_str().parse(),
            month_number(m.as_str()),
            y.as_str().parse(),
        ) && let Some(date) = ymd(yy, mm, dd)
        {
            found.push((date, all.range()));
        }
    }
    found.sort_by_key(|(_, r)| r.start);
    found
}

/// The first date in `text`.
pub fn first_date(text: &str) -> Option<NaiveDate> {
    find_dates(text).first().map(|(d, _)| *d)
}

/// Last day of a month.
pub fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month >= 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    ymd(ny, nm, 1).and_then(|d| d.pred_opt())
}

/// Last day of a quarter (1–4).
pub fn end_of_quarter(year: i32, quarter: u32) -> Option<NaiveDate> {
    if !(1..=4).contains(&quarter) {
        return None;
    }
    end_of_month(year, quarter * 3)
}

/// Last day of a half-year (1–2).
pub fn end_of_half(year: i32, half: u32) -> Option<NaiveDate> {
    if !(1..=2).contains(&half) {
        return None;
    }
    end_of_month(year, half * 6)
}

/// Last day of a year.
pub fn end_of_year(year: i32) -> Option<NaiveDate> {
    ymd(year, 12, 31)
}

/// The end of the first period on or after `anchor`, for a period named
/// without its year ("bis Ende des 3. Quartals"): the year is the one that
/// makes the period end no earlier than `anchor`.
pub fn next_end(anchor: NaiveDate, end_in: impl Fn(i32) -> Option<NaiveDate>) -> Option<NaiveDate> {
    let year = anchor.year();
    match end_in(year) {
        Some(end) if end >= anchor => Some(end),
        _ => end_in(year + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn finds_numeric_and_worded_dates() {
        let found: Vec<NaiveDate> =
            find_dates("am 06.02.2019 und am 22. August 2019, bis 1.7.2023; 31.02.2020")
                .into_iter()
                .map(|(d, _)| d)
                .collect();
        assert_eq!(found, [d(2019, 2, 6), d(2019, 8, 22), d(2023, 7, 1)]);
    }

    #[test]
    fn period_ends() {
        assert_eq!(end_of_quarter(2020, 3), Some(d(2020, 9, 30)));
        assert_eq!(end_of_half(2022, 1), Some(d(2022, 6, 30)));
        assert_eq!(end_of_month(2024, 2), Some(d(2024, 2, 29)));
        assert_eq!(end_of_month(2024, 12), Some(d(2024, 12, 31)));
        assert_eq!(
            next_end(d(2021, 10, 5), |y| end_of_quarter(y, 3)),
            Some(d(2022, 9, 30))
        );
        assert_eq!(
            next_end(d(2021, 6, 24), |y| end_of_quarter(y, 3)),
            Some(d(2021, 9, 30))
        );
    }
}
