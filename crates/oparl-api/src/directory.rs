//! The organizations, persons and meetings of all papers, each once, with
//! the times of the papers that name them: an organization is `created`
//! with the first paper that names it and `modified` with the last change
//! to any of them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ratsdoc_model::Record;
use serde_json::{Value, json};

use crate::list::Times;
use crate::objects::{base, day, put_text, vendor};
use crate::paper::meeting_slug;
use crate::people::{OrgKey, committee, organizations_of, person_slug, persons_of};
use crate::urls::Urls;

/// Every organization, person and meeting, by slug (so lists are sorted
/// by id, stable from build to build).
#[derive(Debug, Default)]
pub struct Directory {
    orgs: BTreeMap<String, (OrgKey, Times)>,
    persons: BTreeMap<String, (String, Times)>,
    meetings: BTreeMap<String, (String, NaiveDate, Times)>,
}

/// The three kinds of directory objects, by their path word.
pub const KINDS: [&str; 3] = ["organization", "person", "meeting"];

/// Widens `seen` by one more paper.
fn merge(seen: &mut Times, t: Times) {
    seen.created = seen.created.min(t.created);
    seen.modified = seen.modified.max(t.modified);
}

impl Directory {
    /// Takes in what one (not deleted) paper names.
    pub fn add(&mut self, record: &Record, times: Times) {
        let orgs = organizations_of(record);
        let committees = record
            .consultations
            .iter()
            .filter(|c| !c.body.trim().is_empty())
            .map(|c| committee(&c.body));
        for key in orgs.originators.into_iter().chain(committees) {
            let slot = self.orgs.entry(key.slug()).or_insert((key, times));
            merge(&mut slot.1, times);
        }
        for name in persons_of(record) {
            let slot = self
                .persons
                .entry(person_slug(&name))
                .or_insert((name, times));
            merge(&mut slot.1, times);
        }
        for c in &record.consultations {
            let Some(date) = c.date.filter(|_| !c.body.trim().is_empty()) else {
                continue;
            };
            let body = c.body.trim().to_string();
            let slot = self
                .meetings
                .entry(meeting_slug(&body, date))
                .or_insert((body, date, times));
            merge(&mut slot.2, times);
        }
    }

    /// The slugs and times of one kind (`organization`, `person`,
    /// `meeting`), sorted by slug.
    pub fn entries(&self, kind: &str) -> Vec<(&str, Times)> {
        match kind {
            "organization" => self.orgs.iter().map(|(s, v)| (s.as_str(), v.1)).collect(),
            "person" => self
                .persons
                .iter()
                .map(|(s, v)| (s.as_str(), v.1))
                .collect(),
            "meeting" => self
                .meetings
                .iter()
                .map(|(s, v)| (s.as_str(), v.2))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The object of `kind` with `slug`, if any paper names it.
    pub fn object(&self, urls: &Urls, kind: &str, slug: &str) -> Option<Value> {
        let id = urls.object(kind, slug);
        match kind {
            "organization" => self.orgs.get(slug).map(|(k, t)| org(urls, &id, k, *t)),
            "person" => self
                .persons
                .get(slug)
                .map(|(n, t)| person(urls, &id, n, *t)),
            "meeting" => self
                .meetings
                .get(slug)
                .map(|(b, d, t)| meeting(urls, &id, b, *d, *t)),
            _ => None,
        }
    }
}

fn org(urls: &Urls, id: &str, key: &OrgKey, times: Times) -> Value {
    let mut o = base(id, "Organization", times);
    o.insert("body".into(), json!(urls.body()));
    put_text(&mut o, "name", &key.name);
    o.insert(
        "organizationType".into(),
        json!(key.kind.organization_type()),
    );
    o.insert("classification".into(), json!(key.kind.classification()));
    if let Some((start, end)) = key.term {
        o.insert("startDate".into(), json!(day(start)));
        o.insert("endDate".into(), json!(day(end)));
    }
    Value::Object(o)
}

fn person(urls: &Urls, id: &str, name: &str, times: Times) -> Value {
    let mut o = base(id, "Person", times);
    o.insert("body".into(), json!(urls.body()));
    put_text(&mut o, "name", name);
    Value::Object(o)
}

fn meeting(urls: &Urls, id: &str, body: &str, date: NaiveDate, times: Times) -> Value {
    let mut o = base(id, "Meeting", times);
    put_text(
        &mut o,
        "name",
        &format!("{body}, {}", date.format("%d.%m.%Y")),
    );
    o.insert(
        "organization".into(),
        json!([urls.object("organization", &committee(body).slug())]),
    );
    // The papers name the day of the session, not its hour: `start` is
    // the day's beginning in German time, `ratsdoc:date` the day itself.
    o.insert("start".into(), json!(day_start(date)));
    o.insert(vendor("date"), json!(day(date)));
    Value::Object(o)
}

/// Midnight of `date` in German time (CET, or CEST from the day after the
/// last Sunday of March up to the last Sunday of October: the clocks change
/// at 02:00 and 03:00, after midnight).
pub fn day_start(date: NaiveDate) -> String {
    use chrono::Datelike;
    let last_sunday = |month: u32| {
        let last = NaiveDate::from_ymd_opt(date.year(), month, 31).unwrap_or(date);
        last - chrono::Days::new(u64::from(last.weekday().num_days_from_sunday()))
    };
    let summer = last_sunday(3) < date && date <= last_sunday(10);
    let offset = if summer { "+02:00" } else { "+01:00" };
    format!("{}T00:00:00{offset}", day(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_in_german_time() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(day_start(d(2020, 12, 9)), "2020-12-09T00:00:00+01:00");
        assert_eq!(day_start(d(2020, 6, 24)), "2020-06-24T00:00:00+02:00");
        // 2020: clocks forward on 29 March, back on 25 October.
        assert_eq!(day_start(d(2020, 3, 29)), "2020-03-29T00:00:00+01:00");
        assert_eq!(day_start(d(2020, 3, 30)), "2020-03-30T00:00:00+02:00");
        assert_eq!(day_start(d(2020, 10, 25)), "2020-10-25T00:00:00+02:00");
        assert_eq!(day_start(d(2020, 10, 26)), "2020-10-26T00:00:00+01:00");
    }
}
