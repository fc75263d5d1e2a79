//! Work split across scoped threads: a range of items cut into chunks that threads take in
//! turn (dense areas cost far more per item than empty ones, so fixed halves would leave one
//! thread idle), results returned in chunk order so the output never depends on timing.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Chunks per thread: enough to even out uneven chunks, few enough that taking one is free.
const CHUNKS_PER_THREAD: usize = 32;

/// Runs `f` on consecutive sub-ranges covering `0..n` on up to `threads` threads and returns
/// their results in range order. With one thread (or little work) it runs on the caller's.
pub(crate) fn map_ranges<T, F>(n: usize, threads: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(Range<usize>) -> T + Sync,
{
    let threads = threads.max(1);
    if threads == 1 || n < 2 * threads {
        return vec![f(0..n)];
    }
    let chunk = n.div_ceil(threads * CHUNKS_PER_THREAD).max(1);
    let chunks = n.div_ceil(chunk);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(chunks));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= chunks {
                        break;
                    }
                    mine.push((k, f(k * chunk..((k + 1) * chunk).min(n))));
                }
                // A poisoned lock means another worker panicked; its panic propagates from
                // the scope, so this worker's results no longer matter.
                if let Ok(mut all) = done.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let mut all = done.into_inner().unwrap_or_else(|e| e.into_inner());
    all.sort_unstable_by_key(|(k, _)| *k);
    all.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once_in_order_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            for n in [0, 1, 5, 100, 1_003] {
                let parts = map_ranges(n, threads, |r| r.collect::<Vec<_>>());
                let flat: Vec<usize> = parts.into_iter().flatten().collect();
                assert_eq!(flat, (0..n).collect::<Vec<_>>(), "n {n} threads {threads}");
            }
        }
    }
}
