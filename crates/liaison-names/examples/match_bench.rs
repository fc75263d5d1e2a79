//! The matching benchmark: 100,000 query names against the aliases of 10,000 synthetic actors,
//! through the blocking index. Run by `scripts/bench-names` (release build); prints one JSON line.
//!
//! usage: match_bench [--actors N] [--queries N] [--threads N] [--threshold PERCENT] [--show-errors N]
//!
//! Actors and queries are generated deterministically (a fixed-seed SplitMix64, no system
//! randomness) with the region's conventions: given names and their spellings, filiation
//! particles (ould, ag, ben, el), family names built from syllables and respelled (ou/w/u, ch/sh,
//! dj/j, kh/k, doubled letters, e/a), reordering, and groups named "Front …/Mouvement …/Katiba …"
//! with their acronyms. Seven queries in ten are respellings of an actor's name; three in ten are
//! names of nobody in the index, built from the same parts (the hard case: same first names and
//! particles). Timing covers the queries only; building the index is timed apart.

use std::time::Instant;

use liaison_names::{DEFAULT_THRESHOLD, Index, Name};

/// SplitMix64: a tiny deterministic generator, so the data are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Given names, each with spellings seen in the region.
const GIVEN: &[&[&str]] = &[
    &["Mohamed", "Mohammed", "Muhammad", "Mohamad"],
    &["Ahmed", "Ahmad"],
    &["Abdelkarim", "Abd al-Karim", "Abdulkarim", "Abdelkrim"],
    &["Abderrahmane", "Abd ar-Rahman", "Abdourahmane"],
    &["Abdelmalek", "Abd al-Malik", "Abdelmalik"],
    &["Youssouf", "Yusuf", "Youssef"],
    &["Oumar", "Omar", "Umar"],
    &["Moussa", "Musa", "Mousa"],
    &["Khaled", "Khalid"],
    &["Djamel", "Jamal", "Jamel"],
    &["Hamadou", "Amadou", "Hamadoun"],
    &["Ibrahim", "Brahim", "Ibrahima"],
    &["Iyad", "Ayad"],
    &["Yahia", "Yahya"],
    &["Mokhtar", "Mukhtar", "Moctar"],
    &["Seydou", "Saydou"],
    &["Alghabass", "Al-Ghabass"],
    &["Boubacar", "Aboubakar", "Abubakar"],
    &["Cheikh", "Shaykh"],
    &["Sidi", "Sidy"],
    &["Hassan", "Hasan"],
    &["Nabil", "Nabeel"],
    &["Saifi", "Sayfi"],
    &["Lamine", "Lemine", "al-Amin"],
];

const PARTICLES: &[&[&str]] = &[
    &["Ould", "Wuld", "O."],
    &["Ag", "ag"],
    &["Ben", "Bin", "Ibn"],
    &["El", "al-", "Al"],
];

const ONSETS: &[&str] = &[
    "b", "d", "f", "g", "h", "k", "kh", "l", "m", "n", "r", "s", "ch", "t", "z", "dj", "gh", "q",
    "w", "y", "bel", "ben",
];
const NUCLEI: &[&str] = &["a", "ou", "i", "e", "ai", "aou"];
const CODAS: &[&str] = &["", "", "r", "n", "l", "m", "d", "t", "s", "b"];

