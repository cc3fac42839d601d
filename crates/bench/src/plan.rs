//! The plan of a corpus: which papers exist, when, with which numbers, titles
//! and relations — decided before a single byte is written.
//!
//! Planning is sequential and draws from one seeded ChaCha stream, so the
//! same seed always yields the same plan. Rendering (text, Markdown, PDF)
//! then runs in parallel, each paper with its own stream derived from the
//! seed and its index, so parallelism cannot change a byte.
//!
//! Numbers are handed out last, in date order per prefix and year, the way a
//! council office registers papers: an answer therefore always carries a
//! later number than its motion, and numbers go beyond 999 in busy years at
//! large N, as real Anfrage registers do.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

use crate::truth::{Truth, TruthDecoy, TruthLink, TruthMotion};
use crate::vocab;

/// First day papers are dated.
pub fn archive_start() -> NaiveDate {
    ymd(2005, 1, 3)
}

/// The fixed as-of date of the ground truth; no paper is dated after it.
pub fn as_of() -> NaiveDate {
    ymd(2025, 6, 30)
}

/// A date from constant parts; an impossible date (a bug) falls back to the
/// archive's start rather than panicking.
pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Last day of month `m` of year `y`.
pub fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1).pred_opt().unwrap_or_default()
}

/// A count from two to twelve as the text writes it, as a word.
fn number_word(n: u32) -> String {
    const WORDS: [&str; 11] = [
        "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
    ];
    n.checked_sub(2)
        .and_then(|i| WORDS.get(i as usize))
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// The name ("Herbst 2022", "Winter 2022/2023") and the last day of a
/// meteorological season: the first one ending on or after `from`, then
/// `skip` more. Frühjahr ends with May, Sommer with August, Herbst with
/// November, Winter with February of the next year.
fn next_season(from: NaiveDate, skip: usize) -> (String, NaiveDate) {
    let mut ends: Vec<(NaiveDate, String)> = (from.year() - 1..=from.year() + 2)
        .flat_map(|y| {
            [
                (month_end(y, 5), format!("Frühjahr {y}")),
                (month_end(y, 8), format!("Sommer {y}")),
                (month_end(y, 11), format!("Herbst {y}")),
                (month_end(y + 1, 2), format!("Winter {y}/{}", y + 1)),
            ]
        })
        .filter(|(end, _)| *end >= from)
        .collect();
    ends.sort();
    let (end, name) = ends.into_iter().nth(skip).unwrap_or_else(|| {
        (
            month_end(from.year() + 1, 11),
            format!("Herbst {}", from.year() + 1),
        )
    });
    (name, end)
}

fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

fn sub_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

/// What kind of document a planned file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperKind {
    Motion,
    Info,
    Draft,
    Question,
    Amendment,
    /// Press release or news item: not a council paper.
    Press,
}

impl PaperKind {
    pub fn prefix(self) -> &'static str {
        match self {
            PaperKind::Motion => "BA",
            PaperKind::Info => "I",
            PaperKind::Draft => "B",
            PaperKind::Question => "A",
            PaperKind::Amendment => "ÄA",
            PaperKind::Press => "",
        }
    }

    /// The `kind` value of the record contract.
    pub fn contract(self) -> &'static str {
        match self {
            PaperKind::Motion => "beschlussantrag",
            PaperKind::Info => "informationsvorlage",
            PaperKind::Draft => "beschlussvorlage",
            PaperKind::Question => "anfrage",
            PaperKind::Amendment => "aenderungsantrag",
            PaperKind::Press => "other",
        }
    }

    /// The German heading of the paper.
    pub fn german(self) -> &'static str {
        match self {
            PaperKind::Motion => "Beschlussantrag",
            PaperKind::Info => "Informationsvorlage",
            PaperKind::Draft => "Beschlussvorlage",
            PaperKind::Question => "Anfrage",
            PaperKind::Amendment => "Änderungsantrag",
            PaperKind::Press => "Medieninformation",
        }
    }
}

/// A paper number: prefix, sequence, year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number {
    pub prefix: &'static str,
    pub seq: u16,
    pub year: i32,
}

impl Number {
    /// `BA-044/2020`: the canonical spelling of the contract.
    pub fn canonical(&self) -> String {
        format!("{}-{:03}/{}", self.prefix, self.seq, self.year)
    }

    /// One of the spellings real text uses for the same paper.
    pub fn spelled(&self, style: u8) -> String {
        match style % 6 {
            0 | 1 => self.canonical(),
            2 => format!("{} {:03}/{}", self.prefix, self.seq, self.year),
            3 => format!("{}–{:03}/{}", self.prefix, self.seq, self.year),
            _ => format!("{}-{}/{}", self.prefix, self.seq, self.year),
        }
    }
}

/// File format of a planned paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Txt,
    Md,
    Pdf,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Pdf => "pdf",
        }
    }
}

/// One row of a Beratungsfolge or "zur Kenntnis an" table.
#[derive(Debug, Clone)]
pub struct Consultation {
    pub body: String,
    pub date: NaiveDate,
    pub public: bool,
    /// "bestätigt" is marked (only for sessions in the past).
    pub confirmed: bool,
}

