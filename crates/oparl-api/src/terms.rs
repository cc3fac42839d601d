//! The council's electoral terms (Wahlperioden). They are the `term` lines
//! of the parser's group table (`crates/parse/data/groups.txt`), read here
//! as data: a clerk who adds a term there adds it to the endpoint too.

use std::sync::OnceLock;

use chrono::NaiveDate;

const GROUPS: &str = include_str!("../../parse/data/groups.txt");

/// One Wahlperiode of the Stadtrat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Term {
    /// "Wahlperiode 2019–2024".
    pub fn name(&self) -> String {
        use chrono::Datelike;
        format!("Wahlperiode {}–{}", self.start.year(), self.end.year())
    }

    /// The slug of its id: the two years.
    pub fn slug(&self) -> String {
        use chrono::Datelike;
        format!("{}-{}", self.start.year(), self.end.year())
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// Every term of the table, oldest first.
pub fn terms() -> &'static [Term] {
    static TERMS: OnceLock<Vec<Term>> = OnceLock::new();
    TERMS.get_or_init(|| {
        let mut terms: Vec<Term> = GROUPS.lines().filter_map(term_line).collect();
        terms.sort_by_key(|t| t.start);
        terms
    })
}

/// The term a paper of `day` belongs to, if the table has one.
pub fn term_of(day: Option<NaiveDate>) -> Option<&'static Term> {
    let day = day?;
    terms().iter().find(|t| t.contains(day))
}

/// `term 2019-08-01 2024-07-31`.
fn term_line(line: &str) -> Option<Term> {
    let mut words = line.split_whitespace();
    if words.next()? != "term" {
        return None;
    }
    let start = words.next()?.parse().ok()?;
    let end = words.next()?.parse().ok()?;
    Some(Term { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_terms_in_order_and_a_day_finds_its_term() {
        let all = terms();
        assert!(all.len() >= 2, "{all:?}");
        assert!(all.windows(2).all(|w| w[0].end < w[1].start));
        let day = all[1].start;
        assert_eq!(term_of(Some(day)), Some(&all[1]));
        assert_eq!(term_of(None), None);
        assert!(all[0].name().starts_with("Wahlperiode "));
    }
}
