//! The reading side: [`Searcher`] follows `CURRENT` to the live generation,
//! runs a [`SearchRequest`] and turns the top documents into [`Hit`]s with
//! snippets, plus facet counts over everything that matched.
//!
//! **Invariant:** the searcher never opens an index writer and never writes a
//! file, so `ratsdoc search` and a web server can run while a build runs.
//!
//! Whatever tantivy reports while reading the live generation (a truncated
//! term file, a missing segment) is [`IndexError::Damaged`]: the message
//! says to rebuild, not what a footer's magic bytes were.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ratsdoc_model::Kind;
use tantivy::collector::{
    Collector, Count, FacetCollector, FacetCounts, SegmentCollector, TopDocs,
};
use tantivy::columnar::ColumnValues;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, DocAddress, DocId, Index, IndexReader, Order, ReloadPolicy, Score, SegmentOrdinal,
    SegmentReader, TantivyDocument, Term,
};

use crate::generation::{self, IndexVersion};
use crate::query::{Mode, ParsedQuery, QueryBuilder, TextQuery};
use crate::schema::{self, Fields, from_tantivy_date, submitter_key, to_tantivy_date};
use crate::{Facets, Hit, IndexError, SearchRequest, SearchResults, SortOrder, analysis};

/// Score factor of a document that is no council paper (press release, news):
/// researchers look for papers, so an equally good match in a paper wins.
const NOT_A_PAPER: Score = 0.5;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// An open, read-only view of the live index.
pub struct Searcher {
    index_dir: PathBuf,
    generation: u64,
    reader: IndexReader,
    fields: Fields,
}

