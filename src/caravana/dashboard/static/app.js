// The dashboard page: wires the panels to the JSON API of the same server.
import { getJSON, html, clear, fmt, options } from "./util.js";
import { _, N_, n_, capitalised, caravanName, chosenLanguage, currentLanguage, fmtDate, placeName, setLanguage, showScenario } from "./i18n.js";
import { MapView } from "./map.js";
import { Chart } from "./chart.js";

const $ = (id) => document.getElementById(id);
// A word from the data (a state, event, cause, quantity), in the page's language when the
// server lists it among the words it shows from the data (GET /api/page's codes).
const code = (c) => (state.rules?.codes.includes(c.replaceAll("_", " ")) ? _(c.replaceAll("_", " ")) : c);
const A_COLOUR = "#1c7ed6";
const PLACE_LISTS = ["place", "needs-place", "events-place", "brief-place"];  // places by name, valued by identifier
const B_COLOUR = "#e8590c";

// The language switch: the page's text, then everything drawn from data, again.
async function switchLanguage(lang) {
  await setLanguage(lang, getJSON);
  $("lang").value = currentLanguage();
  playLabel();
  if (state.scenarios.length) {
    const file = $("upload").files[0];
    policyFields(file ? null : state.scenarios.find((s) => s.name === $("scenario").value), Boolean(file));
  }
  if (!state.summary) return;
  describeRun();
  labelRuns();
  for (const id of PLACE_LISTS) {  // the options' values stay the identifiers
    for (const o of $(id).options) o.textContent = o.value ? placeName(o.value) : _("all places");
  }
  map.nameLabels();
  setDay(state.day);
  await Promise.all([drawBriefing(), drawChart(), drawNeeds(), drawEvents(), drawCompare()]);
}

// The place a deep link /place/NAME asks for (null on the main page).
function linkedPlace() {
  const m = location.pathname.match(/^\/place\/(.+)$/);
  return m ? decodeURIComponent(m[1]) : null;
}

// Only the latest call of a panel draws: a new run, a switch of language and a choice may
// overlap, and an earlier request answered later must not draw over a later one.
const calls = {};
function newCall(panel) {
  const call = (calls[panel] || 0) + 1;
  calls[panel] = call;
  return () => calls[panel] === call;
}

async function drawBriefing() {
  const latest = newCall("briefing");
  const place = $("brief-place").value;
  if (!state.runId || !place) return;
  const data = await getJSON(`/api/runs/${enc(state.runId)}/brief?place=${enc(place)}&lang=${currentLanguage()}`);
  if (!latest()) return;
  $("briefing").innerHTML = data.html;  // made on this server from escaped text
  const path = `/place/${enc(data.place)}`;
  if (location.pathname !== path) history.replaceState(null, "", path + location.search);
}

// rules: the server's upload limit, needs columns, policy fields and words from the data (GET /api/page), kept in Python only.
const state = { runs: [], runId: null, summary: null, frames: null, day: 0, timer: null, mine: new Set(), scenarios: [],
  rules: null };
let map;
const chart = new Chart($("chart"), code);
const compareChart = new Chart($("compare-chart"), code);

function showError(node, message) {
  node.textContent = message;
  node.hidden = !message;
}

function enc(x) {
  return encodeURIComponent(x);
}

// ------------------------------------------------------------------ runs
async function refreshRuns() {
  state.runs = await getJSON("/api/runs");
  const done = state.runs.filter((r) => r.status === "done").map((r) => r.id);
  for (const id of ["run-select", "compare-a", "compare-b"]) options($(id), done, runLabel);
  renderJobs();
  return done;
}

function runLabel(id) {
  const r = state.runs.find((x) => x.id === id);
  return r.kind === "ensemble" ? _("{label} (ensemble)", { label: r.label }) : r.label;
}

function labelRuns() {
  for (const id of ["run-select", "compare-a", "compare-b"]) {
    for (const o of $(id).options) o.textContent = runLabel(o.value);
  }
  renderJobs();
}

