/* IZO/ZAT meeting screen: autosave of notes with a version check, drafts in localStorage so a
   dropped connection loses nothing, and keyboard shortcuts (Alt+PageDown / Alt+PageUp).
   No inline script: the template only sets data-* attributes (UI text comes from gettext there). */
(function () {
  "use strict";
  var root = document.getElementById("vergadering");
  if (!root) { return; }
  var TEKST = {
    opgeslagen: root.dataset.tekstOpgeslagen,
    nietOpgeslagen: root.dataset.tekstNietOpgeslagen,
    bezig: root.dataset.tekstBezig,
    offline: root.dataset.tekstOffline,
    conflict: root.dataset.tekstConflict,
    concept: root.dataset.tekstConcept,
    herstellen: root.dataset.tekstHerstellen,
    weggooien: root.dataset.tekstWeggooien
  };
  var paginastatus = document.getElementById("paginastatus");
  var WACHTTIJD = 1200;
  var formulieren = Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]"));

  function opslag() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function velden(form) {
    return Array.prototype.slice.call(form.querySelectorAll("[data-autosave-veld]"));
  }

  function waarden(form) {
    var uit = {};
    velden(form).forEach(function (v) { uit[v.name] = v.value; });
    return uit;
  }

  function gelijk(a, b) {
    var sleutels = Object.keys(a).concat(Object.keys(b));
    for (var i = 0; i < sleutels.length; i++) {
      if ((a[sleutels[i]] || "") !== (b[sleutels[i]] || "")) { return false; }
    }
    return true;
  }

  function versieVeld(form) { return form.querySelector("input[name=versie]"); }

  function statusVeld(form) { return form.querySelector(".veldstatus"); }

  function toon(form, tekst) {
    var s = statusVeld(form);
    if (s) { s.textContent = tekst || ""; }
  }

  function staat(form) {
    if (!form._staat) { form._staat = { vuil: false, bezig: false, conflict: false, timer: null, retry: null }; }
    return form._staat;
  }

  function werkPaginaBij() {
    if (!paginastatus) { return; }
    var tekst = TEKST.opgeslagen;
    var open = false;
    formulieren.forEach(function (f) {
      var s = staat(f);
      if (s.conflict) { tekst = TEKST.conflict; open = true; }
      else if (s.offline && tekst !== TEKST.conflict) { tekst = TEKST.offline; open = true; }
      else if ((s.vuil || s.bezig) && !open) { tekst = TEKST.nietOpgeslagen; open = true; }
    });
    paginastatus.textContent = tekst;
    paginastatus.classList.toggle("open", open);
  }

  // --- Drafts in localStorage, per item ---------------------------------------------------------

  function bewaarConcept(form) {
    var ls = opslag();
    if (!ls) { return; }
    var v = versieVeld(form);
    try {
      ls.setItem(form.dataset.sleutel, JSON.stringify({
        velden: waarden(form), versie: form._basisversie || (v ? v.value : ""), tijd: Date.now()
      }));
    } catch (e) { /* storage full or blocked: the server save still runs */ }
  }

  function leesConcept(form) {
    var ls = opslag();
    if (!ls) { return null; }
    try { return JSON.parse(ls.getItem(form.dataset.sleutel) || "null"); } catch (e) { return null; }
  }

  function wisConcept(form) {
    var ls = opslag();
    if (ls) { ls.removeItem(form.dataset.sleutel); }
  }

  // --- Saving -----------------------------------------------------------------------------------

  function plan(form) {
    var s = staat(form);
    clearTimeout(s.timer);
    if (s.conflict) { return; }  // after a conflict only an explicit save (the button) writes
    s.timer = setTimeout(function () { bewaar(form); }, WACHTTIJD);
  }

  function toonConflict(form, data) {
    var box = form.querySelector("[data-conflict]");
    if (!box) {
      box = document.createElement("div");
      box.className = "conflictbox";
      box.setAttribute("role", "alert");
      box.setAttribute("data-conflict", "");
      var kop = document.createElement("p");
      kop.className = "conflictkop";
      box.appendChild(kop);
      var vak = document.createElement("textarea");
      vak.readOnly = true;
      vak.rows = 5;
      vak.setAttribute("aria-label", data.melding || "");
      box.appendChild(vak);
      form.insertBefore(box, form.firstElementChild ? form.firstElementChild.nextSibling : null);
    }
    box.querySelector(".conflictkop").textContent = data.melding || "";
    var tekst = data.tekst || "";
    if (data.samenvatting) { tekst += "\n\n" + data.samenvatting; }
    box.querySelector("textarea").value = tekst;
  }

  function bewaar(form) {
    var s = staat(form);
    clearTimeout(s.timer);
    if (s.bezig) { s.opnieuw = true; return s.belofte; }
    var verzonden = waarden(form);
    s.bezig = true;
    toon(form, TEKST.bezig);
    werkPaginaBij();
    s.belofte = fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (antwoord) {
      return antwoord.json().catch(function () { return {}; }).then(function (data) {
        s.offline = false;
        if (antwoord.ok) {
          var v = versieVeld(form);
          if (v && data.versie) { v.value = data.versie; }
          form._basisversie = data.versie || "";
          s.conflict = false;
          var box = form.querySelector("[data-conflict]");
          if (box) { box.parentNode.removeChild(box); }
          if (gelijk(waarden(form), verzonden)) { s.vuil = false; wisConcept(form); }
          toon(form, data.melding || TEKST.opgeslagen);
        } else if (antwoord.status === 409) {
          var vv = versieVeld(form);
          if (vv && data.versie) { vv.value = data.versie; }  // saving again is a deliberate choice
          form._basisversie = data.versie || "";
          s.conflict = true;
          s.vuil = true;
          bewaarConcept(form);
          toonConflict(form, data);
          toon(form, TEKST.conflict);
        } else if (antwoord.status >= 500) {
          throw new Error("server");
        } else {
          s.vuil = true;
          toon(form, data.melding || TEKST.nietOpgeslagen);
        }
      });
    }).catch(function () {
      // No connection (or a server error): the draft stays in localStorage; retry later.
      s.offline = true;
      s.vuil = true;
      bewaarConcept(form);
      toon(form, TEKST.offline);
      clearTimeout(s.retry);
      s.retry = setTimeout(function () { if (s.vuil) { bewaar(form); } }, 5000);
    }).then(function () {
      s.bezig = false;
      werkPaginaBij();
      if (s.opnieuw) { s.opnieuw = false; if (s.vuil && !s.conflict) { return bewaar(form); } }
    });
    return s.belofte;
  }

  function bewaarAlles() {
    return Promise.all(formulieren.filter(function (f) {
      var s = staat(f);
      return s.vuil || s.bezig;
    }).map(function (f) { return staat(f).bezig ? staat(f).belofte : bewaar(f); }));
  }

  function heeftConflict() {
    return formulieren.some(function (f) { return staat(f).conflict; });
  }

  formulieren.forEach(function (form) {
    var v = versieVeld(form);
    form._basisversie = v ? v.value : "";
    if (form.querySelector("[data-conflict]")) { staat(form).conflict = true; staat(form).vuil = true; }
    form.addEventListener("input", function (e) {
      if (!e.target.hasAttribute("data-autosave-veld")) { return; }
      staat(form).vuil = true;
      bewaarConcept(form);
      toon(form, TEKST.nietOpgeslagen);
      werkPaginaBij();
      plan(form);
    });
    form.addEventListener("focusout", function (e) {
      if (e.target.hasAttribute && e.target.hasAttribute("data-autosave-veld") && staat(form).vuil &&
          !staat(form).conflict) {
        bewaar(form);
      }
    });
    // The form's own button: save by fetch (a plain post is the fallback without JS).
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      staat(form).conflict = false;
      staat(form).vuil = true;
      bewaar(form);
    });
    // A newer draft in this browser than what the server gave us: offer to restore it.
    var concept = leesConcept(form);
    if (concept && concept.velden) {
      if (gelijk(concept.velden, waarden(form))) {
        wisConcept(form);
      } else {
        biedHerstelAan(form, concept);
      }
    }
  });

  function biedHerstelAan(form, concept) {
    var box = document.createElement("div");
    box.className = "vg-concept melding";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    var tijd = new Date(concept.tijd || Date.now());
    var hhmm = ("0" + tijd.getHours()).slice(-2) + ":" + ("0" + tijd.getMinutes()).slice(-2);
    p.textContent = (TEKST.concept || "").replace("%(tijd)s", hhmm);
    box.appendChild(p);
    var voorbeeld = document.createElement("pre");
    voorbeeld.className = "vg-conceptvoorbeeld";
    voorbeeld.textContent = Object.keys(concept.velden).map(function (k) { return concept.velden[k]; }).join("\n\n");
    box.appendChild(voorbeeld);
    var herstel = document.createElement("button");
    herstel.type = "button";
    herstel.className = "knop";
    herstel.textContent = TEKST.herstellen;
    var weg = document.createElement("button");
    weg.type = "button";
    weg.className = "knop tweede";
    weg.textContent = TEKST.weggooien;
    var knoppen = document.createElement("p");
    knoppen.className = "knoppen";
    knoppen.appendChild(herstel);
    knoppen.appendChild(weg);
    box.appendChild(knoppen);
    form.insertBefore(box, form.firstChild);
    herstel.addEventListener("click", function () {
      velden(form).forEach(function (v) {
        if (Object.prototype.hasOwnProperty.call(concept.velden, v.name)) { v.value = concept.velden[v.name]; }
      });
      // Save against the version the draft was based on: a change made meanwhile by someone
      // else comes back as a conflict showing both texts.
      var vv = versieVeld(form);
      if (vv && concept.versie) { vv.value = concept.versie; }
      box.parentNode.removeChild(box);
      staat(form).vuil = true;
      var eerste = velden(form)[0];
      if (eerste) { eerste.focus(); }
      bewaar(form);
    });
    weg.addEventListener("click", function () {
      wisConcept(form);
      box.parentNode.removeChild(box);
      var eerste = velden(form)[0];
      if (eerste) { eerste.focus(); }
    });
  }

  window.addEventListener("online", function () {
    formulieren.forEach(function (f) { if (staat(f).vuil && !staat(f).conflict) { bewaar(f); } });
  });

  // --- Leaving the item: save first --------------------------------------------------------------

  function naOpslaan(doorgaan) {
    bewaarAlles().then(function () {
      if (heeftConflict()) { return; }  // stay: the user must see both texts
      doorgaan();
    });
  }

  function moetWachten() {
    return formulieren.some(function (f) { var s = staat(f); return s.vuil || s.bezig; });
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a[data-na-notities]") : null;
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || !moetWachten()) { return; }
    e.preventDefault();
    naOpslaan(function () { window.location.href = link.href; });
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-na-notities") || !moetWachten()) { return; }
    e.preventDefault();
    var knop = e.submitter;
    naOpslaan(function () {
      if (knop && knop.name) {
        var verborgen = document.createElement("input");
        verborgen.type = "hidden";
        verborgen.name = knop.name;
        verborgen.value = knop.value;
        form.appendChild(verborgen);
      }
      form.submit();
    });
  });

  window.addEventListener("beforeunload", function (e) {
    if (formulieren.some(function (f) { return staat(f).bezig || (staat(f).vuil && !staat(f).offline); })) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  // --- Keyboard ---------------------------------------------------------------------------------

  function gaNaar(id) {
    var link = document.getElementById(id);
    if (!link) { return; }
    if (moetWachten()) { naOpslaan(function () { window.location.href = link.href; }); }
    else { window.location.href = link.href; }
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "PageDown" || e.key === "PageUp")) {
      e.preventDefault();
      gaNaar(e.key === "PageDown" ? "volgend-punt" : "vorig-punt");
      return;
    }
    // Enter in an afspraak row submits it, also from a select or date field.
    if (e.key === "Enter" && !e.shiftKey && !e.altKey && e.target.closest) {
      var regel = e.target.closest("form.vg-afspraakregel");
      if (regel && (e.target.tagName === "SELECT" || e.target.tagName === "INPUT")) {
        e.preventDefault();
        if (regel.requestSubmit) { regel.requestSubmit(); } else { regel.submit(); }
      }
    }
  });

  // After adding an afspraak the page comes back at #besluit-wat: put the cursor there.
  if (window.location.hash === "#besluit-wat") {
    var wat = document.getElementById("besluit-wat");
    if (wat) { wat.focus(); }
  }
  werkPaginaBij();
})();
