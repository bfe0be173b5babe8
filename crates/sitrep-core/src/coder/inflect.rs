//! Inflected forms of a lexicon word, so the lexicon lists lemmas ("urge") and still matches
//! "urges", "urged", "urging". Over-generation is harmless: a form that is not English never
//! occurs in text.

const IRREGULAR: &[(&str, &[&str])] = &[
    ("be", &["is", "are", "was", "were", "been", "being", "am"]),
    ("bear", &["bore", "borne"]),
    ("beat", &["beaten"]),
    ("begin", &["began", "begun"]),
    ("bind", &["bound"]),
    ("blow", &["blew", "blown"]),
    ("break", &["broke", "broken"]),
    ("bring", &["brought"]),
    ("build", &["built"]),
    ("burn", &["burnt"]),
    ("buy", &["bought"]),
    ("catch", &["caught"]),
    ("choose", &["chose", "chosen"]),
    ("come", &["came"]),
    ("deal", &["dealt"]),
    ("do", &["did", "done", "does"]),
    ("draw", &["drew", "drawn"]),
    ("drive", &["drove", "driven"]),
    ("fall", &["fell", "fallen"]),
    ("feed", &["fed"]),
    ("fight", &["fought"]),
    ("flee", &["fled"]),
    ("fly", &["flew", "flown"]),
    ("forbid", &["forbade", "forbidden"]),
    ("forgive", &["forgave", "forgiven"]),
    ("freeze", &["froze", "frozen"]),
    ("get", &["got", "gotten"]),
    ("give", &["gave", "given"]),
    ("go", &["went", "gone", "goes"]),
    ("grow", &["grew", "grown"]),
    ("hang", &["hung"]),
    ("have", &["has", "had", "having"]),
    ("hide", &["hid", "hidden"]),
    ("hold", &["held"]),
    ("keep", &["kept"]),
    ("know", &["knew", "known"]),
    ("lay", &["laid"]),
    ("lead", &["led"]),
    ("leave", &["left"]),
    ("lend", &["lent"]),
    ("lose", &["lost"]),
    ("make", &["made"]),
    ("meet", &["met"]),
    ("overrun", &["overran"]),
    ("overthrow", &["overthrew", "overthrown"]),
    ("pay", &["paid"]),
    ("rise", &["rose", "risen"]),
    ("run", &["ran"]),
    ("say", &["said", "says"]),
    ("see", &["saw", "seen"]),
    ("seek", &["sought"]),
    ("sell", &["sold"]),
    ("send", &["sent"]),
    ("shake", &["shook", "shaken"]),
    ("shoot", &["shot"]),
    ("sink", &["sank", "sunk"]),
    ("slay", &["slew", "slain"]),
    ("speak", &["spoke", "spoken"]),
    ("spend", &["spent"]),
    ("stand", &["stood"]),
    ("steal", &["stole", "stolen"]),
    ("strike", &["struck", "stricken"]),
    ("swear", &["swore", "sworn"]),
    ("take", &["took", "taken"]),
    ("tear", &["tore", "torn"]),
    ("tell", &["told"]),
    ("throw", &["threw", "thrown"]),
    ("undergo", &["underwent", "undergone"]),
    ("undertake", &["undertook", "undertaken"]),
    ("uphold", &["upheld"]),
    ("win", &["won"]),
    ("withdraw", &["withdrew", "withdrawn"]),
    ("withhold", &["withheld"]),
    ("write", &["wrote", "written"]),
];

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The lemma itself and its verb and plural-noun forms.
pub fn forms(lemma: &str) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    if let Some((_, irr)) = IRREGULAR.iter().find(|(l, _)| *l == lemma) {
        out.extend(irr.iter().map(|s| s.to_string()));
    }
    let b = lemma.as_bytes();
    let n = b.len();
    if n < 2 || !lemma.bytes().all(|c| c.is_ascii_lowercase()) {
        return dedup(out);
    }
    let last = b[n - 1];
    let prev = b[n - 2];
    // -s / -es / -ies
    if last == b'y' && !is_vowel(prev) {
        out.push(format!("{}ies", &lemma[..n - 1]));
    } else if lemma.ends_with('s')
        || lemma.ends_with('x')
        || lemma.ends_with('z')
        || lemma.ends_with("ch")
        || lemma.ends_with("sh")
    {
        out.push(format!("{lemma}es"));
    } else {
        out.push(format!("{lemma}s"));
    }
    // -ed / -ing
    if last == b'e' {
        let stem = &lemma[..n - 1];
        out.push(format!("{lemma}d"));
        if lemma.ends_with("ee") {
            out.push(format!("{lemma}ing"));
        } else {
            out.push(format!("{stem}ing"));
        }
    } else if last == b'y' && !is_vowel(prev) {
        out.push(format!("{}ied", &lemma[..n - 1]));
        out.push(format!("{lemma}ing"));
    } else {
        out.push(format!("{lemma}ed"));
        out.push(format!("{lemma}ing"));
        // consonant-vowel-consonant: "ban" → "banned"; both spellings, text decides
        let cvc = n >= 3
            && !is_vowel(last)
            && is_vowel(prev)
            && !is_vowel(b[n - 3])
            && !matches!(last, b'w' | b'x' | b'y');
        if cvc {
            out.push(format!("{lemma}{}ed", last as char));
            out.push(format!("{lemma}{}ing", last as char));
        }
    }
    dedup(out)
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::forms;

    fn has(lemma: &str, form: &str) -> bool {
        forms(lemma).iter().any(|f| f == form)
    }

    #[test]
    fn regular_and_irregular_forms() {
        for (l, f) in [
            ("urge", "urged"),
            ("urge", "urging"),
            ("warn", "warns"),
            ("ban", "banned"),
            ("ban", "banning"),
            ("deny", "denied"),
            ("deny", "denies"),
            ("clash", "clashes"),
            ("hold", "held"),
            ("seize", "seizing"),
            ("flee", "fleeing"),
            ("withdraw", "withdrawn"),
            ("visit", "visited"),
        ] {
            assert!(has(l, f), "{l} → {f}: {:?}", forms(l));
        }
        assert!(!has("urge", "urgeing"));
    }
}
