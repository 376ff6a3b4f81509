//! The scenario library: the catalog the server offers, reloaded without a restart.
//!
//! The scenarios folder is read at startup, then again when its files change (a polling
//! watcher compares names, modification times and sizes of the folder and its
//! `attachments/` every second or so), on SIGHUP, on `POST /api/scenarios/reload`, and
//! after an upload is saved. A reload that finds a broken file keeps every good one, keeps
//! the last good version of a file that broke while being edited, and reports the
//! problems. Exercises are not touched: each keeps the snapshot it was created with.
//! Without a scenarios folder the shipped scenarios are served and nothing is watched.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::scenario::load::load_file;
use crate::scenario::{Catalog, LoadError, Scenario, ScenarioFormat};

/// What the folder looked like: each file's path, modification time and size.
type Fingerprint = Vec<(PathBuf, Option<SystemTime>, u64)>;

/// One load of the folder: the scenarios offered and the files that could not be used.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The scenarios offered, by id.
    pub catalog: Catalog,
    /// Every problem found, `FILE:LINE:COL: message`.
    pub problems: Vec<LoadError>,
    fingerprint: Fingerprint,
    by_file: HashMap<PathBuf, Arc<Scenario>>,
}

/// Why an uploaded scenario was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The server serves the shipped scenarios: there is no folder to write to.
    #[error("the server has no scenarios folder (it serves the shipped scenarios): start it with --scenarios FOLDER")]
    NoFolder,
    /// The file name could be a path or is not a scenario file name.
    #[error("\"{0}\" is not a scenario file name: use letters, digits, '-', '_' and '.', ending in .toml or .json")]
    BadName(String),
    /// A file of that name holds another scenario.
    #[error("{file} holds scenario \"{existing}\", not \"{uploaded}\": save with replace=true to overwrite it")]
    OtherScenario {
        /// The file.
        file: String,
        /// The id it holds.
        existing: String,
        /// The id uploaded.
        uploaded: String,
    },
    /// Another file already offers this scenario id.
    #[error("scenario \"{id}\" is already offered by {file}: upload it under that name to replace it")]
    IdTaken {
        /// The id.
        id: String,
        /// The file that has it.
        file: String,
    },
    /// Writing the file failed.
    #[error("cannot write the scenario file: {0}")]
    Io(#[from] std::io::Error),
}

/// The reloadable catalog.
#[derive(Debug)]
pub struct Library {
    dir: PathBuf,
    watched: bool,
    // A std RwLock around an Arc: readers clone the Arc and let go at once (never held
    // across an .await), a reload builds the new catalog outside the lock and swaps it
    // in, so a reload never blocks a request for longer than a pointer copy.
    current: RwLock<Arc<Loaded>>,
    // Serialises reloads and saves (taken only on blocking threads), so two reloads do
    // not race to swap in an older folder.
    writing: Mutex<()>,
}

impl Library {
    /// Loads `dir` when it is a folder (and watches it), else the shipped scenarios.
    pub fn open(dir: &Path) -> Self {
        let watched = dir.is_dir();
        let loaded = if watched {
            load_folder(dir, &Loaded::default())
        } else {
            let (catalog, problems) = Catalog::load(dir);
            Loaded { catalog, problems, ..Loaded::default() }
        };
        for p in &loaded.problems {
            tracing::warn!("scenario skipped: {p}");
        }
        Library { dir: dir.to_owned(), watched, current: RwLock::new(Arc::new(loaded)), writing: Mutex::new(()) }
    }

