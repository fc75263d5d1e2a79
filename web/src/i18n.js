// Locale and message templates for the map page.
//
// The server renders the page in one language and hands us the strings in
// <script type="application/json" id="map-i18n">; the locale comes from <html lang>.
// Every message is a template with {name} placeholders, so word order stays the
// translator's choice; numbers are formatted here so "1 234" / "1,234" follow the page.

const FALLBACK_ERROR = 'Map data could not be loaded';

// Intl throws a RangeError on a malformed tag; a broken lang attribute must not
// take the whole map down, so fall back to English.
function pickLocale(tag) {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag || 'en']).length ? tag : 'en';
  } catch (_) {
    return 'en';
  }
}

export function createI18n(doc) {
  const locale = pickLocale(doc.documentElement.lang);
  let messages = {};
  const script = doc.getElementById('map-i18n');
  if (script) {
    try {
      messages = JSON.parse(script.textContent) || {};
    } catch (_) {
      // A broken block only costs us the labels; the keys are shown instead.
      messages = {};
    }
  }
  const numberFormat = new Intl.NumberFormat(locale);
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });

  function number(n) {
    return numberFormat.format(n);
  }

  // Fill {name} placeholders; numbers go through the locale's number format and
  // unknown placeholders are left visible rather than silently dropped.
  function t(key, vars) {
    const template = typeof messages[key] === 'string' ? messages[key] : key;
    return format(template, vars);
  }

  function format(template, vars) {
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name) => {
      if (!Object.prototype.hasOwnProperty.call(vars, name)) return whole;
      const v = vars[name];
      return typeof v === 'number' ? number(v) : String(v);
    });
  }

  function typeLabel(type) {
    const types = messages.types || {};
    return typeof types[type] === 'string' ? types[type] : type;
  }

  function errorText() {
    return typeof messages.error === 'string' ? messages.error : FALLBACK_ERROR;
  }

  return {
    locale,
    t,
    format,
    number,
    typeLabel,
    errorText,
    // Days since 1970-01-01 (UTC) to a medium date, e.g. "12 mars 2019".
    day: (day) => dateFormat.format(new Date(day * 86400000)),
    month: (date) => monthFormat.format(date),
  };
}