impl Searcher {
    /// Opens the generation `CURRENT` names. Fails with
    /// [`IndexError::Missing`] when there is none, with
    /// [`IndexError::Outdated`] when another ratsdoc version wrote it and
    /// with [`IndexError::Damaged`] when its files cannot be read.
    pub fn open(index_dir: &Path) -> Result<Searcher, IndexError> {
        let missing = || IndexError::Missing(index_dir.display().to_string());
        let generation = generation::current(index_dir)?.ok_or_else(missing)?;
        let dir = generation::generation_dir(index_dir, generation);
        if !dir.is_dir() {
            return Err(missing());
        }
        if generation::read_version(&dir) != Some(IndexVersion::this_build()) {
            return Err(IndexError::Outdated {
                path: index_dir.display().to_string(),
            });
        }
        let damaged = |e: tantivy::TantivyError| IndexError::damaged(index_dir, e);
        let index = Index::open_in_dir(&dir).map_err(damaged)?;
        analysis::register(index.tokenizers());
        let fields = Fields::resolve(&index.schema()).map_err(|_| IndexError::Outdated {
            path: index_dir.display().to_string(),
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(damaged)?;
        Ok(Searcher {
            index_dir: index_dir.to_path_buf(),
            generation,
            reader,
            fields,
        })
    }

    /// Picks up what a build committed since: a new commit in the same
    /// generation, or a new generation after a full rebuild. Cheap when
    /// nothing changed; a web server may call it before every request.
    pub fn reload(&mut self) -> Result<(), IndexError> {
        match generation::current(&self.index_dir)? {
            Some(n) if n != self.generation => {
                *self = Searcher::open(&self.index_dir)?;
                Ok(())
            }
            _ => self.reader.reload().map_err(|e| self.damaged(e)),
        }
    }

    /// A read of the live generation failed.
    fn damaged(&self, e: tantivy::TantivyError) -> IndexError {
        IndexError::damaged(&self.index_dir, e)
    }

    /// The live generation this searcher reads.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs a search. User text is read leniently (see [`crate::query`]);
    /// `*` lists every paper (newest first unless another order is asked
    /// for). A text with nothing to search for (empty, or only stop words,
    /// punctuation and symbols) is [`IndexError::NothingToSearch`], never
    /// every paper.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, IndexError> {
        let parsed = ParsedQuery::parse(&request.text);
        let searcher = self.reader.searcher();
        let mut builder = QueryBuilder::for_searcher(&self.fields, &searcher);
        let text_query = match builder.build(&parsed, Mode::All) {
            TextQuery::Nothing => {
                return Err(IndexError::NothingToSearch {
                    query: request.text.clone(),
                });
            }
            TextQuery::Everything => None,
            TextQuery::Matching(q) => Some(q),
        };
        let sort = match (&text_query, request.sort) {
            (None, SortOrder::Relevance) => SortOrder::DateDesc,
            (_, sort) => sort,
        };
        let mut outcome = self.run(&searcher, text_query.as_deref(), request, sort)?;
        if outcome.total == 0 && parsed.words.len() + parsed.phrases.len() >= 2 {
            // Not every word matched anywhere: rank papers by how many did.
            if let TextQuery::Matching(any) = builder.build(&parsed, Mode::Any) {
                outcome = self.run(&searcher, Some(&*any), request, sort)?;
            }
        }

        let highlight = builder.highlight_query(&parsed);
        let mut snippets = SnippetGenerator::create(&searcher, &*highlight, self.fields.body_parts)
            .map_err(|e| self.damaged(e))?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(outcome.top.len());
        for (score, address) in outcome.top {
            hits.push(self.hit(&searcher, address, score, &snippets)?);
        }
        Ok(SearchResults {
            total: outcome.total,
            hits,
            facets: outcome.facets,
        })
    }

    /// One search pass: the page of top documents, the count and the facets
    /// over the whole filtered result set. `text` is `None` only for `*`.
    fn run(
        &self,
        searcher: &tantivy::Searcher,
        text: Option<&dyn Query>,
        request: &SearchRequest,
        sort: SortOrder,
    ) -> Result<Outcome, IndexError> {
        let core: Box<dyn Query> = text.map_or_else(|| Box::new(AllQuery) as _, |q| q.box_clone());
        let filters = self.filters(request);
        let query: Box<dyn Query> = if filters.is_empty() {
            core
        } else {
            let mut clauses = vec![(Occur::Must, core)];
            clauses.extend(filters.into_iter().map(|f| {
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(f, 0.0)) as Box<dyn Query>,
                )
            }));
            Box::new(BooleanQuery::new(clauses))
        };
        let facets = (KindYearCounts, facet_collector("submitter_facet"));
        let limit = request.limit;
        let offset = request.offset;
        let (total, facet_counts, top) = if limit == 0 {
            let (total, f) = searcher
                .search(&*query, &(Count, facets))
                .map_err(|e| self.damaged(e))?;
            (total, f, Vec::new())
        } else {
            let page = TopDocs::with_limit(limit).and_offset(offset);
            match sort {
                SortOrder::Relevance => {
                    let ranked = page.tweak_score(|segment: &SegmentReader| {
                        let paper = segment
                            .fast_fields()
                            .u64("paper")
                            .ok()
                            .map(|c| c.first_or_default_col(1));
                        move |doc: DocId, score: Score| match &paper {
                            Some(column) if column.get_val(doc) == 0 => score * NOT_A_PAPER,
                            _ => score,
                        }
                    });
                    let (total, f, top) = searcher
                        .search(&*query, &(Count, facets, ranked))
                        .map_err(|e| self.damaged(e))?;
                    (total, f, top)
                }
                SortOrder::DateDesc | SortOrder::DateAsc => {
                    let order = if sort == SortOrder::DateAsc {
                        Order::Asc
                    } else {
                        Order::Desc
                    };
                    let collector = page.order_by_fast_field::<DateTime>("date", order);
                    let (total, f, top) = searcher
                        .search(&*query, &(Count, facets, collector))
                        .map_err(|e| self.damaged(e))?;
                    let mut scored = Vec::with_capacity(top.len());
                    for (_, address) in top {
                        let score = query
                            .explain(searcher, address)
                            .map(|e| e.value())
                            .unwrap_or(0.0);
                        scored.push((score, address));
                    }
                    (total, f, scored)
                }
            }
        };
        Ok(Outcome {
            total,
            top,
            facets: Facets {
                kind: facet_counts.0.kinds,
                submitter: facet_map(&facet_counts.1),
                year: facet_counts.0.years,
            },
        })
    }

    /// The filters of a request, each a query that must match.
    fn filters(&self, request: &SearchRequest) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        if !request.kinds.is_empty() {
            filters.push(any_of(
                request
                    .kinds
                    .iter()
                    .map(|k| raw_term(Term::from_field_text(f.kind, k.as_str())))
                    .collect(),
            ));
        }
        if let Some(submitter) = request
            .submitter
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            // The exact group or name; else every word of it among the
            // submitters ("LINKE" finds "DIE LINKE/Die PARTEI").
            let mut alternatives = vec![raw_term(Term::from_field_text(
                f.submitter_key,
                &submitter_key(submitter),
            ))];
            let words: Vec<Box<dyn Query>> =
                analysis::tokens(&mut analysis::german(), &schema::nfc(submitter))
                    .into_iter()
                    .map(|t| raw_term(Term::from_field_text(f.submitters, &t.text)))
                    .collect();
            if !words.is_empty() {
                alternatives.push(Box::new(BooleanQuery::new(
                    words.into_iter().map(|q| (Occur::Must, q)).collect(),
                )));
            }
            filters.push(any_of(alternatives));
        }
        if let Some(year) = request.year {
            filters.push(raw_term(Term::from_facet(
                f.year_facet,
                &Facet::from_path([year.to_string()]),
            )));
        }
        if request.date_from.is_some() || request.date_to.is_some() {
            let bound = |d: Option<chrono::NaiveDate>| match d {
                Some(d) => {
                    Bound::Included(Term::from_field_date_for_search(f.date, to_tantivy_date(d)))
                }
                None => Bound::Unbounded,
            };
            filters.push(Box::new(RangeQuery::new(
                bound(request.date_from),
                bound(request.date_to),
            )));
        }
        if let Some(status) = request.status {
            filters.push(raw_term(Term::from_field_text(f.status, status.as_str())));
        }
        if let Some(result) = request.result {
            filters.push(raw_term(Term::from_field_text(f.result, result.as_str())));
        }
        filters
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: f32,
        snippets: &SnippetGenerator,
    ) -> Result<Hit, IndexError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.damaged(e))?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let body = text(f.body);
        let snippet = snippets.snippet(&body);
        let (snippet, highlights) = if snippet.highlighted().is_empty() {
            (lead(&body), Vec::new())
        } else {
            tidy(snippet.fragment(), snippet.highlighted())
        };
        Ok(Hit {
            id: text(f.id),
            kind: text(f.kind).parse().unwrap_or(Kind::Other),
            title: text(f.title),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .and_then(from_tantivy_date),
            score,
            snippet,
            highlights,
            submitters: doc
                .get_all(f.submitters)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            status: schema::parse_status(&text(f.status)),
            result: schema::parse_result(&text(f.result)),
        })
    }
}

