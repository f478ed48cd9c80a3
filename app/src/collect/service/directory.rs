//! The department register as the cleaning rules read it (docs/domain.md §6.4): every name a department
//! goes by — its name, full name and aliases — with its code, so that an authority written any of
//! those ways gets its code filled.
use crate::error::AppError;
use crate::rules::clean::row::{split_aliases, Authority};
use crate::server::AppState;
use sqlx::Row;

/// Every department with a code, by all its names (inactive ones too: old records still name them).
pub async fn authorities(state: &AppState) -> Result<Vec<Authority>, AppError> {
    sqlx::query(
        "SELECT name, COALESCE(full_name, '') AS full_name, COALESCE(aliases, '') AS aliases, uscc \
         FROM departments WHERE uscc IS NOT NULL AND uscc <> '' ORDER BY id",
    )
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let name: String = r.try_get("name")?;
        let full: String = r.try_get("full_name")?;
        let aliases = split_aliases(&r.try_get::<String, _>("aliases")?);
        let uscc: String = r.try_get("uscc")?;
        let names = [name.as_str(), full.as_str()]
            .into_iter()
            .chain(aliases.iter().map(String::as_str));
        Ok(Authority::new(&uscc, names))
    })
    .collect()
}

/// How ID numbers found in text are masked on the public copy: the disclosure policy's rule.
pub async fn id_mask(state: &AppState) -> Result<crate::rules::mask::MaskRule, AppError> {
    Ok(crate::credit::service::policy(state).await?.id_mask)
}
