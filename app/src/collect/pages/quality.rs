//! 数据质量: the quality board (league table of units, figures per unit and class, six-month trend)
//! and each unit's monthly report, printable and downloadable as XLSX.
use crate::collect::api::*;
use crate::collect::model::{QualityReport, QualityScore};
use crate::ui::chart::{LineChart, Series, COLOURS};
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{:.1}%", v * 100.0))
}

pub fn trend_chart(title: String, trend: &[QualityScore]) -> impl IntoView {
    let labels = trend
        .iter()
        .map(|t| t.month[5..].trim_start_matches('0').to_string() + "月")
        .collect();
    let pick = |f: fn(&QualityScore) -> Option<f64>| {
        trend.iter().map(|t| f(t).map(|v| v * 100.0)).collect()
    };
    let series = vec![
        Series {
            name: "完整性",
            colour: COLOURS[0],
            values: pick(|t| t.completeness),
        },
        Series {
            name: "及时性",
            colour: COLOURS[1],
            values: pick(|t| t.timeliness),
        },
        Series {
            name: "准确性",
            colour: COLOURS[2],
            values: pick(|t| t.accuracy),
        },
        Series {
            name: "可用性",
            colour: COLOURS[3],
            values: pick(|t| t.availability),
        },
    ];
    view! { <LineChart title labels series /> }
}

