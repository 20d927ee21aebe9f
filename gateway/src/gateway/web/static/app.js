// Yumiao web UI: the only script — live progress of an import job, and focus on the message a
// form's answer points at (the pages work without it).
"use strict";
(function () {
  // After a move, a refused move or a form with errors the page opens at #moved-…,
  // #move-error or #form-errors: bring it into view once layout settles and give it focus,
  // so a screen reader reads it too.
  function focusTarget() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(id);
    if (!target) { target = document.getElementById("form-errors"); }
    if (!target) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }
  if (document.readyState === "complete") { focusTarget(); }
  else { window.addEventListener("load", focusTarget); }
})();
(function () {
  var job = document.getElementById("job");
  if (!job || job.dataset.finished === "true") { return; }
  var url = job.dataset.jobUrl, finished = ["succeeded", "validated", "failed"], tries = 0;
  function show(data) {
    var bar = document.getElementById("job-progress");
    if (data.total_rows) { bar.max = data.total_rows; }
    bar.value = data.processed_rows || 0;
    document.getElementById("job-status").dataset.status = data.status;
    document.getElementById("job-rows").textContent =
      (data.processed_rows || 0) + " / " + (data.total_rows || "?");
    var created = document.getElementById("job-created");
    var updated = document.getElementById("job-updated");
    if (created) { created.textContent = data.created || 0; }  // a check shows neither
    if (updated) { updated.textContent = data.updated || 0; }
  }
  function poll() {
    tries += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        show(data);
        if (finished.indexOf(data.status) >= 0) { window.location.reload(); }
        else if (tries < 600) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { if (tries < 600) { window.setTimeout(poll, 3000); } });
  }
  window.setTimeout(poll, 500);
})();
