//! The paper page (`/papers/<ID>`): every field of one record, its
//! Beratungsfolge as a timeline, its report requests with the verdict, and
//! its links in both directions with the evidence that made them.

use chrono::NaiveDate;
use maud::{Markup, html};
use ratsdoc_model::{
    Amendment, ConsultationResult, ConsultationRole, Kind, Link, MotionStatus, Record, Related,
    ReportPeriod, RisRelationKind, Source, StatusKind, SubmitterKind, Unlinked,
};

use super::{Nav, days_phrase, layout, opt_date, paper_href, paragraphs, status_badge, time};

/// Everything the paper page shows.
pub struct PaperView<'a> {
    pub record: &'a Record,
    /// Papers that answer this one (it is the motion).
    pub answered_by: Vec<&'a Link>,
    /// Motions this paper answers.
    pub answers: Vec<&'a Link>,
    pub ambiguous: Vec<&'a Unlinked>,
    /// Amendments of this paper, or the paper this amendment amends.
    pub amendments: Vec<&'a Amendment>,
    /// Other relations the RIS records.
    pub related: Vec<&'a Related>,
    /// The verdict, for a motion.
    pub status: Option<&'a MotionStatus>,
    pub as_of: NaiveDate,
    /// The title of another paper, when the data directory holds it.
    pub title_of: &'a dyn Fn(&str) -> Option<String>,
    /// The date an answer was presented, when the data directory holds it.
    pub date_of: &'a dyn Fn(&str) -> Option<NaiveDate>,
}

pub fn page(v: &PaperView<'_>) -> Markup {
    let r = v.record;
    let heading = if r.title.is_empty() {
        "(ohne Titel)"
    } else {
        r.title.as_str()
    };
    layout(
        &format!("{} {}", r.id, heading),
        Nav::None,
        html! {
            p.breadcrumb { a href="/" { "Suche" } " › " (r.id) }
            h1 {
                span.number { (r.id) }
                " "
                span.title { (heading) }
            }
            p.lead {
                span.kind { (r.kind.german()) }
                @if let Some(d) = r.effective_date() { " vom " (time(d)) }
                " · " a href={ "/api/papers/" (ratsdoc_model::number::id_to_file_stem(&r.id)) } { "als JSON" }
            }
            @if let Some(reason) = &r.other_reason {
                p.notice { "Kein Ratsdokument: " (reason) }
            }
            (what_became(r))
            (verdict(v))
            (link_section(v))
            (relations_section(v))
            (fields(r))
            (timeline(v))
            (requests(r, v.status))
            (texts(r))
            (mentions(r, v))
            (files(r))
            (sources(r))
            @if !r.diagnostics.is_empty() {
                section aria-labelledby="hinweise" {
                    h2 #hinweise { "Hinweise beim Lesen" }
                    ul { @for d in &r.diagnostics { li { (d) } } }
                }
            }
        },
    )
}

/// The clerk's answer in one sentence, at the top of a motion's page:
/// "beantwortet durch I-051/2020 — 70 Tage verspätet".
fn verdict(v: &PaperView<'_>) -> Markup {
    let Some(s) = v.status else {
        return html! {};
    };
    html! {
        section.verdict aria-labelledby="berichtsstatus" {
            h2 #berichtsstatus { "Berichtsstatus" }
            p.verdict-line {
                (status_badge(s.status))
                @if let Some(by) = &s.answered_by {
                    " beantwortet durch " a href=(paper_href(by)) { (by) }
                    @if let Some(on) = s.answered_on { " am " (time(on)) }
                }
                @if let Some(words) = days_phrase(s.status, s.days) { " — " strong { (words) } }
                @if let Some(due) = s.due { " · Frist " (time(due)) }
            }
            p.as-of { "Stand: " (time(v.as_of)) " · " a href={ "/status?id=" (ratsdoc_model::number::id_to_file_stem(&s.id)) } { "im Berichtsstatus" } }
            @if !s.evidence.is_empty() {
                details open {
                    summary { "Begründung" }
                    ul { @for e in &s.evidence { li { (e) } } }
                }
            }
        }
    }
}

