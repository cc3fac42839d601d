//! Assembling the record of one paper folder.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratsdoc_extract::Extractor;
use ratsdoc_model::{
    Consultation, ConsultationRole, FileRole, Kind, PaperFile, Record, RisOrigin, RisRelation,
    RisRelationKind, Source, SourceFormat, Submitter, SubmitterKind,
};

use crate::META_FILE;
use crate::meta::{FileMeta, PaperMeta, ResolvedConsultation};
use crate::roles::{role_by_name, role_by_text};

/// One listed file after reading: its entry in the record and, if it could
/// be read, its text.
struct ReadFile {
    entry: PaperFile,
    text: Option<String>,
    source: Option<Source>,
}

/// The record of the paper folder `dir` (shown as `display`), whose
/// metadata bytes are `meta_bytes` and whose fingerprint is `hash`.
pub fn read_paper(
    dir: &Path,
    display: &str,
    meta_bytes: &[u8],
    hash: &str,
    extractor: &Extractor,
    council: &ratsdoc_parse::Profile,
) -> Result<Record, String> {
    let meta = PaperMeta::from_slice(meta_bytes)?;
    let source = Source {
        path: display.to_string(),
        format: SourceFormat::Oparl,
        hash: hash.to_string(),
        pages: None,
        extractor: None,
        encoding: None,
    };
    let mut files: Vec<ReadFile> = meta
        .files
        .iter()
        .map(|f| read_file(dir, display, f, extractor))
        .collect();
    settle_roles(&mut files);
    let mut record = from_text(&files, source, council);
    apply_metadata(&mut record, &meta);
    for file in files.iter().filter(|f| f.entry.role == FileRole::Minutes) {
        if let Some(text) = &file.text
            && let Some(decision) = crate::decisions::decision(text, &record.id)
        {
            crate::decisions::apply(&mut record.consultations, text, &decision);
        }
    }
    record.diagnostics.extend(unlisted(dir, &meta));
    for file in &files {
        if let Some(problem) = &file.entry.problem {
            record
                .diagnostics
                .push(format!("file \"{}\": {problem}", file.entry.name));
        }
    }
    record.files = files.into_iter().map(|f| f.entry).collect();
    Ok(record)
}

/// The path of a listed local file, if its name stays inside the folder.
pub(crate) fn local_path(dir: &Path, local: &str) -> Option<PathBuf> {
    let plain = !local.is_empty()
        && local != META_FILE
        && !local.starts_with('.')
        && !local.contains(['/', '\\', '\0']);
    plain.then(|| dir.join(local))
}

fn read_file(dir: &Path, display: &str, meta: &FileMeta, extractor: &Extractor) -> ReadFile {
    let name = meta
        .name
        .as_deref()
        .or(meta.file_name.as_deref())
        .or(meta.local.as_deref())
        .map(squash)
        .unwrap_or_else(|| "(ohne Namen)".into());
    let mut entry = PaperFile {
        role: role_by_name(&name).unwrap_or(FileRole::Attachment),
        name,
        path: None,
        date: meta.date.as_deref().and_then(parse_date),
        hash: None,
        problem: None,
    };
    let Some(local) = meta.local.as_deref() else {
        entry.problem = Some(match &meta.error {
            Some(e) => format!("not fetched: {e}"),
            None => "not fetched".into(),
        });
        return ReadFile {
            entry,
            text: None,
            source: None,
        };
    };
    let (text, source) = match extract(dir, display, local, extractor) {
        Ok((text, source)) => (Some(text), Some(source)),
        Err(problem) => {
            entry.problem = Some(problem);
            (None, None)
        }
    };
    entry.path = Some(format!("{display}/{local}"));
    entry.hash = source.as_ref().map(|s| s.hash.clone());
    ReadFile {
        entry,
        text,
        source,
    }
}

