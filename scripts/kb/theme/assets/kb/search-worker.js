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
 *
 * The query is folded as the index was (scripts/kb/fold.py): traditional and
 * variant characters to simplified ones, the knowledge base's variant table
 * (身分证 -> 身份证), and regional words typed in traditional characters. A word
 * in Latin letters is also read as pinyin (shenfenzheng, shen fen zheng) and as
 * initials (sfz); those readings score below characters. The tables come with
 * the index (lang.json). Han characters of every CJK block count, one code point
 * each: strings are cut with Array.from, never by UTF-16 index.
 *
 * Every index file is read through loadJSON(path).
 *
 * Counter PCs keep a tab open all day. A download that fails (a network blip, a
 * busy server) is tried again a few times, and a failure is never kept: the next
 * query asks again. After `kb publish` the index files of the morning's release
 * are gone (their folder is named by a fingerprint of their content): a file that
 * is not found (404) makes the worker read the manifest again, and the query is
 * answered from the release the site serves now.
 */
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

// the same ranges as HAN_CLASS in scripts/kb/fold.py: every CJK block, beyond the BMP too
const HAN_RANGES = "\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3ffff}";
const HAN = new RegExp(`[${HAN_RANGES}]+`, "gu");
const HAS_HAN = new RegExp(`[${HAN_RANGES}]`, "u");
const ALNUM = /[a-z0-9]+/g;
const LATIN = /^[a-z]+$/;
const SCRIPT_RUNS = /[a-z]+|[^a-z]+/g;
// below a character match of the same record (search.py weighs their terms lower, too)
const PINYIN_FACTOR = 0.8;
const INITIALS_FACTOR = 0.7;
const INITIALS = "^"; // pinyin.py: INITIALS, JOIN
const JOIN = "'";
const SPLIT = /[\s,，。、;；:：!！?？"'“”‘’()（）[\]【】<>《》·/\\|+*=~`^_-]+/;
const MAX_RESULTS = 30;
// the index's manifest, as the theme reads it (relative to the site's root)
const MANIFEST = "search/search_index.json";
// a download is tried at most TRIES times, waiting BACKOFF ms before the second try, twice that before the third
const TRIES = 3;
const BACKOFF = 200;
// a query is answered at most this many times over when the site's index is replaced under it
const RELEASES = 2;

let manifest = null;
let root = null;
let latest = 0;
let langReady = null; // the promise of lang.json: {chars, variants, regional, syllables}
let lang = { chars: {}, variants: {}, regional: {}, syllables: [] };
let syllableSet = new Set();
let ruleLength = 0;
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

/*
 * The value of ``object``'s own property ``key``, else undefined. Every lookup by a
 * word of the query goes through here (or a Map): in a plain object a query word
 * such as constructor, toString or __proto__ would find the object's inherited
 * members instead of index data.
 */
function own(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

function normalize(text) {
  return text.normalize("NFKC").toLowerCase();
}

/*
 * The fold of scripts/kb/fold.py over an array of code points (already
 * normalized), in place: one character for one, then the variant rules
 * everywhere and the regional ones where the characters were traditional
 * (changed by the first step). Rules keep the length, so positions stay.
 */
function foldArray(chars) {
  const changed = new Uint8Array(chars.length);
  chars.forEach((char, i) => {
    const simple = own(lang.chars, char);
    if (simple !== undefined) {
      chars[i] = simple;
      changed[i] = 1;
    }
  });
  for (let i = 0; i < chars.length; i++) {
    for (let length = Math.min(ruleLength, chars.length - i); length >= 2; length--) {
      const key = chars.slice(i, i + length).join("");
      let value = own(lang.variants, key);
      if (value === undefined && changed.subarray(i, i + length).some(Boolean)) value = own(lang.regional, key);
      if (value !== undefined) {
        Array.from(value).forEach((char, k) => (chars[i + k] = char));
        i += length - 1;
        break;
      }
    }
  }
  return chars;
}

function fold(text) {
  return foldArray(Array.from(normalize(text))).join("");
}

/* Every way to cut a Latin word into the fewest pinyin syllables (at most four ways). */
function syllables(word) {
  const memo = new Map();
  const cut = (start) => {
    if (start === word.length) return [[]];
    if (memo.has(start)) return memo.get(start);
    let best = [];
    let fewest = Infinity;
    for (let length = Math.min(6, word.length - start); length >= 1; length--) {
      const syllable = word.slice(start, start + length);
      if (!syllableSet.has(syllable)) continue;
      for (const rest of cut(start + length)) {
        if (rest.length + 1 < fewest) {
          fewest = rest.length + 1;
          best = [];
        }
        if (rest.length + 1 === fewest && best.length < 4) best.push([syllable, ...rest]);
      }
    }
    memo.set(start, best);
    return best;
  };
  return cut(0);
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
  "你好", "如何", "需要", "为啥", "咋样", "一直", "始终", "总是", "老是", "至今",
];
const STOP_CHARS = "的了吗呢吧啊呀嘛哦么我你他她它咱俺把都也还又就才很太着呗咋哪啥谁这那是";
const STOP = new RegExp(
  [...STOP_WORDS].sort((a, b) => b.length - a.length).join("|") + "|[" + STOP_CHARS + "]",
  "g"
);

/*
 * A query becomes parts (split on spaces and punctuation; Latin letters next to
 * Chinese characters make a part of their own). Each part has one or more
 * readings; a document scores by its best one. A reading has
 * - grams: required terms: bigrams of its content characters; a content
 *   character standing alone between function words is a unigram (optional when
 *   the part has bigrams too);
 * - optional: bigrams with a function word on one side;
 * - words: the part typed whole (one run of three or more characters): a hit
 *   (an alias or title word) covers the part;
 * - bonus: content pieces of three or more characters: a hit adds to the score;
 * - factor: what a match by this reading is worth (pinyin less than characters).
 * Latin words are read as typed, as pinyin syllable bigrams (shen'fen, fen'zheng;
 * a word of one syllable joins the Latin words beside it: shen fen zheng) and as
 * initials (^sfz).
 */
function hanReading(raw) {
  const grams = new Set();
  const optional = new Set();
  const singles = new Set();
  const runs = raw.match(HAN) || [];
  const words = new Set();
  const bonus = new Set();
  for (const run of runs) {
    const chars = Array.from(run);
    if (chars.length >= 3) (runs.length === 1 ? words : bonus).add(run);
    // function words are all in the BMP: map each match's UTF-16 offsets to code points
    const at = new Map();
    let offset = 0;
    chars.forEach((char, i) => {
      at.set(offset, i);
      offset += char.length;
    });
    at.set(offset, chars.length);
    const mask = new Uint8Array(chars.length);
    for (const match of run.matchAll(STOP)) mask.fill(1, at.get(match.index), at.get(match.index + match[0].length));
    if (mask.every(Boolean)) mask.fill(0); // nothing but function words: search them as typed
    for (let i = 0; i + 1 < chars.length; i++) {
      const stops = mask[i] + mask[i + 1];
      if (stops === 0) grams.add(chars[i] + chars[i + 1]);
      else if (stops === 1) optional.add(chars[i] + chars[i + 1]);
    }
    for (const piece of chars.map((c, i) => (mask[i] ? " " : c)).join("").split(" ")) {
      const size = Array.from(piece).length;
      if (size === 1) singles.add(piece);
      else if (size >= 3 && piece !== run) bonus.add(piece);
    }
  }
  for (const word of raw.match(ALNUM) || []) grams.add(word);
  for (const single of singles) (grams.size ? optional : grams).add(single);
  for (const gram of grams) optional.delete(gram);
  return { grams: [...grams], optional: [...optional], words: [...words], bonus: [...bonus], factor: 1 };
}

function latinReadings(words) {
  const reading = (grams, factor) => ({ grams, optional: [], words: [], bonus: [], factor });
  const readings = [reading([...new Set(words)], 1)];
  // pinyin: every combination of the words' cuts (at most four), as syllable bigrams
  let cuts = [[]];
  for (const word of words) {
    const ways = syllables(word);
    cuts = ways.length ? cuts.flatMap((cut) => ways.map((way) => [...cut, ...way])).slice(0, 4) : [];
  }
  for (const cut of cuts) {
    if (cut.length < 2) continue;
    const grams = new Set();
    for (let i = 0; i + 1 < cut.length; i++) grams.add(cut[i] + JOIN + cut[i + 1]);
    readings.push(reading([...grams], PINYIN_FACTOR));
  }
  if (words.length === 1 && words[0].length >= 3 && words[0].length <= 10) { // pinyin.py: INITIALS_MIN
    readings.push(reading([INITIALS + words[0]], INITIALS_FACTOR));
  }
  return readings;
}

function parse(query) {
  const pieces = [];
  for (const raw of fold(query).split(SPLIT)) {
    if (!raw) continue;
    if (HAS_HAN.test(raw) && /[a-z]/.test(raw)) pieces.push(...raw.match(SCRIPT_RUNS));
    else pieces.push(raw);
  }
  // Latin words of one syllable join the Latin words beside them (shen fen zheng)
  const groups = [];
  for (const piece of pieces) {
    const latin = LATIN.test(piece);
    const spelled = latin && syllables(piece).length > 0;
    const single = latin && syllableSet.has(piece);
    const last = groups[groups.length - 1];
    if (spelled && last && last.spelled && (single || last.single)) last.words.push(piece);
    else groups.push({ latin, spelled, words: [piece] });
    groups[groups.length - 1].single = single;
  }
  const parts = [];
  for (const group of groups) {
    const readings = (group.latin ? latinReadings(group.words) : [hanReading(group.words[0])]).filter((r) => r.grams.length);
    if (readings.length) parts.push({ text: group.words.join(" "), readings });
  }
  return parts;
}

/* A file the server does not have (404, 410): the site has been published anew since the manifest was read. */
class Missing extends Error {}

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/* JSON at ``url``; a failure other than Missing is tried again, TRIES times in all. */
async function download(url, options) {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, options);
      if (response.status === 404 || response.status === 410) throw new Missing(`${response.status} ${url}`);
      if (!response.ok) throw new Error(`${response.status} ${url}`);
      return await response.json(); // a body cut short fails here, and is tried again too
    } catch (error) {
      if (error instanceof Missing || attempt >= TRIES) throw error;
    }
    await pause(BACKOFF * 2 ** (attempt - 1));
  }
}

