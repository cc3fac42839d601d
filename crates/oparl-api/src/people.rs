//! Who a paper names, as keys the ids are made from: the organizations that
//! submit it (Fraktionen per term, Dezernate and Ämter, other bodies), the
//! bodies of its Beratungsfolge (Stadtrat, Ausschüsse, Beiräte,
//! Ortschaftsräte), and the persons (signatories, council members who
//! submit in their own name).

use ratsdoc_model::{Record, SubmitterKind};

use crate::terms::{Term, term_of};
use crate::urls::slug;

/// What kind of organization, as a row of [`KINDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OrgKind {
    /// A Fraktion or Fraktionsgemeinschaft, in one term.
    Faction,
    /// A body of the Beratungsfolge: Stadtrat, Ausschuss, Beirat.
    Committee,
    /// A unit of the administration: Oberbürgermeisterin, Dezernat, Amt.
    Administration,
    /// Any other submitter (an Ortschaftsrat, an external body).
    Other,
}

/// Per kind: its key word, OParl `organizationType` and `classification`.
const KINDS: [(OrgKind, &str, &str, &str); 4] = [
    (OrgKind::Faction, "faction", "Fraktion", "Fraktion"),
    (OrgKind::Committee, "committee", "Gremium", "Gremium"),
    (
        OrgKind::Administration,
        "administration",
        "Verwaltungsbereich",
        "Verwaltung",
    ),
    (OrgKind::Other, "other", "Sonstiges", "Sonstige"),
];

impl OrgKind {
    fn row(self) -> (OrgKind, &'static str, &'static str, &'static str) {
        KINDS
            .into_iter()
            .find(|r| r.0 == self)
            .unwrap_or(KINDS[KINDS.len() - 1])
    }

    /// OParl's `organizationType`.
    pub fn organization_type(self) -> &'static str {
        self.row().2
    }

    /// OParl's `classification`.
    pub fn classification(self) -> &'static str {
        self.row().3
    }
}

/// One organization as a paper names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrgKey {
    pub kind: OrgKind,
    pub name: String,
    /// For a faction: the term it sat in, where the paper's date tells it.
    pub term: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

impl OrgKey {
    fn new(kind: OrgKind, name: &str, term: Option<&Term>) -> OrgKey {
        OrgKey {
            kind,
            name: name.trim().to_string(),
            term: term.map(|t| (t.start, t.end)),
        }
    }

    /// The slug of its id: kind, term and name decide it.
    pub fn slug(&self) -> String {
        let term = self
            .term
            .map(|(s, e)| format!("{s}/{e}"))
            .unwrap_or_default();
        let key = format!("{}|{term}|{}", self.kind.row().1, self.name);
        slug(&self.name, &key)
    }
}

/// The slug of a person's id.
pub fn person_slug(name: &str) -> String {
    slug(name, &format!("person|{}", name.trim()))
}

/// The organizations of a paper: who submits it, and of those who directs
/// it (the administration's units).
pub struct PaperOrgs {
    pub originators: Vec<OrgKey>,
    pub under_direction: Vec<OrgKey>,
}

/// Submitting organizations of `record`, in the paper's order, each once.
pub fn organizations_of(record: &Record) -> PaperOrgs {
    let term = term_of(record.effective_date());
    let mut originators: Vec<OrgKey> = Vec::new();
    let mut under_direction = Vec::new();
    for s in &record.submitters {
        let key = match s.kind {
            SubmitterKind::Faction => OrgKey::new(
                OrgKind::Faction,
                s.group.as_deref().unwrap_or(&s.name),
                term,
            ),
            SubmitterKind::Administration => {
                let key = OrgKey::new(OrgKind::Administration, &s.name, None);
                if !under_direction.contains(&key) {
                    under_direction.push(key.clone());
                }
                key
            }
            SubmitterKind::Other => OrgKey::new(OrgKind::Other, &s.name, None),
            SubmitterKind::Member => continue,
        };
        if !key.name.is_empty() && !originators.contains(&key) {
            originators.push(key);
        }
    }
    under_direction.retain(|k: &OrgKey| !k.name.is_empty());
    PaperOrgs {
        originators,
        under_direction,
    }
}

/// The body of one Beratungsfolge row as an organization.
pub fn committee(body: &str) -> OrgKey {
    OrgKey::new(OrgKind::Committee, body, None)
}

/// The council members who submit a paper (its `originatorPerson`), each
/// once, none empty.
pub fn submitting_persons(record: &Record) -> Vec<String> {
    let members = record
        .submitters
        .iter()
        .filter(|s| s.kind == SubmitterKind::Member)
        .map(|s| s.name.trim().to_string());
    unique(members)
}

/// The persons a paper names: council members who submit it, then its
/// signatory; each once, none empty.
pub fn persons_of(record: &Record) -> Vec<String> {
    let signatory = record.signatory.iter().map(|s| s.name.trim().to_string());
    unique(submitting_persons(record).into_iter().chain(signatory))
}

fn unique(all: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in all {
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratsdoc_model::{Kind, Signatory, Source, SourceFormat, Submitter};

    fn record() -> Record {
        let source = Source {
            path: "corpus/a.txt".into(),
            format: SourceFormat::Txt,
            hash: "00".into(),
            pages: None,
            extractor: None,
            encoding: None,
        };
        let mut r = Record::new("BA-001/2020", Kind::Beschlussantrag, "Titel", source);
        r.date = chrono::NaiveDate::from_ymd_opt(2020, 3, 1);
        let submitter = |name: &str, kind, group: Option<&str>| Submitter {
            name: name.into(),
            kind,
            group: group.map(String::from),
        };
        r.submitters = vec![
            submitter("SPD", SubmitterKind::Faction, Some("SPD-Fraktion")),
            submitter("SPD-Fraktion", SubmitterKind::Faction, Some("SPD-Fraktion")),
            submitter("Dezernat 5", SubmitterKind::Administration, None),
            submitter("Stadtrat Max Muster", SubmitterKind::Member, None),
        ];
        r.signatory = Some(Signatory {
            name: "Erika Beispiel".into(),
            on_behalf: false,
        });
        r
    }

    #[test]
    fn a_faction_is_named_once_by_its_group_and_term() {
        let orgs = organizations_of(&record());
        let names: Vec<&str> = orgs.originators.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["SPD-Fraktion", "Dezernat 5"]);
        assert!(orgs.originators[0].term.is_some());
        assert_eq!(orgs.under_direction.len(), 1);
        assert_ne!(orgs.originators[0].slug(), orgs.originators[1].slug());
    }

    #[test]
    fn persons_are_members_and_the_signatory() {
        assert_eq!(
            persons_of(&record()),
            ["Stadtrat Max Muster", "Erika Beispiel"]
        );
        assert_eq!(submitting_persons(&record()), ["Stadtrat Max Muster"]);
    }
}
