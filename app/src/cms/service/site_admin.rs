//! Site administration by the credit office: the column tree (name, parent, order, kind, update rule,
//! visibility, function page), who works in which column, and the sensitive-word list. Every change is
//! audited (`cms.column.*`, `cms.word.*`) and makes the portal's cached pages stale.
use crate::cms::model::{ColumnAdmin, ColumnEdit, SensitiveWord, SiteAdmin};
use crate::error::{AppError, FieldError};
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::{AnyConnection, Row};

const KINDS: [&str; 5] = ["news", "notice", "policy", "service", "general"];

async fn audited(
    conn: &mut AnyConnection,
    state: &AppState,
    caller: &Caller,
    action: &str,
    object: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let object_type = action.split('.').nth(1).unwrap_or("site");
    caller
        .audit(conn, state, action, Some((object_type, object)), detail)
        .await
}

/// Every column (shown or not) in tree order, with grants and article counts; and the word list.
pub async fn load(state: &AppState) -> Result<SiteAdmin, AppError> {
    let pool = &state.db.pool;
    let rows = sqlx::query(
        "SELECT c.code, c.name, c.parent_code, c.sort_order, c.kind, c.update_days, c.description, c.visible, c.link_path, \
         (SELECT COUNT(*) FROM articles a WHERE a.column_code = c.code) AS articles \
         FROM site_columns c ORDER BY c.sort_order, c.code",
    )
    .fetch_all(pool)
    .await?;
    let grants = sqlx::query(
        "SELECT g.column_code, u.username FROM cms_column_grants g JOIN users u ON u.id = g.user_id ORDER BY u.username",
    )
    .fetch_all(pool)
    .await?;
    let mut flat = vec![];
    for r in &rows {
        let code: String = r.try_get("code")?;
        let mut users = vec![];
        for g in &grants {
            if g.try_get::<String, _>("column_code")? == code {
                users.push(g.try_get("username")?);
            }
        }
        flat.push(ColumnAdmin {
            edit: ColumnEdit {
                code,
                name: r.try_get("name")?,
                parent_code: r
                    .try_get::<Option<String>, _>("parent_code")?
                    .unwrap_or_default(),
                sort_order: r.try_get("sort_order")?,
                kind: r.try_get("kind")?,
                update_days: r.try_get("update_days")?,
                description: r.try_get("description")?,
                visible: r.try_get::<i64, _>("visible")? != 0,
                link_path: r
                    .try_get::<Option<String>, _>("link_path")?
                    .unwrap_or_default(),
            },
            depth: 0,
            articles: r.try_get("articles")?,
            editors: users,
        });
    }
    let words = sqlx::query("SELECT word, level FROM sensitive_words ORDER BY level, word")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(SensitiveWord {
                word: r.try_get("word")?,
                blocks: r.try_get::<String, _>("level")? == "block",
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(SiteAdmin {
        columns: tree_order(flat),
        words,
    })
}

/// Parents first, each followed by its children (in their order), with their depth.
fn tree_order(flat: Vec<ColumnAdmin>) -> Vec<ColumnAdmin> {
    fn add(out: &mut Vec<ColumnAdmin>, all: &[ColumnAdmin], parent: &str, depth: usize) {
        for c in all.iter().filter(|c| c.edit.parent_code == parent) {
            if out.iter().any(|o| o.edit.code == c.edit.code) {
                continue;
            }
            let mut c = c.clone();
            c.depth = depth;
            let code = c.edit.code.clone();
            out.push(c);
            add(out, all, &code, depth + 1);
        }
    }
    let mut out = vec![];
    add(&mut out, &flat, "", 0);
    // A column whose parent is missing still shows, at the top level.
    for c in &flat {
        if !out.iter().any(|o| o.edit.code == c.edit.code) {
            out.push(c.clone());
        }
    }
    out
}

fn invalid(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: "INVALID".into(),
        message: message.into(),
    }
}

/// Checks a column before it is saved; `existing` is the column's code when it is being changed.
async fn validate(
    state: &AppState,
    c: &ColumnEdit,
    existing: Option<&str>,
) -> Result<(), AppError> {
    let mut errors = vec![];
    let code_ok = !c.code.is_empty()
        && c.code.len() <= 40
        && c.code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !code_ok {
        errors.push(invalid(
            "code",
            "栏目代码用小写字母、数字或“-”，不超过 40 个字符，例如 county-news。它会出现在网址里。",
        ));
    }
    if c.name.trim().is_empty() || c.name.chars().count() > 20 {
        errors.push(invalid("name", "请填写栏目名称（不超过 20 个字）。"));
    }
    if !KINDS.contains(&c.kind.as_str()) {
        errors.push(invalid("kind", "请选择栏目类型。"));
    }
    if c.update_days.is_some_and(|d| !(1..=3650).contains(&d)) {
        errors.push(invalid(
            "update_days",
            "更新周期应为 1 至 3650 天；没有更新要求请留空。",
        ));
    }
    if !c.link_path.is_empty() && (!c.link_path.starts_with('/') || c.link_path.starts_with("//")) {
        errors.push(invalid(
            "link_path",
            "功能页面请填写本站路径，以“/”开头，例如 /tools/uscc。",
        ));
    }
    if !c.parent_code.is_empty() {
        if Some(c.parent_code.as_str()) == existing || c.parent_code == c.code {
            errors.push(invalid("parent_code", "栏目不能作为自己的上级。"));
        } else {
            let parent: Option<Option<String>> =
                sqlx::query_scalar("SELECT parent_code FROM site_columns WHERE code = $1")
                    .bind(&c.parent_code)
                    .fetch_optional(&state.db.pool)
                    .await?;
            match parent {
                None => errors.push(invalid("parent_code", "上级栏目不存在。")),
                // Two levels are enough for a prefecture site, and keep the navigation usable.
                Some(Some(_)) => errors.push(invalid(
                    "parent_code",
                    "上级栏目本身是子栏目：栏目最多两级。",
                )),
                Some(None) => {}
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Adds a column (`original` empty) or changes one (its code cannot change: it is in links).
pub async fn save_column(
    state: &AppState,
    caller: &Caller,
    original: &str,
    c: ColumnEdit,
) -> Result<(), AppError> {
    let c = ColumnEdit {
        code: if original.is_empty() {
            c.code.trim().to_string()
        } else {
            original.to_string()
        },
        name: c.name.trim().to_string(),
        description: c.description.trim().to_string(),
        link_path: c.link_path.trim().to_string(),
        parent_code: c.parent_code.trim().to_string(),
        ..c
    };
    validate(state, &c, (!original.is_empty()).then_some(original)).await?;
    let mut tx = state.db.begin().await?;
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM site_columns WHERE code = $1")
        .bind(&c.code)
        .fetch_one(&mut *tx)
        .await?;
    let parent = (!c.parent_code.is_empty()).then_some(c.parent_code.clone());
    let link = (!c.link_path.is_empty()).then_some(c.link_path.clone());
    if original.is_empty() {
        if exists > 0 {
            return Err(AppError::Validation(vec![invalid(
                "code",
                "该栏目代码已被使用。",
            )]));
        }
        sqlx::query(
            "INSERT INTO site_columns (code, name, parent_code, sort_order, kind, update_days, description, visible, link_path) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&c.code)
        .bind(&c.name)
        .bind(&parent)
        .bind(c.sort_order)
        .bind(&c.kind)
        .bind(c.update_days)
        .bind(&c.description)
        .bind(c.visible as i64)
        .bind(&link)
        .execute(&mut *tx)
        .await?;
    } else {
        if exists == 0 {
            return Err(AppError::NotFound("该栏目".into()));
        }
        let children: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM site_columns WHERE parent_code = $1")
                .bind(&c.code)
                .fetch_one(&mut *tx)
                .await?;
        if children > 0 && parent.is_some() {
            return Err(AppError::Validation(vec![invalid(
                "parent_code",
                "该栏目有子栏目，不能再放到其他栏目下：栏目最多两级。",
            )]));
        }
        sqlx::query(
            "UPDATE site_columns SET name = $2, parent_code = $3, sort_order = $4, kind = $5, update_days = $6, \
             description = $7, visible = $8, link_path = $9 WHERE code = $1",
        )
        .bind(&c.code)
        .bind(&c.name)
        .bind(&parent)
        .bind(c.sort_order)
        .bind(&c.kind)
        .bind(c.update_days)
        .bind(&c.description)
        .bind(c.visible as i64)
        .bind(&link)
        .execute(&mut *tx)
        .await?;
    }
    crate::server::cache::bump(&mut tx, "portal").await?;
    let action = if original.is_empty() {
        "cms.column.create"
    } else {
        "cms.column.update"
    };
    let detail = serde_json::to_value(&c).map_err(|e| AppError::internal("column json", e))?;
    audited(&mut tx, state, caller, action, &c.code, detail).await?;
    tx.commit().await?;
    // This process's navigation shows the change at once (other instances within seconds).
    state.caches.nav.clear();
    Ok(())
}

/// Removes a column that holds no article and no sub-column.
pub async fn delete_column(state: &AppState, caller: &Caller, code: &str) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let articles: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM articles WHERE column_code = $1) + (SELECT COUNT(*) FROM site_columns WHERE parent_code = $1)",
    )
    .bind(code)
    .fetch_one(&mut *tx)
    .await?;
    if articles > 0 {
        return Err(AppError::Conflict(
            "栏目中还有文章或子栏目，不能删除：可以把它设为“不显示”。".into(),
        ));
    }
    sqlx::query("DELETE FROM cms_column_grants WHERE column_code = $1")
        .bind(code)
        .execute(&mut *tx)
        .await?;
    let gone = sqlx::query("DELETE FROM site_columns WHERE code = $1")
        .bind(code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(AppError::NotFound("该栏目".into()));
    }
    crate::server::cache::bump(&mut tx, "portal").await?;
    audited(
        &mut tx,
        state,
        caller,
        "cms.column.delete",
        code,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    // This process's navigation shows the change at once (other instances within seconds).
    state.caches.nav.clear();
    Ok(())
}

/// Lets a CMS user work in a column (`grant`) or stops it. A user without any grant works in all.
pub async fn set_grant(
    state: &AppState,
    caller: &Caller,
    code: &str,
    username: &str,
    grant: bool,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username.trim())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::Validation(vec![invalid("username", "没有这个用户名。")]))?;
    let column: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM site_columns WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *tx)
        .await?;
    if column == 0 {
        return Err(AppError::NotFound("该栏目".into()));
    }
    sqlx::query("DELETE FROM cms_column_grants WHERE user_id = $1 AND column_code = $2")
        .bind(user)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    if grant {
        sqlx::query("INSERT INTO cms_column_grants (user_id, column_code) VALUES ($1, $2)")
            .bind(user)
            .bind(code)
            .execute(&mut *tx)
            .await?;
    }
    let action = if grant {
        "cms.column.grant"
    } else {
        "cms.column.revoke"
    };
    audited(
        &mut tx,
        state,
        caller,
        action,
        code,
        serde_json::json!({ "username": username.trim() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds (or re-levels) a word, or removes it (`level` empty).
pub async fn set_word(
    state: &AppState,
    caller: &Caller,
    word: &str,
    level: &str,
) -> Result<(), AppError> {
    let word = word.trim();
    if word.is_empty() || word.chars().count() > 50 {
        return Err(AppError::Validation(vec![invalid(
            "word",
            "请填写词语（不超过 50 个字）。",
        )]));
    }
    if !matches!(level, "" | "block" | "warn") {
        return Err(AppError::Validation(vec![invalid(
            "level",
            "请选择“禁止发布”或“提醒”。",
        )]));
    }
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM sensitive_words WHERE word = $1")
        .bind(word)
        .execute(&mut *tx)
        .await?;
    if !level.is_empty() {
        sqlx::query("INSERT INTO sensitive_words (word, level, created_at) VALUES ($1, $2, $3)")
            .bind(word)
            .bind(level)
            .bind(state.clock.now_text())
            .execute(&mut *tx)
            .await?;
    }
    let action = if level.is_empty() {
        "cms.word.delete"
    } else {
        "cms.word.set"
    };
    audited(
        &mut tx,
        state,
        caller,
        action,
        word,
        serde_json::json!({ "level": level }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(code: &str, parent: &str, order: i64) -> ColumnAdmin {
        ColumnAdmin {
            edit: ColumnEdit {
                code: code.into(),
                parent_code: parent.into(),
                sort_order: order,
                ..Default::default()
            },
            depth: 0,
            articles: 0,
            editors: vec![],
        }
    }

    #[test]
    fn children_follow_their_parent() {
        let flat = vec![
            col("news", "", 1),
            col("notice", "", 2),
            col("county", "news", 3),
            col("orphan", "gone", 4),
        ];
        let out = tree_order(flat);
        let order: Vec<(&str, usize)> = out
            .iter()
            .map(|c| (c.edit.code.as_str(), c.depth))
            .collect();
        assert_eq!(
            order,
            [("news", 0), ("county", 1), ("notice", 0), ("orphan", 0)]
        );
    }
}
