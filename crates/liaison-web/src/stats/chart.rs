//! Horizontal bar charts drawn on the server as inline SVG: no script, no font or library to
//! download, and the same few hundred bytes on any link. Each chart carries its numbers twice:
//! drawn (with a `<title>` per bar for pointer users) and in a table for screen readers and
//! keyboard users, so the drawing is never the only way to read them.

use crate::i18n::Tr;

/// The drawing's coordinate system, in SVG user units (the `viewBox`; CSS scales it).
pub const WIDTH: u32 = 580;
/// Room for the labels, right-aligned against the bars: `LABEL_CHARS` at the 13px of
/// `screens.css`.
pub const LABEL_WIDTH: u32 = 220;
/// Room after the longest bar for its number.
const VALUE_WIDTH: u32 = 60;
pub const ROW_HEIGHT: u32 = 24;
pub const BAR_HEIGHT: u32 = 16;
/// Characters of a label drawn before it is cut with "…" (the full label is in the title and
/// in the table).
const LABEL_CHARS: usize = 24;

/// One bar, positioned.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    /// The label as drawn, cut to fit.
    pub short: String,
    /// The number, grouped as the language writes it.
    pub value: String,
    /// `label: value`, the bar's tooltip.
    pub title: String,
    pub y: u32,
    pub text_y: u32,
    pub width: String,
    pub value_x: String,
}

/// One chart: an id for the page, its caption, the heading of its label column, its bars.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: &'static str,
    pub caption: String,
    pub label_head: String,
    pub note: Option<String>,
    pub bars: Vec<Bar>,
    pub height: u32,
}

fn cut(label: &str) -> String {
    match label.char_indices().nth(LABEL_CHARS) {
        Some((at, _)) => format!("{}…", label[..at].trim_end()),
        None => label.to_owned(),
    }
}

/// Lays out `rows` (label, count) in the order given, bars scaled to the largest count.
pub fn chart(
    tr: &Tr,
    id: &'static str,
    caption: String,
    label_head: String,
    rows: Vec<(String, u64)>,
) -> Chart {
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let room = f64::from(WIDTH - LABEL_WIDTH - VALUE_WIDTH);
    let bars = rows
        .into_iter()
        .zip(0u32..)
        .map(|((label, n), i)| {
            let value = tr.num(i64::try_from(n).unwrap_or(i64::MAX));
            // A count above zero always shows at least a sliver, so it is never read as none.
            let width = if n == 0 {
                0.0
            } else {
                (n as f64 / max as f64 * room).max(1.0)
            };
            let y = i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2;
            Bar {
                short: cut(&label),
                title: tr.ta(
                    "stats-bar-title",
                    &[
                        ("label", label.as_str().into()),
                        ("value", value.as_str().into()),
                    ],
                ),
                label,
                value,
                y,
                text_y: y + BAR_HEIGHT - 3,
                width: format!("{width:.1}"),
                value_x: format!("{:.1}", f64::from(LABEL_WIDTH) + width + 4.0),
            }
        })
        .collect::<Vec<_>>();
    Chart {
        id,
        caption,
        label_head,
        note: None,
        height: (bars.len() as u32).max(1) * ROW_HEIGHT,
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn bars_scale_to_the_largest_and_labels_are_cut() {
        let tr = Tr::new(Locale::Fr);
        let long = "Adrar des Ifoghas–Kidal–Tamanrasset corridor".to_owned();
        let c = chart(
            &tr,
            "x",
            "c".into(),
            "l".into(),
            vec![(long.clone(), 1200), ("b".into(), 600), ("z".into(), 0)],
        );
        assert_eq!(c.bars[0].width, "300.0");
        assert_eq!(c.bars[1].width, "150.0");
        assert_eq!(c.bars[2].width, "0.0");
        assert_eq!(c.bars[0].value, "1\u{202f}200");
        assert!(c.bars[0].short.ends_with('…') && c.bars[0].short.chars().count() <= 25);
        assert!(c.bars[0].title.contains(&long) && c.bars[0].title.contains("1\u{202f}200"));
        assert_eq!(c.bars[1].y, ROW_HEIGHT + 4);
        assert_eq!(c.height, 3 * ROW_HEIGHT);
    }
}