function describeRun() {
  const s = state.summary;
  const values = { scenario: s.scenario, n: fmt(s.members), seed: s.seed,
    effective: s.effective_members === null ? "" : fmt(s.effective_members),
    as_of: s.forecast_as_of ? fmtDate(s.forecast_as_of) : "" };
  // A forecast's folder is its weighted posterior: every band is weighted (views.py).
  const what = s.kind !== "ensemble"
    ? _("{scenario}, seed {seed}", values)
    : s.effective_members !== null
      ? n_("{scenario}, forecast posterior of {n} weighted particle (effective number {effective})",
        "{scenario}, forecast posterior of {n} weighted particles (effective number {effective})", s.members, values)
      : s.forecast_as_of
        ? n_("{scenario}, forecast posterior of {n} particle resampled at the as-of date {as_of}",
          "{scenario}, forecast posterior of {n} particles resampled at the as-of date {as_of}", s.members, values)
        : n_("{scenario}, ensemble of {n} member", "{scenario}, ensemble of {n} members", s.members, values);
  $("run-info").textContent = [what,
    n_("{n} day from {start}", "{n} days from {start}", s.days, { n: fmt(s.days), start: fmtDate(s.start) }),
    n_("{n} person", "{n} people", s.people, { n: fmt(s.people) })].join(", ");
  const labels = Object.fromEntries(s.quantities.map((q) => [q.name, q.label]));
  options($("quantity"), s.quantities.map((q) => q.name), (q) => _(labels[q]));
}

async function loadRun(id) {
  const [summary, frames] = await Promise.all([getJSON(`/api/runs/${enc(id)}`), getJSON(`/api/runs/${enc(id)}/map`)]);
  state.runId = id;
  state.summary = summary;
  showScenario(summary.names ?? summary.scenario);
  state.frames = frames;
  $("run-select").value = id;
  describeRun();
  map.setRun(summary, frames);
  const day = $("day");
  day.max = summary.days - 1;
  state.day = Math.min(state.day, summary.days - 1);
  day.value = state.day;
  // places with anyone staying, busiest first; then the rest
  const peak = frames.places.map((name, i) => [Math.max(...frames.staying.map((row) => row[i])), name]);
  peak.sort((a, b) => b[0] - a[0]);
  options($("place"), peak.map(([, name]) => name), placeName);
  const needsPlaces = summary.has_needs ? await getJSON(`/api/runs/${enc(id)}/needs/places`) : [];
  options($("needs-place"), needsPlaces, placeName);
  for (const id of ["needs-from", "needs-to"]) {
    $(id).min = frames.dates[0];
    $(id).max = frames.dates[summary.days - 1];
  }
  needsWindow();
  const eventPlaces = summary.has_events ? await getJSON(`/api/runs/${enc(id)}/events/places`) : [];
  options($("events-place"), ["", ...eventPlaces], (p) => (p ? placeName(p) : _("all places")));
  setDay(state.day);
  // a forecast briefs only the places it has figures for (ahead of a caravan), as `caravana brief`
  const briefed = summary.briefed_places;
  const key = peak.filter(([n, name]) => n > 0 && (!briefed || briefed.includes(name))).map(([, name]) => name);
  options($("brief-place"), key, placeName);
  const linked = linkedPlace();
  if (linked) {
    const match = key.find((p) => p.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase() ===
      linked.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase());
    if (match) $("brief-place").value = match;
    else { options($("brief-place"), [linked, ...key], placeName); $("brief-place").value = linked; }
  }
  $("compare-a").value = id;
  if ($("compare-b").value === id) {
    const other = [...$("compare-b").options].map((o) => o.value).find((v) => v !== id);
    if (other) $("compare-b").value = other;
  }
  await Promise.all([drawBriefing().catch((e) => showError($("page-error"), e.message)),
    drawChart(), drawNeeds(), drawEvents(), drawCompare()]);
}

function setDay(day) {
  state.day = day;
  $("day").value = day;
  const date = state.frames.dates[day];
  $("day-label").textContent = fmtDate(date);
  $("day").setAttribute("aria-valuetext", fmtDate(date));
  $("map-date").textContent = fmtDate(date);
  const lines = map.show(day);
  $("caravan-info").textContent = lines.join(" · ");
  chart.mark(day);
  compareChart.mark(day);
}

function playLabel() {
  $("play").textContent = state.timer ? "❚❚ " + _("Pause") : "▶ " + _("Play");
  $("play").setAttribute("aria-label", state.timer ? _("Pause") : _("Play"));
}

