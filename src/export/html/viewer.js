// entgraph viewer: a force-directed view of an entity co-occurrence graph, with a side panel
// (entity and link details, evidence) and a reading view of the documents.
//
// Written for entgraph; no third-party code, no network requests. The layout runs in slices
// of each animation frame (Barnes–Hut repulsion above 600 linked nodes), so the page paints at
// once and keeps settling while it is shown. All data comes from the JSON block
// #entgraph-data and is untrusted: it is only ever rendered with textContent /
// createTextNode, never parsed as markup.
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("entgraph-data").textContent);
  const nodes = DATA.nodes;
  const edges = DATA.edges;
  const docs = DATA.documents;
  const meta = DATA.meta;
  const N = nodes.length;
  const M = edges.length;

  // ---------------------------------------------------------------------------------------
  // Small DOM helpers: every string becomes a text node.

  function el(tag, props) {
    const e = document.createElement(tag);
    if (props) {
      for (const k of Object.keys(props)) {
        const v = props[k];
        if (k === "on") {
          for (const ev of Object.keys(v)) e.addEventListener(ev, v[ev]);
        } else if (k === "style") {
          for (const p of Object.keys(v)) e.style.setProperty(p, v[p]);
        } else if (k === "text") {
          e.textContent = v;
        } else {
          e[k] = v;
        }
      }
    }
    for (let i = 2; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }

  function append(parent, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) {
      for (const x of c) append(parent, x);
    } else if (typeof c === "string" || typeof c === "number") {
      parent.appendChild(document.createTextNode(String(c)));
    } else {
      parent.appendChild(c);
    }
  }

  function clear(e) {
    while (e.firstChild) e.removeChild(e.firstChild);
  }

  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    const s = a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
    return s.replace(/\.?0+$/, "");
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // ---------------------------------------------------------------------------------------
  // Types and colours: the Okabe–Ito palette, which stays distinct for colour-blind readers.

  // The type styles come from the page data (entgraph's one table, which the DOT export and
  // the report read too), so the page and the pictures always agree.
  const TYPE_ORDER = DATA.types.map((t) => t.type);
  const TYPE_COLOR = Object.fromEntries(DATA.types.map((t) => [t.type, t.color]));
  const TYPE_NAME = Object.fromEntries(DATA.types.map((t) => [t.type, t.name]));
  const OTHER_COLOR = DATA.other_color;
  const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const colorOf = (kind) => (has(TYPE_COLOR, kind) ? TYPE_COLOR[kind] : OTHER_COLOR);

  const kindCount = new Map();
  for (const n of nodes) kindCount.set(n.kind, (kindCount.get(n.kind) || 0) + 1);
  const kinds = Array.from(kindCount.keys()).sort((a, b) => {
    const ia = TYPE_ORDER.indexOf(a);
    const ib = TYPE_ORDER.indexOf(b);
    if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const kindEnabled = new Map(kinds.map((k) => [k, true]));

  // Communities, when the page data gives nodes a `community` (an integer): the largest get
  // the colours of COMMUNITY_COLORS, in order of size (then id), the rest one grey.
  const COMMUNITY_COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#8cd17d"];
  const COMMUNITY_OTHER = "#c3c8d0";
  const communityOf = (i) => (Number.isInteger(nodes[i].community) ? nodes[i].community : -1);
  const communitySize = new Map();
  for (let i = 0; i < N; i++) if (communityOf(i) >= 0) communitySize.set(communityOf(i), (communitySize.get(communityOf(i)) || 0) + 1);
  const communities = Array.from(communitySize.keys()).sort((a, b) => communitySize.get(b) - communitySize.get(a) || a - b);
  const communityColor = new Map(communities.slice(0, COMMUNITY_COLORS.length).map((c, r) => [c, COMMUNITY_COLORS[r]]));
  let colorBy = "type";
  const nodeColor = (i) => (colorBy === "community" ? communityColor.get(communityOf(i)) || COMMUNITY_OTHER : colorOf(nodes[i].kind));

  // ---------------------------------------------------------------------------------------
  // Graph structure.

  const src = new Int32Array(M);
  const tgt = new Int32Array(M);
  const adj = Array.from({ length: N }, () => []);
  edges.forEach((e, i) => {
    src[i] = e.source;
    tgt[i] = e.target;
    adj[e.source].push(i);
    adj[e.target].push(i);
  });
  const weightOf = (e) => (typeof edges[e].weight === "number" && isFinite(edges[e].weight) ? edges[e].weight : 0);
  let wMin = Infinity;
  let wMax = -Infinity;
  for (let e = 0; e < M; e++) {
    wMin = Math.min(wMin, weightOf(e));
    wMax = Math.max(wMax, weightOf(e));
  }
  const wNorm = new Float64Array(M);
  for (let e = 0; e < M; e++) wNorm[e] = wMax > wMin ? (weightOf(e) - wMin) / (wMax - wMin) : 1;
  const other = (e, i) => (src[e] === i ? tgt[e] : src[e]);

  // Nodes without any link take no part in the simulation: they are laid out in a compact
  // block beside the graph (placeIsolated) instead of a ring around it.
  const isolated = [];
  const active = [];
  for (let i = 0; i < N; i++) (adj[i].length ? active : isolated).push(i);

  // Partners of each node, strongest first.
  function partnersOf(i) {
    return adj[i].slice().sort((a, b) => {
      return weightOf(b) - weightOf(a) || edges[b].count - edges[a].count || other(a, i) - other(b, i);
    });
  }

  // Per node, the embedded documents that mention it: [[docIndex, count], …].
  const docsOfNode = Array.from({ length: N }, () => []);
  docs.forEach((d, di) => {
    const counts = new Map();
    for (const m of d.mentions) {
      if (typeof m.node === "number") counts.set(m.node, (counts.get(m.node) || 0) + 1);
    }
    for (const [n, c] of counts) docsOfNode[n].push([di, c]);
  });
  const docIndex = new Map();
  docs.forEach((d, i) => {
    if (!docIndex.has(d.id)) docIndex.set(d.id, i);
  });
  const nodeIndex = new Map();
  nodes.forEach((n, i) => nodeIndex.set(n.id, i));

  // Nodes by PageRank, highest first (the order labels are placed in), and each node's rank
  // (1 = highest).
  const prOrder = Array.from({ length: N }, (_, i) => i).sort((a, b) => nodes[b].pagerank - nodes[a].pagerank || a - b);
  const prRank = new Int32Array(N);
  prOrder.forEach((n, r) => (prRank[n] = r + 1));

  // ---------------------------------------------------------------------------------------
  // Sizes.

  const R_MIN = 4;
  const R_MAX = 24;
  const radius = new Float64Array(N);
  let sizeBy = "mentions";

  function computeRadii() {
    const val = (n) => (sizeBy === "pagerank" ? n.pagerank : n.mentions) || 0;
    let max = 0;
    for (const n of nodes) max = Math.max(max, val(n));
    for (let i = 0; i < N; i++) {
      radius[i] = R_MIN + (R_MAX - R_MIN) * (max > 0 ? Math.sqrt(val(nodes[i]) / max) : 0);
    }
  }
  computeRadii();

  // Plain edges get fainter as they get more numerous, so dense graphs do not turn grey.
  const EDGE_COLOR = "rgba(105,115,130," + Math.max(0.06, Math.min(0.4, 0.4 * Math.sqrt(250 / Math.max(1, M)))).toFixed(3) + ")";
  const edgeWidth = (e) => 0.8 + 5.2 * Math.sqrt(wNorm[e]);
  // Plain edges are stroked in one path per width step (of half a unit), not one by one.
  const WIDTH_STEPS = 12;
  const edgeStep = new Uint8Array(M);
  for (let e = 0; e < M; e++) edgeStep[e] = Math.min(WIDTH_STEPS - 1, Math.round((edgeWidth(e) - 0.8) * 2));
  // Nodes are never drawn smaller than this many pixels across, whatever the zoom, so their
  // colours stay visible when a large graph is fitted in view.
  const NODE_MIN_PX = 3.5;

  // ---------------------------------------------------------------------------------------
  // Force-directed layout: repulsion (exact, or Barnes–Hut for large graphs), springs on
  // edges, a pull to the centre, collision, velocity damping and cooling. Initial positions
  // are on a golden-angle spiral by node index, and nothing is random, so the same graph
  // always gets the same picture.

  const x = new Float64Array(N);
  const y = new Float64Array(N);
  const vx = new Float64Array(N);
  const vy = new Float64Array(N);
  const pinned = new Uint8Array(N);
  const pinX = new Float64Array(N);
  const pinY = new Float64Array(N);
  const GOLDEN = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < N; i++) {
    const r = 18 * Math.sqrt(i + 0.5);
    x[i] = r * Math.cos(i * GOLDEN);
    y[i] = r * Math.sin(i * GOLDEN);
  }

  const ALPHA_MIN = 0.001;
  const ALPHA_DECAY = 1 - Math.pow(ALPHA_MIN, 1 / 300);
  const VELOCITY_KEEP = 0.6;
  const GRAVITY = 0.07;
  const THETA2 = 0.81;
  const DIST_MIN2 = 1;
  const COLLIDE_PAD = 5;
  let alpha = 1;
  let alphaTarget = 0;
  let ticks = 0; // layout steps taken so far
  const ISOLATED_CELL = 16;

  const charge = new Float64Array(N);
  const linkStrength = new Float64Array(M);
  const linkBias = new Float64Array(M);

  function setupForces() {
    for (let i = 0; i < N; i++) charge[i] = -(40 + 7 * radius[i]);
    for (let e = 0; e < M; e++) {
      const ds = adj[src[e]].length;
      const dt = adj[tgt[e]].length;
      linkStrength[e] = (0.3 + 0.7 * wNorm[e]) / Math.min(ds, dt);
      linkBias[e] = ds / (ds + dt);
    }
  }
  setupForces();

  // A tiny deterministic offset to separate coincident points.
  const jiggle = (i) => ((((i + 1) * 2654435761) % 1000) / 1000 - 0.5) * 1e-3;

  function applyLinks() {
    for (let e = 0; e < M; e++) {
      const s = src[e];
      const t = tgt[e];
      if (s === t) continue;
      let dx = x[t] + vx[t] - x[s] - vx[s] || jiggle(e);
      let dy = y[t] + vy[t] - y[s] - vy[s] || jiggle(e + 7);
      let l = Math.sqrt(dx * dx + dy * dy);
      const rest = radius[s] + radius[t] + 40 + 40 * (1 - wNorm[e]);
      l = ((l - rest) / l) * alpha * linkStrength[e];
      dx *= l;
      dy *= l;
      const b = linkBias[e];
      vx[t] -= dx * b;
      vy[t] -= dy * b;
      vx[s] += dx * (1 - b);
      vy[s] += dy * (1 - b);
    }
  }

  function pairForce(i, j, dx, dy) {
    let d2 = dx * dx + dy * dy;
    if (d2 === 0) {
      dx = jiggle(i * 31 + j);
      dy = jiggle(j * 17 + i);
      d2 = dx * dx + dy * dy;
    }
    if (d2 < DIST_MIN2) d2 = Math.sqrt(DIST_MIN2 * d2);
    const f = (charge[j] * alpha) / d2;
    vx[i] += dx * f;
    vy[i] += dy * f;
  }

  function applyChargeExact() {
    for (const i of active) {
      for (const j of active) {
        if (i !== j) pairForce(i, j, x[j] - x[i], y[j] - y[i]);
      }
    }
  }

  function Cell(x0, y0, s) {
    this.x0 = x0;
    this.y0 = y0;
    this.s = s;
    this.kids = null;
    this.bodies = null;
    this.q = 0;
    this.w = 0;
    this.cx = 0;
    this.cy = 0;
  }

  function insert(c, i, depth) {
    for (;;) {
      if (c.kids === null) {
        if (c.bodies === null) {
          c.bodies = [i];
          return;
        }
        if (depth > 32) {
          c.bodies.push(i); // (nearly) coincident points share a leaf
          return;
        }
        const old = c.bodies;
        c.bodies = null;
        c.kids = [null, null, null, null];
        for (const b of old) insertKid(c, b, depth);
      }
      const h = c.s / 2;
      const k = (x[i] >= c.x0 + h ? 1 : 0) + (y[i] >= c.y0 + h ? 2 : 0);
      if (c.kids[k] === null) c.kids[k] = new Cell(c.x0 + (k & 1) * h, c.y0 + (k >> 1) * h, h);
      c = c.kids[k];
      depth++;
    }
  }

  function insertKid(c, i, depth) {
    const h = c.s / 2;
    const k = (x[i] >= c.x0 + h ? 1 : 0) + (y[i] >= c.y0 + h ? 2 : 0);
    if (c.kids[k] === null) c.kids[k] = new Cell(c.x0 + (k & 1) * h, c.y0 + (k >> 1) * h, h);
    insert(c.kids[k], i, depth + 1);
  }

  function accumulate(c) {
    let q = 0;
    let w = 0;
    let cx = 0;
    let cy = 0;
    if (c.kids === null) {
      for (const b of c.bodies) {
        const a = Math.abs(charge[b]);
        q += charge[b];
        w += a;
        cx += a * x[b];
        cy += a * y[b];
      }
    } else {
      for (const k of c.kids) {
        if (k === null) continue;
        accumulate(k);
        q += k.q;
        w += k.w;
        cx += k.w * k.cx;
        cy += k.w * k.cy;
      }
    }
    c.q = q;
    c.w = w;
    c.cx = w > 0 ? cx / w : c.x0 + c.s / 2;
    c.cy = w > 0 ? cy / w : c.y0 + c.s / 2;
  }

  function visit(c, i) {
    if (c.kids === null) {
      for (const b of c.bodies) {
        if (b !== i) pairForce(i, b, x[b] - x[i], y[b] - y[i]);
      }
      return;
    }
    const dx = c.cx - x[i];
    const dy = c.cy - y[i];
    const d2 = dx * dx + dy * dy;
    if (c.s * c.s < THETA2 * d2) {
      const f = (c.q * alpha) / Math.max(d2, DIST_MIN2);
      vx[i] += dx * f;
      vy[i] += dy * f;
      return;
    }
    for (const k of c.kids) if (k !== null) visit(k, i);
  }

  function applyChargeBarnesHut() {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const i of active) {
      x0 = Math.min(x0, x[i]);
      y0 = Math.min(y0, y[i]);
      x1 = Math.max(x1, x[i]);
      y1 = Math.max(y1, y[i]);
    }
    const root = new Cell(x0, y0, Math.max(x1 - x0, y1 - y0) + 1);
    for (const i of active) insert(root, i, 0);
    accumulate(root);
    for (const i of active) visit(root, i);
  }

  function applyGravity() {
    const g = GRAVITY * alpha;
    for (const i of active) {
      vx[i] -= x[i] * g;
      vy[i] -= y[i] * g;
    }
  }

  // The isolated nodes in a grid to the right of the linked ones: a block about three times
  // as tall as wide, at most as tall as the linked ones (a square when nothing is linked),
  // grouped by type, most mentioned first. Cells are at least ISOLATED_CELL wide, so the
  // nodes do not run together when drawn at their minimum size.
  const isolatedOrder = isolated.slice().sort((a, b) => {
    const ka = TYPE_ORDER.indexOf(nodes[a].kind);
    const kb = TYPE_ORDER.indexOf(nodes[b].kind);
    return (ka < 0 ? 99 : ka) - (kb < 0 ? 99 : kb) || nodes[b].mentions - nodes[a].mentions || a - b;
  });
  function placeIsolated() {
    const n = isolatedOrder.length;
    if (!n) return;
    let rMax = 0;
    for (const i of isolatedOrder) rMax = Math.max(rMax, radius[i]);
    const cell = Math.max(ISOLATED_CELL, 2 * rMax + COLLIDE_PAD);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const i of active) {
      x0 = Math.min(x0, x[i] - radius[i]);
      y0 = Math.min(y0, y[i] - radius[i]);
      x1 = Math.max(x1, x[i] + radius[i]);
      y1 = Math.max(y1, y[i] + radius[i]);
    }
    let rows;
    if (!isFinite(x0)) {
      rows = Math.ceil(Math.sqrt(n));
      x1 = -(Math.ceil(n / rows) * cell) / 2 - 3 * cell;
      y0 = -(rows * cell) / 2;
    } else {
      rows = Math.max(1, Math.min(n, Math.floor((y1 - y0) / cell), Math.ceil(Math.sqrt(3 * n))));
      y0 = (y0 + y1) / 2 - (rows * cell) / 2;
    }
    const left = x1 + 3 * cell;
    isolatedOrder.forEach((i, k) => {
      if (pinned[i]) return;
      x[i] = left + Math.floor(k / rows) * cell + cell / 2;
      y[i] = y0 + (k % rows) * cell + cell / 2;
      vx[i] = 0;
      vy[i] = 0;
    });
  }

  // Overlapping nodes (plus padding) are pushed apart, the smaller one more; a uniform grid
  // finds the candidate pairs.
  function applyCollide() {
    let rMax = 0;
    for (let i = 0; i < N; i++) rMax = Math.max(rMax, radius[i]);
    const cell = 2 * rMax + COLLIDE_PAD;
    const grid = new Map();
    const key = (cx, cy) => cx * 1048576 + cy;
    for (const i of active) {
      const k = key(Math.floor(x[i] / cell), Math.floor(y[i] / cell));
      const list = grid.get(k);
      if (list) list.push(i);
      else grid.set(k, [i]);
    }
    for (const i of active) {
      const cx = Math.floor(x[i] / cell);
      const cy = Math.floor(y[i] / cell);
      for (let gx = cx - 1; gx <= cx + 1; gx++) {
        for (let gy = cy - 1; gy <= cy + 1; gy++) {
          const list = grid.get(key(gx, gy));
          if (!list) continue;
          for (const j of list) {
            if (j <= i) continue;
            const rr = radius[i] + radius[j] + COLLIDE_PAD;
            let dx = x[j] + vx[j] - x[i] - vx[i];
            let dy = y[j] + vy[j] - y[i] - vy[i];
            let d2 = dx * dx + dy * dy;
            if (d2 >= rr * rr) continue;
            if (d2 === 0) {
              dx = jiggle(i + j);
              dy = jiggle(i * j + 3);
              d2 = dx * dx + dy * dy;
            }
            const l = Math.sqrt(d2);
            const m = ((rr - l) / l) * 0.7;
            const ri = radius[i] * radius[i];
            const rj = radius[j] * radius[j];
            const share = rj / (ri + rj);
            vx[i] -= dx * m * share;
            vy[i] -= dy * m * share;
            vx[j] += dx * m * (1 - share);
            vy[j] += dy * m * (1 - share);
          }
        }
      }
    }
  }

  function tick() {
    alpha += (alphaTarget - alpha) * ALPHA_DECAY;
    applyLinks();
    if (active.length <= 600) applyChargeExact();
    else applyChargeBarnesHut();
    applyGravity();
    applyCollide();
    for (const i of active) {
      if (pinned[i]) {
        x[i] = pinX[i];
        y[i] = pinY[i];
        vx[i] = 0;
        vy[i] = 0;
      } else {
        vx[i] *= VELOCITY_KEEP;
        vy[i] *= VELOCITY_KEEP;
        x[i] += vx[i];
        y[i] += vy[i];
      }
    }
    placeIsolated();
    ticks++;
  }

  // ---------------------------------------------------------------------------------------
  // State: filters, selection, search, view.

  const weightSteps = Array.from(new Set(Array.from({ length: M }, (_, e) => weightOf(e)))).sort((a, b) => a - b);
  let minWeight = weightSteps.length ? weightSteps[0] : 0;
  let selected = null; // {type: "node", i} | {type: "edge", e}
  let hovered = null; // same shape
  let matches = []; // node indexes matching the search, best first
  const matchSet = new Set();
  const view = { k: 1, tx: 0, ty: 0 };

