/* Rasid's link graph: draws what the graph API answers with Cytoscape.js.
 *
 * Every answer has the same shape: {nodes: [{id, label, schema, datasets, agencies,
 * community, group}], edges: [{id, source, target, type, label, start, end, evidence}]},
 * plus what the endpoint adds ("paths", "bridges"). Answers are merged into one graph;
 * filters hide elements, they never drop them. Text from the data is only ever set as
 * text (textContent), never as markup. */
(function () {
  "use strict";

  const root = document.getElementById("graph");
  const configNode = document.getElementById("graph-config");
  if (!root || !configNode || typeof window.cytoscape !== "function") {
    return;
  }
  const config = JSON.parse(configNode.textContent);
  const $ = (id) => document.getElementById(id);

  const GROUP_COLOURS = { crime: "#c2410c", terror: "#6d28d9" };
  const NEUTRAL = "#64748b";
  // Distinguishable in print and for the common kinds of colour blindness.
  const PALETTE = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
    "#d55e00", "#f0e442", "#000000", "#999933", "#882255",
  ];
  const MAX_FIT_ZOOM = 1.5;
  const PERSON = new Set(["Person"]);
  const PARTY = new Set(["Organization", "Company", "LegalEntity", "PublicBody"]);

  /* ---- words ---------------------------------------------------------------- */

  function t(key, params) {
    let text = config.messages[key] || key;
    for (const [name, value] of Object.entries(params || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  function typeLabel(type) {
    if (!type) return "";
    const key = String(type).toLowerCase().replace(/[^a-z0-9]+/g, "_");
    return config.types[type] || config.types[key] || String(type);
  }

  // A message whose parameters are nodes (names in a <bdi>), for use as children.
  function tParts(key, params) {
    const parts = [];
    let rest = config.messages[key] || key;
    for (;;) {
      const found = /\{(\w+)\}/.exec(rest);
      if (!found) break;
      parts.push(rest.slice(0, found.index), params[found[1]]);
      rest = rest.slice(found.index + found[0].length);
    }
    parts.push(rest);
    return parts;
  }

  function groupLabel(group) {
    if (group === "crime") return t("group_crime");
    if (group === "terror") return t("group_terror");
    return t("group_none");
  }

  // A dataset's title and its agency, each kept in its own direction.
  function datasetLabel(name) {
    const d = config.datasets[name];
    return d ? [bdi(d.title), " · ", bdi(d.agency)] : [bdi(name)];
  }

  /* ---- small DOM helpers ----------------------------------------------------- */

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children || []) {
      node.append(child);
    }
    return node;
  }

  // Text of unknown direction (a name in Arabic or Latin script) kept apart from its
  // surroundings.
  function bdi(text) {
    return el("bdi", { text: text });
  }

  function status(text, isError) {
    const line = $("graph-status");
    line.textContent = text;
    line.classList.toggle("error", Boolean(isError));
  }

  /* ---- the API --------------------------------------------------------------- */

  class ApiError extends Error {}

  function apiUrl(endpoint, params) {
    const url = new URL(config.api + "/" + endpoint, window.location.origin);
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== "") {
        url.searchParams.set(name, value);
      }
    }
    // The purpose goes as a parameter: a header could not carry Arabic text.
    url.searchParams.set("purpose", config.purpose);
    return url;
  }

  async function api(endpoint, params) {
    const response = await fetch(apiUrl(endpoint, params), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const body = await response.json();
        detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      } catch (ignored) {
        // not JSON: keep the status text
      }
      throw new ApiError(t("error", { status: response.status, detail: detail }));
    }
    return response.json();
  }

  async function guarded(work) {
    status(t("loading"));
    try {
      await work();
    } catch (error) {
      status(error instanceof ApiError ? error.message : String(error), true);
      throw error;
    }
  }

  /* ---- the graph ------------------------------------------------------------- */

  const fontFamily = window.getComputedStyle(document.body).fontFamily;
  const cy = window.cytoscape({
    container: $("graph-canvas"),
    minZoom: 0.1,
    maxZoom: 4,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          label: "data(label)",
          "font-family": fontFamily,
          "font-size": 12,
          color: "#1b2430",
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "ellipsis",
          "text-max-width": 160,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8,
          "text-background-padding": 2,
          width: 28,
          height: 28,
          "border-width": 2,
          "border-color": "#ffffff",
        },
      },
      { selector: "node.person", style: { shape: "ellipse" } },
      { selector: "node.party", style: { shape: "round-rectangle", width: 34 } },
      { selector: "node.other", style: { shape: "diamond", width: 22, height: 22 } },
      { selector: "node.root", style: { "border-color": "#14324f", "border-width": 4 } },
      { selector: "node.expanded", style: { "border-style": "double", "border-width": 5 } },
      {
        selector: "edge",
        style: {
          width: 2,
          "line-color": "#9aa6b2",
          "target-arrow-color": "#9aa6b2",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          "curve-style": "bezier",
          label: "data(typeLabel)",
          "font-family": fontFamily,
          "font-size": 10,
          color: "#5a6675",
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8,
        },
      },
      { selector: ".filtered", style: { display: "none" } },
      {
        selector: "edge.on-path",
        style: { width: 5, "line-color": "#f2a900", "target-arrow-color": "#f2a900" },
      },
      { selector: "node.on-path", style: { "border-color": "#f2a900", "border-width": 5 } },
      {
        selector: ":selected",
        style: { "overlay-color": "#1f5c99", "overlay-opacity": 0.25, "overlay-padding": 6 },
      },
    ],
  });

  const expanded = new Set();
  let colourBy = "group";

  function kindClass(schema) {
    if (PERSON.has(schema)) return "person";
    if (PARTY.has(schema)) return "party";
    return "other";
  }

  function colourOf(data) {
    if (colourBy === "community") {
      const c = data.community;
      return c === null || c === undefined ? NEUTRAL : PALETTE[Math.abs(c) % PALETTE.length];
    }
    return GROUP_COLOURS[data.group] || NEUTRAL;
  }

  function union(a, b) {
    return Array.from(new Set([...(a || []), ...(b || [])]));
  }

  function nodeData(node) {
    const data = {
      id: node.id,
      label: node.label || node.id,
      schema: node.schema || "",
      datasets: node.datasets || [],
      agencies: node.agencies || [],
      community: node.community === undefined ? null : node.community,
      group: node.group || null,
    };
    data.colour = colourOf(data);
    return data;
  }

  function edgeData(edge) {
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: edge.type || "",
      typeLabel: typeLabel(edge.type),
      label: edge.label || "",
      start: edge.start || null,
      end: edge.end || null,
      evidence: edge.evidence || [],
    };
  }

  // Add an answer's nodes and edges; a node seen before keeps its place and gains the
  // datasets and agencies the answer adds. New nodes start next to ``near``.
  function merge(answer, near) {
    const origin = near && !near.empty() ? near.position() : null;
    const added = [];
    for (const node of answer.nodes || []) {
      const found = cy.getElementById(node.id);
      if (!found.empty()) {
        found.data("datasets", union(found.data("datasets"), node.datasets));
        found.data("agencies", union(found.data("agencies"), node.agencies));
        continue;
      }
      const classes = kindClass(node.schema) + (node.id === config.entity ? " root" : "");
      const item = { group: "nodes", data: nodeData(node), classes: classes };
      if (origin) {
        item.position = { x: origin.x + (Math.random() - 0.5) * 120, y: origin.y + (Math.random() - 0.5) * 120 };
      }
      added.push(item);
    }
    cy.add(added);
    const edges = [];
    for (const edge of answer.edges || []) {
      const present = cy.getElementById(edge.source).nonempty() && cy.getElementById(edge.target).nonempty();
      if (present && cy.getElementById(edge.id).empty()) {
        edges.push({ group: "edges", data: edgeData(edge) });
      }
    }
    cy.add(edges);
    return added.length + edges.length;
  }

  function layout() {
    cy.stop(true, false); // a centring still running would undo the fit
    const fresh = cy.nodes().length <= 2 || !cy.nodes().some((n) => n.position().x !== 0);
    cy.layout({
      name: "cose",
      animate: false,
      randomize: fresh,
      fit: true,
      padding: 30,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 90,
      stop: () => {
        // A few nodes fitted to the canvas would be drawn huge.
        if (cy.zoom() > MAX_FIT_ZOOM) {
          cy.zoom(MAX_FIT_ZOOM);
          cy.center();
        }
      },
    }).run();
  }

  function afterChange() {
    typeBoxes();
    applyFilters();
    layout();
    refreshLists();
    exportLinks();
  }

  /* ---- expanding ------------------------------------------------------------- */

  async function expand(id, depth) {
    await guarded(async () => {
      const answer = await api("neighbours", { entity: id, depth: depth || 1 });
      const node = cy.getElementById(id);
      merge(answer, node);
      expanded.add(id);
      cy.getElementById(id).addClass("expanded");
      afterChange();
      if (shown && shown.id() === id) showNode(shown);
      status(cy.nodes().length ? t("loaded", shownCounts()) : t("empty"));
    });
  }

  /* ---- filters --------------------------------------------------------------- */

  const typeOn = new Map();

  function typeBoxes() {
    const types = Array.from(new Set(cy.edges().map((e) => e.data("type")))).sort();
    for (const type of types) {
      if (!typeOn.has(type)) typeOn.set(type, true);
    }
    const box = $("graph-types");
    if (!types.length) return;
    box.replaceChildren(
      ...types.map((type) => {
        const input = el("input", { type: "checkbox", value: type, "data-type": type });
        input.checked = typeOn.get(type);
        input.addEventListener("change", () => {
          typeOn.set(type, input.checked);
          applyFilters();
          refreshLists();
        });
        return el("label", { class: "check" }, [input, " ", typeLabel(type)]);
      }),
    );
  }

  // A partial date (a year, a month) taken as its first or its last day.
  function dayFrom(value, last) {
    if (!value) return null;
    const text = String(value).slice(0, 10);
    if (text.length === 4) return text + (last ? "-12-31" : "-01-01");
    if (text.length === 7) return text + (last ? "-31" : "-01");
    return text;
  }

  function inRange(edge, since, until) {
    const start = dayFrom(edge.data("start") || edge.data("end"), false);
    const end = dayFrom(edge.data("end") || edge.data("start"), true);
    if (!start) return true; // a link without dates cannot be placed: it stays
    return !((until && start > until) || (since && end < since));
  }

  function applyFilters() {
    const since = $("graph-since").value || null;
    const until = $("graph-until").value || null;
    cy.batch(() => {
      cy.edges().forEach((edge) => {
        const keep = typeOn.get(edge.data("type")) !== false && inRange(edge, since, until);
        edge.toggleClass("filtered", !keep);
      });
      cy.nodes().forEach((node) => {
        const edges = node.connectedEdges();
        const alone = edges.nonempty() && edges.every((e) => e.hasClass("filtered"));
        node.toggleClass("filtered", alone && !node.hasClass("root"));
      });
    });
  }

  /* ---- colours --------------------------------------------------------------- */

  function recolour() {
    cy.batch(() => cy.nodes().forEach((n) => n.data("colour", colourOf(n.data()))));
    const legend = $("graph-legend");
    legend.hidden = colourBy !== "group";
  }

  /* ---- details --------------------------------------------------------------- */

  function row(label, value) {
    return el("div", {}, [el("dt", { text: label }), el("dd", {}, [value])]);
  }

  // Items are texts, or lists of children.
  function listOf(items) {
    const li = (item) => el("li", {}, Array.isArray(item) ? item : [bdi(item)]);
    return el("ul", { class: "chips" }, items.map(li));
  }

  // A link to an entity's page, by its label when it is on the graph, else by its id.
  function entityLink(id) {
    const item = cy.getElementById(id);
    const text = item.nonempty() ? bdi(item.data("label")) : el("code", { dir: "ltr", text: id });
    return el("a", { href: "/entities/" + encodeURIComponent(id) }, [text]);
  }

  // A button whose content is a message or a node (a name stays text in a <bdi>).
  function button(content, action, extra) {
    const b = el("button", { type: "button", class: "small" }, [content]);
    for (const [name, value] of Object.entries(extra || {})) b.setAttribute(name, value);
    b.addEventListener("click", action);
    return b;
  }

  let shown = null; // the element whose details are in the panel

  function showNode(node) {
    shown = node;
    const d = node.data();
    const dl = el("dl", { class: "meta graph-meta" }, [
      row(t("schema"), document.createTextNode(config.schemata[d.schema] || d.schema)),
      row(t("group"), document.createTextNode(groupLabel(d.group))),
    ]);
    if (d.community !== null) {
      dl.append(row(t("community"), el("span", { dir: "ltr", text: String(d.community) })));
    }
    dl.append(row(t("datasets"), listOf(d.datasets.map(datasetLabel))));
    dl.append(row(t("agencies"), listOf(d.agencies.map((a) => config.agencies[a] || a))));
    const actions = el("p", { class: "graph-actions" }, [
      el("a", { href: "/entities/" + encodeURIComponent(d.id), text: t("open_entity") }),
    ]);
    if (!expanded.has(d.id)) {
      actions.append(button(t("expand"), () => expand(d.id), { "data-action": "expand" }));
    } else {
      actions.append(el("span", { class: "muted", text: t("expanded") }));
    }
    actions.append(button(t("path_from"), () => pick("graph-source", d.id)));
    actions.append(button(t("path_to"), () => pick("graph-target", d.id)));
    $("graph-details").replaceChildren(el("h3", {}, [bdi(d.label)]), dl, actions);
  }

  function evidenceItem(item) {
    const parts = [];
    if (item.entity_id) parts.push(entityLink(item.entity_id));
    else if (item.value) parts.push(t("evidence_value") + ": ", bdi(String(item.value)));
    if (item.prop) parts.push(" · ", config.props[item.prop] || item.prop);
    if (item.dataset) parts.push(" · ", ...datasetLabel(item.dataset));
    return el("li", {}, parts);
  }

  // A relationship's own label (a member's role) is worth showing; a pivot's is the
  // type again, in English.
  function linkText(d) {
    const own = d.label && d.label !== d.type && !config.pivots.includes(d.type);
    return own ? d.typeLabel + " · " + d.label : d.typeLabel;
  }

  function showEdge(edge) {
    shown = edge;
    const d = edge.data();
    const dl = el("dl", { class: "meta graph-meta" }, [
      row(t("link"), document.createTextNode(linkText(d))),
      row(t("from"), entityLink(d.source)),
      row(t("to"), entityLink(d.target)),
    ]);
    if (d.start) dl.append(row(t("start"), el("time", { dir: "ltr", text: d.start })));
    if (d.end) dl.append(row(t("end"), el("time", { dir: "ltr", text: d.end })));
    const evidence = d.evidence.length
      ? el("ul", { class: "graph-evidence" }, d.evidence.map(evidenceItem))
      : el("p", { class: "muted", text: t("no_evidence") });
    const agencies = new Set();
    for (const item of d.evidence) {
      const ds = config.datasets[item.dataset];
      if (ds) agencies.add(ds.agency);
    }
    if (agencies.size) dl.append(row(t("agencies"), listOf(Array.from(agencies))));
    $("graph-details").replaceChildren(
      el("h3", {}, [typeLabel(d.type)]),
      dl,
      el("h4", { text: t("evidence") }),
      evidence,
    );
  }

  cy.on("tap", "node", (event) => {
    const node = event.target;
    showNode(node);
    if (!expanded.has(node.id())) expand(node.id()).catch(() => {});
  });
  cy.on("tap", "edge", (event) => showEdge(event.target));

  function select(id) {
    const item = cy.getElementById(id);
    if (item.empty()) return;
    cy.elements().unselect();
    item.select();
    if (item.isNode()) showNode(item);
    else showEdge(item);
    cy.animate({ center: { eles: item }, duration: 200 });
  }

  /* ---- listings (the graph for keyboards and screen readers) ---------------- */

  function shownCounts() {
    const nodes = cy.nodes().not(".filtered").length;
    const edges = cy.edges().not(".filtered").length;
    return { nodes: nodes, edges: edges };
  }

  function nodeOptions(selectId) {
    const choice = $(selectId);
    const current = choice.value;
    const first = choice.options[0];
    const sorted = cy.nodes().sort((a, b) => a.data("label").localeCompare(b.data("label"), config.lang));
    choice.replaceChildren(first, ...sorted.map((n) => el("option", { value: n.id(), text: n.data("label") })));
    choice.value = current;
  }

  function refreshLists() {
    $("graph-counts").textContent = t("shown", shownCounts());
    const items = cy.nodes().not(".filtered").sort((a, b) => a.data("label").localeCompare(b.data("label"), config.lang));
    $("graph-node-list").replaceChildren(
      ...items.map((n) =>
        el("li", { "data-id": n.id() }, [
          button(bdi(n.data("label")), () => select(n.id()), { class: "link" }),
          " ",
          el("span", { class: "schema-tag", text: config.schemata[n.data("schema")] || n.data("schema") }),
        ]),
      ),
    );
    nodeOptions("graph-source");
    nodeOptions("graph-target");
  }

  /* ---- paths ----------------------------------------------------------------- */

  function pick(selectId, id) {
    $(selectId).value = id;
    $("graph-paths").scrollIntoView({ block: "nearest" });
  }

  function edgesBetween(a, b) {
    return cy.getElementById(a).edgesWith(cy.getElementById(b));
  }

  function highlight(ids) {
    cy.elements().removeClass("on-path");
    let path = cy.collection();
    ids.forEach((id, i) => {
      path = path.union(cy.getElementById(id));
      if (i > 0) path = path.union(edgesBetween(ids[i - 1], id));
    });
    path.addClass("on-path").removeClass("filtered");
    if (path.nonempty()) cy.animate({ fit: { eles: path, padding: 60 }, duration: 250 });
  }

  // Not inside a button: Chromium lays a button's text out in the direction of its first
  // strong letter, which would turn an English page's path of Arabic names around.
  function pathText(ids) {
    const span = el("span", { class: "graph-path" });
    // The path reads in the page's direction: from the right in Arabic.
    const arrow = document.documentElement.dir === "rtl" ? " ← " : " → ";
    ids.forEach((id, i) => {
      if (i > 0) span.append(el("span", { class: "arrow", "aria-hidden": "true", text: arrow }));
      const node = cy.getElementById(id);
      span.append(bdi(node.nonempty() ? node.data("label") : id));
    });
    return span;
  }

  async function findPaths(event) {
    event.preventDefault();
    const source = $("graph-source").value;
    const target = $("graph-target").value;
    if (!source || !target || source === target) {
      status(t("pick_two"), true);
      return;
    }
    await guarded(async () => {
      const answer = await api("paths", { source: source, target: target, max_length: $("graph-max-length").value });
      merge(answer, cy.getElementById(source));
      afterChange();
      const paths = answer.paths || [];
      $("graph-path-list").replaceChildren(
        ...paths.map((ids) => el("li", {}, [pathText(ids), " ", button(t("show_path"), () => highlight(ids))])),
      );
      if (paths.length) highlight(paths[0]);
      status(paths.length ? t("paths_found", { n: paths.length }) : t("no_paths"));
    });
  }

  /* ---- nexus bridges --------------------------------------------------------- */

  function bridgeItem(bridge) {
    const path = bridge.path || [bridge.entity_id];
    const show = () => {
      highlight(path);
      select(bridge.entity_id);
    };
    const kind = bridge.kind === "alliance" ? t("bridge_alliance") : t("bridge_broker");
    const between = tParts("bridge_between", {
      crime: entityLink(bridge.crime_cluster),
      terror: entityLink(bridge.terror_cluster),
    });
    const evidence = (bridge.evidence || []).map(evidenceItem);
    return el("li", { "data-entity": bridge.entity_id }, [
      el("p", {}, [el("strong", {}, [entityLink(bridge.entity_id)]), " · ", kind, " ", ...between]),
      el("p", {}, [pathText(path), " ", button(t("show_path"), show)]),
      evidence.length ? el("ul", { class: "graph-evidence" }, evidence) : "",
    ]);
  }

  async function loadBridges() {
    await guarded(async () => {
      const answer = await api("bridges", {});
      merge(answer, null);
      afterChange();
      const bridges = answer.bridges || [];
      $("graph-bridge-list").replaceChildren(...bridges.map(bridgeItem));
      if (bridges.length) highlight(bridges[0].path || [bridges[0].entity_id]);
      status(bridges.length ? t("bridges_found", { n: bridges.length }) : t("no_bridges"));
    });
  }

  /* ---- export ---------------------------------------------------------------- */

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    status(t("exported", { name: name }));
  }

  function fileName(extension) {
    const base = config.entity ? "rasid-graph-" + config.entity.replace(/[^\w.-]+/g, "_") : "rasid-graph";
    return base + "." + extension;
  }

  function exportPng() {
    const blob = cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" });
    download(blob, fileName("png"));
  }

  function xml(text) {
    return String(text).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  }

  // The drawing as SVG, from the positions and colours Cytoscape computed.
  function toSvg() {
    const shown = cy.elements().not(".filtered");
    const box = shown.boundingBox({ includeLabels: true });
    const pad = 20;
    const w = Math.ceil(box.w + 2 * pad);
    const h = Math.ceil(box.h + 2 * pad);
    const x = (value) => (value - box.x1 + pad).toFixed(1);
    const y = (value) => (value - box.y1 + pad).toFixed(1);
    const out = [
      '<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + " " + h + '"' +
        ' font-family="' + xml(fontFamily) + '" direction="' + (document.documentElement.dir || "ltr") + '">',
      '<rect width="100%" height="100%" fill="#ffffff"/>',
    ];
    shown.edges().forEach((e) => {
      const s = e.sourceEndpoint();
      const d = e.targetEndpoint();
      const colour = e.hasClass("on-path") ? "#f2a900" : "#9aa6b2";
      out.push('<line x1="' + x(s.x) + '" y1="' + y(s.y) + '" x2="' + x(d.x) + '" y2="' + y(d.y) +
        '" stroke="' + colour + '" stroke-width="' + (e.hasClass("on-path") ? 5 : 2) + '"/>');
      const m = e.midpoint();
      out.push('<text x="' + x(m.x) + '" y="' + y(m.y) + '" font-size="10" fill="#5a6675" text-anchor="middle">' +
        xml(e.data("typeLabel")) + "</text>");
    });
    shown.nodes().forEach((n) => {
      const p = n.position();
      const r = n.width() / 2;
      out.push('<circle cx="' + x(p.x) + '" cy="' + y(p.y) + '" r="' + r + '" fill="' + xml(n.data("colour")) +
        '" stroke="' + (n.hasClass("on-path") ? "#f2a900" : "#ffffff") + '" stroke-width="2"/>');
      out.push('<text x="' + x(p.x) + '" y="' + y(p.y + r + 14) + '" font-size="12" fill="#1b2430" text-anchor="middle" unicode-bidi="plaintext">' +
        xml(n.data("label")) + "</text>");
    });
    out.push("</svg>");
    return out.join("\n");
  }

  function exportSvg() {
    download(new Blob([toSvg()], { type: "image/svg+xml" }), fileName("svg"));
  }

  function exportLinks() {
    const depth = $("graph-depth") ? $("graph-depth").value : 1;
    for (const [id, format] of [["graph-graphml", "graphml"], ["graph-ftm", "ftm"]]) {
      const link = $(id);
      if (link && config.entity) {
        link.href = apiUrl("export", { entity: config.entity, depth: depth, format: format }).toString();
      }
    }
  }

  /* ---- wiring ---------------------------------------------------------------- */

  $("graph-since").addEventListener("change", () => { applyFilters(); refreshLists(); });
  $("graph-until").addEventListener("change", () => { applyFilters(); refreshLists(); });
  root.querySelectorAll('input[name="colour"]').forEach((radio) =>
    radio.addEventListener("change", () => {
      colourBy = radio.value;
      recolour();
    }),
  );
  $("graph-paths").addEventListener("submit", (event) => findPaths(event).catch(() => {}));
  $("graph-load-bridges").addEventListener("click", () => loadBridges().catch(() => {}));
  $("graph-png").addEventListener("click", exportPng);
  $("graph-svg").addEventListener("click", exportSvg);
  if ($("graph-depth")) {
    $("graph-depth").addEventListener("change", () => {
      exportLinks();
      if (config.entity) expand(config.entity, Number($("graph-depth").value)).catch(() => {});
    });
  }
  $("graph-tools").addEventListener("submit", (event) => event.preventDefault());

  async function start() {
    exportLinks();
    refreshLists();
    if (!config.entity) return;
    await expand(config.entity, 1);
    const first = cy.getElementById(config.entity);
    if (first.nonempty()) showNode(first);
  }

  // For tests and for the curious: the drawing and what the page can do with it.
  window.rasidGraph = {
    cy: cy,
    expand: expand,
    select: select,
    toSvg: toSvg,
    ready: start().catch(() => {}),
  };
})();
