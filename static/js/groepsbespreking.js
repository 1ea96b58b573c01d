/* Groepsbespreking screen: digibord mode (large text, agenda and groepsoverzicht side by side)
   and the saved/not-saved indicator of the autosaved notes. Saving itself is htmx (hx-post on
   each form.gb-notities, triggered by typing). */
(function () {
  "use strict";
  var scherm = document.getElementById("gb-scherm");
  if (!scherm) { return; }
  var TEKST = {
    nietOpgeslagen: scherm.dataset.tekstNietOpgeslagen,
    opnieuw: scherm.dataset.tekstOpnieuw
  };

  var knop = document.getElementById("digibord-knop");
  function zetDigibord(aan) {
    document.body.classList.toggle("digibord", aan);
    if (knop) {
      knop.setAttribute("aria-pressed", aan ? "true" : "false");
      knop.textContent = aan ? knop.dataset.uit : knop.dataset.aan;
    }
    try { window.localStorage.setItem("zorgroute.digibord", aan ? "1" : ""); } catch (e) { /* private mode */ }
  }
  if (knop) {
    knop.addEventListener("click", function () { zetDigibord(!document.body.classList.contains("digibord")); });
    var bewaard = "";
    try { bewaard = window.localStorage.getItem("zorgroute.digibord") || ""; } catch (e) { bewaard = ""; }
    if (bewaard) { zetDigibord(true); }
  }

  function formulier(el) { return el && el.closest ? el.closest("form.gb-notities") : null; }
  function status(form) { return form ? form.querySelector(".gb-status") : null; }

  scherm.addEventListener("input", function (e) {
    var form = formulier(e.target);
    if (!form) { return; }
    form.classList.add("gewijzigd");
    var s = status(form);
    if (s) { s.textContent = TEKST.nietOpgeslagen; s.removeAttribute("data-opgeslagen"); }
  });

  document.body.addEventListener("htmx:afterRequest", function (e) {
    var form = formulier(e.detail.elt);
    if (!form) { return; }
    var huidig = document.getElementById(form.id) || form;
    if (!e.detail.successful) {
      var s = status(huidig);
      var xhr = e.detail.xhr;
      if (s) { s.textContent = xhr && xhr.status === 422 ? xhr.responseText : TEKST.opnieuw; }
      return;
    }
    if (!huidig.classList.contains("in-conflict")) { huidig.classList.remove("gewijzigd"); }
  });

  // Leaving with unsaved notes: ask first.
  window.addEventListener("beforeunload", function (e) {
    if (scherm.querySelector("form.gb-notities.gewijzigd")) { e.preventDefault(); e.returnValue = ""; }
  });
})();
