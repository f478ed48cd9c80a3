//! Bar charts of counts, drawn on the server like `chart::LineChart` (same size, colours and styles):
//! horizontal stacked bars for groups with long names (departments, counties) and columns per month,
//! stacked or side by side. The geometry is in small pure functions, tested below.
use super::chart::{BOTTOM, COLOURS, H, LEFT, TOP, W};
use leptos::prelude::*;

/// Horizontal bars are drawn narrower than `W`, so that their names stay readable on a phone, where
/// the chart is scaled down to the screen's width.
const HW: f64 = 420.0;
/// Height of one horizontal bar's row.
const ROW: f64 = 24.0;
/// Width kept for the names left of horizontal bars.
const NAME_W: f64 = 130.0;
/// Room right of the bars for the total.
const TOTAL_W: f64 = 44.0;
/// Names longer than this are shortened in the chart (the table beside it has them in full).
const NAME_CHARS: usize = 10;

/// `v` of `max` as a length of `len`; nothing when `max` is not positive.
pub fn scale(v: i64, max: i64, len: f64) -> f64 {
    if max <= 0 {
        0.0
    } else {
        len * v.max(0) as f64 / max as f64
    }
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `max` (at least 1): a round top for the axis.
pub fn nice_max(max: i64) -> i64 {
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            let top = step.saturating_mul(m);
            if top >= max || top == i64::MAX {
                return top;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The segments of a stacked bar along `len`: each value's start and length.
pub fn stack(values: &[i64], max: i64, len: f64) -> Vec<(f64, f64)> {
    let mut at = 0.0;
    values
        .iter()
        .map(|v| {
            let l = scale(*v, max, len);
            let seg = (at, l);
            at += l;
            seg
        })
        .collect()
}

/// Side-by-side bars in a slot of width `slot`: each bar's offset and width (a margin each side).
pub fn side_by_side(count: usize, slot: f64) -> Vec<(f64, f64)> {
    let inner = slot * 0.8;
    let w = inner / count.max(1) as f64;
    (0..count).map(|i| (slot * 0.1 + w * i as f64, w)).collect()
}

fn short(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        name.to_string()
    } else {
        name.chars().take(NAME_CHARS - 1).collect::<String>() + "…"
    }
}

fn legend(series: &[&'static str]) -> impl IntoView {
    let keys = series
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let colour = COLOURS.get(i % COLOURS.len()).copied().unwrap_or("#0b5cad");
            view! {
                <span><svg class="chart-key" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" rx="2" fill=colour /></svg>{*name}</span>
            }
        })
        .collect_view();
    view! { <figcaption class="chart-legend">{keys}</figcaption> }
}

fn colour(i: usize) -> &'static str {
    COLOURS.get(i % COLOURS.len()).copied().unwrap_or("#0b5cad")
}