function togglePlay() {
  if (state.timer) {
    clearInterval(state.timer);
    state.timer = null;
    playLabel();
    return;
  }
  if (state.day >= state.summary.days - 1) setDay(0);
  state.timer = setInterval(() => {
    if (state.day >= state.summary.days - 1) return togglePlay();
    setDay(state.day + 1);
  }, 250);
  playLabel();
}

// ------------------------------------------------------------------ chart
async function drawChart() {
  const latest = newCall("chart");
  const place = $("place").value;
  if (!place) return;
  const q = $("quantity").value || "staying";
  const s = await getJSON(`/api/runs/${enc(state.runId)}/series?place=${enc(place)}&quantity=${enc(q)}`);
  if (!latest()) return;
  const obs = chart.draw([{ ...s, colour: A_COLOUR, label: state.summary.scenario }], s.observations, state.day,
    s.dates[0], s.as_of);
  const parts = [s.members > 1 ? _("median, 50% and 90% bands of {n} members", { n: s.members }) : _("one run")];
  // The daily median flattens a passing crowd (members peak on different days): give each member's own peak.
  if (s.members > 1 && s.own_peak) {
    parts.push(_("each member's own peak: median {p50}, P5–P95 {p5}–{p95}",
      { p50: fmt(s.own_peak.p50), p5: fmt(s.own_peak.p5), p95: fmt(s.own_peak.p95) }));
  }
  for (const o of obs) parts.push(_("● observed: {what}", { what: code(o.quantity) }));
  if (s.as_of) parts.push(_("forecast as of {date}: reports up to that date used (●), later ones held back (○)", { date: fmtDate(s.as_of) }));
  $("chart-legend").textContent = `${placeName(place)}, ${code(q)}: ${parts.join("; ")}.`;
}

// ------------------------------------------------------------------ needs
// Day number of a date of the run (null for an empty field): people choose dates, the API takes days.
function dayOf(iso) {
  if (!iso) return null;
  return Math.round((Date.parse(iso) - Date.parse(state.frames.dates[0])) / 86400000);
}

// The needs table opens on the days anyone stays at the chosen place (median), not on weeks of zeros.
function needsWindow() {
  const i = state.frames.places.indexOf($("needs-place").value);
  const days = i < 0 ? [] : state.frames.staying.map((row, d) => (row[i] > 0 ? d : -1)).filter((d) => d >= 0);
  const first = days.length ? days[0] : 0;
  const last = days.length ? days[days.length - 1] : state.summary.days - 1;
  $("needs-from").value = state.frames.dates[first];
  $("needs-to").value = state.frames.dates[last];
}

async function drawNeeds() {
  const latest = newCall("needs");
  const table = $("needs-table");
  const place = $("needs-place").value;
  if (!place) {
    clear(table);
    $("needs-note").textContent = _("This run has no needs table (only corridor scenarios compute needs).");
    $("needs-csv").classList.add("disabled");
    return;
  }
  const first = Math.max(0, dayOf($("needs-from").value) ?? 0);
  const last = Math.min(state.summary.days - 1, dayOf($("needs-to").value) ?? state.summary.days - 1);
  const query = `place=${enc(place)}&first_day=${first}&last_day=${last}`;
  let rows;
  try {
    rows = await getJSON(`/api/runs/${enc(state.runId)}/needs?${query}`);
  } catch (e) {
    if (latest()) $("needs-note").textContent = e.message;
    return;
  }
  if (!latest()) return;
  clear(table);
  $("needs-csv").href = `/api/runs/${enc(state.runId)}/needs?${query}&format=csv`;
  $("needs-csv").classList.remove("disabled");
  const ensemble = rows.length && rows[0].present_p95 !== undefined;
  const columns = state.rules.needs_columns;
  const head = html("tr", {}, null, html("thead", {}, null, table));
  html("th", {}, _("date"), head);
  for (const { label } of columns) html("th", {}, _(label), head);
  const body = html("tbody", {}, null, table);
  const total = Object.fromEntries(columns.map(({ name }) => [name, 0]));
  for (const r of rows) {
    const tr = html("tr", {}, null, body);
    html("td", {}, fmtDate(r.date), tr);
    for (const { name: c } of columns) {
      html("td", {}, ensemble ? `${fmt(r[c])} (${fmt(r[`${c}_p95`])})` : fmt(r[c]), tr);
      total[c] += r[c] || 0;
    }
  }
  const tr = html("tr", { class: "total" }, null, html("tfoot", {}, null, table));
  html("td", {}, _("total (person-days)"), tr);
  for (const { name } of columns) html("td", {}, fmt(total[name]), tr);
  $("needs-note").textContent = ensemble
    ? _("Median of the ensemble, P95 in brackets: plan for the P95. Sphere standards; the CSV has both.")
    : _("Daily needs from the Sphere standards for the people staying at this place.");
}

