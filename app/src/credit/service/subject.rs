//! The subject page (信用主体页) and the sections reports print: basic information, then each section
//! in report order with what is on public display (or, for a special report, what falls in its period).
use super::records::{self, Kind};
use crate::collect::model::subject_kind_label;
use crate::credit::model::{GenericEntry, PublicRecord, Section, SubjectBasics, SubjectPage};
use crate::credit::report_spec::{self, SectionSpec, OWN_SECTION_CLASSES};
use crate::credit::visibility::{self, DisclosurePolicy};
use crate::error::AppError;
use crate::rules::date::Ymd;
use crate::rules::division;
use crate::server::AppState;
use sqlx::Row;

/// Which records a section holds.
#[derive(Debug, Clone, Copy)]
pub enum Period {
    /// On public display today (the page and the public report).
    Public,
    /// Decided within the period, repaired ones included and marked (the special report).
    Between(Ymd, Ymd),
}

pub struct Subject {
    pub id: i64,
    pub basics: SubjectBasics,
    pub birth_date: Option<String>,
    /// The county the subject is registered in (staff scope), if any.
    pub county_code: Option<String>,
}

/// A subject the public may look at: never a minor, and a natural person only when their records may
/// be published at all.
pub async fn load(
    state: &AppState,
    policy: &DisclosurePolicy,
    public_id: &str,
) -> Result<Subject, AppError> {
    let r = sqlx::query(
        "SELECT id, public_id, kind, name, COALESCE(uscc, '') AS uscc, COALESCE(legal_rep, '') AS legal_rep, \
         COALESCE(county_code, '') AS county, COALESCE(established_on, '') AS established_on, \
         COALESCE(address, '') AS address, COALESCE(reg_no, '') AS reg_no, COALESCE(org_code, '') AS org_code, \
         COALESCE(id_number_masked, '') AS masked, birth_date FROM subjects WHERE public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该信用主体".into()))?;
    let kind: String = r.try_get("kind")?;
    let birth_date: Option<String> = r.try_get("birth_date")?;
    let person = kind == "person";
    let today = state.clock.today().iso();
    if person
        && (!policy.publish_person_penalties
            || birth_date
                .as_deref()
                .is_none_or(|b| visibility::minor_on(b, &today)))
    {
        return Err(AppError::NotFound("该信用主体".into()));
    }
    let name: String = r.try_get("name")?;
    let county: String = r.try_get("county")?;
    // Register texts (imported or built from records) may hold numbers too: masked on the way out.
    let scrub = |t: String| crate::rules::pii::public_text(&t, state.clock.today(), policy.id_mask);
    Ok(Subject {
        county_code: Some(county.clone()).filter(|c| !c.is_empty()),
        id: r.try_get("id")?,
        basics: SubjectBasics {
            public_id: r.try_get("public_id")?,
            name: if person {
                crate::rules::mask::person_name(&name)
            } else {
                scrub(name)
            },
            kind_label: subject_kind_label(&kind).into(),
            kind,
            uscc: r.try_get("uscc")?,
            legal_rep: if person {
                String::new()
            } else {
                scrub(r.try_get("legal_rep")?)
            },
            county: division::xiangxi_name(&county).unwrap_or_default().into(),
            established_on: r.try_get("established_on")?,
            // A natural person's home address is never published.
            address: if person {
                String::new()
            } else {
                scrub(r.try_get("address")?)
            },
            reg_no: scrub(r.try_get("reg_no")?),
            org_code: r.try_get("org_code")?,
            id_masked: if person {
                policy.id_mask.apply(&r.try_get::<String, _>("masked")?)
            } else {
                String::new()
            },
        },
        birth_date,
    })
}

pub async fn page(state: &AppState, public_id: &str) -> Result<SubjectPage, AppError> {
    let policy = super::policy(state).await?;
    let subject = load(state, &policy, public_id).await?;
    let sections = sections(
        state,
        &policy,
        subject.id,
        report_spec::SUBJECT_PAGE,
        Period::Public,
    )
    .await?;
    Ok(SubjectPage {
        basics: subject.basics,
        sections,
        today: state.clock.today().iso(),
    })
}

