// zhen review: the page. Every text from the glossary or a document reaches the DOM through
// textContent or a text node, never as HTML.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const PAGE = 200;  // rows drawn at a time: a 10,000-entry glossary still draws at once
const TYPES = ["fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase", "simplified"];
const TERM_STATUSES = ["preferred", "admitted", "deprecated"];
let entries = [];
let byId = new Map();
let view = [];
let selected = null;  // concept id
let marked = null;  // concept id marked for merging
let shown = PAGE;
let hiddenSub = new Set();

const $ = (id) => document.getElementById(id);

function el(tag, props, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("data-") || k.startsWith("aria-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) node.append(kid);
  return node;
}

async function api(path, body) {
  const opts = { headers: { "X-Zhen-Token": TOKEN }, credentials: "same-origin" };
  if (body) {
    opts.method = "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const response = await fetch(path, opts);
  let data;
  try { data = await response.json(); } catch (err) { data = { message: response.statusText }; }
  return { status: response.status, data };
}

function say(text, isError) {
  const box = $("message");
  box.textContent = text;
  box.className = isError ? "error" : "";
  box.hidden = !text;
}

function index(e) {
  const terms = [e.en, e.zh, ...e.en_variants.map((t) => t.text), ...e.zh_variants.map((t) => t.text), e.note];
  e._hay = terms.join("\n").toLowerCase();
  return e;
}

function setEntries(list) {
  entries = list.map(index);
  byId = new Map(entries.map((e) => [e.concept_id, e]));
  const kinds = new Set(entries.flatMap((e) => e.kinds));
  const select = $("kind-filter");
  const current = select.value;
  select.replaceChildren(el("option", { value: "", text: "any" }),
    ...[...kinds].sort().map((k) => el("option", { value: k, text: k })));
  select.value = kinds.has(current) ? current : "";
}

function patch(changed, removed) {
  for (const id of removed) byId.delete(id);
  for (const e of changed) byId.set(e.concept_id, index(e));
  entries = [...byId.values()];
  if (removed.includes(marked)) marked = null;
}

function computeHidden() {
  hiddenSub = new Set();
  if (!$("hide-sub").checked) return;
  const approved = entries.filter((e) => e.status === "approved");
  const en = approved.flatMap((e) => [e.en, ...e.en_variants.map((t) => t.text)]).map((t) => t.toLowerCase());
  const zh = approved.flatMap((e) => [e.zh, ...e.zh_variants.map((t) => t.text)]);
  for (const e of entries) {
    if (e.status !== "candidate") continue;
    const low = e.en.toLowerCase();
    if (en.some((t) => t !== low && t.includes(low)) || zh.some((t) => t !== e.zh && t.includes(e.zh))) {
      hiddenSub.add(e.concept_id);
    }
  }
}

const SORTS = {
  score: (a, b) => b.score - a.score || b.frequency - a.frequency,
  frequency: (a, b) => b.frequency - a.frequency || b.score - a.score,
  en: (a, b) => a.en.localeCompare(b.en),
  zh: (a, b) => a.zh.localeCompare(b.zh, "zh-Hant-HK"),
};

function filter() {
  const q = $("search").value.trim().toLowerCase();
  const status = $("status-filter").value;
  const kind = $("kind-filter").value;
  view = entries.filter((e) => (!status || e.status === status) && (!kind || e.kinds.includes(kind))
    && (!q || e._hay.includes(q)) && !hiddenSub.has(e.concept_id));
  view.sort(SORTS[$("sort").value]);
}

function renderCounts() {
  const n = { candidate: 0, approved: 0, rejected: 0 };
  for (const e of entries) n[e.status] += 1;
  $("counts").textContent = `${n.candidate} left to review · ${n.approved} approved · ${n.rejected} rejected · `
    + `${entries.length} entries · ${view.length} shown`;
  $("undo").disabled = !canUndo;
}

function renderList() {
  const rows = view.slice(0, shown).map((e) => {
    const row = el("tr", { "data-id": e.concept_id },
      el("td", { text: e.score.toFixed(3) }), el("td", { text: String(e.frequency) }),
      el("td", { class: "en", text: e.en }), el("td", { class: "zh", text: e.zh }),
      el("td", { text: e.kinds.join(" ") }),
      el("td", { class: `status status-${e.status}`, text: e.status }));
    if (e.concept_id === selected) row.classList.add("selected");
    if (e.concept_id === marked) row.classList.add("marked");
    return row;
  });
  document.querySelector("#entries tbody").replaceChildren(...rows);
  const more = $("more");
  more.hidden = view.length <= shown;
  more.textContent = `show ${Math.min(PAGE, view.length - shown)} more of ${view.length - shown}`;
}

function render(keepIndex) {
  const t0 = performance.now();
  const before = view.findIndex((e) => e.concept_id === selected);
  filter();
  if (!view.some((e) => e.concept_id === selected)) {
    const i = keepIndex !== undefined ? keepIndex : Math.max(before, 0);
    selected = view.length ? view[Math.min(i, view.length - 1)].concept_id : null;
  }
  renderList();
  renderCounts();
  renderDetail();
  document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
}

function select(id) {
  selected = id;
  const i = view.findIndex((e) => e.concept_id === id);
  if (i >= shown) { shown = i + 1; renderList(); }
  for (const row of document.querySelectorAll("#entries tr.selected")) row.classList.remove("selected");
  const row = document.querySelector(`#entries tr[data-id="${CSS.escape(id || "")}"]`);
  if (row) { row.classList.add("selected"); row.scrollIntoView({ block: "nearest" }); }
  renderDetail();
}

function move(step) {
  if (!view.length) return;
  const i = view.findIndex((e) => e.concept_id === selected);
  select(view[Math.max(0, Math.min(view.length - 1, i + step))].concept_id);
}

let canUndo = false;

async function decide(body, advance) {
  const entry = byId.get(selected);
  const ids = body.ids || (entry ? [entry.concept_id] : []);
  const request = { ...body, ids, versions: ids.map((id) => (byId.get(id) || {}).version) };
  const position = view.findIndex((e) => e.concept_id === selected);
  const { status, data } = await api("/api/decide", request);
  if (status === 409) {
    patch(data.entries || [], []);
    say(`Conflict: ${data.message}`, true);
    render();
    return false;
  }
  if (status !== 200) { say(`Not saved: ${data.message || status}`, true); return false; }
  say("");
  canUndo = data.can_undo;
  patch(data.changed, data.removed);
  computeHidden();
  filter();
  const stays = view.some((e) => e.concept_id === selected);
  render(position);
  if (advance && stays) move(1);
  return true;
}

function termsOf(e, lang) {
  return lang === "en" ? [e.en, ...e.en_variants.map((t) => t.text)] : [e.zh, ...e.zh_variants.map((t) => t.text)];
}

function highlight(text, terms) {
  const frag = document.createDocumentFragment();
  const low = text.toLowerCase();
  const spans = [];
  for (const term of terms) {
    const t = term.toLowerCase();
    if (!t) continue;
    for (let i = low.indexOf(t); i >= 0; i = low.indexOf(t, i + t.length)) spans.push([i, i + t.length]);
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let pos = 0;
  for (const [s, e] of spans) {
    if (s < pos) continue;
    frag.append(text.slice(pos, s), el("mark", { text: text.slice(s, e) }));
    pos = e;
  }
  frag.append(text.slice(pos));
  return frag;
}

function onEnter(input, save) {
  // An IME (Cangjie, pinyin, Quick) sends Enter to pick a candidate: never act while composing.
  input.addEventListener("keydown", (ev) => {
    if (ev.isComposing || ev.keyCode === 229) return;
    if (ev.key === "Enter") { ev.preventDefault(); save(); }
  });
}

function textField(label, id, value, save) {
  const input = el("input", { id, value, type: "text", "aria-label": label, lang: id.includes("zh") ? "zh-Hant-HK" : "en" });
  onEnter(input, () => { if (input.value.trim() !== value) save(input.value); else input.blur(); });
  return el("div", { class: "field" }, el("label", { htmlFor: id, text: label }), input);
}

function variantsTable(e, lang) {
  const key = `${lang}_variants`;
  const rows = e[key].map((t, i) => {
    const update = (fields) => {
      const list = e[key].map((v, j) => (j === i ? { ...v, ...fields } : v));
      decide({ op: "edit", [key]: list });
    };
    const type = el("select", { "aria-label": "variant type", onchange: () => update({ type: type.value }) },
      ...TYPES.map((x) => el("option", { value: x, text: x, selected: x === t.type })));
    const status = el("select", { "aria-label": "variant status", onchange: () => update({ status: status.value }) },
      ...TERM_STATUSES.map((x) => el("option", { value: x, text: x, selected: x === t.status })));
    return el("tr", { class: t.status === "deprecated" ? "deprecated-row" : "" },
      el("td", { class: t.status === "deprecated" ? "deprecated variant-text" : "variant-text", text: t.text }),
      el("td", {}, type), el("td", {}, status),
      el("td", {},
        el("button", { type: "button", class: "remove", text: "remove",
          onclick: () => decide({ op: "edit", [key]: e[key].filter((_, j) => j !== i) }) }),
        " ",
        el("button", { type: "button", class: "split", text: "split off",
          onclick: () => decide({ op: "split", lang, text: t.text }) })));
  });
  return el("table", { class: `variants variants-${lang}` },
    el("caption", { text: lang === "en" ? "English variants" : "Chinese variants" }), ...rows);
}

function addVariantForm(e) {
  const lang = el("select", { id: "variant-lang", "aria-label": "variant language" },
    el("option", { value: "en", text: "English" }), el("option", { value: "zh", text: "Chinese" }));
  const type = el("select", { id: "variant-type", "aria-label": "new variant type" },
    ...TYPES.map((x) => el("option", { value: x, text: x, selected: x === "variant" })));
  const text = el("input", { id: "variant-text", type: "text", placeholder: "new variant", "aria-label": "new variant" });
  const add = () => {
    if (!text.value.trim()) return;
    const key = `${lang.value}_variants`;
    decide({ op: "edit", [key]: [...e[key], { text: text.value.trim(), type: type.value, status: "admitted" }] });
  };
  onEnter(text, add);
  return el("div", { class: "buttons" }, lang, text, type, el("button", { type: "button", text: "add variant", onclick: add }));
}

let evidenceFor = null;

async function loadEvidence(e, box) {
  evidenceFor = e.concept_id;
  const { status, data } = await api(`/api/evidence/${encodeURIComponent(e.concept_id)}`);
  if (evidenceFor !== e.concept_id || status !== 200) return;
  const rows = data.map((p) => el("tr", { "data-pair": p.pair_id },
    el("td", { class: "zh", lang: "zh-Hant-HK" }, p.zh === null ? el("span", { class: "missing", text: p.pair_id }) : highlight(p.zh, termsOf(e, "zh"))),
    el("td", { class: "en", lang: "en" }, p.en === null ? el("span", { class: "missing", text: p.sources.join(", ") }) : highlight(p.en, termsOf(e, "en")))));
  box.replaceChildren(
    el("caption", { text: `Evidence: ${data.length} pair(s)` + (data.some((p) => p.zh === null) ? " (give --pairs to see their text)" : "") }),
    ...rows);
}

function renderDetail() {
  const pane = $("detail");
  const e = byId.get(selected);
  if (!e) { pane.replaceChildren(el("p", { text: "Nothing to review here: change the filters." })); return; }
  const other = marked && marked !== e.concept_id ? byId.get(marked) : null;
  const pairs = el("table", { class: "pairs" });
  pane.replaceChildren(
    el("h2", {}, el("span", { class: `status status-${e.status}`, text: e.status }),
      ` · score ${e.score.toFixed(3)} · seen ${e.frequency}× · ${e.concept_id}`),
    textField("English", "edit-en", e.en, (v) => decide({ op: "edit", en: v })),
    textField("Chinese", "edit-zh", e.zh, (v) => decide({ op: "edit", zh: v })),
    textField("Note", "edit-note", e.note, (v) => decide({ op: "edit", note: v })),
    el("div", { class: "buttons" },
      el("button", { type: "button", text: "Approve (a)", onclick: () => decide({ op: "status", status: "approved" }, true) }),
      el("button", { type: "button", text: "Reject (r)", onclick: () => decide({ op: "status", status: "rejected" }, true) }),
      el("button", { type: "button", text: "Candidate (c)", onclick: () => decide({ op: "status", status: "candidate" }) }),
      el("button", { type: "button", text: other ? `Merge “${other.en} / ${other.zh}” into this (m)` : (marked === e.concept_id ? "Unmark (m)" : "Mark for merge (m)"), onclick: mergeKey })),
    variantsTable(e, "en"), variantsTable(e, "zh"), addVariantForm(e), pairs);
  loadEvidence(e, pairs);
}

function mergeKey() {
  if (!selected) return;
  if (marked && marked !== selected && byId.has(marked)) {
    const gone = marked;
    decide({ op: "merge", ids: [selected, gone] });
    return;
  }
  marked = marked === selected ? null : selected;
  renderList();
  renderDetail();
}

function focusField(id) {
  const input = $(id);
  if (input) { input.focus(); input.select(); }
}

const KEYS = {
  j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
  a: () => decide({ op: "status", status: "approved" }, true),
  r: () => decide({ op: "status", status: "rejected" }, true),
  c: () => decide({ op: "status", status: "candidate" }),
  e: () => focusField("edit-en"), z: () => focusField("edit-zh"), n: () => focusField("edit-note"),
  v: () => focusField("variant-text"), m: mergeKey, u: undo,
  "/": () => focusField("search"),
  h: () => { $("hide-sub").checked = !$("hide-sub").checked; computeHidden(); render(); },
  "?": () => $("help").showModal(),
  1: () => setStatus(""), 2: () => setStatus("candidate"), 3: () => setStatus("approved"), 4: () => setStatus("rejected"),
};

function setStatus(value) {
  $("status-filter").value = value;
  shown = PAGE;
  render();
}

async function undo() {
  if (!canUndo) return;
  const { status, data } = await api("/api/decide", { op: "undo" });
  if (status !== 200) { say(`Not undone: ${data.message}`, true); canUndo = false; renderCounts(); return; }
  say("Undone.");
  canUndo = data.can_undo;
  patch(data.changed, data.removed);
  if (data.changed.length) selected = data.changed[0].concept_id;
  computeHidden();
  render();
}

document.addEventListener("keydown", (ev) => {
  if (ev.isComposing || ev.keyCode === 229) return;
  const target = ev.target;
  if (target.matches("input, select, textarea")) {
    if (ev.key === "Escape") { target.blur(); renderDetail(); }
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey || !(ev.key in KEYS)) return;
  ev.preventDefault();
  KEYS[ev.key]();
});

async function start() {
  const t0 = performance.now();
  const { status, data } = await api("/api/glossary");
  if (status !== 200) { say(`Cannot load the glossary: ${data.message || status}`, true); return; }
  $("file").textContent = data.file;
  canUndo = data.can_undo;
  setEntries(data.entries);
  render();
  $("search").addEventListener("input", () => { shown = PAGE; render(); });
  for (const id of ["status-filter", "kind-filter", "sort"]) $(id).addEventListener("change", () => { shown = PAGE; render(); });
  $("hide-sub").addEventListener("change", () => { computeHidden(); render(); });
  $("undo").addEventListener("click", undo);
  $("help-button").addEventListener("click", () => $("help").showModal());
  $("more").addEventListener("click", () => { shown += PAGE; renderList(); });
  $("entries").addEventListener("click", (ev) => {
    const row = ev.target.closest("tr[data-id]");
    if (row) select(row.dataset.id);
  });
  document.body.dataset.loadMs = (performance.now() - t0).toFixed(1);
  document.body.dataset.readyAt = performance.now().toFixed(1);  // ms since navigation began
  document.body.dataset.ready = "1";
}

start();
