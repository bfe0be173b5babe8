//! Sentences and tokens with byte offsets into the original text, and the normalisation that
//! makes KB aliases and document words comparable.

mod normalize;
mod segment;
mod token;

pub use normalize::{normalize_word, strip_diacritics};
pub use segment::{sentences, Sentence};
pub use token::{tokenize, Token, TokenKind};
