//! 核查统计 (`/console/joint/stats`, the credit office): checks, hits, feedback and measures applied per
//! department, matter and month, with charts and their tables, one XLSX of the same numbers, and the
//! 应查必查 view.
use crate::joint::api::{feedback_days, joint_stats, SaveFeedbackDays};
use crate::joint::stats::{rate_text, Group, JointStats, JointStatsFilter};
use crate::stats::pages::figures::FigureTable;
use crate::ui::bars::{ColumnChart, HBarChart};
use crate::ui::form::CsrfField;
use crate::ui::form::FormAlert;
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::Title;

const SERIES: [&str; 3] = ["未命中", "命中已反馈", "命中待反馈"];

/// A group's checks split into no hit, hit and answered, hit and not answered (a stacked bar).
fn parts(groups: &[Group]) -> Vec<(String, Vec<i64>)> {
    groups
        .iter()
        .map(|g| {
            (
                g.label.clone(),
                vec![g.checks - g.hits, g.answered, g.hits - g.answered],
            )
        })
        .collect()
}

#[component]
pub fn JointStatsPage() -> impl IntoView {
    let (from, to) = (param("from"), param("to"));
    let data = Resource::new(
        move || (from.get(), to.get()),
        |(from, to)| joint_stats(JointStatsFilter { from, to }),
    );
    view! {
        <Title text="联合奖惩核查统计" />
        <p class="small"><a href="/console/joint/checks">"← 核查记录"</a></p>
        <h1>"联合奖惩核查统计"</h1>
        <form class="filters no-print" method="get" action="/console/joint/stats">
            <label>"核查日期自"<input type="date" name="from" value=move || from.get() /></label>
            <label>"至"<input type="date" name="to" value=move || to.get() /></label>
            <button type="submit" class="button">"统计"</button>
        </form>
        {await_view(data, |s| view! { <StatsView s /> })}
        <FeedbackDays />
    }
}

/// The working days a handler has for feedback (a setting of the office).
#[component]
fn FeedbackDays() -> impl IntoView {
    let save = ServerAction::<SaveFeedbackDays>::new();
    let days = Resource::new(move || save.version().get(), |_| feedback_days());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel no-print" aria-labelledby="js-days-h">
            <h2 id="js-days-h">"反馈期限"</h2>
            <p class="hint">"命中名单的核查，办理部门应在核查后若干个工作日内反馈措施采取情况（按节假日安排计算）；逾期的提醒该部门并向信用办告警。修改对此后的核查生效。"</p>
            <FormAlert error />
            {await_view(days, move |d| view! {
                <ActionForm action=save attr:class="inline-form" attr:data-testid="feedback-days">
                    <CsrfField />
                    <label for="js-days">"反馈期限（工作日）"</label>
                    <input id="js-days" name="days" type="number" min="1" max="30" required value=d.to_string() />
                    <button type="submit" class="button button-secondary">"保存"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn GroupTable(caption: &'static str, first: &'static str, groups: Vec<Group>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{first}</th><th scope="col">"核查次数"</th><th scope="col">"命中"</th>
                    <th scope="col">"已反馈"</th><th scope="col">"反馈率"</th><th scope="col">"采取措施"</th><th scope="col">"措施条数"</th></tr></thead>
                <tbody>
                    {groups.into_iter().map(|g| view! {
                        <tr>
                            <th scope="row">{g.label.clone()}</th><td>{g.checks}</td><td>{g.hits}</td><td>{g.answered}</td>
                            <td>{rate_text(g.feedback_rate())}</td><td>{g.applied}</td><td>{g.measures}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn StatsView(s: JointStats) -> impl IntoView {
    let series = SERIES.to_vec();
    let months = parts(&s.by_month);
    let units = parts(&s.by_unit);
    let t = s.total.clone();
    view! {
        <section class="panel" aria-labelledby="js-summary-h" data-testid="joint-summary">
            <h2 id="js-summary-h">{format!("总体情况（{} 至 {}）", s.from, s.to)}</h2>
            <dl class="facts">
                <dt>"核查次数"</dt><dd data-testid="joint-checks">{t.checks}</dd>
                <dt>"命中名单"</dt><dd data-testid="joint-hits">{t.hits}</dd>
                <dt>"已反馈"</dt><dd data-testid="joint-answered">{t.answered}</dd>
                <dt>"反馈率"</dt><dd data-testid="joint-rate">{rate_text(t.feedback_rate())}</dd>
                <dt>"采取措施"</dt><dd>{format!("{} 次，{} 条措施", t.applied, t.measures)}</dd>
            </dl>
            <form class="export no-print" method="post" action="/console/export/joint_stats.xlsx">
                <CsrfField />
                <input type="hidden" name="from" value=s.from.clone() />
                <input type="hidden" name="to" value=s.to.clone() />
                <button type="submit" class="button button-secondary">"导出 Excel"</button>
            </form>
        </section>
        <section class="panel stats-figure" aria-labelledby="js-month-h">
            <h2 id="js-month-h">"按月份"</h2>
            <ColumnChart title="每月核查次数（未命中、命中已反馈、命中待反馈）".to_string() series=series.clone() rows=months.clone() />
            <details class="stats-data"><summary>"查看数据表"</summary>
                <FigureTable caption="每月核查次数".into() first="月份" series=series.clone() rows=months /></details>
        </section>
        <section class="panel stats-figure" aria-labelledby="js-unit-h">
            <h2 id="js-unit-h">"按部门"</h2>
            <HBarChart title="各部门核查次数".to_string() series=series.clone() rows=units />
            <GroupTable caption="各部门的核查与反馈" first="部门" groups=s.by_unit.clone() />
        </section>
        <section class="panel" aria-labelledby="js-matter-h">
            <h2 id="js-matter-h">"按事项"</h2>
            <GroupTable caption="各事项的核查与反馈" first="事项" groups=s.by_matter.clone() />
        </section>
        <section class="panel" aria-labelledby="js-gap-h" data-testid="joint-gaps">
            <h2 id="js-gap-h">"应查必查"</h2>
            <h3>{format!("本月（{}）未核查的部门", s.this_month)}</h3>
            {if s.idle.is_empty() {
                view! { <p class="empty">"各部门本月均有核查。"</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="joint-idle">
                        {s.idle.iter().map(|u| view! { <li>{format!("{}：{} 个事项已关联措施，本月没有核查", u.unit, u.matters)}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>"统计期内未核查的事项"</h3>
            <p class="hint">"已关联奖惩措施、但统计期内没有任何核查记录的事项；部门在其他事项有核查的，说明该事项办件时可能漏查。"</p>
            {if s.unchecked.is_empty() {
                view! { <p class="empty">"没有未核查的事项。"</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="joint-unchecked">
                            <thead><tr><th>"事项编码"</th><th>"事项名称"</th><th>"部门"</th><th>"部门同期核查次数"</th></tr></thead>
                            <tbody>
                                {s.unchecked.iter().map(|m| view! {
                                    <tr><td>{m.code.clone()}</td><td>{m.name.clone()}</td><td>{m.unit.clone()}</td><td>{m.unit_checks}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
