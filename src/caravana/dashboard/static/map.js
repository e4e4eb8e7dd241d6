// The map: bundled country shapes and borders, routes, places sized by the people
// staying there, and each caravan's column from tail to head, for one day at a time.
import { svg, clear, fmt } from "./util.js";
import { _, n_, capitalised, caravanName, placeName } from "./i18n.js";

const WIDTH = 1000;
const MAX_RADIUS = 26;
const LABEL_PX = 11; // labels' size on the screen, whatever the zoom and the screen's width
const BUSIEST = 6; // labelled besides the key places: the day's busiest
// Where a label may go around its circle (as fractions of the radius, text box [left, baseline]):
// right, left, above right, below right, above left, below left, above, below.
const SPOTS = [[1, 0, 0], [-1, 0, -1], [0.7, -0.7, 0], [0.7, 0.7, 0], [-0.7, -0.7, -1], [-0.7, 0.7, -1],
  [0, -1, -0.5], [0, 1, -0.5]];

export class MapView {
  constructor(node, borders, onPick) {
    this.node = node;
    this.onPick = onPick;
    const [west, south, east, north] = borders.bbox;
    this.k = Math.cos(((south + north) / 2) * (Math.PI / 180));
    this.scale = WIDTH / ((east - west) * this.k);
    this.west = west;
    this.north = north;
    this.full = [0, 0, WIDTH, (north - south) * this.scale];
    this.drawBase(borders);
    this.enableZoom();
  }

  // Wheel zooms around the pointer, dragging pans, a double click goes back to the run's extent.
  enableZoom() {
    const box = () => this.node.getAttribute("viewBox").split(" ").map(Number);
    const toMap = (event) => {
      const [x, y, w, h] = box();
      const r = this.node.getBoundingClientRect();
      return [x + ((event.clientX - r.left) / r.width) * w, y + ((event.clientY - r.top) / r.height) * h];
    };
    this.node.addEventListener("wheel", (event) => {
      event.preventDefault();
      const [x, y, w, h] = box();
      const [px, py] = toMap(event);
      const f = event.deltaY > 0 ? 1.25 : 0.8;
      if (w * f < 40 || w * f > this.full[2] * 1.5) return;
      this.node.setAttribute("viewBox", `${px - (px - x) * f} ${py - (py - y) * f} ${w * f} ${h * f}`);
      this.drawKey();
      this.placeLabels();
    }, { passive: false });
    let drag = null;
    this.node.addEventListener("pointerdown", (event) => {
      drag = { start: toMap(event), box: box() };
    });
    this.node.addEventListener("pointermove", (event) => {
      if (!drag || !(event.buttons & 1)) return;
      const [px, py] = toMap(event);
      const [x, y, w, h] = box();
      this.node.setAttribute("viewBox", `${x - (px - drag.start[0])} ${y - (py - drag.start[1])} ${w} ${h}`);
    });
    this.node.addEventListener("pointerup", () => { drag = null; });
    this.node.addEventListener("dblclick", () => {
      this.node.setAttribute("viewBox", this.home.join(" "));
      this.placeLabels();
    });
    window.addEventListener("resize", () => this.placeLabels());
  }

  xy(lat, lon) {
    return [(lon - this.west) * this.k * this.scale, (this.north - lat) * this.scale];
  }

