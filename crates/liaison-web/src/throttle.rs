//! Slows down password guessing: after [`MAX_FAILURES`] failed sign-ins for one name within
//! [`WINDOW_MINUTES`], that name is refused without checking the password until the window
//! has passed since the last failure.
//!
//! The count is kept per name typed, whether or not such a user exists, so the refusal tells
//! nothing about which names are real. It lives in memory (a restart forgets it) and is bounded
//! ([`MAX_TRACKED`] names; expired ones are dropped first). Tokens are not throttled: they are
//! 256 random bits, beyond guessing.

use std::collections::HashMap;
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// Failed sign-ins allowed per name within the window.
pub const MAX_FAILURES: u32 = 5;
/// How long failures are remembered, and how long a name stays refused after the last one.
pub const WINDOW_MINUTES: i64 = 15;
/// Most names remembered at once.
pub const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: OffsetDateTime,
}

/// The failed sign-ins of recent names.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl SignInThrottle {
    /// Whether `name` may try a password now.
    pub fn allows(&self, name: &str, now: OffsetDateTime) -> bool {
        let Ok(map) = self.failures.lock() else {
            // A poisoned lock means a panic elsewhere mid-update; refusing would lock
            // everyone out, so the check is skipped and the password still decides.
            return true;
        };
        match map.get(&key(name)) {
            Some(f) => f.count < MAX_FAILURES || now - f.last >= Duration::minutes(WINDOW_MINUTES),
            None => true,
        }
    }

    /// Counts a failed sign-in for `name`.
    pub fn failed(&self, name: &str, now: OffsetDateTime) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        let window = Duration::minutes(WINDOW_MINUTES);
        if map.len() >= MAX_TRACKED {
            map.retain(|_, f| now - f.last < window);
        }
        if map.len() >= MAX_TRACKED {
            // Still full of live entries: forget the oldest rather than grow without bound.
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, f)| f.last)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        let entry = map.entry(key(name)).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now - entry.last >= window {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
    }

    /// Forgets the failures of `name` after a successful sign-in.
    pub fn succeeded(&self, name: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&key(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn five_failures_lock_a_name_for_the_window() {
        let t = SignInThrottle::default();
        let t0 = datetime!(2026-11-28 08:00 UTC);
        for i in 0..MAX_FAILURES {
            assert!(t.allows("Amadou", t0), "attempt {i}");
            t.failed("amadou ", t0 + Duration::seconds(i64::from(i)));
        }
        assert!(!t.allows("AMADOU", t0 + Duration::minutes(1)));
        // Other names are not affected, real or not.
        assert!(t.allows("awa", t0 + Duration::minutes(1)));
        // The window runs from the last failure.
        assert!(!t.allows("amadou", t0 + Duration::minutes(WINDOW_MINUTES)));
        assert!(t.allows(
            "amadou",
            t0 + Duration::minutes(WINDOW_MINUTES) + Duration::seconds(5)
        ));
        // A success forgets the failures.
        t.failed("awa", t0);
        t.succeeded("awa");
        assert!(
            t.failures
                .lock()
                .map(|m| !m.contains_key("awa"))
                .unwrap_or(false)
        );
    }

    #[test]
    fn old_failures_do_not_count() {
        let t = SignInThrottle::default();
        let t0 = datetime!(2026-11-28 08:00 UTC);
        for i in 0..MAX_FAILURES - 1 {
            t.failed("karim", t0 + Duration::seconds(i64::from(i)));
        }
        // The next failure comes after the window: the count starts again.
        t.failed("karim", t0 + Duration::minutes(WINDOW_MINUTES + 1));
        assert!(t.allows("karim", t0 + Duration::minutes(WINDOW_MINUTES + 1)));
    }
}
