// The fill-in page of a form (form-fill.html). Everything stays in the browser: no request is ever
// made. "Lưu vào máy" downloads the entries as a small JSON file, "Mở tệp đã lưu" reads one back,
// an opt-in draft lives in localStorage, "In hoặc lưu PDF" checks the entries and prints.
(function () {
  "use strict";
  var form = document.querySelector("[data-form-fill]");
  if (!form) { return; }
  var FORMAT = form.getAttribute("data-save-format");
  var FORM_ID = form.getAttribute("data-form-id");
  var TITLE = form.getAttribute("data-form-title");
  var DRAFT_KEY = FORMAT + ":" + FORM_ID;
  var MAX_FILE_BYTES = 1024 * 1024;
  var summary = document.querySelector("[data-fill-errors]");
  var draftBox = document.querySelector("[data-fill-draft]");
  var fileInput = document.querySelector("[data-fill-file]");

  function status(where, text) {
    var box = document.querySelector('[data-fill-status="' + where + '"]');
    if (box) { box.textContent = text; }
  }

  function controls() {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name; });
  }

  // ---- entries as data -------------------------------------------------------------------------
  function collect() {
    var values = {};
    controls().forEach(function (el) {
      if (el.type === "checkbox") {
        if (el.checked) { (values[el.name] = values[el.name] || []).push(el.value); }
      } else if (el.type === "radio") {
        if (el.checked) { values[el.name] = el.value; }
      } else if (el.value.trim() !== "") {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(values) {
    controls().forEach(function (el) {
      var value = Object.prototype.hasOwnProperty.call(values, el.name) ? values[el.name] : "";
      if (el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.type === "radio") {
        el.checked = value === el.value;
      } else {
        el.value = typeof value === "string" ? value : "";
      }
    });
  }

  function saved() {
    return { format: FORMAT, version: 1, form: FORM_ID, title: TITLE, saved: new Date().toISOString(), values: collect() };
  }

  // Only our own files: the right format, this form, and values that are text (or lists of text).
  function check(data) {
    if (!data || typeof data !== "object" || data.format !== FORMAT || typeof data.values !== "object" || !data.values) {
      return "tệp này không phải tệp tờ khai đã lưu từ trang web này.";
    }
    if (data.form !== FORM_ID) {
      return "tệp này lưu tờ khai “" + String(data.title || data.form).slice(0, 200) + "”, không phải “" + TITLE + "”. Hãy mở tệp trên trang của tờ khai đó.";
    }
    var keys = Object.keys(data.values);
    for (var i = 0; i < keys.length; i += 1) {
      var value = data.values[keys[i]];
      var ok = typeof value === "string" || (Array.isArray(value) && value.every(function (v) { return typeof v === "string"; }));
      if (!ok) { return "nội dung tệp bị hỏng hoặc đã bị sửa."; }
    }
    return "";
  }

  // ---- validation (GOV.UK pattern: a summary linking to each field, the message above the field) -----
  var DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

  function realDate(text) {
    var m = DATE.exec(text);
    if (!m) { return false; }
    var day = +m[1], month = +m[2], year = +m[3];
    var d = new Date(year, month - 1, day);
    return d.getFullYear() === year && d.getMonth() === month - 1 && d.getDate() === day;
  }

  function wellFormed(box, text) {
    var kind = box.getAttribute("data-kind");
    var digits = +(box.getAttribute("data-digits") || 0);
    var plain = text.replace(/[\s.-]/g, "");
    if (digits) { return new RegExp("^\\d{" + digits + "}$").test(plain); }
    if (kind === "date") { return realDate(text.trim()); }
    if (kind === "number") {
      if (!/^\d+$/.test(plain)) { return false; }
      var low = box.getAttribute("data-low"), high = box.getAttribute("data-high");
      return low === null || (+plain >= +low && +plain <= +high);
    }
    if (kind === "phone") { return /^(\+84|84|0)\d{9,10}$/.test(text.replace(/[\s.()-]/g, "")); }
    if (kind === "email") { return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim()); }
    return true;
  }

  function problem(box) {
    var inputs = box.querySelectorAll("input, textarea");
    var filled;
    if (box.getAttribute("data-kind") === "radio" || box.getAttribute("data-kind") === "checkbox") {
      filled = Array.prototype.some.call(inputs, function (el) { return el.checked; });
      return !filled && box.hasAttribute("data-required") ? box.getAttribute("data-required") : "";
    }
    var text = inputs[0].value;
    if (text.trim() === "") { return box.getAttribute("data-required") || ""; }
    return wellFormed(box, text) ? "" : (box.getAttribute("data-format") || "");
  }

  function described(box) {
    return box.tagName === "FIELDSET" ? box : box.querySelector("input, textarea");
  }

  function showError(box, message) {
    var target = described(box);
    var id = (box.querySelector("input, textarea").id) + "-loi";
    var old = document.getElementById(id);
    var ids = (target.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== id; });
    if (old) { old.parentNode.removeChild(old); }
    box.classList.toggle("entry--error", !!message);
    if (message) {
      var p = document.createElement("p");
      p.className = "entry__error";
      p.id = id;
      var prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = "Lỗi: ";
      p.appendChild(prefix);
      p.appendChild(document.createTextNode(message));
      var hint = box.querySelector(".entry__hint");
      var after = hint || box.querySelector(".entry__label");
      after.parentNode.insertBefore(p, after.nextSibling);
      ids.push(id);
    }
    if (ids.length) { target.setAttribute("aria-describedby", ids.join(" ")); } else { target.removeAttribute("aria-describedby"); }
    if (box.tagName !== "FIELDSET") {
      if (message) { target.setAttribute("aria-invalid", "true"); } else { target.removeAttribute("aria-invalid"); }
    }
  }

  function validate() {
    var errors = [];
    form.querySelectorAll("[data-entry]").forEach(function (box) {
      var message = problem(box);
      showError(box, message);
      if (message) { errors.push({ id: box.querySelector("input, textarea").id, message: message }); }
    });
    var list = summary.querySelector("ul");
    list.textContent = "";
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + error.id;
      link.textContent = error.message;
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.hidden = errors.length === 0;
    return errors.length === 0;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      var box = field.closest("[data-entry]");
      (box.querySelector("legend, label") || field).scrollIntoView();
      field.focus();
    }
  });

  // A corrected field loses its message at once; others wait for the next check.
  form.addEventListener("change", function (event) {
    var box = event.target.closest("[data-entry]");
    if (box && box.classList.contains("entry--error") && !problem(box)) { showError(box, ""); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  // ---- draft (only when ticked) ------------------------------------------------------------------
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function keepDraft() {
    var store = storage();
    if (!draftBox.checked || !store) { return; }
    try { store.setItem(DRAFT_KEY, JSON.stringify(saved())); } catch (e) {
      status("top", "Không giữ được bản nháp trên trình duyệt này (bộ nhớ đầy hoặc bị chặn). Hãy dùng “Lưu vào máy”.");
    }
  }

  function dropDraft() {
    var store = storage();
    if (store) { try { store.removeItem(DRAFT_KEY); } catch (e) { /* nothing kept */ } }
  }

  form.addEventListener("input", keepDraft);
  form.addEventListener("change", keepDraft);
  draftBox.addEventListener("change", function () {
    if (draftBox.checked) {
      if (!storage()) {
        draftBox.checked = false;
        status("top", "Trình duyệt này không cho giữ bản nháp. Hãy dùng “Lưu vào máy”.");
        return;
      }
      keepDraft();
      status("top", "Bản nháp được giữ trên trình duyệt này mỗi khi bạn nhập.");
    } else {
      dropDraft();
      status("top", "Đã xóa bản nháp khỏi trình duyệt này.");
    }
  });

  // ---- buttons -----------------------------------------------------------------------------------
  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  document.querySelector("[data-fill-save]").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(saved(), null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    var name = form.getAttribute("data-file-stem") + "-" + today() + ".json";
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.parentNode.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    status("end", "Đã lưu tệp “" + name + "” vào máy (thường trong thư mục Tải về). Lần sau, bấm “Mở tệp đã lưu” để điền tiếp.");
  });

  document.querySelector("[data-fill-open]").addEventListener("click", function () { fileInput.click(); });

  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = "";
    if (!file) { return; }
    var refuse = function (why) { status("top", "Không mở được tệp “" + file.name + "”: " + why); };
    if (file.size > MAX_FILE_BYTES) { refuse("tệp quá lớn, không phải tệp tờ khai đã lưu từ trang web này."); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var data;
      try { data = JSON.parse(String(reader.result)); } catch (e) { data = null; }
      var why = check(data);
      if (why) { refuse(why); return; }
      apply(data.values);
      form.querySelectorAll("[data-entry].entry--error").forEach(function (box) { showError(box, ""); });
      summary.hidden = true;
      keepDraft();
      status("top", "Đã mở tệp “" + file.name + "”. Bạn có thể điền tiếp.");
    };
    reader.onerror = function () { refuse("trình duyệt không đọc được tệp."); };
    reader.readAsText(file);
  });

  document.querySelector("[data-fill-clear]").addEventListener("click", function () {
    if (!window.confirm("Xóa mọi dữ liệu đã nhập trên trang này" + (draftBox.checked ? " và bản nháp trên trình duyệt" : "") + "?")) { return; }
    form.reset();
    dropDraft();
    draftBox.checked = false;
    form.querySelectorAll("[data-entry].entry--error").forEach(function (box) { showError(box, ""); });
    summary.hidden = true;
    status("end", "Đã xóa dữ liệu đã nhập.");
  });

  document.querySelector("[data-fill-print]").addEventListener("click", function () {
    if (validate()) {
      window.print();
    } else {
      summary.focus();
    }
  });

  document.querySelector("[data-fill-print-anyway]").addEventListener("click", function () { window.print(); });

  // ---- start: show the tools, restore a kept draft ---------------------------------------------------
  document.querySelectorAll("[data-fill-tools]").forEach(function (box) { box.hidden = false; });
  var nojs = document.querySelector("[data-fill-nojs]");
  if (nojs) { nojs.hidden = true; }
  var store = storage();
  var draft = null;
  try { draft = store && JSON.parse(store.getItem(DRAFT_KEY) || "null"); } catch (e) { draft = null; }
  if (draft && !check(draft)) {
    apply(draft.values);
    draftBox.checked = true;
    status("top", "Đã khôi phục bản nháp giữ trên trình duyệt này.");
  }
})();
