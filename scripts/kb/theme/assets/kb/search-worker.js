/*
 * Search worker for the knowledge base, speaking the theme's worker protocol
 * (SETUP -> READY, QUERY -> RESULT; see Material for MkDocs'
 * integrations/search/worker). The index is written by scripts/kb/search.py:
 * postings are sharded by an FNV-1a hash of the term, so a query downloads only
 * the shards of its own terms, whatever the size of the knowledge base.
 *
 * Chinese text is matched by character bigrams, so any part of a longer word is
 * found (身份证 inside 居民身份证); a query run that is a whole indexed word or
 * alias earns a bonus. Everything shown is HTML-escaped here before <mark> is
 * added: record text never becomes markup.
 */
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const ALNUM = /[a-z0-9]+/g;
const SPLIT = /[\s,，。、;；:：!！?？"'“”‘’()（）[\]【】<>《》·/\\|+*=~`^_-]+/;
const MAX_RESULTS = 30;

let manifest = null;
let root = null;
let latest = 0;
const shards = new Map();
const chunks = new Map();

function fnv1a(term) {
  let hash = 0x811c9dc5;
  for (const char of term) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function normalize(text) {
  return text.normalize("NFKC").toLowerCase();
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/* A query becomes parts (split on spaces and punctuation); each part has its bigrams and whole runs. */
function parse(query) {
  const parts = [];
  for (const raw of normalize(query).split(SPLIT)) {
    if (!raw) continue;
    const grams = new Set();
    const words = [];
    for (const run of raw.match(HAN) || []) {
      if (run.length === 1) grams.add(run);
      for (let i = 0; i + 1 < run.length; i++) grams.add(run.slice(i, i + 2));
      if (run.length >= 3) words.push(run);
    }
    for (const word of raw.match(ALNUM) || []) grams.add(word);
    if (grams.size) parts.push({ text: raw, grams: [...grams], words });
  }
  return parts;
}

function fetchJSON(path) {
  return fetch(new URL(manifest.base + path, root)).then((response) => {
    if (!response.ok) throw new Error(`${response.status} ${path}`);
    return response.json();
  });
}

function shard(index) {
  if (!shards.has(index)) shards.set(index, fetchJSON(`t${index}.json`));
  return shards.get(index);
}

function chunk(index) {
  if (!chunks.has(index)) chunks.set(index, fetchJSON(`d${index}.json`));
  return chunks.get(index);
}

/* term -> Map(docId -> weight), for the terms present in the index. */
async function lookup(terms) {
  const out = new Map();
  await Promise.all(
    terms.map(async (term) => {
      const data = await shard(fnv1a(term) % manifest.shards);
      const flat = data[term];
      if (!flat) return;
      const list = new Map();
      let doc = 0;
      for (let i = 0; i < flat.length; i += 2) {
        doc += flat[i];
        list.set(doc, flat[i + 1]);
      }
      out.set(term, list);
    })
  );
  return out;
}

function highlight(text, grams) {
  const norm = normalize(text);
  if (norm.length !== text.length || !grams.length) return escapeHTML(text);
  const marked = new Uint8Array(text.length);
  for (const gram of grams) {
    for (let i = norm.indexOf(gram); i !== -1; i = norm.indexOf(gram, i + 1)) marked.fill(1, i, i + gram.length);
  }
  let out = "";
  let open = false;
  for (let i = 0; i < text.length; i++) {
    if (marked[i] && !open) {
      out += "<mark>";
      open = true;
    } else if (!marked[i] && open) {
      out += "</mark>";
      open = false;
    }
    out += escapeHTML(text[i]);
  }
  return open ? out + "</mark>" : out;
}

/*
 * Score: for each query part, sum idf(term) * weight(term, doc) over the bigrams
 * the document has, times coverage squared (the share of the part's bigrams it
 * has), so documents holding the whole phrase win; a whole-word hit doubles in.
 */
function rank(parts, postings) {
  const total = manifest.docs;
  const idf = (term) => Math.log(1 + total / postings.get(term).size);
  const scores = new Map();
  parts.forEach((part, index) => {
    const hits = new Map();
    for (const gram of part.grams) {
      if (!postings.has(gram)) continue;
      const weight = idf(gram);
      for (const [doc, w] of postings.get(gram)) {
        const entry = hits.get(doc) || { sum: 0, count: 0, word: false };
        entry.sum += weight * w;
        entry.count += 1;
        hits.set(doc, entry);
      }
    }
    for (const word of part.words) {
      if (!postings.has(word)) continue;
      const weight = idf(word);
      for (const [doc, w] of postings.get(word)) {
        const entry = hits.get(doc) || { sum: 0, count: 0, word: false };
        entry.sum += 2 * weight * w;
        entry.word = true;
        hits.set(doc, entry);
      }
    }
    for (const [doc, entry] of hits) {
      const coverage = Math.min(1, entry.word ? 1 : entry.count / part.grams.length);
      const score = entry.sum * coverage * coverage * (coverage === 1 ? 1.5 : 1);
      const result = scores.get(doc) || { score: 0, matched: parts.map(() => false) };
      result.score += score;
      result.matched[index] = result.matched[index] || coverage >= 0.5;
      scores.set(doc, result);
    }
  });
  return [...scores.entries()]
    .filter(([, result]) => result.matched.some(Boolean))
    .sort((a, b) => b[1].score - a[1].score || a[0] - b[0])
    .slice(0, MAX_RESULTS);
}

async function search(query) {
  const parts = parse(query);
  if (!parts.length) return { items: [] };
  const terms = new Set();
  for (const part of parts) {
    part.grams.forEach((term) => terms.add(term));
    part.words.forEach((term) => terms.add(term));
  }
  const postings = await lookup([...terms]);
  const ranked = rank(parts, postings);
  const found = [...terms].filter((term) => postings.has(term));
  const items = [];
  for (const [doc, result] of ranked) {
    const [location, title, teaser, tags] = (await chunk(Math.floor(doc / manifest.chunk)))[doc % manifest.chunk];
    const termsShown = {};
    parts.forEach((part, index) => {
      termsShown[part.text] = result.matched[index];
    });
    items.push([
      {
        location,
        title: highlight(title, found),
        text: highlight(teaser, found),
        tags: tags.length ? tags : undefined,
        score: result.score,
        terms: termsShown,
      },
    ]);
  }
  return { items };
}

addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    manifest = message.data.config.kb;
    root = new URL("../../", self.location.href);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const ticket = ++latest;
    let data;
    try {
      data = await search(message.data);
    } catch (error) {
      console.warn("search failed", error);
      data = { items: [] };
    }
    // A newer query is on its way: its answer replaces this one.
    if (ticket === latest) {
      postMessage({ type: RESULT, data });
      self.kbAnswered = message.data; // lets tests and benchmarks wait for exactly this query
    }
  }
});
