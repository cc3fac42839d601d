//! The fixture council: seven papers that carry what real OParl servers
//! send — references with `/`, `..` and spaces, two papers with one
//! reference, a paper without a reference, newlines inside names, a vendor
//! field (`STERNBERG:RIMVersion`), a location with swapped coordinates, a
//! paper without files, a deleted paper, a file only at `accessUrl`, a
//! consultation whose meeting the server does not know.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::{BASE, FileBody, Site, Version};

const BODY: &str = "/oparl/bodies/1";

fn url(path: &str) -> String {
    format!("{BASE}{BODY}/{path}")
}

/// The download path (below the base) of sample file `n`.
pub fn file_path(n: u32) -> String {
    format!("{BODY}/files/{n}/download")
}

/// The text of sample file `n`, as served.
pub fn file_text(n: u32) -> String {
    format!("Anlage {n} zur Vorlage.\nDer Gemeinderat beschließt die Satzung ({n}).\n")
}

fn file(n: u32, v: Version, file_name: Option<&str>, name: &str, mime: &str) -> Value {
    let mut f = json!({
        "id": url(&format!("files/{n}")),
        "type": format!("{}File", v.schema()),
        "name": name,
        "mimeType": mime,
        "date": "2021-11-16",
        "modified": "2021-11-16T10:00:00+01:00",
        "accessUrl": format!("{BASE}{}", file_path(n)),
        "downloadUrl": format!("{BASE}{}", file_path(n)),
    });
    if let Some(fname) = file_name {
        f["fileName"] = Value::String(fname.to_string());
    }
    f
}

fn consultation(n: u32, v: Version, meeting: &str, org: &str, role: &str) -> Value {
    json!({
        "id": url(&format!("consultations/{n}")),
        "type": format!("{}Consultation", v.schema()),
        "meeting": url(meeting),
        "organization": [url(org)],
        "role": role,
        "authoritative": true,
    })
}

fn paper(n: u32, v: Version, reference: Option<&str>, name: &str) -> Value {
    let mut p = json!({
        "id": url(&format!("papers/{n}")),
        "type": format!("{}Paper", v.schema()),
        "body": format!("{BASE}{BODY}"),
        "name": name,
        "paperType": "Beschlussvorlage",
        "date": "2021-11-16",
        "created": "2021-11-16T09:00:00+01:00",
        "modified": "2021-11-16T10:00:00+01:00",
    });
    if let Some(r) = reference {
        p["reference"] = Value::String(r.to_string());
    }
    p
}

fn papers(v: Version) -> Vec<Value> {
    let mut p1 = paper(1, v, Some("2021/1342/1"), "Hebesatzsatzung");
    p1["mainFile"] = file(
        1,
        v,
        Some("00000001.pdf"),
        "Hebesatzsatzung",
        "application/pdf",
    );
    p1["auxiliaryFile"] = json!([file(
        2,
        v,
        Some("00000002.txt"),
        "Abstimmungsergebnis\nTOP 3",
        "text/plain"
    )]);
    p1["consultation"] = json!([
        consultation(1, v, "meetings/1", "organizations/1", "Entscheidung"),
        consultation(2, v, "meetings/404", "organizations/2", "Vorberatung")
    ]);
    p1["originatorOrganization"] = json!([url("organizations/2")]);
    p1["originatorPerson"] = json!([url("persons/1")]);
    p1["underDirectionOf"] = json!([url("organizations/3")]);
    p1["superordinatedPaper"] = json!([url("papers/2")]);
    p1["relatedPaper"] = json!([url("papers/99")]);
    let mut p2 = paper(2, v, Some("2021/1342"), "Hebesatzsatzung (Hauptvorlage)");
    p2["subordinatedPaper"] = json!([url("papers/1"), url("papers/7")]);
    p2["auxiliaryFile"] = json!([file(3, v, Some("00000003.txt"), "Vorlage", "text/plain")]);
    let mut p3 = paper(3, v, Some("../../etc"), "Anfrage\nzur Sicherheit");
    p3["auxiliaryFile"] = json!([file(4, v, Some("../../passwd"), "passwd", "text/plain")]);
    let mut p4 = paper(4, v, Some("62/2007 1. Ergänzung"), "Ergänzung ohne Anlagen");
    p4["STERNBERG:RIMVersion"] = json!("5.2.1");
    p4["location"] = json!([{ "type": "https://schema.oparl.org/1.1/Location", "description": "Marktplatz", "geojson": { "type": "Point", "coordinates": [49.0094, 8.4044] } }]);
    let mut p5 = paper(5, v, Some("2020/0007"), "Zurückgezogen");
    p5["deleted"] = json!(true);
    let mut p6 = paper(6, v, None, "Mitteilung ohne Nummer");
    let mut only_access = file(5, v, None, "Anlage\n1", "text/plain");
    if let Some(o) = only_access.as_object_mut() {
        o.remove("downloadUrl");
    }
    p6["auxiliaryFile"] = json!([only_access]);
    let mut p7 = paper(7, v, Some("2021 1342 1"), "Gleiche Nummer, anderes Papier");
    p7["auxiliaryFile"] = json!([file(
        6,
        v,
        Some("00000006.txt"),
        "Stellungnahme",
        "text/plain"
    )]);
    if v == Version::V1_0 {
        p1["consultation"] = json!([url("consultations/1"), url("consultations/2")]);
    }
    vec![p1, p2, p3, p4, p5, p6, p7]
}

fn named(kind: &str, n: u32, v: Version, extra: Value) -> Value {
    let mut o = json!({ "id": url(&format!("{}s/{n}", kind.to_lowercase())), "type": format!("{}{kind}", v.schema()) });
    if let (Some(o), Some(e)) = (o.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    o
}

/// The sample site in OParl 1.1 or (with its quirks) 1.0, two papers a page.
pub fn site(v: Version) -> Site {
    let mut files = BTreeMap::new();
    files.insert(
        file_path(1),
        FileBody::Bytes(b"%PDF-1.4\n% fixture\n".to_vec(), "application/pdf"),
    );
    for n in 2..=6 {
        files.insert(
            file_path(n),
            FileBody::Bytes(file_text(n).into_bytes(), "text/plain"),
        );
    }
    let objects = if v == Version::V1_0 {
        vec![
            consultation(1, v, "meetings/1", "organizations/1", "Entscheidung"),
            consultation(2, v, "meetings/404", "organizations/2", "Vorberatung"),
        ]
    } else {
        Vec::new()
    };
    Site {
        version: v,
        body_path: BODY.to_string(),
        body_name: "Stadt Musterstadt".to_string(),
        papers: papers(v),
        meetings: vec![named(
            "Meeting",
            1,
            v,
            json!({ "name": "Gemeinderat,\n14.12.2021", "start": "2021-12-14T15:30:00+01:00" }),
        )],
        organizations: vec![
            named("Organization", 1, v, json!({ "name": "Gemeinderat" })),
            named(
                "Organization",
                2,
                v,
                json!({ "name": "CDU-Gemeinderats-\nfraktion" }),
            ),
            named("Organization", 3, v, json!({ "name": "Dezernat 4" })),
        ],
        persons: vec![named(
            "Person",
            1,
            v,
            json!({ "givenName": "Erika", "familyName": "Mustermann" }),
        )],
        objects,
        files,
        per_page: 2,
        honour_modified_since: true,
        offer_lists: true,
    }
}