fn link_section(v: &PaperView<'_>) -> Markup {
    if v.answered_by.is_empty() && v.answers.is_empty() && v.ambiguous.is_empty() {
        return html! {};
    }
    let late = |answer: &str| -> Option<String> {
        let s = v.status?;
        (s.answered_by.as_deref() == Some(answer)).then_some(())?;
        days_phrase(s.status, s.days)
    };
    html! {
        section.links aria-labelledby="verknuepfungen" {
            h2 #verknuepfungen { "Verknüpfungen" }
            ul.link-list {
                @for l in &v.answered_by {
                    li {
                        "beantwortet durch " a href=(paper_href(&l.answer)) { (l.answer) }
                        @if let Some(t) = (v.title_of)(&l.answer) { " „" (t) "“" }
                        @if let Some(d) = (v.date_of)(&l.answer) { " vom " (time(d)) }
                        @if let Some(words) = late(&l.answer) { " — " strong { (words) } }
                        (evidence(l.score, &l.evidence))
                    }
                }
                @for l in &v.answers {
                    li {
                        "beantwortet " a href=(paper_href(&l.motion)) { (l.motion) }
                        @if let Some(t) = (v.title_of)(&l.motion) { " „" (t) "“" }
                        (evidence(l.score, &l.evidence))
                    }
                }
                @for u in &v.ambiguous {
                    li {
                        "nicht eindeutig zuzuordnen: "
                        @for (i, c) in u.candidates.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(paper_href(&c.motion)) { (c.motion) }
                            " (" (format!("{:.2}", c.score)) ")"
                        }
                        " — " (u.reason)
                    }
                }
            }
        }
    }
}

/// Amendments and the RIS's other relations, each with its evidence.
fn relations_section(v: &PaperView<'_>) -> Markup {
    if v.amendments.is_empty() && v.related.is_empty() {
        return html! {};
    }
    let id = v.record.id.as_str();
    html! {
        section.links aria-labelledby="bezuege" {
            h2 #bezuege { "Änderungen und Bezüge" }
            ul.link-list {
                @for a in &v.amendments {
                    li {
                        @if a.amended == id {
                            "geändert durch " a href=(paper_href(&a.amendment)) { (a.amendment) }
                            @if let Some(t) = (v.title_of)(&a.amendment) { " „" (t) "“" }
                        } @else {
                            "ändert " a href=(paper_href(&a.amended)) { (a.amended) }
                            @if let Some(t) = (v.title_of)(&a.amended) { " „" (t) "“" }
                        }
                        (evidence(1.0_f64.min(a.evidence.iter().map(|e| e.weight).sum()), &a.evidence))
                    }
                }
                @for r in &v.related {
                    @let other = if r.from == id { &r.to } else { &r.from };
                    li {
                        (relation_words(r.relation)) " " a href=(paper_href(other)) { (other) }
                        @if let Some(t) = (v.title_of)(other) { " „" (t) "“" }
                        (evidence(1.0, &r.evidence))
                    }
                }
            }
        }
    }
}

fn relation_words(r: RisRelationKind) -> &'static str {
    match r {
        RisRelationKind::Superordinated | RisRelationKind::Subordinated => "im RIS verbunden mit",
        RisRelationKind::Related => "im RIS verwandt mit",
    }
}

