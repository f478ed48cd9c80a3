//! Case pages: the repair service page and its application form, the public tracking page, and the
//! console's case desk.
pub mod deadlines;
pub mod desk;
pub mod entry;
pub mod mine;
pub mod objection;
pub mod repair;
pub mod stats;
pub mod track;

use crate::cases::flow::Kind;
use leptos::prelude::*;

/// The case-kind filter of the desk and the statistics (`kind` in the URL; empty: all kinds).
#[component]
pub fn KindFilter(kind: Memo<String>) -> impl IntoView {
    view! {
        <label>"类型"
            <select name="kind">
                <option value="">"全部"</option>
                {Kind::ALL.into_iter().map(|k| view! {
                    <option value=k.code() selected=move || kind.get() == k.code()>{k.label()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
