//! Property tests: the parser never panics, whatever the text, and the seed
//! papers keep their number, kind and title under the whitespace and
//! line-wrap noise that different PDF and text converters produce.

mod common;

use proptest::prelude::*;
use ratsdoc_model::{Record, Source, SourceFormat};

fn source() -> Source {
    Source {
        path: "prop.txt".into(),
        format: SourceFormat::Txt,
        hash: "0000000000000000000000".into(),
        pages: None,
        extractor: None,
        encoding: None,
    }
}

fn parse(text: &str) -> Record {
    ratsdoc_parse::parse(text, source())
}

/// The seed's labels and table shapes, to build texts that reach deep into
/// every field reader.
const PIECES: &[&str] = &[
    "Beschlussantrag Nr. BA-044/2020",
    "Informationsvorlage Nr. I-051/2020",
    "Änderungsantrag ÄA-1/2020 zu BA-2/2020",
    "A-036/2020\tEingegangen im Sekretariat der Oberbürgermeisterin 10.03.2020\t",
    "Einreicher:",
    "Fraktionsgemeinschaft, DIE LINKE/Die PARTEI",
    "Gegenstand:",
    "Kostendeckungsvorschlag:",
    "(Produktuntergruppe)",
    "Beratungsfolge (Beiräte, Ortschaftsräte, Ausschüsse, Stadtrat)\tSitzungs- termine\tStatus",
    "\t\töffentlich/ nichtöffentlich\tbestä- tigt\tabge- lehnt",
    "Stadtrat\t24.06.202\töffentlich\tX",
    "\t0",
    "zur Kenntnis an\tSitzungstermine",
    "Beschlussvorschlag:",
    "den Stadtrat im III. Quartal zu informieren, halbjährlich, bis zum 31.02.2020",
    "bis Ende des 3. Quartals zu berichten. im 0. Quartal 9999 vorzulegen",
    "i. A. Anja Schale",
    "Unterschrift",
    "Begründung:",
    "Sachverhalt:",
    "Chemnitz, 01.12.2020",
    "",
    "\t",
    "Nr.",
];

fn seed_text(prefix: &str) -> String {
    let path = common::seed(prefix);
    let bytes = std::fs::read(&path).expect("seed is readable");
    let extractor = ratsdoc_extract::Extractor::new(ratsdoc_extract::ExtractorConfig {
        worker_exe: None,
        worker_args: Vec::new(),
        workers: 1,
        timeout: std::time::Duration::from_secs(30),
        memory_limit: 1 << 30,
    });
    let format = SourceFormat::from_path(&path).unwrap_or(SourceFormat::Txt);
    extractor
        .extract(&path, &bytes, format)
        .expect("seed has text")
        .text
}

/// One line's noise: blank lines before it, trailing white space, a line
/// break at some space (as a narrower converter would wrap), CRLF.
#[derive(Debug, Clone)]
struct Noise {
    blank_before: bool,
    trailing: &'static str,
    wrap_at: Option<prop::sample::Index>,
    crlf: bool,
}

fn noise() -> impl Strategy<Value = Noise> {
    (
        prop::bool::weighted(0.1),
        prop::sample::select(vec!["", " ", "  ", "\t", " \t "]),
        prop::option::weighted(0.3, any::<prop::sample::Index>()),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(blank_before, trailing, wrap_at, crlf)| Noise {
            blank_before,
            trailing,
            wrap_at,
            crlf,
        })
}

fn perturb(text: &str, noise: &[Noise]) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let n = &noise[i % noise.len()];
        let nl = if n.crlf { "\r\n" } else { "\n" };
        if n.blank_before {
            out.push_str(nl);
        }
        let is_label = ratsdoc_parse::sections::label_of(line).is_some();
        let mut body = line.to_string();
        // Only prose lines wrap; table rows (tabs) and label lines keep
        // their shape, as converters keep those.
        if let Some(ix) = &n.wrap_at
            && !line.contains('\t')
            && !is_label
        {
            let spaces: Vec<usize> = line.match_indices(' ').map(|(p, _)| p).collect();
            if !spaces.is_empty() {
                let at = spaces[ix.index(spaces.len())];
                body = format!("{}{nl}{}", &line[..at], &line[at + 1..]);
            }
        }
        out.push_str(&body);
        out.push_str(n.trailing);
        out.push_str(nl);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC*") {
        let r = parse(&s);
        prop_assert!(!r.id.is_empty());
    }

    #[test]
    fn never_panics_around_the_seed_labels(
        pieces in prop::collection::vec((prop::sample::select(PIECES), "\\PC{0,40}", prop::bool::ANY), 0..30)
    ) {
        let mut text = String::new();
        for (piece, noise, newline) in &pieces {
            text.push_str(piece);
            text.push_str(noise);
            text.push(if *newline { '\n' } else { ' ' });
        }
        let r = parse(&text);
        prop_assert!(!r.id.is_empty());
        prop_assert!(!r.references.contains(&r.id));
    }

    #[test]
    fn seeds_survive_whitespace_and_wrapping(noise in prop::collection::vec(noise(), 1..40)) {
        for prefix in ["000_", "001_"] {
            let text = seed_text(prefix);
            let clean = parse(&text);
            let noisy = parse(&perturb(&text, &noise));
            prop_assert_eq!(&noisy.id, &clean.id);
            prop_assert_eq!(noisy.kind, clean.kind);
            prop_assert_eq!(&noisy.title, &clean.title);
        }
    }
}
