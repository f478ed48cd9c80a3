//! The home page: headlines, counts, the newest articles per column, latest 双公示 records and quick
//! links, rendered on the server from the database.
use super::parts::{ArticleList, SocialMeta};
use crate::portal::api::get_home_data;
use crate::portal::model::{ColumnLatest, Headline, HomeData, RecordBrief};
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;

/// Quick links to the services citizens use most.
const QUICK_LINKS: &[(&str, &str)] = &[
    ("/tools/uscc", "统一社会信用代码校验"),
    ("/column/guide", "办事指南"),
    ("/column/repair", "信用修复"),
    ("/column/objection", "异议申诉"),
    ("/column/report", "信用报告"),
    ("/column/download", "下载中心"),
    ("/help/consult", "咨询留言"),
    ("/stats", "信用统计"),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_home_data());
    view! {
        <Title text="" />
        <SocialMeta title=crate::SITE_NAME.to_string() description="湘西土家族苗族自治州公共信用信息平台：信用信息查询、双公示、信用报告、信用修复与异议申诉。".to_string() />
        <section class="hero">
            <h1>"诚信湘西 · 信用惠民"</h1>
            <p>"查询企业和个体工商户的信用信息，查看行政许可和行政处罚公示。"</p>
            <form class="hero-search" method="get" action="/search" role="search">
                <label for="hero-q" class="visually-hidden">"搜索站内文章"</label>
                <input id="hero-q" name="q" type="search" maxlength="100" placeholder="搜索信用动态、通知公告、政策法规" />
                <button type="submit" class="button button-light">"搜索"</button>
            </form>
            <p class="hero-links">
                <a class="button button-light hero-primary" href="/credit">"信用信息查询"</a>
                <a class="button button-light" href="/credit/lists/penalties">"双公示"</a>
                <a class="button button-light" href="/verify">"报告核验"</a>
            </p>
        </section>
        {await_view(data, move |home| view! { <HomeContent home /> })}
    }
}

#[component]
fn HomeContent(home: HomeData) -> impl IntoView {
    let c = home.counts;
    view! {
        <Headlines items=home.headlines />
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
        <div class="column-grid">
            {home.columns.into_iter().map(|c| view! { <ColumnBox c /> }).collect_view()}
        </div>
        <nav class="panel quick-links" aria-labelledby="quick-title">
            <h2 id="quick-title">"便民服务"</h2>
            <ul>{QUICK_LINKS.iter().map(|(href, label)| view! { <li><a href=*href>{*label}</a></li> }).collect_view()}</ul>
        </nav>
    }
}

/// The headline strip: swipe (or scroll) through pictures; no script needed.
#[component]
fn Headlines(items: Vec<Headline>) -> impl IntoView {
    (!items.is_empty()).then(|| view! {
        <section class="headlines" aria-label="头条">
            <ul>
                {items.into_iter().map(|h| view! {
                    <li>
                        <a href=format!("/article/{}", h.item.public_id)>
                            <img src=format!("/files/{}", h.cover) alt=h.cover_alt width="640" height="360" />
                            <span class="headline-title">{h.item.title}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

#[component]
fn ColumnBox(c: ColumnLatest) -> impl IntoView {
    let id = format!("col-{}", c.column.code);
    view! {
        <section class="panel" aria-labelledby=id.clone() data-testid=format!("home-column-{}", c.column.code)>
            <div class="column-head">
                <h2 id=id.clone()>{c.column.name.clone()}</h2>
                <a class="more" href=c.column.href()>"更多" <span class="visually-hidden">{c.column.name.clone()}</span></a>
            </div>
            {if c.items.is_empty() {
                view! { <p class="empty">"暂无文章"</p> }.into_any()
            } else {
                view! { <ArticleList items=c.items /> }.into_any()
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
