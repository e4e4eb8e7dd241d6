// Spanish and English for the page: every message the page shows is written in English in
// _("...") (or N_("...") where it is only listed) and translated from the server's catalogue
// (GET /api/i18n/{lang}, the same .po files as the command line and the report). Messages
// take named values, "{n} people", filled in after translation.

export const N_ = (message) => message;
// locale: the language's conventions for numbers and dates, as the server's catalogue names them
// places, caravans: identifier -> the name shown in this language (the server's names table)
// plurals: a message with a count, by its English singular -> its forms [one, other]
// named: the scenarios whose places those names are for (the built-in ones); shown: the run's scenario
const state = { lang: "es", locale: undefined, messages: {}, plurals: {}, places: {}, caravans: {}, named: [], shown: null };

const filled = (text, values) => (values
  ? text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole)) : text);

export function _(message, values = null) {
  return filled(state.messages[message] || message, values);
}

// A message about a count n: "{n} día" for one, "{n} días" for any other. Spanish and English both
// take the first form for one and the second otherwise (their catalogues' rule: plural=(n != 1));
// n is rounded as it is shown, and a difference of -1 day is "-1 día".
export function n_(singular, plural, n, values = null) {
  const forms = state.plurals[singular] || [singular, plural];
  return filled(forms[Math.round(Math.abs(n)) === 1 ? 0 : 1], values);
}

// A place's name as the reader reads it ("Juchitán" for the data's Juchitan); its identifier if none,
// or if the run shown (or the run given, as the key of its names) is of a user's own scenario (their
// "Cordoba" is not the corridor's Córdoba).
export function placeName(place, scenario = state.shown) {
  return ((scenario === null || state.named.includes(scenario)) && state.places[place]) || place;
}

// The scenario whose places the page shows from now on (the run loaded): the key of its names, the
// server's `names` ("" for a user's own scenario, whatever its name).
export function showScenario(name) {
  state.shown = name;
}

// A caravan's label ("segunda caravana de 2018"); "caravana <identifier>" for one without a label.
export function caravanName(caravan) {
  return state.caravans[caravan] || _("caravan {name}", { name: caravan });
}

// A label opening a sentence or a title: its first letter in capitals.
export const capitalised = (text) => text.charAt(0).toUpperCase() + text.slice(1);

export function currentLanguage() {
  return state.lang;
}

// ?lang= in the address, else the browser's (Spanish unless it prefers English).
export function chosenLanguage() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "es" || asked === "en") return asked;
  const preferred = (navigator.languages || [navigator.language || "es"]).map((l) => l.slice(0, 2).toLowerCase());
  return preferred.find((l) => l === "es" || l === "en") || "es";
}

// The page's fixed text: an element's data-t is its message; data-t-ATTR an attribute's message.
export function translatePage(root = document) {
  for (const node of root.querySelectorAll("[data-t]")) node.textContent = _(node.dataset.t);
  for (const node of root.querySelectorAll("*")) {
    for (const name of node.getAttributeNames()) {
      if (name.startsWith("data-t-")) node.setAttribute(name.slice(7), _(node.getAttribute(name)));
    }
  }
  document.documentElement.lang = state.lang;
}

export async function setLanguage(lang, getJSON) {
  const data = await getJSON(`/api/i18n/${lang}`);
  state.lang = data.lang;
  state.messages = data.messages;
  state.plurals = data.plurals || {};
  state.locale = data.locale;
  state.places = data.places || {};
  state.caravans = data.caravans || {};
  state.named = data.named_scenarios || [];
  numbers = new Intl.NumberFormat(state.locale, { maximumFractionDigits: 0 });
  translatePage();
  document.dispatchEvent(new Event("caravana:language"));  // panels drawn from data draw again
}

let numbers = new Intl.NumberFormat(state.locale, { maximumFractionDigits: 0 });
export function fmt(x) {
  return x === null || x === undefined || Number.isNaN(x) ? "–" : numbers.format(x);
}

// An ISO date (2018-10-29) as people read it: "29 oct 2018" / "Oct 29, 2018"; without the year if asked.
export function fmtDate(iso, year = true) {
  if (!iso) return "–";
  const options = { day: "numeric", month: "short", timeZone: "UTC" };
  if (year) options.year = "numeric";
  return new Intl.DateTimeFormat(state.locale, options).format(new Date(`${iso}T00:00:00Z`));
}
