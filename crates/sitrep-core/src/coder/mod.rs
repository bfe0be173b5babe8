//! The event coder: a pure function of (KB, document) → events.

use crate::document::Document;
use crate::event::Event;
use crate::kb::Kb;

#[derive(Debug, Clone)]
pub struct CoderOptions {
    /// Emit CAMEO 01/02 (STATEMENT, APPEAL) as events of their own.
    pub statements: bool,
    /// Sentences longer than this many bytes are skipped (with their events) to bound the work.
    pub max_sentence_bytes: usize,
    /// At most this many events per document.
    pub max_events_per_doc: usize,
}

impl Default for CoderOptions {
    fn default() -> Self {
        CoderOptions {
            statements: false,
            max_sentence_bytes: 4096,
            max_events_per_doc: 2000,
        }
    }
}

pub struct Coder<'kb> {
    #[allow(dead_code)]
    kb: &'kb Kb,
    #[allow(dead_code)]
    opts: CoderOptions,
}

impl<'kb> Coder<'kb> {
    pub fn new(kb: &'kb Kb, opts: CoderOptions) -> Coder<'kb> {
        Coder { kb, opts }
    }

    pub fn code(&self, _doc: &Document) -> Vec<Event> {
        Vec::new()
    }
}

/// Codes one document with default options.
pub fn code(kb: &Kb, doc: &Document) -> Vec<Event> {
    Coder::new(kb, CoderOptions::default()).code(doc)
}
