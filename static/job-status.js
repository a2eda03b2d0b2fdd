// The job page without reloading: poll the job's progress, move the bar,
// reload once the job has finished (to show its file or its error).
// Without JavaScript the page refreshes itself instead (see jobs/status.html).
(function () {
  "use strict";
  var section = document.querySelector(".job[data-progress-url]");
  if (!section) { return; }
  var url = section.getAttribute("data-progress-url");
  var every = 1000 * (parseInt(section.getAttribute("data-refresh"), 10) || 3);
  var bar = section.querySelector("progress");
  var count = section.querySelector(".job-count");

  function show(state) {
    if (state.finished) { window.location.reload(); return; }
    if (bar && state.total) {
      bar.max = state.total;
      bar.value = state.done;
      bar.textContent = state.percent + " %";
      if (count) { count.textContent = state.done + " / " + state.total; }
    }
    window.setTimeout(poll, every);
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status === 200) { show(JSON.parse(request.responseText)); }
      else { window.location.reload(); }
    };
    request.onerror = function () { window.setTimeout(poll, every * 2); };
    request.send();
  }

  window.setTimeout(poll, every);
}());
