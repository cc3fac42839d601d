//! Council profiles: what one council's papers print that another
//! council's papers print differently — the kind words of the heading
//! line, the numbering of each register, the bodies of the Beratungsfolge,
//! the public/non-public wording, and the groups of each electoral term.
//!
//! A profile is a TOML file (`profiles/chemnitz.toml` is the model).
//! Chemnitz and Karlsruhe are built in; Chemnitz is the default, so
//! [`crate::parse`] reads a Chemnitz paper exactly as it always did. A
//! profile is compiled once into regular expressions and tables; a file
//! that cannot be read, is no valid TOML, names an unknown kind or prefix,
//! or holds a pattern that does not compile gets a [`ProfileError`] that
//! names the field.

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use ratsdoc_model::{Kind, PaperNumber, Prefix};
use regex::Regex;
use serde::Deserialize;

/// The profiles shipped inside the binary, by name.
const BUILT_IN: &[(&str, &str)] = &[
    ("chemnitz", include_str!("../profiles/chemnitz.toml")),
    ("karlsruhe", include_str!("../profiles/karlsruhe.toml")),
];

/// The profile used when none is chosen.
pub const DEFAULT_PROFILE: &str = "chemnitz";

static CHEMNITZ: LazyLock<Profile> = LazyLock::new(|| {
    // The built-in file is part of the source and tested; should it ever
    // fail to compile, an empty-handed profile would lose every paper, so a
    // test (`built_in_profiles_compile`) keeps it from being shipped.
    #[allow(clippy::expect_used)]
    Profile::from_toml(BUILT_IN[0].1).expect("the built-in Chemnitz profile compiles")
});

/// Why a profile cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(
        "no council profile named {name:?}; built in: {known}; or give the path of a .toml file"
    )]
    Unknown { name: String, known: String },
    #[error("cannot read the council profile {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the council profile is not valid: {0}")]
    Syntax(String),
    #[error("the council profile is not valid: {field}: {reason}")]
    Field { field: String, reason: String },
}

