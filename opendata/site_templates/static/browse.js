/* Browse: filter the full listing in place. Without this script every facet value is a
   link to its own prerendered listing, so browsing works without JavaScript too. */
(function () {
  "use strict";
  var nav = document.querySelector(".facets");
  var items = Array.prototype.slice.call(document.querySelectorAll(".results .dataset-list > li"));
  var total = document.querySelector(".total");
  if (!nav || !total) return;
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-facet]"));
  var chosen = {};

  function values(item, facet) {
    return (item.getAttribute("data-" + facet) || "").split(" ");
  }
  function matches(item, skip) {
    return Object.keys(chosen).every(function (facet) {
      if (facet === skip || !chosen[facet].length) return true;
      var own = values(item, facet);
      return chosen[facet].some(function (value) { return own.indexOf(value) >= 0; });
    });
  }
  function update() {
    var shown = 0;
    items.forEach(function (item) {
      item.hidden = !matches(item, null);
      if (!item.hidden) shown += 1;
    });
    links.forEach(function (link) {
      var facet = link.getAttribute("data-facet"), value = link.getAttribute("data-value");
      var n = items.filter(function (item) {
        return matches(item, facet) && values(item, facet).indexOf(value) >= 0;
      }).length;
      link.nextElementSibling.textContent = n;
      if ((chosen[facet] || []).indexOf(value) >= 0) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
    var template = total.getAttribute(shown === 1 ? "data-one" : "data-other");
    total.textContent = template.replace("{n}", shown);
    clear.hidden = !Object.keys(chosen).some(function (f) { return chosen[f].length; });
    var hash = Object.keys(chosen).filter(function (f) { return chosen[f].length; })
      .map(function (f) { return f + "=" + chosen[f].join("+"); }).join("&");
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function toggle(facet, value) {
    var list = chosen[facet] || (chosen[facet] = []);
    var at = list.indexOf(value);
    if (at >= 0) list.splice(at, 1); else list.push(value);
  }

  var clear = document.createElement("button");
  clear.type = "button";
  clear.className = "clear";
  clear.textContent = nav.getAttribute("data-clear");
  clear.addEventListener("click", function () { chosen = {}; update(); });
  nav.insertBefore(clear, nav.firstChild);

  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      toggle(link.getAttribute("data-facet"), link.getAttribute("data-value"));
      update();
    });
  });
  location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var pair = part.split("=");
    if (pair.length === 2) pair[1].split("+").forEach(function (v) { toggle(decodeURIComponent(pair[0]), decodeURIComponent(v)); });
  });
  update();
})();