// ------------------------------------------------------------------ events
async function drawEvents() {
  const latest = newCall("events");
  const table = $("events-table");
  if (!state.summary.has_events) {
    clear(table);
    $("events-note").textContent = _("This run has no events (Flee scenarios record none).");
    return;
  }
  const place = $("events-place").value;
  let rows;
  try {
    rows = await getJSON(`/api/runs/${enc(state.runId)}/events${place ? `?place=${enc(place)}` : ""}`);
  } catch (e) {
    if (latest()) $("events-note").textContent = e.message;
    return;
  }
  if (!latest()) return;
  clear(table);
  const head = html("tr", {}, null, html("thead", {}, null, table));
  for (const label of [N_("event"), N_("cause"), N_("people"), N_("first"), N_("last")]) html("th", {}, _(label), head);
  const body = html("tbody", {}, null, table);
  for (const r of rows) {
    const tr = html("tr", {}, null, body);
    html("td", {}, code(r.event), tr);
    html("td", {}, code(r.cause), tr);
    html("td", {}, fmt(r.people), tr);
    html("td", {}, fmtDate(r.first), tr);
    html("td", {}, fmtDate(r.last), tr);
  }
  const where = place ? placeName(place) : _("All places");
  $("events-note").textContent = state.summary.kind === "ensemble"
    ? _("{where}, whole run: people counted once per event (someone detained twice counts twice); mean over the ensemble's members.", { where })
    : _("{where}, whole run: people counted once per event (someone detained twice counts twice).", { where });
}

// ------------------------------------------------------------------ runner
// The runner form from the server's rules: the policy fields (a switch: as in the scenario,
// on or off; a count: a whole number) and the longest label.
function buildRunForm(rules) {
  const fieldset = $("policy");
  for (const f of rules.policy_fields) {
    const label = html("label", {}, null, fieldset);
    html("span", { "data-t": f.label }, _(f.label), label);
    label.append(" ");
    if (f.kind === "switch") {
      const select = html("select", { name: f.name }, null, label);
      html("option", { value: "", "data-t": N_("as in scenario") }, _("as in scenario"), select);
      html("option", { value: "on", "data-t": N_("on") }, _("on"), select);
      html("option", { value: "off", "data-t": N_("off") }, _("off"), select);
    } else {
      html("input", { name: f.name, type: "number", min: "0", class: "num" }, null, label);
    }
  }
  $("run-form").elements.label.maxLength = rules.max_label;
}

// Policy fields for a built-in scenario (its values as placeholders; disabled without a
// corridor) or for an upload (values unknown until the server reads the file).
function policyFields(scenario, uploaded = false) {
  const fieldset = $("policy");
  const p = scenario && scenario.policy;
  fieldset.disabled = !uploaded && !p;
  for (const input of fieldset.querySelectorAll("input")) input.placeholder = p ? `${p[input.name]}` : "";
  for (const select of fieldset.querySelectorAll("select")) {
    select.options[0].textContent = p ? _("as in scenario ({state})", { state: p[select.name] ? _("on") : _("off") })
      : _("as in scenario");
  }
  // the last date to simulate: a date, from the scenario's start (an upload's start is known once read)
  const until = $("run-until");
  until.min = scenario ? scenario.start : "";
  until.title = scenario ? _("empty: until {date}, as in the scenario", { date: fmtDate(lastDate(scenario)) }) : "";
}

function lastDate(scenario) {
  return new Date(Date.parse(scenario.start) + (scenario.days - 1) * 86400000).toISOString().slice(0, 10);
}