/// A family name of two or three syllables: thousands of distinct names.
fn family(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..2 + rng.below(2) {
        for part in [ONSETS, NUCLEI, CODAS] {
            s.push_str(part[rng.below(part.len())]);
        }
    }
    const ENDINGS: [&str; 5] = ["i", "", "a", "ou", "ane"];
    s.push_str(ENDINGS[rng.below(ENDINGS.len())]);
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A respelling of a word by the region's conventions, chosen at random.
fn respell(rng: &mut Rng, w: &str) -> String {
    const SWAPS: &[(&str, &str)] = &[
        ("ou", "u"),
        ("ou", "w"),
        ("ch", "sh"),
        ("dj", "j"),
        ("kh", "k"),
        ("e", "a"),
        ("i", "y"),
        ("q", "k"),
        ("gh", "g"),
        ("ss", "s"),
        ("s", "ss"),
        ("a", "e"),
        ("ai", "ei"),
    ];
    let mut out = w.to_owned();
    for _ in 0..1 + rng.below(2) {
        let (from, to) = *rng.pick(SWAPS);
        if let Some(pos) = out.to_lowercase().find(from) {
            out.replace_range(pos..pos + from.len(), to);
        }
    }
    out
}

struct Person {
    given: usize,
    particle: Option<usize>,
    family: String,
}

fn person_name(rng: &mut Rng, p: &Person, respelt: bool) -> String {
    let given = *rng.pick(GIVEN[p.given]);
    let family = if respelt {
        respell(rng, &p.family)
    } else {
        p.family.clone()
    };
    let mut parts = vec![given.to_owned()];
    if let Some(k) = p.particle {
        parts.push((*rng.pick(PARTICLES[k])).to_owned());
    }
    parts.push(family);
    if respelt && rng.chance(15) {
        // Surname first, as lists often write it.
        let last = parts.pop().unwrap_or_default();
        parts.insert(0, last);
    }
    parts.join(" ")
}

const GROUP_HEADS: &[(&str, &str)] = &[
    ("Front", "Front"),
    ("Mouvement", "Movement"),
    ("Katiba", "Katiba"),
    ("Groupe", "Group"),
    ("Coordination", "Coordination"),
];
const GROUP_WORDS: &[(&str, &str)] = &[
    ("islamique", "Islamic"),
    ("populaire", "Popular"),
    ("national", "National"),
    ("patriotique", "Patriotic"),
    ("arabe", "Arab"),
];

fn group_names(rng: &mut Rng) -> Vec<String> {
    let (hf, he) = *rng.pick(GROUP_HEADS);
    let (wf, we) = *rng.pick(GROUP_WORDS);
    let place = family(rng);
    let french = format!("{hf} {wf} de libération de {place}");
    let english = format!("{we} {he} for the Liberation of {place}");
    let acronym: String = [hf, wf, "libération", &place]
        .iter()
        .filter_map(|w| w.chars().next())
        .collect();
    vec![french, english, acronym.to_uppercase()]
}

/// CPU time this thread has used, in seconds (Linux: /proc/thread-self/stat, in clock ticks of
/// 1/100 s; `None` elsewhere). Wall time on a shared machine says as much about the neighbours
/// as about the code; CPU time does not.
fn thread_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which may hold spaces) closed by ')'.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let (n_actors, n_queries, threads) = (
        arg("--actors", 10_000),
        arg("--queries", 100_000),
        arg("--threads", 2),
    );
    // The decision threshold, in hundredths (default: the matcher's own).
    let threshold = arg("--threshold", 0) as f64 / 100.0;
    let threshold = if threshold > 0.0 {
        threshold
    } else {
        DEFAULT_THRESHOLD
    };
    let mut rng = Rng(0x5a4e_4c31_2012);
    let mut people = Vec::new();
    let mut aliases: Vec<(String, usize)> = Vec::new();
    for id in 0..n_actors {
        if rng.chance(20) {
            for n in group_names(&mut rng) {
                aliases.push((n, id));
            }
            people.push(None);
        } else {
            let p = Person {
                given: rng.below(GIVEN.len()),
                particle: rng.chance(50).then(|| rng.below(PARTICLES.len())),
                family: family(&mut rng),
            };
            aliases.push((person_name(&mut rng, &p, false), id));
            for _ in 0..2 {
                aliases.push((person_name(&mut rng, &p, true), id));
            }
            people.push(Some(p));
        }
    }
    let mut queries: Vec<(String, Option<usize>)> = Vec::with_capacity(n_queries);
    while queries.len() < n_queries {
        if rng.chance(70) {
            let id = rng.below(n_actors);
            match &people[id] {
                Some(p) => queries.push((person_name(&mut rng, p, true), Some(id))),
                None => {
                    let own: Vec<&String> =
                        aliases.iter().filter(|a| a.1 == id).map(|a| &a.0).collect();
                    if let Some(n) = own.first() {
                        queries.push((respell(&mut rng, n), Some(id)));
                    }
                }
            }
        } else {
            let p = Person {
                given: rng.below(GIVEN.len()),
                particle: rng.chance(50).then(|| rng.below(PARTICLES.len())),
                family: family(&mut rng),
            };
            queries.push((person_name(&mut rng, &p, false), None));
        }
    }

    let t0 = Instant::now();
    let mut index = Index::new();
    for (name, id) in &aliases {
        index.insert(name, *id);
    }
    let build_s = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let chunk = queries.len().div_ceil(threads.max(1));
    let results: Vec<(usize, usize, usize, usize, f64)> = std::thread::scope(|s| {
        let handles: Vec<_> = queries
            .chunks(chunk.max(1))
            .map(|part| {
                let index = &index;
                s.spawn(move || {
                    // (positives found as top hit, positives, false matches on nobody, nobodies)
                    let (mut found, mut pos, mut false_hits, mut neg) = (0, 0, 0, 0);
                    let cpu0 = thread_cpu_s();
                    for (q, want) in part {
                        let name = Name::new(q);
                        let top = index.search(&name, 1);
                        let best = top
                            .first()
                            .filter(|h| h.comparison.score >= DEFAULT_THRESHOLD);
                        match want {
                            Some(id) => {
                                pos += 1;
                                found += usize::from(best.is_some_and(|h| h.tag == id));
                            }
                            None => {
                                neg += 1;
                                false_hits += usize::from(best.is_some());
                            }
                        }
                    }
                    let cpu = thread_cpu_s().zip(cpu0).map_or(f64::NAN, |(b, a)| b - a);
                    (found, pos, false_hits, neg, cpu)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let query_s = t1.elapsed().as_secs_f64();
    let sum = results.iter().fold((0, 0, 0, 0), |a, r| {
        (a.0 + r.0, a.1 + r.1, a.2 + r.2, a.3 + r.3)
    });
    let query_cpu_s: f64 = results.iter().map(|r| r.4).sum();
    // Candidates per query, outside the timing (on the first 10,000 queries).
    let sample = &queries[..queries.len().min(10_000)];
    let scored: usize = sample
        .iter()
        .map(|(q, _)| index.candidates(&Name::new(q)).len())
        .sum();
    // Examples of wrong answers, for whoever tunes the matcher (on synthetic data only).
    let show = arg("--show-errors", 0);
    for (q, _) in queries.iter().filter(|(_, w)| w.is_none()).take(show * 20) {
        if let Some(h) = index.search(&Name::new(q), 1).first()
            && h.comparison.score >= threshold
        {
            eprintln!("false match: {q} ~ {} ({})", h.name, h.comparison);
        }
    }
    println!(
        "{{\"bench\":\"match\",\"actors\":{n_actors},\"aliases\":{},\"queries\":{},\"threads\":{threads},\"threshold\":{threshold},\
         \"build_s\":{build_s:.3},\"query_s\":{query_s:.3},\"query_cpu_s\":{query_cpu_s:.2},\"queries_per_s\":{:.0},\
         \"candidates_per_query\":{:.1},\"recall_at_1\":{:.4},\"false_match_rate\":{:.4}}}",
        aliases.len(),
        queries.len(),
        queries.len() as f64 / query_s,
        scored as f64 / sample.len().max(1) as f64,
        sum.0 as f64 / sum.1.max(1) as f64,
        sum.2 as f64 / sum.3.max(1) as f64,
    );
}
