//! A paper as OParl's Paper, with its Consultations and Files embedded,
//! and ratsdoc's own knowledge (report requests, verdict, links) under the
//! vendor prefix.

use ratsdoc_model::{
    Amendment, ConsultationRole, FileRole, Link, MotionStatus, Record, RisRelationKind,
    SourceFormat,
};
use serde_json::{Map, Value, json};

use crate::list::Times;
use crate::objects::{base, day, put_list, put_text, vendor};
use crate::people::{OrgKey, committee, organizations_of, person_slug, submitting_persons};
use crate::urls::Urls;

/// Everything a Paper object is made of.
pub struct PaperFacts<'a> {
    pub record: &'a Record,
    pub times: Times,
    /// Links in which the paper is the answer or the motion.
    pub links: Vec<&'a Link>,
    /// Amendments in which it is the amendment or the amended paper.
    pub amendments: Vec<&'a Amendment>,
    /// The RIS's own relations, from either side.
    pub related: Vec<&'a ratsdoc_model::Related>,
    /// Its report-status verdict (Beschlussanträge).
    pub verdict: Option<&'a MotionStatus>,
    /// Whether the build has a paper of this id (a relation to a paper
    /// the build lacks is left out: its URL would not answer).
    pub exists: &'a dyn Fn(&str) -> bool,
    /// The size in bytes of a source file by its recorded path, if it is
    /// there to serve.
    pub size_of: &'a dyn Fn(&str) -> Option<u64>,
    /// The client asked `omit_internal=true`: no `auxiliaryFile`.
    pub omit_internal: bool,
}

/// One file of a paper, as the record names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// Its place among the paper's files: the `<n>` of its URL.
    pub n: usize,
    /// The RIS's name, or the file name.
    pub name: String,
    /// The path the record keeps (relative to where the build ran).
    pub path: String,
    /// blake3 of the bytes, hex.
    pub hash: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    /// The paper's own file (OParl `mainFile`) rather than an attachment.
    pub main: bool,
}

impl FileFacts {
    pub fn file_name(&self) -> &str {
        self.path.rsplit(['/', '\\']).next().unwrap_or(&self.path)
    }

    /// By the file name's extension; `application/octet-stream` when it
    /// names none ratsdoc knows.
    pub fn mime_type(&self) -> &'static str {
        let ext = self
            .file_name()
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        MIME_TYPES
            .iter()
            .find(|(e, _)| *e == ext)
            .map_or("application/octet-stream", |(_, m)| m)
    }
}

