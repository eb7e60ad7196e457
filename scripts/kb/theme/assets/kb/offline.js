/*
 * Search for a copy of the site opened from disk (file://), e.g. at a village
 * service station without network. Loaded only in offline builds (kb bundle, or
 * Material's offline plugin), before the theme's own script.
 *
 * Browsers refuse `new Worker()` for a file:// page and fetch() cannot read files.
 * So the theme gets a stand-in Worker that runs the search worker's own code in
 * the page (assets/kb/search-worker.page.js: the same code, wrapped in a function
 * by kb/bundle.py), and the worker's fetch() of an index file is answered from its
 * script copy (<name>.json.js, which calls __kbFile), loaded with a <script>
 * element -- browsers do allow that. Nothing is fetched from anywhere else.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  const root = new URL("../../", document.currentScript.src); // this file is assets/kb/offline.js
  const files = new Map(); // site-relative path -> {promise, resolve, reject}

  function entry(key) {
    if (!files.has(key)) {
      let resolve, reject;
      const promise = new Promise((yes, no) => { resolve = yes; reject = no; });
      files.set(key, { promise, resolve, reject, loading: false });
    }
    return files.get(key);
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error("无法读取 " + src));
      document.head.appendChild(script);
    });
  }

  // Called by every index script copy: __kbFile("search/kb/<digest>/t3.json", {...}).
  window.__kbFile = function (key, data) {
    entry(key).resolve(data);
  };

  // fetch() for the worker: only files of this copy, answered from their script copies.
  function readFile(input) {
    const url = new URL(String(input), root);
    if (!url.href.startsWith(root.href)) {
      return Promise.reject(new Error("离线版只读取本机文件：" + url.href));
    }
    const key = decodeURI(url.pathname.slice(root.pathname.length));
    const file = entry(key);
    if (!file.loading) {
      file.loading = true;
      loadScript(new URL(key + ".js", root).href).catch(file.reject);
    }
    return file.promise.then((data) => ({
      ok: true,
      status: 200,
      json: () => Promise.resolve(data),
      text: () => Promise.resolve(JSON.stringify(data)),
    }));
  }

  const PageWorkerCode = new URL("assets/kb/search-worker.page.js", root).href;

  // The theme creates exactly one worker, for search; it talks to it with postMessage.
  class PageWorker extends EventTarget {
    constructor(url) {
      super();
      const outside = this;
      const inside = new EventTarget(); // the worker's `self`
      inside.location = { href: new URL(String(url), location.href).href };
      inside.onmessage = null;
      inside.postMessage = (data) => {
        setTimeout(() => {
          const event = new MessageEvent("message", { data });
          if (typeof outside.onmessage === "function") outside.onmessage(event);
          outside.dispatchEvent(event);
        });
      };
      this.onmessage = null;
      this.scope = inside;
      this.ready = loadScript(PageWorkerCode).then(() => {
        window.__kbWorker(inside, inside.postMessage, readFile, inside.addEventListener.bind(inside));
      });
    }

    postMessage(data) {
      this.ready.then(() => {
        const event = new MessageEvent("message", { data });
        if (typeof this.scope.onmessage === "function") this.scope.onmessage(event);
        this.scope.dispatchEvent(event);
      });
    }

    terminate() {}
  }

  window.Worker = PageWorker;
})();
