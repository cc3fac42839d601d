//! The rules of linking as one table: what each piece of evidence means to
//! a clerk, the name `links.yaml` gives it, its weight, and whether it can
//! make a link or only supports one.
//!
//! Scoring ([`super::score`]) decides which rules fire for an
//! answer/motion pair; the weights live here and nowhere else; the German
//! words live in [`super::evidence`].

/// One piece of evidence for (or against) an answer — an
/// Informationsvorlage or Beschlussvorlage — being the report a
/// Beschlussantrag asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// The answer's title names the motion's number ("Sachstandsbericht
    /// zum Beschlussantrag BA-044/2020"): it says which motion it reports
    /// on.
    NumberInTitle,
    /// The answer's opening names the motion in an answering sentence ("In
    /// Umsetzung des Beschlusses zum Beschlussantrag BA-044/2020 …").
    NumberAnsweringOpening,
    /// An answering sentence after the opening names the motion ("Mit dem
    /// Beschluss zum Beschlussantrag … wurde die Stadtverwaltung
    /// beauftragt").
    NumberAnsweringText,
    /// The opening names the motion's number without saying how it
    /// relates: a hint, not a reference.
    NumberInOpening,
    /// The text after the opening names the motion's number without saying
    /// how it relates: a weak hint.
    NumberInText,
    /// The motion is named only in passing ("vgl. BA-…", "wie bereits
    /// berichtet", "Auf Grund des Beschlussantrages … ist es dazu
    /// gekommen"): background, which counts against the link.
    MentionInPassing,
    /// Veto: the answer says the motion is not its subject ("… ist nicht
    /// Gegenstand dieser Vorlage und wird gesondert beantwortet").
    MentionExcluded,
    /// The same Gegenstand: the titles agree once framing words such as
    /// "Sachstand", "Zwischenbericht" or "Prüfergebnis" are left out.
    /// Enough on its own.
    SubjectSame,
    /// Titles that only overlap; the weight is multiplied by their
    /// similarity, so this is never enough on its own.
    SubjectPartial,
    /// Alike titles, but each carries a topic the other lacks: two papers
    /// on neighbouring subjects, not a report and its motion.
    SubjectConflict,
    /// Veto: the answer is older than the motion (its receipt, own date or
    /// first session).
    BeforeMotion,
    /// Veto: the answer came before the session (Sitzung) that decided the
    /// motion, so it cannot report on that decision.
    BeforeSession,
    /// Veto: the administration's Stellungnahme to the motion, presented
    /// before or at the deciding session: its opinion, not the report.
    OpinionBeforeSession,
    /// The answer follows the motion in time.
    TimeOrder,
    /// An answer that names no motion and comes more than two years after
    /// the motion's Frist (or, without one, its session): the archive has
    /// later papers on every subject.
    LongAfterDue,
    /// The motion asks for a report (Berichtsauftrag).
    ReportRequested,
    /// The answer went to the body (Gremium) the motion wanted the report
    /// sent to.
    Addressee,
}

/// What a rule's weight counts towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The answer names the motion outright and says it reports on it:
    /// counts towards [`super::ACCEPT`], and an answer with such a rule
    /// answers the motions it names so; subject matches elsewhere no
    /// longer compete, and the time since the due date does not count.
    Explicit,
    /// Counts towards [`super::ACCEPT`]: evidence that can make (or veto)
    /// a link.
    Deciding,
    /// Only orders candidates that are links already and breaks ties:
    /// time order, the addressee, a requested report. Never makes a link.
    Supporting,
}

/// One row of the table.
struct Row {
    /// The rule's name in `links.yaml` (`Evidence::rule`).
    name: &'static str,
    /// What the rule adds to the score when it fires (negative: against).
    weight: f64,
    role: Role,
}

const fn row(name: &'static str, weight: f64, role: Role) -> Row {
    Row { name, weight, role }
}

impl Rule {
    /// Every rule, in the order of the table.
    #[cfg(test)]
    pub(crate) const ALL: [Rule; 17] = [
        Rule::NumberInTitle,
        Rule::NumberAnsweringOpening,
        Rule::NumberAnsweringText,
        Rule::NumberInOpening,
        Rule::NumberInText,
        Rule::MentionInPassing,
        Rule::MentionExcluded,
        Rule::SubjectSame,
        Rule::SubjectPartial,
        Rule::SubjectConflict,
        Rule::BeforeMotion,
        Rule::BeforeSession,
        Rule::OpinionBeforeSession,
        Rule::TimeOrder,
        Rule::LongAfterDue,
        Rule::ReportRequested,
        Rule::Addressee,
    ];