fn extract(
    dir: &Path,
    display: &str,
    local: &str,
    extractor: &Extractor,
) -> Result<(String, Source), String> {
    let path = local_path(dir, local)
        .ok_or_else(|| format!("the name {local:?} leads outside the paper folder; not read"))?;
    let format = SourceFormat::from_path(&path)
        .ok_or_else(|| "not a supported type (ratsdoc reads .pdf, .txt and .md)".to_string())?;
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read: {e}"))?;
    let extracted = extractor
        .extract(&path, &bytes, format)
        .map_err(|e| e.to_string())?;
    let source = Source {
        path: format!("{display}/{local}"),
        format,
        hash: blake3::hash(&bytes).to_hex().to_string(),
        pages: extracted.pages,
        extractor: Some(extracted.extractor),
        encoding: extracted.encoding,
    };
    Ok((extracted.text, source))
}

/// Files whose name says nothing get their role from their text; if no
/// file is the paper itself, the first readable file that neither its
/// name nor its text places is taken for it (a RIS often lists the paper
/// as just "TOP 9" or by its number). A file named Anlage stays one.
fn settle_roles(files: &mut [ReadFile]) {
    let mut silent = Vec::new();
    for (i, file) in files.iter_mut().enumerate() {
        if role_by_name(&file.entry.name).is_some() {
            continue;
        }
        match file.text.as_deref().and_then(role_by_text) {
            Some(role) => file.entry.role = role,
            None if file.text.is_some() => silent.push(i),
            None => {}
        }
    }
    if files.iter().any(|f| f.entry.role == FileRole::Paper) {
        return;
    }
    if let Some(&first) = silent.first() {
        files[first].entry.role = FileRole::Paper;
    }
}

/// What the parser reads from the paper's own files: the first one gives
/// the record, later ones add requests and mentions. A paper listed with
/// only an Anlage or a Stellungnahme is read from the first of those, so
/// that its text is still searchable.
fn from_text(files: &[ReadFile], source: Source, council: &ratsdoc_parse::Profile) -> Record {
    let mut record = Record::new("", Kind::Sonstige, "", source.clone());
    let mut papers: Vec<&ReadFile> = files
        .iter()
        .filter(|f| f.entry.role == FileRole::Paper)
        .collect();
    if papers.is_empty() {
        papers.extend(
            files
                .iter()
                .find(|f| f.text.is_some() && f.entry.role != FileRole::Minutes),
        );
    }
    for (i, file) in papers.into_iter().enumerate() {
        let (Some(text), Some(file_source)) = (&file.text, &file.source) else {
            continue;
        };
        let parsed = ratsdoc_parse::parse_with(text, file_source.clone(), council);
        if i == 0 {
            record = parsed;
            record.other_sources.push(record.source.clone());
            record.source = source.clone();
        } else {
            record.report_requests.extend(parsed.report_requests);
            for m in parsed.mentions {
                if !record.mentions.contains(&m) {
                    record.mentions.push(m);
                }
            }
            record.other_sources.push(parsed.source);
        }
    }
    record
}

/// The facts the RIS keeps overrule what the text said.
fn apply_metadata(record: &mut Record, meta: &PaperMeta) {
    let paper = &meta.paper;
    let reference = paper.reference.as_deref().map(squash).unwrap_or_default();
    record.id = if reference.is_empty() {
        let key = paper.id.as_deref().unwrap_or(&record.source.hash);
        format!("oparl-{}", &blake3::hash(key.as_bytes()).to_hex()[..12])
    } else {
        reference
    };
    record.kind = crate::kinds::kind_of_paper_type(paper.paper_type.as_deref());
    record.other_reason = None;
    record.paper_type = paper
        .paper_type
        .as_deref()
        .map(squash)
        .filter(|t| !t.is_empty());
    if let Some(title) = paper.name.as_deref().map(squash).filter(|t| !t.is_empty()) {
        record.title = title;
    }
    record.date = paper.date.as_deref().and_then(parse_date).or(record.date);
    let consultations: Vec<Consultation> = meta
        .resolved
        .consultations
        .iter()
        .map(consultation)
        .collect();
    if !consultations.is_empty() {
        record.consultations = consultations;
    }
    let submitters = submitters(meta);
    if !submitters.is_empty() {
        record.submitters = submitters;
    }
    record.references.retain(|r| *r != record.id);
    record.mentions.retain(|m| m.id != record.id);
    record.ris = paper.id.clone().map(|id| RisOrigin {
        id,
        web: paper.web.clone(),
    });
    record.ris_relations = relations(meta);
}

