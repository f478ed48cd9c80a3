//! Reading the first worksheet of an XLSX upload row by row, in bounded memory. Nothing the workbook
//! declares is trusted: the zip directory is read under a byte budget, every part is inflated through a
//! counter that stops at the limits (whatever sizes the archive claims), one XML event may not outgrow a
//! fixed size, shared strings are capped, and a cell's row and column are checked before the row grows
//! for it. Rows are pulled on demand; a gap between rows is handed out as empty rows one at a time, so row
//! numbers match the sheet without the gap ever being held.
//!
//! What comes out is what the dense reader (calamine) gave: the header is the first row with content,
//! numbers and dates as Excel wrote them (integral values without ".0", dates as serials), booleans as
//! `true`/`false`, error cells empty, trailing empty cells trimmed. Columns count from A.
mod part;

use super::upload_limits::{refuse, Limits};
use crate::error::AppError;
use part::{attr, broken, mb, Cap, Capped, Entry, Package, Step, Xml};
use quick_xml::events::Event;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Excel's sheet bounds: a reference past them was not written by Excel or WPS.
pub const EXCEL_ROWS: u64 = 1_048_576;
pub const EXCEL_COLUMNS: u64 = 16_384;
/// Shared strings: each costs 4 bytes of offsets besides its text (capped by `Limits`).
const MAX_SHARED_COUNT: usize = 8_000_000;

/// Shared strings in fixed chunks of text (no chunk is ever grown, so no copy doubles the memory) with
/// end offsets counted across chunks: 4 bytes per string besides its text. A string never spans chunks.
#[derive(Default)]
struct SharedStrings {
    chunks: Vec<String>,
    /// Where each chunk starts, counted across chunks.
    chunk_starts: Vec<u32>,
    ends: Vec<u32>,
    total: usize,
}

/// Text per chunk; a string is at most `max_cell_chars` characters.
const STRING_CHUNK: usize = 4 * 1024 * 1024;

impl SharedStrings {
    /// `total` stays within u32 (the cap is clamped to it).
    fn push(&mut self, s: &str) {
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.len() + s.len() <= c.capacity());
        if !fits {
            self.chunk_starts.push(self.total as u32);
            self.chunks
                .push(String::with_capacity(STRING_CHUNK.max(s.len())));
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.push_str(s);
        }
        self.total += s.len();
        self.ends.push(self.total as u32);
    }

    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(p) => *self.ends.get(p)? as usize,
            None => 0,
        };
        let k = self
            .chunk_starts
            .partition_point(|&c| c as usize <= start)
            .checked_sub(1)?;
        let base = *self.chunk_starts.get(k)? as usize;
        self.chunks.get(k)?.get(start - base..end - base)
    }
}

/// The shared-string table, capped in count, in total text (`limits.max_shared_strings`) and per
/// string (`max_cell_chars`: no cell may hold more, so no string needs to).
fn shared_strings(
    package: &mut Package,
    entry: &Entry,
    limits: &Limits,
) -> Result<SharedStrings, AppError> {
    let mut xml = package.xml(entry, None, Arc::default())?;
    let max_total =
        usize::try_from(limits.max_shared_strings.min(u64::from(u32::MAX))).unwrap_or(usize::MAX);
    let over = |cap: Cap| {
        match cap {
        Cap::Bytes => refuse(format!(
            "工作簿的共享字符串（单元格中的文字）超过 {} MB，已拒绝：请拆分文件或改用 CSV 上传。",
            mb(limits.max_shared_strings)
        )),
        Cap::Chars => refuse(format!(
            "工作簿的共享字符串中有超过 {} 字的文字（超过单元格上限），已拒绝：请精简内容后重新上传。",
            limits.max_cell_chars
        )),
    }
    };
    let mut table = SharedStrings::default();
    let mut one = String::new();
    loop {
        match xml.step()? {
            Step::Start(name) if name == b"si" => {
                if table.ends.len() >= MAX_SHARED_COUNT {
                    return Err(refuse(format!(
                        "工作簿的共享字符串超过 {MAX_SHARED_COUNT} 条，已拒绝：请拆分文件或改用 CSV 上传。"
                    )));
                }
                one.clear();
                let mut out = Capped {
                    out: &mut one,
                    chars: 0,
                    max_chars: limits.max_cell_chars,
                    max_bytes: max_total.saturating_sub(table.total),
                };
                xml.text(true, &mut out, &over)?;
                table.push(&one);
            }
            Step::End(name) if name == b"sst" => break,
            Step::Eof => return Err(broken()),
            _ => {}
        }
    }
    package.spent(&xml);
    Ok(table)
}

