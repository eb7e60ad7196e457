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

/*
 * Function words a citizen says around the matter itself ("我妈的养老金怎么不发了").
 * In a query they are masked: a bigram of two content characters is required,
 * one that has a function word on one side (丢了, 停了) is optional -- it adds to
 * the score and the coverage of a document that has it, and costs nothing to
 * one that does not -- and one inside a function word (怎么) is dropped. The
 * part as typed is still looked up whole, so an alias such as 营业期限到期怎么办
 * keeps its exact-match bonus.
 */
const STOP_WORDS = [
  "可不可以", "能不能够", "怎么回事", "为什么", "怎么办", "怎么样", "在哪里", "在哪儿", "能不能", "是不是",
  "有没有", "要不要", "可以吗", "怎么", "咋办", "什么", "在哪", "哪里", "哪儿", "去哪", "哪个", "哪些",
  "可以", "能否", "是否", "应该", "一下", "一个", "这个", "那个", "突然", "已经", "现在", "到底", "请问",
  "你好", "如何", "需要", "为啥", "咋样",
];
const STOP_CHARS = "的了吗呢吧啊呀嘛哦么我你他她它咱俺把都也还又就才很太着呗咋哪啥谁这那是";
const STOP = new RegExp(
  [...STOP_WORDS].sort((a, b) => b.length - a.length).join("|") + "|[" + STOP_CHARS + "]",
  "g"
);

/*
 * A query becomes parts (split on spaces and punctuation). Each part has
 * - grams: required terms: bigrams of its content characters; a content
 *   character standing alone between function words is a unigram (optional when
 *   the part has bigrams too);
 * - optional: bigrams with a function word on one side;
 * - words: the part typed whole (one run of three or more characters): a hit
 *   (an alias or title word) covers the part;
 * - bonus: content pieces of three or more characters: a hit adds to the score.
 */
function parse(query) {
  const parts = [];
  for (const raw of normalize(query).split(SPLIT)) {
    if (!raw) continue;
    const grams = new Set();
    const optional = new Set();
    const singles = new Set();
    const runs = raw.match(HAN) || [];
    const words = new Set();
    const bonus = new Set();
    for (const run of runs) {
      if (run.length >= 3) (runs.length === 1 ? words : bonus).add(run);
      const mask = new Uint8Array(run.length);
      for (const match of run.matchAll(STOP)) mask.fill(1, match.index, match.index + match[0].length);
      if (mask.every(Boolean)) mask.fill(0); // nothing but function words: search them as typed
      for (let i = 0; i + 1 < run.length; i++) {
        const stops = mask[i] + mask[i + 1];
        if (stops === 0) grams.add(run.slice(i, i + 2));
        else if (stops === 1) optional.add(run.slice(i, i + 2));
      }
      for (const piece of run.split("").map((c, i) => (mask[i] ? " " : c)).join("").split(" ")) {
        if (piece.length === 1) singles.add(piece);
        else if (piece.length >= 3 && piece !== run) bonus.add(piece);
      }
    }
    for (const word of raw.match(ALNUM) || []) grams.add(word);
    for (const single of singles) (grams.size ? optional : grams).add(single);
    for (const gram of grams) optional.delete(gram);
    if (grams.size) parts.push({ text: raw, grams: [...grams], optional: [...optional], words: [...words], bonus: [...bonus] });
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
      const packed = data[term];
      if (packed === undefined) return;
      // one number per posting: (doc id - previous doc id) * 100 + weight; a lone posting is not a list
      const list = new Map();
      let doc = 0;
      list.top = 0; // the term's highest weight in any document
      for (const value of typeof packed === "number" ? [packed] : packed) {
        doc += Math.floor(value / 100);
        list.set(doc, value % 100);
        list.top = Math.max(list.top, value % 100);
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
 * Score: for each query part, sum idf(term) * weight(term, doc) over the terms
 * the document has, times coverage squared, so documents holding the whole
 * phrase win. Coverage is the idf-weighted share of the part's required terms
 * the document has (plus the optional ones it has, see parse). A bigram that
 * occurs nowhere in the index (社保局, 坐火车 …) counts only UNKNOWN of a rare
 * term: citizens' words the records never use must not hide the ones they do,
 * yet a query of mostly unknown words finds nothing rather than noise. A
 * whole-word hit (an alias or title word typed as is) counts double and covers
 * the part. A document is listed when it covers COVERED of some part; the share
 * of the parts it covers multiplies its score.
 */
const UNKNOWN = 0.4;
const COVERED = 0.34;
const OPTIONAL_WEIGHT = 3; // the summary's weight in scripts/kb/search.py

function rank(parts, postings) {
  const total = manifest.docs;
  const idf = (term) => Math.log(1 + total / postings.get(term).size);
  // a bigram no record has in its summary or above (八十 in 八十多岁, said in passing)
  // weighs less in the coverage: it is the citizen's story, not the matter
  const strength = (term) => Math.min(1, postings.get(term).top / OPTIONAL_WEIGHT);
  const rare = Math.log(1 + total);
  const scores = new Map();
  parts.forEach((part, index) => {
    const known = part.grams.filter((gram) => postings.has(gram));
    const unknown = part.grams.length - known.length;
    const mass = known.reduce((sum, gram) => sum + idf(gram) * strength(gram), 0) + UNKNOWN * rare * unknown;
    const hits = new Map();
    for (const gram of known) {
      const weight = idf(gram);
      const share = weight * strength(gram);
      for (const [doc, w] of postings.get(gram)) {
        const entry = hits.get(doc) || { sum: 0, mass: 0, extra: 0, word: false };
        entry.sum += weight * w;
        entry.mass += share;
        hits.set(doc, entry);
      }
    }
    for (const gram of part.optional) {
      if (!postings.has(gram)) continue;
      const weight = idf(gram);
      for (const [doc, w] of postings.get(gram)) {
        const entry = hits.get(doc);
        // an optional term alone never lists a document, and counts only where it
        // is part of what the record is about (summary and up), not in passing
        if (!entry || w < OPTIONAL_WEIGHT) continue;
        entry.sum += weight * w;
        entry.extra += weight;
      }
    }
    for (const word of [...part.words, ...part.bonus]) {
      if (!postings.has(word)) continue;
      const weight = idf(word);
      const whole = part.words.includes(word);
      for (const [doc, w] of postings.get(word)) {
        const entry = hits.get(doc) || { sum: 0, mass: 0, extra: 0, word: false };
        entry.sum += 2 * weight * w;
        entry.word = entry.word || whole;
        hits.set(doc, entry);
      }
    }
    for (const [doc, entry] of hits) {
      const coverage = entry.word ? 1 : mass ? Math.min(1, (entry.mass + entry.extra) / (mass + entry.extra)) : 0;
      const score = entry.sum * coverage * coverage * (coverage === 1 ? 1.5 : 1);
      const result = scores.get(doc) || { score: 0, matched: parts.map(() => false) };
      result.score += score;
      result.matched[index] = result.matched[index] || coverage >= COVERED;
      scores.set(doc, result);
    }
  });
  for (const result of scores.values()) {
    const share = result.matched.filter(Boolean).length / parts.length;
    result.score *= share;
  }
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
    part.bonus.forEach((term) => terms.add(term));
    part.optional.forEach((term) => terms.add(term));
  }
  const postings = await lookup([...terms]);
  const ranked = rank(parts, postings);
  // unigrams only mark a part that is one character: a lone 证 in 还没证 would mark every 证
  const found = [...terms].filter((term) => postings.has(term) && (term.length > 1 || parts.some((p) => p.text === term)));
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
