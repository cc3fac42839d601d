//! The words of each planned paper: headers in the seeds' layouts, report
//! requests with varied deadline phrases, answers that name their motion (or
//! do not), decoys, and body text from the civic vocabulary.
//!
//! Every function here draws from the paper's own random stream, so a paper's
//! text depends only on the seed, its index and the plan.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use crate::doc::{Block, TableStyle};
use crate::plan::{AnswerStyle, Consultation, MONTHS, Paper, PaperKind, Plan, Request, Role, fill};
use crate::vocab;

fn pick<'a>(rng: &mut ChaCha8Rng, items: &'a [&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn long_date(d: NaiveDate) -> String {
    format!("{}. {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// A number the way council papers write it: "1.234", "1234", "rund 1.200".
fn count(rng: &mut ChaCha8Rng) -> String {
    let n: u32 = rng.random_range(3..25_000);
    match rng.random_range(0..4) {
        0 if n >= 1000 => format!("{}.{:03}", n / 1000, n % 1000),
        1 => format!("rund {}", (n / 100).max(1) * 100),
        _ => n.to_string(),
    }
}

fn money(rng: &mut ChaCha8Rng) -> String {
    let k: u32 = rng.random_range(5..9_000);
    match rng.random_range(0..5) {
        0 => format!("{},{} Millionen Euro", k / 1000 + 1, k % 10),
        1 => format!("{}.{:03} €", k, rng.random_range(0..1000) / 10 * 10),
        2 => format!("{}.000,00 EUR", k),
        3 => format!("rund {}.000 Euro", k),
        _ => format!("{},{} Mio. €", k / 1000, k % 1000 / 100),
    }
}

fn percent(rng: &mut ChaCha8Rng) -> String {
    let p = rng.random_range(2..95);
    match rng.random_range(0..3) {
        0 => format!("{p} Prozent"),
        1 => format!("{p} %"),
        _ => format!("{p},{} %", rng.random_range(0..10)),
    }
}

/// One body sentence; `topic` words recur so the paper is found by subject.
fn sentence(rng: &mut ChaCha8Rng, topic: &str, year: i32) -> String {
    let opener = pick(rng, vocab::OPENERS)
        .replace("{year}", &rng.random_range(year - 6..=year).to_string())
        .replace("{district}", pick(rng, vocab::DISTRICTS))
        .replace("{street}", pick(rng, vocab::STREETS));
    let noun = pick(rng, vocab::BODY_NOUNS);
    let &(verb, rest) = vocab::BODY_PREDICATES
        .choose(rng)
        .unwrap_or(&("ist", "erforderlich"));
    match rng.random_range(0..9) {
        0 => format!(
            "Für die Maßnahme werden Haushaltsmittel in Höhe von {} benötigt.",
            money(rng)
        ),
        1 => format!(
            "Im Jahr {} wurden {} Fälle erfasst, das entspricht einem Anstieg um {}.",
            rng.random_range(year - 5..=year),
            count(rng),
            percent(rng)
        ),
        2 => format!("{opener} {verb} die Arbeit zum Thema „{topic}“ {rest}."),
        3 => format!(
            "Die Fragestellung zu „{topic}“ wurde am {} im Fachausschuss beraten.",
            long_date(
                NaiveDate::from_ymd_opt(year, rng.random_range(1..=12), rng.random_range(1..=28))
                    .unwrap_or_default()
            )
        ),
        4 => format!("{opener} betrifft das Thema „{topic}“ auch {noun}."),
        5 | 6 => format!("{opener} {verb} der Bereich {noun} {rest}."),
        _ => format!("Der Bereich {noun} {verb} {rest}."),
    }
}

fn paragraphs(rng: &mut ChaCha8Rng, topic: &str, year: i32, min: usize, max: usize) -> Vec<Block> {
    let n = rng.random_range(min..=max);
    (0..n)
        .map(|_| {
            let k = rng.random_range(4..=8);
            let text: Vec<String> = (0..k).map(|_| sentence(rng, topic, year)).collect();
            Block::Para(text.join(" "))
        })
        .collect()
}

fn table_style(rng: &mut ChaCha8Rng, markdown_ok: bool) -> TableStyle {
    match rng.random_range(0..if markdown_ok { 4 } else { 3 }) {
        0 => TableStyle::Tabs,
        1 => TableStyle::Spaces,
        2 => TableStyle::Wrapped,
        _ => TableStyle::Pipe,
    }
}

/// The Beratungsfolge table of a motion, draft or amendment.
fn beratungsfolge(rng: &mut ChaCha8Rng, rows: &[Consultation], style: TableStyle) -> Block {
    let mut table: Vec<Vec<String>> =
        if matches!(style, TableStyle::Tabs | TableStyle::Wrapped) && rng.random_bool(0.7) {
            vec![
                vec![
                    "Beratungsfolge (Beiräte, Ortschaftsräte, Ausschüsse, Stadtrat)".into(),
                    "Sitzungs- termine".into(),
                    "Status".into(),
                    String::new(),
                    "Beratungsergebnis".into(),
                    String::new(),
                ],
                vec![
                    String::new(),
                    String::new(),
                    "öffentlich/ nichtöffentlich".into(),
                    "bestä- tigt".into(),
                    "abge- lehnt".into(),
                    "ohne Empfeh- lung".into(),
                ],
            ]
        } else {
            vec![vec![
                "Beratungsfolge".into(),
                "Sitzungstermin".into(),
                "Status".into(),
                "bestätigt".into(),
                "abgelehnt".into(),
                "ohne Empfehlung".into(),
            ]]
        };
    for c in rows {
        table.push(vec![
            c.body.clone(),
            dmy(c.date),
            if c.public {
                "öffentlich".into()
            } else {
                pick(rng, &["nicht öffentlich", "nichtöffentlich"]).into()
            },
            if c.confirmed {
                "X".into()
            } else {
                String::new()
            },
            String::new(),
            String::new(),
        ]);
    }
    Block::Table(table, style)
}

/// The "zur Kenntnis an" table of an information paper.
fn kenntnis(rng: &mut ChaCha8Rng, rows: &[Consultation], style: TableStyle) -> Block {
    let mut table = vec![vec![
        "zur Kenntnis an".to_string(),
        "Sitzungstermine".into(),
        "Status öffentlich/ nicht öffentlich".into(),
    ]];
    for c in rows {
        table.push(vec![
            c.body.clone(),
            dmy(c.date),
            if c.public {
                "öffentlich".into()
            } else {
                pick(rng, &["nicht öffentlich", "nichtöffentlich"]).into()
            },
        ]);
    }
    Block::Table(table, style)
}

/// `Beschlussantrag Nr. BA-044/2020`, sometimes in another spelling.
fn header_line(rng: &mut ChaCha8Rng, p: &Paper) -> String {
    let number = p
        .number
        .map(|n| {
            n.spelled(if rng.random_bool(0.85) {
                0
            } else {
                rng.random_range(2..6)
            })
        })
        .unwrap_or_default();
    if rng.random_bool(0.85) {
        format!("{} Nr. {number}", p.kind.german())
    } else {
        format!("{} {number}", p.kind.german())
    }
}

fn submitter_block(rng: &mut ChaCha8Rng, p: &Paper) -> Block {
    if p.submitters.len() > 1 && rng.random_bool(0.5) {
        Block::Lines(p.submitters.clone())
    } else {
        Block::Para(p.submitters.join(", "))
    }
}

fn stamp(rng: &mut ChaCha8Rng, p: &Paper) -> Option<Block> {
    let (date, register, office) = p.received.as_ref()?;
    let lines = if rng.random_bool(0.7) {
        vec![
            String::new(),
            format!("{register}\tEingegangen im {office} {}\t", dmy(*date)),
            format!(
                "\t{}\t{}",
                rng.random_range(100..9999),
                pick(rng, &["Käp", "Sch", "Lö", "Wi", "Bä"])
            ),
            String::new(),
        ]
    } else {
        vec![
            format!("Eingegangen: {} {office}", dmy(*date)),
            format!("Reg.-Nr.: {register}"),
        ]
    };
    Some(Block::Lines(lines))
}

fn dative(addressee: &str) -> String {
    addressee
        .strip_prefix("den ")
        .map(|s| format!("dem {s}"))
        .unwrap_or_else(|| addressee.to_string())
}

/// The decision proposal of a motion, with its report request if any.
fn proposal(
    rng: &mut ChaCha8Rng,
    p: &Paper,
    request: Option<&Request>,
    non_report_date: Option<i32>,
) -> Vec<Block> {
    let subject = &p.title;
    let mut first = match rng.random_range(0..3) {
        0 => format!(
            "Die Stadtverwaltung wird beauftragt, ein Konzept zum Thema „{subject}“ zu erarbeiten und dabei die {} einzubeziehen.",
            pick(
                rng,
                &[
                    "Ortschaftsräte",
                    "freien Träger",
                    "betroffenen Anwohnerinnen und Anwohner",
                    "Fachbeiräte"
                ]
            )
        ),
        1 => format!(
            "Die Oberbürgermeisterin wird beauftragt, die notwendigen Schritte zur Umsetzung von „{subject}“ einzuleiten."
        ),
        _ => format!(
            "Der Stadtrat spricht sich für „{subject}“ aus und beauftragt die Verwaltung, die erforderlichen Haushaltsmittel in Höhe von {} zu prüfen.",
            money(rng)
        ),
    };
    if let Some(y) = non_report_date {
        first.push_str(&format!(" Die Planung ist bis Ende {y} abzuschließen."));
    }
    let mut text = vec![first];
    if let Some(r) = request {
        let what = pick(
            rng,
            &[
                "welche Ergebnisse bisher erreicht wurden und welche weiteren Schritte geplant sind",
                "wie sich die Maßnahmen auf die Situation im Stadtgebiet ausgewirkt haben",
                "welche Kosten entstanden sind und wie sie gedeckt wurden",
                "welche Erfahrungen die beteiligten Ämter gesammelt haben",
            ],
        );
        let s = match r.shape {
            0 => format!(
                "Die Stadtverwaltung wird beauftragt, {} {} zu informieren, {what}.",
                r.addressee, r.phrase
            ),
            1 => format!(
                "Die Oberbürgermeisterin wird beauftragt, {} {} einen Bericht über den Stand der Umsetzung vorzulegen.",
                dative(&r.addressee),
                r.phrase
            ),
            2 => format!(
                "Die Verwaltung wird gebeten, {} {} über den Sachstand zu berichten, insbesondere darüber, {what}.",
                r.addressee, r.phrase
            ),
            _ => format!(
                "Über die Ergebnisse ist {} {} in Form einer Informationsvorlage zu berichten.",
                dative(&r.addressee),
                r.phrase
            ),
        };
        text.push(s);
    }
    text.into_iter().map(Block::Para).collect()
}

fn signature(rng: &mut ChaCha8Rng, p: &Paper) -> Block {
    let name = match p.kind {
        PaperKind::Motion | PaperKind::Amendment | PaperKind::Question => {
            let (g, f, _) = vocab::MEMBERS
                .choose(rng)
                .copied()
                .unwrap_or(("Anja", "Schale", true));
            format!("{g} {f}")
        }
        _ => pick(rng, vocab::OFFICIALS).to_string(),
    };
    let prefix = if rng.random_bool(0.4) { "i. A. " } else { "" };
    Block::Lines(vec![
        format!("{prefix}{name}"),
        String::new(),
        "Unterschrift".into(),
    ])
}

/// A title in another case and dash style that still names the same
/// subject after normalisation (`ASSKomm` → `ASSKOMM`, `-` → `–`).
fn title_variant(rng: &mut ChaCha8Rng, title: &str) -> String {
    let mut t = title.to_string();
    if rng.random_bool(0.5) {
        t = t.replace(" - ", " – ");
    }
    if let (Some(open), Some(close)) = (t.find('('), t.find(')'))
        && open < close
        && rng.random_bool(0.7)
    {
        let upper = t[open..close].to_uppercase();
        t.replace_range(open..close, &upper);
    }
    if rng.random_bool(0.2) {
        t = t.replacen(" im Stadtteil ", " im Stadtteil  ", 1);
    }
    t
}

/// A sentence naming another motion in passing: never evidence of an answer.
fn passing_sentence(rng: &mut ChaCha8Rng, number: &str, topic: &str) -> String {
    match rng.random_range(0..4) {
        0 => format!(
            "Auf Grund des Beschlussantrages {number} ist das Problemfeld „{topic}“ dazu gekommen."
        ),
        1 => format!(
            "Die mit dem Beschlussantrag {number} aufgeworfene Frage ist nicht Gegenstand dieser Vorlage und wird gesondert beantwortet."
        ),
        2 => format!(
            "Bereits im Zusammenhang mit dem Beschlussantrag {number} wurde über {topic} beraten."
        ),
        _ => format!(
            "Auf die Ausführungen zum Beschlussantrag {number} wird verwiesen; sie betreffen einen anderen Sachverhalt."
        ),
    }
}

/// The blocks of paper `i` of `plan`.
pub fn blocks(plan: &Plan, i: usize, rng: &mut ChaCha8Rng) -> Vec<Block> {
    let p = &plan.papers[i];
    let year = p.date.year();
    let md = p.format == crate::plan::Format::Md;
    let style = table_style(rng, md);
    let mut out = Vec::new();
    match &p.role {
        Role::Press { motion } => return press(plan, p, *motion, rng),
        Role::Motion {
            request,
            non_report_date,
        } => {
            out.extend(stamp(rng, p));
            out.push(Block::Heading(1, header_line(rng, p)));
            out.push(Block::Label("Einreicher:".into()));
            out.push(submitter_block(rng, p));
            out.push(Block::Label("Gegenstand:".into()));
            out.push(Block::Para(p.title.clone()));
            if rng.random_bool(0.7) {
                out.push(Block::Lines(vec![
                    "Kostendeckungsvorschlag:".into(),
                    "(Produktuntergruppe)".into(),
                ]));
            }
            out.push(beratungsfolge(rng, &p.consultations, style));
            out.push(Block::Label("Beschlussvorschlag:".into()));
            out.extend(proposal(rng, p, request.as_ref(), *non_report_date));
            out.push(signature(rng, p));
            out.push(Block::Label("Begründung:".into()));
            out.extend(paragraphs(rng, &p.topic, year, 3, 7));
        }
        Role::Answer {
            motion,
            style: how,
            spelling,
        } => {
            let m = &plan.papers[*motion];
            let number = m.number.map(|n| n.spelled(*spelling)).unwrap_or_default();
            let title = match how {
                AnswerStyle::NumberInTitle => match rng.random_range(0..4) {
                    0 => format!("{} ({number})", title_variant(rng, &m.title)),
                    1 => format!(
                        "Beantwortung des Beschlussantrages {number} - {}",
                        title_variant(rng, &m.title)
                    ),
                    2 => format!(
                        "Informationsvorlage zum Beschlussantrag {number}: {}",
                        m.title
                    ),
                    _ => format!("Bericht zum Beschlussantrag {number}"),
                },
                AnswerStyle::OpeningSentence if rng.random_bool(0.5) => {
                    let core = m.title.split(" - ").next().unwrap_or(&m.title);
                    format!("Umsetzung des Stadtratsbeschlusses: {core}")
                }
                _ => title_variant(rng, &m.title),
            };
            out.push(Block::Heading(1, header_line(rng, p)));
            out.push(Block::Label("Einreicher:".into()));
            out.push(submitter_block(rng, p));
            out.push(Block::Label("Gegenstand:".into()));
            out.push(Block::Para(title));
            if p.kind == PaperKind::Draft {
                out.push(beratungsfolge(rng, &p.consultations, style));
                out.push(Block::Label("Beschlussvorschlag:".into()));
                out.push(Block::Para("Der Stadtrat nimmt den Bericht der Verwaltung zur Kenntnis und beschließt die Fortführung der Maßnahmen.".into()));
            } else {
                out.push(kenntnis(rng, &p.consultations, style));
                out.push(Block::Lines(vec![
                    "An der Erarbeitung der Vorlage wurden beteiligt:".into(),
                ]));
            }
            out.push(signature(rng, p));
            out.push(Block::Heading(2, "Sachverhalt:".into()));
            let session = plan.session(*motion);
            let opening = match how {
                AnswerStyle::OpeningSentence => match rng.random_range(0..3) {
                    0 => format!(
                        "In Umsetzung des Beschlusses {number} vom {} informiert die Stadtverwaltung wie folgt.",
                        dmy(session)
                    ),
                    1 => format!(
                        "Mit dem Beschluss zum Beschlussantrag {number} wurde die Stadtverwaltung beauftragt, den Stadtrat über den Stand zu „{}“ zu informieren.",
                        m.title
                    ),
                    _ => format!(
                        "Der Stadtrat hat mit Beschluss zum Antrag {number} am {} die Verwaltung beauftragt, zu berichten. Dem wird mit dieser Vorlage entsprochen.",
                        dmy(session)
                    ),
                },
                _ => format!(
                    "Die Stadtverwaltung informiert mit dieser Vorlage zum Thema „{}“.",
                    m.topic
                ),
            };
            out.push(Block::Para(opening));
            out.push(Block::Heading(3, "1. Ausgangslage".into()));
            out.extend(paragraphs(rng, &m.topic, year, 2, 4));
            out.push(Block::Heading(3, "2. Sachstand".into()));
            out.extend(paragraphs(rng, &m.topic, year, 3, 6));
            for &other in &p.passing {
                let n = plan.papers[other]
                    .number
                    .map(|n| n.spelled(rng.random_range(0..6)))
                    .unwrap_or_default();
                let topic = pick(rng, vocab::TOPICS);
                out.push(Block::Para(passing_sentence(rng, &n, topic)));
            }
            out.push(Block::Heading(3, "3. Fazit".into()));
            out.extend(paragraphs(rng, &m.topic, year, 1, 2));
        }
        Role::NearTitle { .. } | Role::Plain if p.kind == PaperKind::Info => {
            info_header(rng, p, style, &p.title, &mut out);
            out.push(Block::Para(format!(
                "Die Verwaltung informiert über {}.",
                p.title
            )));
            out.extend(paragraphs(rng, &p.topic, year, 3, 7));
            for &other in &p.passing {
                let n = plan.papers[other]
                    .number
                    .map(|n| n.spelled(rng.random_range(0..6)))
                    .unwrap_or_default();
                let para = format!(
                    "{} {}",
                    passing_sentence(rng, &n, &plan.papers[other].title),
                    sentence(rng, &p.topic, year)
                );
                out.push(Block::Para(para));
            }
        }
        Role::EarlyOpinion { motion } => {
            let m = &plan.papers[*motion];
            let number = m.number.map(|n| n.spelled(0)).unwrap_or_default();
            let title = format!("Stellungnahme der Verwaltung zum Beschlussantrag {number}");
            info_header(rng, p, style, &title, &mut out);
            out.push(Block::Para(format!(
                "Die Verwaltung nimmt zum Beschlussantrag {number} „{}“ vor dessen Behandlung im Stadtrat wie folgt Stellung.",
                m.title
            )));
            out.extend(paragraphs(rng, &m.topic, year, 1, 3));
            out.push(Block::Para(
                "Die Verwaltung empfiehlt, den Antrag in der vorliegenden Form abzulehnen.".into(),
            ));
        }
        Role::Amendment { draft } => {
            let of = draft
                .and_then(|d| plan.papers[d].number)
                .map(|n| n.spelled(rng.random_range(0..6)));
            let mut head = header_line(rng, p);
            if let Some(of) = &of {
                head = format!("{head} zur Beschlussvorlage {of}");
            }
            out.push(Block::Heading(1, head));
            out.push(Block::Label("Einreicher:".into()));
            out.push(submitter_block(rng, p));
            out.push(Block::Label("Gegenstand:".into()));
            out.push(Block::Para(p.title.clone()));
            out.push(beratungsfolge(rng, &p.consultations, style));
            out.push(Block::Label("Beschlussvorschlag:".into()));
            out.push(Block::Para(format!(
                "Der Beschlussvorschlag wird wie folgt geändert: Punkt {} erhält folgende Fassung: „Die Verwaltung wird beauftragt, zusätzlich {} bereitzustellen.“",
                rng.random_range(1..5),
                money(rng)
            )));
            out.push(signature(rng, p));
            out.push(Block::Label("Begründung:".into()));
            out.extend(paragraphs(rng, &p.topic, year, 1, 2));
        }
        _ if p.kind == PaperKind::Question => {
            out.push(Block::Heading(1, header_line(rng, p)));
            out.push(Block::Label("Einreicher:".into()));
            out.push(submitter_block(rng, p));
            out.push(Block::Label("Gegenstand:".into()));
            out.push(Block::Para(p.title.clone()));
            let ob = if p.date < crate::plan::ymd(2020, 8, 1) {
                "die Oberbürgermeisterin"
            } else {
                "den Oberbürgermeister"
            };
            out.push(Block::Para(format!("Ich frage {ob}:")));
            let k = rng.random_range(2..=5);
            let qs: Vec<String> = (0..k)
                .map(|_| {
                    let q = pick(rng, vocab::QUESTIONS);
                    fill(rng, q, p.date)
                })
                .collect();
            out.push(Block::List(qs, true));
            if rng.random_bool(0.5) {
                out.push(Block::Label("Begründung:".into()));
                out.extend(paragraphs(rng, &p.topic, year, 1, 2));
            }
            out.push(Block::Lines(vec![format!("Chemnitz, {}", dmy(p.date))]));
        }
        _ => {
            // Draft resolution.
            out.push(Block::Heading(1, header_line(rng, p)));
            out.push(Block::Label("Einreicher:".into()));
            out.push(submitter_block(rng, p));
            out.push(Block::Label("Gegenstand:".into()));
            out.push(Block::Para(p.title.clone()));
            out.push(beratungsfolge(rng, &p.consultations, style));
            out.push(Block::Label("Beschlussvorschlag:".into()));
            out.push(Block::Para(format!(
                "Der Stadtrat beschließt: {}.",
                p.title
            )));
            out.push(Block::Label("Finanzielle Auswirkungen:".into()));
            out.push(Block::Para(format!(
                "Gesamtkosten: {}; davon Fördermittel: {}.",
                money(rng),
                money(rng)
            )));
            out.push(signature(rng, p));
            out.push(Block::Label("Begründung:".into()));
            out.extend(paragraphs(rng, &p.topic, year, 3, 6));
        }
    }
    out
}

fn info_header(
    rng: &mut ChaCha8Rng,
    p: &Paper,
    style: TableStyle,
    title: &str,
    out: &mut Vec<Block>,
) {
    out.push(Block::Heading(1, header_line(rng, p)));
    out.push(Block::Label("Einreicher:".into()));
    out.push(submitter_block(rng, p));
    out.push(Block::Label("Gegenstand:".into()));
    out.push(Block::Para(title.to_string()));
    out.push(kenntnis(rng, &p.consultations, style));
    out.push(signature(rng, p));
    out.push(Block::Heading(2, "Sachverhalt:".into()));
}

/// A press release: not a council paper, but quoting numbers and titles.
fn press(plan: &Plan, p: &Paper, motion: Option<usize>, rng: &mut ChaCha8Rng) -> Vec<Block> {
    let year = p.date.year();
    let mut out = vec![
        Block::Lines(vec!["Medieninformation".into()]),
        Block::Lines(vec![
            pick(
                rng,
                &[
                    "Stadt Chemnitz",
                    "Sächsisches Staatsministerium des Innern",
                    "Landespräventionsrat Sachsen",
                ],
            )
            .into(),
            "Pressestelle".into(),
            format!("Telefon +49 371 488-{}", rng.random_range(1000..9999)),
        ]),
        Block::Lines(vec![dmy(p.date)]),
    ];
    match motion {
        Some(m) => {
            let mp = &plan.papers[m];
            let number = mp
                .number
                .map(|n| n.spelled(rng.random_range(0..6)))
                .unwrap_or_default();
            out.push(Block::Heading(
                2,
                format!("Stadtrat beschließt: {}", mp.title),
            ));
            let mut s = format!(
                "Der Stadtrat hat in seiner Sitzung am {} den Beschlussantrag {number} „{}“ der {} beschlossen.",
                dmy(plan.session(m)),
                mp.title,
                mp.submitters
                    .first()
                    .map(String::as_str)
                    .unwrap_or("Fraktion")
            );
            if let Role::Motion {
                request: Some(r), ..
            } = &mp.role
            {
                s.push_str(&format!(" Die Verwaltung soll {} berichten.", r.phrase));
            }
            out.push(Block::Para(s));
            out.extend(paragraphs(rng, &mp.topic, year, 1, 3));
        }
        None => {
            out.push(Block::Heading(
                2,
                format!("{} – {}", p.topic, pick(rng, vocab::ASPECTS)),
            ));
            out.extend(paragraphs(rng, &p.topic, year, 2, 4));
        }
    }
    out.push(Block::Lines(vec![format!(
        "Ihr Ansprechpartner: {}",
        pick(rng, vocab::OFFICIALS)
    )]));
    out
}