// provisional:begin
  // Provisional entities (found by discovery, not in the gazetteer): "show", "hide" or "only".
  let provisionalFilter = "show";
  const provisionalShown = (i) => provisionalFilter === "show" || (provisionalFilter === "only") === (nodes[i].provisional === true);
  const nodeShown = (i) => kindEnabled.get(nodes[i].kind) !== false && provisionalShown(i);
// provisional:else
  const nodeShown = (i) => kindEnabled.get(nodes[i].kind) !== false;
// provisional:end
  const edgeVisible = (e) => nodeShown(src[e]) && nodeShown(tgt[e]) && weightOf(e) >= minWeight;
  // Once the minimum-weight slider is above its lowest step, a node left without a visible
  // link is hidden too (liveDegree: its visible links, kept by refilter()).
  const liveDegree = new Int32Array(N);
  let weightFiltering = false;
  const nodeVisible = (i) => nodeShown(i) && (!weightFiltering || liveDegree[i] > 0);

  // ---------------------------------------------------------------------------------------
  // Canvas.

  const canvas = document.getElementById("graph");
  const pane = document.getElementById("graph-pane");
  const ctx = canvas.getContext("2d");
  let W = 0;
  let H = 0;
  let dpr = 1;
  const FONT = getComputedStyle(document.documentElement).fontFamily || "sans-serif";

  function resize() {
    dpr = window.devicePixelRatio || 1;
    W = pane.clientWidth;
    H = pane.clientHeight;
    canvas.width = Math.max(1, Math.round(W * dpr));
    canvas.height = Math.max(1, Math.round(H * dpr));
  }

  const toScreenX = (wx) => wx * view.k + view.tx;
  const toScreenY = (wy) => wy * view.k + view.ty;
  const toWorldX = (sx) => (sx - view.tx) / view.k;
  const toWorldY = (sy) => (sy - view.ty) / view.k;
  // A node's radius as drawn and hit, in world units.
  const drawRadius = (i) => Math.max(radius[i], NODE_MIN_PX / 2 / view.k);

  // The nodes and edges in focus: the selection and its neighbourhood.
  function focus() {
    const fn = new Set();
    const fe = new Set();
    if (selected && selected.type === "node") {
      fn.add(selected.i);
      for (const e of adj[selected.i]) {
        if (!edgeVisible(e)) continue;
        fe.add(e);
        fn.add(other(e, selected.i));
      }
    } else if (selected && selected.type === "edge") {
      fe.add(selected.e);
      fn.add(src[selected.e]);
      fn.add(tgt[selected.e]);
    }
    return { nodes: fn, edges: fe, active: fn.size > 0 };
  }

  let drawOrder = Array.from({ length: N }, (_, i) => i); // small nodes first, big on top
  function sortDrawOrder() {
    drawOrder.sort((a, b) => radius[a] - radius[b] || b - a);
  }
  sortDrawOrder();

  const widthCache = new Map();
  function labelWidth(i, font) {
    const key = font + "\u0000" + i;
    let w = widthCache.get(key);
    if (w === undefined) {
      ctx.font = font;
      w = ctx.measureText(labelText(i)).width;
      widthCache.set(key, w);
    }
    return w;
  }
  function labelText(i) {
    const l = nodes[i].label;
    return l.length > 34 ? l.slice(0, 32) + "…" : l;
  }

  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    if (N === 0) {
      ctx.fillStyle = "#5d6776";
      ctx.font = "14px " + FONT;
      ctx.textAlign = "center";
      ctx.fillText("No entities in this graph.", W / 2, H / 2);
      document.body.dataset.nodesDrawn = "0";
      return;
    }
    const f = focus();
    const searching = !f.active && matches.length > 0;
    ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * view.tx, dpr * view.ty);
    ctx.lineCap = "round";

    // Edges: ordinary ones first (one path per width step), those in focus on top.
    const minW = 0.7 / view.k;
    const later = [];
    const paths = [];
    for (let k = 0; k < WIDTH_STEPS; k++) paths.push(new Path2D());
    for (let e = 0; e < M; e++) {
      if (!edgeVisible(e)) continue;
      if (f.edges.has(e) || (hovered && hovered.type === "edge" && hovered.e === e)) {
        later.push(e);
        continue;
      }
      const p = paths[edgeStep[e]];
      p.moveTo(x[src[e]], y[src[e]]);
      p.lineTo(x[tgt[e]], y[tgt[e]]);
    }
    ctx.strokeStyle = f.active ? "rgba(120,130,145,0.08)" : searching ? "rgba(120,130,145,0.16)" : EDGE_COLOR;
    for (let k = 0; k < WIDTH_STEPS; k++) {
      ctx.lineWidth = Math.max(0.8 + k / 2, minW);
      ctx.stroke(paths[k]);
    }
    for (const e of later) {
      const isSel = selected && selected.type === "edge" && selected.e === e;
      ctx.strokeStyle = isSel ? "rgba(20,25,35,0.9)" : "rgba(45,55,70,0.7)";
      ctx.lineWidth = Math.max(edgeWidth(e) + (isSel ? 1.5 : 0), minW * 2);
      ctx.beginPath();
      ctx.moveTo(x[src[e]], y[src[e]]);
      ctx.lineTo(x[tgt[e]], y[tgt[e]]);
      ctx.stroke();
    }

    // Nodes.
    let drawn = 0;
