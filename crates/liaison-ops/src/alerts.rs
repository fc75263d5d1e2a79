//! An alert's life, as pure functions: its states and the moves allowed between them, the
//! response times of a set of alerts (how long from raised to acknowledged, say), and durations
//! written for people.
//!
//! Not here: raising alerts (a watch rule's match, `watch.rs`, plus the caller's threshold
//! bookkeeping), storing them, timestamps (the caller's clock), or who may move an alert.

use serde::{Deserialize, Serialize};

/// Where an alert stands. The order is the order of its life: an alert only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// A rule matched (and its threshold, if any, was met); nobody has looked yet.
    Raised,
    /// Someone on watch has seen it.
    Acknowledged,
    /// Something was done about it (a patrol sent, a partner warned).
    ActionTaken,
    /// Over: dealt with, or a false alarm.
    Closed,
}

impl AlertState {
    pub const ALL: [AlertState; 4] = [
        AlertState::Raised,
        AlertState::Acknowledged,
        AlertState::ActionTaken,
        AlertState::Closed,
    ];

    /// The name in JSON, URLs and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Raised => "raised",
            AlertState::Acknowledged => "acknowledged",
            AlertState::ActionTaken => "action_taken",
            AlertState::Closed => "closed",
        }
    }

    /// The name in a sentence ("action taken").
    pub fn label(self) -> &'static str {
        match self {
            AlertState::ActionTaken => "action taken",
            s => s.as_str(),
        }
    }

    /// Parses a state by its name, with the known names in the refusal.
    pub fn parse(s: &str) -> Result<AlertState, String> {
        let s = s.trim();
        AlertState::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown alert state '{s}'; the states are raised, acknowledged, action_taken, closed"
                )
            })
    }
}

impl std::fmt::Display for AlertState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A move an alert may not make, and why in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransitionError {
    pub from: AlertState,
    pub to: AlertState,
    pub message: String,
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransitionError {}

/// Whether an alert may move from `from` to `to`: forward only, skipping allowed (a false alarm
/// goes from raised straight to closed; an alert acted on at once needs no separate
/// acknowledgement). Staying put is refused, so a second "acknowledge" by another officer is
/// reported rather than silently recorded as a new event; going back is refused, so the record
/// of who did what when is never rewritten, and a closed alert is never reopened (a new match
/// raises a new alert).
pub fn transition(from: AlertState, to: AlertState) -> Result<(), TransitionError> {
    let message = if from == to {
        format!("alert is {} already", from.label())
    } else if from == AlertState::Closed {
        "a closed alert cannot be reopened".to_owned()
    } else if to < from {
        format!(
            "an alert cannot go back from {} to {}",
            from.label(),
            to.label()
        )
    } else {
        return Ok(());
    };
    Err(TransitionError { from, to, message })
}

/// Response times of a set of alerts, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResponseTimes {
    pub count: u64,
    pub median_secs: Option<i64>,
    pub p90_secs: Option<i64>,
    pub max_secs: Option<i64>,
}

/// The count, median, 90th percentile and maximum of `durations_secs` (each, say, from raised
/// to acknowledged); all `None` but the count when there is none.
///
/// Percentiles are **nearest-rank**: the p-th percentile of n sorted values is the value of
/// rank ⌈p·n/100⌉ (1-based), always one of the data, never an interpolation. So the median of
/// an even count is the lower of the two middle values (`[10, 20, 30, 40]` → 20) and the 90th
/// percentile of ten values is the ninth.
///
/// A negative duration (acknowledged "before" it was raised) can only come from clocks that
/// disagree between the machines that stamped the two events: it is counted as 0 s rather than
/// dropped (the alert was answered, and quickly) or allowed to pull the figures below zero.
pub fn response_times(durations_secs: &[i64]) -> ResponseTimes {
    let mut sorted: Vec<i64> = durations_secs.iter().map(|d| (*d).max(0)).collect();
    sorted.sort_unstable();
    let n = sorted.len();
    let rank = |p: usize| -> Option<i64> {
        // ⌈p·n/100⌉ in integers, at least rank 1.
        let r = (p * n).div_ceil(100).max(1);
        sorted.get(r - 1).copied()
    };
    ResponseTimes {
        count: n as u64,
        median_secs: rank(50),
        p90_secs: rank(90),
        max_secs: sorted.last().copied(),
    }
}

