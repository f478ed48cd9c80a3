//! The streaming XLSX reader: hostile workbooks are refused with their reason while this thread's heap
//! stays small (a counting allocator measures it), and ordinary cells read as the dense reader gave them.
use super::*;
use crate::collect::service::files;
use crate::collect::service::hostile_xlsx as hostile;
use crate::collect::service::upload_limits::Limits;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;

/// Counts the live heap bytes of each thread and their peak, so a test can show a read stayed small.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grew(by: isize) {
    let _ = LIVE.try_with(|live| {
        let now = (live.get() as isize).saturating_add(by).max(0) as usize;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grew(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        grew(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() {
            grew(new_size as isize - layout.size() as isize);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`; returns its result and the most heap it held at once on this thread.
fn peak<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    (out, PEAK.with(Cell::get) - base)
}

const MB: usize = 1 << 20;

/// A workbook on disk for the length of a test.
struct TempFile(PathBuf);

impl TempFile {
    fn new(bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "xlsx-reader-{}.xlsx",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Every row of the first sheet, header first, or the refusal's message.
fn read_all(bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, String> {
    let file = TempFile::new(bytes);
    let mut opened = files::open(&file.0, limits).map_err(message)?;
    let mut rows = vec![opened.headers.clone()];
    while let Some(row) = opened.next_row(rows.len() as u64) {
        rows.push(row.map_err(message)?);
    }
    Ok(rows)
}

fn message(e: AppError) -> String {
    match e {
        AppError::Validation(f) => {
            assert_eq!(f[0].code, "FILE_INVALID", "{f:?}");
            f[0].message.clone()
        }
        other => panic!("not a refusal: {other:?}"),
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn far_apart_cells_are_refused_before_the_row_grows() {
    let book = hostile::far_apart();
    let (read, heap) = peak(|| read_all(&book, Limits::default()));
    let e = read.unwrap_err();
    assert!(
        e.contains("第1048576行第16384列（XFD）超出上限（最多200列）"),
        "{e}"
    );
    assert!(heap < 4 * MB, "heap {heap}");
}

#[test]
fn declared_sizes_are_not_trusted_decompressed_bytes_are_counted() {
    // The sheet's headers say 1 KB; it inflates to 300 MB.
    let book = hostile::lying_sizes(300 << 20);
    let limits = Limits {
        max_xlsx_unpacked: 8 << 20,
        ..Limits::default()
    };
    let (read, heap) = peak(|| read_all(&book, limits));
    let e = read.unwrap_err();
    assert!(e.contains("解压后超过 8 MB"), "{e}");
    assert!(heap < 4 * MB, "heap {heap}");
}

#[test]
fn shared_strings_are_capped_while_they_are_read() {
    let book = hostile::huge_shared_strings(64 << 20, 32_000);
    let limits = Limits {
        max_shared_strings: 4 << 20,
        ..Limits::default()
    };
    let (read, heap) = peak(|| read_all(&book, limits));
    let e = read.unwrap_err();
    assert!(e.contains("共享字符串") && e.contains("超过 4 MB"), "{e}");
    assert!(heap < 12 * MB, "heap {heap}");
    // No cell may hold more than 32 767 characters, so no shared string may either.
    let (read, heap) = peak(|| {
        read_all(
            &hostile::huge_shared_strings(1 << 20, 40_000),
            Limits::default(),
        )
    });
    let e = read.unwrap_err();
    assert!(e.contains("共享字符串中有超过 32767 字的文字"), "{e}");
    assert!(heap < 2 * MB, "heap {heap}");
}

#[test]
fn shared_strings_are_kept_in_chunks_that_never_grow() {
    let mut table = SharedStrings::default();
    let long = "字".repeat(30_000);
    let mut expected = vec![];
    for i in 0..600 {
        let s = match i % 3 {
            0 => String::new(),
            1 => format!("第{i}条"),
            _ => long.clone(),
        };
        table.push(&s);
        expected.push(s);
    }
    assert!(table.chunks.len() >= 4, "{}", table.chunks.len());
    assert!(table.chunks.iter().all(|c| c.capacity() == STRING_CHUNK));
    for (i, s) in expected.iter().enumerate() {
        assert_eq!(table.get(i), Some(s.as_str()), "string {i}");
    }
    assert_eq!(table.get(600), None);
}

#[test]
fn columns_past_the_limit_are_refused_with_row_and_column() {
    let (read, heap) = peak(|| read_all(&hostile::many_columns(16_383, 1000), Limits::default()));
    let e = read.unwrap_err();
    assert!(
        e.contains("第2行第16384列（XFD）超出上限（最多200列）"),
        "{e}"
    );
    assert!(heap < 4 * MB, "heap {heap}");
    let e = read_all(&hostile::wide_row(300), Limits::default()).unwrap_err();
    assert!(e.contains("第2行第201列（GS）超出上限（最多200列）"), "{e}");
    // 200 columns are fine.
    let rows = read_all(&hostile::wide_row(200), Limits::default()).unwrap();
    assert_eq!(rows[1].len(), 200);
    assert_eq!(rows[1][199], "199");
}

#[test]
fn a_sparse_sheet_yields_its_gap_rows_one_by_one() {
    let book = hostile::sparse_rows(EXCEL_ROWS);
    let file = TempFile::new(&book);
    let ((headers, count, last, hint), heap) = peak(|| {
        let mut opened = files::open(&file.0, Limits::default()).unwrap();
        let hint = opened.known_rows();
        let (mut count, mut last) = (0u64, vec![]);
        while let Some(row) = opened.next_row(count + 1) {
            let row = row.unwrap();
            count += 1;
            if !row.is_empty() {
                last = row;
                assert_eq!(count, EXCEL_ROWS - 1, "row numbers follow the sheet");
            }
        }
        (opened.headers.clone(), count, last, hint)
    });
    assert_eq!(headers, s(&[hostile::HEADER]));
    assert_eq!((count, last), (EXCEL_ROWS - 1, s(&["1"])));
    assert_eq!(hint, Some(EXCEL_ROWS - 1));
    assert!(heap < 2 * MB, "heap {heap}");

    // Past the row limit: refused at the first row asked for, before any gap row is handed out.
    let limits = Limits {
        max_rows: 100_000,
        ..Limits::default()
    };
    let mut opened = files::open(&file.0, limits).unwrap();
    assert_eq!(opened.known_rows(), Some(100_000), "the hint is clamped");
    let e = message(opened.next_row(1).unwrap().unwrap_err());
    assert!(e.contains("数据超过 100000 行上限"), "{e}");
}

#[test]
fn one_xml_event_may_not_outgrow_its_bound() {
    let (read, heap) = peak(|| read_all(&hostile::long_text_run(16 << 20), Limits::default()));
    let e = read.unwrap_err();
    assert!(e.contains("连续内容"), "{e}");
    assert!(heap < 12 * MB, "heap {heap}");
    // A long cell under that bound meets the cell limit.
    let e = read_all(&hostile::long_text_run(40_000), Limits::default()).unwrap_err();
    assert!(e.contains("第2行第1列（A）超过单元格上限 32767 字"), "{e}");
}

#[test]
fn a_package_with_too_many_parts_is_refused() {
    let e = read_all(&hostile::many_entries(20_000), Limits::default()).unwrap_err();
    assert!(e.contains("内含 20005 个文件"), "{e}");
    assert!(read_all(&hostile::many_entries(10), Limits::default()).is_ok());
}

#[test]
fn a_changed_byte_is_caught_by_the_crc() {
    let sheet = format!(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>{}</t></is></c></row></sheetData></worksheet>"#,
        "a".repeat(2000)
    );
    let mut book = hostile::plain(&sheet, None);
    assert_eq!(
        read_all(&book, Limits::default()).unwrap()[1][0].len(),
        2000
    );
    // The sheet's local header: its compressed size, then its data after the name.
    let name = b"xl/worksheets/sheet1.xml";
    let header = book.windows(name.len()).position(|w| w == name).unwrap() - 30;
    let packed = u32::from_le_bytes(book[header + 18..header + 22].try_into().unwrap()) as usize;
    book[header + 30 + name.len() + packed / 2] ^= 0x01;
    let e = read_all(&book, Limits::default()).unwrap_err();
    assert!(e.contains("损坏"), "{e}");
}

#[test]
fn cells_read_as_before_with_columns_counted_from_a() {
    let shared = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>文书号</t></si><si><t xml:space="preserve"> 湘西 &amp; 吉首 </t></si>
<si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></si><si><t/></si></sst>"#;
    let sheet = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="B2:K6"/><sheetData>
<row r="1" spans="1:3"><c r="A1" s="3"/></row>
<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="inlineStr"><is><t>金额</t></is></c><c t="str"><v>公式</v></c></row>
<row r="3"><c r="B3" t="s"><v>1</v></c><c r="C3"><v>0.5</v></c><c r="D3"><f>1+1</f><v>2</v></c><c r="E3" t="b"><v>1</v></c><c r="F3" t="b"><v>0</v></c><c r="G3" t="e"><v>#DIV/0!</v></c><c r="H3" t="d"><v>2026-03-07T00:00:00</v></c><c r="I3" s="1"><v>46088</v></c><c r="J3"><v>1E+15</v></c><c r="K3"><v>-0</v></c></row>
<row r="5"><c r="B5" t="s"><v>2</v></c><c r="D5" t="inlineStr"><is><r><t>中</t></r><r><t>&#x6587;</t></r></is></c><c r="E5" t="s"><v>3</v></c><c r="F5" t="str"><v></v></c></row>
<row r="6"><c r="B6"><v>123456789012345678</v></c><c r="C6" t="n"><v>45000.25</v></c><c r="D6"><v>不是数字</v></c></row>
<row r="9" s="2" customFormat="1"/>
</sheetData><mergeCells count="1"><mergeCell ref="B2:C2"/></mergeCells></worksheet>"#;
    let rows = read_all(&hostile::plain(sheet, Some(shared)), Limits::default()).unwrap();
    assert_eq!(
        rows,
        vec![
            // Row 1 has only empty cells: the header is row 2. Columns count from A.
            s(&["", "文书号", "金额", "公式"]),
            s(&[
                "",
                " 湘西 & 吉首 ",
                "0.5",
                "2",
                "true",
                "false",
                "",
                "2026-03-07T00:00:00",
                "46088",
                "1000000000000000",
                "0"
            ]),
            vec![],
            s(&["", "富文本", "", "中文"]),
            s(&["", "123456789012345680", "45000.25", "不是数字"]),
        ]
    );
    let file = TempFile::new(&hostile::plain(sheet, Some(shared)));
    let opened = files::open(&file.0, Limits::default()).unwrap();
    assert_eq!(
        opened.known_rows(),
        Some(4),
        "from <dimension>, after the header"
    );
    assert!(opened.position() > 0);
}

#[test]
fn references_past_excel_are_refused() {
    let sheet = |rows: &str| {
        format!(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>{rows}</sheetData></worksheet>"#
        )
    };
    for (rows, needle) in [
        (
            r#"<row r="1048577"><c r="A1048577"><v>1</v></c></row>"#,
            "超出 Excel 的最大行数",
        ),
        (
            r#"<row r="2"><c r="XFE2"><v>1</v></c></row>"#,
            "超出 Excel 的最大列",
        ),
        (r#"<row r="2"><c r="A99999999"><v>1</v></c></row>"#, "无效"),
        (r#"<row r="3"/><row r="2"/>"#, "行顺序错乱"),
        (
            r#"<row r="2"><c r="A2" t="s"><v>7</v></c></row>"#,
            "不存在的共享字符串",
        ),
    ] {
        let e = read_all(&hostile::plain(&sheet(rows), None), Limits::default()).unwrap_err();
        assert!(e.contains(needle), "{rows}: {e}");
    }
    let e = read_all(
        &hostile::plain(r#"<worksheet><sheetData></sheetData></worksheet>"#, None),
        Limits::default(),
    )
    .unwrap_err();
    assert!(e.contains("工作表是空的"), "{e}");
}

#[test]
fn column_names() {
    assert_eq!(column_name(0), "A");
    assert_eq!(column_name(25), "Z");
    assert_eq!(column_name(26), "AA");
    assert_eq!(column_name(200), "GS");
    assert_eq!(column_name(16_383), "XFD");
    assert_eq!(cell_ref(b"XFD1048576"), Some((16_383, Some(1_048_576))));
    assert_eq!(cell_ref(b"b7"), Some((1, Some(7))));
    assert_eq!(cell_ref(b"AAAA1"), None);
    assert_eq!(cell_ref(b"1A"), None);
}

#[test]
fn the_heap_counter_counts() {
    let (v, heap) = peak(|| vec![1u8; 8 * MB]);
    assert_eq!(v.len(), 8 * MB);
    assert!((8 * MB..9 * MB).contains(&heap), "heap {heap}");
}