    /// The scenarios now offered and the problems of the last load.
    pub fn current(&self) -> Arc<Loaded> {
        self.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The scenarios folder, when the server reads one.
    pub fn folder(&self) -> Option<&Path> {
        self.watched.then_some(self.dir.as_path())
    }

    /// Reads the folder again (blocking): the new load, now offered. With the shipped
    /// scenarios, the current load.
    pub fn reload(&self) -> Arc<Loaded> {
        if !self.watched {
            return self.current();
        }
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        self.reload_locked()
    }

    /// Reads the folder again only if a file changed (blocking); `None` when nothing did.
    pub fn reload_if_changed(&self) -> Option<Arc<Loaded>> {
        if !self.watched || fingerprint(&self.dir) == self.current().fingerprint {
            return None;
        }
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        Some(self.reload_locked())
    }

    fn reload_locked(&self) -> Arc<Loaded> {
        let loaded = Arc::new(load_folder(&self.dir, &self.current()));
        for p in &loaded.problems {
            tracing::warn!("scenario problem: {p}");
        }
        tracing::info!(
            scenarios = loaded.catalog.iter().count(),
            problems = loaded.problems.len(),
            "scenarios reloaded"
        );
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = loaded.clone();
        loaded
    }

    /// Writes a validated scenario into the folder as `name` (temp file, then rename) and
    /// reloads (blocking). Refuses a name that is not a plain scenario file name, a file
    /// of that name holding another scenario unless `replace`, and an id another file has.
    pub fn save(&self, name: &str, source: &str, scenario: &Scenario, replace: bool) -> Result<Arc<Loaded>, SaveError> {
        let dir = self.folder().ok_or(SaveError::NoFolder)?;
        check_file_name(name)?;
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let path = dir.join(name);
        let current = self.current();
        if let Some(file) = current.by_file.iter().find(|(f, s)| s.id == scenario.id && **f != path).map(|(f, _)| f) {
            return Err(SaveError::IdTaken { id: scenario.id.clone(), file: file.display().to_string() });
        }
        if path.exists() && !replace {
            let existing = load_file(&path).ok().map(|s| s.id);
            if existing.as_deref() != Some(scenario.id.as_str()) {
                return Err(SaveError::OtherScenario {
                    file: name.to_owned(),
                    existing: existing.unwrap_or_else(|| "(unreadable)".into()),
                    uploaded: scenario.id.clone(),
                });
            }
        }
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = std::fs::File::create(&temp).and_then(|mut f| {
            f.write_all(source.as_bytes())?;
            f.sync_all()
        });
        if let Err(e) = written.and_then(|()| std::fs::rename(&temp, &path)) {
            let _ = std::fs::remove_file(&temp);
            return Err(e.into());
        }
        tracing::info!(file = %path.display(), scenario = %scenario.id, "scenario saved");
        Ok(self.reload_locked())
    }
}

/// A plain scenario file name: no path separator, no `..`, not hidden, `.toml` or `.json`.
pub fn check_file_name(name: &str) -> Result<ScenarioFormat, SaveError> {
    let plain = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && !name.contains("..")
        && !name.ends_with(".schema.json")
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    match ScenarioFormat::from_path(Path::new(name)) {
        Some(format) if plain => Ok(format),
        _ => Err(SaveError::BadName(name.to_owned())),
    }
}

/// Names, modification times and sizes of the folder's files and its `attachments/`.
fn fingerprint(dir: &Path) -> Fingerprint {
    let mut out = Vec::new();
    for folder in [dir.to_owned(), dir.join("attachments")] {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_file() {
                out.push((entry.path(), meta.modified().ok(), meta.len()));
            }
        }
    }
    out.sort();
    out
}

/// Loads every scenario file of `dir`; a file that fails keeps its `previous` version.
fn load_folder(dir: &Path, previous: &Loaded) -> Loaded {
    let fingerprint = fingerprint(dir);
    let mut problems = Vec::new();
    let files = Catalog::files(dir).unwrap_or_else(|e| {
        problems.push(at_top(dir, format!("cannot read the scenarios folder: {e}")));
        Vec::new()
    });
    let mut by_file: HashMap<PathBuf, Arc<Scenario>> = HashMap::new();
    let mut taken: HashMap<String, PathBuf> = HashMap::new();
    for path in files {
        let scenario = match load_file(&path) {
            Ok(s) => Arc::new(s),
            Err(errs) => {
                problems.extend(errs);
                let Some(last) = previous.by_file.get(&path) else { continue };
                problems.push(at_top(&path, format!("still offering the last good version of \"{}\"", last.id)));
                last.clone()
            }
        };
        if let Some(other) = taken.get(&scenario.id) {
            let message = format!("scenario id \"{}\" is already used by {}; skipped", scenario.id, other.display());
            problems.push(at_top(&path, message));
            continue;
        }
        taken.insert(scenario.id.clone(), path.clone());
        by_file.insert(path, scenario);
    }
    let catalog = Catalog::from_scenarios(by_file.values().cloned().collect());
    Loaded { catalog, problems, fingerprint, by_file }
}

fn at_top(path: &Path, message: String) -> LoadError {
    LoadError { file: path.display().to_string(), line: 1, col: 1, message }
}