fn month_picker(months: Vec<String>, current: String) -> impl IntoView {
    view! {
        <form class="filters" method="get" aria-label="选择月份">
            <label>"月份"
                <select name="month">
                    {months.into_iter().map(|m| {
                        let selected = m == current;
                        view! { <option value=m.clone() selected=selected>{m.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">"查看"</button>
        </form>
    }
}

#[component]
pub fn QualityPage() -> impl IntoView {
    let month = param("month");
    let data = Resource::new(move || month.get(), get_quality_board);
    view! {
        <Title text="数据质量" />
        <h1>"数据质量"</h1>
        <p class="muted">"完整性：必填项填写率；及时性：决定后7个工作日内公示的比例；准确性：通过全部校验规则的行数比例；可用性：已公示且未撤销的比例。"</p>
        {await_view(data, move |b| {
            let month = b.month.clone();
            let chart = trend_chart(format!("近{}个月数据质量趋势", b.trend.len()), &b.trend);
            view! {
                {month_picker(b.months.clone(), b.month.clone())}
                <section class="panel" aria-labelledby="league-h">
                    <h2 id="league-h">{format!("{month} 单位质量排名")}</h2>
                    <div class="table-wrap">
                        <table class="data-table" data-testid="quality-league">
                            <caption class="sr-only">"各单位数据质量得分"</caption>
                            <thead><tr>
                                <th scope="col">"名次"</th><th scope="col">"单位"</th><th scope="col">"得分"</th>
                                <th scope="col">"记录数"</th><th scope="col">"完整性"</th><th scope="col">"及时性"</th>
                                <th scope="col">"准确性"</th><th scope="col">"可用性"</th><th scope="col">"逾期类别"</th><th scope="col">"月报"</th>
                            </tr></thead>
                            <tbody>
                                {b.league.into_iter().enumerate().map(|(i, s)| {
                                    let href = format!("/console/quality/report/{}?month={}", s.unit_id, s.month);
                                    view! {
                                        <tr>
                                            <td data-label="名次">{if s.score.is_some() { (i + 1).to_string() } else { "—".into() }}</td>
                                            <td data-label="单位">{s.unit_name.clone()}</td>
                                            <td data-label="得分"><strong>{s.score.map_or("—".into(), |v| format!("{v:.1}"))}</strong></td>
                                            <td data-label="记录数">{s.records}</td>
                                            <td data-label="完整性">{pct(s.completeness)}</td>
                                            <td data-label="及时性">{pct(s.timeliness)}</td>
                                            <td data-label="准确性">{pct(s.accuracy)}</td>
                                            <td data-label="可用性">{pct(s.availability)}</td>
                                            <td data-label="逾期类别">{s.overdue}</td>
                                            <td data-label="月报"><a href=href>"查看月报"</a></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
                <section class="panel" aria-labelledby="trend-h">
                    <h2 id="trend-h">"质量趋势"</h2>
                    {chart}
                </section>
                <section class="panel" aria-labelledby="rows-h">
                    <h2 id="rows-h">"按单位和数据类别"</h2>
                    <div class="table-wrap">
                        <table class="data-table" data-testid="quality-rows">
                            <caption class="sr-only">"各单位各数据类别的质量"</caption>
                            <thead><tr>
                                <th scope="col">"单位"</th><th scope="col">"数据类别"</th><th scope="col">"发布记录"</th>
                                <th scope="col">"检查行数"</th><th scope="col">"有误行数"</th><th scope="col">"完整性"</th>
                                <th scope="col">"及时性"</th><th scope="col">"准确性"</th><th scope="col">"可用性"</th>
                            </tr></thead>
                            <tbody>
                                {b.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td data-label="单位">{r.unit_name}</td>
                                        <td data-label="数据类别">{r.class_name}</td>
                                        <td data-label="发布记录">{r.records}</td>
                                        <td data-label="检查行数">{r.rows_checked}</td>
                                        <td data-label="有误行数">{r.rows_faulty}</td>
                                        <td data-label="完整性">{pct(r.completeness)}</td>
                                        <td data-label="及时性">{pct(r.timeliness)}</td>
                                        <td data-label="准确性">{pct(r.accuracy)}</td>
                                        <td data-label="可用性">{pct(r.availability)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }.into_any()
        })}
    }
}

#[component]
pub fn QualityReportPage() -> impl IntoView {
    let params = use_params_map();
    let month = param("month");
    let unit = move || {
        params.with(|p| {
            p.get("unit")
                .and_then(|u| u.parse::<i64>().ok())
                .unwrap_or(0)
        })
    };
    let data = Resource::new(
        move || (unit(), month.get()),
        |(u, m)| get_quality_report(u, m),
    );
    view! {
        <Title text="数据质量月报" />
        {await_view(data, move |r: QualityReport| {
            let s = r.score.clone();
            let xlsx = format!("/console/quality/report.xlsx?unit={}&month={}", r.unit_id, r.month);
            let chart = trend_chart(format!("{}近{}个月数据质量趋势", r.unit_name, r.trend.len()), &r.trend);
            view! {
                <article class="report" data-testid="quality-report">
                    <h1>{format!("{} 数据质量月报（{}）", r.unit_name, r.month)}</h1>
                    <p class="actions no-print">
                        <a class="button" href=xlsx download="">"下载 XLSX"</a>
                        <a class="button button-secondary" href="/console/quality">"返回质量看板"</a>
                    </p>
                    <section class="stats" aria-label="本月得分">
                        <div class="stat"><span class="stat-value">{s.score.map_or("—".into(), |v| format!("{v:.1}"))}</span><span class="stat-label">"综合得分"</span></div>
                        <div class="stat"><span class="stat-value">{pct(s.completeness)}</span><span class="stat-label">"完整性"</span></div>
                        <div class="stat"><span class="stat-value">{pct(s.timeliness)}</span><span class="stat-label">"及时性"</span></div>
                        <div class="stat"><span class="stat-value">{pct(s.accuracy)}</span><span class="stat-label">"准确性"</span></div>
                        <div class="stat"><span class="stat-value">{pct(s.availability)}</span><span class="stat-label">"可用性"</span></div>
                        <div class="stat"><span class="stat-value">{s.records}</span><span class="stat-label">"本月发布记录"</span></div>
                    </section>
                    <section class="panel" aria-labelledby="advice-h">
                        <h2 id="advice-h">"改进建议"</h2>
                        <ol data-testid="quality-advice">{r.advice.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ol>
                    </section>
                    <section class="panel" aria-labelledby="faults-h">
                        <h2 id="faults-h">"主要问题"</h2>
                        {if r.faults.is_empty() {
                            view! { <p class="empty">"本月没有错误。"</p> }.into_any()
                        } else {
                            view! {
                                <table class="data-table">
                                    <caption class="sr-only">"按规则统计的错误"</caption>
                                    <thead><tr><th scope="col">"规则"</th><th scope="col">"代码"</th><th scope="col">"次数"</th></tr></thead>
                                    <tbody>{r.faults.into_iter().map(|f| view! {
                                        <tr><td data-label="规则">{f.name}</td><td data-label="代码"><code>{f.code}</code></td><td data-label="次数">{f.count}</td></tr>
                                    }).collect_view()}</tbody>
                                </table>
                            }.into_any()
                        }}
                    </section>
                    <section class="panel" aria-labelledby="classes-h">
                        <h2 id="classes-h">"按数据类别"</h2>
                        <table class="data-table">
                            <caption class="sr-only">"各数据类别的质量"</caption>
                            <thead><tr><th scope="col">"数据类别"</th><th scope="col">"发布记录"</th><th scope="col">"完整性"</th><th scope="col">"及时性"</th><th scope="col">"准确性"</th><th scope="col">"可用性"</th></tr></thead>
                            <tbody>{r.rows.into_iter().map(|q| view! {
                                <tr><td data-label="数据类别">{q.class_name}</td><td data-label="发布记录">{q.records}</td><td data-label="完整性">{pct(q.completeness)}</td>
                                <td data-label="及时性">{pct(q.timeliness)}</td><td data-label="准确性">{pct(q.accuracy)}</td><td data-label="可用性">{pct(q.availability)}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                        {(!r.fields.is_empty()).then(|| view! {
                            <h3>"必填项填写率"</h3>
                            <table class="data-table">
                                <caption class="sr-only">"必填项填写率"</caption>
                                <thead><tr><th scope="col">"数据类别"</th><th scope="col">"字段"</th><th scope="col">"填写率"</th></tr></thead>
                                <tbody>{r.fields.into_iter().map(|f| view! {
                                    <tr><td data-label="数据类别">{f.class_name}</td><td data-label="字段">{f.field}</td>
                                    <td data-label="填写率">{pct((f.total > 0).then(|| f.filled as f64 / f.total as f64))}</td></tr>
                                }).collect_view()}</tbody>
                            </table>
                        })}
                    </section>
                    {(!r.overdue.is_empty()).then(|| view! {
                        <section class="panel" aria-labelledby="overdue-h">
                            <h2 id="overdue-h">"逾期未更新"</h2>
                            <ul>{r.overdue.into_iter().map(|i| view! { <li>{format!("{}：应于 {} 前报送，已逾期 {} 天", i.class_name, i.due_on, -i.days_left)}</li> }).collect_view()}</ul>
                        </section>
                    })}
                    <section class="panel" aria-labelledby="rtrend-h">
                        <h2 id="rtrend-h">"趋势"</h2>
                        {chart}
                    </section>
                </article>
            }.into_any()
        })}
    }
}