/* The one place an index file is read (a path relative to the index's folder). */
function loadJSON(path) {
  return download(new URL(manifest.base + path, root));
}

/* ``cache``'s promise for ``key``, made by ``load`` when there is none; one that fails is dropped. */
function cached(cache, key, load) {
  if (!cache.has(key)) {
    const promise = load();
    cache.set(key, promise);
    promise.catch(() => {
      if (cache.get(key) === promise) cache.delete(key);
    });
  }
  return cache.get(key);
}

function shard(index) {
  return cached(shards, index, () => loadJSON(`t${index}.json`));
}

function chunk(index) {
  return cached(chunks, index, () => loadJSON(`d${index}.json`));
}

function loadLang() {
  if (!langReady) {
    const ready = (langReady = (manifest.lang ? loadJSON(manifest.lang) : Promise.resolve({})).then((data) => {
      lang = { chars: {}, variants: {}, regional: {}, syllables: [], ...data };
      syllableSet = new Set(lang.syllables);
      ruleLength = Math.max(0, ...Object.keys({ ...lang.variants, ...lang.regional }).map((key) => Array.from(key).length));
      return lang;
    }, (error) => {
      console.warn("search: no fold table", error); // search still works on characters as typed
      if (langReady === ready) langReady = null; // the next query asks again
      return lang;
    }));
  }
  return langReady;
}

