// The peer's search box for `kb bench --peer pagefind` (never part of the site):
// what Pagefind's own UI does for a query -- search, then load the first page of
// results (five, as its default UI shows) -- through its documented JS API.
// window.kbPeerAnswered tells the benchmark which query the list shows.
const pagefind = await import("../pagefind/pagefind.js");
const input = document.getElementById("q");
const list = document.getElementById("results");
let latest = 0;

input.addEventListener("input", async () => {
  const ticket = ++latest;
  const query = input.value;
  const search = await pagefind.search(query);
  const data = search ? await Promise.all(search.results.slice(0, 5).map((r) => r.data())) : [];
  if (ticket !== latest) return;
  list.replaceChildren(
    ...data.map((item) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.meta && item.meta.title ? item.meta.title : item.url;
      li.append(a);
      return li;
    })
  );
  window.kbPeerAnswered = query;
});