/// A cell's declared type (`t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shared,
    Inline,
    Text,
    Bool,
    Error,
    Number,
}

/// "A1" → (column, row), 0-based column, 1-based row; None when it is not a cell reference or lies
/// past Excel's bounds (a too-long reference is never parsed into a number that could overflow).
fn cell_ref(r: &[u8]) -> Option<(u64, Option<u64>)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col_part, row_part) = r.split_at(letters);
    if letters == 0 || letters > 3 || row_part.len() > 7 {
        return None;
    }
    let col = col_part.iter().fold(0u64, |n, b| {
        n * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row = match row_part {
        [] => None,
        digits if digits.iter().all(u8::is_ascii_digit) => {
            Some(std::str::from_utf8(digits).ok()?.parse().ok()?)
        }
        _ => return None,
    };
    Some((col - 1, row))
}

/// Column index (0-based) → its letters, e.g. 16383 → XFD.
pub fn column_name(col: u64) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A number as the dense reader formatted it: integral values below 1e15 without ".0".
fn number_text(raw: &str) -> String {
    match raw.trim().parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Ok(f) => f.to_string(),
        Err(_) => raw.to_string(),
    }
}

/// The first worksheet's rows after its header, pulled one at a time.
pub struct Rows {
    xml: Xml,
    strings: SharedStrings,
    limits: Limits,
    /// The sheet row of the header (0 until it is found).
    header_row: u64,
    /// The sheet row the next row handed out stands for.
    next_row: u64,
    /// The last `<row>` read, and the next row with content when it lies past `next_row`.
    last_read: u64,
    pending: Option<(u64, Vec<String>)>,
    finished: bool,
    /// The last row `<dimension>` claims (a progress hint only).
    dimension_end: Option<u64>,
    data_start: u64,
    packed: Arc<AtomicU64>,
}

/// Opens the workbook's first sheet: its header row (the first row with content) and the rows after it.
pub fn open(path: &Path, limits: Limits) -> Result<(Vec<String>, Rows), AppError> {
    let mut package = Package::open(path, &limits)?;
    let (sheet, shared) = package.locate()?;
    let strings = match shared {
        Some(entry) => shared_strings(&mut package, &entry, &limits)?,
        None => SharedStrings::default(),
    };
    let packed = Arc::new(AtomicU64::new(0));
    let mut xml = package.xml(&sheet, None, packed.clone())?;
    let mut dimension_end = None;
    // Up to <sheetData>: only <dimension> matters. A part without sheet data (a chart sheet) is empty.
    loop {
        let step = match xml.next()? {
            Event::Start(e) if e.local_name().as_ref() == b"dimension" => {
                dimension_end = attr(&e, b"ref").and_then(|r| {
                    let last = r.rsplit(|b| *b == b':').next()?.to_vec();
                    cell_ref(&last).and_then(|(_, row)| row)
                });
                Step::Other
            }
            Event::Start(e) if e.local_name().as_ref() == b"sheetData" => Step::Start(vec![]),
            Event::Eof => Step::Eof,
            _ => Step::Other,
        };
        match step {
            Step::Start(_) => break,
            Step::Eof => return Err(empty_sheet()),
            _ => {}
        }
    }
    let mut rows = Rows {
        xml,
        strings,
        limits,
        header_row: 0,
        next_row: 0,
        last_read: 0,
        pending: None,
        finished: false,
        dimension_end,
        data_start: sheet.data_start,
        packed,
    };
    let (row, header) = rows.read_row()?.ok_or_else(empty_sheet)?;
    rows.header_row = row;
    rows.next_row = row + 1;
    Ok((header, rows))
}

fn empty_sheet() -> AppError {
    refuse("工作表是空的：第一行应为表头，其后是数据。")
}

