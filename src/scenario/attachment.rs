//! Attachment files: the images, voice notes and PDFs an inject carries.
//!
//! An attachment's `file` is a path relative to the scenario file. When the scenario is
//! loaded each file is read, checked (a known type whose first bytes match it, within the
//! size limit for its kind, an SVG without scripts) and kept with its SHA-256 content
//! hash, which names it in URLs and in the store. A missing, oversized or mistyped file
//! is a `FILE:LINE:COL` problem at its `file` key.

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::Scenario;
use super::validate::{PathSeg, Problem};

/// Largest image (PNG, JPEG, SVG, WebP): phones on weak links load it inline.
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;
/// Largest voice note or PDF.
pub const MAX_OTHER_BYTES: usize = 5 * 1024 * 1024;

/// What kind of file an attachment is, which decides how pages show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Shown inline (tap to enlarge).
    Image,
    /// A player (a voice note).
    Audio,
    /// A link that opens the document.
    Pdf,
}

impl FileKind {
    /// The word pages and the wire use: `image`, `audio`, `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Image => "image",
            FileKind::Audio => "audio",
            FileKind::Pdf => "pdf",
        }
    }
}

/// A checked attachment file.
#[derive(Clone)]
pub struct FileContent {
    /// Lowercase hex SHA-256 of the bytes.
    pub hash: String,
    /// Its media type, e.g. `image/png`.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The bytes, when read from the scenario's folder (a scenario rebuilt from a stored
    /// snapshot names its files; their bytes are in the store).
    pub bytes: Option<Arc<[u8]>>,
}

impl FileContent {
    /// The kind of the file, from its media type.
    pub fn kind(&self) -> FileKind {
        kind_of(&self.media_type)
    }
}

impl fmt::Debug for FileContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileContent({}, {}, {} bytes)", self.media_type, &self.hash[..self.hash.len().min(12)], self.size)
    }
}

impl PartialEq for FileContent {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
    }
}

/// The kind of a media type this module gives out.
pub fn kind_of(media_type: &str) -> FileKind {
    if media_type.starts_with("image/") {
        FileKind::Image
    } else if media_type.starts_with("audio/") {
        FileKind::Audio
    } else {
        FileKind::Pdf
    }
}

/// The media type for a file name, by its extension.
fn media_type_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "pdf" => "application/pdf",
        _ => return None,
    })
}

/// Whether the first bytes are those of `media_type`.
fn signature_matches(media_type: &str, b: &[u8]) -> bool {
    match media_type {
        "image/png" => b.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => b.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/webp" => b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP",
        "image/svg+xml" => std::str::from_utf8(&b[..b.len().min(4096)]).is_ok_and(|s| s.contains("<svg")),
        "audio/mpeg" => b.starts_with(b"ID3") || b.len() >= 2 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0,
        "audio/mp4" => b.len() >= 8 && &b[4..8] == b"ftyp",
        "audio/ogg" => b.starts_with(b"OggS"),
        "audio/wav" => b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WAVE",
        "application/pdf" => b.starts_with(b"%PDF-"),
        _ => false,
    }
}