/// A synced paper's files with what each is to the paper.
fn files(r: &Record) -> Markup {
    if r.files.is_empty() {
        return html! {};
    }
    html! {
        section aria-labelledby="dateien" {
            h2 #dateien { "Dateien im RIS" }
            table {
                caption.visually-hidden { "Die Dateien der Drucksache und was jede ist" }
                thead { tr { th scope="col" { "Name" } th scope="col" { "Rolle" } th scope="col" { "Datum" } th scope="col" { "Datei" } } }
                tbody {
                    @for f in &r.files {
                        tr {
                            td { (f.name) }
                            td { (f.role.german()) }
                            td { (opt_date(f.date)) }
                            td {
                                @if let Some(p) = &f.path { code { (p) } }
                                @if let Some(problem) = &f.problem { " " span.muted { (problem) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn evidence(score: f64, items: &[ratsdoc_model::Evidence]) -> Markup {
    html! {
        details.evidence {
            summary { "Belege (Sicherheit " (format!("{:.0}", score * 100.0)) " %)" }
            ul {
                @for e in items {
                    li { code { (e.rule) } ": " (e.detail) " " span.weight { "(" (format!("{:+.2}", e.weight)) ")" } }
                }
            }
        }
    }
}

fn fields(r: &Record) -> Markup {
    html! {
        section aria-labelledby="angaben" {
            h2 #angaben { "Angaben" }
            dl.fields {
                dt { "Nummer" } dd { (r.id) }
                dt { "Art" } dd { (r.kind.german()) }
                @if let Some(t) = &r.paper_type {
                    dt { "Vorlagenart im RIS" } dd { (t) }
                }
                @if let Some(ris) = &r.ris {
                    dt { "Im Ratsinformationssystem" }
                    dd { a href=(ris.web.as_deref().unwrap_or(&ris.id)) rel="external" { (ris.web.as_deref().unwrap_or(&ris.id)) } }
                }
                dt { "Gegenstand" } dd { (r.title) }
                dt { "Datum" } dd { (opt_date(r.date)) }
                dt { "Einreicher" }
                dd {
                    @if r.submitters.is_empty() { "–" }
                    ul.plain {
                        @for s in &r.submitters {
                            li {
                                (s.name)
                                @if let Some(g) = s.group.as_ref().filter(|g| **g != s.name) { " (" (g) ")" }
                                " – " span.muted { (submitter_kind(s.kind)) }
                            }
                        }
                    }
                }
                @if let Some(rec) = &r.received {
                    dt { "Eingang" }
                    dd {
                        (opt_date(rec.date))
                        @if let Some(o) = &rec.office { ", " (o) }
                        @if let Some(reg) = &rec.register { ", Registernummer " (reg) }
                    }
                }
                @if let Some(s) = &r.signatory {
                    dt { "Unterzeichnet" }
                    dd { @if s.on_behalf { "i. A. " } (s.name) }
                }
                @if let Some(c) = &r.cost_coverage {
                    dt { "Kostendeckungsvorschlag" } dd { (c) }
                }
                dt { "Erwähnte Vorlagen" }
                dd {
                    @if r.references.is_empty() { "–" }
                    @for (i, id) in r.references.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(paper_href(id)) { (id) }
                    }
                }
            }
        }
    }
}

/// The Beratungsfolge, with the receipt, the report deadline and the answer
/// placed on the same time line, so a clerk sees the order of events.
fn timeline(v: &PaperView<'_>) -> Markup {
    struct Event {
        date: Option<NaiveDate>,
        what: Markup,
    }
    let r = v.record;
    let mut events: Vec<Event> = Vec::new();
    if let Some(d) = r.received.as_ref().and_then(|x| x.date) {
        events.push(Event {
            date: Some(d),
            what: html! { strong { "Eingang" } @if let Some(o) = r.received.as_ref().and_then(|x| x.office.as_ref()) { " – " (o) } },
        });
    }
    for c in &r.consultations {
        events.push(Event {
            date: c.date,
            what: html! {
                strong { (c.body) }
                " – " (role(c.role))
                @match c.public { Some(true) => { ", öffentlich" } Some(false) => { ", nicht öffentlich" } None => {} }
                @if let Some(res) = c.result { " – Ergebnis: " (result(res)) }
                @if let Some(to) = &c.referred_to { " an " (to) }
                @if let Some(votes) = c.votes.filter(|v| !v.is_empty()) { " (" (votes.german()) ")" }
            },
        });
    }
    for q in &r.report_requests {
        if let Some(due) = q.due {
            events.push(Event {
                date: Some(due),
                what: html! { strong { "Berichtsfrist" } " – " (ratsdoc_link::quote_phrase(q.phrase.as_deref())) },
            });
        }
    }
    if let Some(s) = v.status
        && let (Some(by), Some(on)) = (&s.answered_by, s.answered_on)
    {
        events.push(Event {
            date: Some(on),
            what: html! { strong { "Bericht" } " – " a href=(paper_href(by)) { (by) } " vorgelegt" },
        });
    }
    if events.is_empty() {
        return html! {};
    }
    // Stable: undated rows keep the paper's order, after the dated ones.
    events.sort_by_key(|e| (e.date.is_none(), e.date));
    html! {
        section aria-labelledby="beratungsfolge" {
            h2 #beratungsfolge { "Beratungsfolge und Verlauf" }
            ol.timeline {
                @for e in events {
                    li {
                        span.when { @if let Some(d) = e.date { (time(d)) } @else { "ohne Datum" } }
                        " "
                        span.what { (e.what) }
                    }
                }
            }
        }
    }
}

fn requests(r: &Record, status: Option<&MotionStatus>) -> Markup {
    if r.report_requests.is_empty() {
        if r.kind == Kind::Beschlussantrag {
            return html! {
                section aria-labelledby="berichtsauftraege" {
                    h2 #berichtsauftraege { "Berichtsaufträge" }
                    p { "Der Beschlussvorschlag verlangt keinen Bericht." }
                }
            };
        }
        return html! {};
    }
    html! {
        section aria-labelledby="berichtsauftraege" {
            h2 #berichtsauftraege { "Berichtsaufträge" }
            table {
                caption.visually-hidden { "Berichtsaufträge des Beschlussvorschlags" }
                thead { tr { th scope="col" { "Formulierung" } th scope="col" { "Frist" } th scope="col" { "an" } th scope="col" { "Form" } th scope="col" { "Stand" } } }
                tbody {
                    @for q in &r.report_requests {
                        tr {
                            td {
                                (ratsdoc_link::quote_phrase(q.phrase.as_deref()))
                                @if let Some(c) = &q.condition { br; span.condition { "nur unter der Bedingung: " (c) } }
                                @if !q.sentence.is_empty() { br; span.muted { (q.sentence) } }
                            }
                            td {
                                (opt_date(q.due))
                                @if q.recurring { br; span.muted { "wiederkehrend" @if let Some(p) = q.period { ", " (period(p)) } } }
                            }
                            td { (q.addressee.as_deref().unwrap_or("–")) }
                            td { (q.form.map_or("–", Kind::german)) }
                            td {
                                @if let Some(s) = status {
                                    (status_badge(s.status))
                                    @if let Some(words) = days_phrase(s.status, s.days) { " " (words) }
                                } @else { "–" }
                            }
                        }
                    }
                }
            }
            @if let Some(s) = status.filter(|s| s.status == StatusKind::DeadlineUnresolved) {
                p.muted { "Frist nicht bestimmbar" @if let Some(p) = &s.phrase { ": „" (p) "“" } }
            }
        }
    }
}

fn texts(r: &Record) -> Markup {
    let body_heading = match r.kind {
        Kind::Other => "Text",
        _ => "Sachverhalt",
    };
    let sections = [
        (
            "Beschlussvorschlag",
            "beschlussvorschlag",
            &r.decision_proposal,
        ),
        ("Begründung", "begruendung", &r.justification),
        (body_heading, "sachverhalt", &r.body),
    ];
    html! {
        @for (heading, anchor, text) in sections {
            @if let Some(text) = text.as_ref().filter(|t| !t.trim().is_empty()) {
                section.text aria-labelledby=(anchor) {
                    h2 id=(anchor) { (heading) }
                    (paragraphs(text))
                }
            }
        }
    }
}

fn mentions(r: &Record, v: &PaperView<'_>) -> Markup {
    if r.mentions.is_empty() {
        return html! {};
    }
    html! {
        section aria-labelledby="erwaehnungen" {
            h2 #erwaehnungen { "Erwähnungen anderer Vorlagen" }
            table {
                caption.visually-hidden { "Jede Erwähnung mit dem Satz, in dem sie steht" }
                thead { tr { th scope="col" { "Vorlage" } th scope="col" { "Stelle" } th scope="col" { "Satz" } } }
                tbody {
                    @for m in &r.mentions {
                        tr {
                            td {
                                a href=(paper_href(&m.id)) { (m.id) }
                                @if let Some(t) = (v.title_of)(&m.id) { br; span.muted { (t) } }
                            }
                            td { (place(&m.place)) }
                            td { (m.sentence) }
                        }
                    }
                }
            }
        }
    }
}

fn sources(r: &Record) -> Markup {
    let all: Vec<&Source> = std::iter::once(&r.source)
        .chain(r.other_sources.iter())
        .collect();
    html! {
        section aria-labelledby="quellen" {
            h2 #quellen { "Quelldateien" }
            table {
                caption.visually-hidden { "Die Dateien, aus denen der Datensatz gelesen wurde" }
                thead { tr { th scope="col" { "Datei" } th scope="col" { "Format" } th scope="col" { "Seiten" } th scope="col" { "gelesen mit" } th scope="col" { "Prüfsumme (BLAKE3)" } } }
                tbody {
                    @for s in all {
                        tr {
                            td { code { (s.path) } }
                            td { (format!("{:?}", s.format).to_uppercase()) @if let Some(e) = &s.encoding { ", " (e) } }
                            td { (s.pages.map_or_else(|| "–".to_string(), |p| p.to_string())) }
                            td { (s.extractor.as_deref().unwrap_or("–")) }
                            td { code.hash title=(s.hash) { (s.hash.get(..16).unwrap_or(&s.hash)) "…" } }
                        }
                    }
                }
            }
        }
    }
}

fn submitter_kind(k: SubmitterKind) -> &'static str {
    match k {
        SubmitterKind::Faction => "Fraktion",
        SubmitterKind::Member => "Mitglied des Stadtrates",
        SubmitterKind::Administration => "Verwaltung",
        SubmitterKind::Other => "sonstige",
    }
}

fn role(r: ConsultationRole) -> &'static str {
    match r {
        ConsultationRole::Beratung => "Vorberatung",
        ConsultationRole::Entscheidung => "Entscheidung",
        ConsultationRole::Kenntnisnahme => "zur Kenntnis",
    }
}

fn result(r: ConsultationResult) -> &'static str {
    match r {
        ConsultationResult::Bestaetigt => "bestätigt",
        ConsultationResult::Abgelehnt => "abgelehnt",
        ConsultationResult::OhneEmpfehlung => "ohne Empfehlung",
        ConsultationResult::Vertagt => "vertagt",
        ConsultationResult::Zurueckgezogen => "zurückgezogen",
        ConsultationResult::ZurKenntnisGenommen => "zur Kenntnis genommen",
        ConsultationResult::MitAenderungen => "mit Änderungen beschlossen",
        ConsultationResult::Verwiesen => "verwiesen",
    }
}

/// "Was daraus wurde": the paper's outcome in one line, from the
/// consultation [`ratsdoc_model::outcome`] picks, with body, date, the body
/// a referral names and the vote.
fn what_became(r: &Record) -> Markup {
    let Some(c) = ratsdoc_model::outcome(&r.consultations) else {
        return html! {};
    };
    let Some(res) = c.result else {
        return html! {};
    };
    html! {
        p.outcome {
            strong { "Was daraus wurde: " }
            (result(res))
            @if let Some(to) = &c.referred_to { " an " (to) }
            " – " (c.body)
            @if let Some(d) = c.date { " am " (time(d)) }
            @if let Some(v) = c.votes.filter(|v| !v.is_empty()) { " (" (v.german()) ")" }
        }
    }
}

fn period(p: ReportPeriod) -> &'static str {
    match p {
        ReportPeriod::Monthly => "monatlich",
        ReportPeriod::Quarterly => "vierteljährlich",
        ReportPeriod::HalfYearly => "halbjährlich",
        ReportPeriod::Yearly => "jährlich",
    }
}

fn place(p: &str) -> &str {
    match p {
        "title" => "Titel",
        "opening" => "Einleitung",
        "text" => "Text",
        other => other,
    }
}