impl Rows {
    /// The next row after the header: rows between two rows with content come out empty, one per
    /// call; None after the last row with content.
    pub fn next_row(&mut self) -> Option<Result<Vec<String>, AppError>> {
        if self.pending.is_none() {
            match self.read_row() {
                Ok(Some(row)) => self.pending = Some(row),
                Ok(None) => return None,
                Err(e) => {
                    self.finished = true;
                    return Some(Err(e));
                }
            }
        }
        let next = self.next_row;
        self.next_row += 1;
        match self.pending.take() {
            Some((row, cells)) if row <= next => Some(Ok(cells)),
            waiting => {
                self.pending = waiting;
                Some(Ok(Vec::new()))
            }
        }
    }

    /// Data rows `<dimension>` claims, clamped to the row limit: a progress hint, never trusted.
    pub fn known_rows(&self) -> Option<u64> {
        let end = self.dimension_end?;
        Some(
            end.saturating_sub(self.header_row)
                .min(self.limits.max_rows),
        )
    }

    /// Bytes of the file read so far (the sheet's compressed bytes), for progress.
    pub fn position(&self) -> u64 {
        self.data_start + self.packed.load(Ordering::Relaxed)
    }

    /// The next `<row>` with content: (sheet row, cells). Rows without content are passed over, so
    /// trailing empty rows never come out (as with the dense reader).
    fn read_row(&mut self) -> Result<Option<(u64, Vec<String>)>, AppError> {
        if self.finished {
            return Ok(None);
        }
        loop {
            let step = match self.xml.next()? {
                Event::Start(e) if e.local_name().as_ref() == b"row" => {
                    Step::Start(attr(&e, b"r").unwrap_or_default())
                }
                Event::End(e) if e.local_name().as_ref() == b"sheetData" => Step::End(vec![]),
                Event::Eof => Step::Eof,
                _ => Step::Other,
            };
            match step {
                Step::Start(r) => {
                    let row = self.row_number(&r)?;
                    let cells = self.read_cells(row)?;
                    if !cells.is_empty() {
                        return Ok(Some((row, cells)));
                    }
                }
                Step::End(_) => {
                    self.finished = true;
                    // Read on to the part's end, where its CRC is checked.
                    while !matches!(self.xml.step()?, Step::Eof) {}
                    return Ok(None);
                }
                Step::Eof => return Err(broken()),
                Step::Other => {}
            }
        }
    }

    /// A `<row r>` checked: within Excel's rows and after the row before (rows are written in order).
    fn row_number(&mut self, r: &[u8]) -> Result<u64, AppError> {
        let row = if r.is_empty() {
            self.last_read + 1
        } else {
            std::str::from_utf8(r)
                .ok()
                .filter(|s| s.len() <= 7)
                .and_then(|s| s.parse::<u64>().ok())
                .ok_or_else(broken)?
        };
        if row == 0 || row > EXCEL_ROWS {
            return Err(refuse(format!(
                "工作表中出现第{row}行，超出 Excel 的最大行数 {EXCEL_ROWS}：文件不是 Excel/WPS 正常保存的，请重新另存后上传。"
            )));
        }
        if row <= self.last_read {
            return Err(refuse(format!(
                "工作表的行顺序错乱（第{row}行出现在第{}行之后）：请在 Excel/WPS 中重新另存后上传。",
                self.last_read
            )));
        }
        self.last_read = row;
        Ok(row)
    }

