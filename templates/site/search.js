// Filters the procedures table of the index page. The data is the JSON index embedded in the
// page (also written as search-index.json); without scripts the full table is shown.
(function () {
  "use strict";
  var data = document.getElementById("sop-index");
  var form = document.getElementById("search");
  if (!data || !form) { return; }
  var sops = JSON.parse(data.textContent);
  var q = document.getElementById("q");
  var status = document.getElementById("status");
  var review = document.getElementById("review");
  var count = document.getElementById("count");
  function haystack(s) {
    return [s.id, s.title, s.owner, s.status, s.lang, s.tags.join(" ")].join(" ").toLowerCase();
  }
  function update() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    sops.forEach(function (s, i) {
      var text = haystack(s);
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
        (!status.value || s.status === status.value) &&
        (!review.value || s.review_state === review.value);
      var row = document.getElementById("row-" + i);
      if (row) { row.hidden = !ok; }
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + sops.length + " procedures shown";
  }
  // `index.html?q=refund` opens with a search filled in.
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { q.value = params.get("q"); }
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  [q, status, review].forEach(function (el) {
    el.addEventListener("input", update);
    el.addEventListener("change", update);
  });
  update();
}());
