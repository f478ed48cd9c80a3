//! What the CMS accepts as an upload: pictures and office documents, recognised by their content (not
//! by the name they came with). An executable renamed to `.pdf` is refused.

/// What a file is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
    /// OLE2 compound file: .doc .xls .ppt and WPS's .wps .et.
    Ole2,
    /// OOXML (.docx .xlsx .pptx): a zip with `[Content_Types].xml`.
    Ooxml,
    /// OFD (GB/T 33190): a zip with `OFD.xml`.
    Ofd,
    /// MP4 video (ISO base media): an `ftyp` box at offset 4.
    Mp4,
    Executable,
    Unknown,
}

pub fn sniff(bytes: &[u8]) -> Sniffed {
    let starts = |p: &[u8]| bytes.starts_with(p);
    let zip_has = |name: &[u8]| bytes.windows(name.len()).take(64 * 1024).any(|w| w == name);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Png
    } else if starts(b"\xff\xd8\xff") {
        Sniffed::Jpeg
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Sniffed::Gif
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Sniffed::Webp
    } else if starts(b"%PDF-") {
        Sniffed::Pdf
    } else if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        Sniffed::Ole2
    } else if starts(b"PK\x03\x04") && zip_has(b"[Content_Types].xml") {
        Sniffed::Ooxml
    } else if starts(b"PK\x03\x04") && zip_has(b"OFD.xml") {
        Sniffed::Ofd
    } else if bytes.get(4..8) == Some(b"ftyp") {
        Sniffed::Mp4
    } else if starts(b"MZ")
        || starts(b"\x7fELF")
        || starts(b"#!")
        || starts(b"\xcf\xfa\xed\xfe")
        || starts(b"\xca\xfe\xba\xbe")
    {
        Sniffed::Executable
    } else {
        Sniffed::Unknown
    }
}

/// Whether it is a picture (shown inline) or a document (downloaded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Image,
    Document,
}

impl FileKind {
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Image => "image",
            FileKind::Document => "document",
        }
    }
}

/// Largest accepted picture and document.
pub const IMAGE_MAX_BYTES: usize = 5 * 1024 * 1024;
pub const DOCUMENT_MAX_BYTES: usize = 30 * 1024 * 1024;

/// The extensions accepted, with the content each must have.
const ACCEPTED: &[(&str, Sniffed, FileKind)] = &[
    ("png", Sniffed::Png, FileKind::Image),
    ("jpg", Sniffed::Jpeg, FileKind::Image),
    ("jpeg", Sniffed::Jpeg, FileKind::Image),
    ("gif", Sniffed::Gif, FileKind::Image),
    ("webp", Sniffed::Webp, FileKind::Image),
    ("pdf", Sniffed::Pdf, FileKind::Document),
    ("doc", Sniffed::Ole2, FileKind::Document),
    ("xls", Sniffed::Ole2, FileKind::Document),
    ("ppt", Sniffed::Ole2, FileKind::Document),
    ("wps", Sniffed::Ole2, FileKind::Document),
    ("et", Sniffed::Ole2, FileKind::Document),
    ("docx", Sniffed::Ooxml, FileKind::Document),
    ("xlsx", Sniffed::Ooxml, FileKind::Document),
    ("pptx", Sniffed::Ooxml, FileKind::Document),
    ("ofd", Sniffed::Ofd, FileKind::Document),
    // Training videos (培训资料) are offered for download like a document.
    ("mp4", Sniffed::Mp4, FileKind::Document),
];

/// The content type of a stored extension (the file route serves it with this).
pub fn mime(ext: &str) -> &'static str {
    match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "xls" | "et" => "application/vnd.ms-excel",
        "ppt" => "application/vnd.ms-powerpoint",
        "wps" => "application/vnd.ms-works",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ofd" => "application/ofd",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Whether files are stored under this extension.
pub fn is_accepted_ext(ext: &str) -> bool {
    ACCEPTED.iter().any(|(e, _, _)| *e == ext)
}

/// The extension of a stored name (`{sha256}.{ext}`, lower-case hex), if it is one: what a download
/// route accepts before it touches the disk.
pub fn stored_ext(name: &str) -> Option<&str> {
    let (hash, ext) = name.split_once('.')?;
    let hashed = hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (hashed && is_accepted_ext(ext)).then_some(ext)
}

/// An accepted upload: the extension it is stored under and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub ext: &'static str,
    pub kind: FileKind,
}

/// Decides on an upload by name and content; the error is the message for the editor.
pub fn accept(original_name: &str, bytes: &[u8]) -> Result<Accepted, String> {
    if bytes.is_empty() {
        return Err("文件是空的，请重新选择。".into());
    }
    let ext = original_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let found = sniff(bytes);
    if found == Sniffed::Executable {
        return Err("这是可执行程序或脚本，不能上传。".into());
    }
    let Some((ext, expected, kind)) = ACCEPTED.iter().find(|(e, _, _)| *e == ext) else {
        return Err(
            "只能上传图片（PNG、JPG、GIF、WebP）、文档（PDF、Word、Excel、PPT、WPS、OFD）和视频（MP4）。".into(),
        );
    };
    if found != *expected {
        return Err(format!(
            "文件内容与扩展名“.{ext}”不符（可能是改了扩展名的其他文件），不能上传。"
        ));
    }
    let limit = match kind {
        FileKind::Image => IMAGE_MAX_BYTES,
        FileKind::Document => DOCUMENT_MAX_BYTES,
    };
    if bytes.len() > limit {
        return Err(format!(
            "文件超过 {} MB 的上限，请压缩后再上传。",
            limit / 1024 / 1024
        ));
    }
    Ok(Accepted { ext, kind: *kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_and_documents_are_recognised_by_content() {
        assert_eq!(
            accept("a.PNG", b"\x89PNG\r\n\x1a\n....").unwrap().kind,
            FileKind::Image
        );
        assert_eq!(accept("通知.pdf", b"%PDF-1.7 ...").unwrap().ext, "pdf");
        assert_eq!(
            accept("表.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...")
                .unwrap()
                .ext,
            "wps"
        );
        let docx = [b"PK\x03\x04".as_slice(), b"....[Content_Types].xml...."].concat();
        assert_eq!(accept("a.docx", &docx).unwrap().kind, FileKind::Document);
        let mp4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41";
        assert_eq!(accept("培训视频.MP4", mp4).unwrap().ext, "mp4");
        assert_eq!(mime("mp4"), "video/mp4");
        assert!(accept("clip.mp4", b"%PDF-1.7 ...").is_err());
    }

    #[test]
    fn a_renamed_executable_is_refused() {
        let e = accept("notice.pdf", b"MZ\x90\x00\x03....").unwrap_err();
        assert!(e.contains("可执行"), "{e}");
        assert!(accept("run.pdf", b"#!/bin/sh\nrm -rf /").is_err());
        assert!(accept("setup.exe", b"MZ....").is_err());
    }

    #[test]
    fn content_must_match_the_extension() {
        let e = accept("photo.pdf", b"\x89PNG\r\n\x1a\n....").unwrap_err();
        assert!(e.contains("不符"), "{e}");
        assert!(accept("page.html", b"<html>").is_err());
        assert!(accept("empty.pdf", b"").is_err());
        let big = [b"%PDF-".as_slice(), &vec![0u8; DOCUMENT_MAX_BYTES]].concat();
        assert!(accept("big.pdf", &big).unwrap_err().contains("上限"));
    }
}
