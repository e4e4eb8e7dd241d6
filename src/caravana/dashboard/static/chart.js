// A time chart: for each series, the P5-P95 and P25-P75 bands and the median line;
// observations as points with their range; a marker on the map's day.
import { svg, clear, fmt, niceTicks } from "./util.js";
import { fmtDate } from "./i18n.js";

const W = 640;
const H = 300;
const M = { left: 58, right: 14, top: 12, bottom: 30 };
const OBSERVATION_COLOURS = ["#111", "#7048e8", "#2b8a3e", "#c2255c"];

export class Chart {
  // word: a quantity's code as the page names it (the dashboard's words from the data)
  constructor(node, word = (code) => code) {
    this.node = node;
    this.word = word;
    node.setAttribute("viewBox", `0 0 ${W} ${H}`);
  }

  // series: [{label, colour, dates, p5, p25, p50, p75, p95, members}], observations: [{date, value, low, high, quantity}]
  // day: the map's day, counted from markerStart (the shown run's first date)
  // asOf: a forecast's as-of date (marked; reports after it, held back, drawn open)
  draw(series, observations = [], day = 0, markerStart = series[0].dates[0], asOf = null) {
    clear(this.node);
    this.series = series;
    // One time axis for all series, from the earliest first day to the latest last day.
    const t0 = Math.min(...series.map((s) => Date.parse(s.dates[0])));
    const dayOf = (iso) => Math.round((Date.parse(iso) - t0) / 86400000);
    const n = Math.max(...series.map((s) => dayOf(s.dates[s.dates.length - 1]) + 1));
    const dateOf = (d) => new Date(t0 + d * 86400000).toISOString().slice(0, 10);
    const obs = observations.filter((o) => dayOf(o.date) >= 0 && dayOf(o.date) <= n - 1);
    const top = Math.max(1, ...series.flatMap((s) => s.p95.filter((v) => v !== null)),
      ...obs.map((o) => (o.high !== null && o.high !== undefined ? o.high : o.value)));
    const ticks = niceTicks(top);
    const yMax = ticks[ticks.length - 1];
    this.x = (d) => M.left + (d / Math.max(1, n - 1)) * (W - M.left - M.right);
    const y = (v) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
    const axis = svg("g", { class: "axis" }, this.node);
    for (const t of ticks) {
      svg("line", { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), class: "grid" }, axis);
      svg("text", { x: M.left - 6, y: y(t) + 4, "text-anchor": "end" }, axis).textContent = fmt(t);
    }
    const every = Math.max(1, Math.ceil(n / 7));
    for (let d = 0; d < n; d += every) {
      svg("text", { x: this.x(d), y: H - 10, "text-anchor": "middle" }, axis).textContent = fmtDate(dateOf(d), false);
    }
    for (const s of series) {
      const at = (i) => this.x(dayOf(s.dates[0]) + i).toFixed(1);
      const area = (lo, hi) => {
        const up = hi.map((v, i) => `${i ? "L" : "M"}${at(i)},${y(v).toFixed(1)}`).join("");
        const down = lo.map((_, k) => lo.length - 1 - k).map((i) => `L${at(i)},${y(lo[i]).toFixed(1)}`).join("");
        return up + down + "Z";
      };
      const g = svg("g", { class: "series" }, this.node);
      if (s.members > 1) {
        svg("path", { d: area(s.p5, s.p95), fill: s.colour, "fill-opacity": 0.15, class: "band band-90" }, g);
        svg("path", { d: area(s.p25, s.p75), fill: s.colour, "fill-opacity": 0.3, class: "band band-50" }, g);
      }
      const line = s.p50.map((v, i) => `${i ? "L" : "M"}${at(i)},${y(v).toFixed(1)}`).join("");
      svg("path", { d: line, stroke: s.colour, class: "median" }, g);
    }
    const quantities = [...new Set(obs.map((o) => o.quantity))];
    const og = svg("g", { class: "observations" }, this.node);
    for (const o of obs) {
      const colour = OBSERVATION_COLOURS[quantities.indexOf(o.quantity) % OBSERVATION_COLOURS.length];
      const cx = this.x(dayOf(o.date));
      if (o.low !== null && o.low !== undefined && o.high !== null && o.high !== undefined) {
        svg("line", { x1: cx, x2: cx, y1: y(o.low), y2: y(o.high), stroke: colour, class: "obs-range" }, og);
      }
      const held = o.used === false;
      const c = svg("circle", { cx, cy: y(o.value), r: 3.5, fill: held ? "#fff" : colour,
        color: colour, class: "observation" }, og);
      if (held) c.classList.add("held-back"); // a ring in its colour (CSS)
      svg("title", {}, c).textContent = `${fmtDate(o.date)} ${this.word(o.quantity)}: ${fmt(o.value)}` + (o.source ? ` (${o.source})` : "");
    }
    if (asOf && dayOf(asOf) >= 0 && dayOf(asOf) <= n - 1) {
      const ax = this.x(dayOf(asOf));
      const g = svg("g", { class: "as-of" }, this.node);
      svg("line", { x1: ax, x2: ax, y1: M.top, y2: H - M.bottom, class: "as-of-marker" }, g);
      svg("text", { x: ax + 4, y: M.top + 10, class: "as-of-label" }, g).textContent = fmtDate(asOf, false);
    }
    this.markOffset = dayOf(markerStart);
    this.marker = svg("line", { class: "day-marker", y1: M.top, y2: H - M.bottom }, this.node);
    this.mark(day);
    return quantities.map((q, i) => ({ quantity: q, colour: OBSERVATION_COLOURS[i % OBSERVATION_COLOURS.length] }));
  }

  mark(day) {
    if (!this.marker) return;
    const x = this.x(day + this.markOffset);
    this.marker.setAttribute("x1", x);
    this.marker.setAttribute("x2", x);
  }
}
