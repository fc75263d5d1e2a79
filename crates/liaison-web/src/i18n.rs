//! French and English for every screen: Fluent message catalogues (`locales/<lang>/*.ftl`,
//! embedded), the choice of language per request, and localised numbers and dates.
//!
//! The language is the user's choice (the `liaison_lang` cookie, set from the switch on every
//! page) or else the best match of the browser's `Accept-Language`, or else English. Adding
//! Arabic is a new folder of catalogues and a variant here: pages carry `lang` and `dir` from
//! [`Locale`], so a right-to-left layout needs no change to the templates.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rust_embed::RustEmbed;
use time::Date;

/// The catalogues, one folder per language, one file per screen or group of screens.
#[derive(RustEmbed)]
#[folder = "locales/"]
struct Catalogues;

/// A language the application is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    /// The BCP 47 tag, for `<html lang>` and the browser's `Intl` formatting.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// Writing direction, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        "ltr"
    }

    /// The language's own name, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The best language for an `Accept-Language` header: highest quality first, the first
    /// listed among equals, by primary subtag (`fr-ML` is French); English when none fits.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut best: Option<(u16, Locale)> = None;
        for item in accept_language.split(',').take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| {
                    q.trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))
                        // Thousandths, so qualities compare as integers.
                        .map(|q| (q * 1000.0).round() as u16)
                });
            let Some(quality) = quality.filter(|q| *q > 0) else {
                continue;
            };
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(locale) = Locale::parse(primary)
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, locale));
            }
        }
        best.map_or(Locale::En, |(_, l)| l)
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        match self {
            Locale::En => &BUNDLES.0,
            Locale::Fr => &BUNDLES.1,
        }
    }
}

static BUNDLES: LazyLock<(FluentBundle<FluentResource>, FluentBundle<FluentResource>)> =
    LazyLock::new(|| (load(Locale::En), load(Locale::Fr)));

/// Every catalogue of one language in one bundle. A catalogue that does not parse is a build
/// defect caught by this crate's tests; at run time its good messages are still used.
fn load(locale: Locale) -> FluentBundle<FluentResource> {
    let tag: unic_langid::LanguageIdentifier = locale.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Isolation marks around placeables would show up inside attribute values and inputs;
    // pages set `dir` on the whole document instead.
    bundle.set_use_isolating(false);
    for (name, text) in catalogue_files(locale) {
        let resource = match FluentResource::try_new(text) {
            Ok(r) => r,
            Err((r, errors)) => {
                tracing::error!(catalogue = %name, errors = errors.len(), "catalogue has syntax errors");
                r
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(catalogue = %name, errors = errors.len(), "catalogue redefines messages");
        }
    }
    bundle
}

/// The catalogue files of a language, as (name, text).
pub fn catalogue_files(locale: Locale) -> Vec<(String, String)> {
    let prefix = format!("{}/", locale.code());
    let mut files: Vec<(String, String)> = Catalogues::iter()
        .filter(|name| name.starts_with(&prefix) && name.ends_with(".ftl"))
        .filter_map(|name| {
            let file = Catalogues::get(&name)?;
            Some((
                name.to_string(),
                String::from_utf8_lossy(&file.data).into_owned(),
            ))
        })
        .collect();
    files.sort();
    files
}

/// What a message id renders as when a catalogue lacks it: visible, so a test or a reader
/// notices, and never an error page.
pub fn missing(id: &str) -> String {
    format!("⟦{id}⟧")
}

/// The translator of one request.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Tr {
        Tr { locale }
    }

    /// The message `id` with no arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with string and number arguments.
    pub fn ta(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fa.set(*name, FluentValue::from(s.clone())),
                // Numbers are formatted here, so grouping follows the language whatever the
                // catalogue does; plural selection still sees the number.
                Arg::Num(n) => fa.set(*name, FluentValue::from(*n)),
            }
        }
        self.format(id, Some(&fa))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.locale.bundle();
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return missing(id);
        };
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(message = id, "message formatted with errors");
        }
        text.into_owned()
    }

    /// An integer with the language's digit grouping: `12,345` or `12 345` (narrow no-break
    /// space, as French typography has it).
    pub fn num(&self, n: i64) -> String {
        let sep = match self.locale {
            Locale::En => ",",
            Locale::Fr => "\u{202f}",
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + 8);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    /// A date in words: `28 November 2026`, `28 novembre 2026`.
    pub fn date(&self, d: Date) -> String {
        let month = self.t(&format!("month-{}", u8::from(d.month())));
        match self.locale {
            Locale::En | Locale::Fr => format!("{} {month} {}", d.day(), d.year()),
        }
    }

    /// A month in words: `November 2026`.
    pub fn month(&self, year: i32, month: u8) -> String {
        format!("{} {year}", self.t(&format!("month-{month}")))
    }

    /// An RFC 3339 timestamp as stored (`2026-11-28T08:05:03Z`) shown as date and UTC time;
    /// text that is not one is shown as it is.
    pub fn timestamp(&self, ts: &str) -> String {
        use time::format_description::well_known::Rfc3339;
        match time::OffsetDateTime::parse(ts, &Rfc3339) {
            Ok(t) => {
                let t = t.to_offset(time::UtcOffset::UTC);
                format!(
                    "{} {:02}:{:02} UTC",
                    self.date(t.date()),
                    t.hour(),
                    t.minute()
                )
            }
            Err(_) => ts.to_owned(),
        }
    }
}

