// Formats for the browser editor (Decap CMS). Files keep their leading comment lines (the
// "# yaml-language-server: $schema=" line and notes for editors) and site lists (fields.yml,
// agencies.yml, life-events.yml), which are YAML lists at the top level, are edited as "items".
//
// Saving must not rewrite what the editor did not change (reviewers read the git diff): keys are
// written in the content model's order at every level, and each top-level key whose value is unchanged
// is written back exactly as it was read (quotes, flow lists, folded text, comments).
(function (root) {
  "use strict";
  var PROCEDURE_HEADER = "# yaml-language-server: $schema=../../../plugins/thutuc/schema/procedure.schema.json\n";
  var LIST_HEADERS = {
    "yml-fields": "# yaml-language-server: $schema=../plugins/thutuc/schema/fields.schema.json\n",
    "yml-agencies": "# yaml-language-server: $schema=../plugins/thutuc/schema/agencies.schema.json\n",
    "yml-life-events": "# yaml-language-server: $schema=../plugins/thutuc/schema/life-events.schema.json\n"
  };
  // {keys, nullable, children} of a procedure file, from the schema; filled in at build time.
  var SHAPE = /*SHAPE*/{};
  // {format: shape of one item} of the site lists (fields.yml, agencies.yml, life-events.yml).
  var LIST_SHAPES = /*LIST_SHAPES*/{};
  var HIDDEN = ["_header", "_source"];
  var jsyaml = root.jsyaml;

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  // Keys in the content model's order, then any others as they came; a nullable key left empty is null.
  function shaped(value, shape) {
    if (Array.isArray(value)) {
      return value.map(function (item) { return shaped(item, shape); });
    }
    if (!shape || !shape.keys || !value || typeof value !== "object") {
      return value;
    }
    var result = {};
    shape.keys.forEach(function (key) {
      if (has(value, key)) {
        result[key] = shaped(value[key], shape.children[key]);
      } else if (shape.nullable.indexOf(key) >= 0) {
        result[key] = null; // e.g. an amount "set locally": check then asks for the text
      }
    });
    Object.keys(value).forEach(function (key) {
      if (!has(result, key)) {
        result[key] = value[key];
      }
    });
    return result;
  }

  // The core schema keeps dates and codes as text, as the generator reads them.
  var options = { schema: jsyaml.CORE_SCHEMA };
  var dumpOptions = { schema: jsyaml.CORE_SCHEMA, lineWidth: 120, noRefs: true };

  // The comment lines the file had (none is kept as none); a file created in the form gets the schema line.
  function header(data, fallback) {
    return typeof data._source === "string" ? data._header || "" : fallback;
  }

  // js-yaml 5 refuses an empty document; an empty file (or one with only its header) is no data.
  function parse(text) {
    return /\S/.test(text || "") ? jsyaml.load(text, options) : null;
  }

  function splitHeader(text) {
    var lines = String(text || "").split("\n");
    var comments = [];
    while (lines.length && /^#/.test(lines[0])) {
      comments.push(lines.shift());
    }
    return { header: comments.length ? comments.join("\n") + "\n" : "", body: lines.join("\n") };
  }

  function clean(value) {
    // Decap leaves empty strings and empty lists for untouched optional widgets: drop them
    // (shaped() writes back the nullable ones as null).
    if (Array.isArray(value)) {
      return value.map(clean);
    }
    if (value && typeof value === "object") {
      var result = {};
      Object.keys(value).forEach(function (key) {
        var item = clean(value[key]);
        if (HIDDEN.indexOf(key) >= 0 || item === "" || item === null || item === undefined) {
          return;
        }
        if (isMapping(item) && Object.keys(item).length === 0) {
          return; // a group of optional fields left empty (an overlay's "dossier" it does not change)
        }
        if (Array.isArray(item) && item.length === 0 && key !== "fees" && key !== "files") {
          return;
        }
        result[key] = item;
      });
      return result;
    }
    return value;
  }

  // The lines of a block mapping at `indent` spaces cut at its keys: {blocks: {key: text}, order}, comment
  // and blank lines going with the key below them. Null when it is not a plain block mapping of simple keys.
  function keyBlocks(text, indent) {
    var blocks = {};
    var order = [];
    var pending = "";
    var current = null;
    var keyLine = new RegExp("^" + " ".repeat(indent) + "([A-Za-z_][A-Za-z0-9_]*):(\\s|$)");
    var lines = text.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i] + (i < lines.length - 1 ? "\n" : "");
      if (line === "") {
        continue;
      }
      var key = keyLine.exec(line);
      var filler = /^\s*(#.*)?\n?$/.test(line);
      if (key) {
        current = key[1];
        if (has(blocks, current)) {
          return null;
        }
        order.push(current);
        blocks[current] = pending + line;
        pending = "";
      } else if (filler) {
        pending += line;
      } else if (current === null || indentOf(line) <= indent) {
        return null;
      } else {
        blocks[current] += pending + line;
        pending = "";
      }
    }
    if (pending && current !== null) {
      blocks[current] += pending;
    }
    return { blocks: blocks, order: order };
  }

  // The items of a block sequence whose dashes are at `indent` spaces: [text], comment and blank lines
  // going with the item below them. Null when the lines are anything else.
  function itemBlocks(text, indent) {
    var items = [];
    var pending = "";
    var dash = new RegExp("^" + " ".repeat(indent) + "-( |\\n|$)");
    var lines = text.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i] + (i < lines.length - 1 ? "\n" : "");
      if (line === "") {
        continue;
      }
      if (dash.test(line)) {
        items.push(pending + line);
        pending = "";
      } else if (/^\s*(#.*)?\n?$/.test(line)) {
        pending += line;
      } else if (!items.length || indentOf(line) <= indent) {
        return null;
      } else {
        items[items.length - 1] += pending + line;
        pending = "";
      }
    }
    if (pending && items.length) {
      items[items.length - 1] += pending;
    }
    return items;
  }

  function indentOf(line) {
    return /^ */.exec(line)[0].length;
  }

  function firstContentLine(text) {
    var lines = text.split("\n");
    for (var i = 0; i < lines.length; i++) {
      if (!/^\s*(#.*)?$/.test(lines[i])) {
        return { index: i, line: lines[i] };
      }
    }
    return null;
  }

  function indented(text, indent) {
    var pad = " ".repeat(indent);
    return text.split("\n").map(function (line) { return line ? pad + line : line; }).join("\n");
  }

  // Equal values, whatever the order of keys in mappings (Decap does not keep it).
  function canonical(value) {
    if (Array.isArray(value)) {
      return value.map(canonical);
    }
    if (value && typeof value === "object") {
      var result = {};
      Object.keys(value).sort().forEach(function (key) { result[key] = canonical(value[key]); });
      return result;
    }
    return value;
  }

  function same(a, b) {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
  }

  function isMapping(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function dumpKey(key, value, indent) {
    var single = {};
    single[key] = value;
    return indented(jsyaml.dump(single, dumpOptions), indent);
  }

  function dumpItem(value, indent) {
    return indented(jsyaml.dump([value], dumpOptions), indent);
  }

  // The text of a block mapping holding `after`, reusing the text of every key, list item and nested key
  // whose value is the same as in `before` (what `text` holds). Null when the text is not plain enough.
  function writeMapping(before, after, text, indent, shape) {
    var cut = keyBlocks(text, indent);
    if (!cut) {
      return null;
    }
    // The keys as they were, in their own order (even one whose value clean() drops, e.g. "keywords: []"),
    // then each new key after the nearest key that precedes it in the content model.
    var keys = cut.order.slice();
    var model = (shape && shape.keys) || [];
    Object.keys(after).forEach(function (key) {
      if (keys.indexOf(key) >= 0) {
        return;
      }
      var at = keys.length;
      var rank = model.indexOf(key);
      if (rank >= 0) {
        at = 0;
        keys.forEach(function (other, index) {
          var otherRank = model.indexOf(other);
          if (otherRank >= 0 && otherRank < rank) {
            at = index + 1;
          }
        });
      }
      keys.splice(at, 0, key);
    });
    var result = "";
    keys.forEach(function (key) {
      var kept = has(cut.blocks, key) ? cut.blocks[key] : null;
      if (!has(after, key)) {
        return;
      }
      if (kept !== null && has(before, key) && same(before[key], after[key])) {
        result += kept;
        return;
      }
      var comments = kept === null ? "" : (/^((?:[ \t]*#.*\n|\s*\n)*)/.exec(kept) || ["", ""])[1];
      var child = shape && shape.children ? shape.children[key] : null;
      var written = kept === null || !has(before, key) ? null
        : writeValue(key, before[key], after[key], kept.slice(comments.length), indent, child);
      result += comments + (written === null ? dumpKey(key, after[key], indent) : written);
    });
    return result;
  }

  // "key:" followed by a block mapping or block sequence: the same, keeping what did not change.
  function writeValue(key, before, after, block, indent, shape) {
    var newline = block.indexOf("\n");
    var head = newline < 0 ? block : block.slice(0, newline + 1);
    var rest = newline < 0 ? "" : block.slice(newline + 1);
    if (!/^ *[A-Za-z_][A-Za-z0-9_]*:\s*(#.*)?\n$/.test(head)) {
      return null; // the value is on the key's line (flow list, text, block scalar)
    }
    var first = firstContentLine(rest);
    if (!first) {
      return null;
    }
    var childIndent = indentOf(first.line);
    var body = null;
    if (Array.isArray(before) && Array.isArray(after) && /^ *-( |$)/.test(first.line) && childIndent >= indent) {
      body = writeSequence(before, after, rest, childIndent, shape);
    } else if (isMapping(before) && isMapping(after) && childIndent > indent) {
      body = writeMapping(before, after, rest, childIndent, shape);
    }
    return body === null ? null : head + body;
  }

  // A block sequence: every item equal to an item as read is written back as it was (an added, removed or
  // moved item leaves the others alone); a changed mapping item keeps its unchanged keys.
  function writeSequence(before, after, text, indent, shape) {
    var items = itemBlocks(text, indent);
    if (!items || items.length !== before.length) {
      return null;
    }
    var used = before.map(function () { return false; });
    var result = "";
    after.forEach(function (item, index) {
      var match = -1;
      if (index < before.length && !used[index] && same(before[index], item)) {
        match = index;
      } else {
        for (var j = 0; j < before.length && match < 0; j++) {
          if (!used[j] && same(before[j], item)) {
            match = j;
          }
        }
      }
      if (match >= 0) {
        used[match] = true;
        result += items[match];
        return;
      }
      var written = null;
      if (index < before.length && !used[index] && isMapping(before[index]) && isMapping(item)
          && !after.some(function (other) { return same(other, before[index]); })) {
        written = writeItem(before[index], item, items[index], indent, shape);
        used[index] = written !== null;
      }
      result += written === null ? dumpItem(item, indent) : written;
    });
    return result;
  }

  // A mapping item "- key: …": read as a mapping two columns further in, then the dash put back.
  function writeItem(before, after, block, indent, shape) {
    var comments = (/^((?:[ \t]*#.*\n|\s*\n)*)/.exec(block) || ["", ""])[1];
    var item = block.slice(comments.length);
    var pad = " ".repeat(indent);
    if (item.slice(0, indent + 2) !== pad + "- ") {
      return null;
    }
    var written = writeMapping(before, after, pad + "  " + item.slice(indent + 2), indent + 2, shape);
    if (written === null || written.slice(0, indent + 2) !== pad + "  " || /^\s*#/.test(written)) {
      return null;
    }
    return comments + pad + "- " + written.slice(indent + 2);
  }

  // Write data, reusing the text of everything whose value is the same as when the file was read.
  function writeKeeping(data, source, shape) {
    var body = shaped(clean(data), shape);
    var before = null;
    if (typeof source === "string" && source) {
      try {
        before = shaped(clean(parse(source) || {}), shape);
      } catch (error) {
        before = null;
      }
    }
    if (!isMapping(before)) {
      return jsyaml.dump(body, dumpOptions);
    }
    var written = writeMapping(before, body, source, 0, shape);
    return written === null ? jsyaml.dump(body, dumpOptions) : written;
  }

  // The data with the file's header comment and its text as read, so that saving keeps what was not edited.
  function readKeeping(text) {
    var parts = splitHeader(text);
    var data = parse(parts.body) || {};
    data._header = parts.header;
    data._source = parts.body;
    return data;
  }

  var formats = {
    procedure: {
      fromFile: readKeeping,
      toFile: function (data) {
        return header(data, PROCEDURE_HEADER) + writeKeeping(data, data._source, SHAPE);
      }
    },
    overlay: {
      fromFile: readKeeping,
      toFile: function (data) {
        return header(data, "") + writeKeeping(data, data._source, SHAPE);
      }
    },
    lists: {}
  };

  Object.keys(LIST_HEADERS).forEach(function (name) {
    formats.lists[name] = {
      fromFile: function (text) {
        var parts = splitHeader(text);
        return { _header: parts.header, _source: parts.body, items: parse(parts.body) || [] };
      },
      toFile: function (data) {
        var items = shaped(clean(data.items || []), LIST_SHAPES[name]);
        var top = header(data, LIST_HEADERS[name]);
        var written = null;
        try {
          var before = data._source ? shaped(clean(parse(data._source) || []), LIST_SHAPES[name]) : null;
          if (Array.isArray(before)) {
            var first = firstContentLine(data._source);
            written = same(before, items) ? data._source
              : first ? writeSequence(before, items, data._source, indentOf(first.line), LIST_SHAPES[name]) : null;
          }
        } catch (error) {
          written = null; // the file as read did not parse: write the form's data
        }
        return top + (written === null ? jsyaml.dump(items, dumpOptions) : written);
      }
    };
  });

  // Decap's own Vietnamese, completed (its "vi" lacks some phrases, shown in English) and corrected to say
  // what the buttons do here: "Lưu" writes a file in content/; the public site changes only when it is
  // built again and put on the server.
  var VIETNAMESE = {
    auth: { login: "Vào trình biên tập" },
    app: { header: { media: "Tệp biểu mẫu", workflow: "Biên tập" } },
    collection: {
      collectionTop: { newButton: "Thêm %{collectionLabel}", viewAs: "Xem dạng", groupBy: "Nhóm theo",
        filterBy: "Lọc theo lĩnh vực" },
      groups: { other: "Khác", negateLabel: "Không phải %{label}" },
      entries: { noEntries: "Chưa có mục nào" }
    },
    editor: {
      editorControlPane: { i18n: { writingInLocale: "Đang viết bằng %{locale}", copyFromLocale: "Điền từ ngôn ngữ khác",
        copyFromLocaleConfirm: "Điền nội dung từ %{locale}? Nội dung hiện có sẽ bị thay." } },
      editor: {
        onDeleteWithUnsavedChanges: "Xóa hẳn tệp này khỏi thư mục content/ (cùng các thay đổi chưa lưu)? "
          + "Trang công khai sẽ mất mục này ở lần xây dựng sau. Trình biên tập không hoàn tác được việc xóa.",
        onDeletePublishedEntry: "Xóa hẳn tệp này khỏi thư mục content/? Trang công khai sẽ mất mục này ở lần xây dựng "
          + "sau. Trình biên tập không hoàn tác được việc xóa.",
        onPublishing: "Lưu thay đổi vào tệp trong thư mục content/?",
        onLeavePage: "Có thay đổi chưa lưu. Rời trang này?"
      },
      editorInterface: { toggleI18n: "Bật/tắt ngôn ngữ", togglePreview: "Bật/tắt xem trước", toggleScrollSync: "Cuộn cùng lúc" },
      editorToolbar: {
        publish: "Lưu", publishing: "Đang lưu…", published: "Đã lưu", publishNow: "Lưu vào tệp",
        publishAndCreateNew: "Lưu rồi tạo mục mới", publishAndDuplicate: "Lưu rồi sao chép thành mục mới",
        duplicate: "Sao chép thành mục mới", deleteEntry: "Xóa tệp", deletePublishedEntry: "Xóa tệp",
        unsavedChanges: "Chưa lưu", changesSaved: "Đã lưu vào tệp (chưa xuất bản)",
        backCollection: " Đang sửa trong %{collectionLabel}", deployButtonLabel: "Xem trang"
      },
      editorWidgets: {
        markdown: { bold: "Chữ đậm", italic: "Chữ nghiêng", code: "Mã", link: "Liên kết", linkPrompt: "Nhập địa chỉ liên kết",
          headings: "Tiêu đề", quote: "Trích dẫn", bulletedList: "Danh sách gạch đầu dòng", numberedList: "Danh sách đánh số",
          addComponent: "Thêm thành phần", richText: "Soạn thảo thường", markdown: "Markdown" },
        file: { choose: "Chọn tệp", chooseUrl: "Chèn từ địa chỉ", chooseMultiple: "Chọn tệp", replaceUrl: "Thay bằng địa chỉ",
          promptUrl: "Nhập địa chỉ của tệp", chooseDifferent: "Chọn tệp khác", addMore: "Thêm tệp", remove: "Bỏ tệp",
          removeAll: "Bỏ mọi tệp" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        datetime: { now: "Hôm nay" }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { draft: "Bản nháp", copy: "Sao chép", copyUrl: "Sao chép địa chỉ", copyPath: "Sao chép đường dẫn",
        copyName: "Sao chép tên", copied: "Đã sao chép" },
      mediaLibraryModal: { mediaAssets: "Tệp biểu mẫu", noAssetsFound: "Chưa có tệp nào.", upload: "Tải tệp lên",
        deleteSelected: "Xóa tệp đã chọn", chooseSelected: "Dùng tệp đã chọn" }
    },
    ui: {
      toast: {
        entryPublished: "Đã lưu tệp vào thư mục content/. Trang công khai chỉ đổi khi xây dựng lại (python3 build.py) "
          + "và đưa lên máy chủ.",
        entrySaved: "Đã lưu tệp vào thư mục content/.",
        onFailToPersist: "Chưa lưu được: %{details}",
        onFailToPublishEntry: "Chưa lưu được: %{details}",
        onFailToDelete: "Chưa xóa được: %{details}",
        missingRequiredField: "Còn mục bắt buộc chưa điền (viền đỏ). Điền rồi lưu lại."
      }
    }
  };

  function merge(base, extra) {
    var result = {};
    Object.keys(base).forEach(function (key) { result[key] = base[key]; });
    Object.keys(extra).forEach(function (key) {
      result[key] = isMapping(extra[key]) && isMapping(base[key]) ? merge(base[key], extra[key]) : extra[key];
    });
    return result;
  }

  // Collapsed list items show codes (direct, fee) where the summary starts with one (admin.py's summaries):
  // Decap's templates cannot map values, so the page replaces them with their Vietnamese names.
  var CODE_NAMES = /*CODE_NAMES*/{};
  var LEADING_CODE = /^(\w+)(:| –)/;
  var FEE = /^(\w+)\|(\d*)\|(.*)$/; // kind|amount|text: Decap's templates show 0 and null both as ""

  function feeSummary(match) {
    var amount = match[2] ? match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đồng" : "";
    return CODE_NAMES[match[1]] + ": " + [amount, match[3]].filter(Boolean).join(" – ");
  }

  function showCodeNames(document) {
    function rename(node) {
      var walker = document.createTreeWalker(node, 4 /* text */);
      for (var text = walker.nextNode(); text; text = walker.nextNode()) {
        var parent = text.parentNode;
        if (!parent || parent.closest("[contenteditable], textarea, input, select")) {
          continue;
        }
        var fee = FEE.exec(text.nodeValue);
        var match = LEADING_CODE.exec(text.nodeValue);
        if (fee && has(CODE_NAMES, fee[1])) {
          text.nodeValue = feeSummary(fee);
        } else if (match && has(CODE_NAMES, match[1])) {
          text.nodeValue = CODE_NAMES[match[1]] + text.nodeValue.slice(match[1].length);
        }
      }
    }
    // The icon buttons of a list item have no name: screen readers (and officers hovering) get one.
    function nameButtons(node) {
      if (!node.querySelectorAll) {
        return;
      }
      node.querySelectorAll("[class*='StyledListItemTopBar']").forEach(function (bar) {
        var buttons = Array.prototype.filter.call(bar.children, function (child) { return child.tagName === "BUTTON"; });
        if (buttons.length === 2 && !buttons[0].hasAttribute("aria-label")) {
          buttons[0].setAttribute("aria-label", "Mở hoặc thu gọn");
          buttons[0].title = "Mở hoặc thu gọn";
          buttons[1].setAttribute("aria-label", "Bỏ mục này khỏi danh sách");
          buttons[1].title = "Bỏ mục này khỏi danh sách";
        }
      });
    }
    new root.MutationObserver(function (changes) {
      changes.forEach(function (change) {
        var node = change.type === "characterData" ? change.target.parentNode || change.target : change.target;
        rename(node);
        nameButtons(node);
      });
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  }

  if (typeof module === "object" && module.exports) {
    module.exports = formats; // tests run the same code under Node
    return;
  }
  root.CMS.registerCustomFormat("yml-procedure", "yml", formats.procedure);
  root.CMS.registerCustomFormat("yml-overlay", "yml", formats.overlay);
  root.CMS.registerLocale("vi", merge(root.CMS.getLocale("vi") || {}, VIETNAMESE));
  showCodeNames(root.document);
  Object.keys(formats.lists).forEach(function (name) {
    root.CMS.registerCustomFormat(name, "yml", formats.lists[name]);
  });
  root.CMS.init();
})(typeof window !== "undefined" ? window : globalThis);
