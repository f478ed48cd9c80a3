//! Reading uploaded tables: CSV in UTF-8 or GBK/GB18030 (detected), and XLSX (streamed by `xlsx`).
//! Type is decided by content, never by the file name; sizes, rows, columns and cells are bounded so
//! that a hostile file (zip bomb, endless row, huge cell, far-apart cells) is refused with a clear
//! message before it costs memory. Both are read a row at a time.
use super::upload_limits::{refuse, Limits};
use crate::error::AppError;
use encoding_rs::{Decoder, GB18030};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
}

impl TextEncoding {
    pub fn label(&self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gb18030 => "GBK/GB18030",
        }
    }
}

/// Decides what a file is from its first bytes. Executables and other binaries are refused whatever
/// their name says.
pub fn sniff(head: &[u8]) -> Result<FileKind, AppError> {
    if head.is_empty() {
        return Err(refuse(
            "文件是空的：请选择含有表头和数据的 CSV 或 XLSX 文件。",
        ));
    }
    if head.starts_with(b"PK\x03\x04") {
        return Ok(FileKind::Xlsx);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(refuse(
            "这是旧版 Excel（.xls）或已加密的工作簿：请在 Excel/WPS 中另存为不加密的 .xlsx 或 CSV 后上传。",
        ));
    }
    let binary = head.starts_with(b"MZ")
        || head.starts_with(b"\x7fELF")
        || head.starts_with(b"%PDF")
        || head.iter().take(4096).any(|&b| b == 0);
    if binary {
        return Err(refuse(
            "文件内容不是表格：只接受 CSV（UTF-8 或 GBK 编码）和 XLSX 文件。",
        ));
    }
    Ok(FileKind::Csv)
}

/// UTF-8 when the sample is valid UTF-8 (a character cut at the sample's end is fine), otherwise
/// GB18030 (a superset of GBK) when that decodes without errors.
pub fn detect_encoding(sample: &[u8]) -> Result<TextEncoding, AppError> {
    match std::str::from_utf8(sample) {
        Ok(_) => return Ok(TextEncoding::Utf8),
        Err(e) if e.error_len().is_none() => return Ok(TextEncoding::Utf8),
        Err(_) => {}
    }
    // Trim a possibly cut multi-byte character at the end before judging GB18030.
    let cut = sample.len().saturating_sub(3);
    let head = sample.get(..cut.max(sample.len().min(1))).unwrap_or(sample);
    let (_, _, had_errors) = GB18030.decode(head);
    let (_, _, errors_full) = GB18030.decode(sample);
    if !had_errors || !errors_full {
        return Ok(TextEncoding::Gb18030);
    }
    Err(refuse(
        "无法识别文件编码：请用 UTF-8 或 GBK 编码保存 CSV（Excel：另存为“CSV UTF-8”）后重新上传。",
    ))
}

/// A `Read` that decodes GB18030 into UTF-8 as it goes, so a large file never sits in memory twice.
struct Gb18030Reader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    done: bool,
    malformed: bool,
}

impl<R: Read> Read for Gb18030Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_pos >= self.output.len() {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            self.output.clear();
            self.output.resize(n * 2 + 16, 0);
            // `read` returns at most the buffer's length.
            let read = self.input.get(..n).unwrap_or_default();
            let (result, _, written, had_errors) =
                self.decoder.decode_to_utf8(read, &mut self.output, last);
            debug_assert_eq!(result, encoding_rs::CoderResult::InputEmpty);
            self.malformed |= had_errors;
            if self.malformed {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "GB18030 decoding error",
                ));
            }
            self.output.truncate(written);
            self.out_pos = 0;
            self.done = last;
        }
        let pending = self.output.get(self.out_pos..).unwrap_or_default();
        let n = buf.len().min(pending.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), pending.get(..n)) {
            to.copy_from_slice(from);
        }
        self.out_pos += n;
        Ok(n)
    }
}

/// Rows of an uploaded table, header first.
pub enum Table {
    Csv {
        reader: csv::Reader<Box<dyn Read + Send>>,
        record: csv::StringRecord,
    },
    Xlsx {
        rows: Box<super::xlsx::Rows>,
    },
}

pub struct Opened {
    pub kind: FileKind,
    pub encoding: Option<TextEncoding>,
    pub headers: Vec<String>,
    pub table: Table,
    pub limits: Limits,
}

/// Opens a stored upload and reads its header row.
pub fn open(path: &Path, limits: Limits) -> Result<Opened, AppError> {
    let mut file = File::open(path).map_err(|e| AppError::internal("open upload", e))?;
    let size = file
        .metadata()
        .map_err(|e| AppError::internal("upload size", e))?
        .len();
    if size > limits.max_bytes {
        return Err(refuse(format!(
            "文件大小 {:.1} MB 超过上限 {} MB：请拆分成多个文件分别上传。",
            size as f64 / 1_048_576.0,
            limits.max_bytes / 1_048_576
        )));
    }
    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut file, &mut head)?;
    head.truncate(n);
    let kind = sniff(&head)?;
    file.rewind()
        .map_err(|e| AppError::internal("rewind upload", e))?;
    match kind {
        FileKind::Csv => open_csv(file, &head, limits),
        FileKind::Xlsx => open_xlsx(path, limits),
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> Result<usize, AppError> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => return Err(AppError::internal("read upload", e)),
        }
    }
    Ok(filled)
}

