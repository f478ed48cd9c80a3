//! The package side of the XLSX reader: the zip directory read under a byte budget, each part inflated
//! through a counter that stops at the limits (the sizes the archive declares are only a first filter)
//! with its CRC checked at the end, and XML events no larger than `MAX_EVENT`.
use crate::collect::service::upload_limits::{refuse, Limits};
use crate::error::AppError;
use quick_xml::events::{BytesStart, Event};
use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Bytes the zip directory may take to read, and how many parts it may list (a workbook has dozens).
const DIRECTORY_BUDGET: u64 = 8 * 1024 * 1024;
const MAX_ENTRIES: usize = 10_000;
/// workbook.xml and its relationships are a few KB in any real workbook.
const MAX_META_PART: u64 = 16 * 1024 * 1024;
/// One XML event (a tag, a text run, a comment). A 32 767-character cell written as character
/// references is under 300 KB.
const MAX_EVENT: u64 = 4 * 1024 * 1024;
pub(super) fn broken() -> AppError {
    refuse("XLSX 文件已损坏或不完整：请在 Excel/WPS 中打开后重新另存为 .xlsx 再上传。")
}

pub(super) fn mb(bytes: u64) -> u64 {
    bytes / 1_048_576
}

/// A refusal raised inside a reader; it travels up as an `io::Error` and keeps its message.
#[derive(Debug)]
struct Refusal(String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

fn refusal(message: String) -> io::Error {
    io::Error::other(Refusal(message))
}

/// Our own refusal keeps its message; any other I/O or XML error means the file is broken.
fn from_io(e: &io::Error) -> AppError {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Refusal>())
    {
        Some(Refusal(m)) => refuse(m.clone()),
        None => broken(),
    }
}

fn from_xml(e: quick_xml::Error) -> AppError {
    match &e {
        quick_xml::Error::Io(io) => from_io(io),
        _ => broken(),
    }
}

/// The zip directory's reader: at most `DIRECTORY_BUDGET` bytes, whatever the directory claims.
struct Budgeted<R> {
    inner: R,
    left: u64,
    exhausted: Rc<Cell<bool>>,
}

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 && !buf.is_empty() {
            self.exhausted.set(true);
            return Err(io::Error::other("zip directory budget exhausted"));
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(buf.get_mut(..max).unwrap_or_default())?;
        self.left -= n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Budgeted<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Counts compressed bytes read (the sheet's progress through the file).
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A part's decompressed bytes: counted and stopped at `cap`, whatever size the archive declared;
/// the CRC is checked at the end.
struct Inflate {
    inner: Box<dyn Read + Send>,
    crc: flate2::Crc,
    expected_crc: u32,
    read: u64,
    cap: u64,
    over: String,
}

impl Read for Inflate {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            if !buf.is_empty() && self.crc.sum() != self.expected_crc {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "crc mismatch"));
            }
            return Ok(0);
        }
        self.read += n as u64;
        if self.read > self.cap {
            return Err(refusal(self.over.clone()));
        }
        self.crc.update(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}

/// Bounds one XML event: the XML reader buffers a whole tag, text run or comment, so the bytes it
/// consumes since `mark` (set before each event) may not pass `MAX_EVENT`.
struct Guard<R> {
    inner: R,
    consumed: u64,
    mark: u64,
}

impl<R: BufRead> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), available.get(..n)) {
            to.copy_from_slice(from);
        }
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guard<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.consumed - self.mark > MAX_EVENT {
            return Err(refusal(format!(
                "XLSX 中有一段超过 {} MB 的连续内容（单元格或标记过长），不是正常保存的工作簿，已拒绝：请在 Excel/WPS 中检查后重新另存上传。",
                mb(MAX_EVENT)
            )));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.consumed += n as u64;
        self.inner.consume(n);
    }
}

/// One part's XML events.
pub(super) struct Xml {
    reader: quick_xml::Reader<Guard<BufReader<Inflate>>>,
    buf: Vec<u8>,
}

/// What a loop needs to know about an event once the event's buffer is released.
pub(super) enum Step {
    Start(Vec<u8>),
    End(Vec<u8>),
    Other,
    Eof,
}

