//! Reading licences, penalties and list entries as the public (or a report) shows them. One mapping
//! for the subject page, the public lists and the reports.
use crate::credit::model::{GenericEntry, PublicRecord};
use crate::error::AppError;
use crate::server::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

const PENALTY_COLUMNS: &str = "r.public_id, s.public_id AS subject_public_id, r.subject_name, r.subject_category, \
    COALESCE(r.subject_uscc, '') AS subject_uscc, r.decision_no, r.decision_date, r.authority, r.categories AS category, \
    r.content, r.violation_type AS title, r.violation_facts AS detail, r.legal_basis AS basis, r.fine_fen, \
    '' AS valid_from, '' AS valid_to, r.display_until, r.severity, r.source_unit, r.repaired, \
    r.repair_eligible_from, r.objection_open";

const LICENCE_COLUMNS: &str = "r.public_id, s.public_id AS subject_public_id, r.subject_name, r.subject_category, \
    COALESCE(r.subject_uscc, '') AS subject_uscc, r.decision_no, r.decision_date, r.authority, r.licence_category AS category, \
    r.content, r.decision_doc_name AS title, TRIM(COALESCE(r.certificate_name, '') || ' ' || COALESCE(r.licence_no, '')) AS detail, \
    '' AS basis, CAST(NULL AS BIGINT) AS fine_fen, r.valid_from, r.valid_to, '' AS display_until, '' AS severity, \
    r.source_unit, 0 AS repaired, '' AS repair_eligible_from, r.objection_open";

/// licence | penalty
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Licence,
    Penalty,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "licence" => Some(Kind::Licence),
            "penalty" => Some(Kind::Penalty),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Licence => "licence",
            Kind::Penalty => "penalty",
        }
    }

    fn table(&self) -> &'static str {
        match self {
            Kind::Licence => "licences",
            Kind::Penalty => "penalties",
        }
    }

    fn columns(&self) -> &'static str {
        match self {
            Kind::Licence => LICENCE_COLUMNS,
            Kind::Penalty => PENALTY_COLUMNS,
        }
    }
}

/// The last guard of every public text (record pages, subject page, lists, reports, verification):
/// resident ID and mobile numbers are masked with the policy's rule, however the text was stored
/// (older rows, rows written before a policy change). docs/domain.md §3.3: no setting publishes a full number.
#[derive(Debug, Clone, Copy)]
pub struct Scrub {
    today: crate::rules::date::Ymd,
    id_mask: crate::rules::mask::MaskRule,
}

impl Scrub {
    pub async fn of(state: &AppState) -> Result<Scrub, AppError> {
        Ok(Scrub {
            today: state.clock.today(),
            id_mask: super::policy(state).await?.id_mask,
        })
    }

    pub fn text(&self, text: &str) -> String {
        crate::rules::pii::public_text(text, self.today, self.id_mask)
    }
}

/// Records of `kind` matching `condition` (on alias `r`, with the subject as `s`), in `order`.
pub async fn fetch(
    state: &AppState,
    kind: Kind,
    condition: &str,
    binds: &[String],
    tail: &str,
) -> Result<Vec<PublicRecord>, AppError> {
    let sql = format!(
        "SELECT {} FROM {} r JOIN subjects s ON s.id = r.subject_id WHERE {condition} {tail}",
        kind.columns(),
        kind.table()
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b.as_str());
    }
    let scrub = Scrub::of(state).await?;
    q.fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| record(kind, r, &scrub))
        .collect()
}

/// "长期" is stored as 2099-12-31 (docs/domain.md §5.1); readers see the word.
fn long_term(day: String) -> String {
    if day == "2099-12-31" {
        "长期".into()
    } else {
        day
    }
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02} 元", fen / 100, fen % 100)
}

