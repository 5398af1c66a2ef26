/* Browse: combine facets and filter every dataset in place. The page itself lists one
   page of 50; on the first facet chosen this script fetches the whole listing as compact
   JSON (browse/datasets.json) and lists the matches from it. Without this script every
   facet value is a link to its own prerendered, paginated listing. */
(function () {
  "use strict";
  var nav = document.querySelector(".facets");
  var list = document.querySelector(".results .dataset-list");
  var total = document.querySelector(".total");
  if (!nav || !list || !total || !nav.getAttribute("data-source")) return;
  var source = new URL(nav.getAttribute("data-source"), location.href);
  var pager = document.querySelector(".results .pager");
  var FACETS = ["agency", "theme", "format", "license", "freshness", "year"];
  var SHOWN = 50;
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-facet]"));
  var counts = links.map(function (link) { return link.nextElementSibling.textContent; });
  var served = { items: Array.prototype.slice.call(list.children), total: total.textContent };
  var chosen = {};
  var data = null;

  function load() {
    if (!data) {
      data = fetch(source.href).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (json) {
        json.datasets.forEach(function (d) {
          d.slugs = {};
          FACETS.forEach(function (facet, i) {
            d.slugs[facet] = d[3 + i].map(function (n) { return json.facets[facet][n]; });
          });
        });
        return json;
      });
    }
    return data;
  }
  function active() {
    return Object.keys(chosen).filter(function (f) { return chosen[f].length; });
  }
  function matches(d, skip) {
    return active().every(function (facet) {
      return facet === skip || chosen[facet].some(function (v) { return d.slugs[facet].indexOf(v) >= 0; });
    });
  }
  function element(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }
  function item(json, d) {
    var agency = d[1].split("/")[0];
    var li = element("li");
    li.appendChild(element("h3")).appendChild(element("a", d[0], { href: new URL("../" + d[1] + "/index.html", source).href }));
    var byline = li.appendChild(element("p", "", { class: "byline" }));
    byline.appendChild(element("a", json.agencies[agency], { href: new URL("../" + agency + "/index.html", source).href }));
    if (d[2]) {
      byline.append(" · " + nav.getAttribute("data-modified") + " ");
      byline.appendChild(element("time", d[2], { datetime: d[2] }));
    }
    var state = d.slugs.freshness[0];
    if (state && state !== "unknown") {
      byline.append(" ");
      byline.appendChild(element("span", json.freshness[state], { class: "badge " + state }));
    }
    return li;
  }
  function show(json, found) {
    list.replaceChildren();
    var next = 0;
    function more() {
      found.slice(next, next + SHOWN).forEach(function (d) { list.appendChild(item(json, d)); });
      next += SHOWN;
      if (next < found.length) {
        var button = element("button", nav.getAttribute("data-more"), { type: "button", class: "more" });
        button.addEventListener("click", function () { button.remove(); more(); });
        list.after(button);
      }
    }
    more();
  }
  function count(json) {
    var tally = {};
    FACETS.forEach(function (facet) {
      tally[facet] = {};
      json.datasets.forEach(function (d) {
        if (!matches(d, facet)) return;
        d.slugs[facet].forEach(function (v) { tally[facet][v] = (tally[facet][v] || 0) + 1; });
      });
    });
    return tally;
  }
  function restore() {
    list.replaceChildren.apply(list, served.items);
    total.textContent = served.total;
    links.forEach(function (link, i) { link.nextElementSibling.textContent = counts[i]; link.removeAttribute("aria-current"); });
    if (pager) pager.hidden = false;
  }
  function update(json) {
    var old = list.parentNode.querySelector("button.more");
    if (old) old.remove();
    clear.hidden = !active().length;
    var hash = active().map(function (f) { return f + "=" + chosen[f].join("+"); }).join("&");
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    if (!active().length) return restore();
    var found = json.datasets.filter(function (d) { return matches(d, null); });
    var tally = count(json);
    links.forEach(function (link) {
      var facet = link.getAttribute("data-facet"), value = link.getAttribute("data-value");
      link.nextElementSibling.textContent = tally[facet][value] || 0;
      if ((chosen[facet] || []).indexOf(value) >= 0) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
    total.textContent = total.getAttribute(found.length === 1 ? "data-one" : "data-other").replace("{n}", found.length);
    if (pager) pager.hidden = true;
    show(json, found);
  }
  function toggle(facet, value) {
    var values = chosen[facet] || (chosen[facet] = []);
    var at = values.indexOf(value);
    if (at >= 0) values.splice(at, 1); else values.push(value);
  }

  var clear = element("button", nav.getAttribute("data-clear"), { type: "button", class: "clear" });
  clear.hidden = true;
  clear.addEventListener("click", function () { chosen = {}; load().then(update); });
  nav.insertBefore(clear, nav.firstChild);

  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      toggle(link.getAttribute("data-facet"), link.getAttribute("data-value"));
      // The listing cannot be fetched (file://, offline): the prerendered listing instead.
      load().then(update, function () { location.href = link.href; });
    });
  });
  location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var pair = part.split("=");
    if (pair.length === 2) pair[1].split("+").forEach(function (v) { toggle(decodeURIComponent(pair[0]), decodeURIComponent(v)); });
  });
  if (active().length) load().then(update, function () {});
})();