impl Xml {
    pub(super) fn next(&mut self) -> Result<Event<'_>, AppError> {
        let guard = self.reader.get_mut();
        guard.mark = guard.consumed;
        self.buf.clear();
        self.reader.read_event_into(&mut self.buf).map_err(from_xml)
    }

    /// The next event reduced to element names (local names, without a namespace prefix).
    pub(super) fn step(&mut self) -> Result<Step, AppError> {
        Ok(match self.next()? {
            Event::Start(e) => Step::Start(e.local_name().as_ref().to_vec()),
            Event::End(e) => Step::End(e.local_name().as_ref().to_vec()),
            Event::Eof => Step::Eof,
            _ => Step::Other,
        })
    }

    /// Decompressed bytes read so far.
    fn inflated(&self) -> u64 {
        self.reader.get_ref().inner.get_ref().read
    }

    /// Skips the rest of the element just opened.
    pub(super) fn skip(&mut self) -> Result<(), AppError> {
        let mut depth = 0usize;
        loop {
            match self.step()? {
                Step::Start(_) => depth += 1,
                Step::End(_) if depth == 0 => return Ok(()),
                Step::End(_) => depth -= 1,
                Step::Eof => return Err(broken()),
                Step::Other => {}
            }
        }
    }

    /// Appends the text inside the element just opened to `out`, up to its end tag. With `rich`, only
    /// `<t>` runs outside phonetic guides (`<rPh>`) count, as in shared and inline strings; otherwise
    /// all text does (`<v>`). `over` is the refusal once `out` would pass one of its caps.
    pub(super) fn text(
        &mut self,
        rich: bool,
        out: &mut Capped<'_>,
        over: &dyn Fn(Cap) -> AppError,
    ) -> Result<(), AppError> {
        let (mut depth, mut in_t, mut in_phonetic) = (0usize, 0usize, 0usize);
        loop {
            let fits = match self.next()? {
                Event::Start(e) => {
                    depth += 1;
                    match e.local_name().as_ref() {
                        b"t" => in_t += 1,
                        b"rPh" => in_phonetic += 1,
                        _ => {}
                    }
                    Ok(())
                }
                Event::End(e) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    match e.local_name().as_ref() {
                        b"t" => in_t = in_t.saturating_sub(1),
                        b"rPh" => in_phonetic = in_phonetic.saturating_sub(1),
                        _ => {}
                    }
                    Ok(())
                }
                Event::Text(t) if !rich || (in_t > 0 && in_phonetic == 0) => {
                    out.push(&t.unescape().map_err(|_| broken())?)
                }
                Event::CData(c) if !rich || (in_t > 0 && in_phonetic == 0) => {
                    out.push(std::str::from_utf8(&c).map_err(|_| broken())?)
                }
                Event::Eof => return Err(broken()),
                _ => Ok(()),
            };
            if let Err(cap) = fits {
                return Err(over(cap));
            }
        }
    }
}

/// Text collected under caps: characters (a cell's), and bytes (what is left of a table's budget).
pub(super) struct Capped<'a> {
    pub(super) out: &'a mut String,
    pub(super) chars: usize,
    pub(super) max_chars: usize,
    pub(super) max_bytes: usize,
}

/// Which cap a piece of text would pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cap {
    Chars,
    Bytes,
}

impl Capped<'_> {
    /// Appends the piece, or says which cap it would pass (and adds nothing).
    fn push(&mut self, piece: &str) -> Result<(), Cap> {
        if self.out.len().saturating_add(piece.len()) > self.max_bytes {
            return Err(Cap::Bytes);
        }
        self.chars += piece.chars().count();
        if self.chars > self.max_chars {
            return Err(Cap::Chars);
        }
        self.out.push_str(piece);
        Ok(())
    }
}

pub(super) fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<Vec<u8>> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    attrs
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Stored,
    Deflated,
    Other,
}

/// Where a part's bytes lie, from the zip directory.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    name: String,
    pub(super) data_start: u64,
    packed: u64,
    method: Method,
    crc: u32,
}