/// How a motion words its report request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The deadline phrase exactly as it appears in the text.
    pub phrase: String,
    pub due: Option<NaiveDate>,
    pub recurring: bool,
    /// `den Stadtrat` or `den <committee>`.
    pub addressee: String,
    /// The committee, when the report goes to one.
    pub committee: Option<String>,
    /// Sentence shape (0..4).
    pub shape: u8,
}

/// How an answer shows which motion it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerStyle {
    NumberInTitle,
    OpeningSentence,
    TitleOnly,
}

impl AnswerStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStyle::NumberInTitle => "number_in_title",
            AnswerStyle::OpeningSentence => "opening_sentence",
            AnswerStyle::TitleOnly => "title_only",
        }
    }
}

/// What a paper is about, beyond its kind.
#[derive(Debug, Clone)]
pub enum Role {
    /// A motion, maybe with a report request.
    Motion {
        request: Option<Request>,
        /// A date in the proposal that orders no report ("die Planung bis
        /// Ende 2022 abzuschließen").
        non_report_date: Option<i32>,
    },
    /// The report a motion asked for.
    Answer {
        motion: usize,
        style: AnswerStyle,
        spelling: u8,
    },
    /// An information paper on the same subject core as `motion` but another
    /// aspect.
    NearTitle { motion: usize },
    /// A written opinion on `motion`, dated before its session.
    EarlyOpinion { motion: usize },
    /// A press release quoting `motion` by number and title.
    Press { motion: Option<usize> },
    /// Draft resolution, question, unrelated info paper.
    Plain,
    /// An amendment to the draft resolution at index `draft`.
    Amendment { draft: Option<usize> },
}

/// One planned paper.
#[derive(Debug, Clone)]
pub struct Paper {
    pub kind: PaperKind,
    pub number: Option<Number>,
    pub title: String,
    /// Topic words the body repeats, so search finds the paper by its subject.
    pub topic: String,
    pub submitters: Vec<String>,
    /// Receipt stamp: date, register number, office.
    pub received: Option<(NaiveDate, String, &'static str)>,
    pub consultations: Vec<Consultation>,
    /// The paper's main date (first consultation, or receipt, or release).
    pub date: NaiveDate,
    pub role: Role,
    /// Motions this paper mentions in passing (never evidence of an answer).
    pub passing: Vec<usize>,
    pub format: Format,
    /// Path relative to the corpus directory.
    pub path: String,
}

/// The whole plan: papers in file order, and the ground truth.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    pub papers: Vec<Paper>,
}

/// Knobs of the generator.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub papers: usize,
    pub seed: u64,
    /// Share of papers written as PDF, 0.0..=1.0.
    pub pdf_share: f64,
}

fn days_between(a: NaiveDate, b: NaiveDate) -> u64 {
    (b - a).num_days().max(0) as u64
}

