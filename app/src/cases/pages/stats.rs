//! 办件统计 (`/console/cases/stats`): cases by kind, state, source unit and month of submission, the
//! on-time rate and the average duration, within the caller's scope like the desk; filters in the URL;
//! charts with their tables and one XLSX download of the same numbers.
use crate::cases::api::case_stats;
use crate::cases::stats::{days_text, rate_text, CaseStats, Group, StatsFilter};
use crate::stats::pages::figures::FigureTable;
use crate::ui::bars::{ColumnChart, HBarChart};
use crate::ui::form::CsrfField;
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::Title;

const SERIES: [&str; 3] = ["按期办结", "逾期办结", "未办结"];

/// A group's cases split into on time, late and open (the parts of a stacked bar).
fn parts(groups: &[Group]) -> Vec<(String, Vec<i64>)> {
    groups
        .iter()
        .map(|g| {
            (
                g.label.clone(),
                vec![g.on_time, g.closed - g.on_time, g.cases - g.closed],
            )
        })
        .collect()
}

#[component]
pub fn CaseStatsPage() -> impl IntoView {
    let (kind, from, to) = (param("kind"), param("from"), param("to"));
    let data = Resource::new(
        move || (kind.get(), from.get(), to.get()),
        |(kind, from, to)| case_stats(StatsFilter { kind, from, to }),
    );
    view! {
        <Title text="办件统计" />
        <p class="small"><a href="/console/cases">"← 返回办件列表"</a></p>
        <h1>"办件统计"</h1>
        <form class="filters no-print" method="get" action="/console/cases/stats">
            <super::KindFilter kind />
            <label>"提交日期自"<input type="date" name="from" value=move || from.get() /></label>
            <label>"至"<input type="date" name="to" value=move || to.get() /></label>
            <button type="submit" class="button">"统计"</button>
        </form>
        {await_view(data, move |s| view! {
            <StatsView s filter=StatsFilter { kind: kind.get_untracked(), from: from.get_untracked(), to: to.get_untracked() } />
        })}
    }
}

#[component]
fn StatsView(s: CaseStats, filter: StatsFilter) -> impl IntoView {
    let months = parts(&s.by_month);
    let units = parts(&s.by_unit);
    let series = SERIES.to_vec();
    let states: Vec<(String, Vec<i64>)> = s
        .by_state
        .iter()
        .map(|g| (g.label.clone(), vec![g.cases]))
        .collect();
    view! {
        <section class="panel" aria-labelledby="case-summary-h" data-testid="case-summary">
            <h2 id="case-summary-h">"总体情况"</h2>
            <dl class="facts">
                <dt>"办件总数"</dt><dd data-testid="case-total">{s.total}</dd>
                <dt>"已办结"</dt><dd>{s.closed}</dd>
                <dt>"按期办结"</dt><dd>{s.on_time}</dd>
                <dt>"按期办结率"</dt><dd data-testid="case-on-time">{rate_text(s.on_time_rate)}</dd>
                <dt>"平均办理时长"</dt><dd>{format!("{} 个工作日（{} 个自然日）", days_text(s.avg_working_days), days_text(s.avg_calendar_days))}</dd>
            </dl>
            <p class="muted small">"按期：办结之日不晚于办结时应遵守的期限（补正期间不计入）。时长自提交之日起算至办结之日。"</p>
            <form class="export no-print" method="post" action="/console/export/case_stats.xlsx">
                <CsrfField />
                <input type="hidden" name="kind" value=filter.kind />
                <input type="hidden" name="from" value=filter.from />
                <input type="hidden" name="to" value=filter.to />
                <button type="submit" class="button button-secondary">"导出 Excel"</button>
            </form>
        </section>
        <section class="panel stats-figure" aria-labelledby="case-month-h" data-testid="case-by-month">
            <h2 id="case-month-h">"按提交月份"</h2>
            <ColumnChart title="每月提交的办件（按期办结、逾期办结、未办结）".to_string() series=series.clone() rows=months.clone() />
            <details class="stats-data"><summary>"查看数据表"</summary>
                <FigureTable caption="每月提交的办件".into() first="月份" series=series.clone() rows=months /></details>
        </section>
        <section class="panel stats-figure" aria-labelledby="case-unit-h" data-testid="case-by-unit">
            <h2 id="case-unit-h">"按承办单位"</h2>
            <HBarChart title="各承办单位的办件".to_string() series=series.clone() rows=units.clone() />
            <details class="stats-data"><summary>"查看数据表"</summary>
                <FigureTable caption="各承办单位的办件".into() first="承办单位" series=series.clone() rows=units /></details>
        </section>
        <section class="panel stats-figure" aria-labelledby="case-kind-h">
            <h2 id="case-kind-h">"按类型和状态"</h2>
            <FigureTable caption="各类型的办件".into() first="类型" series=series.clone() rows=parts(&s.by_kind) />
            <FigureTable caption="各状态的办件".into() first="状态" series=vec!["办件数"]
                rows=states />
        </section>
    }
}
