// Small helpers shared by the panels: requests, SVG elements, number formats.

import { currentLanguage } from "./i18n.js";

export const SVG = "http://www.w3.org/2000/svg";

// Every request says the page's language, so the server's error details come in it.
export async function getJSON(url, options = {}) {
  const headers = new Headers(options.headers || {});
  if (!headers.has("Accept-Language")) headers.set("Accept-Language", currentLanguage());
  const response = await fetch(url, { ...options, headers });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
    throw new Error(detail);
  }
  return body;
}

export function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

export function html(tag, attrs = {}, text = null, parent = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// numbers in the page's language (i18n.js)
export { fmt } from "./i18n.js";

export function options(select, values, labelOf = (v) => v, keep = true) {
  const previous = select.value;
  clear(select);
  for (const v of values) html("option", { value: v }, labelOf(v), select);
  if (keep && values.includes(previous)) select.value = previous;
}

// Round numbers for an axis: about `count` ticks from 0 to max.
export function niceTicks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const step = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => s >= raw);
  const ticks = [];
  for (let t = 0; t <= max + unit * 0.999; t += unit) ticks.push(t);
  return ticks;
}
