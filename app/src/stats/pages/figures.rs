//! One figure of a statistics page: a heading, the chart and the same numbers as a table (for screen
//! readers, copying and print), optionally with an XLSX download of the table.
use crate::stats::model::{Received, StatsTable, Volume};
use crate::ui::form::CsrfField;
use leptos::prelude::*;

/// Series names of the 双公示 figures and of records received.
pub const VOLUME_SERIES: [&str; 2] = ["行政许可", "行政处罚"];
pub const RECEIVED_SERIES: [&str; 3] = ["行政许可", "行政处罚", "其他类别"];

pub fn volume_rows(v: &[Volume]) -> Vec<(String, Vec<i64>)> {
    v.iter()
        .map(|r| (r.label.clone(), vec![r.licences, r.penalties]))
        .collect()
}

pub fn received_rows(v: &[Received]) -> Vec<(String, Vec<i64>)> {
    v.iter()
        .map(|r| (r.label.clone(), vec![r.licences, r.penalties, r.others]))
        .collect()
}

/// The figures as a table: the group's name, one column per series and (with several series) the total.
#[component]
pub fn FigureTable(
    caption: String,
    first: &'static str,
    series: Vec<&'static str>,
    rows: Vec<(String, Vec<i64>)>,
) -> impl IntoView {
    let with_total = series.len() > 1;
    view! {
        <div class="table-wrap">
            <table class="data-table stats-table">
                <caption class="sr-only">{caption}</caption>
                <thead><tr>
                    <th scope="col">{first}</th>
                    {series.iter().map(|s| view! { <th scope="col">{*s}</th> }).collect_view()}
                    {with_total.then(|| view! { <th scope="col">"合计"</th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(label, values)| {
                        let total: i64 = values.iter().sum();
                        let names = series.clone();
                        view! {
                            <tr>
                                <td data-label=first>{label}</td>
                                {values.into_iter().zip(names).map(|(v, s)| view! { <td data-label=s>{v}</td> }).collect_view()}
                                {with_total.then(|| view! { <td data-label="合计">{total}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A figure's section: heading, chart, the table (folded away on screen unless `open`) and, in the
/// console, the download of the table.
#[component]
pub fn Figure(
    id: &'static str,
    heading: String,
    #[prop(optional)] note: Option<String>,
    #[prop(optional)] export: Option<(StatsTable, String)>,
    #[prop(default = false)] open: bool,
    chart: AnyView,
    table: AnyView,
) -> impl IntoView {
    let heading_id = format!("{id}-h");
    let labelled_by = heading_id.clone();
    view! {
        <section class="panel stats-figure" aria-labelledby=labelled_by data-testid=id>
            <h2 id=heading_id>{heading}</h2>
            {note.map(|n| view! { <p class="muted">{n}</p> })}
            {chart}
            <details class="stats-data" open=open>
                <summary>"查看数据表"</summary>
                {table}
            </details>
            {export.map(|(t, month)| view! {
                <form class="export no-print" method="post" action="/console/export/stats.xlsx">
                    <CsrfField />
                    <input type="hidden" name="table" value=t.code() />
                    <input type="hidden" name="month" value=month />
                    <button type="submit" class="button button-secondary">"导出 Excel"</button>
                </form>
            })}
        </section>
    }
}
