//! Checking a chunk: the cleaning rules on every row (on all cores), record keys, and sorting each
//! row into new / update / duplicate / faulty against the chunk, earlier chunks and stored records.
use super::read::NumberedRow;
use super::write::{self, Progress, Sorted, SortedRow};
use crate::collect::service::batch_ctx::BatchCtx;
use crate::collect::service::{directory, store, subjects};
use crate::error::AppError;
use crate::rules::catalog::{ClassSpec, FieldType};
use crate::rules::clean::headers::{self, HeaderMap};
use crate::rules::clean::keys;
use crate::rules::clean::row::{self as checker, Authority, Checked, Context, RegistryEntry};
use crate::rules::clean::rules::{self as r, Fault, Level};
use crate::rules::normalize;
use crate::server::db::{in_list, BindValue, BulkConn};
use crate::server::secrets::Secrets;
use crate::server::AppState;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

/// Where a check's time went, for the log and the import benchmark's profile.
#[derive(Debug, Clone, Default)]
pub struct PhaseTimes {
    /// Reading and decoding the file, matching columns.
    pub read: Duration,
    /// Registry and stored-record look-ups.
    pub lookup: Duration,
    /// The cleaning rules, record keys and content hashes (on every core).
    pub rules: Duration,
    /// Building and inserting subjects, staged records, kept rows and faults.
    pub write: Duration,
    /// Committing each chunk.
    pub commit: Duration,
}

impl PhaseTimes {
    pub fn summary(&self) -> String {
        format!(
            "读取 {:.2} 秒，查询 {:.2} 秒，规则 {:.2} 秒，写入 {:.2} 秒，提交 {:.2} 秒",
            self.read.as_secs_f64(),
            self.lookup.as_secs_f64(),
            self.rules.as_secs_f64(),
            self.write.as_secs_f64(),
            self.commit.as_secs_f64()
        )
    }
}

/// A row read, with its values gathered into catalogue field order.
struct GatheredRow {
    row: u64,
    cells: Vec<String>,
    values: Vec<String>,
}

/// A clean row's record key and its comparable values (see `store::comparable`).
struct RecordKey {
    key: String,
    comparable: Vec<String>,
}

/// A row after the rules: its cells as sent, the result, and for a clean row its record key.
struct RuledRow {
    row: u64,
    cells: Vec<String>,
    checked: Checked,
    keyed: Option<RecordKey>,
}

/// A clean row, first of its key in the chunk, still to be matched against stored records.
struct Candidate {
    row: u64,
    cells: Vec<String>,
    checked: Checked,
    key: RecordKey,
}

/// A row already accepted in this batch, by key hash: its content hash and row number.
#[derive(Clone, Copy)]
struct Seen {
    content: u32,
    first_row: u32,
}

/// A stored (or staged) record with a key of this chunk.
struct Existing {
    id: i64,
    published: bool,
    batch_id: Option<i64>,
}

/// The state carried across chunks: the batch, the header map, and the keys seen so far.
pub struct Checker<'a> {
    state: &'a AppState,
    b: &'a BatchCtx,
    map: HeaderMap,
    regime: crate::rules::disclosure::Regime,
    /// The disclosure policy's ID mask and the department register, read once per check.
    id_mask: crate::rules::mask::MaskRule,
    authorities: Vec<Authority>,
    table: Option<&'static str>,
    /// Key hash → the row already accepted in this batch. Hashes keep a million keys in about
    /// 36 MB; a hit is confirmed against the database before it counts.
    seen: HashMap<u64, Seen>,
    uscc_idx: Option<usize>,
    /// Per field: whether the file has a column for it.
    supplied: Vec<bool>,
    conn: BulkConn<'static>,
    pub times: PhaseTimes,
}

