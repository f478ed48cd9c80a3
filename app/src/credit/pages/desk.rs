//! The console's report desk (信用报告出具): staff find a subject and pull its public or special report
//! for a service matter; and the credit office's request log and statistics.
use crate::credit::api::{get_report_stats, staff_search, StaffReport};
use crate::credit::model::{ReportStats, SearchFilters};
use crate::credit::report_spec::{SPECIAL_REPORT, SPECIAL_REQUIRED};
use crate::province::pages::upstream::UpstreamPanel;
use crate::ui::chart::BarChart;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReportDeskPage() -> impl IntoView {
    let (q, subject, name) = (param("q"), param("subject"), param("name"));
    let results = Resource::new(
        move || q.get(),
        |q| staff_search(q, SearchFilters::default(), 1),
    );
    view! {
        <Title text="信用报告出具" />
        <h1>"信用报告出具"</h1>
        <p class="hint">"办理事项时查询主体并出具信用报告。每次出具都会记录经办人和事项，并写入审计日志。"</p>
        <section class="panel" aria-labelledby="desk-search">
            <h2 id="desk-search">"查找主体"</h2>
            <form method="get" action="/console/credit" role="search" class="inline-form">
                <label for="desk-q">"名称（至少 2 个字）或代码"</label>
                <input id="desk-q" name="q" type="search" maxlength="60" value=move || q.get() />
                <button type="submit" class="button">"查询"</button>
            </form>
            {move || (!q.get().trim().is_empty()).then(|| await_view(results, |r| view! {
                {r.message.map(|m| view! { <p class="notice notice-warning">{m}</p> })}
                <p role="status">{format!("找到 {} 个主体", r.total_label)}</p>
                <ul class="subject-list">
                    {r.hits.into_iter().map(|h| {
                        let href = format!(
                            "/console/credit?subject={}&name={}",
                            h.public_id,
                            crate::ui::url::encode(&h.name)
                        );
                        view! {
                            <li>
                                <span class="subject-name">{h.name.clone()}</span>
                                <span class="record-meta"><span>{h.uscc}</span><span>{h.kind}</span><span>{h.county}</span></span>
                                <a class="button button-light" href=href>"出具报告"</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }))}
        </section>
        <UpstreamPanel q />
        {move || (!subject.get().is_empty()).then(|| view! { <PullForm subject=subject.get() name=name.get() /> })}
    }
}

#[component]
fn PullForm(subject: String, name: String) -> impl IntoView {
    let pull = ServerAction::<StaffReport>::new();
    let error = Signal::derive(move || pull.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="pull-title">
            <h2 id="pull-title">{format!("为“{name}”出具信用报告")}</h2>
            <ActionForm action=pull attr:class="record-form">
                <CsrfField />
                <FormAlert error />
                <input type="hidden" name="request[subject]" value=subject />
                <fieldset>
                    <legend>"报告类型"</legend>
                    <label class="radio"><input type="radio" name="request[kind]" value="public" checked />"公共信用信息报告"</label>
                    <label class="radio"><input type="radio" name="request[kind]" value="special" />"专项信用报告（代替无违法违规证明）"</label>
                </fieldset>
                <fieldset>
                    <legend>"专项报告的栏目（前四项必含）"</legend>
                    <div class="checks">
                        {SPECIAL_REPORT.iter().enumerate().map(|(i, s)| {
                            let required = SPECIAL_REQUIRED.contains(&s.code);
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=format!("request[sections][{i}]") value=s.code checked=required disabled=required />
                                    {s.title}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="field"><label for="pull-from">"专项报告查询期自"</label><input id="pull-from" type="date" name="request[from]" /></div>
                <div class="field"><label for="pull-to">"至"</label><input id="pull-to" type="date" name="request[to]" /></div>
                <div class="field"><label for="pull-applicant">"申请人"</label><input id="pull-applicant" type="text" name="request[applicant]" maxlength="50" required /></div>
                <div class="field"><label for="pull-purpose">"用途"</label><input id="pull-purpose" type="text" name="request[purpose]" maxlength="100" required /></div>
                <div class="field"><label for="pull-matter">"办理事项"</label><input id="pull-matter" type="text" name="request[matter]" maxlength="100" required placeholder="例如：政府采购供应商资格审查" /></div>
                <button type="submit" class="button">"出具报告"</button>
            </ActionForm>
            {move || pull.value().get().and_then(Result::ok).map(|r| view! {
                <div class="notice notice-success" role="status">
                    {format!("已出具，报告编号 {}，验证码 {}。", r.serial, r.verify_code)}
                    <a href=r.download.clone() download=format!("{}.pdf", r.serial)>"下载报告"</a>" · "
                    <a href=r.verify.clone() target="_blank">"核验页面"</a>
                </div>
            })}
        </section>
    }
}

#[component]
pub fn ReportStatsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_report_stats());
    view! {
        <Title text="信用报告统计" />
        <h1>"信用报告统计"</h1>
        <form class="export" method="post" action="/console/export/reports.xlsx">
            <CsrfField />
            <button type="submit" class="button button-secondary">"导出出具记录（Excel）"</button>
        </form>
        {await_view(data, |s| view! { <Stats s /> })}
    }
}

#[component]
fn Stats(s: ReportStats) -> impl IntoView {
    let pairs = |v: Vec<(String, i64)>| {
        v.into_iter()
            .map(|(k, n)| view! { <dt>{k}</dt><dd>{n}</dd> })
            .collect_view()
    };
    let days = s
        .by_day
        .iter()
        .map(|(d, n)| (d[5..].to_string(), *n))
        .collect::<Vec<_>>();
    view! {
        <div class="tiles">
            <div class="tile"><span class="stat-value">{s.total}</span><span class="stat-label">"累计出具"</span></div>
            <div class="tile"><span class="stat-value">{s.last_30_days}</span><span class="stat-label">"近 30 天"</span></div>
        </div>
        <section class="panel" aria-labelledby="by-day">
            <h2 id="by-day">"近 30 天每日出具量"</h2>
            <BarChart title="近 30 天每日出具的信用报告数".to_string() bars=days label_every=5 />
        </section>
        <section class="panel two-col">
            <div><h2>"按报告类型"</h2><dl class="facts">{pairs(s.by_kind)}</dl></div>
            <div><h2>"按申请渠道"</h2><dl class="facts">{pairs(s.by_channel)}</dl></div>
            <div><h2>"主要用途"</h2><dl class="facts">{pairs(s.top_purposes)}</dl></div>
        </section>
        <section class="panel" aria-labelledby="recent">
            <h2 id="recent">"最近的出具记录"</h2>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"报告编号"</th><th scope="col">"类型"</th><th scope="col">"渠道"</th><th scope="col">"主体"</th>
                        <th scope="col">"申请人"</th><th scope="col">"用途"</th><th scope="col">"事项"</th><th scope="col">"出具时间"</th>
                    </tr></thead>
                    <tbody>
                        {s.recent.into_iter().map(|r| view! {
                            <tr>
                                <td data-label="报告编号"><a href=format!("/verify/{}", r.verify_code)>{r.serial}</a></td>
                                <td data-label="类型">{r.kind_label}</td>
                                <td data-label="渠道">{r.channel_label}</td>
                                <td data-label="主体">{r.subject_name}</td>
                                <td data-label="申请人">{r.applicant}</td>
                                <td data-label="用途">{r.purpose}</td>
                                <td data-label="事项">{r.matter}</td>
                                <td data-label="出具时间">{r.issued_at}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
