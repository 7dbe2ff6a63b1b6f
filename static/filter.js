// Tag chips filter the timeline in place. Without JavaScript they stay links to tag pages.
(function () {
  "use strict";
  var status = document.querySelector(".filter-status");
  if (!status) return;  // only the timeline filters in place
  var events = Array.prototype.slice.call(document.querySelectorAll(".rail > .event"));
  var chips = Array.prototype.slice.call(document.querySelectorAll(".tag-chip"));
  var words = document.documentElement.dataset;

  function apply(tag, label) {
    var shown = 0;
    events.forEach(function (li) {
      var keep = !tag || (" " + li.dataset.tags + " ").indexOf(" " + tag + " ") >= 0;
      li.hidden = !keep;
      if (keep) shown += 1;
    });
    document.querySelectorAll(".era").forEach(function (era) {
      era.hidden = !era.querySelector(".rail > .event:not([hidden])");
    });
    chips.forEach(function (chip) {
      chip.setAttribute("aria-pressed", chip.dataset.tag === tag ? "true" : "false");
    });
    status.textContent = "";
    if (tag) {
      var text = document.createElement("span");
      text.textContent = words.filterStatus.replace("{tag}", label).replace("{n}", shown);
      var reset = document.createElement("button");
      reset.type = "button";
      reset.textContent = words.filterAll;
      reset.addEventListener("click", function () { choose(null, null); });
      status.appendChild(text);
      status.appendChild(reset);
      status.hidden = false;
    } else {
      status.hidden = true;
    }
  }

  function choose(tag, label) {
    var url = new URL(location.href);
    if (tag) url.searchParams.set("tag", tag); else url.searchParams.delete("tag");
    history.replaceState(null, "", url);
    apply(tag, label);
    if (tag) status.focus({ preventScroll: false });
  }

  status.tabIndex = -1;
  chips.forEach(function (chip) {
    chip.setAttribute("role", "button");
    chip.setAttribute("aria-pressed", "false");
    chip.addEventListener("click", function (event) {
      event.preventDefault();
      var active = chip.getAttribute("aria-pressed") === "true";
      choose(active ? null : chip.dataset.tag, chip.textContent);
    });
  });
  var initial = new URL(location.href).searchParams.get("tag");
  var first = chips.filter(function (c) { return c.dataset.tag === initial; })[0];
  if (first) apply(initial, first.textContent);
})();
