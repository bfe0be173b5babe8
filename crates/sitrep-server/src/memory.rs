//! A backend over documents and events held in memory: serves a coded JSONL file without a
//! database, and is the reference the store-backed answers are checked against in tests.

use crate::backend::{event_matches, is_conflict, Backend};
use crate::error::ApiResult;
use crate::model::*;
use crate::params::{Bucket, EventFilter, PageReq};
use sitrep_core::{Document, Event};
use std::collections::{BTreeMap, HashMap};

pub struct MemoryBackend {
    docs: BTreeMap<String, Document>,
    /// Sorted by date then id, so pages are stable.
    events: Vec<Event>,
}

impl MemoryBackend {
    pub fn new(docs: Vec<Document>, mut events: Vec<Event>) -> MemoryBackend {
        events.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        events.dedup_by(|a, b| a.id == b.id);
        MemoryBackend {
            docs: docs.into_iter().map(|d| (d.id.clone(), d)).collect(),
            events,
        }
    }

    fn matching<'a>(&'a self, f: &'a EventFilter) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| event_matches(e, f))
    }
}

fn page_of<T>(all: Vec<T>, page: PageReq) -> Page<T> {
    Page {
        total: all.len() as u64,
        limit: page.limit,
        offset: page.offset,
        items: all.into_iter().skip(page.offset).take(page.limit).collect(),
    }
}

/// Running sum and count, for means over groups.
#[derive(Default, Clone, Copy)]
struct Mean {
    sum: f64,
    n: u64,
}

impl Mean {
    fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }
    fn get(self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }
}

