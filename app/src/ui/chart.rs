//! Small SVG charts rendered on the server (they work without JavaScript and print well). Each chart
//! has a text title for screen readers; pages show the same figures in a table beside it.
use leptos::prelude::*;

/// One line: its name, its colour (chosen for contrast on white) and a value per x label.
#[derive(Clone)]
pub struct Series {
    pub name: &'static str,
    pub colour: &'static str,
    pub values: Vec<Option<f64>>,
}

pub const COLOURS: [&str; 4] = ["#0b5cad", "#b3261e", "#1e7a34", "#7a4d00"];

pub(crate) const W: f64 = 640.0;
pub(crate) const H: f64 = 240.0;
pub(crate) const LEFT: f64 = 44.0;
pub(crate) const BOTTOM: f64 = 28.0;
pub(crate) const TOP: f64 = 12.0;

/// Percentages (0–100) over time, one line per series; gaps where a value is missing.
#[component]
pub fn LineChart(title: String, labels: Vec<String>, series: Vec<Series>) -> impl IntoView {
    let n = labels.len().max(1);
    let x = move |i: usize| LEFT + (W - LEFT - 12.0) * (i as f64 + 0.5) / n as f64;
    let y = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let grid = [0.0, 25.0, 50.0, 75.0, 100.0];
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=title.clone() preserveAspectRatio="xMidYMid meet">
                <title>{title.clone()}</title>
                {grid.iter().map(|g| view! {
                    <line x1=LEFT x2=W - 8.0 y1=y(*g) y2=y(*g) class="chart-grid" />
                    <text x=LEFT - 6.0 y=y(*g) + 4.0 text-anchor="end" class="chart-axis">{format!("{g:.0}%")}</text>
                }).collect_view()}
                {labels.iter().enumerate().map(|(i, l)| view! {
                    <text x=x(i) y=H - 8.0 text-anchor="middle" class="chart-axis">{l.clone()}</text>
                }).collect_view()}
                {series.iter().map(|s| {
                    // Separate runs of points so a missing month leaves a gap instead of a false line.
                    let mut runs: Vec<Vec<(f64, f64)>> = vec![vec![]];
                    for (i, v) in s.values.iter().enumerate() {
                        match v {
                            Some(v) => runs.last_mut().map(|r| r.push((x(i), y(*v)))).unwrap_or(()),
                            None => runs.push(vec![]),
                        }
                    }
                    let colour = s.colour;
                    view! {
                        <g>
                            {runs.into_iter().filter(|r| !r.is_empty()).map(|r| {
                                let points = r.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect::<Vec<_>>().join(" ");
                                let dots = r.clone();
                                view! {
                                    <polyline points=points fill="none" stroke=colour stroke-width="2.5" />
                                    {dots.into_iter().map(|(a, b)| view! { <circle cx=a cy=b r="3.5" fill=colour /> }).collect_view()}
                                }
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="chart-legend">
                {series.into_iter().map(|s| view! {
                    <span><svg class="chart-key" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" rx="2" fill=s.colour /></svg>{s.name}</span>
                }).collect_view()}
            </figcaption>
        </figure>
    }
}

/// Counts per label as bars, scaled to the largest; every `label_every`-th label is written.
#[component]
pub fn BarChart(
    title: String,
    bars: Vec<(String, i64)>,
    #[prop(default = 1)] label_every: usize,
) -> impl IntoView {
    let n = bars.len().max(1);
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let slot = (W - LEFT - 12.0) / n as f64;
    let y = move |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - v / max);
    let grid = [0.0, max / 2.0, max];
    let label = title.clone();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=label preserveAspectRatio="xMidYMid meet">
                <title>{title}</title>
                {grid.iter().map(|g| view! {
                    <line x1=LEFT x2=W - 8.0 y1=y(*g) y2=y(*g) class="chart-grid" />
                    <text x=LEFT - 6.0 y=y(*g) + 4.0 text-anchor="end" class="chart-axis">{format!("{g:.0}")}</text>
                }).collect_view()}
                {bars.into_iter().enumerate().map(|(i, (label, v))| {
                    let x = LEFT + slot * i as f64;
                    let top = y(v as f64);
                    view! {
                        <rect x=x + slot * 0.15 y=top width=slot * 0.7 height=(H - BOTTOM - top).max(0.0) fill=COLOURS[0]>
                            <title>{format!("{label}：{v}")}</title>
                        </rect>
                        {(i % label_every.max(1) == 0).then(|| view! {
                            <text x=x + slot / 2.0 y=H - 8.0 text-anchor="middle" class="chart-axis">{label}</text>
                        })}
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}