fn hash64(parts: &[&str]) -> u64 {
    let mut h = DefaultHasher::new();
    0x9e37_79b9u64.hash(&mut h);
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

const SAME_AS_EARLIER_ROW: &str = "与本批次中前面的一行完全相同，已忽略。";

impl<'a> Checker<'a> {
    pub async fn new(
        state: &'a AppState,
        b: &'a BatchCtx,
        map: HeaderMap,
    ) -> Result<Self, AppError> {
        let supplied = map.supplied(b.spec.fields.len());
        Ok(Checker {
            supplied,
            state,
            b,
            map,
            regime: crate::server::settings::disclosure_regime(state).await?,
            id_mask: directory::id_mask(state).await?,
            authorities: directory::authorities(state).await?,
            table: store::typed_table(&b.spec),
            seen: HashMap::new(),
            uscc_idx: b.spec.index_of("subject_uscc"),
            conn: BulkConn::open(&state.db)?,
            times: PhaseTimes::default(),
        })
    }

    /// The record key of a clean row: decision number (or the class's dates), subject, authority.
    fn record_key(spec: &ClassSpec, secrets: &Secrets, c: &Checked) -> Option<String> {
        let subject = c.subject.as_ref()?;
        let part = keys::subject_part(subject, |n| secrets.id_hmac(n));
        let doc = if spec.index_of("decision_no").is_some() {
            c.get(spec, "decision_no").to_string()
        } else {
            spec.fields
                .iter()
                .enumerate()
                // A commitment's 履约状态 changes the record (a new version), not which record it is.
                .filter(|(_, f)| {
                    matches!(f.field_type, FieldType::Date | FieldType::Enum)
                        && f.key != "fulfilment"
                })
                .map(|(i, _)| c.value(i))
                .collect::<Vec<_>>()
                .join("/")
        };
        let authority = ["authority", "accepting_unit"]
            .iter()
            .map(|k| c.get(spec, k))
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        Some(keys::record_key(&doc, &part, authority))
    }

    /// Runs the rules over the chunk's rows, split across the machine's cores (the rules are pure).
    fn apply_rules(
        &self,
        gathered: Vec<GatheredRow>,
        registry: &HashMap<String, RegistryEntry>,
    ) -> Result<Vec<RuledRow>, AppError> {
        let spec = &self.b.spec;
        let secrets: &Secrets = &self.state.secrets;
        let uscc_idx = self.uscc_idx;
        let ctx = Context {
            today: self.state.clock.today(),
            regime: &self.regime,
            unit: &self.b.unit,
            supplied: Some(&self.supplied),
            id_mask: self.id_mask,
            authorities: &self.authorities,
        };
        let ctx = &ctx;
        let one = move |g: GatheredRow| -> RuledRow {
            let code = uscc_idx
                .and_then(|i| g.values.get(i))
                .map(|v| normalize::identifier(v))
                .unwrap_or_default();
            let reg = registry.get(&code);
            let c = checker::check(spec, ctx, g.values, g.row, reg);
            let keyed = if c.has_errors() {
                None
            } else {
                Self::record_key(spec, secrets, &c).map(|key| RecordKey {
                    key,
                    comparable: store::comparable(spec, &c, secrets),
                })
            };
            RuledRow {
                row: g.row,
                cells: g.cells,
                checked: c,
                keyed,
            }
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if threads < 2 || gathered.len() < 512 {
            return Ok(gathered.into_iter().map(one).collect());
        }
        let per = gathered.len().div_ceil(threads);
        let mut parts: Vec<Vec<_>> = vec![];
        let mut rest = gathered;
        while rest.len() > per {
            let tail = rest.split_off(per);
            parts.push(rest);
            rest = tail;
        }
        parts.push(rest);
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .into_iter()
                .map(|part| scope.spawn(move || part.into_iter().map(one).collect::<Vec<_>>()))
                .collect();
            // A panicking rule fails the chunk (and the check), never drops its rows silently.
            let mut out = Vec::new();
            for h in handles {
                out.extend(
                    h.join()
                        .map_err(|_| AppError::internal("rules", "a rule panicked"))?,
                );
            }
            Ok(out)
        })
    }

    /// Checks and stages one chunk in one transaction; `bytes_done` (file position) for progress.
    pub async fn chunk(
        &mut self,
        rows: Vec<NumberedRow>,
        last_row: u64,
        bytes_done: Option<u64>,
    ) -> Result<(), AppError> {
        let state = self.state;
        let spec = &self.b.spec;
        self.conn.begin().await?;
        let t = Instant::now();
        let gathered: Vec<GatheredRow> = rows
            .into_iter()
            .map(|r| GatheredRow {
                values: headers::gather(spec, &self.map, &r.cells),
                row: r.row,
                cells: r.cells,
            })
            .collect();
        self.times.read += t.elapsed();
        // Registry entries for the chunk's codes, in one pass.
        let t = Instant::now();
        let codes: Vec<String> = match self.uscc_idx {
            Some(i) => gathered
                .iter()
                .filter_map(|g| g.values.get(i))
                .map(|v| normalize::identifier(v))
                .filter(|c| c.len() == 18)
                .collect(),
            None => vec![],
        };
        let registry = subjects::registry_by_uscc(&mut self.conn, state, &codes).await?;
        self.times.lookup += t.elapsed();
        let t = Instant::now();
        let ruled = self.apply_rules(gathered, &registry)?;
        self.times.rules += t.elapsed();
        let (mut sorted, candidates) = sort_within_chunk(ruled);
        let t = Instant::now();
        self.match_stored(candidates, &mut sorted).await?;
        self.times.lookup += t.elapsed();
        let t = Instant::now();
        let progress = Progress {
            last_row,
            bytes_done,
        };
        write::write_chunk(&mut self.conn, state, self.b, self.table, sorted, progress).await?;
        self.times.write += t.elapsed();
        let t = Instant::now();
        self.conn.commit().await?;
        self.times.commit += t.elapsed();
        Ok(())
    }

    /// Matches the chunk's candidates against stored records (and earlier chunks of this batch) by key.
    async fn match_stored(
        &mut self,
        candidates: Vec<Candidate>,
        sorted: &mut Vec<SortedRow>,
    ) -> Result<(), AppError> {
        let spec = &self.b.spec;
        let keys: Vec<String> = candidates.iter().map(|c| c.key.key.clone()).collect();
        let existing = self.existing(&keys).await?;
        for Candidate {
            row: n,
            cells,
            checked: c,
            key: RecordKey {
                key,
                comparable: cmp,
            },
        } in candidates
        {
            let key_hash = hash64(&[&key]);
            let content = hash64(&cmp.iter().map(String::as_str).collect::<Vec<_>>()) as u32;
            let earlier = self.seen.get(&key_hash).copied();
            let outcome = match (existing.get(&key), earlier) {
                // Staged by an earlier chunk of this batch, or an update this batch already makes.
                (Some(found), Some(first))
                    if found.batch_id == Some(self.b.id) || found.published =>
                {
                    let same = if found.batch_id == Some(self.b.id) && !found.published {
                        store::stored_comparable(&mut self.conn, spec, self.table, found.id).await?
                            == cmp
                    } else {
                        first.content == content
                    };
                    if same {
                        Sorted::Duplicate(c, SAME_AS_EARLIER_ROW)
                    } else {
                        Sorted::Faulty(key_conflict(c, n, u64::from(first.first_row)))
                    }
                }
                (None, _) => Sorted::New(c, key),
                (Some(found), _) if !found.published => {
                    let mut c = c;
                    c.faults.push(Fault {
                        row: n,
                        field: "decision_no".into(),
                        code: r::KEY_CONFLICT.into(),
                        level: Level::Error,
                        message:
                            "该记录已在另一个待确认的批次中：请先确认或作废那个批次，再上传本行。"
                                .into(),
                    });
                    Sorted::Faulty(c)
                }
                (Some(found), _) => {
                    let stored =
                        store::stored_comparable(&mut self.conn, spec, self.table, found.id)
                            .await?;
                    if stored == cmp {
                        Sorted::Duplicate(c, "与已发布的记录完全相同，已忽略。")
                    } else {
                        Sorted::Update(c, found.id)
                    }
                }
            };
            if matches!(outcome, Sorted::New(..) | Sorted::Update(..)) {
                self.seen.insert(
                    key_hash,
                    Seen {
                        content,
                        first_row: n as u32,
                    },
                );
            }
            sorted.push(SortedRow {
                row: n,
                cells,
                outcome,
            });
        }
        Ok(())
    }

    async fn existing(&mut self, keys: &[String]) -> Result<HashMap<String, Existing>, AppError> {
        let mut out = HashMap::new();
        let backend = self.state.db.backend;
        for part in keys.chunks(500) {
            if part.is_empty() {
                continue;
            }
            let sql = match self.table {
                Some(t) => format!(
                    "SELECT id, dedupe_key, published, batch_id FROM {t} WHERE dedupe_key IN ({})",
                    in_list(backend, 0, part.len())
                ),
                None => format!(
                    "SELECT id, dedupe_key, published, batch_id FROM generic_records WHERE dedupe_key IN ({}) AND class_id = {}",
                    in_list(backend, 0, part.len()),
                    self.b.class_id
                ),
            };
            let binds: Vec<BindValue> = part.iter().map(|k| BindValue::str(k)).collect();
            for row in self.conn.fetch(&sql, &binds).await? {
                if let [id, key, published, batch_id] = &row[..] {
                    out.insert(
                        key.text().unwrap_or_default(),
                        Existing {
                            id: id.int().unwrap_or_default(),
                            published: published.int() == Some(1),
                            batch_id: batch_id.int(),
                        },
                    );
                }
            }
        }
        Ok(out)
    }
}

