//! The words that say what a number counts: unit nouns, casualty verbs, participles and
//! adjectives, and the kind each one gives. Closed lists only; no rule lives here.

/// Nouns a count may have as its head: people and the things reports count.
const UNIT_NOUNS: &[&str] = &[
    "people",
    "persons",
    "pupils",
    "citizens",
    "nationals",
    "foreigners",
    "tourists",
    "christians",
    "fishermen",
    "traders",
    "shepherds",
    "priests",
    "person",
    "civilians",
    "civilian",
    "soldiers",
    "soldier",
    "troops",
    "servicemen",
    "personnel",
    "marines",
    "sailors",
    "peacekeepers",
    "police",
    "policemen",
    "officers",
    "officer",
    "guards",
    "fighters",
    "militants",
    "militiamen",
    "rebels",
    "insurgents",
    "gunmen",
    "jihadists",
    "combatants",
    "protesters",
    "protestors",
    "demonstrators",
    "marchers",
    "rioters",
    "students",
    "children",
    "child",
    "women",
    "men",
    "man",
    "woman",
    "boys",
    "girls",
    "babies",
    "infants",
    "teenagers",
    "migrants",
    "refugees",
    "hostages",
    "hostage",
    "captives",
    "prisoners",
    "detainees",
    "journalists",
    "reporters",
    "workers",
    "villagers",
    "residents",
    "passengers",
    "worshippers",
    "pilgrims",
    "farmers",
    "miners",
    "officials",
    "members",
    "supporters",
    "activists",
    "settlers",
    "employees",
    "staff",
    "doctors",
    "nurses",
    "patients",
    "families",
    "households",
    "others",
    "casualties",
    "deaths",
    "fatalities",
    "bodies",
    "injuries",
    "victims",
    "suspects",
    "inmates",
    "crew",
    "ships",
    "vessels",
    "boats",
    "aircraft",
    "planes",
    "jets",
    "helicopters",
    "drones",
    "missiles",
    "rockets",
    "shells",
    "bombs",
    "tanks",
    "vehicles",
    "trucks",
    "homes",
    "houses",
    "buildings",
    "schools",
    "hospitals",
    "villages",
    "towns",
    "tonnes",
    "tons",
    "kilometres",
    "kilometers",
    "km",
    "miles",
    "votes",
    "seats",
    "cases",
    "arrests",
    "warplanes",
    "artillery",
    "battalions",
    "brigades",
    "divisions",
    "units",
    "reservists",
    "conscripts",
    "recruits",
    "mercenaries",
    "contractors",
    "lives",
    "diplomats",
    "lawmakers",
    "ministers",
    "delegates",
    "voters",
];

/// Words that end a counted phrase before any noun: "10 were", "four years of", "12 in".
pub const NOT_UNITS: &[&str] = &[
    "were", "was", "are", "is", "be", "been", "have", "has", "had", "will", "would", "could", "of",
    "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "per", "than", "as", "that",
    "who", "which", "the", "a", "an", "this", "these", "those", "their", "its", "his", "her",
    "our", "years", "year", "days", "day", "hours", "hour", "minutes", "weeks", "week", "months",
    "month", "decades", "times", "percent", "said", "say", "says", "after", "before", "since",
    "during", "while", "when", "where", "ago", "later", "earlier",
];

/// Words between a count and its participle: "were", "are believed to have been", "were
/// reportedly".
pub const PASSIVE_FILLERS: &[&str] = &[
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "been",
    "being",
    "will",
    "be",
    "to",
    "reportedly",
    "also",
    "later",
    "all",
    "allegedly",
    "believed",
    "confirmed",
    "feared",
    "thought",
    "said",
    "reported",
    "already",
    "subsequently",
    "since",
    "now",
    "still",
    "either",
    "among",
];

/// "26 dead", "left 12 injured", "200,000 evacuated": a word right after a count that says
/// what happened to those counted.
pub fn casualty_adjective(w: &str) -> Option<&'static str> {
    Some(match w {
        "dead" | "killed" | "slain" => "killed",
        "injured" | "wounded" | "hurt" => "injured",
        "detained" | "arrested" | "jailed" => "detained",
        "displaced" | "evacuated" | "homeless" => "displaced",
        "missing" | "unaccounted" => "missing",
        "hostage" | "captive" => "hostages",
        _ => return None,
    })
}

/// A participle or intransitive verb after a count ("were killed", "died", "fled").
pub fn kind_of_verb_after(w: &str, next: &str) -> Option<&'static str> {
    Some(match w {
        "killed" | "slain" | "dead" | "died" | "die" | "perished" | "murdered" | "executed"
        | "massacred" | "beheaded" | "drowned" => "killed",
        "injured" | "wounded" | "hurt" | "maimed" => "injured",
        "arrested" | "detained" | "held" | "jailed" | "imprisoned" | "captured" | "apprehended"
        | "rounded" => "detained",
        "displaced" | "evacuated" | "fled" | "uprooted" | "relocated" => "displaced",
        "missing" => "missing",
        "abducted" | "kidnapped" | "seized" => "hostages",
        "rallied" | "marched" | "protested" | "demonstrated" | "march" | "rally" | "protest" => {
            "protesters"
        }
        "taken" if matches!(next, "hostage" | "captive") => "hostages",
        _ => return None,
    })
}

/// A verb right before a count, whose object it is ("killing at least 20", "arrested 40").
pub fn kind_of_verb_before(w: &str, _next: &str) -> Option<&'static str> {
    Some(match w {
        "killed" | "killing" | "kill" | "kills" | "murdered" | "executed" | "massacred"
        | "claimed" | "beheaded" | "beheading" => "killed",
        "wounded" | "wounding" | "injured" | "injuring" | "injure" | "injures" | "wound" => {
            "injured"
        }
        "arrested" | "arresting" | "arrest" | "arrests" | "detained" | "detaining" | "detain"
        | "captured" | "capturing" | "apprehended" | "jailed" | "imprisoned" => "detained",
        "displaced" | "displacing" | "displace" | "evacuated" | "evacuating" | "uprooted" => {
            "displaced"
        }
        "abducted" | "abducting" | "kidnapped" | "kidnapping" | "abduct" | "kidnap" => "hostages",
        "deployed" | "deploying" | "deploy" | "deploys" | "dispatched" | "dispatching"
        | "stationed" | "mobilized" | "mobilised" | "sent" | "sending" | "send" | "sends" => {
            "troops"
        }
        _ => return None,
    })
}

/// "forced 5,000 people to flee", "forcing residents to leave their homes": the verb after
/// "to" that says those counted had to go.
pub fn is_flight_verb(w: &str) -> bool {
    matches!(w, "flee" | "leave" | "evacuate" | "abandon")
}

/// The kind a head noun gives on its own ("deaths", "hostages", "troops").
pub fn kind_of_noun(w: &str) -> Option<&'static str> {
    Some(match w {
        "dead" | "deaths" | "fatalities" | "bodies" | "lives" => "killed",
        "injuries" | "wounded" | "injured" => "injured",
        "hostages" | "hostage" | "captives" => "hostages",
        "detainees" | "arrests" => "detained",
        "refugees" => "displaced",
        "troops" | "soldiers" | "soldier" | "servicemen" | "personnel" | "marines" | "sailors"
        | "peacekeepers" | "reservists" | "conscripts" | "recruits" | "mercenaries"
        | "battalions" | "brigades" => "troops",
        "protesters" | "protestors" | "demonstrators" | "marchers" => "protesters",
        _ => return None,
    })
}

pub fn is_unit_noun(w: &str) -> bool {
    UNIT_NOUNS.contains(&w)
}
