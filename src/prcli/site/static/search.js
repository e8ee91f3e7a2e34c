// prcli newsroom search: Pagefind bundles (one per year of this language), merged in the browser.
// The index holds text folded like `prcli search` folds it (ə -> e, ı -> i, ş -> s, ё -> е ...),
// so the query is folded the same way before Pagefind sees it: "susa" finds "Şuşa".
// A classic script (a module would not run from file://), its names kept to itself.
(() => {
const script = document.getElementById("search-script");
const root = script.dataset.root;
const bundles = script.dataset.bundles.split(" ").filter(Boolean);
const form = document.querySelector(".search-form");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const unavailable = document.getElementById("search-unavailable");
// Browsers load no search index into a page opened from disk: say so at once.
if (location.protocol === "file:") unavailable.hidden = false;

const EXTRA = { "ə": "e", "Ə": "e", "ı": "i", "ø": "o", "đ": "d", "ł": "l", "ß": "ss" };
const COMBINING = /[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const extra = (text) => text.replace(/[əƏıøđłß]/g, (c) => EXTRA[c]);
function fold(text) {
  return extra(extra(text).normalize("NFKD").replace(COMBINING, "").toLowerCase());
}

let pagefind = null;
async function load() {
  if (pagefind || bundles.length === 0) return pagefind;
  pagefind = await import(new URL(bundles[0] + "pagefind.js", new URL(root, document.baseURI)).href);
  // noWorker: Pagefind 1.5 starts a worker with a 5 s start-up race, and when the race is lost its
  // fallback never finishes merging further bundles (seen in headless Chromium). Searching a press
  // office's index on the main thread takes milliseconds.
  await pagefind.options({
    bundlePath: new URL(bundles[0], new URL(root, document.baseURI)).href,
    noWorker: true,
  });
  for (const bundle of bundles.slice(1)) {
    await pagefind.mergeIndex(new URL(bundle, new URL(root, document.baseURI)).href);
  }
  return pagefind;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in values ? values[name] : m));
}

function line(data) {
  const item = document.createElement("li");
  item.className = "entry";
  const meta = document.createElement("p");
  meta.className = "entry-meta";
  meta.textContent = [data.meta.category, data.meta.date].filter(Boolean).join(" · ");
  const heading = document.createElement("h2");
  heading.className = "entry-title";
  const link = document.createElement("a");
  link.href = root + data.url.replace(/^\/+/, "");
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  if (data.meta.mark) {
    // a retracted release: marked as in the lists ("[Retracted]", struck through)
    item.classList.add("retracted");
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = data.meta.mark;
    heading.append(" ", badge);
  }
  item.append(meta, heading);
  if (data.meta.summary) {
    const text = document.createElement("p");
    text.className = "entry-summary";
    text.textContent = data.meta.summary;
    item.append(text);
  }
  return item;
}

// "1 result", "2 results": data-results-<CLDR plural form> when the language words it apart.
const plurals = new Intl.PluralRules(document.documentElement.lang || "en");
function plural(count) {
  const form = plurals.select(count);
  return script.dataset["results" + form[0].toUpperCase() + form.slice(1)] || script.dataset.results;
}

let latest = 0;
async function run(query) {
  const ticket = ++latest;
  const folded = fold(query.trim());
  list.replaceChildren();
  if (!folded) { status.textContent = ""; return; }
  let engine;
  try {
    engine = await load();
  } catch (error) {
    // The index did not load (a page opened from file://, a bundle missing): say so, visibly.
    pagefind = null;
    unavailable.hidden = false;
    status.textContent = "";
    document.body.dataset.searchDone = query;
    return;
  }
  if (!engine) {
    status.textContent = fill(script.dataset.none, { query });
    document.body.dataset.searchDone = query;
    return;
  }
  const found = await engine.search(folded);
  const results = await Promise.all(found.results.slice(0, 50).map((r) => r.data()));
  if (ticket !== latest) return;
  list.replaceChildren(...results.map(line));
  status.textContent = fill(results.length ? plural(found.results.length) : script.dataset.none, {
    count: found.results.length,
    query,
  });
  document.body.dataset.searchDone = query;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  run(input.value);
});
let timer = null;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 250);
});
const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
})();
