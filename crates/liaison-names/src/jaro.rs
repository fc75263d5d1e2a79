//! Jaro-Winkler on the loose forms, which are ASCII: byte arrays on the stack, and an early "no"
//! when the lengths alone keep the similarity under the threshold, since most candidate word
//! pairs are not spellings of one another and scoring them must cost little.

/// Words longer than this are compared with strsim's general implementation.
const LEN_MAX: usize = 64;

/// Letter counts of a word, for [`jaro_winkler_at_least`]'s cheap bound.
pub type Letters = [u8; 32];

/// The letter counts of an ASCII word (bytes outside `a`..`z` and a few capitals share slots,
/// which only loosens the bound).
pub fn letters(word: &[u8]) -> Letters {
    let mut counts = [0u8; 32];
    for &b in word {
        let slot = usize::from(b & 31);
        counts[slot] = counts[slot].saturating_add(1);
    }
    counts
}

/// Jaro-Winkler similarity of `a` and `b` (prefix scale 0.1, prefix up to 4, bonus above 0.7,
/// as usual), or `None` when it is below `min`. `la`, `lb` are the words' [`letters`].
pub fn jaro_winkler_at_least(
    a: &[u8],
    b: &[u8],
    la_: &Letters,
    lb_: &Letters,
    min: f64,
) -> Option<f64> {
    let (la, lb) = (a.len(), b.len());
    if la == 0 || lb == 0 {
        return None;
    }
    // Upper bound: every letter the two words have in common matched, no transpositions, a full
    // prefix bonus. Most word pairs of two different names stop here.
    let common: usize = la_
        .iter()
        .zip(lb_)
        .map(|(x, y)| usize::from(*x.min(y)))
        .sum();
    let m = common.min(la).min(lb) as f64;
    let jaro_max = (m / la as f64 + m / lb as f64 + 1.0) / 3.0;
    if jaro_max + 0.4 * (1.0 - jaro_max) < min {
        return None;
    }
    let jw = if la > LEN_MAX || lb > LEN_MAX {
        strsim::jaro_winkler(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b))
    } else {
        winkler(a, b, jaro(a, b))
    };
    (jw >= min).then_some(jw)
}

fn jaro(a: &[u8], b: &[u8]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    let window = (la.max(lb) / 2).saturating_sub(1);
    let mut a_hit = [false; LEN_MAX];
    let mut b_hit = [false; LEN_MAX];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(lb);
        for j in lo..hi {
            if !b_hit[j] && b[j] == ca {
                a_hit[i] = true;
                b_hit[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0;
    for i in 0..la {
        if !a_hit[i] {
            continue;
        }
        while !b_hit[j] {
            j += 1;
        }
        if a[i] != b[j] {
            transpositions += 1;
        }
        j += 1;
    }
    let m = matches as f64;
    (m / la as f64 + m / lb as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// The prefix bonus applies above Jaro 0.7 only, as Winkler defined it (and strsim does).
fn winkler(a: &[u8], b: &[u8], jaro: f64) -> f64 {
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_strsim() {
        let words = [
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "dixon",
            "dicksonx",
            "targi",
            "tarki",
            "balmuxtar",
            "balmuktar",
            "a",
            "abdkarim",
            "abdkrim",
            "azauad",
            "azawad",
        ];
        for x in words {
            for y in words {
                let (lx, ly) = (letters(x.as_bytes()), letters(y.as_bytes()));
                let ours =
                    jaro_winkler_at_least(x.as_bytes(), y.as_bytes(), &lx, &ly, 0.0).unwrap_or(0.0);
                let theirs = strsim::jaro_winkler(x, y);
                assert!((ours - theirs).abs() < 1e-9, "{x} {y}: {ours} vs {theirs}");
            }
        }
    }

    #[test]
    fn the_length_bound_never_rejects_a_pair_above_the_threshold() {
        let words = [
            "ab",
            "abc",
            "abcd",
            "abcdefgh",
            "abcdefghijkl",
            "xbcd",
            "abdc",
        ];
        for x in words {
            for y in words {
                let full = strsim::jaro_winkler(x, y);
                let (lx, ly) = (letters(x.as_bytes()), letters(y.as_bytes()));
                let bounded = jaro_winkler_at_least(x.as_bytes(), y.as_bytes(), &lx, &ly, 0.84);
                assert_eq!(bounded.is_some(), full >= 0.84, "{x} {y}");
            }
        }
    }
}
