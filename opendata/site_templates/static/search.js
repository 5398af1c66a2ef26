// Search the catalogue with Pagefind's index, built with the site: no server, no external request.
// The index is split into chunks, so a query downloads only the fragments it needs.
// Without JavaScript the page's full listing stays, so every dataset can still be found.
// From file:// (a USB copy), where browsers refuse to load the index, the query filters
// the listing on this page by its words instead, and says that it did.
(function () {
  "use strict";
  var script = document.currentScript;
  var results = document.getElementById("search-results");
  var form = document.querySelector('main form[role="search"]'); // not the header's form
  if (!script || !results || !form) return;
  var input = form.querySelector('input[name="q"]');
  var fallback = document.getElementById("search-fallback");
  var root = new URL("../", script.src); // the site root: static/ sits just below it
  var SHOWN = 10; // results whose fragments are fetched at once
  var say = results.dataset; // the page's words, from the site's gettext catalogues
  function fill(text, n, q) { return text.replace("{n}", n).replace("{q}", q); }
  var WORDS = {
    found: function (n, q) { return fill(n === 1 ? say.foundOne : say.found, n, q); },
    none: function (q) { return fill(say.none, "", q); },
    more: say.more,
    failed: say.failed,
    refine: say.refine,
    filters: { agency: say.agency, theme: say.theme, format: say.format, license: say.license },
    any: say.any,
  };
  var pagefind = null;
  var chosen = {};
  var latest = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        return module.options({ baseUrl: "/" }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function element(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  // Pagefind marks matches with <mark>; rebuild them as nodes so no page HTML is injected.
  function excerpt(html) {
    var p = element("p");
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.body.childNodes.forEach(function (node) {
      p.appendChild(node.nodeName === "MARK" ? element("mark", node.textContent) : document.createTextNode(node.textContent));
    });
    return p;
  }

  function item(data) {
    var li = element("li");
    var link = element("a", data.meta.title || data.url, { href: new URL(data.url.replace(/^\//, ""), root).href });
    li.appendChild(element("h2", "")).appendChild(link);
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function show(found, query, id) {
    var list = element("ol", "", { class: "search-results" });
    var status = element("p", found.length ? WORDS.found(found.length, query) : WORDS.none(query), { role: "status" });
    results.replaceChildren(status, list);
    if (fallback) fallback.hidden = true;
    var next = 0;
    function page() {
      var slice = found.slice(next, next + SHOWN);
      next += SHOWN;
      return Promise.all(slice.map(function (r) { return r.data(); })).then(function (all) {
        if (id !== latest) return;
        all.forEach(function (data) { list.appendChild(item(data)); });
        if (next < found.length) {
          var more = element("button", WORDS.more, { type: "button", class: "more" });
          more.addEventListener("click", function () { more.remove(); page(); });
          results.appendChild(more);
        }
      });
    }
    return page();
  }

  function search(query) {
    var id = ++latest;
    if (!query.trim()) {
      results.replaceChildren();
      if (fallback) fallback.hidden = false;
      return Promise.resolve();
    }
    return load()
      .then(function (module) { return module.search(query, { filters: chosen }); })
      .then(function (found) { if (id === latest && found) return show(found.results, query, id); })
      .catch(function () { results.replaceChildren(element("p", WORDS.failed, { role: "status" })); });
  }

  // One select per facet of the index (agency, theme, format, licence), after the form.
  // The values and counts come with the page (written at build time), so choosing one
  // fetches only that facet's filter index, never all of them as Pagefind's filters() would.
  function filters() {
    return Promise.resolve(JSON.parse(say.filters || "{}")).then(function (facets) {
      var box = element("div", "", { class: "search-filters" });
      box.style.display = "flex";
      box.style.flexWrap = "wrap";
      box.style.gap = "0.25rem 1rem";
      Object.keys(WORDS.filters).forEach(function (key) {
        var values = Object.keys(facets[key] || {}).sort();
        if (!values.length) return;
        var select = element("select", "", { id: "filter-" + key, name: key });
        select.appendChild(element("option", WORDS.any, { value: "" }));
        values.forEach(function (value) { select.appendChild(element("option", value + " (" + facets[key][value] + ")", { value: value })); });
        select.addEventListener("change", function () {
          if (select.value) chosen[key] = select.value; else delete chosen[key];
          search(input.value);
        });
        select.style.maxWidth = "100%";
        var label = element("label", WORDS.filters[key], { for: select.id });
        var pair = element("p");
        pair.style.margin = "0";
        pair.style.maxWidth = "100%";
        pair.append(label, " ", select);
        box.appendChild(pair);
      });
      form.after(box); // outside the form's row: each change searches at once
    });
  }

  // Each word of the query must appear in a listed dataset's title, agency or summary.
  function offline(query) {
    var words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    var items = fallback ? Array.prototype.slice.call(fallback.querySelectorAll(".dataset-list > li")) : [];
    var n = 0;
    items.forEach(function (li) {
      var text = li.textContent.toLocaleLowerCase();
      li.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
      if (!li.hidden) n += 1;
    });
    results.replaceChildren(element("p", fill(say.offline, n, query), { role: "status" }));
  }

  var query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  if (location.protocol === "file:") {
    if (query.trim()) offline(query);
    return; // the form reloads this page with ?q=
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  var refine = element("button", WORDS.refine, { type: "button", class: "refine" });
  refine.addEventListener("click", function () {
    refine.disabled = true;
    filters().then(function () { refine.remove(); }, function () { refine.disabled = false; });
  });
  form.after(refine);
  if (query) search(query);
})();
