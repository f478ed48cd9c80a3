//! The credit office's statistics: the dashboard (`/console/stats`) and the printable monthly report
//! (`/console/stats/monthly?month=YYYY-MM`). Each figure has its table and an XLSX download.
use super::figures::{received_rows, Figure, FigureTable, RECEIVED_SERIES};
use crate::collect::pages::quality::{pct, trend_chart};
use crate::stats::api::get_stats_dashboard;
use crate::stats::model::{month_label, Dashboard, StatsTable};
use crate::ui::bars::{ColumnChart, HBarChart};
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StatsDashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_stats_dashboard(String::new()));
    view! {
        <Title text="统计分析" />
        <h1>"统计分析"</h1>
        <p class="no-print"><a href="/console/stats/monthly">"统计月报（可打印）"</a>" · "<a href="/stats">"公众信用统计页"</a></p>
        {await_view(data, |d| view! { <Figures d open=false /> })}
    }
}

#[component]
pub fn MonthlyStatsPage() -> impl IntoView {
    let month = param("month");
    // No month asked for: this month (the server reads any text that is not a month so).
    let data = Resource::new(
        move || {
            Some(month.get())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "current".into())
        },
        get_stats_dashboard,
    );
    view! {
        <Title text="统计月报" />
        <div class="stats-report">
            {await_view(data, |d| {
                let title = format!("湘西州社会信用信息平台统计月报（{}）", d.month);
                view! {
                    <h1>{title}</h1>
                    <form class="filters no-print" method="get" aria-label="选择月份">
                        <label>"月份"
                            <select name="month">
                                {d.months.iter().map(|m| view! { <option value=m.clone() selected=*m == d.month>{m.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" class="button">"查看"</button>
                        <span class="muted">"用浏览器的“打印”即可打印或存为 PDF。"</span>
                    </form>
                    <p>{format!("统计日期：{}。数据类别、单位和区县按本月接收的记录统计；趋势为截至本月的近 12 个月。", d.as_of)}</p>
                    <Figures d open=true />
                }
            })}
        </div>
    }
}

/// Every figure of the dashboard; the monthly report shows the tables unfolded.
#[component]
fn Figures(d: Dashboard, open: bool) -> impl IntoView {
    let month = d.month.clone();
    let export = move |t: StatsTable| (t, month.clone());
    let held = if d.month.is_empty() {
        "（累计接收）"
    } else {
        "（本月接收）"
    };
    let classes: Vec<(String, Vec<i64>)> = d
        .by_class
        .iter()
        .map(|c| (c.class.clone(), vec![c.records]))
        .collect();
    let months: Vec<(String, Vec<i64>)> = received_rows(&d.by_month)
        .into_iter()
        .map(|(m, v)| (month_label(&m), v))
        .collect();
    let activity_series = vec!["发布文章", "信用查询", "出具信用报告", "数据接口调用"];
    let activity_chart: Vec<(String, Vec<i64>)> = d
        .activity
        .iter()
        .map(|a| {
            (
                month_label(&a.month),
                vec![a.articles, a.searches, a.reports, a.api_calls],
            )
        })
        .collect();
    let activity_table: Vec<(String, Vec<i64>)> = d
        .activity
        .iter()
        .map(|a| {
            (
                a.month.clone(),
                vec![
                    a.articles,
                    a.searches,
                    a.reports,
                    a.api_calls,
                    a.api_batches,
                ],
            )
        })
        .collect();
    let series = RECEIVED_SERIES.to_vec();
    let quality = trend_chart("近6个月全平台数据质量趋势（%）".into(), &d.quality_trend);
    view! {
        <Figure id="stats-class" heading=format!("按数据类别{held}") export=export(StatsTable::Class) open=open
            chart=view! { <HBarChart title=format!("各数据类别的记录数{held}") series=vec!["记录数"] rows=classes.clone() /> }.into_any()
            table=view! { <FigureTable caption="各数据类别的记录数".into() first="数据类别" series=vec!["记录数"] rows=classes /> }.into_any()
        />
        <Figure id="stats-department" heading=format!("按单位{held}") export=export(StatsTable::Department) open=open
            chart=view! { <HBarChart title=format!("各单位报送的记录数{held}") series=series.clone() rows=received_rows(&d.by_department) /> }.into_any()
            table=view! { <FigureTable caption="各单位报送的记录数".into() first="单位" series=series.clone() rows=received_rows(&d.by_department) /> }.into_any()
        />
        <Figure id="stats-county" heading=format!("按县市{held}") export=export(StatsTable::County) open=open
            chart=view! { <HBarChart title=format!("各县市的记录数{held}") series=series.clone() rows=received_rows(&d.by_county) /> }.into_any()
            table=view! { <FigureTable caption="各县市的记录数".into() first="县市" series=series.clone() rows=received_rows(&d.by_county) /> }.into_any()
        />
        <Figure id="stats-month" heading="按月份接收的记录（近 12 个月）".into() export=export(StatsTable::Month) open=open
            chart=view! { <ColumnChart title="近12个月每月接收的记录数".to_string() series=series.clone() rows=months /> }.into_any()
            table=view! { <FigureTable caption="每月接收的记录数".into() first="月份" series=series.clone() rows=received_rows(&d.by_month) /> }.into_any()
        />
        <Figure id="stats-activity" heading="发布、查询、报告与接口（近 12 个月）".into()
            note="发布文章：门户网站首次发布的文章；信用查询：公众、接口和工作人员的查询次数；数据接口调用：各单位系统调用报送接口的次数。".to_string()
            export=export(StatsTable::Activity) open=open
            chart=view! { <ColumnChart title="近12个月每月的文章发布、信用查询、报告出具和接口调用次数".to_string() series=activity_series.clone() rows=activity_chart stacked=false /> }.into_any()
            table=view! { <FigureTable caption="每月的发布与使用".into() first="月份" series=vec!["发布文章", "信用查询", "出具信用报告", "数据接口调用", "接口报送批次"] rows=activity_table /> }.into_any()
        />
        <Figure id="stats-quality" heading="数据质量".into()
            note="数据质量模块的得分与趋势（完整性、及时性、准确性、可用性），详见“数据质量”。".to_string()
            export=export(StatsTable::Quality) open=open
            chart=quality.into_any()
            table=view! { <QualityTable d=d.clone() /> }.into_any()
        />
    }
}

#[component]
fn QualityTable(d: Dashboard) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table stats-table">
                <caption class="sr-only">"各单位数据质量得分"</caption>
                <thead><tr>
                    <th scope="col">"单位"</th><th scope="col">"得分"</th><th scope="col">"记录数"</th><th scope="col">"完整性"</th>
                    <th scope="col">"及时性"</th><th scope="col">"准确性"</th><th scope="col">"可用性"</th>
                </tr></thead>
                <tbody>
                    {d.quality_league.into_iter().map(|s| view! {
                        <tr>
                            <td data-label="单位">{s.unit_name}</td>
                            <td data-label="得分">{s.score.map_or("—".into(), |v| format!("{v:.1}"))}</td>
                            <td data-label="记录数">{s.records}</td>
                            <td data-label="完整性">{pct(s.completeness)}</td>
                            <td data-label="及时性">{pct(s.timeliness)}</td>
                            <td data-label="准确性">{pct(s.accuracy)}</td>
                            <td data-label="可用性">{pct(s.availability)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
