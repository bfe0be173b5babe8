//! Where `sitrep bench` gets its text: a generated corpus or a file, handed out in batches that
//! end at a line end. Only one batch is in memory at a time, whatever the corpus size; a file
//! that is not JSON Lines (seed format, plain text) cannot be cut at lines and is one batch.

use anyhow::{Context, Result};
use sitrep_core::readers::{sniff_format, Format};
use sitrep_core::Kb;
use sitrep_eval::corpus::Generator;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

pub enum Corpus {
    Generated {
        generator: Generator,
        save: Option<(PathBuf, BufWriter<File>)>,
    },
    File {
        path: PathBuf,
        reader: BufReader<File>,
        /// Whether the file may be cut into batches; known once the first batch is read.
        lines: Option<bool>,
    },
}

impl Corpus {
    /// Opens a file now, so a wrong path is reported before the slow KB load.
    pub fn open(path: &Path) -> Result<Corpus> {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Corpus::File {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 20, file),
            lines: None,
        })
    }

    pub fn generated(kb: &Kb, seed: u64, size: u64, save: Option<&Path>) -> Result<Corpus> {
        let save = match save {
            Some(p) => {
                let f = File::create(p).with_context(|| format!("cannot write {}", p.display()))?;
                Some((p.to_path_buf(), BufWriter::new(f)))
            }
            None => None,
        };
        Ok(Corpus::Generated {
            generator: Generator::new(kb, seed, size),
            save,
        })
    }

    /// The next batch of about `batch_bytes` (whole lines), or None at the end.
    pub fn next_batch(&mut self, batch_bytes: usize) -> Option<Result<Vec<u8>>> {
        match self {
            Corpus::Generated { generator, save } => {
                let text = match generator.next_batch(batch_bytes) {
                    Some(t) => t,
                    None => return finish_save(save).err().map(Err),
                };
                if let Some((p, w)) = save {
                    if let Err(e) = w.write_all(text.as_bytes()) {
                        return Some(
                            Err(e).with_context(|| format!("cannot write {}", p.display())),
                        );
                    }
                }
                Some(Ok(text.into_bytes()))
            }
            Corpus::File {
                path,
                reader,
                lines,
            } => read_batch(path, reader, lines, batch_bytes).transpose(),
        }
    }
}

fn finish_save(save: &mut Option<(PathBuf, BufWriter<File>)>) -> Result<()> {
    if let Some((p, mut w)) = save.take() {
        w.flush()
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(())
}

fn read_batch(
    path: &Path,
    reader: &mut BufReader<File>,
    lines: &mut Option<bool>,
    batch_bytes: usize,
) -> Result<Option<Vec<u8>>> {
    let why = || format!("cannot read {}", path.display());
    let mut batch = Vec::with_capacity(batch_bytes + 4096);
    while batch.len() < batch_bytes {
        if reader.read_until(b'\n', &mut batch).with_context(why)? == 0 {
            break;
        }
    }
    if lines.is_none() {
        let name = path.display().to_string();
        let jsonl = sniff_format(&name, &batch) == Format::Jsonl;
        *lines = Some(jsonl);
        if !jsonl {
            // a document of the seed format or of plain text may run over any line end
            reader.read_to_end(&mut batch).with_context(why)?;
        }
    }
    Ok((!batch.is_empty()).then_some(batch))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batches(path: &Path, size: usize) -> Vec<Vec<u8>> {
        let mut c = Corpus::open(path).unwrap();
        std::iter::from_fn(|| c.next_batch(size))
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn json_lines_come_in_whole_lines_and_other_files_whole() {
        let dir = std::env::temp_dir().join(format!("sitrep-bench-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let jsonl = dir.join("c.jsonl");
        let line = "{\"date\":\"2020-01-01\",\"text\":\"Troops left the town.\"}\n";
        std::fs::write(&jsonl, line.repeat(10)).unwrap();
        let b = batches(&jsonl, 2 * line.len() + 1);
        assert_eq!(b.len(), 4);
        assert!(b.iter().all(|b| b.ends_with(b"\n")));
        assert_eq!(b.concat(), line.repeat(10).as_bytes());

        let seed = dir.join("story");
        let text = "date 2020-01-01 Troops left.\n\nThey came back.\n".repeat(5);
        std::fs::write(&seed, &text).unwrap();
        assert_eq!(batches(&seed, 10), [text.into_bytes()]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