/// File name extension → media type.
const MIME_TYPES: [(&str, &str); 9] = [
    ("pdf", "application/pdf"),
    ("txt", "text/plain; charset=utf-8"),
    ("text", "text/plain; charset=utf-8"),
    ("md", "text/markdown; charset=utf-8"),
    ("markdown", "text/markdown; charset=utf-8"),
    ("html", "text/html"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("doc", "application/msword"),
    ("odt", "application/vnd.oasis.opendocument.text"),
];

/// The files of `record` that exist locally, in the record's order: a
/// synced paper's files (the first Drucksache is the main file), else the
/// source and the other files that held the same paper.
pub fn paper_files(record: &Record) -> Vec<FileFacts> {
    if record.source.format == SourceFormat::Oparl || !record.files.is_empty() {
        let main = record.files.iter().position(|f| f.role == FileRole::Paper);
        return record
            .files
            .iter()
            .enumerate()
            .filter_map(|(n, f)| {
                Some(FileFacts {
                    n,
                    name: f.name.clone(),
                    path: f.path.clone()?,
                    hash: f.hash.clone(),
                    date: f.date,
                    main: Some(n) == main,
                })
            })
            .collect();
    }
    std::iter::once(&record.source)
        .chain(&record.other_sources)
        .enumerate()
        .map(|(n, s)| FileFacts {
            n,
            name: String::new(),
            path: s.path.clone(),
            hash: Some(s.hash.clone()),
            date: record.date,
            main: n == 0,
        })
        .collect()
}

/// The text ratsdoc read from the paper: its sections, in reading order.
fn paper_text(record: &Record) -> String {
    [
        &record.decision_proposal,
        &record.justification,
        &record.body,
    ]
    .into_iter()
    .flatten()
    .map(|s| s.trim())
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("\n\n")
}

/// A File of a paper. The main file at its own URL (`with_text`) carries
/// the paper's text; embedded in a Paper it does not, so that a list page
/// of a hundred papers stays a few hundred kilobytes rather than megabytes.
pub fn file_object(
    urls: &Urls,
    record: &Record,
    file: &FileFacts,
    times: Times,
    size: Option<u64>,
    with_text: bool,
) -> Value {
    let stem = record.file_stem();
    let mut o = base(&urls.file(&stem, file.n), "File", times);
    let name = if file.name.trim().is_empty() {
        file.file_name()
    } else {
        &file.name
    };
    put_text(&mut o, "name", name);
    put_text(&mut o, "fileName", file.file_name());
    o.insert("mimeType".into(), json!(file.mime_type()));
    if let Some(d) = file.date {
        o.insert("date".into(), json!(day(d)));
    }
    if let Some(size) = size {
        o.insert("size".into(), json!(size));
    }
    if file.main && with_text {
        put_text(&mut o, "text", &paper_text(record));
    }
    o.insert(
        "accessUrl".into(),
        json!(urls.file_bytes(&stem, file.n, "access")),
    );
    o.insert(
        "downloadUrl".into(),
        json!(urls.file_bytes(&stem, file.n, "download")),
    );
    o.insert("paper".into(), json!([urls.paper(&stem)]));
    if let Some(hash) = &file.hash {
        put_text(&mut o, &vendor("blake3"), hash);
    }
    Value::Object(o)
}

/// The German word of a consultation's role, as RIS list it.
fn role_word(role: ConsultationRole) -> &'static str {
    match role {
        ConsultationRole::Beratung => "Beratung",
        ConsultationRole::Entscheidung => "Entscheidung",
        ConsultationRole::Kenntnisnahme => "Kenntnisnahme",
    }
}

/// The slug of the meeting of `body` on `date`: one per body and day.
pub fn meeting_slug(body: &str, date: chrono::NaiveDate) -> String {
    let body = body.trim();
    crate::urls::slug(
        &format!("{body} {}", day(date)),
        &format!("meeting|{body}|{date}"),
    )
}

/// Row `n` of the paper's Beratungsfolge.
pub fn consultation_object(urls: &Urls, record: &Record, n: usize, times: Times) -> Option<Value> {
    let c = record.consultations.get(n)?;
    let stem = record.file_stem();
    let mut o = base(&urls.consultation(&stem, n), "Consultation", times);
    o.insert("paper".into(), json!(urls.paper(&stem)));
    if let Some(date) = c.date
        && !c.body.trim().is_empty()
    {
        o.insert(
            "meeting".into(),
            json!(urls.object("meeting", &meeting_slug(&c.body, date))),
        );
    }
    if !c.body.trim().is_empty() {
        o.insert(
            "organization".into(),
            json!([urls.object("organization", &committee(&c.body).slug())]),
        );
    }
    o.insert(
        "authoritative".into(),
        json!(c.role == ConsultationRole::Entscheidung),
    );
    o.insert("role".into(), json!(role_word(c.role)));
    if let Some(public) = c.public {
        o.insert(vendor("public"), json!(public));
    }
    if let Some(result) = c.result {
        o.insert(vendor("result"), json!(result));
    }
    Some(Value::Object(o))
}

fn org_urls(urls: &Urls, keys: &[OrgKey]) -> Vec<Value> {
    keys.iter()
        .map(|k| json!(urls.object("organization", &k.slug())))
        .collect()
}