/// The package: its directory, and the decompressed bytes spent so far against the limit.
pub(super) struct Package {
    path: PathBuf,
    entries: Vec<Entry>,
    unpacked: u64,
    limit: u64,
}

impl Package {
    /// Reads the directory under its byte budget, refuses encrypted workbooks, and refuses early what
    /// the declared sizes already show to be too big (cheap, but only a first filter: declared sizes
    /// can lie, and the counter in `Inflate` is the real guard).
    pub(super) fn open(path: &Path, limits: &Limits) -> Result<Self, AppError> {
        let file = File::open(path).map_err(|e| AppError::internal("open upload", e))?;
        let exhausted = Rc::new(Cell::new(false));
        let reader = Budgeted {
            inner: BufReader::new(file),
            left: DIRECTORY_BUDGET,
            exhausted: exhausted.clone(),
        };
        let directory_refusal = |exhausted: bool| {
            if exhausted {
                refuse(format!(
                    "XLSX 的文件目录超过 {} MB，不是正常保存的工作簿，已拒绝：请在 Excel/WPS 中重新另存后上传。",
                    mb(DIRECTORY_BUDGET)
                ))
            } else {
                broken()
            }
        };
        let mut zip =
            zip::ZipArchive::new(reader).map_err(|_| directory_refusal(exhausted.get()))?;
        if zip.len() > MAX_ENTRIES {
            return Err(refuse(format!(
                "XLSX 内含 {} 个文件，超过正常工作簿的上限 {MAX_ENTRIES} 个，已拒绝：请在 Excel/WPS 中重新另存后上传。",
                zip.len()
            )));
        }
        let mut entries = Vec::with_capacity(zip.len());
        let mut declared: u64 = 0;
        for i in 0..zip.len() {
            let e = zip
                .by_index_raw(i)
                .map_err(|_| directory_refusal(exhausted.get()))?;
            if e.encrypted() {
                return Err(refuse("工作簿设置了密码：请取消密码保护后重新上传。"));
            }
            let (size, packed) = (e.size(), e.compressed_size());
            declared = declared.saturating_add(size);
            if size > 10 * 1024 * 1024 && size / packed.max(1) > 200 {
                return Err(refuse(
                    "文件解压后异常膨胀（疑似压缩炸弹），已拒绝：请上传正常导出的 XLSX 文件。",
                ));
            }
            entries.push(Entry {
                name: e.name().replace('\\', "/"),
                data_start: e.data_start(),
                packed,
                method: match e.compression() {
                    zip::CompressionMethod::Stored => Method::Stored,
                    zip::CompressionMethod::Deflated => Method::Deflated,
                    _ => Method::Other,
                },
                crc: e.crc32(),
            });
        }
        if declared > limits.max_xlsx_unpacked {
            return Err(refuse(format!(
                "XLSX 解压后超过 {} MB：请拆分文件或改用 CSV 上传。",
                mb(limits.max_xlsx_unpacked)
            )));
        }
        Ok(Package {
            path: path.to_path_buf(),
            entries,
            unpacked: 0,
            limit: limits.max_xlsx_unpacked,
        })
    }

