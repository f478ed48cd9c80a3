//! Hostile workbooks, built byte by byte, for the reader's tests and for measuring the release server
//! (`server gen-hostile-xlsx DIR`). Each is small on disk. The deflate streams are written by hand
//! (fixed Huffman codes, long back-references), so hundreds of MB of XML cost a few MB and no
//! compression time, and a part's size can be declared falsely, as an attacker would.
use super::xlsx::{column_name, EXCEL_ROWS};

/// A header the penalty class knows, so that a check goes on to read the rows.
pub const HEADER: &str = "行政处罚决定书文号";

/// One hostile workbook: its file name, bytes, what it does, and a fragment of the refusal it must
/// meet (empty when it must be read to the end).
pub struct Sample {
    pub file: &'static str,
    pub what: &'static str,
    pub refusal: &'static str,
    pub bytes: Vec<u8>,
}

/// The set for measuring the server with its default limits.
pub fn all() -> Vec<Sample> {
    vec![
        Sample {
            file: "far-apart.xlsx",
            what: "A1 与 XFD1048576 两个单元格：按稠密区域读取需数百 GB",
            refusal: "第1048576行第16384列（XFD）超出上限",
            bytes: far_apart(),
        },
        Sample {
            file: "lying-sizes.xlsx",
            what: "工作表声明解压后 1 KB，实际解压 600 MB",
            refusal: "解压后超过",
            bytes: lying_sizes(600 << 20),
        },
        Sample {
            file: "huge-shared-strings.xlsx",
            what: "1 GB 共享字符串，每条 3.2 万字（声明大小 1 KB）",
            refusal: "共享字符串",
            bytes: huge_shared_strings(1 << 30, 32_000),
        },
        Sample {
            file: "many-columns.xlsx",
            what: "1000 行，每行在 A 列和 XFD 列各有一个单元格",
            refusal: "超出上限（最多200列）",
            bytes: many_columns(EXCEL_COLUMNS_LAST, 1000),
        },
        Sample {
            file: "long-text-run.xlsx",
            what: "一个 64 MB 的单元格文本（单个 XML 事件）",
            refusal: "连续内容",
            bytes: long_text_run(64 << 20),
        },
        Sample {
            file: "sparse-rows.xlsx",
            what: "表头在第 1 行、唯一的数据在第 1048576 行：应逐行读完（其间为空行），不被拒绝",
            refusal: "",
            bytes: sparse_rows(EXCEL_ROWS),
        },
    ]
}

const EXCEL_COLUMNS_LAST: u64 = 16_383;

/// A1 (a header) and XFD1048576: a dense reader allocates 2^34 cells.
pub fn far_apart() -> Vec<u8> {
    let sheet = format!(
        "{HEAD}<dimension ref=\"A1:XFD1048576\"/><sheetData>{}<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData></worksheet>",
        header_row()
    );
    workbook(Part::plain(&sheet), None)
}

/// A sheet whose headers declare 1 KB but which inflates to `inflated` bytes of `<x/>` elements.
pub fn lying_sizes(inflated: u64) -> Vec<u8> {
    let mut d = Deflate::new(inflated);
    d.literal(HEAD.as_bytes());
    d.literal(b"<sheetData><x/>");
    d.repeat(4, inflated.saturating_sub(d.size));
    workbook(d.finish(Some(1024)), None)
}