async function submitRun(event) {
  event.preventDefault();
  const error = $("run-error");
  showError(error, "");
  const form = new FormData($("run-form"));
  const file = $("upload").files[0];
  if (file) {
    const limit = state.rules.max_upload_bytes;
    if (file.size > limit) {
      return showError(error, _("The file is {size} MB; the limit is {limit} MB.",
        { size: (file.size / 1048576).toFixed(1), limit: fmt(limit / 1048576) }));
    }
    form.delete("scenario");
  } else {
    form.delete("file");
  }
  for (const [k, v] of [...form.entries()]) if (v === "") form.delete(k);
  $("run-button").disabled = true;
  try {
    const job = await getJSON("/api/runs", { method: "POST", body: form });
    state.mine.add(job.id);
    $("upload").value = "";
    $("upload").dispatchEvent(new Event("change"));
    await refreshRuns();
    poll();
  } catch (e) {
    showError(error, _("The run was not started: {why}", { why: e.message }));
  } finally {
    $("run-button").disabled = false;
  }
}

function renderJobs() {
  const list = $("jobs");
  clear(list);
  const jobs = state.runs.filter((r) => r.origin === "dashboard").slice(-8).reverse();
  for (const j of jobs) {
    const li = html("li", { class: `job ${j.status}`, "data-id": j.id }, null, list);
    html("strong", {}, j.label, li);
    html("span", { class: "muted" }, ` ${j.id} · ${code(j.status)}`, li);
    if (j.status === "running" || j.status === "queued") {
      const bar = html("progress", { max: j.total || 1, value: j.done || 0 }, null, li);
      bar.textContent = `${j.done}/${j.total}`;
      html("span", { class: "muted" }, " " + _("day {done} of {total}", { done: j.done, total: j.total || "?" }), li);
    } else if (j.status === "failed") {
      html("p", { class: "error" }, j.error, li);
    } else {
      const show = html("button", { type: "button", class: "small" }, _("show"), li);
      show.addEventListener("click", () => loadRun(j.id));
    }
  }
}

async function poll() {
  await refreshRuns();
  for (const r of state.runs) {
    // state.mine holds the runs started here and not shown yet: a run that finished before
    // this poll's first look (a short run) is shown all the same, and only once.
    if (state.mine.has(r.id) && r.status === "done") {
      state.mine.delete(r.id);
      const previous = state.runId;
      await loadRun(r.id);
      if (previous && previous !== r.id) {
        $("compare-a").value = previous;
        $("compare-b").value = r.id;
        await drawCompare();
      }
    }
  }
  if (state.runs.some((r) => r.status === "queued" || r.status === "running")) setTimeout(poll, 400);
}

// ------------------------------------------------------------------ compare
async function drawCompare() {
  const latest = newCall("compare");
  const a = $("compare-a").value;
  const b = $("compare-b").value;
  const table = $("compare-table");
  if (!a || !b) return clear(table);
  const data = await getJSON(`/api/compare?a=${enc(a)}&b=${enc(b)}`);
  if (!latest()) return;
  clear(table);
  const head = html("tr", {}, null, html("thead", {}, null, table));
  for (const h of [_("at the end"), "A", "B", "B − A"]) html("th", {}, h, head);
  const body = html("tbody", {}, null, table);
  const row = (name, va, vb, show = fmt, diff = (d) => fmt(d)) => {
    const tr = html("tr", {}, null, body);
    html("td", {}, name, tr);
    html("td", {}, show(va, data.a), tr);
    html("td", {}, show(vb, data.b), tr);
    html("td", {}, va === null || vb === null ? "–" : (vb - va > 0 ? "+" : "") + diff(vb - va), tr);
  };
  const names = [...new Set([...Object.keys(data.a.outcomes), ...Object.keys(data.b.outcomes)])];
  for (const n of names) row(code(n), (data.a.outcomes[n] || {}).p50 ?? 0, (data.b.outcomes[n] || {}).p50 ?? 0);
  // the day the centre arrives, as a date of each run; the difference in days
  const onDate = (d, run) => (d === null || d === undefined ? "–"
    : fmtDate(new Date(Date.parse(run.start) + Math.round(d) * 86400000).toISOString().slice(0, 10)));
  for (const c of data.a.caravans) {
    const other = data.b.caravans.find((x) => x.name === c.name) || {};
    // each run's places by its own scenario's names, not the run loaded's
    row(_("{caravan}: centre reaches {place}", { caravan: capitalised(caravanName(c.name)), place: placeName(c.destination, data.a.names) }), c.p50, other.p50 ?? null,
      onDate, (d) => n_("{n} day", "{n} days", d, { n: fmt(d) }));
  }
  const place = $("place").value;
  if (!place) return;
  const get = (run) => (run.places.includes(place)
    ? getJSON(`/api/runs/${enc(run.id)}/series?place=${enc(place)}&quantity=staying`) : Promise.resolve(null));
  const [sa, sb] = await Promise.all([get(data.a), get(data.b)]);
  if (!latest()) return;
  const series = [];
  if (sa) series.push({ ...sa, colour: A_COLOUR });
  if (sb) series.push({ ...sb, colour: B_COLOUR });
  if (series.length) compareChart.draw(series, [], state.day, state.summary.start);
  else clear(compareChart.node);
  const named = [...new Set([sa && placeName(place, data.a.names), sb && placeName(place, data.b.names)].filter(Boolean))];
  const notes = [_("{place}, people staying: blue A, orange B", { place: named.join(" / ") })];
  if (sa && sb && sa.members + sb.members > 2) notes.push(_("(median, 50% and 90% bands)"));
  if (!sa || !sb) notes.push(_("({run} has no such place)", { run: !sa ? "A" : "B" }));
  $("compare-legend").textContent = notes.join(" ") + ".";
}