/// OParl's `role` is free text; these words are the ones in use.
const ROLES: &[(&str, ConsultationRole)] = &[
    ("entscheidung", ConsultationRole::Entscheidung),
    ("beschluss", ConsultationRole::Entscheidung),
    ("kenntnis", ConsultationRole::Kenntnisnahme),
    ("beratung", ConsultationRole::Beratung),
    ("anhörung", ConsultationRole::Beratung),
];

fn consultation(c: &ResolvedConsultation) -> Consultation {
    let body = if c.organizations.is_empty() {
        c.meeting_name
            .as_deref()
            .map(squash)
            .unwrap_or_else(|| "(Gremium unbekannt)".into())
    } else {
        c.organizations
            .iter()
            .map(|o| squash(o))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let role_word = c.role.as_deref().unwrap_or("").to_lowercase();
    let role = ROLES
        .iter()
        .find(|(word, _)| role_word.contains(word))
        .map(|(_, role)| *role)
        .unwrap_or(if c.authoritative == Some(true) {
            ConsultationRole::Entscheidung
        } else {
            ConsultationRole::Beratung
        });
    Consultation {
        body,
        date: c.meeting_date.as_deref().and_then(parse_date),
        public: None,
        role,
        result: None,
        referred_to: None,
        votes: None,
    }
}

fn submitters(meta: &PaperMeta) -> Vec<Submitter> {
    let r = &meta.resolved;
    let organizations = r
        .originator_organizations
        .iter()
        .map(|n| (n, ratsdoc_parse::submitter_kind(n)));
    let persons = r
        .originator_persons
        .iter()
        .map(|n| (n, SubmitterKind::Member));
    let offices = r
        .under_direction_of
        .iter()
        .map(|n| (n, SubmitterKind::Administration));
    let mut out: Vec<Submitter> = Vec::new();
    for (name, kind) in organizations.chain(persons).chain(offices) {
        let name = squash(name);
        if !name.is_empty() && !out.iter().any(|s| s.name == name) {
            out.push(Submitter {
                name,
                kind,
                group: None,
            });
        }
    }
    out
}

fn relations(meta: &PaperMeta) -> Vec<RisRelation> {
    let kind_of = |word: &str| match word {
        "superordinated" => Some(RisRelationKind::Superordinated),
        "subordinated" => Some(RisRelationKind::Subordinated),
        "related" => Some(RisRelationKind::Related),
        _ => None,
    };
    let resolved: Vec<RisRelation> = meta
        .resolved
        .related
        .iter()
        .filter_map(|r| {
            Some(RisRelation {
                relation: kind_of(r.relation.as_deref()?)?,
                id: r.reference.as_deref().map(squash).filter(|s| !s.is_empty()),
                url: r.id.clone()?,
            })
        })
        .collect();
    if !resolved.is_empty() {
        return resolved;
    }
    let p = &meta.paper;
    let listed = [
        (RisRelationKind::Superordinated, &p.superordinated),
        (RisRelationKind::Subordinated, &p.subordinated),
        (RisRelationKind::Related, &p.related),
    ];
    listed
        .into_iter()
        .flat_map(|(relation, urls)| {
            urls.iter().map(move |url| RisRelation {
                relation,
                id: None,
                url: url.clone(),
            })
        })
        .collect()
}

/// Files in the folder that the metadata does not list: named, not read.
fn unlisted(dir: &Path, meta: &PaperMeta) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let listed: Vec<&str> = meta
        .files
        .iter()
        .filter_map(|f| f.local.as_deref())
        .collect();
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.') && n != META_FILE && !listed.contains(&n.as_str()))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            format!(
                "file \"{n}\" lies in the paper folder but {META_FILE} does not list it; not read"
            )
        })
        .collect()
}

/// A date as OParl writes it (`2021-11-08`, or a date-time), else `None`.
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// Whitespace (newlines inside names included) squeezed to single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
