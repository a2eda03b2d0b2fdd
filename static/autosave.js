/* Autosave of the input form: the draft is saved in the background while the
   person writes, a few seconds after they stop typing, and when they leave the tab.
   A progressive enhancement: without JavaScript the "Save draft" button does the
   same, and the hint next to it says so. Files are never sent from here (they
   would be stored twice); the buttons of the form still send them. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) {
    return;
  }
  var dirty = false;
  var busy = false;
  var sending = false;
  var timer = null;

  function say(key, time) {
    status.textContent = (status.getAttribute("data-" + key) || "").replace("%(time)s", time || "");
  }

  function schedule() {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, parseInt(form.getAttribute("data-autosave"), 10) || 15000);
  }

  function save() {
    if (!dirty || busy || sending) {
      return;
    }
    dirty = false;
    busy = true;
    var data = new FormData(form);
    data.delete("attachments");
    data.set("save_draft", "1");
    say("saving");
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok || !answer.saved) {
          throw new Error("not saved");
        }
        if (answer.url && answer.url !== form.getAttribute("action")) {
          form.setAttribute("action", answer.url);
          window.history.replaceState(null, "", answer.url);
        }
        say("saved", answer.time);
      });
    }).catch(function () {
      dirty = true;
      say("failed");
    }).then(function () {
      busy = false;
    });
  }

  say("on");
  form.addEventListener("input", schedule);
  form.addEventListener("change", function (event) {
    if (event.target.type !== "file") {
      schedule();
    }
  });
  form.addEventListener("submit", function () {
    sending = true; /* a button the person pressed wins */
    window.clearTimeout(timer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save();
    }
  });
}());
