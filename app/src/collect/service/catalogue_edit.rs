//! Editing the catalogue (信用目录管理): fields, rule switches, source units with their frequency and
//! exchange address, and classes an operator defines. What may change is decided by
//! `rules::catalog_edit`; every change is audited with what it was before. The pipeline reads the
//! catalogue from the database, so a change applies to the next check.
use super::catalogue;
use crate::collect::model::FieldForm;
use crate::error::{AppError, FieldError};
use crate::rules::catalog::{builtin_classes, FieldSpec, FieldType, Requirement, FREQUENCIES};
use crate::rules::catalog_edit::{self, CORE_FIELDS};
use crate::rules::clean::rules as r;
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::Row;

/// Lists typed as the console shows them: separated by ；;，,、 or new lines.
fn list(text: &str) -> Vec<String> {
    text.split([';', '；', ',', '，', '、', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn refused(list: Vec<catalog_edit::Refusal>) -> AppError {
    AppError::Validation(
        list.into_iter()
            .map(|(field, message)| FieldError {
                field: field.into(),
                code: "CATALOGUE_EDIT".into(),
                message,
            })
            .collect(),
    )
}

fn parse_field(form: &FieldForm) -> Result<FieldSpec, AppError> {
    let field_type = FieldType::parse(&form.field_type)
        .ok_or_else(|| AppError::field("field_type", "UNKNOWN", "请选择字段类型。"))?;
    let requirement = Requirement::parse(&form.requirement)
        .ok_or_else(|| AppError::field("requirement", "UNKNOWN", "请选择填报要求。"))?;
    let max_len = form.max_len.trim().parse::<usize>().map_err(|_| {
        AppError::field("max_len", "NOT_A_NUMBER", "最大长度请填写整数，例如 200。")
    })?;
    Ok(FieldSpec {
        key: form.key.trim().to_string(),
        name: form.name.trim().to_string(),
        code_v2: Some(form.code_v2.trim().to_string()).filter(|c| !c.is_empty()),
        codes_v1: list(&form.codes_v1),
        synonyms: list(&form.synonyms),
        field_type,
        requirement,
        options: list(&form.options),
        max_len,
    })
}

async fn class_row(state: &AppState, code: &str) -> Result<(i64, bool), AppError> {
    let row = sqlx::query("SELECT id, builtin FROM data_classes WHERE code = $1")
        .bind(code)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该数据类别".into()))?;
    Ok((row.try_get("id")?, row.try_get::<i64, _>("builtin")? == 1))
}

/// Audits a change to a class inside its transaction (the last write before commit).
async fn record(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    caller: &Caller,
    action: &str,
    class: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    caller
        .audit(conn, state, action, Some(("data_class", class)), detail)
        .await
}

/// Saves a field (a new one when `is_new`: only classes an operator defined take new fields).
pub async fn save_field(
    state: &AppState,
    caller: &Caller,
    class: &str,
    form: &FieldForm,
    is_new: bool,
) -> Result<(), AppError> {
    let (class_id, builtin) = class_row(state, class).await?;
    let (_, spec) = catalogue::load(state, class).await?;
    let edited = parse_field(form)?;
    let before = spec.field(&edited.key).cloned();
    if is_new {
        if builtin {
            return Err(AppError::field(
                "key",
                "BUILTIN_CLASS",
                "内置类别的字段按国家标准固定，不能新增；可为现有字段添加其他表头。",
            ));
        }
        if !catalog_edit::valid_code(&edited.key, 2, 40) {
            return Err(AppError::field(
                "key",
                "BAD_KEY",
                "字段代码用小写字母开头，只含小写字母、数字和下划线，2–40 位，例如 grade。",
            ));
        }
        if before.is_some() {
            return Err(AppError::field(
                "key",
                "DUPLICATE",
                format!("本类别已有字段代码 {}，请换一个。", edited.key),
            ));
        }
    } else if before.is_none() {
        return Err(AppError::NotFound("该字段".into()));
    }
    let shipped = builtin
        .then(|| builtin_classes().into_iter().find(|c| c.code == class))
        .flatten()
        .and_then(|c| c.field(&edited.key).cloned());
    catalog_edit::check_field(&edited, shipped.as_ref(), &spec.fields).map_err(refused)?;
    let join = |l: &[String]| l.join(";");
    let mut tx = state.db.begin().await?;
    if is_new {
        let order: i64 = sqlx::query(
            "SELECT CAST(COALESCE(MAX(sort_order), 0) + 1 AS BIGINT) FROM class_fields WHERE class_id = $1",
        )
        .bind(class_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        catalogue::insert_field(&mut tx, class_id, &edited, order).await?;
    } else {
        sqlx::query(
            "UPDATE class_fields SET name = $3, code_v2 = $4, codes_v1 = $5, synonyms = $6, field_type = $7, \
             requirement = $8, options = $9, max_len = $10 WHERE class_id = $1 AND field_key = $2",
        )
        .bind(class_id)
        .bind(&edited.key)
        .bind(&edited.name)
        .bind(edited.code_v2.as_deref())
        .bind(join(&edited.codes_v1))
        .bind(join(&edited.synonyms))
        .bind(edited.field_type.as_str())
        .bind(edited.requirement.as_str())
        .bind(join(&edited.options))
        .bind(edited.max_len as i64)
        .execute(&mut *tx)
        .await?;
    }
    touch(&mut tx, state, class_id).await?;
    record(
        &mut tx,
        state,
        caller,
        if is_new {
            "catalogue.field_add"
        } else {
            "catalogue.field_save"
        },
        class,
        serde_json::json!({ "field": edited.key, "before": before, "after": edited }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn touch(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    state: &AppState,
    class_id: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE data_classes SET updated_at = $2 WHERE id = $1")
        .bind(class_id)
        .bind(state.clock.now_text())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes a field of an operator-defined class (never one the pipeline needs to key records).
pub async fn remove_field(
    state: &AppState,
    caller: &Caller,
    class: &str,
    key: &str,
) -> Result<(), AppError> {
    let (class_id, builtin) = class_row(state, class).await?;
    if builtin || CORE_FIELDS.contains(&key) {
        return Err(AppError::Conflict(
            "该字段用于识别主体和记录，不能删除。".into(),
        ));
    }
    let (_, spec) = catalogue::load(state, class).await?;
    let before = spec
        .field(key)
        .cloned()
        .ok_or_else(|| AppError::NotFound("该字段".into()))?;
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM class_fields WHERE class_id = $1 AND field_key = $2")
        .bind(class_id)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    touch(&mut tx, state, class_id).await?;
    record(
        &mut tx,
        state,
        caller,
        "catalogue.field_remove",
        class,
        serde_json::json!({ "field": key, "before": before }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Switches a rule on or off for a class; rules that guard the law or the keys cannot be switched off.
pub async fn set_rule(
    state: &AppState,
    caller: &Caller,
    class: &str,
    code: &str,
    enabled: bool,
) -> Result<(), AppError> {
    let (class_id, _) = class_row(state, class).await?;
    let rule = r::find(code).ok_or_else(|| AppError::NotFound("该规则".into()))?;
    if !enabled && !rule.optional {
        return Err(AppError::field(
            "code",
            "RULE_REQUIRED",
            format!("规则“{}”（{code}）是必选规则，不能停用。", rule.name),
        ));
    }
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO class_rule_overrides (class_id, rule_code, enabled, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (class_id, rule_code) \
         DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(class_id)
    .bind(code)
    .bind(enabled as i64)
    .bind(state.clock.now_text())
    .bind(&caller.user.username)
    .execute(&mut *tx)
    .await?;
    touch(&mut tx, state, class_id).await?;
    record(
        &mut tx,
        state,
        caller,
        "catalogue.rule_switch",
        class,
        serde_json::json!({ "rule": code, "enabled": enabled }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where a scheduled exchange may pull from: a web address, or a file on the server.
pub fn check_exchange_url(url: &str) -> Result<(), AppError> {
    let url = url.trim();
    let ok = url.is_empty()
        || ((url.starts_with("https://") || url.starts_with("http://")) && url.len() > 10)
        || (url.starts_with("file:///") && url.len() > 8);
    if ok && url.len() <= 500 && !url.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        Err(AppError::field(
            "exchange_url",
            "BAD_URL",
            "交换地址应为 http(s):// 开头的网址或 file:/// 开头的服务器文件路径（不含空格），也可留空。",
        ))
    }
}

/// Adds a source unit to a class, or changes its frequency and exchange address.
pub async fn save_source(
    state: &AppState,
    caller: &Caller,
    class: &str,
    department_id: i64,
    frequency: &str,
    exchange_url: &str,
) -> Result<(), AppError> {
    let (class_id, _) = class_row(state, class).await?;
    if !FREQUENCIES.iter().any(|(c, _, _)| *c == frequency) {
        return Err(AppError::field("frequency", "UNKNOWN", "请选择报送频率。"));
    }
    check_exchange_url(exchange_url)?;
    if exchange_url.trim().starts_with("file://") {
        super::exchange::exchange_file(state, exchange_url.trim())
            .map_err(|m| AppError::field("exchange_url", "BAD_PATH", m))?;
    }
    let unit = sqlx::query("SELECT name FROM departments WHERE id = $1 AND active = 1")
        .bind(department_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::field("department", "UNKNOWN", "所选单位不存在或已停用。"))?;
    let unit: String = unit.try_get("name")?;
    let now = state.clock.now_text();
    let url = Some(exchange_url.trim()).filter(|u| !u.is_empty());
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO class_sources (class_id, department_id, frequency, exchange_url, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (class_id, department_id) \
         DO UPDATE SET frequency = excluded.frequency, exchange_url = excluded.exchange_url, updated_at = excluded.updated_at",
    )
    .bind(class_id)
    .bind(department_id)
    .bind(frequency)
    .bind(url)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    touch(&mut tx, state, class_id).await?;
    record(
        &mut tx,
        state,
        caller,
        "catalogue.source_save",
        class,
        serde_json::json!({ "unit": unit, "frequency": frequency, "exchange_url": url }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_source(
    state: &AppState,
    caller: &Caller,
    class: &str,
    department_id: i64,
) -> Result<(), AppError> {
    let (class_id, _) = class_row(state, class).await?;
    let mut tx = state.db.begin().await?;
    let gone = sqlx::query("DELETE FROM class_sources WHERE class_id = $1 AND department_id = $2")
        .bind(class_id)
        .bind(department_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(AppError::NotFound("该报送单位".into()));
    }
    touch(&mut tx, state, class_id).await?;
    record(
        &mut tx,
        state,
        caller,
        "catalogue.source_remove",
        class,
        serde_json::json!({ "department_id": department_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Defines a new class (generic storage) with the fields every class needs; the operator adds the rest.
pub async fn create_class(
    state: &AppState,
    caller: &Caller,
    code: &str,
    name: &str,
) -> Result<(), AppError> {
    let (code, name) = (code.trim(), name.trim());
    if !catalog_edit::valid_code(code, 3, 32) {
        return Err(AppError::field(
            "code",
            "BAD_CODE",
            "类别代码用小写字母开头，只含小写字母、数字和下划线，3–32 位，例如 tax_rating。",
        ));
    }
    if !(2..=40).contains(&name.chars().count()) {
        return Err(AppError::field("name", "BAD_NAME", "类别名称 2–40 个字。"));
    }
    let taken = sqlx::query("SELECT id FROM data_classes WHERE code = $1 OR name = $2")
        .bind(code)
        .bind(name)
        .fetch_optional(&state.db.pool)
        .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "code",
            "DUPLICATE",
            "已有同代码或同名称的数据类别。",
        ));
    }
    let spec = catalog_edit::new_class(code, name);
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let order: i64 =
        sqlx::query("SELECT CAST(COALESCE(MAX(sort_order), 0) + 1 AS BIGINT) FROM data_classes")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
    let id: i64 = sqlx::query(
        "INSERT INTO data_classes (code, name, storage, builtin, active, sort_order, created_at, updated_at) \
         VALUES ($1, $2, 'generic', 0, 1, $3, $4, $4) RETURNING id",
    )
    .bind(code)
    .bind(name)
    .bind(order)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for (i, field) in spec.fields.iter().enumerate() {
        catalogue::insert_field(&mut tx, id, field, i as i64).await?;
    }
    record(
        &mut tx,
        state,
        caller,
        "catalogue.class_create",
        code,
        serde_json::json!({ "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
