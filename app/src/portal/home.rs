//! The home page: counts, latest 双公示 records and news, rendered on the server from the database.
use super::api::get_home_data;
use super::model::{HomeData, RecordBrief};
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_home_data());
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"诚信湘西 · 信用惠民"</h1>
            <p>"查询企业和个体工商户的信用信息，查看行政许可和行政处罚公示。"</p>
            <a class="button button-light" href="/tools/uscc">"统一社会信用代码校验"</a>
        </section>
        {await_view(data, move |home| view! { <HomeContent home /> })}
    }
}

#[component]
fn HomeContent(home: HomeData) -> impl IntoView {
    let c = home.counts;
    view! {
        <section class="stats" aria-label="平台数据统计">
            <Stat label="信用主体" value=c.subjects />
            <Stat label="行政许可" value=c.licences />
            <Stat label="行政处罚" value=c.penalties />
            <Stat label="信源单位" value=c.departments />
        </section>
        <div class="two-col">
            <RecordList title="最新行政处罚" testid="latest-penalties" rows=home.latest_penalties />
            <RecordList title="最新行政许可" testid="latest-licences" rows=home.latest_licences />
        </div>
        <section class="panel" aria-labelledby="news-title">
            <h2 id="news-title">"信用动态"</h2>
            {if home.news.is_empty() {
                view! { <p class="empty">"暂无信用动态"</p> }.into_any()
            } else {
                view! {
                    <ul class="article-list">
                        {home.news.into_iter().map(|a| view! {
                            <li>
                                <span class="tag">{a.column_name}</span>
                                <span class="title">{a.title}</span>
                                <time>{a.published_on}</time>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Stat(label: &'static str, value: i64) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-value">{format_count(value)}</span>
            <span class="stat-label">{label}</span>
        </div>
    }
}

/// Chinese large-number style: 12345 → 1.23万.
pub fn format_count(n: i64) -> String {
    if n >= 100_000_000 {
        format!("{:.2}亿", n as f64 / 1e8)
    } else if n >= 10_000 {
        format!("{:.2}万", n as f64 / 1e4)
    } else {
        n.to_string()
    }
}

#[component]
fn RecordList(title: &'static str, testid: &'static str, rows: Vec<RecordBrief>) -> impl IntoView {
    view! {
        <section class="panel" data-testid=testid>
            <h2>{title}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">"暂无公示信息"</p> }.into_any()
            } else {
                view! {
                    <ul class="record-list">
                        {rows.into_iter().map(|r| view! {
                            <li>
                                <div class="record-main">
                                    <span class="record-subject">{r.subject_name}</span>
                                    <span class="record-category">{r.category}</span>
                                </div>
                                <div class="record-meta">
                                    <span>{r.authority}</span>
                                    <span>{r.decision_no}</span>
                                    <time>{r.decision_date}</time>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_formatted_the_chinese_way() {
        assert_eq!(super::format_count(9_999), "9999");
        assert_eq!(super::format_count(12_345), "1.23万");
        assert_eq!(super::format_count(300_000_000), "3.00亿");
    }
}