/// Why an SVG is refused: scripts, event handlers, external content.
fn svg_danger(bytes: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    if text.contains("<script") {
        return Some("a <script>");
    }
    if text.contains("<foreignobject") {
        return Some("a <foreignObject>");
    }
    if text.contains("javascript:") {
        return Some("a javascript: link");
    }
    let handler = text.match_indices(" on").any(|(i, _)| {
        let rest = &text[i + 3..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        !name.is_empty() && rest[name.len()..].trim_start().starts_with('=')
    });
    handler.then_some("an event handler attribute (on…=)")
}

/// Checks a file's bytes against its name's type and the size limits.
pub fn check(name: &str, bytes: Vec<u8>) -> Result<FileContent, String> {
    let media_type = media_type_of(name).ok_or_else(|| {
        format!(
            "\"{name}\" is not an attachment type tabletop shows: use PNG, JPEG, SVG, WebP, MP3, M4A, OGG, WAV or PDF"
        )
    })?;
    let limit = if kind_of(media_type) == FileKind::Image { MAX_IMAGE_BYTES } else { MAX_OTHER_BYTES };
    if bytes.len() > limit {
        return Err(format!(
            "\"{name}\" is {} KiB; attachments of its kind may be at most {} KiB",
            bytes.len().div_ceil(1024),
            limit / 1024
        ));
    }
    if !signature_matches(media_type, &bytes) {
        return Err(format!("\"{name}\" is not a {media_type} file (its first bytes do not match)"));
    }
    if media_type == "image/svg+xml"
        && let Some(what) = svg_danger(&bytes)
    {
        return Err(format!("\"{name}\" contains {what}; an SVG attachment may only draw"));
    }
    let hash = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    Ok(FileContent { hash, media_type: media_type.to_owned(), size: bytes.len() as u64, bytes: Some(bytes.into()) })
}

impl Scenario {
    /// The attachment files read with this scenario, with their bytes (a scenario rebuilt
    /// from a snapshot has none: its files are in the store).
    pub fn files(&self) -> impl Iterator<Item = (&FileContent, &Arc<[u8]>)> {
        self.injects
            .iter()
            .flat_map(|i| &i.attachments)
            .filter_map(|a| a.content.as_ref())
            .filter_map(|c| c.bytes.as_ref().map(|b| (c, b)))
    }
}

/// Whether `file` is a plain relative path inside the scenario's folder.
fn safe_relative(file: &str) -> bool {
    let p = std::path::Path::new(file);
    !file.is_empty() && !file.contains('\\') && p.components().all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Reads and checks every attachment file of a scenario with `read` (a path relative
/// to the scenario file → its bytes); each problem is located at the file's key.
pub fn resolve(s: &mut Scenario, read: &dyn Fn(&str) -> std::io::Result<Vec<u8>>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, inj) in s.injects.iter_mut().enumerate() {
        for (j, a) in inj.attachments.iter_mut().enumerate() {
            let path = |k: &str| {
                vec![
                    PathSeg::Key("injects".into()),
                    PathSeg::Index(i),
                    PathSeg::Key("attachments".into()),
                    PathSeg::Index(j),
                    PathSeg::Key(k.into()),
                ]
            };
            let Some(file) = &a.file else {
                if a.title.is_empty() {
                    problems
                        .push(Problem { path: path("title"), message: "an attachment needs a title or a file".into() });
                }
                continue;
            };
            if !safe_relative(file) {
                problems.push(Problem {
                    path: path("file"),
                    message: format!("\"{file}\" must be a path inside the scenario's folder (no .., no leading /)"),
                });
                continue;
            }
            let checked = read(file)
                .map_err(|e| format!("cannot read attachment \"{file}\": {e}"))
                .and_then(|bytes| check(file, bytes));
            match checked {
                Ok(content) => {
                    if content.kind() == FileKind::Image && a.alt.as_ref().is_none_or(|t| t.trim().is_empty()) {
                        problems.push(Problem {
                            path: path("file"),
                            message: format!("image \"{file}\" needs an alt text (what it shows, for screen readers)"),
                        });
                    }
                    a.content = Some(content);
                }
                Err(message) => problems.push(Problem { path: path("file"), message }),
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &[u8] =
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>";

    #[test]
    fn files_are_typed_by_name_and_checked_by_their_first_bytes() {
        let svg = check("sms.svg", SVG.to_vec()).unwrap();
        assert_eq!(svg.media_type, "image/svg+xml");
        assert_eq!(svg.hash.len(), 64);
        assert_eq!(svg.kind(), FileKind::Image);
        assert!(check("sms.png", SVG.to_vec()).unwrap_err().contains("not a image/png file"));
        assert!(check("notes.docx", SVG.to_vec()).unwrap_err().contains("not an attachment type"));
        assert_eq!(check("a.pdf", b"%PDF-1.7\n".to_vec()).unwrap().kind(), FileKind::Pdf);
        assert_eq!(check("v.ogg", b"OggS\0\0".to_vec()).unwrap().kind(), FileKind::Audio);
    }

    #[test]
    fn oversized_files_and_scripted_svgs_are_refused() {
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_IMAGE_BYTES + 1, 0);
        assert!(check("big.png", big).unwrap_err().contains("at most 1024 KiB"));
        for bad in [
            "<svg><script>alert(1)</script></svg>",
            "<svg><rect onclick=\"x()\"/></svg>",
            "<svg><a href=\"javascript:x()\"/></svg>",
            "<svg><foreignObject/></svg>",
        ] {
            assert!(check("x.svg", bad.as_bytes().to_vec()).unwrap_err().contains("may only draw"), "{bad}");
        }
        assert!(check("ok.svg", b"<svg><text>Call only on 1234</text></svg>".to_vec()).is_ok());
    }

    #[test]
    fn paths_stay_inside_the_folder() {
        assert!(safe_relative("attachments/sms.svg"));
        for bad in ["../secret.png", "/etc/passwd", "a/../../b.png", "", "a\\b.png"] {
            assert!(!safe_relative(bad), "{bad}");
        }
    }
}
