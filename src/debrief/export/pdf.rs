//! PDF export: the HTML report printed by a headless Chromium.
//!
//! The page is written to a fresh temporary folder and printed with
//! `chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer
//! --print-to-pdf=OUT file:///…/report.html`, with its own profile folder, under a
//! time limit (the process is killed past it). One print runs at a time in the whole
//! process (a Chromium takes hundreds of MB); other requests wait their turn.
//!
//! The binary is the one configured (`--chromium`, `TABLETOP_CHROMIUM`), else the
//! first of `chromium`, `chromium-browser`, `google-chrome` on `PATH`; without one the
//! export fails with [`ExportError::PdfUnavailable`] (HTTP 501 `pdf_unavailable`), on
//! which the debrief page shows the HTML report's print view for the browser's own
//! Save as PDF. The page numbers and marking in the margins need Chromium 131 or later
//! (`--no-pdf-header-footer` leaves the margins to the page's `@page` rules).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::process::Command;
use tokio::sync::Semaphore;

use super::ExportError;

/// Names tried on `PATH` when no binary is configured.
pub const CANDIDATES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];
/// Longest a print may take.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// One print at a time in the whole process.
static PRINTS: Semaphore = Semaphore::const_new(1);
/// Makes temporary folder names unique within the process.
static NEXT_DIR: AtomicU64 = AtomicU64::new(0);

/// The Chromium to print with: `configured` (a path, or a name looked up on `PATH`),
/// else the first of [`CANDIDATES`] on `PATH`.
pub fn find_chromium(configured: Option<&Path>) -> Result<PathBuf, ExportError> {
    let install = "install Chromium (Debian: apt-get install chromium) or point --chromium / TABLETOP_CHROMIUM at it";
    match configured {
        Some(p) if p.components().count() > 1 => {
            if p.is_file() {
                Ok(p.to_owned())
            } else {
                Err(ExportError::PdfUnavailable(format!("{} does not exist; {install}", p.display())))
            }
        }
        Some(name) => on_path(name.as_os_str())
            .ok_or_else(|| ExportError::PdfUnavailable(format!("{} is not on PATH; {install}", name.display()))),
        None => CANDIDATES.iter().find_map(|name| on_path(name.as_ref())).ok_or_else(|| {
            ExportError::PdfUnavailable(format!("none of {} is on PATH; {install}", CANDIDATES.join(", ")))
        }),
    }
}

fn on_path(name: &std::ffi::OsStr) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// Prints `html` to PDF with Chromium.
pub async fn render(html: &str, chromium: Option<&Path>) -> Result<Vec<u8>, ExportError> {
    let binary = find_chromium(chromium)?;
    let _turn = PRINTS.acquire().await.map_err(|_| ExportError::PdfFailed("printing is closed".into()))?;
    let dir = TempDir::new().map_err(|e| ExportError::PdfFailed(format!("temporary folder: {e}")))?;
    let page = dir.0.join("report.html");
    let out = dir.0.join("report.pdf");
    tokio::fs::write(&page, html).await.map_err(|e| ExportError::PdfFailed(format!("writing the page: {e}")))?;
    let mut cmd = Command::new(&binary);
    cmd.args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .args(["--no-first-run", "--no-default-browser-check", "--disable-extensions"])
        .arg(format!("--user-data-dir={}", dir.0.join("profile").display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let child = cmd.spawn().map_err(|e| ExportError::PdfFailed(format!("cannot run {}: {e}", binary.display())))?;
    let output = match tokio::time::timeout(TIMEOUT, child.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(ExportError::PdfFailed(format!("{}: {e}", binary.display()))),
        Err(_) => return Err(ExportError::PdfFailed(format!("Chromium took longer than {} s", TIMEOUT.as_secs()))),
    };
    let pdf = tokio::fs::read(&out).await.unwrap_or_default();
    if !output.status.success() || !pdf.starts_with(b"%PDF") {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no output");
        return Err(ExportError::PdfFailed(format!("Chromium exited with {}: {last}", output.status)));
    }
    Ok(pdf)
}

/// A folder under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<Self> {
        loop {
            let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("tabletop-pdf-{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(TempDir(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_path_that_does_not_exist_is_unavailable_not_a_search() {
        let err = find_chromium(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(matches!(&err, ExportError::PdfUnavailable(m) if m.contains("/nonexistent/chromium")), "{err}");
        assert!(err.to_string().contains("install Chromium"));
    }

    #[test]
    fn a_bare_name_is_looked_up_on_path() {
        let err = find_chromium(Some(Path::new("no-such-browser-here"))).unwrap_err();
        assert!(matches!(&err, ExportError::PdfUnavailable(m) if m.contains("not on PATH")), "{err}");
    }
}
