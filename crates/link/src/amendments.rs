//! Änderungs- and Ergänzungsanträge to what they amend, and the other
//! relations the RIS records between papers.
//!
//! Three rules, as data ([`RULES`]): the RIS's own relation
//! (superordinatedPaper / subordinatedPaper / relatedPaper) is a fact; a
//! number that extends another paper's number (`2021/1342/1` after
//! `2021/1342`) is how councils number supplements; a heading that names
//! the paper ("Änderungsantrag ÄA-003/2022 zum Beschlussantrag
//! BA-044/2022") is how papers without either say it. The RIS wins where
//! it speaks. RISes differ in which side they call superordinated, so the
//! amendment is always the paper whose kind is Änderungsantrag.

use std::collections::{BTreeMap, HashMap};

use ratsdoc_model::{Amendment, Evidence, Kind, Related, RisRelationKind};

use crate::Essentials;

/// Rule name, weight and what the evidence says, per rule.
const RULES: &[(&str, f64)] = &[
    ("from_the_ris", 1.0),
    ("named_in_heading", 0.95),
    ("number_extends", 0.9),
];

fn evidence(rule: &str, detail: String) -> Evidence {
    let weight = RULES
        .iter()
        .find(|(name, _)| *name == rule)
        .map_or(0.0, |(_, w)| *w);
    Evidence {
        rule: rule.to_string(),
        detail,
        weight,
    }
}

/// The RIS's word for a relation, in German, as the evidence quotes it.
fn german(relation: RisRelationKind) -> &'static str {
    match relation {
        RisRelationKind::Superordinated => "übergeordnete Drucksache",
        RisRelationKind::Subordinated => "untergeordnete Drucksache",
        RisRelationKind::Related => "verwandte Drucksache",
    }
}

/// Amendments with what they amend, and the remaining RIS relations.
pub(crate) fn relate(items: &[Essentials]) -> (Vec<Amendment>, Vec<Related>) {
    let by_id: HashMap<&str, &Essentials> = items.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut amended: BTreeMap<(String, String), Vec<Evidence>> = BTreeMap::new();
    let mut related: BTreeMap<(String, String), (RisRelationKind, Evidence)> = BTreeMap::new();
    for item in items.iter().filter(|e| e.kind != Kind::Other) {
        for (relation, other) in &item.relations {
            let Some(partner) = by_id.get(other.as_str()) else {
                continue;
            };
            let detail = format!(
                "das RIS führt {} als {} von {}",
                partner.id,
                german(*relation),
                item.id
            );
            match amendment_pair(item, partner) {
                Some(pair) => amended
                    .entry(pair)
                    .or_default()
                    .push(evidence("from_the_ris", detail)),
                None => {
                    let key = ordered(&item.id, &partner.id);
                    related
                        .entry(key)
                        .or_insert((*relation, evidence("from_the_ris", detail)));
                }
            }
        }
    }
    add_numbered(items, &by_id, &mut amended);
    add_named(items, &mut amended);
    let amendments = amended
        .into_iter()
        .map(|((amendment, amended), mut evidence)| {
            evidence.dedup_by(|a, b| a.rule == b.rule);
            Amendment {
                amendment,
                amended,
                evidence,
            }
        })
        .collect::<Vec<_>>();
    let related = related
        .into_iter()
        .map(|((from, to), (relation, evidence))| Related {
            from,
            to,
            relation,
            evidence: vec![evidence],
        })
        .collect();
    (sorted(amendments), related)
}

/// (amendment, amended) when exactly one of the two is an Änderungsantrag.
fn amendment_pair(a: &Essentials, b: &Essentials) -> Option<(String, String)> {
    match (
        a.kind == Kind::Aenderungsantrag,
        b.kind == Kind::Aenderungsantrag,
    ) {
        (true, false) if b.kind != Kind::Other => Some((a.id.clone(), b.id.clone())),
        (false, true) if a.kind != Kind::Other => Some((b.id.clone(), a.id.clone())),
        _ => None,
    }
}

/// Amendments the RIS relates to nothing: the paper whose number theirs
/// extends. Where the RIS names a paper, the number adds its evidence only
/// when it agrees.
fn add_numbered(
    items: &[Essentials],
    by_id: &HashMap<&str, &Essentials>,
    amended: &mut BTreeMap<(String, String), Vec<Evidence>>,
) {
    for item in items.iter().filter(|e| e.kind == Kind::Aenderungsantrag) {
        let Some(base) = extended_number(&item.id) else {
            continue;
        };
        let Some(target) = by_id.get(base).filter(|t| t.kind != Kind::Other) else {
            continue;
        };
        let known = amended.keys().any(|(a, _)| *a == item.id);
        let key = (item.id.clone(), target.id.clone());
        if known && !amended.contains_key(&key) {
            continue;
        }
        amended.entry(key).or_default().push(evidence(
            "number_extends",
            format!("die Nummer {} setzt {} fort", item.id, target.id),
        ));
    }
}

/// Amendments whose heading names what they amend. Only papers the RIS
/// and the numbering relate to nothing are taken: those two are facts of
/// the register, a heading is the author's word.
fn add_named(items: &[Essentials], amended: &mut BTreeMap<(String, String), Vec<Evidence>>) {
    let by_key: HashMap<String, &Essentials> = items.iter().map(|e| (e.key(), e)).collect();
    for item in items.iter().filter(|e| !e.amends.is_empty()) {
        if amended.keys().any(|(a, _)| *a == item.id) {
            continue;
        }
        let targets = item
            .amends
            .iter()
            .filter_map(|key| by_key.get(key.as_str()));
        for target in targets.filter(|t| !matches!(t.kind, Kind::Other | Kind::Aenderungsantrag)) {
            amended
                .entry((item.id.clone(), target.id.clone()))
                .or_default()
                .push(evidence(
                    "named_in_heading",
                    format!("{} nennt {} in der Überschrift", item.id, target.id),
                ));
        }
    }
}

/// `2021/1342/1` → `2021/1342`: a number with a trailing `/<digits>`
/// after at least one other `/`.
fn extended_number(id: &str) -> Option<&str> {
    let (base, tail) = id.rsplit_once('/')?;
    let numbered = !tail.is_empty() && tail.len() <= 3 && tail.bytes().all(|b| b.is_ascii_digit());
    (numbered && base.contains('/')).then_some(base)
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// By amended paper, then amendment.
fn sorted(mut amendments: Vec<Amendment>) -> Vec<Amendment> {
    amendments.sort_by(|x, y| (&x.amended, &x.amendment).cmp(&(&y.amended, &y.amendment)));
    amendments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supplement_number_extends_its_base() {
        assert_eq!(extended_number("2021/1342/1"), Some("2021/1342"));
        // Four digits are a paper's own sequence number, not a supplement's.
        assert_eq!(extended_number("DHH/2023/1007"), None);
        assert_eq!(extended_number("2021/1342"), None);
        assert_eq!(extended_number("ÄA-001/2020"), None);
        assert_eq!(extended_number("2021/1342/abc"), None);
    }
}