fn codes(actors: &[sitrep_core::ActorRef]) -> Vec<String> {
    let mut v: Vec<String> = actors
        .iter()
        .map(|a| a.code.clone())
        .filter(|c| !c.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Every (source code, target code) pair of an event; an event with several actors on a side
/// belongs to several dyads.
fn dyads(e: &Event) -> Vec<(String, String)> {
    let (s, t) = (codes(&e.source), codes(&e.target));
    let mut out = Vec::new();
    for a in &s {
        for b in &t {
            if a != b {
                out.push((a.clone(), b.clone()));
            }
        }
    }
    out
}

impl Backend for MemoryBackend {
    fn stats(&self) -> ApiResult<Stats> {
        Ok(Stats {
            documents: self.docs.len() as u64,
            events: self.events.len() as u64,
            first_date: self.events.first().map(|e| e.date),
            last_date: self.events.last().map(|e| e.date),
        })
    }

    fn documents(&self, page: PageReq) -> ApiResult<Page<DocSummary>> {
        let mut per_doc: HashMap<&str, u64> = HashMap::new();
        for e in &self.events {
            *per_doc.entry(e.doc_id.as_str()).or_default() += 1;
        }
        let mut all: Vec<DocSummary> = self
            .docs
            .values()
            .map(|d| DocSummary {
                id: d.id.clone(),
                date: d.date,
                title: d.title.clone(),
                source: d.source.clone(),
                url: d.url.clone(),
                bytes: d.text.len() as u64,
                events: per_doc.get(d.id.as_str()).copied().unwrap_or(0),
            })
            .collect();
        all.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        Ok(page_of(all, page))
    }

    fn document(&self, id: &str) -> ApiResult<Option<DocView>> {
        Ok(self.docs.get(id).map(|d| DocView {
            id: d.id.clone(),
            date: d.date,
            title: d.title.clone(),
            source: d.source.clone(),
            url: d.url.clone(),
            text: d.text.clone(),
            events: {
                let mut v: Vec<Event> = self
                    .events
                    .iter()
                    .filter(|e| e.doc_id == d.id)
                    .cloned()
                    .collect();
                v.sort_by_key(|e| e.evidence.start);
                v
            },
        }))
    }

    fn events(&self, f: &EventFilter, page: PageReq) -> ApiResult<Page<Event>> {
        let mut total = 0u64;
        let mut items = Vec::new();
        for e in self.matching(f) {
            if total as usize >= page.offset && items.len() < page.limit {
                items.push(e.clone());
            }
            total += 1;
        }
        Ok(Page {
            total,
            limit: page.limit,
            offset: page.offset,
            items,
        })
    }

    fn event(&self, id: &str) -> ApiResult<Option<Event>> {
        Ok(self.events.iter().find(|e| e.id == id).cloned())
    }

    fn stories(&self, f: &EventFilter, page: PageReq) -> ApiResult<Page<Story>> {
        type Key = (chrono::NaiveDate, String, Vec<String>, Vec<String>);
        let mut groups: BTreeMap<Key, Vec<&Event>> = BTreeMap::new();
        for e in self.matching(f) {
            let key = (
                e.date,
                e.event.as_str().to_string(),
                codes(&e.source),
                codes(&e.target),
            );
            groups.entry(key).or_default().push(e);
        }
        let mut all: Vec<Story> = groups
            .into_iter()
            .map(|((date, event, source, target), evs)| {
                let mut docs: Vec<&str> = evs.iter().map(|e| e.doc_id.as_str()).collect();
                docs.sort();
                docs.dedup();
                let mut ids: Vec<String> = evs.iter().map(|e| e.id.clone()).collect();
                ids.sort();
                Story {
                    id: format!("s-{}", &ids[0][2.min(ids[0].len())..]),
                    date,
                    event,
                    source,
                    target,
                    quad_class: evs[0].quad_class,
                    goldstein: evs[0].goldstein,
                    reports: docs.len() as u64,
                    event_ids: ids,
                }
            })
            .collect();
        all.sort_by(|a, b| {
            b.reports
                .cmp(&a.reports)
                .then(b.date.cmp(&a.date))
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(page_of(all, page))
    }

    fn actors(&self, f: &EventFilter, limit: usize) -> ApiResult<Vec<ActorStat>> {
        #[derive(Default)]
        struct Acc {
            names: HashMap<String, u64>,
            src: u64,
            tgt: u64,
            g: Mean,
        }
        let mut by: HashMap<String, Acc> = HashMap::new();
        for e in self.matching(f) {
            for (side, actors) in [(0, &e.source), (1, &e.target)] {
                for a in actors.iter().filter(|a| !a.code.is_empty()) {
                    let acc = by.entry(a.code.clone()).or_default();
                    *acc.names.entry(a.text.clone()).or_default() += 1;
                    if side == 0 {
                        acc.src += 1;
                    } else {
                        acc.tgt += 1;
                    }
                    acc.g.add(e.goldstein);
                }
            }
        }
        let mut out: Vec<ActorStat> = by
            .into_iter()
            .map(|(code, acc)| ActorStat {
                name: acc
                    .names
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default(),
                code,
                as_source: acc.src,
                as_target: acc.tgt,
                goldstein_mean: acc.g.get(),
            })
            .collect();
        out.sort_by(|a, b| {
            (b.as_source + b.as_target)
                .cmp(&(a.as_source + a.as_target))
                .then_with(|| a.code.cmp(&b.code))
        });
        out.truncate(limit);
        Ok(out)
    }

    fn series(&self, f: &EventFilter, bucket: Bucket) -> ApiResult<Vec<SeriesPoint>> {
        let mut by: BTreeMap<chrono::NaiveDate, (u64, Mean, [u64; 4])> = BTreeMap::new();
        for e in self.matching(f) {
            let slot = by.entry(bucket.start(e.date)).or_default();
            slot.0 += 1;
            slot.1.add(e.goldstein);
            if (1..=4).contains(&e.quad_class) {
                slot.2[e.quad_class as usize - 1] += 1;
            }
        }
        Ok(by
            .into_iter()
            .map(|(period, (count, g, quad))| SeriesPoint {
                period,
                count,
                goldstein_mean: g.get(),
                quad,
            })
            .collect())
    }

    fn network(&self, f: &EventFilter, max_edges: usize) -> ApiResult<Network> {
        let mut edges: HashMap<(String, String), (u64, Mean, u64)> = HashMap::new();
        let mut names: HashMap<String, HashMap<String, u64>> = HashMap::new();
        for e in self.matching(f) {
            for a in e
                .source
                .iter()
                .chain(&e.target)
                .filter(|a| !a.code.is_empty())
            {
                *names
                    .entry(a.code.clone())
                    .or_default()
                    .entry(a.text.clone())
                    .or_default() += 1;
            }
            for d in dyads(e) {
                let slot = edges.entry(d).or_default();
                slot.0 += 1;
                slot.1.add(e.goldstein);
                slot.2 += is_conflict(e.quad_class) as u64;
            }
        }
        let mut edges: Vec<Edge> = edges
            .into_iter()
            .map(|((source, target), (count, g, conflict))| Edge {
                source,
                target,
                count,
                goldstein_mean: g.get(),
                conflict,
            })
            .collect();
        edges.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
        });
        edges.truncate(max_edges);
        Ok(crate::network::with_nodes(edges, |code| {
            names
                .get(code)
                .and_then(|m| {
                    m.iter()
                        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                })
                .map(|(n, _)| n.clone())
                .unwrap_or_default()
        }))
    }

    fn places(&self, f: &EventFilter, limit: usize) -> ApiResult<Vec<PlaceStat>> {
        let mut by: BTreeMap<(String, String), (f64, f64, u64, Mean)> = BTreeMap::new();
        for e in self.matching(f) {
            if let Some(l) = &e.location {
                if !l.lat.is_finite() || !l.lon.is_finite() {
                    continue;
                }
                let slot = by.entry((l.text.clone(), l.country.clone())).or_insert((
                    l.lat,
                    l.lon,
                    0,
                    Mean::default(),
                ));
                slot.2 += 1;
                slot.3.add(e.goldstein);
            }
        }
        let mut out: Vec<PlaceStat> = by
            .into_iter()
            .map(|((name, country), (lat, lon, count, g))| PlaceStat {
                name,
                country,
                lat,
                lon,
                count,
                goldstein_mean: g.get(),
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        out.truncate(limit);
        Ok(out)
    }

    fn dyad_weeks(&self, f: &EventFilter) -> ApiResult<Vec<DyadWeek>> {
        let mut by: BTreeMap<(String, String, chrono::NaiveDate), (u64, f64)> = BTreeMap::new();
        for e in self.matching(f) {
            for (s, t) in dyads(e) {
                let slot = by.entry((s, t, Bucket::Week.start(e.date))).or_default();
                slot.0 += 1;
                if is_conflict(e.quad_class) {
                    slot.1 += e.goldstein.abs();
                }
            }
        }
        Ok(by
            .into_iter()
            .filter(|(_, (_, c))| *c > 0.0)
            .map(
                |((source, target, week), (count, conflict_intensity))| DyadWeek {
                    source,
                    target,
                    week,
                    count,
                    conflict_intensity,
                },
            )
            .collect())
    }
}