    fn find(&self, name: &str) -> Option<Entry> {
        self.entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// Streams one part as XML. `cap` bounds this part; the package's total bounds them all.
    pub(super) fn xml(
        &self,
        entry: &Entry,
        cap: Option<u64>,
        packed: Arc<AtomicU64>,
    ) -> Result<Xml, AppError> {
        let io = |e: io::Error| AppError::internal("open upload", e);
        let mut file = File::open(&self.path).map_err(io)?;
        file.seek(SeekFrom::Start(entry.data_start)).map_err(io)?;
        let raw = Counted {
            inner: file.take(entry.packed),
            count: packed,
        };
        let decoded: Box<dyn Read + Send> = match entry.method {
            Method::Stored => Box::new(raw),
            Method::Deflated => Box::new(flate2::read::DeflateDecoder::new(raw)),
            Method::Other => {
                return Err(refuse(
                    "XLSX 使用了不支持的压缩方式：请在 Excel/WPS 中重新另存为 .xlsx 后上传。",
                ))
            }
        };
        let left = self.limit.saturating_sub(self.unpacked);
        let (cap, over) = match cap {
            Some(c) if c < left => (
                c,
                format!(
                    "XLSX 中的 {} 解压后超过 {} MB，不是正常保存的工作簿，已拒绝。",
                    entry.name,
                    mb(c)
                ),
            ),
            _ => (left, too_big_message(self.limit)),
        };
        let inflate = Inflate {
            inner: decoded,
            crc: flate2::Crc::new(),
            expected_crc: entry.crc,
            read: 0,
            cap,
            over,
        };
        let mut reader = quick_xml::Reader::from_reader(Guard {
            inner: BufReader::with_capacity(64 * 1024, inflate),
            consumed: 0,
            mark: 0,
        });
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = true;
        config.check_end_names = false;
        config.check_comments = false;
        Ok(Xml {
            reader,
            buf: Vec::with_capacity(4096),
        })
    }

    pub(super) fn spent(&mut self, xml: &Xml) {
        self.unpacked = self.unpacked.saturating_add(xml.inflated());
    }

    /// The first sheet's part and the shared strings' part, from workbook.xml and its relationships.
    pub(super) fn locate(&mut self) -> Result<(Entry, Option<Entry>), AppError> {
        let workbook = self.find("xl/workbook.xml").ok_or_else(broken)?;
        let mut xml = self.xml(&workbook, Some(MAX_META_PART), Arc::default())?;
        let rel_id = first_sheet(&mut xml)?;
        self.spent(&xml);
        let rel_id = rel_id.ok_or_else(|| refuse("工作簿中没有工作表。"))?;
        let rels = self.find("xl/_rels/workbook.xml.rels").ok_or_else(broken)?;
        let mut xml = self.xml(&rels, Some(MAX_META_PART), Arc::default())?;
        let (sheet, shared) = targets(&mut xml, &rel_id)?;
        self.spent(&xml);
        let sheet = sheet
            .and_then(|t| self.find(&part_path(&t)))
            .ok_or_else(broken)?;
        let shared = match shared {
            Some(t) => self.find(&part_path(&t)),
            None => self.find("xl/sharedStrings.xml"),
        };
        Ok((sheet, shared))
    }
}

fn too_big_message(limit: u64) -> String {
    format!(
        "XLSX 解压后超过 {} MB（按实际解压的内容计算），已拒绝：请拆分文件或改用 CSV 上传。",
        mb(limit)
    )
}

/// The relationship id of workbook.xml's first `<sheet>` (the sheet calamine called the first).
fn first_sheet(xml: &mut Xml) -> Result<Option<String>, AppError> {
    loop {
        match xml.next()? {
            Event::Start(e) if e.local_name().as_ref() == b"sheet" => {
                let mut attrs = e.attributes();
                attrs.with_checks(false);
                let id = attrs
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"id" && a.key.prefix().is_some())
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                return Ok(id);
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// The targets of the sheet relationship `rel_id` and of the shared-strings relationship.
fn targets(xml: &mut Xml, rel_id: &str) -> Result<(Option<String>, Option<String>), AppError> {
    let (mut sheet, mut shared) = (None, None);
    loop {
        match xml.next()? {
            Event::Start(e) if e.local_name().as_ref() == b"Relationship" => {
                let value = |name: &[u8]| {
                    attr(&e, name).map(|v| {
                        quick_xml::escape::unescape(&String::from_utf8_lossy(&v))
                            .map(|s| s.into_owned())
                            .unwrap_or_default()
                    })
                };
                let target = value(b"Target");
                if value(b"Id").as_deref() == Some(rel_id) {
                    sheet = target;
                } else if value(b"Type").is_some_and(|t| t.ends_with("/sharedStrings")) {
                    shared = target;
                }
            }
            Event::Eof => return Ok((sheet, shared)),
            _ => {}
        }
    }
}

/// A relationship target as a path inside the package (targets are relative to xl/).
fn part_path(target: &str) -> String {
    let t = target.replace('\\', "/");
    if let Some(abs) = t.strip_prefix('/') {
        abs.to_string()
    } else if t.starts_with("xl/") {
        t
    } else {
        format!("xl/{}", t.trim_start_matches("./"))
    }
}
