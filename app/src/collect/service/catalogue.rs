//! The catalogue in the database: built-in classes seeded once, then read back as `ClassSpec`s by the
//! pipeline and the console. Operators' edits live in the same tables.
use crate::error::AppError;
use crate::rules::catalog::{
    builtin_classes, ClassSpec, FieldSpec, FieldType, Requirement, Storage,
};
use crate::server::AppState;
use sqlx::{AnyConnection, Row};

fn join(list: &[String]) -> String {
    list.join(";")
}

fn split(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Seeds the built-in classes and their fields; classes already present (perhaps edited) stay as they are.
pub async fn ensure_builtin(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    for (order, class) in builtin_classes().iter().enumerate() {
        let exists = sqlx::query("SELECT id FROM data_classes WHERE code = $1")
            .bind(&class.code)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            continue;
        }
        let id: i64 = sqlx::query(
            "INSERT INTO data_classes (code, name, storage, builtin, active, sort_order, created_at, updated_at) \
             VALUES ($1, $2, $3, 1, 1, $4, $5, $5) RETURNING id",
        )
        .bind(&class.code)
        .bind(&class.name)
        .bind(class.storage.as_str())
        .bind(order as i64)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (i, field) in class.fields.iter().enumerate() {
            insert_field(&mut tx, id, field, i as i64).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn insert_field(
    conn: &mut AnyConnection,
    class_id: i64,
    field: &FieldSpec,
    order: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO class_fields (class_id, field_key, name, code_v2, codes_v1, synonyms, field_type, \
         requirement, options, max_len, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(class_id)
    .bind(&field.key)
    .bind(&field.name)
    .bind(field.code_v2.as_deref())
    .bind(join(&field.codes_v1))
    .bind(join(&field.synonyms))
    .bind(field.field_type.as_str())
    .bind(field.requirement.as_str())
    .bind(join(&field.options))
    .bind(field.max_len as i64)
    .bind(order)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A class as the pipeline uses it: (database id, spec).
pub async fn load(state: &AppState, code: &str) -> Result<(i64, ClassSpec), AppError> {
    let class = sqlx::query("SELECT id, code, name, storage FROM data_classes WHERE code = $1")
        .bind(code)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该数据类别".into()))?;
    let id: i64 = class.try_get("id")?;
    load_by_id(state, id).await.map(|spec| (id, spec))
}

pub async fn load_by_id(state: &AppState, id: i64) -> Result<ClassSpec, AppError> {
    let pool = &state.db.pool;
    let class = sqlx::query("SELECT code, name, storage FROM data_classes WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该数据类别".into()))?;
    let fields = sqlx::query(
        "SELECT field_key, name, code_v2, codes_v1, synonyms, field_type, requirement, options, max_len \
         FROM class_fields WHERE class_id = $1 ORDER BY sort_order, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| -> Result<FieldSpec, AppError> {
        let ty: String = r.try_get("field_type")?;
        let req: String = r.try_get("requirement")?;
        Ok(FieldSpec {
            key: r.try_get("field_key")?,
            name: r.try_get("name")?,
            code_v2: r.try_get("code_v2")?,
            codes_v1: split(&r.try_get::<String, _>("codes_v1")?),
            synonyms: split(&r.try_get::<String, _>("synonyms")?),
            field_type: FieldType::parse(&ty).unwrap_or(FieldType::Text),
            requirement: Requirement::parse(&req).unwrap_or(Requirement::Optional),
            options: split(&r.try_get::<String, _>("options")?),
            max_len: r.try_get::<i64, _>("max_len")?.max(1) as usize,
        })
    })
    .collect::<Result<Vec<_>, _>>()?;
    let disabled = sqlx::query(
        "SELECT rule_code FROM class_rule_overrides WHERE class_id = $1 AND enabled = 0",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("rule_code"))
    .collect::<Result<Vec<_>, _>>()?;
    let storage: String = class.try_get("storage")?;
    Ok(ClassSpec {
        code: class.try_get("code")?,
        name: class.try_get("name")?,
        storage: if storage == "typed" {
            Storage::Typed
        } else {
            Storage::Generic
        },
        fields,
        disabled_rules: disabled,
    })
}

/// Header mappings a unit confirmed for a class: header → field key.
pub async fn remembered_headers(
    state: &AppState,
    department_id: i64,
    class_id: i64,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    Ok(sqlx::query(
        "SELECT header, field_key FROM header_mappings WHERE department_id = $1 AND class_id = $2",
    )
    .bind(department_id)
    .bind(class_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .filter_map(|r| Some((r.try_get("header").ok()?, r.try_get("field_key").ok()?)))
    .collect())
}

/// The catalogue's classes with their field and unit counts.
pub async fn summaries(
    state: &AppState,
) -> Result<Vec<crate::collect::model::ClassSummary>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.code, c.name, c.storage, c.builtin, \
         (SELECT COUNT(*) FROM class_fields f WHERE f.class_id = c.id) AS fields, \
         (SELECT COUNT(*) FROM class_sources s WHERE s.class_id = c.id) AS units \
         FROM data_classes c WHERE c.active = 1 ORDER BY c.sort_order, c.id",
    )
    .fetch_all(&state.db.pool)
    .await?)
}

/// One class: its fields, the rules with their switches, and the units that supply it (with their
/// last scheduled exchange). `may_manage` adds the pick list of units for the edit forms.
pub async fn detail(
    state: &AppState,
    code: &str,
    may_manage: bool,
) -> Result<crate::collect::model::ClassDetail, AppError> {
    use crate::collect::model::{ClassDetail, RuleView, SourceView};
    let (id, spec) = load(state, code).await?;
    let builtin = sqlx::query("SELECT builtin FROM data_classes WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?
        .try_get::<i64, _>("builtin")?
        == 1;
    let rules = crate::rules::clean::rules::RULES
        .iter()
        .map(|r| RuleView {
            code: r.code.into(),
            duty: r.duty.into(),
            name: r.name.into(),
            level: r.level.label().into(),
            enabled: spec.rule_enabled(r.code),
            optional: r.optional,
        })
        .collect();
    let sources = sqlx::query(
        "SELECT s.department_id, d.name, s.frequency, COALESCE(s.exchange_url, '') AS exchange_url, \
         COALESCE(s.last_exchange_at, '') AS at, COALESCE(s.last_exchange_message, '') AS message \
         FROM class_sources s JOIN departments d ON d.id = s.department_id WHERE s.class_id = $1 ORDER BY d.id",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let at: String = r.try_get("at")?;
        let message: String = r.try_get("message")?;
        Ok(SourceView {
            department_id: r.try_get("department_id")?,
            unit: r.try_get("name")?,
            frequency: r.try_get("frequency")?,
            exchange_url: r.try_get("exchange_url")?,
            last_exchange: if at.is_empty() {
                String::new()
            } else {
                format!("{}：{message}", crate::rules::date::beijing_minute(&at))
            },
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let units = if may_manage {
        crate::admin::service::unit_options(state).await?
    } else {
        vec![]
    };
    Ok(ClassDetail {
        spec,
        builtin,
        may_manage,
        rules,
        sources,
        units,
    })
}