fn record(kind: Kind, r: &AnyRow, scrub: &Scrub) -> Result<PublicRecord, AppError> {
    let category: String = r.try_get("subject_category")?;
    let name: String = r.try_get("subject_name")?;
    let text =
        |col: &str| -> Result<String, AppError> { Ok(scrub.text(&r.try_get::<String, _>(col)?)) };
    Ok(PublicRecord {
        public_id: r.try_get("public_id")?,
        kind: kind.as_str().into(),
        subject_public_id: r.try_get("subject_public_id")?,
        subject_name: scrub.text(&crate::credit::visibility::public_name(&name, &category)),
        subject_uscc: r.try_get("subject_uscc")?,
        decision_no: text("decision_no")?,
        decision_date: r.try_get("decision_date")?,
        authority: text("authority")?,
        category: r.try_get::<String, _>("category")?.replace(';', "、"),
        content: text("content")?,
        title: text("title")?,
        detail: text("detail")?,
        basis: text("basis")?,
        amount: r
            .try_get::<Option<i64>, _>("fine_fen")?
            .filter(|f| *f > 0)
            .map(yuan)
            .unwrap_or_default(),
        valid_from: r.try_get("valid_from")?,
        valid_to: long_term(r.try_get("valid_to")?),
        display_until: r.try_get("display_until")?,
        severity: match r.try_get::<String, _>("severity")?.as_str() {
            "minor" => "轻微".into(),
            "general" => "一般".into(),
            "serious" => "严重".into(),
            _ => String::new(),
        },
        source_unit: text("source_unit")?,
        repaired: r.try_get::<i64, _>("repaired")? == 1,
        repair_open: crate::cases::repair::eligible(
            &r.try_get::<String, _>("repair_eligible_from")?,
            &scrub.today.iso(),
        ),
        repair_eligible_from: r.try_get("repair_eligible_from")?,
        objection_open: r.try_get::<i64, _>("objection_open")? != 0,
    })
}

/// Entries of generic classes (lists, commitments, operator-defined classes) matching `condition` (on
/// `g`, the class as `c`, the subject as `s`). Fields of persons' identifiers are never included.
pub async fn fetch_generic(
    state: &AppState,
    condition: &str,
    binds: &[String],
    tail: &str,
) -> Result<Vec<GenericEntry>, AppError> {
    let sql = format!(
        "SELECT g.public_id, g.class_id, c.code AS class_code, c.name AS class_name, s.public_id AS subject_public_id, \
         g.subject_name, COALESCE(s.uscc, '') AS subject_uscc, g.payload, g.created_at \
         FROM generic_records g JOIN data_classes c ON c.id = g.class_id JOIN subjects s ON s.id = g.subject_id \
         WHERE {condition} {tail}"
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b.as_str());
    }
    let rows = q.fetch_all(&state.db.pool).await?;
    let scrub = Scrub::of(state).await?;
    let mut fields: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let class_id: i64 = r.try_get("class_id")?;
        let labels = match fields.entry(class_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let f = sqlx::query(
                "SELECT field_key, name FROM class_fields WHERE class_id = $1 \
                 AND field_type NOT IN ('id_number') AND field_key NOT IN ('subject_name', 'subject_uscc') \
                 ORDER BY sort_order, id",
            )
            .bind(class_id)
            .fetch_all(&state.db.pool)
            .await?
            .iter()
            .map(|f| Ok((f.try_get("field_key")?, f.try_get("name")?)))
            .collect::<Result<Vec<(String, String)>, sqlx::Error>>()?;
                slot.insert(f)
            }
        };
        let payload: serde_json::Value =
            serde_json::from_str(&r.try_get::<String, _>("payload")?).unwrap_or_default();
        let text = |k: &str| match payload.get(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        };
        let created: String = r.try_get("created_at")?;
        let date = ["listed_on", "committed_on", "decision_date"]
            .iter()
            .map(|k| text(k))
            .find(|d| !d.is_empty())
            .unwrap_or_else(|| created.chars().take(10).collect());
        let class_code: String = r.try_get("class_code")?;
        // A broken commitment is itself a negative record (docs/domain.md §10): named as one.
        let class_name = if crate::commitments::rules::is_breach(&class_code, &text("fulfilment")) {
            crate::commitments::rules::BREACH_LABEL.to_string()
        } else {
            r.try_get("class_name")?
        };
        out.push(GenericEntry {
            public_id: r.try_get("public_id")?,
            class_code,
            class_name,
            subject_public_id: r.try_get("subject_public_id")?,
            subject_name: scrub.text(&r.try_get::<String, _>("subject_name")?),
            subject_uscc: r.try_get("subject_uscc")?,
            fields: labels
                .iter()
                .map(|(k, label)| (label.clone(), scrub.text(&text(k))))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            date,
        });
    }
    Ok(out)
}

/// A list entry still in force (a removed entry is no longer published as listed).
pub fn in_force(e: &GenericEntry) -> bool {
    !e.fields
        .iter()
        .any(|(label, v)| label == "状态" && v == "已移出")
}