/// Polls the folder every `every` until `shutdown` flips, reloading when a file changed.
pub async fn watch_folder(library: Arc<Library>, every: Duration, mut shutdown: watch::Receiver<bool>) {
    if library.folder().is_none() {
        return;
    }
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        let lib = library.clone();
        let _ = tokio::task::spawn_blocking(move || lib.reload_if_changed()).await;
    }
}

/// Reloads the folder on every SIGHUP until `shutdown` flips.
#[cfg(unix)]
pub async fn reload_on_hangup(library: Arc<Library>, mut shutdown: watch::Receiver<bool>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP; reload with POST /api/scenarios/reload");
        return;
    };
    loop {
        tokio::select! {
            Some(()) = hangups.recv() => {
                tracing::info!("SIGHUP: reloading the scenarios");
                let lib = library.clone();
                let _ = tokio::task::spawn_blocking(move || lib.reload()).await;
            }
            _ = shutdown.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = "id = \"demo\"\ntitle = \"One\"\nduration_minutes = 5\n[[groups]]\nid = \"g\"\nname = \"G\"\n";

    #[test]
    fn plain_names_pass_and_paths_do_not() {
        assert_eq!(check_file_name("my-scenario_2.toml").unwrap(), ScenarioFormat::Toml);
        assert_eq!(check_file_name("x.json").unwrap(), ScenarioFormat::Json);
        for bad in
            ["../x.toml", "a/b.toml", "a\\b.toml", ".hidden.toml", "x..toml", "x.txt", "", "x.schema.json", "é.toml"]
        {
            assert!(matches!(check_file_name(bad), Err(SaveError::BadName(_))), "{bad}");
        }
    }

    #[test]
    fn a_file_broken_while_edited_keeps_its_last_good_version_and_a_new_file_appears() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("demo.toml"), DEMO).unwrap();
        let lib = Library::open(dir.path());
        assert!(lib.reload_if_changed().is_none(), "nothing changed");
        std::fs::write(dir.path().join("demo.toml"), "id = \"demo\"\ntitle = \n").unwrap();
        let loaded = lib.reload();
        assert_eq!(loaded.catalog.get("demo").unwrap().title.to_string(), "One");
        assert!(loaded.problems.iter().any(|p| p.to_string().contains("demo.toml:2:")), "{:?}", loaded.problems);
        std::fs::write(dir.path().join("demo.toml"), DEMO.replace("One", "Two")).unwrap();
        std::fs::write(dir.path().join("other.toml"), DEMO.replace("demo", "other")).unwrap();
        let loaded = lib.reload();
        assert_eq!(loaded.catalog.get("demo").unwrap().title.to_string(), "Two");
        assert!(loaded.catalog.get("other").is_some());
        assert_eq!(loaded.problems, vec![]);
        std::fs::remove_file(dir.path().join("other.toml")).unwrap();
        assert!(lib.reload().catalog.get("other").is_none(), "a removed file's scenario goes");
    }

    #[test]
    fn saving_refuses_another_scenarios_file_and_a_taken_id_unless_replacing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("demo.toml"), DEMO).unwrap();
        let lib = Library::open(dir.path());
        let other_src = DEMO.replace("demo", "other");
        let other = crate::scenario::parse_scenario(&other_src, ScenarioFormat::Toml, "x").unwrap();
        assert!(matches!(lib.save("demo.toml", &other_src, &other, false), Err(SaveError::OtherScenario { .. })));
        assert!(matches!(lib.save("../demo.toml", &other_src, &other, false), Err(SaveError::BadName(_))));
        let loaded = lib.save("other.toml", &other_src, &other, false).unwrap();
        assert!(loaded.catalog.get("other").is_some());
        assert!(matches!(lib.save("again.toml", &other_src, &other, false), Err(SaveError::IdTaken { .. })));
        let loaded = lib.save("demo.toml", &other_src, &other, true);
        assert!(matches!(loaded, Err(SaveError::IdTaken { .. })), "other.toml has that id still");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temp file left: {names:?}");
    }

    #[test]
    fn without_a_folder_the_shipped_scenarios_are_served_and_nothing_is_saved() {
        let lib = Library::open(Path::new("/nonexistent/scenarios"));
        assert!(lib.current().catalog.get("quick-demo").is_some());
        assert!(lib.folder().is_none());
        let s = lib.current().catalog.get("quick-demo").unwrap().clone();
        assert!(matches!(lib.save("x.toml", "", &s, false), Err(SaveError::NoFolder)));
    }
}
