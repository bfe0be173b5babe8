//! Guessing an input's format from its name and first bytes.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or the seed format (`date YYYY-MM-DD <text>`).
    Text,
    /// One JSON document per line.
    Jsonl,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            _ => Err(format!("unknown input format '{s}' (text, jsonl)")),
        }
    }
}

pub fn sniff_format(name: &str, bytes: &[u8]) -> Format {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || lower.ends_with(".json") {
        return Format::Jsonl;
    }
    if lower.ends_with(".txt") || lower.ends_with(".text") {
        return Format::Text;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::Jsonl,
        _ => Format::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_win_then_content() {
        assert_eq!(sniff_format("a.jsonl", b"date 2020-01-01 x"), Format::Jsonl);
        assert_eq!(sniff_format("a.txt", b"{\"text\":1}"), Format::Text);
        assert_eq!(
            sniff_format("<stdin>", b"\xEF\xBB\xBF  {\"text\":1}"),
            Format::Jsonl
        );
        assert_eq!(sniff_format("<stdin>", b"date 2020-01-01 x"), Format::Text);
    }
}
