/* Groepsoverzicht: spreadsheet keyboard navigation, saved/not-saved indicators, hulpzinnen.
   Saving itself is htmx (hx-post on each td.cel, triggered by "change"). */
(function () {
  "use strict";
  var raster = document.getElementById("raster");
  if (!raster) { return; }
  var paginastatus = document.getElementById("paginastatus");
  var VELD = "input:not([type=hidden]), textarea, select";
  // UI text comes from the template (gettext): data-tekst-* attributes on the grid.
  var TEKST = {
    opgeslagen: raster.dataset.tekstOpgeslagen,
    nietOpgeslagen: raster.dataset.tekstNietOpgeslagen,
    opnieuw: raster.dataset.tekstOpnieuw
  };

  function cel(el) { return el && el.closest ? el.closest("td.cel") : null; }
  function celstatus(td) { return td ? td.querySelector(".celstatus") : null; }

  function werkPaginaBij() {
    if (!paginastatus) { return; }
    var open = raster.querySelector("td.cel.gewijzigd, td.cel.bezig, td.cel.in-conflict");
    paginastatus.textContent = open ? TEKST.nietOpgeslagen : TEKST.opgeslagen;
    paginastatus.classList.toggle("open", !!open);
  }

  function markeer(td) {
    if (!td || td.classList.contains("gewijzigd")) { return; }
    td.classList.add("gewijzigd");
    var s = celstatus(td);
    if (s) { s.textContent = TEKST.nietOpgeslagen; s.removeAttribute("data-opgeslagen"); }
    werkPaginaBij();
  }

  raster.addEventListener("input", function (e) { markeer(cel(e.target)); });
  raster.addEventListener("change", function (e) { markeer(cel(e.target)); });

  document.body.addEventListener("htmx:beforeRequest", function (e) {
    var td = cel(e.detail.elt);
    if (!td) { return; }
    td.classList.add("bezig");
    var veld = td.querySelector(VELD);
    td.dataset.verzonden = veld ? waarde(veld) : "";
  });

  function waarde(veld) { return veld.type === "checkbox" ? String(veld.checked) : veld.value; }

  document.body.addEventListener("htmx:afterRequest", function (e) {
    var td = cel(e.detail.elt);
    if (!td) { return; }
    // The td may have been replaced (conflict or resolution); look it up again by id.
    var huidig = document.getElementById(td.id) || td;
    huidig.classList.remove("bezig");
    if (!e.detail.successful) {
      huidig.classList.add("gewijzigd");
      var s = celstatus(huidig);
      var xhr = e.detail.xhr;
      // 422: the server refused the value with a message (e.g. not a score); show it as is.
      if (s) { s.textContent = xhr && xhr.status === 422 ? xhr.responseText : TEKST.opnieuw; }
    } else if (!huidig.classList.contains("in-conflict")) {
      var veld = huidig.querySelector(VELD);
      if (!veld || huidig !== td || waarde(veld) === td.dataset.verzonden) {
        huidig.classList.remove("gewijzigd");
      }
    }
    werkPaginaBij();
  });

  // A replaced cell (conflict box, resolved conflict) fires its events on the detached old
  // element; the new content announces itself with htmx:load.
  document.body.addEventListener("htmx:load", function () { werkPaginaBij(); });

  // Keyboard: Enter = same column, next row (Shift+Enter: newline in a textarea);
  // arrow up/down move between rows in single-line inputs. Tab/Shift-Tab are native.
  function naarRij(td, stap) {
    var tr = td.parentElement;
    var index = Array.prototype.indexOf.call(tr.children, td);
    var rij = tr;
    do {
      rij = stap > 0 ? rij.nextElementSibling : rij.previousElementSibling;
      if (!rij) { return false; }
      var doel = rij.children[index];
      var veld = doel && doel.querySelector(VELD);
      if (veld) {
        veld.focus();
        if (veld.select && veld.type === "text") { veld.select(); }
        return true;
      }
    } while (rij);
    return false;
  }

  raster.addEventListener("keydown", function (e) {
    var td = cel(e.target);
    if (!td || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target;
    var enkelregelig = t.tagName === "INPUT" && t.type === "text";
    if (e.key === "Enter" && !e.shiftKey && !e.target.closest(".conflictbox")) {
      e.preventDefault();
      naarRij(td, 1);
    } else if (enkelregelig && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      naarRij(td, e.key === "ArrowDown" ? 1 : -1);
    }
  });

  // Hulpzinnen (begrijpwijzer): insert at the cursor of the last focused onderwijsbehoeften cell.
  var laatste = null;
  raster.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("textarea[data-hulpzinnen]")) { laatste = e.target; }
  });
  var paneel = document.getElementById("hulpzinnen");
  if (paneel) {
    paneel.addEventListener("mousedown", function (e) {
      if (e.target.closest(".hulpzin")) { e.preventDefault(); }  // keep the cell focused
    });
    paneel.addEventListener("click", function (e) {
      var knop = e.target.closest(".hulpzin");
      if (!knop) { return; }
      if (!laatste || !document.body.contains(laatste)) {
        laatste = raster.querySelector("textarea[data-hulpzinnen]");
        if (!laatste) { return; }
      }
      var zin = knop.getAttribute("data-zin");
      var v = laatste.value;
      var begin = typeof laatste.selectionStart === "number" ? laatste.selectionStart : v.length;
      var eind = typeof laatste.selectionEnd === "number" ? laatste.selectionEnd : v.length;
      var voor = v.slice(0, begin);
      var tussen = voor && !/\s$/.test(voor) ? " " : "";
      laatste.value = voor + tussen + zin + v.slice(eind);
      var plek = (voor + tussen + zin).length;
      laatste.focus();
      laatste.setSelectionRange(plek, plek);
      markeer(cel(laatste));
      // A programmatic edit fires no "change" on blur: save it now (htmx listens for change).
      laatste.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  window.addEventListener("beforeunload", function (e) {
    if (raster.querySelector("td.cel.gewijzigd, td.cel.bezig")) { e.preventDefault(); e.returnValue = ""; }
  });
})();