/// A duration in a short form for people: `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. Each form
/// truncates (`59 min 59 s` is `59 min`): a response time is read as "within". Negative
/// durations (clock skew, see [`response_times`]) are shown as `0 s`.
pub fn format_duration(secs: i64) -> String {
    let s = secs.max(0);
    const MIN: i64 = 60;
    const HOUR: i64 = 60 * MIN;
    const DAY: i64 = 24 * HOUR;
    if s < MIN {
        format!("{s} s")
    } else if s < HOUR {
        format!("{} min", s / MIN)
    } else if s < DAY {
        format!("{} h {:02} min", s / HOUR, (s % HOUR) / MIN)
    } else {
        format!("{} d {} h", s / DAY, (s % DAY) / HOUR)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::AlertState::*;
    use super::*;

    #[test]
    fn states_round_trip_by_name() {
        for s in AlertState::ALL {
            assert_eq!(AlertState::parse(s.as_str()), Ok(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
            let back: AlertState = serde_json::from_str(&format!("\"{s}\"")).unwrap();
            assert_eq!(back, s);
        }
        assert_eq!(ActionTaken.as_str(), "action_taken");
        assert!(
            AlertState::parse("open")
                .unwrap_err()
                .contains("action_taken")
        );
    }

    /// Every pair of states: forward moves (skips included) pass, the rest are refused.
    #[test]
    fn forward_only_with_skips() {
        let allowed = [
            (Raised, Acknowledged),
            (Raised, ActionTaken),
            (Raised, Closed),
            (Acknowledged, ActionTaken),
            (Acknowledged, Closed),
            (ActionTaken, Closed),
        ];
        for from in AlertState::ALL {
            for to in AlertState::ALL {
                assert_eq!(
                    transition(from, to).is_ok(),
                    allowed.contains(&(from, to)),
                    "{from} → {to}"
                );
            }
        }
    }

    #[test]
    fn refusals_say_why() {
        let msg = |f, t| transition(f, t).unwrap_err().to_string();
        assert_eq!(
            msg(Acknowledged, Acknowledged),
            "alert is acknowledged already"
        );
        assert_eq!(
            msg(ActionTaken, ActionTaken),
            "alert is action taken already"
        );
        assert_eq!(msg(Closed, Raised), "a closed alert cannot be reopened");
        assert_eq!(msg(Closed, Closed), "alert is closed already");
        assert_eq!(
            msg(ActionTaken, Acknowledged),
            "an alert cannot go back from action taken to acknowledged"
        );
        let e = transition(Acknowledged, Raised).unwrap_err();
        assert_eq!((e.from, e.to), (Acknowledged, Raised));
    }

    #[test]
    fn response_times_of_nothing() {
        assert_eq!(
            response_times(&[]),
            ResponseTimes {
                count: 0,
                median_secs: None,
                p90_secs: None,
                max_secs: None
            }
        );
    }

    #[test]
    fn nearest_rank_percentiles() {
        let r = response_times(&[40, 10, 30, 20]);
        assert_eq!(
            (r.count, r.median_secs, r.p90_secs, r.max_secs),
            (4, Some(20), Some(40), Some(40))
        );
        // 1..=10: median rank 5, p90 rank 9.
        let ten: Vec<i64> = (1..=10).rev().collect();
        let r = response_times(&ten);
        assert_eq!(
            (r.median_secs, r.p90_secs, r.max_secs),
            (Some(5), Some(9), Some(10))
        );
        // 1..=100: rank 50 and 90 exactly.
        let hundred: Vec<i64> = (1..=100).collect();
        let r = response_times(&hundred);
        assert_eq!((r.median_secs, r.p90_secs), (Some(50), Some(90)));
        let one = response_times(&[7]);
        assert_eq!(
            (one.median_secs, one.p90_secs, one.max_secs),
            (Some(7), Some(7), Some(7))
        );
        // 11 values: median rank 6, p90 rank ⌈9.9⌉ = 10.
        let eleven: Vec<i64> = (0..11).map(|i| i * 60).collect();
        let r = response_times(&eleven);
        assert_eq!((r.median_secs, r.p90_secs), (Some(300), Some(540)));
    }

    #[test]
    fn clock_skew_counts_as_zero() {
        let r = response_times(&[-30, -5, 100]);
        assert_eq!(
            (r.count, r.median_secs, r.max_secs),
            (3, Some(0), Some(100))
        );
        assert_eq!(response_times(&[-1]).max_secs, Some(0));
    }

    #[test]
    fn durations_for_people() {
        for (secs, text) in [
            (0, "0 s"),
            (45, "45 s"),
            (59, "59 s"),
            (60, "1 min"),
            (12 * 60 + 59, "12 min"),
            (3599, "59 min"),
            (3600, "1 h 00 min"),
            (3 * 3600 + 5 * 60 + 30, "3 h 05 min"),
            (86_399, "23 h 59 min"),
            (86_400, "1 d 0 h"),
            (2 * 86_400 + 4 * 3600 + 59 * 60, "2 d 4 h"),
            (-12, "0 s"),
        ] {
            assert_eq!(format_duration(secs), text, "{secs}");
        }
    }
}
