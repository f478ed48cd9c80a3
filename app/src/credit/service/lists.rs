//! The public 双公示 lists (licences and penalties, latest first, with filters) and the red, black and
//! watch lists, and one record's detail page.
use super::records::{self, Kind};
use super::sql::Sql;
use crate::credit::model::{ListFilters, ListPage, PublicRecord};
use crate::credit::visibility;
use crate::error::AppError;
use crate::server::AppState;

pub const PER_PAGE: i64 = 20;

/// The list names of the lists page: licences, penalties, red, black, watch.
pub fn title(list: &str) -> Option<&'static str> {
    Some(match list {
        "licences" => "行政许可公示",
        "penalties" => "行政处罚公示",
        "red" => "守信激励对象（红名单）",
        "black" => "严重失信主体名单（黑名单）",
        "watch" => "重点关注名单",
        _ => return None,
    })
}

pub async fn list_page(
    state: &AppState,
    list: &str,
    filters: &ListFilters,
    page: i64,
) -> Result<ListPage, AppError> {
    let title = title(list).ok_or_else(|| AppError::NotFound("该名单".into()))?;
    let page = page.clamp(1, 500);
    let policy = super::policy(state).await?;
    let today = state.clock.today();
    let mut sql = Sql::default();
    let tail = format!("LIMIT {} OFFSET {}", PER_PAGE + 1, (page - 1) * PER_PAGE);
    let mut out = ListPage {
        list: list.into(),
        title: title.into(),
        page,
        per_page: PER_PAGE,
        ..Default::default()
    };
    match list {
        "licences" | "penalties" => {
            let kind = if list == "licences" {
                Kind::Licence
            } else {
                Kind::Penalty
            };
            let mut cond = match kind {
                Kind::Licence => visibility::licence_sql("r", today),
                Kind::Penalty => visibility::penalty_sql("r", &policy, today),
            };
            if !filters.q.trim().is_empty() {
                let exact = sql.bind(filters.q.trim());
                cond.push_str(&format!(
                    " AND (r.subject_name = {exact} OR r.subject_uscc = {exact} OR r.decision_no = {exact})"
                ));
            }
            if !filters.county.is_empty() {
                let p = sql.bind(&filters.county);
                cond.push_str(&format!(" AND r.county_code = {p}"));
            }
            if !filters.unit.is_empty() {
                let p = sql.bind(&filters.unit);
                cond.push_str(&format!(
                    " AND r.department_id = (SELECT d.id FROM departments d WHERE d.code = {p})"
                ));
            }
            if !filters.from.is_empty() {
                let p = sql.bind(&filters.from);
                cond.push_str(&format!(" AND r.decision_date >= {p}"));
            }
            if !filters.to.is_empty() {
                let p = sql.bind(&filters.to);
                cond.push_str(&format!(" AND r.decision_date <= {p}"));
            }
            let mut rows = records::fetch(
                state,
                kind,
                &cond,
                &sql.binds,
                &format!("ORDER BY r.decision_date DESC, r.id DESC {tail}"),
            )
            .await?;
            out.more = rows.len() as i64 > PER_PAGE;
            rows.truncate(PER_PAGE as usize);
            out.records = rows;
        }
        _ => {
            let class = format!("{list}_list");
            let p = sql.bind(&class);
            let cond = format!(
                "c.code = {p} AND {} AND g.payload NOT LIKE '%\"status\":\"已移出\"%'",
                visibility::generic_sql("g")
            );
            let mut rows = records::fetch_generic(
                state,
                &cond,
                &sql.binds,
                &format!("ORDER BY g.id DESC {tail}"),
            )
            .await?;
            out.more = rows.len() as i64 > PER_PAGE;
            rows.truncate(PER_PAGE as usize);
            out.entries = rows;
        }
    }
    Ok(out)
}

/// One public licence or penalty; 404 when it is not (or no longer) on display.
pub async fn record(
    state: &AppState,
    kind: &str,
    public_id: &str,
) -> Result<PublicRecord, AppError> {
    let kind = Kind::parse(kind).ok_or_else(|| AppError::NotFound("该记录".into()))?;
    let policy = super::policy(state).await?;
    let today = state.clock.today();
    let shown = match kind {
        Kind::Licence => visibility::licence_sql("r", today),
        Kind::Penalty => visibility::penalty_sql("r", &policy, today),
    };
    records::fetch(
        state,
        kind,
        &format!("r.public_id = $1 AND {shown}"),
        &[public_id.to_string()],
        "",
    )
    .await?
    .into_iter()
    .next()
    .ok_or_else(|| AppError::NotFound("该记录（可能已超过公示期限或已撤销）".into()))
}
