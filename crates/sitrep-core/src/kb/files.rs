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