    /// The table. Vetoes (-2.0) outweigh any sum of positive evidence
    /// (at most 1.8: the strongest number, the same subject and the three
    /// supporting rules). Two rules share a name where `links.yaml` does
    /// not tell them apart: where in the answer an answering sentence
    /// stands, and whether a subject matches fully or in part.
    const fn row(self) -> Row {
        use Role::{Deciding, Explicit, Supporting};
        match self {
            Rule::NumberInTitle => row("number_in_title", 0.9, Explicit),
            Rule::NumberAnsweringOpening => row("number_in_answering_sentence", 0.8, Explicit),
            Rule::NumberAnsweringText => row("number_in_answering_sentence", 0.7, Explicit),
            Rule::NumberInOpening => row("number_in_opening", 0.4, Deciding),
            Rule::NumberInText => row("number_mentioned", 0.15, Deciding),
            Rule::MentionInPassing => row("mention_in_passing", -0.3, Deciding),
            Rule::MentionExcluded => row("mention_excluded", -2.0, Deciding),
            Rule::SubjectSame => row("subject_match", 0.6, Deciding),
            Rule::SubjectPartial => row("subject_match", 0.4, Deciding),
            Rule::SubjectConflict => row("subject_conflict", -0.3, Deciding),
            Rule::BeforeMotion => row("before_motion", -2.0, Deciding),
            Rule::BeforeSession => row("before_session", -2.0, Deciding),
            Rule::OpinionBeforeSession => row("opinion_before_session", -2.0, Deciding),
            Rule::TimeOrder => row("time_order", 0.1, Supporting),
            Rule::LongAfterDue => row("long_after_due", -0.3, Deciding),
            Rule::ReportRequested => row("report_requested", 0.1, Supporting),
            Rule::Addressee => row("addressee", 0.1, Supporting),
        }
    }

    /// The rule's name in `links.yaml`.
    pub(crate) const fn name(self) -> &'static str {
        self.row().name
    }

    /// What the rule adds to the score when it fires; a partial subject
    /// match adds this times the similarity of the titles.
    pub(crate) const fn weight(self) -> f64 {
        self.row().weight
    }

    pub(crate) const fn role(self) -> Role {
        self.row().role
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linker::{ACCEPT, MARGIN};

    fn weights(role: Role) -> impl Iterator<Item = f64> {
        Rule::ALL
            .into_iter()
            .filter(move |r| r.role() == role)
            .map(Rule::weight)
    }

    #[test]
    fn vetoes_outweigh_all_positive_evidence_of_a_pair() {
        // At most one number rule and one subject rule fire per pair.
        let strongest_number = weights(Role::Explicit).fold(0.0, f64::max);
        let strongest_subject = Rule::SubjectSame
            .weight()
            .max(Rule::SubjectPartial.weight());
        let supporting: f64 = weights(Role::Supporting).filter(|w| *w > 0.0).sum();
        let positive = strongest_number + strongest_subject + supporting;
        for veto in [
            Rule::MentionExcluded,
            Rule::BeforeMotion,
            Rule::BeforeSession,
            Rule::OpinionBeforeSession,
        ] {
            assert!(positive + veto.weight() < 0.0, "{veto:?}");
        }
    }

    #[test]
    fn context_never_makes_a_link() {
        let supporting: f64 = weights(Role::Supporting).sum();
        assert!(supporting < ACCEPT);
        assert!(Rule::SubjectPartial.weight() < ACCEPT);
        assert!(weights(Role::Supporting).all(|w| w < MARGIN));
    }

    #[test]
    fn a_named_reference_or_the_same_title_is_enough_on_its_own() {
        assert!(weights(Role::Explicit).all(|w| w >= ACCEPT));
        assert!(Rule::SubjectSame.weight() >= ACCEPT);
        assert!(Rule::NumberInOpening.weight() < ACCEPT);
        assert!(Rule::NumberInText.weight() < ACCEPT);
    }
}