/// The sections of `specs` for one subject, in order.
pub async fn sections(
    state: &AppState,
    policy: &DisclosurePolicy,
    subject_id: i64,
    specs: &[SectionSpec],
    period: Period,
) -> Result<Vec<Section>, AppError> {
    let mut out = Vec::with_capacity(specs.len());
    let (mut penalties, mut dishonest) = (0, 0);
    for spec in specs {
        let mut section = Section {
            code: spec.code.into(),
            title: spec.title.into(),
            ..Default::default()
        };
        for source in spec.sources {
            match *source {
                "licence" | "penalty" => {
                    let kind = Kind::parse(source).unwrap_or(Kind::Licence);
                    let found = typed_records(state, policy, subject_id, kind, period).await?;
                    if kind == Kind::Penalty {
                        penalties += found.iter().filter(|p| !p.repaired).count();
                    }
                    section.records.extend(found);
                }
                "advice" => section.text = report_spec::advice(penalties, dishonest),
                class => {
                    let class_cond = if class == "other" {
                        format!(
                            "c.code NOT IN ('licence', 'penalty', {})",
                            OWN_SECTION_CLASSES
                                .iter()
                                .map(|c| format!("'{c}'"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    } else {
                        format!("c.code = '{class}'")
                    };
                    let entries =
                        generic_entries(state, subject_id, &class_cond, &[], period).await?;
                    if class == "black_list" {
                        dishonest += entries.iter().filter(|e| records::in_force(e)).count();
                    }
                    section.entries.extend(entries);
                }
            }
        }
        out.push(section);
    }
    Ok(out)
}

/// A subject's licences or penalties in a period: on display today, or decided within the period.
async fn typed_records(
    state: &AppState,
    policy: &DisclosurePolicy,
    subject_id: i64,
    kind: Kind,
    period: Period,
) -> Result<Vec<PublicRecord>, AppError> {
    let today = state.clock.today();
    let (shown, binds) = match (period, kind) {
        (Period::Public, Kind::Licence) => (visibility::licence_sql("r", today), vec![]),
        (Period::Public, Kind::Penalty) => (visibility::penalty_sql("r", policy, today), vec![]),
        (Period::Between(from, to), _) => (
            "r.published = 1 AND r.withdrawn = 0 AND r.display_suspended = 0 AND r.decision_date >= $2 AND r.decision_date <= $3"
                .to_string(),
            vec![from.iso(), to.iso()],
        ),
    };
    let mut all = vec![subject_id.to_string()];
    all.extend(binds);
    records::fetch(
        state,
        kind,
        &format!("r.subject_id = CAST($1 AS BIGINT) AND {shown}"),
        &all,
        "ORDER BY r.decision_date DESC, r.id DESC",
    )
    .await
}

/// A subject's entries of the generic classes `class_cond` names (on `c`; its parameters from `$2`,
/// `binds`), in force today or dated within the period.
async fn generic_entries(
    state: &AppState,
    subject_id: i64,
    class_cond: &str,
    binds: &[String],
    period: Period,
) -> Result<Vec<GenericEntry>, AppError> {
    let mut all = vec![subject_id.to_string()];
    all.extend_from_slice(binds);
    let mut entries = records::fetch_generic(
        state,
        &format!(
            "g.subject_id = CAST($1 AS BIGINT) AND {class_cond} AND {}",
            visibility::generic_sql("g")
        ),
        &all,
        "ORDER BY g.id DESC",
    )
    .await?;
    entries.retain(|e| match period {
        Period::Public => records::in_force(e),
        Period::Between(from, to) => {
            e.date.as_str() >= from.iso().as_str() && e.date.as_str() <= to.iso().as_str()
        }
    });
    Ok(entries)
}

/// What the public sees today of one class of a subject (the partner API reads by class).
pub async fn public_of_class(
    state: &AppState,
    policy: &DisclosurePolicy,
    subject_id: i64,
    class: &str,
) -> Result<(Vec<PublicRecord>, Vec<GenericEntry>), AppError> {
    Ok(match Kind::parse(class) {
        Some(kind) => (
            typed_records(state, policy, subject_id, kind, Period::Public).await?,
            vec![],
        ),
        None => (
            vec![],
            generic_entries(
                state,
                subject_id,
                "c.code = $2",
                &[class.to_string()],
                Period::Public,
            )
            .await?,
        ),
    })
}