/* The index the site serves now: true when its files are not those in use (then they are used from now on). */
let rereading = null;
function rereadManifest() {
  if (!rereading) {
    // from the server, not from the browser's cache: a release published within the second
    // has the same Last-Modified, and the answer would be "not modified"
    rereading = download(new URL(MANIFEST, root), { cache: "reload" })
      .then((data) => {
        const next = data.config.kb;
        if (next.base === manifest.base) return false;
        manifest = next;
        shards.clear();
        chunks.clear();
        langReady = null;
        return true;
      })
      .finally(() => {
        rereading = null;
      });
  }
  return rereading;
}

/* term -> Map(docId -> weight), for the terms present in the index. */
async function lookup(terms) {
  const out = new Map();
  await Promise.all(
    terms.map(async (term) => {
      const data = await shard(fnv1a(term) % manifest.shards);
      const packed = own(data, term);
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

/* ``text`` HTML-escaped, with the folded ``grams`` marked; positions count code points. */
function highlight(text, grams) {
  const original = Array.from(text);
  if (!grams.length) return escapeHTML(text);
  // fold code point by code point; one that normalizes to several stays as it is (and is never marked)
  const folded = foldArray(original.map((char) => {
    const norm = Array.from(normalize(char));
    return norm.length === 1 ? norm[0] : "\u0000";
  }));
  const marked = new Uint8Array(original.length);
  for (const gram of grams) {
    const size = Array.from(gram).length;
    for (let i = 0; i + size <= folded.length; i++) {
      if (folded.slice(i, i + size).join("") === gram) marked.fill(1, i, i + size);
    }
  }
  let out = "";
  let open = false;
  for (let i = 0; i < original.length; i++) {
    if (marked[i] && !open) {
      out += "<mark>";
      open = true;
    } else if (!marked[i] && open) {
      out += "</mark>";
      open = false;
    }
    out += escapeHTML(original[i]);
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

  /* doc -> {score, coverage} for one reading of a part */
  function score(reading) {
    const known = reading.grams.filter((gram) => postings.has(gram));
    const unknown = reading.grams.length - known.length;
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
    for (const gram of reading.optional) {
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
    for (const word of [...reading.words, ...reading.bonus]) {
      if (!postings.has(word)) continue;
      const weight = idf(word);
      const whole = reading.words.includes(word);
      for (const [doc, w] of postings.get(word)) {
        const entry = hits.get(doc) || { sum: 0, mass: 0, extra: 0, word: false };
        entry.sum += 2 * weight * w;
        entry.word = entry.word || whole;
        hits.set(doc, entry);
      }
    }
    const out = new Map();
    for (const [doc, entry] of hits) {
      const coverage = entry.word ? 1 : mass ? Math.min(1, (entry.mass + entry.extra) / (mass + entry.extra)) : 0;
      out.set(doc, { score: reading.factor * entry.sum * coverage * coverage * (coverage === 1 ? 1.5 : 1), coverage });
    }
    return out;
  }

  const scores = new Map();
  parts.forEach((part, index) => {
    const best = new Map();
    for (const reading of part.readings) {
      for (const [doc, hit] of score(reading)) {
        const seen = best.get(doc);
        if (!seen || hit.score > seen.score) best.set(doc, hit);
      }
    }
    for (const [doc, hit] of best) {
      const result = scores.get(doc) || { score: 0, matched: parts.map(() => false) };
      result.score += hit.score;
      result.matched[index] = result.matched[index] || hit.coverage >= COVERED;
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

/*
 * A tab open all day asks again for the manifest every ``manifest.recheck`` seconds (written by the build):
 * when the files it holds already answer every query, no download fails and nothing else would tell it that
 * a new release was published. Offline, or with the server busy, it keeps the index it has.
 */
let checked = Date.now();
async function recheck() {
  if (manifest.recheck === undefined || Date.now() - checked < manifest.recheck * 1000) return;
  checked = Date.now();
  try {
    await rereadManifest();
  } catch (error) {
    /* keep answering from the release in use */
  }
}

/* The answer to ``query``, from the index the site serves now (see rereadManifest). */
async function search(query) {
  await recheck();
  for (let attempt = 0; ; attempt++) {
    const used = manifest;
    try {
      const data = await answer(query);
      if (used === manifest) return data;
      // the index was replaced while this query was answered: answer it again from one release
    } catch (error) {
      if (!(error instanceof Missing) || attempt >= RELEASES) throw error;
      if (used === manifest && !(await rereadManifest())) throw error; // the same release lacks the file
    }
    if (attempt >= RELEASES) throw new Error("search: the index keeps changing");
  }
}

async function answer(query) {
  await loadLang();
  const parts = parse(query);
  if (!parts.length) return { items: [] };
  const terms = new Set();
  for (const part of parts) {
    for (const reading of part.readings) {
      for (const list of [reading.grams, reading.words, reading.bonus, reading.optional]) list.forEach((term) => terms.add(term));
    }
  }
  const postings = await lookup([...terms]);
  const ranked = rank(parts, postings);
  // unigrams only mark a part that is one character: a lone 证 in 还没证 would mark every 证;
  // pinyin terms spell no text to mark
  const found = [...terms].filter(
    (term) =>
      postings.has(term) &&
      !term.startsWith(INITIALS) &&
      !term.includes(JOIN) &&
      (Array.from(term).length > 1 || parts.some((p) => p.text === term))
  );
  const items = [];
  for (const [doc, result] of ranked) {
    const [location, title, teaser, tags] = (await chunk(Math.floor(doc / manifest.chunk)))[doc % manifest.chunk];
    const termsShown = Object.create(null);
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
    checked = Date.now();
    root = new URL("../../", self.location.href);
    loadLang().catch(() => {}); // fetched now, so the first query need not wait for it
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