/// Sorts out faulty rows and repeats of a key within the chunk; the first row of each key is a
/// candidate for matching against stored records.
fn sort_within_chunk(ruled: Vec<RuledRow>) -> (Vec<SortedRow>, Vec<Candidate>) {
    let mut sorted: Vec<SortedRow> = Vec::with_capacity(ruled.len());
    let mut candidates: Vec<Candidate> = vec![];
    // Keys this chunk accepted: key → index in `candidates`.
    let mut in_chunk: HashMap<String, usize> = HashMap::new();
    for RuledRow {
        row: n,
        cells,
        checked: c,
        keyed,
    } in ruled
    {
        let Some(key) = keyed else {
            sorted.push(SortedRow {
                row: n,
                cells,
                outcome: Sorted::Faulty(c),
            });
            continue;
        };
        if let Some(first) = in_chunk.get(&key.key).and_then(|&j| candidates.get(j)) {
            let outcome = if first.key.comparable == key.comparable {
                Sorted::Duplicate(c, SAME_AS_EARLIER_ROW)
            } else {
                Sorted::Faulty(key_conflict(c, n, first.row))
            };
            sorted.push(SortedRow {
                row: n,
                cells,
                outcome,
            });
            continue;
        }
        in_chunk.insert(key.key.clone(), candidates.len());
        candidates.push(Candidate {
            row: n,
            cells,
            checked: c,
            key,
        });
    }
    (sorted, candidates)
}

/// The same record (key) as an earlier row of the batch, with other content.
fn key_conflict(mut c: Checked, row: u64, first: u64) -> Checked {
    c.faults.push(Fault {
        row,
        field: "decision_no".into(),
        code: r::KEY_CONFLICT.into(),
        level: Level::Error,
        message: format!(
            "与本批次第{first}行是同一条记录（文书号、主体、机关相同）但内容不同：请核对后只保留正确的一行。"
        ),
    });
    c
}