struct Outcome {
    total: usize,
    top: Vec<(f32, DocAddress)>,
    facets: Facets,
}

/// Counts of the kind and year facets, from the two plain fast columns: one
/// value per match each, where tantivy's facet collector walks a
/// multi-valued column (a third of the time of a query that matches most
/// papers).
struct KindYearCounts;

/// What [`KindYearCounts`] found, keyed as the facets are shown.
struct KindYearFruit {
    kinds: BTreeMap<String, u64>,
    years: BTreeMap<String, u64>,
}

/// The counts of one segment.
struct KindYearSegment {
    kind: Arc<dyn ColumnValues<u64>>,
    year: Arc<dyn ColumnValues<u64>>,
    kinds: [u64; schema::KINDS.len()],
    /// Per year from `first_year` on.
    years: Vec<u64>,
    first_year: u64,
}

impl Collector for KindYearCounts {
    type Fruit = KindYearFruit;
    type Child = KindYearSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<KindYearSegment> {
        let columns = segment.fast_fields();
        let kind = columns.u64("kind_code")?.first_or_default_col(0);
        let year = columns.u64("year")?.first_or_default_col(0);
        let first_year = year.min_value();
        let span = year.max_value().saturating_sub(first_year).min(10_000) + 1;
        Ok(KindYearSegment {
            kind,
            year,
            kinds: [0; schema::KINDS.len()],
            years: vec![0; span as usize],
            first_year,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<KindYearFruit>) -> tantivy::Result<KindYearFruit> {
        let mut all = KindYearFruit {
            kinds: BTreeMap::new(),
            years: BTreeMap::new(),
        };
        for fruit in fruits {
            for (key, n) in fruit.kinds {
                *all.kinds.entry(key).or_default() += n;
            }
            for (key, n) in fruit.years {
                *all.years.entry(key).or_default() += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for KindYearSegment {
    type Fruit = KindYearFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(n) = usize::try_from(self.kind.get_val(doc))
            .ok()
            .and_then(|k| self.kinds.get_mut(k))
        {
            *n += 1;
        }
        let year = self.year.get_val(doc);
        if let Some(n) = usize::try_from(year.wrapping_sub(self.first_year))
            .ok()
            .and_then(|i| self.years.get_mut(i))
        {
            *n += 1;
        }
    }

    fn harvest(self) -> KindYearFruit {
        let kinds = schema::KINDS
            .iter()
            .zip(self.kinds)
            .filter(|&(_, n)| n > 0)
            .map(|(kind, n)| (kind.as_str().to_string(), n))
            .collect();
        let years = (self.first_year..)
            .zip(self.years)
            .filter(|&(year, n)| year > 0 && n > 0)
            .map(|(year, n)| (year.to_string(), n))
            .collect();
        KindYearFruit { kinds, years }
    }
}

fn facet_collector(field: &str) -> FacetCollector {
    let mut c = FacetCollector::for_field(field);
    c.add_facet(Facet::root());
    c
}

fn facet_map(counts: &FacetCounts) -> BTreeMap<String, u64> {
    counts
        .get(Facet::root())
        .filter_map(|(facet, count)| {
            let path = facet.to_path();
            path.last().map(|name| (name.to_string(), count))
        })
        .collect()
}

fn raw_term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// The start of the body, when no word of the query is in it (the match was
/// in the title or the number): cut at a word boundary.
fn lead(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SNIPPET_CHARS {
        return flat;
    }
    let cut = flat
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(flat.len(), |(i, _)| i);
    let end = flat[..cut].rfind(' ').unwrap_or(cut);
    format!("{} …", &flat[..end])
}

/// Collapses white space runs (line breaks of the paper) into single spaces
/// and moves the highlight ranges along.
fn tidy(fragment: &str, highlighted: &[std::ops::Range<usize>]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(fragment.len());
    // map[i]: byte offset in `out` of byte i of `fragment`.
    let mut map = vec![0usize; fragment.len() + 1];
    let mut in_space = false;
    for (i, c) in fragment.char_indices() {
        map[i] = out.len();
        if c.is_whitespace() {
            if !in_space && !out.is_empty() {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    map[fragment.len()] = out.len();
    for i in (0..fragment.len()).rev() {
        if !fragment.is_char_boundary(i) {
            map[i] = map[i + 1];
        }
    }
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    let highlights = highlighted
        .iter()
        .filter_map(|r| {
            let (from, to) = (*map.get(r.start)?, (*map.get(r.end)?).min(trimmed_len));
            (from < to).then_some((from, to))
        })
        .collect();
    (out, highlights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_moves_highlights_with_the_text() {
        let fragment = "Die\n\n  Prävention  in\tChemnitz";
        let start = fragment.find("Prävention").unwrap_or_default();
        let marked = std::iter::once(start..start + "Prävention".len()).collect::<Vec<_>>();
        let (text, ranges) = tidy(fragment, &marked);
        assert_eq!(text, "Die Prävention in Chemnitz");
        assert_eq!(&text[ranges[0].0..ranges[0].1], "Prävention");
    }

    #[test]
    fn lead_cuts_at_a_word() {
        let body = "Wort ".repeat(100);
        let l = lead(&body);
        assert!(l.ends_with("Wort …"), "{l}");
        assert!(l.chars().count() <= SNIPPET_CHARS + 2);
    }
}
