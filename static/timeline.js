// What JavaScript adds to a page; without it every link still works.
// - Tag chips filter the timeline in place (they are links to tag pages otherwise): the chip
//   stays where it was on the screen, headings, the map of the story and the chart follow.
// - The language switch lands on the event the reader is at.
// - A jump to a note folded in a <details> opens it; printing opens them all.
// - On a long page, a bar with "back to top" and the other languages appears two screens down.
(function () {
  "use strict";
  var root = document.documentElement;
  var words = root.dataset;

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.closest("details");
    if (details && !details.open) { details.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { closed.forEach(function (d) { d.open = false; }); });

  // Two screens down a long page, a small bar offers the way back to the top and the page in
  // the other languages (on a timeline, at the event being read).
  var main = document.getElementById("main");
  var bar = null;
  if (main && root.scrollHeight > 3 * innerHeight) {
    bar = document.createElement("nav");
    bar.className = "reading-bar";
    bar.setAttribute("aria-label", words.readingBar);
    var top = document.createElement("a");
    top.href = "#main";
    top.textContent = words.toTop;
    bar.appendChild(top);
    document.querySelectorAll(".lang-switch a[hreflang]").forEach(function (link) { bar.appendChild(link.cloneNode(true)); });
    bar.hidden = true;
    document.body.appendChild(bar);
    addEventListener("scroll", function () { bar.hidden = scrollY < 2 * innerHeight; }, { passive: true });
  }

  var status = document.querySelector(".filter-status");
  if (!status) return;  // only a timeline filters in place and keeps the reader's place across languages
  var events = Array.prototype.slice.call(document.querySelectorAll(".rail > .event"));
  var chips = Array.prototype.slice.call(document.querySelectorAll(".tag-chip"));

  document.querySelectorAll(".reading-bar a[hreflang]").forEach(function (link) {
    link.addEventListener("click", function () {
      // the first event mostly on screen: its lower part at least a fifth of the way down
      var here = events.filter(function (li) { return !li.hidden && li.getBoundingClientRect().bottom > innerHeight / 5; })[0];
      if (here && scrollY > 0) link.href = link.href.split("#")[0] + "#" + here.id;
    });
  });

  function hideEmpty(selector, holder) {
    document.querySelectorAll(selector).forEach(function (element) {
      element.hidden = !holder(element).some(function (li) { return !li.hidden; });
    });
  }

  function apply(tag, label) {
    var shown = 0;
    events.forEach(function (li) {
      var keep = !tag || (" " + li.dataset.tags + " ").indexOf(" " + tag + " ") >= 0;
      li.hidden = !keep;
      if (keep) shown += 1;
    });
    var visible = {};
    events.forEach(function (li) { if (!li.hidden) visible[li.id] = true; });
    document.querySelectorAll(".rail").forEach(function (rail) {
      rail.hidden = !rail.querySelector(".event:not([hidden])");
      var heading = rail.previousElementSibling;
      if (heading && /^H3$/.test(heading.tagName)) heading.hidden = rail.hidden;
    });
    hideEmpty(".era", function (era) { return Array.prototype.slice.call(era.querySelectorAll(".rail > .event")); });
    document.querySelectorAll(".toc-headings li[data-heading]").forEach(function (item) {
      var heading = document.getElementById(item.dataset.heading);
      item.hidden = !!(heading && heading.hidden);
    });
    document.querySelectorAll(".toc-era[data-era]").forEach(function (item) {
      var era = document.getElementById("era-" + item.dataset.era);
      item.hidden = !!(era && era.hidden);
    });
    document.querySelectorAll(".chart a.chart-link").forEach(function (mark) {
      var slug = (mark.getAttribute("href") || "").split("#")[1];
      mark.classList.toggle("chart-filtered", !!tag && !!slug && !visible[slug]);
    });
    chips.forEach(function (chip) { chip.setAttribute("aria-pressed", chip.dataset.tag === tag ? "true" : "false"); });
    status.textContent = "";
    if (tag) {
      var text = document.createElement("span");
      text.textContent = words.filterStatus.replace("{tag}", label).replace("{n}", shown);
      var reset = document.createElement("button");
      reset.type = "button";
      reset.textContent = words.filterAll;
      reset.addEventListener("click", function () { choose(null, null, reset); });
      status.appendChild(text);
      status.appendChild(reset);
      status.hidden = false;
    } else {
      status.hidden = true;
    }
  }

  function choose(tag, label, anchor) {
    var before = anchor.getBoundingClientRect().top;
    var url = new URL(location.href);
    if (tag) url.searchParams.set("tag", tag); else url.searchParams.delete("tag");
    history.replaceState(null, "", url);
    apply(tag, label);
    // Keep what the reader clicked where it was (the events above it may have gone or come back).
    var keep = document.body.contains(anchor) && anchor.offsetParent ? anchor : status;
    window.scrollBy(0, keep.getBoundingClientRect().top - before);
  }

  chips.forEach(function (chip) {
    chip.setAttribute("role", "button");
    chip.setAttribute("aria-pressed", "false");
    chip.addEventListener("click", function (event) {
      event.preventDefault();
      var active = chip.getAttribute("aria-pressed") === "true";
      choose(active ? null : chip.dataset.tag, chip.textContent, chip);
    });
  });
  var initial = new URL(location.href).searchParams.get("tag");
  var first = chips.filter(function (c) { return c.dataset.tag === initial; })[0];
  if (first) apply(initial, first.textContent);
})();