fn open_csv(file: File, head: &[u8], limits: Limits) -> Result<Opened, AppError> {
    let encoding = detect_encoding(head)?;
    let source: Box<dyn Read + Send> = match encoding {
        TextEncoding::Utf8 => Box::new(BufReader::with_capacity(256 * 1024, file)),
        TextEncoding::Gb18030 => Box::new(Gb18030Reader {
            inner: BufReader::with_capacity(256 * 1024, file),
            decoder: GB18030.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            output: Vec::new(),
            out_pos: 0,
            done: false,
            malformed: false,
        }),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        .from_reader(source);
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).map_err(csv_error)? {
        return Err(refuse("文件是空的：第一行应为表头，其后是数据。"));
    }
    let headers = check_cells(record.iter().map(str::to_string).collect(), 0, &limits)?;
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(refuse(
            "第一行表头是空的：请把字段名（如 CF_WSH 或“行政处罚决定书文号”）放在第一行。",
        ));
    }
    Ok(Opened {
        kind: FileKind::Csv,
        encoding: Some(encoding),
        headers,
        table: Table::Csv { reader, record },
        limits,
    })
}

fn csv_error(e: csv::Error) -> AppError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => refuse(format!(
            "第{line}行含有不是 UTF-8 的字符：文件编码混杂，请整体另存为 UTF-8 或 GBK 后重新上传。"
        )),
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            refuse("文件中有无法按 GBK 解码的字节：文件可能已损坏或编码混杂，请重新导出后上传。")
        }
        _ => refuse(format!(
            "第{line}行无法解析为 CSV：{e}。请检查引号是否成对。"
        )),
    }
}

/// Row-level bounds: too many columns or an over-long cell end the read with a clear message.
fn check_cells(cells: Vec<String>, row: u64, limits: &Limits) -> Result<Vec<String>, AppError> {
    let where_ = if row == 0 {
        "表头".to_string()
    } else {
        format!("第{row}行数据")
    };
    if cells.len() > limits.max_columns {
        return Err(refuse(format!(
            "{where_}有 {} 列，超过上限 {} 列：请删除多余的列后重新上传。",
            cells.len(),
            limits.max_columns
        )));
    }
    if let Some((col, cell)) = cells
        .iter()
        .enumerate()
        .find(|(_, c)| c.len() > limits.max_cell_chars && c.chars().count() > limits.max_cell_chars)
    {
        return Err(refuse(format!(
            "{where_}第{}列有 {} 个字，超过单元格上限 {} 字：请精简内容后重新上传。",
            col + 1,
            cell.chars().count(),
            limits.max_cell_chars
        )));
    }
    Ok(cells)
}

impl Opened {
    /// Bytes read so far (CSV), for progress.
    pub fn position(&self) -> u64 {
        match &self.table {
            Table::Csv { reader, .. } => reader.position().byte(),
            Table::Xlsx { rows } => rows.position(),
        }
    }

    /// Data rows, when a file claims to know them before they are read (XLSX's `<dimension>`,
    /// clamped): a progress hint only.
    pub fn known_rows(&self) -> Option<u64> {
        match &self.table {
            Table::Csv { .. } => None,
            Table::Xlsx { rows } => rows.known_rows(),
        }
    }

    /// The next data row (1-based row numbers follow the header), or None at the end.
    pub fn next_row(&mut self, row: u64) -> Option<Result<Vec<String>, AppError>> {
        if row > self.limits.max_rows {
            return Some(Err(refuse(format!(
                "数据超过 {} 行上限：请拆分文件后分别上传。",
                self.limits.max_rows
            ))));
        }
        let cells = match &mut self.table {
            Table::Csv { reader, record } => match reader.read_record(record) {
                Ok(false) => return None,
                Ok(true) => record.iter().map(str::to_string).collect(),
                Err(e) => return Some(Err(csv_error(e))),
            },
            Table::Xlsx { rows } => match rows.next_row()? {
                Ok(cells) => cells,
                Err(e) => return Some(Err(e)),
            },
        };
        Some(check_cells(cells, row, &self.limits))
    }
}

/// XLSX: the first worksheet, streamed (see `xlsx`); its header is the first row with content.
fn open_xlsx(path: &Path, limits: Limits) -> Result<Opened, AppError> {
    let (header, rows) = super::xlsx::open(path, limits)?;
    if header.iter().all(|c| c.trim().is_empty()) {
        return Err(refuse("工作表是空的：第一行应为表头，其后是数据。"));
    }
    Ok(Opened {
        kind: FileKind::Xlsx,
        encoding: None,
        headers: check_cells(header, 0, &limits)?,
        table: Table::Xlsx {
            rows: Box::new(rows),
        },
        limits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_is_by_content() {
        assert_eq!(sniff(b"CF_WSH,CF_XDR_MC\n"), Ok(FileKind::Csv));
        assert_eq!(sniff(b"PK\x03\x04rest"), Ok(FileKind::Xlsx));
        assert!(sniff(b"MZ\x90\x00\x03").is_err());
        assert!(sniff(b"").is_err());
        assert!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1]).is_err());
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(
            detect_encoding("行政处罚".as_bytes()),
            Ok(TextEncoding::Utf8)
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("行政处罚决定书文号,湘西州");
        assert_eq!(detect_encoding(&gbk), Ok(TextEncoding::Gb18030));
        // Cut in the middle of a UTF-8 character: still UTF-8.
        let s = "湘西".as_bytes();
        assert_eq!(detect_encoding(&s[..4]), Ok(TextEncoding::Utf8));
        assert!(detect_encoding(&[0x81, 0x20, 0xFF, 0xFF, 0x81, 0x20, 0xFE, 0x7F]).is_err());
    }
}