// provisional:begin
    let provisionalDrawn = 0;
// provisional:end
    const px = 1 / view.k;
    for (const i of drawOrder) {
      if (!nodeVisible(i)) continue;
      drawn++;
      const dim = (f.active && !f.nodes.has(i)) || (searching && !matchSet.has(i));
      const r = drawRadius(i);
      ctx.globalAlpha = dim ? (f.active ? 0.2 : 0.35) : 1;
      ctx.beginPath();
      ctx.arc(x[i], y[i], r, 0, 2 * Math.PI);
      ctx.fillStyle = nodeColor(i);
      ctx.fill();
      // A white rim separates overlapping circles; on tiny ones it would hide the colour.
      if (r * view.k >= 5) {
        ctx.lineWidth = 1.5 * px;
        ctx.strokeStyle = "#ffffff";
        ctx.stroke();
      }
// provisional:begin
      if (nodes[i].provisional) {
        // A dashed ring: a provisional entity.
        provisionalDrawn++;
        ctx.beginPath();
        ctx.arc(x[i], y[i], r + 1.5 * px, 0, 2 * Math.PI);
        ctx.lineWidth = 1.6 * px;
        ctx.strokeStyle = "#222222";
        ctx.setLineDash([3 * px, 2.5 * px]);
        ctx.stroke();
        ctx.setLineDash([]);
      }
// provisional:end
      ctx.globalAlpha = 1;
      const isSel = selected && selected.type === "node" && selected.i === i;
      const isHover = hovered && hovered.type === "node" && hovered.i === i;
      if (isSel || matchSet.has(i) || isHover) {
        ctx.beginPath();
        ctx.arc(x[i], y[i], r + 3 * px, 0, 2 * Math.PI);
        ctx.lineWidth = (isSel ? 3 : 2) * px;
        ctx.strokeStyle = isSel ? "#111111" : isHover ? "#444444" : "#111111";
        ctx.setLineDash(!isSel && !isHover ? [4 * px, 3 * px] : []);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }
    document.body.dataset.nodesDrawn = String(drawn);
    if (drawn > 0 && !document.body.dataset.firstPaintMs) {
      // Milliseconds from the start of navigation to the first frame with nodes in it.
      document.body.dataset.firstPaintMs = String(Math.round(performance.now()));
      document.body.dataset.firstPaintTicks = String(ticks);
    }
// provisional:begin
    document.body.dataset.provisionalDrawn = String(provisionalDrawn);
// provisional:end

    drawLabels(f, searching);
  }

  // Labels in screen space. The selection, its neighbours, search matches and the hovered node
  // come first, then the others by importance (PageRank): the LABEL_TOP first may cover small
  // nodes, the rest only where they fit clear of nodes and labels, and only once zoomed in
  // enough that their circle is LABEL_MIN_R pixels. Each label tries four spots around its
  // node (below, above, right, left) and is skipped if all overlap a placed label or a node.
  const LABEL_TOP = 30;
  const LABEL_MIN_R = 7.5;

  // Boxes in a uniform grid, to find overlaps quickly.
  function BoxGrid(cell) {
    this.cell = cell;
    this.map = new Map();
  }
  BoxGrid.prototype.cells = function (b, fn) {
    const c = this.cell;
    for (let gx = Math.floor(b[0] / c); gx <= Math.floor(b[2] / c); gx++) {
      for (let gy = Math.floor(b[1] / c); gy <= Math.floor(b[3] / c); gy++) {
        if (fn(gx * 1048576 + gy) === false) return false;
      }
    }
    return true;
  };
  BoxGrid.prototype.add = function (b) {
    this.cells(b, (k) => {
      const l = this.map.get(k);
      if (l) l.push(b);
      else this.map.set(k, [b]);
    });
  };
  BoxGrid.prototype.hits = function (b, ignore) {
    return !this.cells(b, (k) => {
      const l = this.map.get(k);
      if (!l) return true;
      for (const o of l) {
        if (o[4] !== ignore && b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]) return false;
      }
      return true;
    });
  };

  function drawLabels(f, searching) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    const labelGrid = new BoxGrid(64);
    const nodeGrid = new BoxGrid(64);
    const onScreen = (sx, sy, m) => sx > -m && sx < W + m && sy > -m && sy < H + m;
    for (let i = 0; i < N; i++) {
      if (!nodeVisible(i)) continue;
      const sx = toScreenX(x[i]);
      const sy = toScreenY(y[i]);
      const r = drawRadius(i) * view.k;
      if (onScreen(sx, sy, 100)) nodeGrid.add([sx - r, sy - r, sx + r, sy + r, i]);
    }
    const legend = document.getElementById("legend");
    if (legend) labelGrid.add([legend.offsetLeft, legend.offsetTop, legend.offsetLeft + legend.offsetWidth, legend.offsetTop + legend.offsetHeight, -1]);

    const priority = [];
    if (hovered && hovered.type === "node") priority.push(hovered.i);
    if (selected && selected.type === "node") priority.push(selected.i);
    for (const i of matches) priority.push(i);
    for (const i of Array.from(f.nodes).sort((a, b) => radius[b] - radius[a] || a - b)) priority.push(i);
    const must = new Set(priority);
    const order = Array.from(must);
    for (const i of prOrder) {
      if (!must.has(i)) order.push(i);
    }
    const budget = Math.max(20, Math.round((W * H) / 7000));
    let count = 0;
    let rank = 0;
    for (const i of order) {
      if (!nodeVisible(i)) continue;
      const forced = must.has(i);
      const top = !forced && rank++ < LABEL_TOP;
      const r = drawRadius(i) * view.k;
      if (!forced && ((!top && r < LABEL_MIN_R) || count >= budget)) continue;
      const sx = toScreenX(x[i]);
      const sy = toScreenY(y[i]);
      if (!onScreen(sx, sy, 40)) continue;
      const big = radius[i] >= 13;
      const size = big ? 13 : 12;
      const font = (big || forced ? "600 " : "") + size + "px " + FONT;
      const w = labelWidth(i, font);
      const h = size + 2;
      const d = r * 0.75;
      const spots = [
        [sx - w / 2, sy + r + 2],
        [sx - w / 2, sy - r - 2 - h],
        [sx + r + 4, sy - h / 2],
        [sx - r - 4 - w, sy - h / 2],
        [sx + d + 2, sy + d],
        [sx - d - 2 - w, sy + d],
        [sx + d + 2, sy - d - h],
        [sx - d - 2 - w, sy - d - h],
      ];
      const boxAt = ([lx, ly]) => {
        // Keep labels inside the canvas.
        const x0 = Math.max(4, Math.min(lx - 2, W - w - 8));
        return [x0, ly, x0 + w + 4, ly + h, i];
      };
      // Best: a spot clear of labels and nodes; for the top and forced labels, a spot clear of
      // labels (the halo keeps the text readable over a small node).
      let box = null;
      for (const spot of spots) {
        const b = boxAt(spot);
        if (!labelGrid.hits(b, i) && !nodeGrid.hits(b, i)) {
          box = b;
          break;
        }
      }
      if (!box && (top || forced)) {
        for (const spot of spots) {
          const b = boxAt(spot);
          if (!labelGrid.hits(b, i)) {
            box = b;
            break;
          }
        }
      }
      const isKey = (selected && selected.type === "node" && selected.i === i) || (hovered && hovered.type === "node" && hovered.i === i);
      if (!box) {
        if (!isKey) continue;
        box = boxAt(spots[0]);
      }
      labelGrid.add(box);
      count++;
      const dim = (f.active && !f.nodes.has(i)) || (searching && !matchSet.has(i));
      ctx.font = font;
      ctx.lineWidth = 3.5;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(labelText(i), box[0] + 2, box[1]);
      ctx.fillStyle = dim ? "rgba(28,35,48,0.45)" : "#1c2330";
      ctx.fillText(labelText(i), box[0] + 2, box[1]);
    }
  }

  let drawQueued = false;
  let running = false;
  function requestDraw() {
    if (drawQueued || running) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      draw();
    });
  }

  // The first layout runs in slices of FRAME_BUDGET_MS per animation frame (the page is drawn
  // after each), later reheats (dragging, a new size) one step per frame. Which steps are taken
  // never depends on time, only how many fit in a frame, so the settled layout is the same on
  // every machine. Until the user pans, zooms or picks something, the view keeps the graph
  // fitted while it spreads out.
  const FRAME_BUDGET_MS = 12;
  let settling = true;
  let autoFit = true;
  let follow = -1; // the node the view stays centred on while the layout settles
  const settled = () => alpha < ALPHA_MIN && alphaTarget === 0;

  function layoutSlice(budgetMs) {
    const until = performance.now() + budgetMs;
    do tick();
    while (!settled() && performance.now() < until);
  }

  function frame() {
    if (settled()) {
      running = false;
      if (settling) layoutDone();
      draw();
      return;
    }
    if (settling) layoutSlice(FRAME_BUDGET_MS);
    else tick();
    if (settling && autoFit) fitView();
    else if (settling && follow >= 0) centreOn(follow);
    draw();
    requestAnimationFrame(frame);
  }

  function layoutDone() {
    settling = false;
    if (autoFit) fitView();
    else if (follow >= 0) centreOn(follow);
    document.body.dataset.layout = "done";
    document.body.dataset.layoutTicks = String(ticks);
  }

  function reheat(a) {
    alpha = Math.max(alpha, a);
    if (!running) {
      running = true;
      requestAnimationFrame(frame);
    }
  }

  function fitView() {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < N; i++) {
      if (!nodeVisible(i)) continue;
      x0 = Math.min(x0, x[i] - radius[i]);
      y0 = Math.min(y0, y[i] - radius[i]);
      x1 = Math.max(x1, x[i] + radius[i]);
      y1 = Math.max(y1, y[i] + radius[i] + 16);
    }
    if (!isFinite(x0)) {
      view.k = 1;
      view.tx = W / 2;
      view.ty = H / 2;
      return;
    }
    const legend = document.getElementById("legend");
    const padL = Math.min(W / 3, (legend ? legend.offsetWidth : 0) + 36);
    const pad = 36;
    const aw = Math.max(50, W - padL - pad);
    const ah = Math.max(50, H - 2 * pad);
    view.k = Math.max(0.05, Math.min(2.5, aw / Math.max(1, x1 - x0), ah / Math.max(1, y1 - y0)));
    view.tx = padL + (aw - (x1 - x0) * view.k) / 2 - x0 * view.k;
    view.ty = pad + (ah - (y1 - y0) * view.k) / 2 - y0 * view.k;
  }

  // Centres the view on node i (zooming in to at least 1:1); while the layout settles, the
  // view follows it.
  function centreOn(i) {
    view.k = Math.max(view.k, 1);
    view.tx = W / 2 - x[i] * view.k;
    view.ty = H / 2 - y[i] * view.k;
    autoFit = false;
    follow = i;
  }

  // ---------------------------------------------------------------------------------------
  // Hit testing and pointer interaction.

  function nodeAt(sx, sy) {
    const wx = toWorldX(sx);
    const wy = toWorldY(sy);
    const slack = 3 / view.k;
    for (let d = drawOrder.length - 1; d >= 0; d--) {
      const i = drawOrder[d];
      if (!nodeVisible(i)) continue;
      const dx = wx - x[i];
      const dy = wy - y[i];
      const r = drawRadius(i) + slack;
      if (dx * dx + dy * dy <= r * r) return i;
    }
    return -1;
  }

  function edgeAt(sx, sy) {
    const wx = toWorldX(sx);
    const wy = toWorldY(sy);
    let best = -1;
    let bestD = Infinity;
    for (let e = 0; e < M; e++) {
      if (!edgeVisible(e)) continue;
      const ax = x[src[e]];
      const ay = y[src[e]];
      const bx = x[tgt[e]];
      const by = y[tgt[e]];
      const dx = bx - ax;
      const dy = by - ay;
      const l2 = dx * dx + dy * dy;
      let t = l2 > 0 ? ((wx - ax) * dx + (wy - ay) * dy) / l2 : 0;
      t = Math.max(0, Math.min(1, t));
      const px = ax + t * dx - wx;
      const py = ay + t * dy - wy;
      const d = Math.sqrt(px * px + py * py);
      const tol = Math.max(edgeWidth(e) / 2, 4 / view.k);
      if (d <= tol && d < bestD) {
        best = e;
        bestD = d;
      }
    }
    return best;
  }

  const tooltip = document.getElementById("tooltip");
  function showTooltip(sx, sy, text) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    const w = tooltip.offsetWidth;
    tooltip.style.left = Math.min(sx + 14, W - w - 6) + "px";
    tooltip.style.top = sy + 16 + "px";
  }

  let gesture = null; // {kind: "node"|"pan", i, x0, y0, moved, ...}

  function localPoint(ev) {
    const r = canvas.getBoundingClientRect();
    return [ev.clientX - r.left, ev.clientY - r.top];
  }

  canvas.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    const [sx, sy] = localPoint(ev);
    const i = nodeAt(sx, sy);
    canvas.setPointerCapture(ev.pointerId);
    canvas.classList.add("dragging");
    autoFit = false;
    follow = -1;
    tooltip.hidden = true;
    if (i >= 0) {
      gesture = { kind: "node", i, x0: sx, y0: sy, moved: false };
    } else {
      gesture = { kind: "pan", x0: sx, y0: sy, tx: view.tx, ty: view.ty, moved: false };
    }
  });

  canvas.addEventListener("pointermove", (ev) => {
    const [sx, sy] = localPoint(ev);
    if (gesture) {
      if (!gesture.moved && Math.hypot(sx - gesture.x0, sy - gesture.y0) < 3) return;
      gesture.moved = true;
      if (gesture.kind === "node") {
        const i = gesture.i;
        pinned[i] = 1;
        pinX[i] = toWorldX(sx);
        pinY[i] = toWorldY(sy);
        x[i] = pinX[i];
        y[i] = pinY[i];
        alphaTarget = 0.3;
        reheat(0.3);
      } else {
        view.tx = gesture.tx + sx - gesture.x0;
        view.ty = gesture.ty + sy - gesture.y0;
        requestDraw();
      }
      return;
    }
    const i = nodeAt(sx, sy);
    const e = i < 0 ? edgeAt(sx, sy) : -1;
    const next = i >= 0 ? { type: "node", i } : e >= 0 ? { type: "edge", e } : null;
    const same =
      (next === null && hovered === null) ||
      (next && hovered && next.type === hovered.type && next.i === hovered.i && next.e === hovered.e);
    if (!same) {
      hovered = next;
      canvas.classList.toggle("over", next !== null);
      requestDraw();
    }
    if (i >= 0) {
      const n = nodes[i];
// provisional:begin
      showTooltip(sx, sy, n.label + " · " + n.kind + (n.provisional ? " · provisional" : "") + " · " + plural(n.mentions, "mention", "mentions"));
// provisional:else
      showTooltip(sx, sy, n.label + " · " + n.kind + " · " + plural(n.mentions, "mention", "mentions"));
// provisional:end
    } else if (e >= 0) {
      showTooltip(
        sx,
        sy,
        nodes[src[e]].label + " — " + nodes[tgt[e]].label + " · weight " + fmt(weightOf(e)) + " · " + plural(edges[e].count, "window", "windows")
      );
    } else {
      tooltip.hidden = true;
    }
  });

  function endGesture(ev, cancelled) {
    if (!gesture) return;
    const g = gesture;
    gesture = null;
    canvas.classList.remove("dragging");
    if (g.kind === "node") {
      pinned[g.i] = 0;
      alphaTarget = 0;
    }
    if (cancelled || g.moved) return;
    const [sx, sy] = localPoint(ev);
    if (g.kind === "node") {
      selectNode(g.i, { tab: "details" });
    } else {
      const e = edgeAt(sx, sy);
      if (e >= 0) selectEdge(e);
      else clearSelection();
    }
  }
  canvas.addEventListener("pointerup", (ev) => endGesture(ev, false));
  canvas.addEventListener("pointercancel", (ev) => endGesture(ev, true));
  canvas.addEventListener("pointerleave", () => {
    if (!gesture && hovered) {
      hovered = null;
      tooltip.hidden = true;
      requestDraw();
    }
  });

  canvas.addEventListener(
    "wheel",
    (ev) => {
      ev.preventDefault();
      autoFit = false;
      follow = -1;
      const [sx, sy] = localPoint(ev);
      const delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
      const k = Math.max(0.05, Math.min(12, view.k * Math.exp(-delta * 0.0015)));
      view.tx = sx - (sx - view.tx) * (k / view.k);
      view.ty = sy - (sy - view.ty) * (k / view.k);
      view.k = k;
      tooltip.hidden = true;
      requestDraw();
    },
    { passive: false }
  );

  // ---------------------------------------------------------------------------------------
  // Toolbar: search, size, minimum weight, fit; legend with type filters.

  const searchInput = document.getElementById("search");
  const searchCount = document.getElementById("search-count");

  const fold = (s) =>
    String(s)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[\u2019']/g, "'")
      .trim();
  const searchKeys = nodes.map((n) => {
    const keys = [fold(n.label), fold(n.id)];
    for (const [surface] of n.aliases) keys.push(fold(surface));
    return keys;
  });

  function searchNodes(q) {
    const f = fold(q);
    if (!f) return [];
    const scored = [];
    for (let i = 0; i < N; i++) {
      let best = 9;
      for (const k of searchKeys[i]) {
        let s = 9;
        if (k === f) s = 0;
        else if (k.startsWith(f)) s = 1;
        else if (k.includes(" " + f) || k.includes("-" + f)) s = 2;
        else if (k.includes(f)) s = 3;
        best = Math.min(best, s);
      }
      if (best < 9) scored.push([best, i]);
    }
    scored.sort((a, b) => a[0] - b[0] || nodes[b[1]].mentions - nodes[a[1]].mentions || a[1] - b[1]);
    return scored.map((s) => s[1]);
  }

  // Runs a search: highlights matches, centres the view on the first, and (select) opens it.
  function runSearch(q, select) {
    matches = searchNodes(q);
    matchSet.clear();
    for (const i of matches) matchSet.add(i);
    document.body.dataset.searchResult = matches.map((i) => nodes[i].id).join(",");
    searchCount.textContent = fold(q) ? (matches.length ? plural(matches.length, "match", "matches") : "no match") : "";
    if (matches.length) {
      const first = matches[0];
      if (!nodeVisible(first)) enableKind(nodes[first].kind);
// provisional:begin
      if (!nodeVisible(first)) setProvisionalFilter("show");
// provisional:end
      if (select) selectNode(first, { tab: "details" });
      else {
        centreOn(first);
        requestDraw();
      }
    } else {
      requestDraw();
    }
  }

  searchInput.addEventListener("input", () => runSearch(searchInput.value, false));
  searchInput.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      runSearch(searchInput.value, true);
    } else if (ev.key === "Escape") {
      searchInput.value = "";
      runSearch("", false);
    }
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement) return;
    if (ev.key === "/") {
      ev.preventDefault();
      searchInput.focus();
    } else if (ev.key === "Escape") {
      clearSelection();
    }
  });

  for (const radio of document.querySelectorAll('input[name="size"]')) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      sizeBy = radio.value === "pagerank" ? "pagerank" : "mentions";
      computeRadii();
      setupForces();
      sortDrawOrder();
      widthCache.clear();
      updateEncoding();
      reheat(0.15);
    });
  }

  const slider = document.getElementById("min-weight");
  const sliderValue = document.getElementById("min-weight-value");
  slider.max = String(Math.max(0, weightSteps.length - 1));
  slider.value = "0";
  slider.disabled = weightSteps.length < 2;
  sliderValue.textContent = weightSteps.length ? fmt(weightSteps[0]) : "–";
  slider.addEventListener("input", () => {
    minWeight = weightSteps[Number(slider.value)] ?? 0;
    sliderValue.textContent = fmt(minWeight);
    refilter();
    if (selected) renderSelection();
    requestDraw();
  });

  document.getElementById("fit").addEventListener("click", () => {
    autoFit = true;
    follow = -1;
    fitView();
    requestDraw();
  });

  const typeFilters = document.getElementById("type-filters");
  const kindBoxes = new Map();
  for (const k of kinds) {
    const box = el("input", { type: "checkbox", checked: true });
    box.addEventListener("change", () => {
      kindEnabled.set(k, box.checked);
      refilter();
      requestDraw();
    });
    kindBoxes.set(k, box);
    const name = has(TYPE_NAME, k) ? TYPE_NAME[k] + " (" + k + ")" : k;
    typeFilters.appendChild(
      el(
        "label",
        { className: "type-filter", title: "Show or hide " + k },
        box,
        el("span", { className: "swatch", style: { background: colorOf(k) } }),
        el("span", { text: name }),
        el("span", { className: "count", text: String(kindCount.get(k)) })
      )
    );
  }
  function enableKind(k) {
    kindEnabled.set(k, true);
    const b = kindBoxes.get(k);
    if (b) b.checked = true;
    refilter();
  }