  pathOf(points, closed) {
    // points: [[lon, lat], ...]
    const parts = points.map(([lon, lat], i) => {
      const [x, y] = this.xy(lat, lon);
      return `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    });
    return parts.join("") + (closed ? "Z" : "");
  }

  drawBase(borders) {
    clear(this.node);
    this.node.setAttribute("viewBox", this.full.join(" "));
    svg("rect", { class: "sea", x: 0, y: 0, width: this.full[2], height: this.full[3] }, this.node);
    const land = svg("g", { class: "land-layer" }, this.node);
    for (const country of borders.countries) {
      const d = country.rings.map((r) => this.pathOf(r, true)).join("");
      const path = svg("path", { class: "land", d, "fill-rule": "evenodd" }, land);
      svg("title", {}, path).textContent = country.name;
    }
    const lines = svg("g", { class: "border-layer" }, this.node);
    for (const line of borders.borders) {
      svg("path", { class: "border", d: this.pathOf(line, false), "vector-effect": "non-scaling-stroke" }, lines);
    }
    this.routeLayer = svg("g", { class: "route-layer" }, this.node);
    this.placeLayer = svg("g", { class: "place-layer" }, this.node);
    this.caravanLayer = svg("g", { class: "caravan-layer" }, this.node);
    this.labelLayer = svg("g", { class: "label-layer" }, this.node);
  }

  // The roads a caravan may take from its first fork to each destination it may choose, dashed,
  // under the roads taken; one line per road, titled with every caravan that may take it.
  drawForkRoads(caravan, roads, drawn) {
    for (const [destination, road] of Object.entries(roads)) {
      const d = this.pathOf(road.lat.map((lat, i) => [road.lon[i], lat]), false);
      if (!drawn.has(d)) {
        const path = svg("path", { class: "fork-road", d, "vector-effect": "non-scaling-stroke",
          "data-destination": destination }, this.routeLayer);
        drawn.set(d, { path, title: svg("title", {}, path), caravans: [], destination });
      }
      const line = drawn.get(d);
      line.caravans.push(caravan);
      line.path.dataset.caravans = line.caravans.join("\n");
    }
  }

  // The places' names in the page's language (again after a language switch), and their widths.
  nameLabels() {
    this.labels.forEach((t, i) => { if (t) t.textContent = placeName(this.frames.places[i]); });
    this.labelWidth = this.measureLabels();
    for (const line of this.forkRoads) {
      line.title.textContent = _("{caravan}: the road to {destination}, if chosen at its first fork",
        { caravan: capitalised(line.caravans.map(caravanName).join(", ")), destination: placeName(line.destination) });
    }
  }

  // summary: GET /api/runs/{id}; frames: GET /api/runs/{id}/map
  setRun(summary, frames) {
    for (const layer of [this.routeLayer, this.caravanLayer, this.placeLayer, this.labelLayer]) clear(layer);
    this.frames = frames;
    const geo = new Map(summary.places.filter((p) => p.lat !== undefined).map((p) => [p.name, p]));
    this.placesXY = frames.places.map((name) => (geo.has(name) ? this.xy(geo.get(name).lat, geo.get(name).lon) : null));
    this.zoomTo(this.placesXY.filter(Boolean), frames.caravans);
    for (const [i, j] of frames.routes) {
      const a = this.placesXY[i];
      const b = this.placesXY[j];
      if (a && b) svg("line", { class: "route", x1: a[0], y1: a[1], x2: b[0], y2: b[1], "vector-effect": "non-scaling-stroke" }, this.routeLayer);
    }
    const maxCount = Math.max(1, ...frames.staying.map((row) => Math.max(...row)));
    this.unit = this.home[2] / WIDTH; // sizes follow the zoom, so a small region is not all circles
    this.radiusPerRoot = ((MAX_RADIUS - 2) * this.unit) / Math.sqrt(maxCount);
    this.circles = frames.places.map((name, i) => {
      const p = this.placesXY[i];
      if (!p) return null;
      const c = svg("circle", { class: "place", cx: p[0], cy: p[1], r: 2, "data-place": name }, this.placeLayer);
      c.addEventListener("click", () => this.onPick(name));
      c.appendChild(svg("title"));
      return c;
    });
    this.labels = frames.places.map((name, i) => {
      const p = this.placesXY[i];
      if (!p) return null;
      const t = svg("text", { class: "label", x: p[0], y: p[1], "data-place": name }, this.labelLayer);
      return t;
    });
    this.key = (frames.key_places || []).map((name) => frames.places.indexOf(name)).filter((i) => i >= 0);
    const forks = new Map(); // a road several caravans may take is drawn once
    this.caravans = frames.caravans.map((c, k) => {
      const g = svg("g", { class: "caravan", "data-caravan": c.name }, this.caravanLayer);
      this.drawForkRoads(c.name, (frames.fork_roads || {})[c.name] || {}, forks);
      if (c.road) {
        const road = c.road.lat.map((lat, i) => [c.road.lon[i], lat]);
        svg("path", { class: "road", d: this.pathOf(road, false), "vector-effect": "non-scaling-stroke" }, g);
      }
      return {
        line: svg("path", { class: "caravan-line", id: `caravan-${k}-line` }, g),
        tail: svg("circle", { class: "caravan-tail", id: `caravan-${k}-tail`, r: 4 * this.unit }, g),
        head: svg("circle", { class: "caravan-head", id: `caravan-${k}-head`, r: 6 * this.unit }, g),
      };
    });
    this.forkRoads = [...forks.values()];
    this.nameLabels();
  }

  zoomTo(points, caravans) {
    for (const c of caravans) {
      if (c.road) c.road.lat.forEach((lat, i) => points.push(this.xy(lat, c.road.lon[i])));
    }
    if (!points.length) {
      this.home = this.full;
      this.node.setAttribute("viewBox", this.full.join(" "));
      return;
    }
    // 1.5 degrees around everything; not clipped to the bundled borders, so places
    // outside them (a Flee scenario in Africa) still show, on a plain background.
    const pad = 1.5 * this.scale;
    const x0 = Math.min(...points.map((p) => p[0])) - pad;
    const x1 = Math.max(...points.map((p) => p[0])) + pad;
    let y0 = Math.min(...points.map((p) => p[1])) - pad;
    let y1 = Math.max(...points.map((p) => p[1])) + pad;
    // keep a landscape shape so the panel does not grow tall
    const minHeight = (x1 - x0) * 0.62;
    if (y1 - y0 < minHeight) {
      const grow = (minHeight - (y1 - y0)) / 2;
      y0 -= grow;
      y1 += grow;
    }
    this.home = [x0, y0, x1 - x0, y1 - y0];
    this.node.setAttribute("viewBox", this.home.join(" "));
  }

  // Each label's width for a font size of 1 (measured once: a hidden text has no width).
  measureLabels() {
    return this.labels.map((t) => {
      if (!t) return 0;
      t.setAttribute("font-size", 100);
      t.classList.add("shown");
      const w = t.getComputedTextLength() / 100;
      t.classList.remove("shown");
      return w;
    });
  }

  // Labels for the key places and the day's busiest, in that order of priority (busiest
  // first within each), each put at the first spot around its circle where it overlaps no
  // label already placed and stays in view, else left out: a narrow screen shows fewer.
  placeLabels() {
    if (!this.frames || this.day === undefined) return;
    const [vx, vy, vw, vh] = this.node.getAttribute("viewBox").split(" ").map(Number);
    const px = this.node.getBoundingClientRect().width / vw; // screen pixels per map unit
    if (!(px > 0)) return;
    const size = LABEL_PX / px;
    const row = this.frames.staying[this.day];
    const busiest = (a, b) => row[b] - row[a];
    const others = row.map((n, i) => i).filter((i) => row[i] > 0 && !this.key.includes(i)).sort(busiest);
    const order = [...[...this.key].sort(busiest), ...others.slice(0, BUSIEST)];
    const boxes = [];
    const free = (b) => b[0] >= vx && b[2] <= vx + vw && b[1] >= vy && b[3] <= vy + vh &&
      !boxes.some((o) => b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]);
    for (const t of this.labels) if (t) t.classList.remove("shown");
    for (const i of order) {
      const t = this.labels[i];
      const c = this.circles[i];
      if (!t || !c) continue;
      const [cx, cy] = this.placesXY[i];
      const r = Number(c.getAttribute("r")) + 2 / px;
      const w = this.labelWidth[i] * size;
      for (const [dx, dy, align] of SPOTS) {
        const left = cx + dx * r + align * w;
        // beside the circle: centred on it; above: the text's foot on the circle; below: its top
        const base = cy + dy * r + (dy > 0 ? 0.8 * size : dy < 0 ? -0.25 * size : 0.3 * size);
        const box = [left - 1 / px, base - 0.95 * size, left + w + 1 / px, base + 0.3 * size]; // the font's ascent and descent
        if (!free(box)) continue;
        boxes.push(box);
        t.setAttribute("x", left.toFixed(2));
        t.setAttribute("y", base.toFixed(2));
        t.setAttribute("font-size", size.toFixed(3));
        t.setAttribute("stroke-width", (3 / px).toFixed(3));
        t.classList.add("shown");
        break;
      }
    }
  }

  // Below the map: what a circle's size means and a distance scale, both at the map's current zoom.
  drawKey() {
    const key = document.getElementById("map-key");
    if (!key || !this.frames) return;
    clear(key);
    const [, , w] = this.node.getAttribute("viewBox").split(" ").map(Number);
    const px = this.node.getBoundingClientRect().width / w; // screen pixels per map unit
    const maxCount = Math.max(1, ...this.frames.staying.flat());
    const counts = [100, 1000, 5000].filter((n) => n <= maxCount * 1.5);
    let x = 4;
    for (const n of counts) {
      const r = (2 * this.unit + Math.sqrt(n) * this.radiusPerRoot) * px;
      svg("circle", { class: "place", cx: x + r, cy: 22, r: r.toFixed(1) }, key);
      svg("text", { x: x + 2 * r + 3, y: 26, "font-size": 11 }, key).textContent = `${fmt(n)}`;
      x += 2 * r + 44;
    }
    const label = svg("text", { x, y: 26, "font-size": 11 }, key);
    label.textContent = _("people staying");
    x += (label.getComputedTextLength() || 100) + 16; // the words' own width: Spanish ones are longer
    const kmPerUnit = 111.2 / this.scale; // one degree of latitude is 111.2 km
    const target = 80 / px * kmPerUnit; // about 80 px of screen
    const km = [10, 20, 50, 100, 200, 500, 1000].find((k) => k >= target * 0.6) || 1000;
    const len = (km / kmPerUnit) * px;
    svg("path", { d: `M${x},30 v-5 M${x},30 h${len.toFixed(1)} v-5`, stroke: "#495057", fill: "none" }, key);
    svg("text", { x, y: 20, "font-size": 11 }, key).textContent = `${fmt(km)} km`;
    key.setAttribute("width", Math.ceil(x + len + 8));
  }

  show(day) {
    this.drawKey();
    const row = this.frames.staying[day];
    this.day = day;
    this.circles.forEach((c, i) => {
      if (!c) return;
      const n = row[i];
      c.setAttribute("r", (n > 0 ? 2 * this.unit + Math.sqrt(n) * this.radiusPerRoot : 1.6 * this.unit).toFixed(2));
      c.classList.toggle("empty", n === 0);
      c.firstChild.textContent = n_("{place}: {n} staying", "{place}: {n} staying", n, { place: placeName(this.frames.places[i]), n: fmt(n) });
    });
    this.placeLabels();
    const lines = [];
    this.frames.caravans.forEach((c, k) => {
      const f = c.days[day];
      const shapes = this.caravans[k];
      const visible = f && f.head.lat !== null && f.size + f.arrived > 0;
      for (const s of Object.values(shapes)) s.classList.toggle("hidden", !visible);
      if (!visible) return;
      shapes.line.setAttribute("d", this.pathOf(f.path.map(([lat, lon]) => [lon, lat]), false));
      const [hx, hy] = this.xy(f.head.lat, f.head.lon);
      const [tx, ty] = this.xy(f.tail.lat, f.tail.lon);
      shapes.head.setAttribute("cx", hx.toFixed(1));
      shapes.head.setAttribute("cy", hy.toFixed(1));
      shapes.tail.setAttribute("cx", tx.toFixed(1));
      shapes.tail.setAttribute("cy", ty.toFixed(1));
      lines.push(_("{caravan}: {n} on the road, head at {head} (km {head_km}), tail at {tail} (km {tail_km}), {length} km long",
        { caravan: capitalised(caravanName(c.name)), n: fmt(f.size), head: placeName(f.head.place), head_km: fmt(f.head.km),
          tail: placeName(f.tail.place),
          tail_km: fmt(f.tail.km), length: fmt(f.head.km - f.tail.km) }) +
        (f.arrived ? "; " + n_("{n} arrived", "{n} arrived", f.arrived, { n: fmt(f.arrived) }) : ""));
    });
    return lines;
  }
}