fn field_error(field: &str, reason: impl Into<String>) -> ProfileError {
    ProfileError::Field {
        field: field.into(),
        reason: reason.into(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: String,
    city: String,
    headings: HeadingsFile,
    numbering: NumberingFile,
    consultations: ConsultationsFile,
    groups: GroupsFile,
    #[serde(default)]
    answers: Option<AnswersFile>,
    #[serde(default)]
    terms: Vec<TermFile>,
}

/// `[answers]`: the city's answers to Anfragen, published as one document
/// with question and answer (see `answer.rs`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    registers: Vec<String>,
    lead: Vec<String>,
    openings: Vec<String>,
    greetings: Vec<String>,
    dated: Vec<String>,
    #[serde(default)]
    addressed: Vec<String>,
    #[serde(default)]
    offices: Vec<String>,
}

/// The compiled `[answers]` rules.
#[derive(Debug, Clone)]
pub(crate) struct AnswerRules {
    pub registers: Vec<Prefix>,
    pub lead: Regex,
    pub opening: Regex,
    pub greeting: Regex,
    pub dated: Regex,
    /// The salutation that names the council member who asked; `None`
    /// when the profile names none.
    pub addressed: Option<Regex>,
    /// Names in a salutation that are offices, not the member who asked
    /// ("Sehr geehrte Frau Oberbürgermeisterin" opens the question itself).
    pub offices: Option<Regex>,
}

impl AnswerRules {
    fn compile(file: &AnswersFile) -> Result<AnswerRules, ProfileError> {
        let registers = file
            .registers
            .iter()
            .map(|p| {
                Prefix::from_loose(p).ok_or_else(|| {
                    field_error("answers.registers", format!("prefix {p:?} is unknown"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let anchored = |field: &str, parts: &[String]| {
            compile(field, &format!("(?i)^(?:{})", alternatives(field, parts)?))
        };
        Ok(AnswerRules {
            registers,
            lead: anchored("answers.lead", &file.lead)?,
            opening: compile(
                "answers.openings",
                &format!(
                    "(?i)(?:{})",
                    alternatives("answers.openings", &file.openings)?
                ),
            )?,
            greeting: anchored("answers.greetings", &file.greetings)?,
            dated: compile(
                "answers.dated",
                &format!("(?i)^(?:{})", alternatives("answers.dated", &file.dated)?),
            )?,
            addressed: optional(&file.addressed, |parts| {
                anchored("answers.addressed", parts)
            })?,
            offices: optional(&file.offices, |parts| {
                compile(
                    "answers.offices",
                    &format!("(?i)^(?:{})$", alternatives("answers.offices", parts)?),
                )
            })?,
        })
    }
}

impl AnswerRules {
    /// What a dated line ("vom 12. März 2022", "Chemnitz, den …") says
    /// the date is; `None` for any other line.
    pub fn dated_text<'l>(&self, line: &'l str) -> Option<&'l str> {
        first_capture(&self.dated.captures(line)?)
    }

    /// The name the salutation of a line gives the member who asked,
    /// unless it names an office.
    pub fn addressee<'l>(&self, line: &'l str) -> Option<&'l str> {
        let name = first_capture(&self.addressed.as_ref()?.captures(line)?)?.trim();
        let office = self.offices.as_ref().is_some_and(|o| o.is_match(name));
        (!office && !name.is_empty()).then_some(name)
    }
}

/// The first group that took part in a match: each alternative of a
/// profile's pattern list has its own.
fn first_capture<'t>(c: &regex::Captures<'t>) -> Option<&'t str> {
    c.iter().skip(1).flatten().next().map(|m| m.as_str())
}

/// A pattern list the profile may leave empty: `None` then.
fn optional(
    parts: &[String],
    compile: impl FnOnce(&[String]) -> Result<Regex, ProfileError>,
) -> Result<Option<Regex>, ProfileError> {
    if parts.is_empty() {
        Ok(None)
    } else {
        compile(parts).map(Some)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadingsFile {
    #[serde(default)]
    qualifiers: Vec<String>,
    window: usize,
    window_with_labels: usize,
    words: Vec<HeadingWord>,
    /// Whether the title is the line after the number line, where the
    /// council's papers have no Betreff/Gegenstand label.
    #[serde(default)]
    title_after_number: bool,
    /// The kind of a paper that has a number label ("Vorlage Nr.:") but
    /// no heading word: for councils whose administration prints none.
    #[serde(default)]
    unheaded: Option<Kind>,
    /// The kind of an unnumbered document without heading that carries a
    /// motion's parts (submitters and a decision proposal): a motion
    /// copied to a faction's website.
    #[serde(default)]
    motion_copy: Option<Kind>,
    /// How the first line after a title begins (the table, a list).
    #[serde(default)]
    title_ends: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadingWord {
    word: String,
    kind: Kind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NumberingFile {
    registers: Vec<RegisterFile>,
    labels: Vec<String>,
    /// How many lines from the top a pattern number is looked for.
    #[serde(default = "default_number_window")]
    window: usize,
}

fn default_number_window() -> usize {
    40
}

/// One register: either a prefix of the prefix-sequence/year numbering
/// (`BA-044/2020`) or a pattern whose match is the paper's reference as
/// printed (`2021/1342/1`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterFile {
    prefix: Option<String>,
    pattern: Option<String>,
    kind: Option<Kind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsultationsFile {
    bodies: Vec<String>,
    public: Vec<String>,
    not_public: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupsFile {
    designators: Vec<String>,
    #[serde(default)]
    cut: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFile {
    from: String,
    to: String,
    groups: Vec<GroupFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

/// A register read by pattern: its match is the paper's id.
#[derive(Debug, Clone)]
pub struct PatternRegister {
    pub pattern: Regex,
    /// The kind a number of this register stands for, if it tells one.
    pub kind: Option<Kind>,
}

/// One electoral term and its groups: canonical name and the comparison
/// keys of all its spellings.
#[derive(Debug, Clone)]
pub struct Term {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub groups: Vec<(String, Vec<String>)>,
}

/// A compiled council profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub(crate) heading: Regex,
    pub(crate) heading_kinds: Vec<(String, Kind)>,
    pub(crate) heading_window: usize,
    pub(crate) heading_window_with_labels: usize,
    pub(crate) title_after_number: bool,
    pub(crate) unheaded: Option<Kind>,
    pub(crate) motion_copy: Option<Kind>,
    pub(crate) title_end: Option<Regex>,
    pub(crate) prefixes: Vec<(Prefix, Kind)>,
    pub(crate) patterns: Vec<PatternRegister>,
    pub(crate) number_window: usize,
    pub(crate) number_line: Regex,
    /// A number label inside a line, with its colon ("Ortschaftsrat
    /// Grötzingen  Vorlage Nr.: 210").
    pub(crate) number_label: Regex,
    pub(crate) paper_date: Regex,
    pub(crate) city_date: Regex,
    pub(crate) body_start: Regex,
    pub(crate) public: Regex,
    pub(crate) not_public: Regex,
    pub(crate) designators: Vec<String>,
    pub(crate) cuts: Vec<String>,
    pub(crate) terms: Vec<Term>,
    pub(crate) answers: Option<AnswerRules>,
}

/// Alternatives joined into one group: `a|b|c`.
fn alternatives(field: &str, parts: &[String]) -> Result<String, ProfileError> {
    if parts.is_empty() {
        return Err(field_error(field, "the list is empty"));
    }
    for p in parts {
        Regex::new(p).map_err(|e| field_error(field, format!("{p:?} is no valid pattern: {e}")))?;
    }
    Ok(parts.join("|"))
}

fn compile(field: &str, source: &str) -> Result<Regex, ProfileError> {
    Regex::new(source).map_err(|e| field_error(field, e.to_string()))
}

fn date(field: &str, s: &str) -> Result<NaiveDate, ProfileError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| field_error(field, format!("{s:?} is no date (YYYY-MM-DD)")))
}

impl Profile {
    /// The built-in Chemnitz profile, the default.
    pub fn chemnitz() -> &'static Profile {
        &CHEMNITZ
    }

    /// The council's electoral terms with their groups, oldest first as
    /// the profile lists them.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The names of the built-in profiles.
    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(name, _)| *name).collect()
    }

    /// A built-in profile by name, or a profile file by path (anything
    /// that ends in `.toml` or holds a path separator).
    pub fn load(name_or_path: &str) -> Result<Profile, ProfileError> {
        let looks_like_path = name_or_path.ends_with(".toml") || name_or_path.contains(['/', '\\']);
        if looks_like_path {
            let text = std::fs::read_to_string(Path::new(name_or_path)).map_err(|source| {
                ProfileError::Read {
                    path: name_or_path.to_string(),
                    source,
                }
            })?;
            return Profile::from_toml(&text);
        }
        let wanted = name_or_path.trim().to_lowercase();
        match BUILT_IN.iter().find(|(name, _)| *name == wanted) {
            Some((_, text)) => Profile::from_toml(text),
            None => Err(ProfileError::Unknown {
                name: name_or_path.to_string(),
                known: Profile::built_in_names().join(", "),
            }),
        }
    }

    /// Compiles a profile from its TOML text.
    pub fn from_toml(text: &str) -> Result<Profile, ProfileError> {
        let file: ProfileFile =
            toml::from_str(text).map_err(|e| ProfileError::Syntax(e.to_string()))?;
        let h = &file.headings;
        if h.words.is_empty() {
            return Err(field_error("headings.words", "the list is empty"));
        }
        let words: Vec<String> = h.words.iter().map(|w| regex::escape(&w.word)).collect();
        let qualifiers = if h.qualifiers.is_empty() {
            String::new()
        } else {
            format!(
                r"(?:(?:{})\s+)?",
                alternatives("headings.qualifiers", &h.qualifiers)?
            )
        };
        let heading = compile(
            "headings",
            &format!(r"(?i)^{qualifiers}({})\b(.*)$", words.join("|")),
        )?;
        let heading_kinds = h
            .words
            .iter()
            .map(|w| (w.word.to_lowercase(), w.kind))
            .collect();
        let (prefixes, patterns) = registers(&file.numbering.registers)?;
        let city = regex::escape(&file.city.to_lowercase());
        let c = &file.consultations;
        Ok(Profile {
            name: file.name.clone(),
            heading,
            heading_kinds,
            heading_window: h.window,
            heading_window_with_labels: h.window_with_labels,
            title_after_number: h.title_after_number,
            unheaded: h.unheaded,
            motion_copy: h.motion_copy,
            title_end: if h.title_ends.is_empty() {
                None
            } else {
                Some(compile(
                    "headings.title_ends",
                    &format!(
                        "(?i)^(?:{})",
                        alternatives("headings.title_ends", &h.title_ends)?
                    ),
                )?)
            },
            prefixes,
            patterns,
            number_window: file.numbering.window,
            number_line: compile(
                "numbering.labels",
                &format!(
                    r"(?i)^\s*(?:{})\.?\s*:?\s*",
                    alternatives("numbering.labels", &file.numbering.labels)?
                ),
            )?,
            number_label: compile(
                "numbering.labels",
                &format!(
                    r"(?i)(?:^|\s)(?:{})\.?\s*:\s*",
                    alternatives("numbering.labels", &file.numbering.labels)?
                ),
            )?,
            paper_date: compile(
                "city",
                &format!(
                    r"(?i)^\s*(?:{city}|datum)\s*[,:]?\s*(?:den\s+)?(\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{4}}|\d{{1,2}}\.\s*\p{{L}}+\s+\d{{4}})\s*$"
                ),
            )?,
            city_date: compile("city", &format!(r"(?i)^{city},?\s+(?:den\s+)?\d"))?,
            body_start: compile(
                "consultations.bodies",
                &format!(
                    r"(?i)^(?:der\s+|die\s+|das\s+)?(?:{})",
                    alternatives("consultations.bodies", &c.bodies)?
                ),
            )?,
            public: compile(
                "consultations.public",
                &format!(
                    r"(?i)\b(?:{})(?:\b|$)",
                    alternatives("consultations.public", &c.public)?
                ),
            )?,
            not_public: compile(
                "consultations.not_public",
                &format!(
                    r"(?i)\b(?:{})(?:\b|$)",
                    alternatives("consultations.not_public", &c.not_public)?
                ),
            )?,
            designators: file
                .groups
                .designators
                .iter()
                .map(|d| d.to_lowercase())
                .collect(),
            cuts: file.groups.cut.iter().map(|c| c.to_lowercase()).collect(),
            terms: Vec::new(),
            answers: file.answers.as_ref().map(AnswerRules::compile).transpose()?,
        })
        .and_then(|mut profile| {
            profile.terms = terms(&file.terms, &profile)?;
            Ok(profile)
        })
    }

    /// The kind a heading word names.
    pub(crate) fn kind_of_word(&self, word: &str) -> Kind {
        let w = word.to_lowercase();
        self.heading_kinds
            .iter()
            .find(|(known, _)| *known == w)
            .map_or(Kind::Other, |(_, kind)| *kind)
    }

    /// The kind a Chemnitz-style number's prefix stands for in this
    /// council; `None` for a register the council does not use.
    pub fn kind_of_prefix(&self, prefix: Prefix) -> Option<Kind> {
        self.prefixes
            .iter()
            .find(|(p, _)| *p == prefix)
            .map(|(_, kind)| *kind)
    }

    /// Whether this council numbers its papers by pattern (references as
    /// printed) rather than by prefix-sequence/year.
    pub fn numbers_by_pattern(&self) -> bool {
        !self.patterns.is_empty()
    }

    /// The first reference a pattern register finds in `line`, with the
    /// kind its register stands for.
    pub fn find_reference(&self, line: &str) -> Option<(String, Option<Kind>)> {
        self.patterns
            .iter()
            .filter_map(|r| {
                let caps = r.pattern.captures(line)?;
                let m = caps.get(1).or_else(|| caps.get(0))?;
                Some((m.start(), m.as_str().to_string(), r.kind))
            })
            .min_by_key(|(at, _, _)| *at)
            .map(|(_, reference, kind)| (reference, kind))
    }

    /// The reference a line carries as its whole content, after an
    /// optional number label ("Vorlage Nr.: 2021/1342", "2013/0140"): a
    /// number inside other words ("DOPPELHAUSHALT 2026/2027") is none.
    pub fn reference_of_line(&self, line: &str) -> Option<(String, Option<Kind>)> {
        let t = line.trim();
        let label = self
            .number_line
            .find(t)
            .or_else(|| self.number_label.find(t));
        let (rest, labelled) = match label {
            Some(m) => (t[m.end()..].trim(), true),
            None => (t, false),
        };
        let (reference, kind) = self.find_reference(rest)?;
        // After a label the reference opens the rest ("Vorlage Nr.:
        // 2026/0407 Verantwortlich: Dez. 6"); alone it is the whole line.
        let fits = if labelled {
            rest.starts_with(&reference)
        } else {
            reference == rest
        };
        fits.then_some((reference, kind))
    }

    /// Whether a line starts with a number label ("Vorlage Nr.:").
    pub(crate) fn is_number_label_line(&self, line: &str) -> bool {
        self.number_line.is_match(line) || self.number_label.is_match(line)
    }

    /// Whether a number belongs to one of this council's prefix registers.
    pub(crate) fn knows_number(&self, n: &PaperNumber) -> bool {
        self.kind_of_prefix(n.prefix).is_some()
    }
}

type Registers = (Vec<(Prefix, Kind)>, Vec<PatternRegister>);

fn registers(files: &[RegisterFile]) -> Result<Registers, ProfileError> {
    if files.is_empty() {
        return Err(field_error("numbering.registers", "the list is empty"));
    }
    let mut prefixes = Vec::new();
    let mut patterns = Vec::new();
    for r in files {
        match (&r.prefix, &r.pattern) {
            (Some(p), None) => {
                let prefix = Prefix::from_loose(p).ok_or_else(|| {
                    field_error(
                        "numbering.registers",
                        format!("prefix {p:?} is none of BA, I, B, ÄA, A, RA, IA; give a pattern instead"),
                    )
                })?;
                let kind = r.kind.ok_or_else(|| {
                    field_error("numbering.registers", format!("prefix {p:?} needs a kind"))
                })?;
                prefixes.push((prefix, kind));
            }
            (None, Some(p)) => patterns.push(PatternRegister {
                pattern: compile("numbering.registers", p)?,
                kind: r.kind,
            }),
            _ => {
                return Err(field_error(
                    "numbering.registers",
                    "each register has either a prefix or a pattern",
                ));
            }
        }
    }
    Ok((prefixes, patterns))
}

fn terms(files: &[TermFile], profile: &Profile) -> Result<Vec<Term>, ProfileError> {
    files
        .iter()
        .map(|t| {
            let groups = t
                .groups
                .iter()
                .map(|g| {
                    let canonical = g.name.trim().to_string();
                    let mut keys = vec![crate::submitters::group_key(&canonical, profile)];
                    keys.extend(
                        g.aliases
                            .iter()
                            .map(|a| crate::submitters::group_key(a, profile))
                            .filter(|k| !k.is_empty()),
                    );
                    (canonical, keys)
                })
                .collect();
            Ok(Term {
                from: date("terms.from", &t.from)?,
                to: date("terms.to", &t.to)?,
                groups,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_profiles_compile() {
        for name in Profile::built_in_names() {
            let p = Profile::load(name);
            assert!(p.is_ok(), "{name}: {:?}", p.err());
        }
        assert_eq!(Profile::chemnitz().name, "chemnitz");
        assert_eq!(Profile::chemnitz().terms.len(), 3);
    }

    #[test]
    fn bad_profiles_name_the_problem() {
        let unknown = Profile::load("atlantis")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("atlantis") && unknown.contains("karlsruhe"),
            "{unknown}"
        );
        let syntax = Profile::from_toml("name = ")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(syntax.contains("not valid"), "{syntax}");
        let good = BUILT_IN[0].1;
        let bad_kind = good.replace(r#"kind = "anfrage" }"#, r#"kind = "frage" }"#);
        let err = Profile::from_toml(&bad_kind)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("frage"), "{err}");
        let bad_prefix = good.replace(r#"prefix = "BA""#, r#"prefix = "XY""#);
        let err = Profile::from_toml(&bad_prefix)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("numbering.registers") && err.contains("XY"),
            "{err}"
        );
        let bad_pattern = good.replace("'ältestenrat'", "'ältesten(rat'");
        let err = Profile::from_toml(&bad_pattern)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("consultations.bodies"), "{err}");
        let bad_date = good.replace("2014-08-01", "2014-13-01");
        let err = Profile::from_toml(&bad_date)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("terms.from"), "{err}");
        let missing = Profile::load("/nonexistent/council.toml")
            .map(|_| ())
            .unwrap_err();
        assert!(missing.to_string().contains("cannot read"), "{missing}");
    }

    #[test]
    fn karlsruhe_references_are_found_as_printed() {
        let Ok(p) = Profile::load("karlsruhe") else {
            panic!("karlsruhe profile");
        };
        for (line, want) in [
            ("Vorlage Nr.: 2021/1342", "2021/1342"),
            ("Vorlage Nr.:  2023/0901/2", "2023/0901/2"),
            ("ANTRAG DHH/2023/1007", "DHH/2023/1007"),
        ] {
            assert_eq!(
                p.find_reference(line).map(|r| r.0).as_deref(),
                Some(want),
                "{line}"
            );
        }
        assert!(p.find_reference("Termin: 22.10.2013").is_none());
        assert_eq!(
            p.reference_of_line("Vorlage Nr.: 2021/1342")
                .map(|r| r.0)
                .as_deref(),
            Some("2021/1342")
        );
        assert!(p.reference_of_line("DOPPELHAUSHALT 2026/2027").is_none());
    }
}