// provisional:begin
  // The provisional filter, in the legend: only when the graph has provisional entities.
  const provisionalCount = nodes.filter((n) => n.provisional === true).length;
  const provisionalSelect = el(
    "select",
    { id: "provisional-filter", title: "Show, hide or show only the provisional entities" },
    el("option", { value: "show", text: "show" }),
    el("option", { value: "hide", text: "hide" }),
    el("option", { value: "only", text: "only" })
  );
  function setProvisionalFilter(v) {
    provisionalFilter = v;
    provisionalSelect.value = v;
    document.body.dataset.provisionalFilter = v;
    refilter();
    requestDraw();
  }
  provisionalSelect.addEventListener("change", () => setProvisionalFilter(provisionalSelect.value));
  if (provisionalCount > 0) {
    typeFilters.parentNode.insertBefore(
      el(
        "div",
        { id: "provisional-legend" },
        el(
          "label",
          { className: "provisional-filter", title: "Dashed ring: found by discovery, not in the gazetteer" },
          el("span", { className: "swatch provisional-swatch" }),
          el("span", { text: "provisional" }),
          provisionalSelect,
          el("span", { className: "count", text: String(provisionalCount) })
        )
      ),
      typeFilters.nextSibling
    );
    document.body.dataset.provisionalFilter = provisionalFilter;
  }