/// An argument of a message.
#[derive(Debug, Clone)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use time::macros::date;

    #[test]
    fn negotiation_follows_quality_then_order() {
        assert_eq!(Locale::negotiate("fr-FR,fr;q=0.9,en;q=0.8"), Locale::Fr);
        assert_eq!(Locale::negotiate("en-GB,fr;q=0.9"), Locale::En);
        assert_eq!(Locale::negotiate("ar;q=1, fr;q=0.5, en;q=0.4"), Locale::Fr);
        assert_eq!(Locale::negotiate("en;q=0.2, fr-ML;q=0.7"), Locale::Fr);
        assert_eq!(Locale::negotiate("fr;q=0, en;q=0.1"), Locale::En);
        assert_eq!(Locale::negotiate("de, es"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
        assert_eq!(Locale::negotiate("fr;q=abc"), Locale::En);
    }

    /// The ids each catalogue defines, by language.
    fn ids(locale: Locale) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (name, text) in catalogue_files(locale) {
            let resource = FluentResource::try_new(text)
                .unwrap_or_else(|(_, e)| panic!("{name} does not parse: {e:?}"));
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    assert!(
                        out.insert(m.id.name.to_owned()),
                        "{name}: {} defined twice",
                        m.id.name
                    );
                }
            }
        }
        out
    }

    #[test]
    fn catalogues_parse_and_both_languages_have_every_message() {
        let en = ids(Locale::En);
        let fr = ids(Locale::Fr);
        assert!(en.len() > 50, "only {} messages", en.len());
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in French: {only_en:?}");
        assert!(only_fr.is_empty(), "missing in English: {only_fr:?}");
    }

    #[test]
    fn numbers_and_dates_are_localised() {
        let en = Tr::new(Locale::En);
        let fr = Tr::new(Locale::Fr);
        assert_eq!(en.num(1_234_567), "1,234,567");
        assert_eq!(fr.num(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(en.num(-999), "-999");
        assert_eq!(fr.num(1000), "1\u{202f}000");
        assert_eq!(en.date(date!(2012 - 01 - 24)), "24 January 2012");
        assert_eq!(fr.date(date!(2012 - 01 - 24)), "24 janvier 2012");
        assert_eq!(
            fr.timestamp("2026-11-28T08:05:03Z"),
            "28 novembre 2026 08:05 UTC"
        );
        assert_eq!(en.timestamp("not a time"), "not a time");
        assert_eq!(en.t("no-such-message"), "⟦no-such-message⟧");
    }
}
