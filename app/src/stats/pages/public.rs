//! 信用统计: how many licences and penalties are on public display, by department, county and month.
//! Charts are drawn on the server (no JavaScript needed), each with its table.
use super::figures::{volume_rows, Figure, FigureTable, VOLUME_SERIES};
use crate::stats::api::get_public_stats;
use crate::stats::model::{month_label, PublicStats};
use crate::ui::bars::{ColumnChart, HBarChart};
use crate::ui::status::await_fetch;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn PublicStatsPage() -> impl IntoView {
    view! {
        <Title text="信用统计" />
        <Meta name="description" content="湘西州行政许可、行政处罚（双公示）信息公示数量统计：按部门、区县和月份。" />
        <div class="stats-page">
            {await_fetch(get_public_stats, |s: PublicStats| view! { <PublicFigures s /> })}
        </div>
    }
}

#[component]
fn PublicFigures(s: PublicStats) -> impl IntoView {
    let series = VOLUME_SERIES.to_vec();
    let months: Vec<(String, Vec<i64>)> = s
        .by_month
        .iter()
        .map(|v| (month_label(&v.label), vec![v.licences, v.penalties]))
        .collect();
    let month_table: Vec<(String, Vec<i64>)> = volume_rows(&s.by_month);
    view! {
        <section class="panel" aria-labelledby="stats-title">
            <h1 id="stats-title">"信用统计"</h1>
            <p>{format!("截至 {}，本平台公示中的行政许可 {} 条、行政处罚 {} 条。", s.as_of, s.licences, s.penalties)}</p>
            <p class="muted">"只统计当前处于公示期内、按公示规则可以公开的信息；已撤销、已修复、超过公示期限的信息不计入。"</p>
            <ul class="tiles stats-tiles">
                <li class="tile"><span class="stat-value">{s.licences}</span><span class="stat-label">"行政许可公示"</span></li>
                <li class="tile"><span class="stat-value">{s.penalties}</span><span class="stat-label">"行政处罚公示"</span></li>
            </ul>
        </section>
        <Figure
            id="stats-department"
            heading="按部门".into()
            chart=view! { <HBarChart title="各部门公示的行政许可和行政处罚数量".to_string() series=series.clone() rows=volume_rows(&s.by_department) /> }.into_any()
            table=view! { <FigureTable caption="各部门公示数量".into() first="部门" series=series.clone() rows=volume_rows(&s.by_department) /> }.into_any()
        />
        <Figure
            id="stats-county"
            heading="按县市".into()
            chart=view! { <HBarChart title="各县市公示的行政许可和行政处罚数量".to_string() series=series.clone() rows=volume_rows(&s.by_county) /> }.into_any()
            table=view! { <FigureTable caption="各县市公示数量".into() first="县市" series=series.clone() rows=volume_rows(&s.by_county) /> }.into_any()
        />
        <Figure
            id="stats-month"
            heading="按月份（决定日期）".into()
            note="近 12 个月作出、目前仍在公示中的决定。".to_string()
            chart=view! { <ColumnChart title="近12个月每月作出的行政许可和行政处罚决定（公示中）".to_string() series=series.clone() rows=months /> }.into_any()
            table=view! { <FigureTable caption="每月公示数量".into() first="月份" series=series.clone() rows=month_table /> }.into_any()
        />
    }
}
