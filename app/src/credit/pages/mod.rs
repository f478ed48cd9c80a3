//! Credit pages: public search, subject, lists, record, report request and verification; the console's
//! report desk and statistics.
pub mod desk;
pub mod disclosure;
pub mod lists;
pub mod records;
pub mod report;
pub mod search;
pub mod subject;

use crate::rules::division::XIANGXI;
use leptos::prelude::*;

/// The county filter of the public search and lists (`name="county"`, empty = 全州).
#[component]
pub fn CountySelect(selected: String) -> impl IntoView {
    view! {
        <label>"所在地区"
            <select name="county">
                <option value="">"全州"</option>
                {XIANGXI.iter().map(|(c, n)| view! { <option value=*c selected=selected == *c>{*n}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The source-unit (信源单位) filter of the public search and lists (`name="unit"`, empty = 全部单位).
#[component]
pub fn UnitSelect(selected: String, units: Vec<(String, String)>) -> impl IntoView {
    view! {
        <label>"信源单位"
            <select name="unit">
                <option value="">"全部单位"</option>
                {units.into_iter().map(|(c, n)| {
                    let on = selected == c;
                    view! { <option value=c selected=on>{n}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The decision-date range of the public search and lists (`from`, `to`).
#[component]
pub fn DateRange(from: String, to: String) -> impl IntoView {
    view! {
        <label>"决定日期自"<input type="date" name="from" value=from /></label>
        <label>"至"<input type="date" name="to" value=to /></label>
    }
}
