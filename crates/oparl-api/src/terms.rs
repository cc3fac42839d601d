//! The council's electoral terms (Wahlperioden), from its council profile
//! (`crates/parse/profiles/*.toml`, `[[terms]]`): a clerk who adds a term
//! there adds it to the endpoint too. `serve` sets the data directory's
//! council once at start; unset, the built-in default profile's terms
//! are served.

use std::sync::OnceLock;

use chrono::NaiveDate;
use ratsdoc_parse::Profile;

static TERMS: OnceLock<Vec<Term>> = OnceLock::new();

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

/// Every term of the council, oldest first.
pub fn terms() -> &'static [Term] {
    TERMS.get_or_init(|| terms_of(Profile::chemnitz()))
}

/// Serves `profile`'s terms from now on; `false` when terms were already
/// set or served (they never change while a server runs).
pub fn use_terms_of(profile: &Profile) -> bool {
    TERMS.set(terms_of(profile)).is_ok()
}

fn terms_of(profile: &Profile) -> Vec<Term> {
    let mut terms: Vec<Term> = profile
        .terms()
        .iter()
        .map(|t| Term {
            start: t.from,
            end: t.to,
        })
        .collect();
    terms.sort_by_key(|t| t.start);
    terms
}

/// The term a paper of `day` belongs to, if the table has one.
pub fn term_of(day: Option<NaiveDate>) -> Option<&'static Term> {
    let day = day?;
    terms().iter().find(|t| t.contains(day))
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
