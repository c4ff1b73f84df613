// The directory's filters, on top of a form that works without JavaScript:
// beside the results (a laptop) the filters stay open; choosing one applies it at once.
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-apply]");
  if (!form) return;
  var disclosure = form.querySelector(".filters-disclosure");
  var wide = window.matchMedia("(min-width: 992px)");
  function openBesideResults() {
    if (disclosure && wide.matches) disclosure.open = true;
  }
  openBesideResults();
  wide.addEventListener("change", openBesideResults);

  var note = form.querySelector(".auto-apply-note");
  if (note) note.hidden = false;
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "checkbox" || target.name === "sort") {
      form.classList.add("is-applying");
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });
})();
