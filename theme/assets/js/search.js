// Vietnamese search, as you type, with or without tones. Nothing is fetched until a search box is
// focused or typed into (the search page loads at once): then lunr.js, the index and the result data,
// all from this site, once per page. The pipeline below mirrors plugins/thutuc/search/pipeline.py
// rule for rule (a test compares their tokens); keep the two in step.
(function (root) {
  "use strict";

  // ---- pipeline (same rules and labels as pipeline.py) ------------------------------------------
  var NORMALISE_LABEL = "vi-normalise";
  var EXPAND_LABEL = "vi-expand";
  var WORD_CHARS = "0-9a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f\u0300-\u036f\u1e00-\u1eff";
  var TOKEN_RE = new RegExp("[0-9]+(?:\\.[0-9]+)+|[" + WORD_CHARS + "]+", "g");
  var DIGITS_RE = /^[0-9]{3,}$/;
  var COMBINING_RE = /[\u0300-\u036f]/g;
  var TONES = "\u0300\u0301\u0303\u0309\u0323";
  var OLD_TONE_RES = [
    new RegExp("^(|.*[^q])(o)([" + TONES + "]?)([ae])([" + TONES + "]?)$"),
    new RegExp("^(|.*[^q])(u)([" + TONES + "]?)(y)([" + TONES + "]?)$")
  ];

  function tokenize(text) {
    return String(text).normalize("NFC").toLowerCase().normalize("NFC").match(TOKEN_RE) || [];
  }

  function normalise(word) {
    var decomposed = String(word).toLowerCase().normalize("NFD");
    for (var i = 0; i < OLD_TONE_RES.length; i++) {
      var m = OLD_TONE_RES[i].exec(decomposed);
      if (m && !m[3] && m[5]) {
        decomposed = m[1] + m[2] + m[5] + m[4];
        break;
      }
    }
    return decomposed.normalize("NFC");
  }

  function fold(word) {
    return String(word).toLowerCase().normalize("NFD").replace(COMBINING_RE, "").replace(/đ/g, "d").normalize("NFC");
  }

  function expand(word) {
    var folded = fold(word);
    return folded === word ? [word] : [word, folded];
  }

  function indexTerms(text) {
    var out = [];
    tokenize(text).forEach(function (w) { out.push.apply(out, expand(normalise(w))); });
    return out;
  }

  function queryTerms(text) {
    return tokenize(text).map(normalise);
  }

  function registerPipeline(lunr) {
    if (lunr.Pipeline.registeredFunctions[NORMALISE_LABEL]) return;
    var viNormalise = function (token) {
      token.update(function (s) { return normalise(s); });
      return token.toString() ? token : undefined;
    };
    var viExpand = function (token) {
      return expand(token.toString()).map(function (term) { return token.clone(function () { return term; }); });
    };
    lunr.Pipeline.registerFunction(viNormalise, NORMALISE_LABEL);
    lunr.Pipeline.registerFunction(viExpand, EXPAND_LABEL);
  }

  // ---- the compact index back into lunr's form (twin of index.py expand_compact) -----------------
  function round3(x) { return Math.round(x * 1000) / 1000; }

  function expandIndex(data) {
    var fields = data.fields, count = data.count, k1 = data.k1, b = data.b;
    // Per field and document, the length part of BM25's denominator; per field and document, the
    // vector being built. Arrays, not objects keyed by strings: this runs once per page on slow phones.
    var norms = data.lengths.map(function (lengths) {
      var sum = 0;
      lengths.forEach(function (n) { sum += n; });
      var average = count ? sum / count : 0;
      return lengths.map(function (n) { return k1 * (1 - b + b * (n / average)); });
    });
    var vectors = fields.map(function () { return new Array(count); });
    var none = {};  // no metadata is stored; lunr only reads it, so one shared object serves all
    var inverted = new Array(data.terms.length);
    data.terms.forEach(function (row, termIndex) {
      var postings = [], withTerm = 0;
      for (var f = 1; f < row.length; f++) {
        var encoded = row[f], refs = [], tfs = [], ref = 0;
        for (var i = 0; i < encoded.length; i++) {
          ref += Math.floor(encoded[i] / 2);
          var tf = 1;
          if (encoded[i] % 2) { i++; tf = encoded[i]; }
          refs.push(ref);
          tfs.push(tf);
        }
        withTerm += refs.length;
        postings.push([refs, tfs]);
      }
      var idf = Math.log(1 + Math.abs((count - withTerm + 0.5) / (withTerm + 0.5)));
      var entry = { _index: termIndex };
      for (var number = 0; number < fields.length; number++) {
        var set = {};
        var posting = postings[number];
        if (posting) {
          var boost = data.boosts[number], norm = norms[number], vecs = vectors[number];
          for (var j = 0; j < posting[0].length; j++) {
            var doc = posting[0][j], n = posting[1][j];
            set[doc] = none;
            var score = idf * ((k1 + 1) * n) / (norm[doc] + n);
            (vecs[doc] || (vecs[doc] = [])).push(termIndex, round3(score * boost));
          }
        }
        entry[fields[number]] = set;
      }
      inverted[termIndex] = [row[0], entry];
    });
    var fieldVectors = [];
    vectors.forEach(function (vecs, number) {
      for (var doc = 0; doc < count; doc++) {
        if (vecs[doc]) fieldVectors.push([fields[number] + "/" + doc, vecs[doc]]);
      }
    });
    return {
      version: data.version,
      fields: fields,
      fieldVectors: fieldVectors,
      invertedIndex: inverted,
      pipeline: data.pipeline
    };
  }

  // ---- ranking ----------------------------------------------------------------------------------
  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // When the title holds the query words in a row: 1 + the share of the title they make up (2 when
  // the title is the query), else 0. Folded words; a word of 4+ letters may be one edit away, and with
  // `prefix` the last query word may be the start of a title word.
  function titlePhrase(title, wanted, prefix) {
    for (var start = 0; start + wanted.length <= title.length; start++) {
      var ok = true;
      for (var i = 0; i < wanted.length && ok; i++) {
        var t = title[start + i], w = wanted[i];
        ok = t === w || (w.length >= 4 && withinOneEdit(t, w)) ||
          (prefix && i === wanted.length - 1 && t.indexOf(w) === 0);
      }
      if (ok) return 1 + wanted.length / title.length;
    }
    return 0;
  }

  // Results ordered by: how many query words a procedure has (all words first), how many of them
  // matched with the very diacritics typed, whether its title is or holds the query, then lunr's
  // score (title > code > keywords > field > agencies > summary; exact > folded > prefix > typo).
  // `prefix` treats the last word as still being typed; `titleWords` (folded title words by ref, from
  // titleWordsOf) enables the title rule.
  function search(lunr, index, text, prefix, titleWords) {
    var typed = queryTerms(text).filter(Boolean);
    var words = typed.filter(function (w, i) { return typed.indexOf(w) === i; });
    if (!words.length) return [];
    var plans = words.map(function (w, i) {
      var f = fold(w);
      // Typo tolerance only for a word the index does not have: a known word is taken as meant, which
      // keeps results focused (and queries fast on large catalogues).
      var known = Object.prototype.hasOwnProperty.call(index.invertedIndex, f);
      return {
        word: w, folded: f, toned: f !== w, last: prefix && i === words.length - 1,
        fuzzy: f.length >= 4 && !known && !DIGITS_RE.test(f), digits: DIGITS_RE.test(f)
      };
    });
    var TRAILING = lunr.Query.wildcard.TRAILING;
    var hits = index.query(function (q) {
      plans.forEach(function (p) {
        if (p.toned) q.term(p.word, { usePipeline: false, boost: 10 });
        q.term(p.folded, { usePipeline: false, boost: 4 });
        if (p.last) {
          if (p.toned) q.term(p.word, { usePipeline: false, wildcard: TRAILING, boost: 2 });
          q.term(p.folded, { usePipeline: false, wildcard: TRAILING, boost: 1 });
        }
        if (p.fuzzy) q.term(p.folded, { usePipeline: false, editDistance: 1, boost: 0.5 });
        // Digits alone ("001193") find the code that ends with them ("1.001193").
        if (p.digits) q.term("." + p.folded, { usePipeline: false, wildcard: lunr.Query.wildcard.LEADING, boost: 4 });
      });
    });
    hits.forEach(function (hit) {
      var metadata = hit.matchData.metadata;
      var terms = Object.keys(metadata);
      hit.covered = 0;
      hit.exact = 0;
      hit.named = 0;
      plans.forEach(function (p) {
        var covered = false, exact = false, named = false;
        terms.forEach(function (t) {
          if (t === p.word && p.toned) exact = true;
          if (t === p.word || t === p.folded ||
              (p.last && (t.indexOf(p.folded) === 0 || t.indexOf(p.word) === 0)) ||
              (p.fuzzy && withinOneEdit(t, p.folded)) ||
              (p.digits && t.slice(-p.folded.length - 1) === "." + p.folded)) {
            covered = true;
            named = named || NAMING_FIELDS.some(function (f) { return f in metadata[t]; });
          }
        });
        if (covered) hit.covered++;
        if (exact) hit.exact++;
        if (named) hit.named++;
      });
    });
    if (titleWords) {
      var wanted = typed.map(fold);  // as typed, repeats included ("bản sao từ bản chính")
      hits.forEach(function (hit) { hit.phrase = titlePhrase(titleWords[Number(hit.ref)] || [], wanted, prefix); });
    }
    hits.sort(function (a, b) {
      return (b.covered - a.covered) || (b.exact - a.exact) || ((b.phrase || 0) - (a.phrase || 0)) ||
        (b.score - a.score) || (Number(a.ref) - Number(b.ref));
    });
    var all = plans.length;
    if (hits.length && hits[0].covered === all) return hits.filter(function (hit) { return hit.covered === all; });
    var most = Math.floor(all / 2) + 1;
    return hits.filter(function (hit) { return hit.named >= most; });
  }

  // The cut. When some result has every query word (in any field), only those are shown. Otherwise a
  // result must have most of the words (more than half) in what names it: its title, code or keywords;
  // words scattered over summaries and agency names ("cấp", "hộ", "thông") are not an answer, and an
  // empty list with suggestions serves better than a list of unrelated procedures.
  var NAMING_FIELDS = ["title", "code", "keywords"];

  function titleWordsOf(titles) {
    return titles.map(function (title) { return tokenize(title).map(fold); });
  }

  var api = {
    NORMALISE_LABEL: NORMALISE_LABEL, EXPAND_LABEL: EXPAND_LABEL,
    tokenize: tokenize, normalise: normalise, fold: fold, expand: expand,
    indexTerms: indexTerms, queryTerms: queryTerms, registerPipeline: registerPipeline,
    expandIndex: expandIndex, search: search, withinOneEdit: withinOneEdit, titleWordsOf: titleWordsOf
  };
  root.ThutucSearch = api;
  if (typeof document === "undefined") return;

  // ---- loading, once per page -------------------------------------------------------------------
  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/js\/[^\/]*$/, "") : "/";  // search.js or its fingerprinted name
  var browse = { fields: script && script.getAttribute("data-fields"), az: script && script.getAttribute("data-az") };
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(el);
    });
  }

  function getJSON(path) {
    return fetch(base + path, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(path + " " + r.status);
      return r.json();
    });
  }

  function load() {
    if (!loading) {
      loading = Promise.all([
        root.lunr ? Promise.resolve() : loadScript(base + "assets/vendor/lunr/lunr.min.js"),
        getJSON("assets/search/index.json"),
        getJSON("assets/search/docs.json")
      ]).then(function (parts) {
        var lunr = root.lunr;
        registerPipeline(lunr);
        var index = lunr.Index.load(expandIndex(parts[1]));
        var titleWords = titleWordsOf(parts[2].docs.map(function (d) { return d[0]; }));
        return { lunr: lunr, index: index, data: parts[2], titleWords: titleWords };
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function run(engine, text, prefix) {
    return search(engine.lunr, engine.index, text, prefix, engine.titleWords).map(function (hit) {
      var d = engine.data.docs[Number(hit.ref)];
      return {
        title: d[0], url: base + d[1], code: d[2],
        field: engine.data.fields[d[3]] || "", level: engine.data.levels[String(d[4])] || "",
        online: d[5] || ""
      };
    });
  }

  // ---- rendering (DOM methods only: titles are data, never markup) ------------------------------
  function resultItem(r, className) {
    var li = document.createElement("li");
    li.className = className;
    var a = document.createElement("a");
    a.href = r.url;
    a.className = "search-result__title";
    a.textContent = r.title;
    var meta = document.createElement("span");
    meta.className = "search-result__meta";
    meta.textContent = [r.code && "Mã " + r.code, r.field, r.level, r.online].filter(Boolean).join(" · ");
    li.appendChild(a);
    li.appendChild(meta);
    return li;
  }

  var NOT_FOUND = "Không tìm thấy thủ tục phù hợp";

  function countText(n, text) {
    return n ? n + " kết quả cho “" + text + "”" : NOT_FOUND + " với “" + text + "”.";
  }

  // What to try when nothing matched: the addresses come from the page (urls.py owns them), read from
  // the search script's data attributes.
  function suggestions() {
    var box = document.createElement("div");
    box.className = "search-none";
    var p = document.createElement("p");
    p.textContent = "Bạn có thể:";
    var ul = document.createElement("ul");
    [["Xem thủ tục theo lĩnh vực", browse.fields], ["Xem danh sách thủ tục theo vần A–Z", browse.az]].forEach(function (pair) {
      if (!pair[1]) return;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + pair[1];
      a.textContent = pair[0];
      li.appendChild(a);
      ul.appendChild(li);
    });
    var fewer = document.createElement("li");
    fewer.textContent = "Thử lại với ít từ hơn, ví dụ chỉ tên giấy tờ cần làm (“khai sinh”, “hộ kinh doanh”).";
    ul.appendChild(fewer);
    box.appendChild(p);
    box.appendChild(ul);
    return box;
  }

  var MAX_SUGGESTIONS = 8;
  var MAX_PAGE_RESULTS = 100;  // a longer list helps nobody and costs a slow phone its DOM
  var counter = 0;

  function enhanceBox(form) {
    var input = form.querySelector("input[name=q]");
    if (!input || form.hasAttribute("data-search-page")) return;
    counter++;
    var panel = document.createElement("div");
    panel.className = "search-suggest";
    panel.id = "search-suggest-" + counter;
    panel.hidden = true;
    var status = document.createElement("p");
    status.className = "search-suggest__status";
    // The count is announced from a live region that is always in the page (a region inside the
    // hidden panel would not be read when the panel opens), a moment after typing pauses.
    var announcer = document.createElement("span");
    announcer.className = "visually-hidden";
    announcer.setAttribute("role", "status");
    announcer.setAttribute("aria-live", "polite");
    var announceTimer = null;
    var list = document.createElement("ul");
    list.className = "search-suggest__list";
    list.setAttribute("aria-label", "Kết quả tìm kiếm");
    var more = document.createElement("a");
    more.className = "search-suggest__more";
    // A real href from the start: a link without one is not crawlable (Lighthouse SEO).
    more.href = base + "tim-kiem/";
    more.hidden = true;
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(more);
    form.appendChild(panel);
    form.appendChild(announcer);
    form.classList.add("search-box--live");
    // aria-expanded is not allowed on a plain search box (axe aria-allowed-attr): it is a combobox now.
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", panel.id);
    input.setAttribute("aria-expanded", "false");
    var describe = document.createElement("span");
    describe.className = "visually-hidden";
    describe.id = panel.id + "-help";
    describe.textContent = "Kết quả hiện ngay khi gõ; dùng phím mũi tên xuống để chọn, Esc để đóng.";
    form.appendChild(describe);
    input.setAttribute("aria-describedby", describe.id);
    var timer = null;
    var none = null;

    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function announce(text) {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () { announcer.textContent = text; }, 400);
    }

    function update() {
      var text = input.value.trim();
      if (!text) { close(); status.textContent = ""; announce(""); return; }
      load().then(function (engine) {
        if (input.value.trim() !== text) return;
        var results = run(engine, text, true);
        list.textContent = "";
        results.slice(0, MAX_SUGGESTIONS).forEach(function (r) { list.appendChild(resultItem(r, "search-result")); });
        status.textContent = countText(results.length, text);
        if (none) panel.removeChild(none);
        none = results.length ? null : panel.insertBefore(suggestions(), more);
        announce(status.textContent);
        more.hidden = results.length <= MAX_SUGGESTIONS;
        more.href = base + "tim-kiem/?q=" + encodeURIComponent(text);
        more.textContent = "Xem tất cả " + results.length + " kết quả";
        panel.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }, function () {
        status.textContent = "Chưa tải được dữ liệu tìm kiếm. Nhấn Tìm để mở trang kết quả.";
        announce(status.textContent);
        panel.hidden = false;
      });
    }

    function links() { return Array.prototype.slice.call(panel.querySelectorAll("a:not([hidden])")); }

    function reopen() {
      if (!panel.hidden || !input.value.trim() || !list.children.length) return false;
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
      return true;
    }

    input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
    input.addEventListener("click", reopen);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 60);
    });
    form.addEventListener("keydown", function (event) {
      var items = links();
      var at = items.indexOf(document.activeElement);
      if (event.key === "Escape") {
        if (!panel.hidden) { close(); input.focus(); event.preventDefault(); }
      } else if (event.key === "ArrowDown" && event.target === input && reopen()) {
        event.preventDefault();
      } else if (event.key === "ArrowDown" && !panel.hidden && items.length) {
        items[Math.min(at + 1, items.length - 1)].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && at >= 0) {
        if (at === 0) input.focus(); else items[at - 1].focus();
        event.preventDefault();
      }
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  function enhancePage(form) {
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!input || !status || !list) return;
    var params = new URLSearchParams(window.location.search);
    var initial = (params.get("q") || "").trim();
    var pageTitle = document.title;
    input.value = initial;
    var timer = null;
    var none = null;

    function show(text, prefix) {
      if (none) { none.parentNode.removeChild(none); none = null; }
      if (!text) {
        list.textContent = "";
        status.textContent = "Nhập tên thủ tục, mã thủ tục hoặc từ khóa để tìm.";
        return;
      }
      status.textContent = "Đang tìm…";
      load().then(function (engine) {
        if (input.value.trim() !== text) return;
        var results = run(engine, text, prefix);
        list.textContent = "";
        if (none) { none.parentNode.removeChild(none); none = null; }
        results.slice(0, MAX_PAGE_RESULTS).forEach(function (r) { list.appendChild(resultItem(r, "search-result")); });
        if (!results.length) none = list.parentNode.insertBefore(suggestions(), list.nextSibling);
        status.textContent = countText(results.length, text) +
          (results.length > MAX_PAGE_RESULTS ? "; hiện " + MAX_PAGE_RESULTS + " kết quả đầu, hãy thêm từ để thu hẹp." : "");
        document.title = text + " - " + pageTitle;
      }, function () {
        status.textContent = "Chưa tải được dữ liệu tìm kiếm. Hãy thử lại, hoặc xem thủ tục theo lĩnh vực bên dưới.";
      });
    }

    function remember(text) {
      var url = window.location.pathname + (text ? "?q=" + encodeURIComponent(text) : "");
      window.history.replaceState(null, "", url);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        remember(text);
        show(text, true);
      }, 80);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      remember(text);
      show(text, false);
    });
    show(initial, false);
  }

  function init() {
    document.querySelectorAll("form[role=search]").forEach(function (form) {
      if (form.hasAttribute("data-search-page")) enhancePage(form); else enhanceBox(form);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})(typeof window !== "undefined" ? window : globalThis);