fn random_date(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    add_days(from, rng.random_range(0..=days_between(from, to)))
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &'a [&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
const ORDINAL: [&str; 4] = ["ersten", "zweiten", "dritten", "vierten"];
pub const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// Topics with an acronym in mixed case, the `ASSKomm`/`ASSKOMM` trap.
const ACRONYM_TOPICS: &[(&str, &str)] = &[
    ("Allianz Sichere Sächsische Kommunen", "ASSKomm"),
    ("Integriertes Stadtentwicklungskonzept", "InSEK"),
    ("Kommunaler Präventionsrat", "KomPR"),
    ("Städtebaulicher Denkmalschutz", "SDSch"),
    ("Soziale Stadt Sonnenberg", "SoSta"),
    ("Lokaler Aktionsplan", "LAPlan"),
];

/// Makes motion titles: unique, varied, sometimes `<core> – <aspect>`.
struct Titles {
    used: HashSet<String>,
}

impl Titles {
    fn norm(t: &str) -> String {
        t.to_lowercase()
    }

    /// Returns (title, core, aspect index if any, topic words).
    fn motion(&mut self, rng: &mut ChaCha8Rng) -> (String, String, Option<usize>, String) {
        for attempt in 0..64 {
            let (title, core, aspect, topic) = Self::draw(rng, attempt > 40);
            if self.used.insert(Self::norm(&title)) {
                return (title, core, aspect, topic);
            }
        }
        // Dense corner: make it unique by the attempt counter.
        let (title, core, aspect, topic) = Self::draw(rng, true);
        let title = format!("{title} ({})", self.used.len());
        self.used.insert(Self::norm(&title));
        (title, core, aspect, topic)
    }

    fn draw(rng: &mut ChaCha8Rng, wide: bool) -> (String, String, Option<usize>, String) {
        let district = pick(rng, vocab::DISTRICTS);
        let measure = pick(rng, vocab::MEASURES);
        let object = pick(rng, vocab::OBJECTS);
        let topic = pick(rng, vocab::TOPICS);
        let street = pick(rng, vocab::STREETS);
        let shape = rng.random_range(0..if wide { 7 } else { 6 });
        let with_aspect = |rng: &mut ChaCha8Rng, core: String| {
            let a = rng.random_range(0..vocab::ASPECTS.len());
            (format!("{core} - {}", vocab::ASPECTS[a]), core, Some(a))
        };
        let (title, core, aspect) = match shape {
            0 => {
                let core = format!("{measure} {object} im Stadtteil {district}");
                (core.clone(), core, None)
            }
            1 => {
                let prep = if street.ends_with("straße")
                    || street.ends_with("Straße")
                    || street.ends_with("allee")
                {
                    "an der"
                } else {
                    "am"
                };
                let core = format!("{measure} {object} {prep} {street}");
                (core.clone(), core, None)
            }
            // Topic titles name a district or a year, as real ones do; a bare
            // "<topic> - <aspect>" would repeat one core across hundreds of
            // motions at 100,000 papers, far denser than any archive.
            2 => {
                let core = if rng.random_bool(0.5) {
                    format!("{topic} im Stadtteil {district}")
                } else {
                    format!("{topic} {}", rng.random_range(2005..=2025))
                };
                with_aspect(rng, core)
            }
            3 => {
                let &(long, short) = ACRONYM_TOPICS.choose(rng).unwrap_or(&ACRONYM_TOPICS[0]);
                let years = ["Ein Jahr", "Zwei Jahre", "Fünf Jahre", "Zehn Jahre"];
                let core = format!("{} {long} ({short}) in {district}", pick(rng, &years));
                with_aspect(rng, core)
            }
            4 => {
                let core = format!("{topic} für den Stadtteil {district}");
                (core.clone(), core, None)
            }
            5 => with_aspect(rng, format!("{measure} {object} {district}")),
            _ => with_aspect(rng, format!("{topic} {district}: {measure} {object}")),
        };
        let words = core.clone();
        (title, core, aspect, words)
    }
}

/// The report request of a motion, from its session date.
fn plan_request(rng: &mut ChaCha8Rng, session: NaiveDate, single_session: bool) -> Option<Request> {
    let committee = if rng.random_bool(0.25) {
        Some(pick(rng, vocab::COMMITTEES).to_string())
    } else {
        None
    };
    let addressee = match &committee {
        Some(c) => format!("den {c}"),
        None => "den Stadtrat".to_string(),
    };
    let shape = rng.random_range(0..4u8);
    let y = session.year();
    let roll = rng.random_range(0..100);
    let (phrase, due, recurring) = match roll {
        0..=14 => return None,
        15..=34 => {
            // A quarter 1..4 quarters after the session's.
            let ahead = rng.random_range(1..=4);
            let idx = (y * 4 + quarter_of(session) as i32 - 1) + ahead;
            let (qy, q) = (idx / 4, (idx % 4) as u32 + 1);
            let due = month_end(qy, q * 3);
            let phrase = match rng.random_range(0..4) {
                0 | 1 => format!("im {}. Quartal {qy}", ROMAN[q as usize - 1]),
                2 => format!("im {q}. Quartal {qy}"),
                _ => format!("im {} Quartal {qy}", ORDINAL[q as usize - 1]),
            };
            (phrase, Some(due), false)
        }
        35..=49 => {
            let months = rng.random_range(3..=15);
            let idx = y * 12 + session.month() as i32 - 1 + months;
            let due = if rng.random_bool(0.7) {
                month_end(idx / 12, (idx % 12) as u32 + 1)
            } else {
                ymd(idx / 12, (idx % 12) as u32 + 1, 15)
            };
            let phrase = match rng.random_range(0..3) {
                0 => format!("bis zum {}", due.format("%d.%m.%Y")),
                1 => format!("bis spätestens {}", due.format("%d.%m.%Y")),
                _ => format!("zum {}", due.format("%d.%m.%Y")),
            };
            (phrase, Some(due), false)
        }
        50..=59 => {
            let dy = if session.month() >= 9 {
                y + 1
            } else {
                y + rng.random_range(0..=1)
            };
            let phrase = match rng.random_range(0..3) {
                0 => format!("bis Ende {dy}"),
                1 => format!("bis Ende des Jahres {dy}"),
                _ => format!("bis zum Jahresende {dy}"),
            };
            (phrase, Some(month_end(dy, 12)), false)
        }
        60..=67 => {
            let idx = y * 2 + if session.month() <= 6 { 1 } else { 2 } + rng.random_range(0..2);
            let (hy, h) = (idx / 2, (idx % 2) as u32 + 1);
            let due = month_end(hy, h * 6);
            let phrase = match rng.random_range(0..3) {
                0 => format!(
                    "im {} Halbjahr {hy}",
                    if h == 1 { "ersten" } else { "zweiten" }
                ),
                1 => format!("im {}. Halbjahr {hy}", ROMAN[h as usize - 1]),
                _ => format!(
                    "bis Ende des {} Halbjahres {hy}",
                    if h == 1 { "ersten" } else { "zweiten" }
                ),
            };
            (phrase, Some(due), false)
        }
        68..=74 => {
            let months = rng.random_range(4..=14);
            let idx = y * 12 + session.month() as i32 - 1 + months;
            let (my, m) = (idx / 12, (idx % 12) as u32 + 1);
            let phrase = format!(
                "spätestens in der Sitzung im {} {my}",
                MONTHS[m as usize - 1]
            );
            (phrase, Some(month_end(my, m)), false)
        }
        75..=81 if single_session => {
            // A quarter named without its year: the next one after the session.
            let own = quarter_of(session);
            let q = (own % 4) + 1 + rng.random_range(0..2u32);
            let q = (q - 1) % 4 + 1;
            let qy = if q > own { y } else { y + 1 };
            (
                format!("bis Ende des {q}. Quartals"),
                Some(month_end(qy, q * 3)),
                false,
            )
        }
        75..=88 => {
            let phrase = *["halbjährlich", "jährlich", "quartalsweise"]
                .choose(rng)
                .unwrap_or(&"jährlich");
            (phrase.to_string(), None, true)
        }
        89..=93 => {
            // A span counted from the decision, the council's session.
            let (phrase, due) = match rng.random_range(0..4) {
                0 => {
                    let n = *[3u32, 6, 9, 12].choose(rng).unwrap_or(&6);
                    let phrase = format!(
                        "innerhalb von {} Monaten nach Beschlussfassung",
                        number_word(n)
                    );
                    (phrase, session.checked_add_months(Months::new(n)))
                }
                1 => {
                    let n = rng.random_range(2..=12);
                    let phrase = format!("binnen {n} Monaten");
                    (phrase, session.checked_add_months(Months::new(n)))
                }
                2 => {
                    let n = *[4u32, 6, 8].choose(rng).unwrap_or(&6);
                    let phrase = format!("innerhalb von {} Wochen", number_word(n));
                    (phrase, Some(add_days(session, u64::from(n) * 7)))
                }
                _ => (
                    "innerhalb eines Jahres nach Beschlussfassung".to_string(),
                    session.checked_add_months(Months::new(12)),
                ),
            };
            (phrase, due, false)
        }
        94..=96 => {
            // A season that ends at least a month after the session.
            let (name, end) = next_season(add_days(session, 31), rng.random_range(0..3usize));
            let phrase = match rng.random_range(0..3) {
                0 => format!("im {name}"),
                1 => format!("bis zum {name}"),
                _ => format!("spätestens im {name}"),
            };
            (phrase, Some(end), false)
        }
        _ => {
            let phrase = *["zeitnah", "umgehend"].choose(rng).unwrap_or(&"zeitnah");
            (phrase.to_string(), None, false)
        }
    };
    Some(Request {
        phrase,
        due,
        recurring,
        addressee,
        committee,
        shape,
    })
}

fn faction_submitters(rng: &mut ChaCha8Rng) -> Vec<String> {
    match rng.random_range(0..10) {
        0..=5 => vec![pick(rng, vocab::FACTIONS).to_string()],
        6 | 7 => {
            let a = pick(rng, vocab::FACTIONS);
            let mut b = pick(rng, vocab::FACTIONS);
            while b == a {
                b = pick(rng, vocab::FACTIONS);
            }
            vec![a.to_string(), b.to_string()]
        }
        _ => {
            let n = rng.random_range(1..=3);
            vocab::MEMBERS
                .choose_multiple(rng, n)
                .map(|(g, f, female)| {
                    format!(
                        "{} {g} {f}",
                        if *female { "Stadträtin" } else { "Stadtrat" }
                    )
                })
                .collect()
        }
    }
}

fn admin_submitter(rng: &mut ChaCha8Rng, date: NaiveDate) -> Vec<String> {
    let unit = pick(rng, &vocab::ADMIN_UNITS[..6]);
    if rng.random_bool(0.15) {
        // Chemnitz had a female mayor until mid-2020.
        let ob = if date < ymd(2020, 8, 1) {
            "Oberbürgermeisterin"
        } else {
            "Oberbürgermeister"
        };
        vec![ob.to_string()]
    } else {
        vec![unit.to_string()]
    }
}

/// A motion's Beratungsfolge: maybe a committee first, then the council.
fn motion_consultations(rng: &mut ChaCha8Rng, received: NaiveDate) -> Vec<Consultation> {
    let session = add_days(received, rng.random_range(14..100));
    let mut rows = Vec::new();
    if rng.random_bool(0.3) {
        rows.push(Consultation {
            body: pick(rng, vocab::COMMITTEES).to_string(),
            date: sub_days(session, rng.random_range(7..21)),
            public: false,
            confirmed: false,
        });
    }
    rows.push(Consultation {
        body: "Stadtrat".to_string(),
        date: session,
        public: true,
        confirmed: false,
    });
    for row in &mut rows {
        row.confirmed = row.date < as_of() && rng.random_bool(0.5);
    }
    rows
}

/// Rows an information paper is presented to, starting at `first`.
fn info_consultations(
    rng: &mut ChaCha8Rng,
    first: NaiveDate,
    committee: Option<&str>,
) -> Vec<Consultation> {
    let mut rows = Vec::new();
    let body = match committee {
        Some(c) => Some(c.to_string()),
        None if rng.random_bool(0.6) => Some(pick(rng, vocab::COMMITTEES).to_string()),
        None => None,
    };
    let mut date = first;
    if let Some(body) = body {
        rows.push(Consultation {
            body,
            date,
            public: false,
            confirmed: false,
        });
        date = add_days(date, rng.random_range(5..21));
    }
    if committee.is_none() || rng.random_bool(0.5) {
        rows.push(Consultation {
            body: "Stadtrat".to_string(),
            date,
            public: true,
            confirmed: false,
        });
    }
    rows
}

/// Plans a corpus of exactly `params.papers` files.
pub fn plan(params: Params) -> Plan {
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let n = params.papers;
    let mut papers: Vec<Paper> = Vec::with_capacity(n);
    let mut titles = Titles {
        used: HashSet::new(),
    };
    let last_motion = ymd(2025, 3, 31);

    // Motions first: 16 % of the corpus (at least one in a tiny corpus).
    let n_motions = ((n as f64 * 0.16).round() as usize).clamp(usize::from(n > 0), n);
    let mut cores: Vec<(String, Option<usize>)> = Vec::with_capacity(n_motions);
    for _ in 0..n_motions {
        let received = random_date(&mut rng, archive_start(), last_motion);
        let consultations = motion_consultations(&mut rng, received);
        let session = consultations.last().map(|c| c.date).unwrap_or(received);
        let request = plan_request(&mut rng, session, consultations.len() == 1);
        let non_report_date =
            (request.is_none() && rng.random_bool(0.5)).then(|| session.year() + 1);
        let (title, core, aspect, topic) = titles.motion(&mut rng);
        cores.push((core, aspect));
        let register = format!("A-{:03}/{}", rng.random_range(1..400), received.year());
        papers.push(Paper {
            kind: PaperKind::Motion,
            number: None,
            title,
            topic,
            submitters: faction_submitters(&mut rng),
            received: rng
                .random_bool(0.75)
                .then(|| (received, register, pick(&mut rng, vocab::OFFICES))),
            consultations,
            date: received,
            role: Role::Motion {
                request,
                non_report_date,
            },
            passing: Vec::new(),
            format: Format::Txt,
            path: String::new(),
        });
    }

    // What each motion's title says once framing words are gone; papers
    // that answer nothing stay off these, or a clerk would link them.
    let motion_keys: HashSet<String> = papers
        .iter()
        .map(|p| ratsdoc_link::subject_key(&p.title))
        .collect();

    // Answers, late answers, never-answered motions, and the decoys around them.
    let budget = n.saturating_sub(papers.len());
    let mut extra: Vec<Paper> = Vec::new();
    for m in 0..n_motions {
        if extra.len() >= budget {
            break;
        }
        let motion = &papers[m];
        let session = motion
            .consultations
            .last()
            .map(|c| c.date)
            .unwrap_or(motion.date);
        let Role::Motion {
            request: Some(req), ..
        } = &motion.role
        else {
            continue;
        };
        let fate = rng.random_range(0..100);
        let answer_date = match req.due {
            Some(due) => {
                let earliest = add_days(session, 30);
                if fate < 45 && earliest <= due {
                    Some(random_date(&mut rng, earliest, due))
                } else if fate < 75 {
                    Some(add_days(due.max(earliest), rng.random_range(1..240)))
                } else {
                    None
                }
            }
            None if fate < 60 => Some(add_days(session, rng.random_range(45..300))),
            None => None,
        };
        // Late answers after the as-of date do not exist yet.
        if let Some(date) = answer_date.filter(|d| *d <= as_of()) {
            let style = match rng.random_range(0..100) {
                0..=34 => AnswerStyle::NumberInTitle,
                35..=64 => AnswerStyle::OpeningSentence,
                _ => AnswerStyle::TitleOnly,
            };
            // A motion that asks for an Informationsvorlage is answered by
            // one: a Beschlussvorlage would leave its request open.
            let kind = if rng.random_bool(0.1) && style != AnswerStyle::TitleOnly && req.shape != 3
            {
                PaperKind::Draft
            } else {
                PaperKind::Info
            };
            let committee = req.committee.clone();
            let consultations = info_consultations(&mut rng, date, committee.as_deref());
            let passing = if rng.random_bool(0.2) && m > 0 {
                vec![rng.random_range(0..n_motions)]
                    .into_iter()
                    .filter(|&p| p != m)
                    .collect()
            } else {
                Vec::new()
            };
            extra.push(Paper {
                kind,
                number: None,
                title: String::new(), // rendered from the motion's title
                topic: motion.topic.clone(),
                submitters: admin_submitter(&mut rng, date),
                received: None,
                consultations,
                date,
                role: Role::Answer {
                    motion: m,
                    style,
                    spelling: rng.random_range(0..6),
                },
                passing,
                format: Format::Txt,
                path: String::new(),
            });
        }
        // Near-identical title on another aspect, some time after the motion.
        let (core, aspect) = &cores[m];
        if let Some(a) = aspect
            && rng.random_bool(0.15)
        {
            let mut other = rng.random_range(0..vocab::ASPECTS.len());
            if other == *a {
                other = (other + 1) % vocab::ASPECTS.len();
            }
            // Another aspect, never another motion's title in other words
            // ("X im Stadtteil Y – Sachstand der Umsetzung" is the motion
            // "X für den Stadtteil Y" to a clerk).
            for _ in 0..vocab::ASPECTS.len() {
                let title = format!("{core} - {}", vocab::ASPECTS[other]);
                if other != *a && !motion_keys.contains(&ratsdoc_link::subject_key(&title)) {
                    break;
                }
                other = (other + 1) % vocab::ASPECTS.len();
            }
            let title = format!("{core} - {}", vocab::ASPECTS[other]);
            let date = add_days(session, rng.random_range(20..400));
            if date <= as_of() && titles.used.insert(Titles::norm(&title)) {
                let consultations = info_consultations(&mut rng, date, None);
                extra.push(Paper {
                    kind: PaperKind::Info,
                    number: None,
                    title,
                    topic: motion.topic.clone(),
                    submitters: admin_submitter(&mut rng, date),
                    received: None,
                    consultations,
                    date,
                    role: Role::NearTitle { motion: m },
                    passing: Vec::new(),
                    format: Format::Txt,
                    path: String::new(),
                });
            }
        }
        // A written opinion dated before the motion's session.
        if rng.random_bool(0.03) {
            let date = sub_days(session, rng.random_range(3..14));
            let consultations = vec![Consultation {
                body: "Stadtrat".to_string(),
                date,
                public: true,
                confirmed: false,
            }];
            extra.push(Paper {
                kind: PaperKind::Info,
                number: None,
                title: String::new(),
                topic: motion.topic.clone(),
                submitters: admin_submitter(&mut rng, date),
                received: None,
                consultations,
                date,
                role: Role::EarlyOpinion { motion: m },
                passing: Vec::new(),
                format: Format::Txt,
                path: String::new(),
            });
        }
        // A press release about the council's decision, quoting the number.
        if rng.random_bool(0.08) {
            let date = add_days(session, rng.random_range(1..4)).min(as_of());
            extra.push(press(date, Some(m), &motion.topic));
        }
    }
    extra.truncate(budget);
    papers.extend(extra);

    // The rest: draft resolutions, questions, amendments, unrelated
    // information papers (some mentioning motions in passing), press.
    let mut drafts: Vec<usize> = papers
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PaperKind::Draft)
        .map(|(i, _)| i)
        .collect();
    while papers.len() < n {
        let date = random_date(&mut rng, archive_start(), as_of());
        let roll = rng.random_range(0..100);
        let paper = match roll {
            0..=37 => {
                let template = pick(&mut rng, vocab::DRAFT_TITLES);
                let title = fill(&mut rng, template, date);
                let first = sub_days(date, rng.random_range(0..30));
                let mut rows = Vec::new();
                if rng.random_bool(0.3) {
                    rows.push(Consultation {
                        body: pick(&mut rng, vocab::LOCAL_BODIES).to_string(),
                        date: first,
                        public: true,
                        confirmed: true,
                    });
                }
                rows.push(Consultation {
                    body: pick(&mut rng, vocab::COMMITTEES).to_string(),
                    date: add_days(first, rng.random_range(7..14)),
                    public: rng.random_bool(0.5),
                    confirmed: true,
                });
                rows.push(Consultation {
                    body: "Stadtrat".to_string(),
                    date: add_days(first, rng.random_range(21..35)),
                    public: true,
                    confirmed: rng.random_bool(0.8),
                });
                drafts.push(papers.len());
                let topic = title.clone();
                Paper {
                    kind: PaperKind::Draft,
                    number: None,
                    title,
                    topic,
                    submitters: admin_submitter(&mut rng, date),
                    received: None,
                    date: rows[0].date,
                    consultations: rows,
                    role: Role::Plain,
                    passing: Vec::new(),
                    format: Format::Txt,
                    path: String::new(),
                }
            }
            38..=85 => {
                let template = pick(&mut rng, vocab::QUESTIONS);
                let title = fill(&mut rng, template, date)
                    .trim_end_matches('?')
                    .to_string();
                let (g, f, female) = vocab::MEMBERS
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or(("Anja", "Schale", true));
                let who = format!("{} {g} {f}", if female { "Stadträtin" } else { "Stadtrat" });
                let topic = title.clone();
                Paper {
                    kind: PaperKind::Question,
                    number: None,
                    title,
                    topic,
                    submitters: vec![who, pick(&mut rng, vocab::FACTIONS).to_string()],
                    received: None,
                    consultations: Vec::new(),
                    date,
                    role: Role::Plain,
                    passing: Vec::new(),
                    format: Format::Txt,
                    path: String::new(),
                }
            }
            86..=89 => {
                let draft = drafts.choose(&mut rng).copied();
                let title = draft
                    .map(|d| papers[d].title.clone())
                    .unwrap_or_else(|| fill(&mut rng, "Fortschreibung {topic}", date));
                let date = draft.map(|d| papers[d].date.max(date)).unwrap_or(date);
                let topic = title.clone();
                Paper {
                    kind: PaperKind::Amendment,
                    number: None,
                    title,
                    topic,
                    submitters: faction_submitters(&mut rng),
                    received: None,
                    consultations: vec![Consultation {
                        body: "Stadtrat".to_string(),
                        date: add_days(date, 7).min(as_of()),
                        public: true,
                        confirmed: false,
                    }],
                    date,
                    role: Role::Amendment { draft },
                    passing: Vec::new(),
                    format: Format::Txt,
                    path: String::new(),
                }
            }
            90..=97 => {
                let topic = pick(&mut rng, vocab::TOPICS);
                let annual = format!("Jahresbericht {} – {topic}", date.year() - 1);
                let title = match rng.random_range(0..4) {
                    0 => annual.clone(),
                    1 => format!("Sachstandsbericht {topic} {}", date.year()),
                    2 => format!("{topic}: Ergebnisse der Evaluation {}", date.year() - 1),
                    _ => format!(
                        "Information zum Stand {topic} im Stadtteil {}",
                        pick(&mut rng, vocab::DISTRICTS)
                    ),
                };
                // An unrelated paper never repeats a motion's title in other
                // words: "Sachstandsbericht Carsharing 2024" is the report on
                // the motion "Carsharing 2024 – Sachstand der Umsetzung".
                let title = if motion_keys.contains(&ratsdoc_link::subject_key(&title)) {
                    annual
                } else {
                    title
                };
                let motions_before = n_motions.min(papers.len());
                let passing = if motions_before > 0 && rng.random_bool(0.4) {
                    vec![rng.random_range(0..motions_before)]
                } else {
                    Vec::new()
                };
                let consultations = info_consultations(&mut rng, date, None);
                Paper {
                    kind: PaperKind::Info,
                    number: None,
                    title,
                    topic: topic.to_string(),
                    submitters: admin_submitter(&mut rng, date),
                    received: None,
                    consultations,
                    date,
                    role: Role::Plain,
                    passing,
                    format: Format::Txt,
                    path: String::new(),
                }
            }
            _ => press(date, None, pick(&mut rng, vocab::TOPICS)),
        };
        papers.push(paper);
    }

    // Formats: a share of PDFs, the rest text or Markdown.
    for p in &mut papers {
        p.format = if rng.random_bool(params.pdf_share.clamp(0.0, 1.0)) {
            Format::Pdf
        } else if rng.random_bool(0.4) {
            Format::Md
        } else {
            Format::Txt
        };
    }
    assign_numbers(&mut papers);
    Plan {
        seed: params.seed,
        papers,
    }
}

