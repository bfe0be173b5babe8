//! The KB files shipped in `data/kb/`, built into the binary so it needs nothing at run time.

pub const EMBEDDED: [(&str, &str); 7] = [
    (
        "countries.tsv",
        include_str!("../../../../data/kb/countries.tsv"),
    ),
    ("agents.tsv", include_str!("../../../../data/kb/agents.tsv")),
    ("people.tsv", include_str!("../../../../data/kb/people.tsv")),
    ("orgs.tsv", include_str!("../../../../data/kb/orgs.tsv")),
    ("places.tsv", include_str!("../../../../data/kb/places.tsv")),
    (
        "gazetteer.tsv",
        include_str!("../../../../data/kb/gazetteer.tsv"),
    ),
    (
        "triggers.tsv",
        include_str!("../../../../data/kb/triggers.tsv"),
    ),
];

/// Feeds every file under `p` (its path and bytes, in name order) to `h`: the digest of extra
/// KB directories that names the coder in stored events, so `recode --stale` finds events
/// coded with another KB. `sitrep ingest` and the Python package must agree on it.
pub fn hash_tree(p: &std::path::Path, h: &mut blake3::Hasher) -> std::io::Result<()> {
    if p.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(p)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            hash_tree(&e.path(), h)?;
        }
    } else {
        h.update(p.to_string_lossy().as_bytes());
        h.update(&std::fs::read(p)?);
    }
    Ok(())
}