/// A shared-string table of `total` bytes of text in strings of `each` characters, declared as 1 KB.
pub fn huge_shared_strings(total: u64, each: u64) -> Vec<u8> {
    let mut d = Deflate::new(total);
    d.literal(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
    let mut written = 0u64;
    while written < total {
        d.literal(b"<si><t>a");
        d.repeat(1, each.saturating_sub(1));
        d.literal(b"</t></si>");
        written += each.max(1);
    }
    d.literal(b"</sst>");
    let sheet = format!(
        "{HEAD}<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>"
    );
    workbook(Part::plain(&sheet), Some(d.finish(Some(1024))))
}

/// A header, then `rows` rows with a cell in A and one in column `far` (0-based).
pub fn many_columns(far: u64, rows: u64) -> Vec<u8> {
    let far = column_name(far);
    let mut sheet = format!("{HEAD}<sheetData>{}", header_row());
    for r in 2..rows + 2 {
        sheet.push_str(&format!(
            "<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c><c r=\"{far}{r}\"><v>1</v></c></row>"
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    workbook(Part::plain(&sheet), None)
}

/// A header and a first data row of `columns` cells.
pub fn wide_row(columns: u64) -> Vec<u8> {
    let mut sheet = format!("{HEAD}<sheetData>{}<row r=\"2\">", header_row());
    for c in 0..columns {
        sheet.push_str(&format!("<c r=\"{}2\"><v>{c}</v></c>", column_name(c)));
    }
    sheet.push_str("</row></sheetData></worksheet>");
    workbook(Part::plain(&sheet), None)
}

/// A header in row 1 and one value in row `last`: every row between is empty.
pub fn sparse_rows(last: u64) -> Vec<u8> {
    let sheet = format!(
        "{HEAD}<dimension ref=\"A1:A{last}\"/><sheetData>{}<row r=\"{last}\"><c r=\"A{last}\"><v>1</v></c></row></sheetData></worksheet>",
        header_row()
    );
    workbook(Part::plain(&sheet), None)
}

/// One inline-string cell whose text is a single run of `len` bytes (one XML event).
pub fn long_text_run(len: u64) -> Vec<u8> {
    let mut d = Deflate::new(len);
    d.literal(HEAD.as_bytes());
    d.literal(header_row().as_bytes());
    d.literal(b"<sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>a");
    d.repeat(1, len);
    d.literal(b"</t></is></c></row></sheetData></worksheet>");
    workbook(d.finish(None), None)
}

/// A workbook whose package lists `entries` parts besides its own.
pub fn many_entries(entries: usize) -> Vec<u8> {
    let sheet = format!("{HEAD}<sheetData>{}</sheetData></worksheet>", header_row());
    let mut parts = parts(Part::plain(&sheet), None);
    for i in 0..entries {
        parts.push((format!("xl/media/x{i}.bin"), Part::plain("")));
    }
    package(&parts)
}

/// A workbook from hand-written sheet XML (and shared strings), for tests.
pub fn plain(sheet: &str, shared: Option<&str>) -> Vec<u8> {
    workbook(Part::plain(sheet), shared.map(Part::plain))
}

fn header_row() -> String {
    format!("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>{HEADER}</t></is></c></row>")
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">";

/// A compressed part: deflate bytes, real size, CRC, and the size its headers declare.
struct Part {
    deflated: Vec<u8>,
    size: u64,
    crc: u32,
    declared: Option<u32>,
}

impl Part {
    fn plain(xml: &str) -> Part {
        let mut d = Deflate::new(xml.len() as u64);
        d.literal(xml.as_bytes());
        d.finish(None)
    }
}

fn parts(sheet: Part, shared: Option<Part>) -> Vec<(String, Part)> {
    let shared_rel = if shared.is_some() {
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    } else {
        ""
    };
    let mut out = vec![
        (
            "[Content_Types].xml".to_string(),
            Part::plain("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>"),
        ),
        (
            "_rels/.rels".to_string(),
            Part::plain("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        (
            "xl/workbook.xml".to_string(),
            Part::plain("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels".to_string(),
            Part::plain(&format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>{shared_rel}</Relationships>")),
        ),
        ("xl/worksheets/sheet1.xml".to_string(), sheet),
    ];
    if let Some(s) = shared {
        out.push(("xl/sharedStrings.xml".to_string(), s));
    }
    out
}

fn workbook(sheet: Part, shared: Option<Part>) -> Vec<u8> {
    package(&parts(sheet, shared))
}

/// A zip archive (deflated entries, no data descriptors), sizes as each part declares them.
fn package(parts: &[(String, Part)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, n: u16| v.extend_from_slice(&n.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, n: u32| v.extend_from_slice(&n.to_le_bytes());
    for (name, part) in parts {
        let offset = out.len() as u32;
        let size = part.declared.unwrap_or(part.size as u32);
        for (v, central_header) in [(&mut out, false), (&mut central, true)] {
            u32le(
                v,
                if central_header {
                    0x0201_4b50
                } else {
                    0x0403_4b50
                },
            );
            if central_header {
                u16le(v, 20); // version made by
            }
            u16le(v, 20); // version needed
            u16le(v, 0x0800); // flags: UTF-8 names
            u16le(v, 8); // deflate
            u16le(v, 0); // time
            u16le(v, 0x21); // date 1980-01-01
            u32le(v, part.crc);
            u32le(v, part.deflated.len() as u32);
            u32le(v, size);
            u16le(v, name.len() as u16);
            u16le(v, 0); // extra
            if central_header {
                u16le(v, 0); // comment
                u16le(v, 0); // disk
                u16le(v, 0); // internal attributes
                u32le(v, 0); // external attributes
                u32le(v, offset);
            }
            v.extend_from_slice(name.as_bytes());
        }
        out.extend_from_slice(&part.deflated);
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    let n = parts.len().min(usize::from(u16::MAX)) as u16;
    u16le(&mut out, n);
    u16le(&mut out, n);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

/// A deflate stream in one block with the fixed Huffman codes: literals, and runs that repeat the
/// last 1–4 bytes 258 at a time (13 bits per 258 bytes).
struct Deflate {
    out: Vec<u8>,
    acc: u64,
    bits: u32,
    last: Vec<u8>,
    size: u64,
    /// The CRC of what comes out, kept only for small parts (a hostile part is refused before its end,
    /// where a reader checks it).
    crc: Option<flate2::Crc>,
}

/// Parts up to this size get a true CRC.
const CRC_UP_TO: u64 = 64 << 20;

impl Deflate {
    fn new(expected: u64) -> Self {
        let mut d = Deflate {
            out: Vec::new(),
            acc: 0,
            bits: 0,
            last: Vec::new(),
            size: 0,
            crc: (expected <= CRC_UP_TO).then(flate2::Crc::new),
        };
        d.put(1, 1); // final block
        d.put(1, 2); // fixed Huffman codes
        d
    }

    fn put(&mut self, value: u64, n: u32) {
        self.acc |= value << self.bits;
        self.bits += n;
        while self.bits >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.bits -= 8;
        }
    }

    /// A Huffman code goes out most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let reversed = (0..len).fold(0u64, |r, i| {
            r | (u64::from((code >> i) & 1) << (len - 1 - i))
        });
        self.put(reversed, len);
    }

    fn emitted(&mut self, bytes: &[u8]) {
        self.size += bytes.len() as u64;
        if let Some(crc) = &mut self.crc {
            crc.update(bytes);
        }
        self.last.extend_from_slice(bytes);
        let extra = self.last.len().saturating_sub(4);
        self.last.drain(..extra);
    }

    fn literal(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b < 144 {
                self.code(0x30 + u32::from(b), 8);
            } else {
                self.code(0x190 + u32::from(b) - 144, 9);
            }
        }
        self.emitted(bytes);
    }

    /// `len` more bytes repeating the last `dist` (1–4) bytes.
    fn repeat(&mut self, dist: usize, len: u64) {
        let period: Vec<u8> = self
            .last
            .get(self.last.len().saturating_sub(dist)..)
            .unwrap_or_default()
            .to_vec();
        if period.len() != dist || !(1..=4).contains(&dist) {
            return;
        }
        let at = |i: usize| period.get(i % dist).copied().unwrap_or_default();
        let (mut left, mut phase, mut runs) = (len, 0usize, 0u64);
        let mut chunk = Vec::with_capacity(258);
        while left >= 258 {
            self.code(0b1100_0101, 8); // length 258 (symbol 285)
            self.code((dist - 1) as u32, 5); // distance 1–4 (codes 0–3)
            if self.crc.is_some() {
                chunk.clear();
                chunk.extend((0..258).map(|i| at(phase + i)));
                self.emitted(&chunk);
            } else {
                self.size += 258;
            }
            phase = (phase + 258) % dist;
            left -= 258;
            runs += 1;
        }
        if runs > 0 {
            self.last = (0..4).map(|i| at(phase + dist * 4 - 4 + i)).collect();
        }
        let rest: Vec<u8> = (0..left as usize).map(|i| at(phase + i)).collect();
        self.literal(&rest);
    }

    fn finish(mut self, declared: Option<u32>) -> Part {
        self.code(0, 7); // end of block
        if self.bits > 0 {
            self.out.push(self.acc as u8);
        }
        Part {
            deflated: self.out,
            size: self.size,
            crc: self.crc.map_or(0, |c| c.sum()),
            declared,
        }
    }
}
