//! What OParl has no field for, under the vendor prefix: the paper's kind
//! as ratsdoc classifies it, the reports its decision proposal orders, the
//! report-status verdict, and every answer ↔ motion link with its score
//! and evidence.
//!
//! | property | value |
//! |---|---|
//! | `ratsdoc:kind` | `beschlussantrag`, `informationsvorlage`, … |
//! | `ratsdoc:reportRequests` | `[{phrase, due, recurring, period, addressee}]` |
//! | `ratsdoc:verdict` | `{status, due, days, answeredBy, answeredOn, asOf, evidence}` |
//! | `ratsdoc:links` | `[{motion, answer, score, evidence: [{rule, detail, weight}]}]` |

use ratsdoc_model::number::id_to_file_stem;
use ratsdoc_model::{Evidence, ReportRequest};
use serde_json::{Map, Value, json};

use crate::objects::{day, vendor};
use crate::paper::PaperFacts;
use crate::urls::Urls;

pub(crate) fn put_extensions(urls: &Urls, facts: &PaperFacts<'_>, o: &mut Map<String, Value>) {
    let r = facts.record;
    o.insert(vendor("kind"), json!(r.kind.as_str()));
    if !r.report_requests.is_empty() {
        let requests = r.report_requests.iter().map(request).collect();
        o.insert(vendor("reportRequests"), Value::Array(requests));
    }
    if let Some(v) = facts.verdict {
        let answered_by = v
            .answered_by
            .as_deref()
            .filter(|id| (facts.exists)(id))
            .map(|id| urls.paper(&id_to_file_stem(id)));
        o.insert(
            vendor("verdict"),
            json!({
                "status": v.status,
                "due": v.due.map(day),
                "phrase": v.phrase,
                "days": v.days,
                "answeredBy": answered_by,
                "answeredOn": v.answered_on.map(day),
                "asOf": day(v.as_of),
                "evidence": v.evidence,
            }),
        );
    }
    if !facts.links.is_empty() {
        let links = facts
            .links
            .iter()
            .map(|l| {
                json!({
                    "motion": urls.paper(&id_to_file_stem(&l.motion)),
                    "answer": urls.paper(&id_to_file_stem(&l.answer)),
                    "score": l.score,
                    "evidence": l.evidence.iter().map(evidence).collect::<Vec<_>>(),
                })
            })
            .collect();
        o.insert(vendor("links"), Value::Array(links));
    }
}

fn request(r: &ReportRequest) -> Value {
    json!({
        "phrase": r.phrase,
        "due": r.due.map(day),
        "recurring": r.recurring,
        "period": r.period,
        "addressee": r.addressee,
    })
}

fn evidence(e: &Evidence) -> Value {
    json!({ "rule": e.rule, "detail": e.detail, "weight": e.weight })
}