// The run to open: ?run= in the address, else the first folder given to `caravana serve`, else the
// newest run started here, else the newest catalogued one (the catalogue lists newest first).
function initialRun(done) {
  const asked = new URLSearchParams(location.search).get("run");
  if (asked && done.includes(asked)) return asked;
  const given = state.runs.find((r) => r.origin === "folder" && done.includes(r.id));
  if (given) return given.id;
  const started = state.runs.filter((r) => !r.origin && done.includes(r.id));
  if (started.length) return started[started.length - 1].id;
  return done[0];
}

// ------------------------------------------------------------------ start
async function start() {
  try {
    await switchLanguage(chosenLanguage());
    const [borders, scenarios, rules] = await Promise.all([getJSON("/api/borders"), getJSON("/api/scenarios"),
      getJSON("/api/page")]);
    state.rules = rules;
    buildRunForm(rules);
    map = new MapView($("map"), borders, async (place) => {
      $("place").value = place;
      for (const id of ["needs-place", "events-place"]) {
        if ([...$(id).options].some((o) => o.value === place)) $(id).value = place;
      }
      await Promise.all([drawChart(), drawNeeds(), drawEvents(), drawCompare()]);
    });
    state.scenarios = scenarios;
    options($("scenario"), scenarios.map((s) => s.name));
    $("scenario").value = scenarios.some((s) => s.name === "corridor") ? "corridor" : scenarios[0].name;
    policyFields(scenarios.find((s) => s.name === $("scenario").value));
    const done = await refreshRuns();
    if (done.length) await loadRun(initialRun(done));
    if (state.runs.some((r) => r.status === "queued" || r.status === "running")) poll();
  } catch (e) {
    showError($("page-error"), _("The dashboard could not load: {why}", { why: e.message }));
  }
  document.body.dataset.ready = "1";
}

$("run-select").addEventListener("change", (e) => loadRun(e.target.value));
$("brief-place").addEventListener("change", drawBriefing);
$("lang").addEventListener("change", (e) => switchLanguage(e.target.value));
$("print").addEventListener("click", () => window.print());
$("day").addEventListener("input", (e) => setDay(Number(e.target.value)));
$("play").addEventListener("click", togglePlay);
$("place").addEventListener("change", () => Promise.all([drawChart(), drawCompare()]));
$("quantity").addEventListener("change", drawChart);
$("needs-place").addEventListener("change", () => { needsWindow(); drawNeeds(); });
for (const id of ["needs-from", "needs-to"]) $(id).addEventListener("change", drawNeeds);
$("events-place").addEventListener("change", drawEvents);
$("scenario").addEventListener("change", (e) => {
  $("run-until").value = "";
  policyFields(state.scenarios.find((s) => s.name === e.target.value));
});
$("upload").addEventListener("change", () => {
  const file = $("upload").files[0];
  $("scenario").disabled = Boolean(file);
  $("run-until").value = "";
  $("clear-upload").hidden = !file;
  policyFields(file ? null : state.scenarios.find((s) => s.name === $("scenario").value), Boolean(file));
});
$("clear-upload").addEventListener("click", () => {
  $("upload").value = "";
  $("upload").dispatchEvent(new Event("change"));
});
$("run-form").addEventListener("submit", submitRun);
for (const id of ["compare-a", "compare-b"]) $(id).addEventListener("change", drawCompare);
start();
