//! 到期更新: what each unit must update and when (from the catalogue frequency), what is overdue, the
//! 7-working-day publication check, and the unit's reminders. Readable on a phone: the tables stack.
use crate::collect::api::*;
use crate::collect::model::{DueBoard, DueItem};
use crate::rules::catalog::frequency_label;
use crate::rules::date::beijing_minute as bj;
use crate::rules::due::DueState;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;

fn badge_class(state: &str) -> &'static str {
    match state {
        "long_overdue" | "overdue" => "badge badge-failed",
        "soon" => "badge badge-checked",
        _ => "badge badge-published",
    }
}

fn days_text(i: &DueItem) -> String {
    match i.days_left {
        d if d < 0 => format!("逾期 {} 天", -d),
        0 => "今天到期".into(),
        d => format!("还有 {d} 天"),
    }
}

#[component]
pub fn DuePage() -> impl IntoView {
    let read = ServerAction::<ReadReminder>::new();
    let data = Resource::new(move || read.version().get(), |_| get_due_board());
    let error = Signal::derive(move || read.value().get().and_then(|r| r.err()));
    view! {
        <Title text="到期更新" />
        <h1>"到期更新"</h1>
        <p class="muted">"按信用目录规定的更新频率，从各单位最近一次确认发布的批次起算下次应报送日期；行政许可、行政处罚应在作出决定之日起7个工作日内公示（按节假日安排计算工作日）。"</p>
        <FormAlert error />
        {await_view(data, move |b: DueBoard| {
            let count = |s: &[&str]| b.items.iter().filter(|i| s.contains(&i.state.as_str())).count();
            let (overdue, soon, ok) = (count(&["overdue", "long_overdue"]), count(&["soon"]), count(&["ok"]));
            let unread = b.reminders.iter().filter(|r| !r.read).count();
            view! {
                <section class="stats" aria-label="到期情况">
                    <div class="stat"><span class="stat-value" data-testid="due-overdue">{overdue}</span><span class="stat-label">"已逾期"</span></div>
                    <div class="stat"><span class="stat-value" data-testid="due-soon">{soon}</span><span class="stat-label">"即将到期"</span></div>
                    <div class="stat"><span class="stat-value">{ok}</span><span class="stat-label">"正常"</span></div>
                    <div class="stat"><span class="stat-value">{unread}</span><span class="stat-label">"未读提醒"</span></div>
                </section>
                {(!b.reminders.is_empty()).then(|| view! {
                    <section class="panel" aria-labelledby="reminders-h">
                        <h2 id="reminders-h">"本单位提醒"</h2>
                        <ul class="record-list" data-testid="reminders">
                            {b.reminders.into_iter().map(|r| view! {
                                <li class:muted=r.read>
                                    <strong>{r.title}</strong>" "
                                    <span class="muted">{bj(&r.created_at)}</span>
                                    <p>{r.body}</p>
                                    {(!r.read).then(|| view! {
                                        <ActionForm action=read>
                                            <CsrfField />
                                            <input type="hidden" name="id" value=r.id />
                                            <button type="submit" class="button button-secondary">"标记已读"</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <section class="panel" aria-labelledby="due-h">
                    <h2 id="due-h">"报送到期情况"</h2>
                    <p class="muted">{format!("今天：{}。逾期超过规定天数的会向信用办告警。", b.today)}</p>
                    {if b.items.is_empty() {
                        view! { <p class="empty">"信用目录中没有为这些单位设置报送的数据类别。"</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap">
                                <table class="data-table" data-testid="due-list">
                                    <caption class="sr-only">"各单位数据类别的下次应报送日期"</caption>
                                    <thead><tr>
                                        <th scope="col">"单位"</th><th scope="col">"数据类别"</th><th scope="col">"更新频率"</th>
                                        <th scope="col">"最近报送"</th><th scope="col">"应报送日期"</th><th scope="col">"状态"</th>
                                    </tr></thead>
                                    <tbody>
                                        {b.items.into_iter().map(|i| {
                                            let label = DueState::parse(&i.state).label();
                                            let days = days_text(&i);
                                            view! {
                                                <tr data-state=i.state.clone()>
                                                    <td data-label="单位">{i.unit_name.clone()}</td>
                                                    <td data-label="数据类别">{i.class_name.clone()}</td>
                                                    <td data-label="更新频率">{frequency_label(&i.frequency)}</td>
                                                    <td data-label="最近报送">{i.last_submitted.as_deref().map(bj).unwrap_or_else(|| "尚未报送".into())}</td>
                                                    <td data-label="应报送日期">{i.due_on.clone()}</td>
                                                    <td data-label="状态"><span class=badge_class(&i.state)>{label}</span>" "<span class="muted">{days}</span></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                </section>
                <section class="panel" aria-labelledby="late-h">
                    <h2 id="late-h">{format!("{}个工作日公示检查", b.workdays)}</h2>
                    <p class="muted">{format!("近 {} 天经本平台发布的行政许可和行政处罚，从决定日期到公示日期超过 {} 个工作日的记录。", b.window_days, b.workdays)}</p>
                    {if b.late.is_empty() {
                        view! { <p class="empty">"近期没有经本平台发布的许可或处罚记录。"</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap">
                                <table class="data-table" data-testid="late-list">
                                    <caption class="sr-only">"公示及时性"</caption>
                                    <thead><tr><th scope="col">"单位"</th><th scope="col">"公示记录"</th><th scope="col">"超期公示"</th><th scope="col">"及时率"</th></tr></thead>
                                    <tbody>
                                        {b.late.into_iter().map(|l| {
                                            let rate = if l.published > 0 { format!("{:.1}%", 100.0 * (l.published - l.late) as f64 / l.published as f64) } else { "—".into() };
                                            view! {
                                                <tr>
                                                    <td data-label="单位">{l.unit_name}</td>
                                                    <td data-label="公示记录">{l.published}</td>
                                                    <td data-label="超期公示">{l.late}</td>
                                                    <td data-label="及时率">{rate}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                </section>
            }.into_any()
        })}
    }
}
