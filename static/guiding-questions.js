/* The guiding questions beside the text follow the priority chosen above it.
   A progressive enhancement: without JavaScript the button "Show the questions
   of this priority" brings the page back with them, keeping what was typed. */
(function () {
  "use strict";
  var select = document.querySelector("select[data-guides]");
  var aside = select && document.getElementById(select.getAttribute("data-guides"));
  if (!aside) {
    return;
  }
  var button = select.form && select.form.querySelector("[name=show_questions]");
  if (button) {
    button.hidden = true;
  }
  var none = aside.querySelector("[data-questions-none]");

  function show() {
    var slug = select.value;
    var found = false;
    var blocks = aside.querySelectorAll("[data-questions-for]");
    for (var i = 0; i < blocks.length; i += 1) {
      var match = blocks[i].getAttribute("data-questions-for") === slug;
      blocks[i].hidden = !match;
      found = found || (match && slug !== "");
    }
    if (none) {
      none.hidden = slug === "" || found;
    }
  }

  select.addEventListener("change", show);
}());