// provisional:end
  // Colour by type or community: a toggle in the legend, only when the nodes have
  // communities; in community mode the legend lists the coloured communities by their most
  // central member.
  const communityLegend = el("div", { id: "community-legend", hidden: true });
  const colorRadios = new Map();
  function setColorBy(v) {
    if (!communities.length || (v !== "type" && v !== "community")) return;
    colorBy = v;
    document.body.dataset.colorBy = v;
    communityLegend.hidden = v !== "community";
    const radio = colorRadios.get(v);
    if (radio) radio.checked = true;
    requestDraw();
  }
  if (communities.length) {
    const toggle = el("div", { id: "color-by", className: "color-by" }, el("span", { className: "control-label", text: "Colour by" }));
    for (const v of ["type", "community"]) {
      const radio = el("input", { type: "radio", name: "color-by", value: v, checked: v === "type" });
      radio.addEventListener("change", () => radio.checked && setColorBy(v));
      colorRadios.set(v, radio);
      toggle.appendChild(el("label", null, radio, " " + v));
    }
    const central = new Map();
    for (const i of prOrder) if (communityOf(i) >= 0 && !central.has(communityOf(i))) central.set(communityOf(i), i);
    for (const c of communities.slice(0, COMMUNITY_COLORS.length)) {
      communityLegend.appendChild(
        el(
          "div",
          { className: "type-filter", title: "community " + c },
          el("span", { className: "swatch", style: { background: communityColor.get(c) } }),
          el("span", { text: labelText(central.get(c)) }),
          el("span", { className: "count", text: String(communitySize.get(c)) })
        )
      );
    }
    if (communities.length > COMMUNITY_COLORS.length) {
      const rest = communities.slice(COMMUNITY_COLORS.length);
      communityLegend.appendChild(
        el(
          "div",
          { className: "type-filter" },
          el("span", { className: "swatch", style: { background: COMMUNITY_OTHER } }),
          el("span", { text: plural(rest.length, "other community", "other communities") }),
          el("span", { className: "count", text: String(rest.reduce((a, c) => a + communitySize.get(c), 0)) })
        )
      );
    }
    const legendEl = document.getElementById("legend");
    legendEl.insertBefore(toggle, legendEl.firstChild);
    legendEl.insertBefore(communityLegend, document.getElementById("encoding"));
    document.body.dataset.colorBy = colorBy;
  }

  function updateEncoding() {
    const enc = document.getElementById("encoding");
    enc.textContent =
      "Circle size: " + (sizeBy === "pagerank" ? "PageRank" : "mentions") + ". Line width: link weight (" + meta.weight + ").";
  }
  updateEncoding();

  const statusEl = document.getElementById("status");
  // After any filter changed: recounts the visible links of each node, drops a selection that
  // is no longer visible and updates the status line.
  function refilter() {
    weightFiltering = weightSteps.length > 0 && minWeight > weightSteps[0];
    liveDegree.fill(0);
    for (let e = 0; e < M; e++) {
      if (!edgeVisible(e)) continue;
      liveDegree[src[e]]++;
      liveDegree[tgt[e]]++;
    }
    if (selected && selected.type === "node" && !nodeVisible(selected.i)) clearSelection();
    if (selected && selected.type === "edge" && !edgeVisible(selected.e)) clearSelection();
    updateStatus();
  }
  function updateStatus() {
    let vn = 0;
    let ve = 0;
    for (let i = 0; i < N; i++) if (nodeVisible(i)) vn++;
    for (let e = 0; e < M; e++) if (edgeVisible(e)) ve++;
    let s = plural(N, "node", "nodes") + ", " + plural(M, "edge", "edges");
    if (vn !== N || ve !== M) s += " · showing " + vn + " and " + ve;
    statusEl.textContent = s;
  }

  const metaEl = document.getElementById("meta");
  metaEl.textContent =
    (meta.generator || "entgraph") +
    " " +
    (meta.version || "") +
    " · " +
    plural(meta.documents, "document", "documents") +
    " · " +
    meta.window +
    " windows · weight: " +
    meta.weight +
    " · reading view: " +
    docs.length +
    " of " +
    DATA.documents_total +
    " documents";

  // ---------------------------------------------------------------------------------------
  // Side panel.

  const details = document.getElementById("details");
  const reading = document.getElementById("reading");
  const tabDetails = document.getElementById("tab-details");
  const tabDocuments = document.getElementById("tab-documents");

  function showTab(which) {
    const d = which === "details";
    details.hidden = !d;
    reading.hidden = d;
    tabDetails.classList.toggle("active", d);
    tabDocuments.classList.toggle("active", !d);
    tabDetails.setAttribute("aria-selected", String(d));
    tabDocuments.setAttribute("aria-selected", String(!d));
    if (!d && currentDoc < 0 && docs.length) showDocument(0, null);
  }
  tabDetails.addEventListener("click", () => showTab("details"));
  tabDocuments.addEventListener("click", () => showTab("documents"));

  function chip(kind) {
    return el("span", { className: "chip", text: kind, style: { background: colorOf(kind) } });
  }
  function dot(kind) {
    return el("span", { className: "dot", style: { background: colorOf(kind) } });
  }
  function nodeLink(i) {
    return el(
      "button",
      { type: "button", className: "linklike", title: nodes[i].kind + " · " + nodes[i].id, on: { click: () => selectNode(i, { tab: "details" }) } },
      dot(nodes[i].kind),
      nodes[i].label
    );
  }
  function stat(value, label) {
    return el("div", { className: "stat" }, el("b", { text: value }), el("span", { text: label }));
  }
  function kvTable(rows) {
    return el(
      "table",
      { className: "kv" },
      el(
        "tbody",
        null,
        rows.map(([k, v]) => el("tr", null, el("td", { text: k }), el("td", { text: v })))
      )
    );
  }

  // An entity mark, displaCy style: tinted by type, with the type label after the text.
  // `pick` runs on click (default: select the node and show its details).
  function entMark(text, kind, node, pick) {
    const m = el("mark", { className: "ent", style: { "--ent": colorOf(kind) } }, text, el("span", { className: "ent-label", text: kind }));
    if (typeof node === "number") {
      m.title = nodes[node].label + " (" + kind + ")";
// provisional:begin
      if (nodes[node].provisional) {
        m.classList.add("provisional");
        m.title += ", provisional";
      }
// provisional:end
      m.addEventListener("click", pick || (() => selectNode(node, { tab: "details" })));
    } else {
      m.classList.add("inert");
      m.title = kind + " (not in the graph)";
    }
    return m;
  }

  // Evidence text with its marks (UTF-16 offsets, computed when the page was written).
  function evidenceBlock(ev) {
    const box = el("div", { className: "text" });
    let pos = 0;
    const text = ev.text;
    for (const m of ev.marks) {
      if (m.start16 < pos || m.end16 > text.length) continue;
      append(box, text.slice(pos, m.start16));
      box.appendChild(entMark(text.slice(m.start16, m.end16), nodes[m.node].kind, m.node));
      pos = m.end16;
    }
    append(box, text.slice(pos));
    const di = docIndex.get(ev.doc);
    // The title and date: the evidence's own, else its embedded document's.
    const d = di === undefined ? null : docs[di];
    const title = docTitle(ev) ?? docTitle(d);
    const date = docDate(ev) ?? docDate(d);
    const source = el(
      "div",
      { className: "source" },
      title === null ? null : el("span", { className: "doc-title", text: title }),
      date === null ? null : el("span", { className: "doc-date", text: date }),
      el("span", { className: "id", text: ev.doc, title: ev.doc })
    );
    if (di !== undefined && typeof ev.doc_start16 === "number") {
      source.appendChild(
        el("button", {
          type: "button",
          className: "linklike",
          text: "open in document",
          on: { click: () => showDocument(di, { start16: ev.doc_start16, end16: ev.doc_end16 }) },
        })
      );
    }
    return el("blockquote", { className: "evidence" }, box, source);
  }

  function renderOverview() {
    clear(details);
    details.appendChild(el("h2", { text: "Overview" }));
    details.appendChild(
      el(
        "p",
        { className: "muted" },
        "Click a circle (entity) or a line (co-occurrence) for details and the sentences behind it. Search by name or alias above; press Enter to open the first match."
      )
    );
    details.appendChild(
      el(
        "div",
        { className: "stats" },
        stat(String(N), "entities"),
        stat(String(M), "links"),
        stat(String(meta.documents), "documents"),
        stat(String(meta.mentions), "mentions"),
        stat(String(meta.windows), meta.window + " windows"),
        stat(String(meta.entities_seen), "entities seen")
      )
    );
    const top = Array.from({ length: N }, (_, i) => i)
      .sort((a, b) => nodes[b].mentions - nodes[a].mentions || a - b)
      .slice(0, 12);
    if (top.length) {
      details.appendChild(el("h3", { text: "Most mentioned" }));
      details.appendChild(
        el(
          "table",
          { className: "partners" },
          el(
            "tbody",
            null,
            top.map((i) => el("tr", null, el("td", null, nodeLink(i)), el("td", { className: "num", text: plural(nodes[i].mentions, "mention", "mentions") })))
          )
        )
      );
    }
    const strongest = Array.from({ length: M }, (_, e) => e)
      .sort((a, b) => weightOf(b) - weightOf(a) || edges[b].count - edges[a].count || a - b)
      .slice(0, 8);
    if (strongest.length) {
      details.appendChild(el("h3", { text: "Strongest links" }));
      details.appendChild(
        el(
          "table",
          { className: "partners" },
          el(
            "tbody",
            null,
            strongest.map((e) =>
              el(
                "tr",
                { on: { click: () => selectEdge(e) }, title: "Show the evidence" },
                el("td", null, dot(nodes[src[e]].kind), nodes[src[e]].label, " — ", dot(nodes[tgt[e]].kind), nodes[tgt[e]].label),
                el("td", { className: "num", text: fmt(weightOf(e)) })
              )
            )
          )
        )
      );
    }
    const filters = meta.filters || {};
    const fl = Object.keys(filters)
      .filter((k) => filters[k] !== false && filters[k] !== 0 && !(Array.isArray(filters[k]) && !filters[k].length))
      .map((k) => [k.replace(/_/g, " "), Array.isArray(filters[k]) ? filters[k].join(", ") : String(filters[k])]);
    details.appendChild(el("h3", { text: "How this graph was built" }));
    details.appendChild(
      kvTable(
        [
          ["window", String(meta.window)],
          ["weight", String(meta.weight)],
          ["pairs seen", String(meta.pairs_seen)],
        ].concat(fl)
      )
    );
  }

  function renderNode(i) {
    const n = nodes[i];
    clear(details);
    details.appendChild(el("div", null, chip(n.kind), " ", el("span", { className: "id", text: n.id })));
// provisional:begin
    if (n.provisional) {
      details.appendChild(el("p", { className: "provisional-note", text: "provisional (found by discovery, cue " + n.cue + ")" }));
    }
// provisional:end
    details.appendChild(el("h2", { text: n.label }));
    details.appendChild(
      el(
        "div",
        { className: "stats" },
        stat(String(n.mentions), "mentions"),
        stat(String(n.documents), "documents"),
        stat(String(n.degree), "partners"),
        stat(fmt(n.weighted_degree), "weighted degree"),
        stat(fmt(n.pagerank), "PageRank"),
        stat("#" + prRank[i] + " of " + N, "by PageRank"),
        communityOf(i) >= 0 ? stat(String(communityOf(i)), "community") : null
      )
    );

    details.appendChild(el("h3", { text: "Names seen" }));
    if (n.aliases.length) {
      const al = n.aliases.slice().sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      details.appendChild(
        el(
          "div",
          { className: "aliases" },
          al.map(([s, c]) => el("span", { className: "alias" }, s, el("span", { className: "n", text: "×" + c })))
        )
      );
    } else {
      details.appendChild(el("div", { className: "empty", text: "none recorded" }));
    }

    if (n.attributes.length) {
      details.appendChild(el("h3", { text: "Attributes" }));
      details.appendChild(kvTable(n.attributes));
    }

    const inDocs = docsOfNode[i];
    if (inDocs.length) {
      details.appendChild(el("h3", { text: "In documents (" + inDocs.length + " of " + n.documents + " shown)" }));
      details.appendChild(
        el(
          "div",
          { className: "doc-list" },
          inDocs.map(([di, c]) =>
            el("button", {
              type: "button",
              className: "linklike",
              title: docs[di].id,
              text: (docTitle(docs[di]) === null ? shortId(docs[di].id) : docName(docs[di])) + " (" + c + ")",
              on: { click: () => showDocument(di, { node: i }) },
            })
          )
        )
      );
    }

    const partners = partnersOf(i).filter(edgeVisible);
    details.appendChild(el("h3", { text: "Strongest partners (" + partners.length + ")" }));
    if (!partners.length) {
      details.appendChild(el("div", { className: "empty", text: "no links at this minimum weight" }));
    } else {
      // With count weighting the weight is the number of windows: one column says it all.
      const showWeight = meta.weight !== "count";
      const tbody = el("tbody");
      const addRows = (list) => {
        for (const e of list) {
          const j = other(e, i);
          tbody.appendChild(
            el(
              "tr",
              null,
              el("td", null, nodeLink(j)),
              showWeight ? el("td", { className: "num", title: "weight (" + meta.weight + ")", text: fmt(weightOf(e)) }) : null,
              el("td", { className: "num", title: "windows in which both appear", text: plural(edges[e].count, "window", "windows") }),
              el("td", { className: "num" }, el("button", { type: "button", className: "linklike", text: "evidence", on: { click: () => selectEdge(e) } }))
            )
          );
        }
      };
      addRows(partners.slice(0, 15));
      details.appendChild(el("table", { className: "partners" }, tbody));
      if (partners.length > 15) {
        const more = el("button", { type: "button", className: "linklike", text: "show all " + partners.length });
        more.addEventListener("click", () => {
          more.remove();
          addRows(partners.slice(15));
        });
        details.appendChild(more);
      }
    }

    const withEvidence = partners.filter((e) => edges[e].evidence.length).slice(0, 6);
    if (withEvidence.length) {
      details.appendChild(el("h3", { text: "Evidence" }));
      for (const e of withEvidence) {
        const j = other(e, i);
        details.appendChild(el("div", { className: "pair-title" }, "with ", nodeLink(j)));
        for (const ev of edges[e].evidence.slice(0, 2)) details.appendChild(evidenceBlock(ev));
      }
    }
  }

  function renderEdge(e) {
    const ed = edges[e];
    const a = src[e];
    const b = tgt[e];
    clear(details);
    details.appendChild(el("div", { className: "muted", text: "Co-occurrence link" }));
    details.appendChild(el("h2", null, nodeLink(a), el("span", { className: "muted", text: "  —  " }), nodeLink(b)));
    details.appendChild(
      el(
        "div",
        { className: "stats" },
        stat(String(ed.count), meta.window + " windows together"),
        stat(String(ed.documents), "documents"),
        stat(fmt(weightOf(e)), "weight (" + meta.weight + ")")
      )
    );
    details.appendChild(el("h3", { text: "Evidence (" + ed.evidence.length + " of " + ed.count + " windows, in corpus order)" }));
    if (!ed.evidence.length) details.appendChild(el("div", { className: "empty", text: "no evidence kept" }));
    for (const ev of ed.evidence) details.appendChild(evidenceBlock(ev));
  }

  function renderSelection() {
    if (!selected) renderOverview();
    else if (selected.type === "node") renderNode(selected.i);
    else renderEdge(selected.e);
    updateReaderSelection();
  }

  function selectNode(i, opts) {
    if (!nodeVisible(i)) enableKind(nodes[i].kind);
// provisional:begin
    if (!nodeVisible(i)) setProvisionalFilter("show");
// provisional:end
    selected = { type: "node", i };
    renderSelection();
    details.scrollTop = 0;
    if (opts && opts.tab) showTab(opts.tab);
    if (!opts || opts.centre !== false) centreOn(i);
    requestDraw();
  }

  function selectEdge(e) {
    selected = { type: "edge", e };
    renderSelection();
    details.scrollTop = 0;
    showTab("details");
    requestDraw();
  }

  function clearSelection() {
    selected = null;
    renderSelection();
    requestDraw();
  }

  // ---------------------------------------------------------------------------------------
  // Reading view.

  let currentDoc = -1;
  // A document's title and date, when the page data has them (strings; untrusted text).
  const docTitle = (d) => (d && typeof d.title === "string" && d.title.trim() ? d.title.trim() : null);
  const docDate = (d) => (d && typeof d.date === "string" && d.date ? d.date : null);
  // How a document is named in lists: "title · date", or its id.
  const docName = (d) => {
    const t = docTitle(d);
    const when = docDate(d);
    const name = t === null ? d.id : t.length > 70 ? t.slice(0, 68) + "…" : t;
    return when === null ? name : name + " · " + when;
  };
  const shortId = (id) => {
    const s = String(id);
    const cut = s.lastIndexOf("/");
    const base = cut >= 0 && cut < s.length - 1 ? s.slice(cut + 1) : s;
    return base.length > 40 ? base.slice(0, 38) + "…" : base;
  };

  const docSelect = el("select", { title: "Choose a document" });
  docs.forEach((d, i) => docSelect.appendChild(el("option", { value: String(i), title: d.id, text: docName(d) + " (" + plural(d.mentions.length, "mention", "mentions") + ")" })));
  docSelect.addEventListener("change", () => showDocument(Number(docSelect.value), null));
  const prevBtn = el("button", { type: "button", text: "‹", title: "Previous document", on: { click: () => currentDoc > 0 && showDocument(currentDoc - 1, null) } });
  const nextBtn = el("button", { type: "button", text: "›", title: "Next document", on: { click: () => currentDoc < docs.length - 1 && showDocument(currentDoc + 1, null) } });
  const selectedBar = el("div", { className: "selected-bar", hidden: true });
  const docHeadEl = el("div", { className: "doc-head", hidden: true });
  const docTextEl = el("div", { className: "doc-text" });
  reading.appendChild(el("div", { className: "reader-head" }, prevBtn, docSelect, nextBtn));
  reading.appendChild(
    el(
      "div",
      { className: "reader-note muted" },
      docs.length
        ? "Showing " + docs.length + " of " + DATA.documents_total + " documents. Every mention is highlighted by type; click one to select its entity."
        : "No documents were embedded in this file."
    )
  );
  reading.appendChild(selectedBar);
  reading.appendChild(docHeadEl);
  reading.appendChild(docTextEl);

  // Renders document `di`; opts.start16/end16 marks and scrolls to a window, opts.node scrolls
  // to the first mention of that node.
  function showDocument(di, opts) {
    if (di < 0 || di >= docs.length) return;
    currentDoc = di;
    docSelect.value = String(di);
    prevBtn.disabled = di === 0;
    nextBtn.disabled = di === docs.length - 1;
    const d = docs[di];
    const text = d.text;
    clear(docHeadEl);
    docHeadEl.hidden = docTitle(d) === null && docDate(d) === null;
    if (docTitle(d) !== null) docHeadEl.appendChild(el("h3", { className: "doc-title", text: docTitle(d) }));
    if (docDate(d) !== null) docHeadEl.appendChild(el("div", { className: "doc-date muted", text: docDate(d) }));
    const win = opts && typeof opts.start16 === "number" ? [opts.start16, typeof opts.end16 === "number" ? opts.end16 : opts.start16] : null;
    clear(docTextEl);
    let scrollTo = null;
    const addText = (a, b) => {
      if (a >= b) return;
      const cuts = [a];
      if (win) for (const c of win) if (c > a && c < b) cuts.push(c);
      cuts.push(b);
      for (let k = 0; k + 1 < cuts.length; k++) {
        const p = cuts[k];
        const q = cuts[k + 1];
        if (win && p >= win[0] && q <= win[1]) {
          const span = el("span", { className: "win", text: text.slice(p, q) });
          if (!scrollTo) scrollTo = span;
          docTextEl.appendChild(span);
        } else {
          append(docTextEl, text.slice(p, q));
        }
      }
    };
    let pos = 0;
    for (const m of d.mentions) {
      if (m.start16 < pos || m.end16 > text.length) continue;
      addText(pos, m.start16);
      // Selecting from the reader keeps the reader open.
      const mk = entMark(text.slice(m.start16, m.end16), m.kind, m.node, () => selectNode(m.node, null));
      if (typeof m.node === "number") mk.dataset.node = String(m.node);
      if (win && m.start16 < win[1] && m.end16 > win[0]) {
        mk.classList.add("win");
        if (!scrollTo) scrollTo = mk;
      }
      if (opts && typeof opts.node === "number" && m.node === opts.node && !scrollTo) scrollTo = mk;
      docTextEl.appendChild(mk);
      pos = m.end16;
    }
    addText(pos, text.length);
    updateReaderSelection();
    showTab("documents");
    if (scrollTo) scrollTo.scrollIntoView({ block: "center" });
    else reading.scrollTop = 0;
  }

  function updateReaderSelection() {
    const sel = selected && selected.type === "node" ? selected.i : -1;
    let count = 0;
    for (const mk of docTextEl.querySelectorAll("mark.ent")) {
      const on = mk.dataset.node === String(sel);
      mk.classList.toggle("focus", on);
      if (on) count++;
    }
    clear(selectedBar);
    selectedBar.hidden = sel < 0;
    if (sel >= 0) {
      append(selectedBar, [
        "Selected: ",
        nodeLink(sel),
        " · " + plural(count, "mention", "mentions") + " in this document · ",
        el("button", { type: "button", className: "linklike", text: "details", on: { click: () => showTab("details") } }),
      ]);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Start: lay out, draw, then apply the URL hash: #search=NAME (select the first match),
  // #node=ID, #edge=ID,ID, and #doc=ID (open in the reading view); e.g. #search=Xi%20Jinping.

  function applyHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    const colour = params.get("color");
    if (colour !== null) setColorBy(colour);
// provisional:begin
    const pf = params.get("provisional");
    if (pf === "show" || pf === "hide" || pf === "only") setProvisionalFilter(pf);
// provisional:end
    const doc = params.get("doc");
    if (doc !== null && docIndex.has(doc)) showDocument(docIndex.get(doc), null);
    const node = params.get("node");
    const q = params.get("search");
    const pair = params.get("edge");
    if (q !== null) {
      searchInput.value = q;
      runSearch(q, true);
    } else if (node !== null && nodeIndex.has(node)) {
      selectNode(nodeIndex.get(node), { tab: "details" });
    } else if (pair !== null) {
      const [a, b] = pair.split(",").map((id) => nodeIndex.get(id));
      const e = a === undefined || b === undefined ? -1 : adj[a].findIndex((e) => other(e, a) === b);
      if (e >= 0) {
        const ei = adj[a][e];
        if (!edgeVisible(ei)) {
          enableKind(nodes[a].kind);
          enableKind(nodes[b].kind);
        }
        selectEdge(ei);
      }
    }
    if (doc !== null && q === null && node === null && pair === null) showTab("documents");
  }

  // Start: a first slice of layout, fitted and drawn at once; the rest in animation frames.
  resize();
  placeIsolated();
  if (N > 0) layoutSlice(2 * FRAME_BUDGET_MS);
  else alpha = 0;
  fitView();
  refilter();
  renderOverview();
  applyHash();
  draw();
  document.body.dataset.layout = "running";
  running = true;
  requestAnimationFrame(frame);
  window.addEventListener("hashchange", () => {
    applyHash();
    draw();
  });

  let lastW = W;
  let lastH = H;
  // The observer also calls back once when it starts observing. Setting the canvas size in
  // resize() clears the bitmap, so every callback draws again, changed size or not.
  new ResizeObserver(() => {
    resize();
    if (W !== lastW || H !== lastH) {
      // Keep the same world point in the middle.
      view.tx += (W - lastW) / 2;
      view.ty += (H - lastH) / 2;
      lastW = W;
      lastH = H;
    }
    draw();
  }).observe(pane);
})();