    /// The cells of the row just opened. A cell grows the row only when it has a value, and only
    /// after its column (and the row) passed the limits.
    fn read_cells(&mut self, row: u64) -> Result<Vec<String>, AppError> {
        enum At {
            Cell(u64, Kind),
            Other(bool),
            End,
        }
        let mut cells: Vec<String> = Vec::new();
        let mut next_col = 0u64;
        loop {
            let at = match self.xml.next()? {
                Event::Start(e) if e.local_name().as_ref() == b"c" => {
                    let col = match attr(&e, b"r") {
                        Some(r) => match cell_ref(&r) {
                            Some((col, _)) => col,
                            None => return Err(bad_ref(row, &r)),
                        },
                        None => next_col,
                    };
                    let kind = match attr(&e, b"t").as_deref() {
                        Some(b"s") => Kind::Shared,
                        Some(b"inlineStr") => Kind::Inline,
                        Some(b"b") => Kind::Bool,
                        Some(b"e") => Kind::Error,
                        Some(b"n") | None => Kind::Number,
                        // str (a formula's text), d (ISO date text) and anything else: the text as written.
                        Some(_) => Kind::Text,
                    };
                    At::Cell(col, kind)
                }
                Event::Start(_) => At::Other(true),
                Event::End(e) if e.local_name().as_ref() == b"row" => At::End,
                Event::Eof => return Err(broken()),
                _ => At::Other(false),
            };
            let (col, kind) = match at {
                At::Cell(col, kind) => (col, kind),
                At::End => return Ok(cells),
                At::Other(opened) => {
                    if opened {
                        self.xml.skip()?;
                    }
                    continue;
                }
            };
            if col >= EXCEL_COLUMNS {
                return Err(refuse(format!(
                    "工作表第{row}行有第{}列的单元格，超出 Excel 的最大列 XFD：文件不是 Excel/WPS 正常保存的，请重新另存后上传。",
                    col + 1
                )));
            }
            next_col = col + 1;
            let value = self.cell_value(kind, row, col)?;
            if value.is_empty() {
                continue;
            }
            let max_columns = self.limits.max_columns as u64;
            if col >= max_columns {
                return Err(refuse(format!(
                    "第{row}行第{}列（{}）超出上限（最多{max_columns}列）：该单元格有内容。请删除多余的列，或把数据移到前 {max_columns} 列后重新上传。",
                    col + 1,
                    column_name(col)
                )));
            }
            if self.header_row > 0 && row - self.header_row > self.limits.max_rows {
                return Err(refuse(format!(
                    "数据超过 {} 行上限（工作表第{row}行有内容）：请拆分文件后分别上传。",
                    self.limits.max_rows
                )));
            }
            let at = col as usize;
            if cells.len() <= at {
                cells.resize(at + 1, String::new());
            }
            if let Some(cell) = cells.get_mut(at) {
                *cell = value;
            }
        }
    }

    /// The value of the cell just opened, up to its end tag, capped at `max_cell_chars`.
    fn cell_value(&mut self, kind: Kind, row: u64, col: u64) -> Result<String, AppError> {
        let max_chars = self.limits.max_cell_chars;
        let too_long = |_: Cap| {
            refuse(format!(
                "第{row}行第{}列（{}）超过单元格上限 {max_chars} 字：请精简内容后重新上传。",
                col + 1,
                column_name(col)
            ))
        };
        let (mut raw, mut inline) = (None::<String>, None::<String>);
        loop {
            let step = self.xml.step()?;
            match step {
                Step::Start(name) if name == b"v" || name == b"is" => {
                    let mut text = String::new();
                    let mut out = Capped {
                        out: &mut text,
                        chars: 0,
                        max_chars,
                        max_bytes: usize::MAX,
                    };
                    self.xml.text(name == b"is", &mut out, &too_long)?;
                    if name == b"v" {
                        raw = Some(text);
                    } else {
                        inline = Some(text);
                    }
                }
                Step::Start(_) => self.xml.skip()?,
                Step::End(_) => break,
                Step::Eof => return Err(broken()),
                Step::Other => {}
            }
        }
        Ok(match (kind, raw) {
            (Kind::Inline, raw) => inline.or(raw).unwrap_or_default(),
            (_, None) => String::new(),
            (Kind::Shared, Some(v)) => {
                let s = v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.strings.get(i))
                    .ok_or_else(|| {
                        refuse(format!(
                            "第{row}行第{}列引用了不存在的共享字符串：文件已损坏，请在 Excel/WPS 中重新另存后上传。",
                            col + 1
                        ))
                    })?;
                if s.len() > max_chars && s.chars().count() > max_chars {
                    return Err(too_long(Cap::Chars));
                }
                s.to_string()
            }
            (Kind::Bool, Some(v)) => (v != "0").to_string(),
            (Kind::Error, Some(_)) => String::new(),
            (Kind::Number, Some(v)) if v.is_empty() => String::new(),
            (Kind::Number, Some(v)) => number_text(&v),
            (Kind::Text, Some(v)) => v,
        })
    }
}

fn bad_ref(row: u64, r: &[u8]) -> AppError {
    let r: String = String::from_utf8_lossy(r).chars().take(20).collect();
    refuse(format!(
        "工作表第{row}行的单元格位置“{r}”无效或超出 Excel 的范围：文件不是 Excel/WPS 正常保存的，请重新另存后上传。"
    ))
}

#[cfg(test)]
mod tests;