fn press(date: NaiveDate, motion: Option<usize>, topic: &str) -> Paper {
    Paper {
        kind: PaperKind::Press,
        number: None,
        title: String::new(),
        topic: topic.to_string(),
        submitters: Vec::new(),
        received: None,
        consultations: Vec::new(),
        date,
        role: Role::Press { motion },
        passing: Vec::new(),
        format: Format::Txt,
        path: String::new(),
    }
}

/// Fills `{district}`, `{topic}`, … in a template.
pub fn fill(rng: &mut ChaCha8Rng, template: &str, date: NaiveDate) -> String {
    let mut out = template.to_string();
    let slots: [(&str, &[&str]); 7] = [
        ("{district}", vocab::DISTRICTS),
        ("{street}", vocab::STREETS),
        ("{measure}", vocab::MEASURES),
        ("{object}", vocab::OBJECTS),
        ("{topic}", vocab::TOPICS),
        ("{noun}", vocab::BODY_NOUNS),
        (
            "{office}",
            &[
                "Ordnungsamt",
                "Jugendamt",
                "Sozialamt",
                "Tiefbauamt",
                "Grünflächenamt",
                "Bürgeramt",
            ],
        ),
    ];
    for (slot, words) in slots {
        while let Some(at) = out.find(slot) {
            let w = pick(rng, words);
            out.replace_range(at..at + slot.len(), w);
        }
    }
    out.replace("{year}", &date.year().to_string())
        .replace("{yy}", &format!("{:02}", date.year() % 100))
        .replace("{n}", &rng.random_range(1..60).to_string())
        .replace("{half}", &rng.random_range(1..=2).to_string())
}

