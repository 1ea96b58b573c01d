/* Print buttons: <button type="button" data-afdrukken>. Replaces an inline onclick, which the
   Content-Security-Policy (no inline script) refuses. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var knop = event.target.closest("[data-afdrukken]");
    if (knop) {
      event.preventDefault();
      window.print();
    }
  });
})();
