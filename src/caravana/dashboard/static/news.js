// The review panel: a proposals file from `caravana news extract`, one row per proposed
// observation with the sentence it comes from; accept, edit or reject each, then download
// the accepted rows as an observations file (for `caravana forecast --observations`) or the
// proposals with their decisions (to go on with `caravana news review`).
import { getJSON, html, clear } from "./util.js";
import { _, N_, n_, currentLanguage } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const HEADINGS = [N_("date"), N_("place"), N_("quantity"), N_("value"), N_("low"), N_("high"), N_("conf."),
  N_("evidence"), N_("decision")];
// editable: the columns a reviewer may change, as the server says (caravana.news.review.EDITABLE).
const review = { scenario: "corridor", rows: [], editable: [] };

function showError(message) {
  const node = $("news-error");
  node.textContent = message || "";
  node.hidden = !message;
}

// the sentence as text, the figure marked (no HTML is ever built from the file's text)
function evidence(row, parent) {
  const p = html("p", { class: "evidence" }, null, parent);
  const at = row.evidence ? row.sentence.indexOf(row.evidence) : -1;
  if (at < 0) {
    p.textContent = row.sentence;
  } else {
    p.append(row.sentence.slice(0, at));
    html("mark", {}, row.evidence, p);
    p.append(row.sentence.slice(at + row.evidence.length));
  }
  html("span", { class: "muted" }, ` ${row.source || row.file}`, p);
  if (row.reading === "mover") html("span", { class: "muted" }, " · " + _("proposed by the learned movement model"), p);
}

function setStatus(row, status, tr) {
  row.status = status;
  tr.dataset.status = status;
  updateCount();
}

function render() {
  const table = $("news-table");
  clear(table);
  const head = html("tr", {}, null, html("thead", {}, null, table));
  for (const c of HEADINGS) html("th", {}, _(c), head);
  const body = html("tbody", {}, null, table);
  const minimum = Number($("news-min").value || 0);
  for (const row of review.rows) {
    if (Number(row.confidence || 0) < minimum) continue;
    const tr = html("tr", { "data-row": row.row, "data-status": row.status }, null, body);
    // the place and the quantity by the names the page's language shows ("Ciudad de México", "llegados"),
    // as the server sends them; an edited field as typed (the server reads a name back to the file's)
    const names = (row.names && row.names[currentLanguage()]) || {};
    for (const c of review.editable) {
      const value = (row.typed && row.typed[c]) || !(c in names) ? row[c] : names[c];
      const input = html("input", { value, "aria-label": _("{field}, row {row}", { field: _(c), row: row.row }), size: c === "place" ? 12 : 9 },
        null, html("td", {}, null, tr));
      input.addEventListener("change", () => {
        row[c] = input.value.trim();
        row.typed = { ...row.typed, [c]: true };
        row.edited = true;
        if (row.status === "accepted") setStatus(row, "edited", tr);
      });
    }
    html("td", { class: "num" }, row.confidence, tr);
    const cell = html("td", { class: "evidence-cell" }, null, tr);
    evidence(row, cell);
    // in the page's language, also after a switch (the server sent it in each)
    const problem = (row.problems && row.problems[currentLanguage()]) || row.problem;
    if (problem) html("p", { class: "error" }, problem, cell);
    if (row.country) html("p", { class: "note" }, _("{place} is a country, not a town: the figure is compared with the sum over all the scenario's places in {place}. Keep it for a country-wide count; if the sentence names the town, write the town as the place.", { place: row.country }), cell);
    const buttons = html("td", { class: "decision" }, null, tr);
    const accept = html("button", { type: "button", class: "small accept" }, _("accept"), buttons);
    const reject = html("button", { type: "button", class: "small reject" }, _("reject"), buttons);
    accept.addEventListener("click", () => setStatus(row, row.edited ? "edited" : "accepted", tr));
    reject.addEventListener("click", () => setStatus(row, "rejected", tr));
  }
  updateCount();
}

function updateCount() {
  const n = (s) => review.rows.filter((r) => r.status === s).length;
  $("news-count").textContent = review.rows.length
    ? n_("{n} proposal", "{n} proposals", review.rows.length, { n: review.rows.length }) + ": " + [
      n_("{n} accepted", "{n} accepted", n("accepted") + n("edited"), { n: n("accepted") + n("edited") }),
      n_("{n} rejected", "{n} rejected", n("rejected"), { n: n("rejected") }),
      _("{n} to decide", { n: n("") })].join(", ")
    : "";
  $("news-download").disabled = $("news-decisions").disabled = !review.rows.length;
}

async function load() {
  showError("");
  const file = $("news-file").files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  form.append("scenario", $("news-scenario").value || "corridor");
  try {
    const answer = await getJSON("/api/news/proposals", { method: "POST", body: form });
    review.scenario = answer.scenario;
    review.editable = answer.editable;
    review.rows = answer.rows;
    render();
  } catch (e) {
    review.rows = [];
    render();
    showError(e.message);
  }
}

async function download(endpoint, filename) {
  showError("");
  const rows = review.rows.map(({ row, problem, problems, country, edited, names, typed, ...fields }) => fields);
  const response = await fetch(endpoint, {
    method: "POST", headers: { "Content-Type": "application/json", "Accept-Language": currentLanguage() },
    body: JSON.stringify({ scenario: review.scenario, rows }),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    showError(body.detail || `${response.status} ${response.statusText}`);
    return;
  }
  const link = html("a", { href: URL.createObjectURL(await response.blob()), download: filename });
  link.click();
  URL.revokeObjectURL(link.href);
}

$("news-file").addEventListener("change", load);
document.addEventListener("caravana:language", () => { if (review.rows.length) render(); });
$("news-scenario").addEventListener("change", load);
$("news-min").addEventListener("change", render);
$("news-download").addEventListener("click", () => download("/api/news/observations", "observations.csv"));
$("news-decisions").addEventListener("click", () => download("/api/news/decisions", "proposals.csv"));
