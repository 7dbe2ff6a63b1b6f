// Site search with the Pagefind bundle of the page's language (data-index), opened from the
// masthead's button. Without JavaScript neither the button nor the form shows (CSS: .js, hidden).
(function () {
  "use strict";
  var form = document.querySelector(".site-search");
  var toggle = document.querySelector(".search-toggle");
  if (!form) return;
  var input = form.querySelector("input");
  var results = form.querySelector(".search-results");
  var index = new URL(form.dataset.index, location.href);
  var pagefind = null;
  var timer = null;
  var latest = 0;

  function open(show) {
    form.hidden = !show;
    if (toggle) toggle.setAttribute("aria-expanded", show ? "true" : "false");
    if (show) { input.focus(); load(); }
  }
  if (toggle) toggle.addEventListener("click", function () { open(form.hidden); });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { open(false); if (toggle) toggle.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
    if (event.key === "/" && !typing && form.hidden) { event.preventDefault(); open(true); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind.js", index).href).then(function (module) {
        return module.init().then(function () { return module; });
      });
    }
    return pagefind;
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) { results.textContent = ""; return; }
    load().then(function (module) { return module.search(query); }).then(function (search) {
      return Promise.all(search.results.slice(0, 8).map(function (r) { return r.data(); }))
        .then(function (items) { if (ticket === latest) show(items, search.results.length); });
    });
  }

  function show(items, total) {
    results.textContent = "";
    var count = document.createElement("p");
    count.className = "search-count";
    var one = new Intl.PluralRules(document.documentElement.lang).select(total) === "one";
    count.textContent = total ? (one ? form.dataset.resultsOne : form.dataset.results).replace("{n}", total)
                              : form.dataset.none;
    results.appendChild(count);
    var list = document.createElement("ol");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(item.url, location.href).href;  // Pagefind resolves URLs from where it is served
      link.textContent = item.meta.title;
      var excerpt = document.createElement("p");
      excerpt.innerHTML = item.excerpt;  // Pagefind escapes the text and adds only <mark>
      li.appendChild(link);
      li.appendChild(excerpt);
      list.appendChild(li);
    });
    results.appendChild(list);
  }
})();