/// The Paper object.
pub fn paper_object(urls: &Urls, facts: &PaperFacts<'_>) -> Value {
    let r = facts.record;
    let stem = r.file_stem();
    let mut o = base(&urls.paper(&stem), "Paper", facts.times);
    o.insert("body".into(), json!(urls.body()));
    put_text(&mut o, "name", &r.title);
    put_text(&mut o, "reference", &r.id);
    if let Some(d) = r.date {
        o.insert("date".into(), json!(day(d)));
    }
    put_text(
        &mut o,
        "paperType",
        r.paper_type.as_deref().unwrap_or(r.kind.german()),
    );
    put_relations(urls, facts, &mut o);
    put_files(urls, facts, &mut o);
    let persons = submitting_persons(r)
        .iter()
        .map(|n| json!(urls.object("person", &person_slug(n))))
        .collect();
    put_list(&mut o, "originatorPerson", persons);
    // The signatory signs for the administration or the group; OParl has
    // no field for that, and `originatorPerson` would make them a submitter.
    if let Some(s) = r.signatory.as_ref().filter(|s| !s.name.trim().is_empty()) {
        o.insert(
            vendor("signatory"),
            json!(urls.object("person", &person_slug(&s.name))),
        );
    }
    let orgs = organizations_of(r);
    put_list(
        &mut o,
        "underDirectionOf",
        org_urls(urls, &orgs.under_direction),
    );
    put_list(
        &mut o,
        "originatorOrganization",
        org_urls(urls, &orgs.originators),
    );
    let consultations = (0..r.consultations.len())
        .filter_map(|n| consultation_object(urls, r, n, facts.times))
        .collect();
    put_list(&mut o, "consultation", consultations);
    // The RIS's own page where the paper came from one, else ratsdoc's.
    let web = r.ris.as_ref().and_then(|ris| ris.web.clone());
    put_text(
        &mut o,
        "web",
        &web.unwrap_or_else(|| urls.paper_page(&stem)),
    );
    crate::extension::put_extensions(urls, facts, &mut o);
    Value::Object(o)
}

/// `mainFile` and `auxiliaryFile`.
fn put_files(urls: &Urls, facts: &PaperFacts<'_>, o: &mut Map<String, Value>) {
    let mut auxiliary = Vec::new();
    for file in paper_files(facts.record) {
        let size = (facts.size_of)(&file.path);
        let object = file_object(urls, facts.record, &file, facts.times, size, false);
        if file.main {
            o.insert("mainFile".into(), object);
        } else if !facts.omit_internal {
            auxiliary.push(object);
        }
    }
    put_list(o, "auxiliaryFile", auxiliary);
}

/// `relatedPaper` (answer ↔ motion links and the RIS's relations, both
/// ways), `superordinatedPaper` / `subordinatedPaper` (amendments).
fn put_relations(urls: &Urls, facts: &PaperFacts<'_>, o: &mut Map<String, Value>) {
    let id = facts.record.id.as_str();
    let mut related: Vec<&str> = Vec::new();
    let mut superordinated: Vec<&str> = Vec::new();
    let mut subordinated: Vec<&str> = Vec::new();
    for l in &facts.links {
        related.push(if l.answer == id { &l.motion } else { &l.answer });
    }
    for a in &facts.amendments {
        if a.amendment == id {
            superordinated.push(&a.amended);
        } else {
            subordinated.push(&a.amendment);
        }
    }
    for r in &facts.related {
        let (other, forward) = if r.from == id {
            (&r.to, true)
        } else {
            (&r.from, false)
        };
        let list = match (r.relation, forward) {
            (RisRelationKind::Related, _) => &mut related,
            (RisRelationKind::Superordinated, true) | (RisRelationKind::Subordinated, false) => {
                &mut superordinated
            }
            _ => &mut subordinated,
        };
        list.push(other);
    }
    for (field, mut ids) in [
        ("relatedPaper", related),
        ("superordinatedPaper", superordinated),
        ("subordinatedPaper", subordinated),
    ] {
        ids.retain(|other| *other != id && (facts.exists)(other));
        ids.sort_unstable();
        ids.dedup();
        let list = ids
            .iter()
            .map(|other| json!(urls.paper(&ratsdoc_model::number::id_to_file_stem(other))))
            .collect();
        put_list(o, field, list);
    }
}