/// One horizontal bar per row, its values stacked in series order, the total written after it.
#[component]
pub fn HBarChart(
    title: String,
    series: Vec<&'static str>,
    rows: Vec<(String, Vec<i64>)>,
) -> impl IntoView {
    let max = nice_max(
        rows.iter()
            .map(|(_, v)| v.iter().sum::<i64>())
            .max()
            .unwrap_or(0),
    );
    let len = HW - NAME_W - TOTAL_W;
    let height = TOP + ROW * rows.len().max(1) as f64 + 8.0;
    let names = series.clone();
    view! {
        <figure class="chart chart-bars">
            <svg viewBox=format!("0 0 {HW} {height}") role="img" aria-label=title.clone() preserveAspectRatio="xMidYMid meet">
                <title>{title.clone()}</title>
                <line x1=NAME_W x2=NAME_W y1=TOP - 4.0 y2=height - 4.0 class="chart-grid" />
                {rows.into_iter().enumerate().map(|(i, (label, values))| {
                    let y = TOP + ROW * i as f64;
                    let total: i64 = values.iter().sum();
                    let segments = stack(&values, max, len);
                    let end = NAME_W + segments.last().map_or(0.0, |(a, l)| a + l);
                    let tips = names.clone();
                    view! {
                        <g>
                            <title>{format!("{label}：{total}")}</title>
                            <text x=NAME_W - 6.0 y=y + ROW * 0.62 text-anchor="end" class="chart-axis">{short(&label)}</text>
                            {segments.into_iter().zip(values).enumerate().filter(|(_, ((_, l), _))| *l > 0.0).map(|(k, ((a, l), v))| {
                                let tip = format!("{}：{v}", tips.get(k).copied().unwrap_or(""));
                                view! {
                                    <rect x=NAME_W + a y=y + ROW * 0.18 width=l height=ROW * 0.64 fill=colour(k)>
                                        <title>{tip}</title>
                                    </rect>
                                }
                            }).collect_view()}
                            <text x=end + 4.0 y=y + ROW * 0.62 class="chart-axis">{total}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            {legend(&series)}
        </figure>
    }
}

/// One column (or group of columns) per label, scaled to a round top; every `label_every`-th label
/// is written under the axis.
#[component]
pub fn ColumnChart(
    title: String,
    series: Vec<&'static str>,
    rows: Vec<(String, Vec<i64>)>,
    /// Stack the series in one column (parts of a whole) instead of side by side.
    #[prop(default = true)]
    stacked: bool,
    #[prop(default = 1)] label_every: usize,
) -> impl IntoView {
    let max = nice_max(
        rows.iter()
            .map(|(_, v)| {
                if stacked {
                    v.iter().sum()
                } else {
                    v.iter().copied().max().unwrap_or(0)
                }
            })
            .max()
            .unwrap_or(0),
    );
    let n = rows.len().max(1);
    let slot = (W - LEFT - 12.0) / n as f64;
    let len = H - TOP - BOTTOM;
    let base = H - BOTTOM;
    let grid = [0, max / 2, max];
    let names = series.clone();
    view! {
        <figure class="chart chart-columns">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=title.clone() preserveAspectRatio="xMidYMid meet">
                <title>{title.clone()}</title>
                {grid.iter().map(|g| {
                    let y = base - scale(*g, max, len);
                    view! {
                        <line x1=LEFT x2=W - 8.0 y1=y y2=y class="chart-grid" />
                        <text x=LEFT - 6.0 y=y + 4.0 text-anchor="end" class="chart-axis">{*g}</text>
                    }
                }).collect_view()}
                {rows.into_iter().enumerate().map(|(i, (label, values))| {
                    let x = LEFT + slot * i as f64;
                    let bars: Vec<(f64, f64, f64, f64)> = if stacked {
                        stack(&values, max, len).into_iter().map(|(a, l)| (x + slot * 0.15, base - a - l, slot * 0.7, l)).collect()
                    } else {
                        side_by_side(values.len(), slot).into_iter().zip(&values).map(|((o, w), v)| {
                            let l = scale(*v, max, len);
                            (x + o, base - l, w, l)
                        }).collect()
                    };
                    let tips = names.clone();
                    view! {
                        <g>
                            <title>{format!("{label}：{}", values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" / "))}</title>
                            {bars.into_iter().zip(values.clone()).enumerate().filter(|(_, ((_, _, _, l), _))| *l > 0.0).map(|(k, ((bx, by, bw, bh), v))| {
                                let tip = format!("{}：{v}", tips.get(k).copied().unwrap_or(""));
                                view! { <rect x=bx y=by width=bw height=bh fill=colour(k)><title>{tip}</title></rect> }
                            }).collect_view()}
                            {(i % label_every.max(1) == 0).then(|| view! {
                                <text x=x + slot / 2.0 y=H - 8.0 text-anchor="middle" class="chart-axis">{label}</text>
                            })}
                        </g>
                    }
                }).collect_view()}
            </svg>
            {legend(&series)}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_max_draws_nothing_instead_of_dividing_by_zero() {
        assert_eq!(scale(5, 0, 100.0), 0.0);
        assert_eq!(scale(0, 0, 100.0), 0.0);
        assert_eq!(stack(&[0, 0], 0, 100.0), vec![(0.0, 0.0), (0.0, 0.0)]);
        assert_eq!(nice_max(0), 1);
    }

    #[test]
    fn values_scale_to_the_length() {
        assert_eq!(scale(50, 100, 300.0), 150.0);
        assert_eq!(scale(100, 100, 300.0), 300.0);
        // Negative counts do not exist; they never draw backwards.
        assert_eq!(scale(-3, 100, 300.0), 0.0);
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_max(1), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(2_000), 2_000);
        assert_eq!(nice_max(2_001), 5_000);
        assert!(nice_max(i64::MAX) >= i64::MAX / 10);
    }

    #[test]
    fn stacked_segments_follow_each_other() {
        let s = stack(&[1, 3, 0, 6], 10, 200.0);
        assert_eq!(
            s,
            vec![(0.0, 20.0), (20.0, 60.0), (80.0, 0.0), (80.0, 120.0)]
        );
    }

    #[test]
    fn side_by_side_bars_fill_the_slot_with_margins() {
        let b = side_by_side(2, 50.0);
        assert_eq!(b, vec![(5.0, 20.0), (25.0, 20.0)]);
        assert_eq!(side_by_side(0, 50.0), vec![]);
    }

    #[test]
    fn long_names_are_shortened() {
        assert_eq!(short("凤凰县"), "凤凰县");
        let long = "湘西土家族苗族自治州市场监督管理局";
        assert_eq!(short(long).chars().count(), NAME_CHARS);
        assert!(short(long).ends_with('…'));
    }
}
