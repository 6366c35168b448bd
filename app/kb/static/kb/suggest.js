/* As-you-type help articles under a search box or a request form field.
 *
 * <input data-kb-suggest="/bantuan/cari.json" data-kb-suggest-label="Mungkin membantu:">
 * The list goes after the element's .searchbar or .field (or the element itself). Text is set
 * with textContent only: nothing from the server is parsed as HTML.
 */
(function () {
  "use strict";
  var MIN_CHARS = 3, DELAY_MS = 250;

  function attach(el) {
    var url = el.getAttribute("data-kb-suggest");
    var box = document.createElement("div");
    box.className = "kb-suggest";
    box.hidden = true;
    box.setAttribute("aria-live", "polite");
    var anchor = el.closest(".searchbar") || el.closest(".field") || el;
    anchor.insertAdjacentElement("afterend", box);
    var timer = null, last = "", seq = 0;

    function render(results) {
      box.textContent = "";
      if (!results.length) { box.hidden = true; return; }
      var label = document.createElement("p");
      label.textContent = el.getAttribute("data-kb-suggest-label") || "Artikel bantuan yang mungkin menjawab:";
      var list = document.createElement("ul");
      results.forEach(function (r) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = r.url;
        a.textContent = r.title;
        li.appendChild(a);
        if (r.snippet) {
          var s = document.createElement("small");
          s.textContent = r.snippet;
          li.appendChild(s);
        }
        list.appendChild(li);
      });
      box.appendChild(label);
      box.appendChild(list);
      box.hidden = false;
    }

    function lookup() {
      var q = el.value.trim();
      if (q === last) { return; }
      last = q;
      if (q.length < MIN_CHARS) { render([]); return; }
      var mine = ++seq;
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (resp) { return resp.ok ? resp.json() : { results: [] }; })
        .then(function (data) { if (mine === seq) { render(data.results || []); } })
        .catch(function () { /* suggestions are a help, never an obstacle */ });
    }

    el.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY_MS);
    });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { box.hidden = true; }
    });
  }

  document.querySelectorAll("[data-kb-suggest]").forEach(attach);
})();
