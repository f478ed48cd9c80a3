//! The browser's pre-check of a CSV before it is uploaded: the server's header matching and row rules
//! on the decoded text, so a unit sees its problems at once. What needs the database (duplicates,
//! updates, the subject registry's names) is decided after the upload.
use super::headers::{self, HeaderMap};
use super::row::{self, Context};
use super::rules::Fault;
use crate::rules::catalog::ClassSpec;
use std::collections::HashMap;

/// Faults kept for display; the counts cover every row.
pub const SHOWN_FAULTS: usize = 200;
/// Rows the browser checks; a larger file is checked in full after upload.
pub const MAX_ROWS: u64 = 50_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrecheckReport {
    pub rows: u64,
    pub faulty_rows: u64,
    pub warning_rows: u64,
    /// More rows follow than the browser checks.
    pub truncated: bool,
    pub unknown_headers: Vec<String>,
    /// Names of required fields no column fills.
    pub missing_required: Vec<String>,
    /// The first faults in row order.
    pub faults: Vec<Fault>,
    /// (rule code, rows) with the most frequent first.
    pub by_rule: Vec<(String, u64)>,
    /// The file cannot be read as a table (the message says why).
    pub unreadable: Option<String>,
}

impl PrecheckReport {
    pub fn is_clean(&self) -> bool {
        self.unreadable.is_none()
            && self.unknown_headers.is_empty()
            && self.faulty_rows == 0
            && self.warning_rows == 0
    }
}

/// Checks a CSV's rows a slice at a time, so the page can show progress between slices.
pub struct Prechecker<'a> {
    spec: &'a ClassSpec,
    map: HeaderMap,
    supplied: Vec<bool>,
    records: csv::StringRecordsIntoIter<&'a [u8]>,
    row_no: u64,
    counts: HashMap<String, u64>,
    pub report: PrecheckReport,
    done: bool,
}

impl<'a> Prechecker<'a> {
    /// Reads the header row; `remembered` are the unit's confirmed header mappings.
    pub fn new(spec: &'a ClassSpec, remembered: &HashMap<String, String>, text: &'a str) -> Self {
        let mut records = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .into_records();
        let mut report = PrecheckReport::default();
        let header: Vec<String> = match records.next() {
            Some(Ok(r)) => r.iter().map(str::to_string).collect(),
            Some(Err(e)) => {
                report.unreadable = Some(format!("无法按 CSV 读取表头：{e}"));
                vec![]
            }
            None => {
                report.unreadable = Some("文件是空的：第一行应为表头。".into());
                vec![]
            }
        };
        let map = headers::resolve(spec, &header, remembered);
        report.unknown_headers = map.unknown.iter().map(|(_, h)| h.clone()).collect();
        report.missing_required = map
            .missing_required
            .iter()
            .filter_map(|&i| spec.fields.get(i).map(|f| f.name.clone()))
            .collect();
        let done = report.unreadable.is_some();
        Prechecker {
            spec,
            supplied: map.supplied(spec.fields.len()),
            map,
            records,
            row_no: 0,
            counts: HashMap::new(),
            report,
            done,
        }
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Checks up to `n` more rows; returns the data rows read so far. As on the server, a field the
    /// file has no column for is not the file's fault when only its amount is missing.
    pub fn step(&mut self, ctx: &Context, n: usize) -> u64 {
        let supplied = std::mem::take(&mut self.supplied);
        let ctx = Context {
            supplied: Some(&supplied),
            ..*ctx
        };
        self.check_rows(&ctx, n);
        self.supplied = supplied;
        self.row_no
    }

    fn check_rows(&mut self, ctx: &Context, n: usize) {
        for _ in 0..n {
            if self.done {
                break;
            }
            if self.row_no >= MAX_ROWS {
                self.report.truncated = self.records.next().is_some();
                self.finish();
                break;
            }
            match self.records.next() {
                None => self.finish(),
                Some(Err(e)) => {
                    self.report.unreadable =
                        Some(format!("第 {} 行无法读取：{e}", self.row_no + 1));
                    self.finish();
                }
                Some(Ok(record)) => {
                    self.row_no += 1;
                    let cells: Vec<String> = record.iter().map(str::to_string).collect();
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let raw = headers::gather(self.spec, &self.map, &cells);
                    let checked = row::check(self.spec, ctx, raw, self.row_no, None);
                    self.count(checked.faults);
                }
            }
        }
    }

    fn count(&mut self, faults: Vec<Fault>) {
        self.report.rows += 1;
        if faults.iter().any(Fault::is_error) {
            self.report.faulty_rows += 1;
        } else if !faults.is_empty() {
            self.report.warning_rows += 1;
        }
        for f in faults {
            *self.counts.entry(f.code.clone()).or_default() += 1;
            if self.report.faults.len() < SHOWN_FAULTS {
                self.report.faults.push(f);
            }
        }
    }

    fn finish(&mut self) {
        self.done = true;
        let mut by_rule: Vec<(String, u64)> = self.counts.drain().collect();
        by_rule.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.report.by_rule = by_rule;
    }
}

/// The whole pre-check at once (tests, and small files).
pub fn precheck(
    spec: &ClassSpec,
    ctx: &Context,
    remembered: &HashMap<String, String>,
    text: &str,
) -> PrecheckReport {
    let mut p = Prechecker::new(spec, remembered, text);
    while !p.is_done() {
        p.step(ctx, 1_000);
    }
    p.report
}