/// Numbers in date order per prefix and year; paths in date order, by year.
fn assign_numbers(papers: &mut [Paper]) {
    let mut order: Vec<usize> = (0..papers.len()).collect();
    order.sort_by_key(|&i| (papers[i].date, i));
    let mut next: BTreeMap<(&'static str, i32), u16> = BTreeMap::new();
    for (pos, &i) in order.iter().enumerate() {
        let p = &mut papers[i];
        if p.kind != PaperKind::Press {
            let year = p.date.year();
            let seq = next.entry((p.kind.prefix(), year)).or_insert(0);
            *seq = seq.saturating_add(1);
            p.number = Some(Number {
                prefix: p.kind.prefix(),
                seq: *seq,
                year,
            });
        }
        p.path = format!("{}/{:07}.{}", p.date.year(), pos, p.format.ext());
    }
}

impl Plan {
    /// The motion's canonical id.
    pub fn id(&self, i: usize) -> String {
        self.papers[i]
            .number
            .map(|n| n.canonical())
            .unwrap_or_default()
    }

    /// The motion's session: its last consultation (the council's).
    pub fn session(&self, i: usize) -> NaiveDate {
        let p = &self.papers[i];
        p.consultations.last().map(|c| c.date).unwrap_or(p.date)
    }

    /// The ground truth, without the per-file facts (added after writing).
    pub fn truth(&self, params: Params) -> Truth {
        let mut links = Vec::new();
        let mut answered: BTreeMap<usize, (String, NaiveDate)> = BTreeMap::new();
        let mut decoys = Vec::new();
        for (i, p) in self.papers.iter().enumerate() {
            match &p.role {
                Role::Answer { motion, style, .. } => {
                    links.push(TruthLink {
                        motion: self.id(*motion),
                        answer: self.id(i),
                        evidence: style.as_str().to_string(),
                    });
                    answered.insert(*motion, (self.id(i), p.date));
                }
                Role::NearTitle { motion } => decoys.push(TruthDecoy {
                    id: self.id(i),
                    trap: "near_title".into(),
                    imitates: self.id(*motion),
                }),
                Role::EarlyOpinion { motion } => decoys.push(TruthDecoy {
                    id: self.id(i),
                    trap: "early_opinion".into(),
                    imitates: self.id(*motion),
                }),
                Role::Press { motion: Some(m) } => decoys.push(TruthDecoy {
                    id: p.path.clone(),
                    trap: "press_release".into(),
                    imitates: self.id(*m),
                }),
                _ => {}
            }
            if !matches!(p.role, Role::Answer { .. }) {
                for &m in &p.passing {
                    decoys.push(TruthDecoy {
                        id: if p.number.is_some() {
                            self.id(i)
                        } else {
                            p.path.clone()
                        },
                        trap: "number_in_passing".into(),
                        imitates: self.id(m),
                    });
                }
            }
        }
        links.sort();
        let as_of = as_of();
        let mut motions = Vec::new();
        for (i, p) in self.papers.iter().enumerate() {
            let Role::Motion { request, .. } = &p.role else {
                continue;
            };
            let answer = answered.get(&i).cloned();
            let (status, days) = match request {
                None => (Some("no_report_requested"), None),
                Some(r) if r.recurring => (None, None),
                Some(r) => match (r.due, &answer) {
                    (None, None) => (Some("deadline_unresolved"), None),
                    (None, Some(_)) => (None, None),
                    (Some(due), Some((_, on))) if *on <= due => (Some("answered_on_time"), None),
                    (Some(due), Some((_, on))) => {
                        (Some("answered_late"), Some((*on - due).num_days()))
                    }
                    (Some(due), None) if due < as_of => {
                        (Some("overdue"), Some((as_of - due).num_days()))
                    }
                    (Some(due), None) => (Some("pending"), Some((due - as_of).num_days())),
                },
            };
            motions.push(TruthMotion {
                id: self.id(i),
                title: p.title.clone(),
                phrase: request.as_ref().map(|r| r.phrase.clone()),
                due: request.as_ref().and_then(|r| r.due),
                recurring: request.as_ref().is_some_and(|r| r.recurring),
                answered_by: answer.as_ref().map(|a| a.0.clone()),
                answered_on: answer.as_ref().map(|a| a.1),
                status: status.map(str::to_string),
                days,
            });
        }
        motions.sort_by(|a, b| a.id.cmp(&b.id));
        Truth {
            generator: crate::truth::GENERATOR_VERSION,
            seed: params.seed,
            papers: params.papers,
            pdf_share: params.pdf_share,
            as_of,
            files: Vec::new(),
            links,
            motions,
            decoys,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_end_as_the_parser_reads_them() {
        let from = ymd(2022, 9, 15);
        assert_eq!(
            next_season(from, 0),
            ("Herbst 2022".to_string(), ymd(2022, 11, 30))
        );
        assert_eq!(
            next_season(from, 1),
            ("Winter 2022/2023".to_string(), ymd(2023, 2, 28))
        );
        assert_eq!(
            next_season(ymd(2023, 12, 10), 0),
            ("Winter 2023/2024".to_string(), ymd(2024, 2, 29))
        );
        assert_eq!(
            next_season(ymd(2024, 3, 1), 2),
            ("Herbst 2024".to_string(), ymd(2024, 11, 30))
        );
    }

    #[test]
    fn counts_are_written_as_words() {
        assert_eq!(number_word(6), "sechs");
        assert_eq!(number_word(12), "zwölf");
        assert_eq!(number_word(14), "14");
    }
}
