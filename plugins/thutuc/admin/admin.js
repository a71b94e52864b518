// Formats for the browser editor (Decap CMS). Files keep their leading comment lines (the
// "# yaml-language-server: $schema=" line and notes for editors) and site lists (fields.yml,
// agencies.yml, life-events.yml), which are YAML lists at the top level, are edited as "items".
(function () {
  "use strict";
  var PROCEDURE_HEADER = "# yaml-language-server: $schema=../../../plugins/thutuc/schema/procedure.schema.json\n";
  var LIST_HEADERS = {
    "yml-fields": "# yaml-language-server: $schema=../plugins/thutuc/schema/fields.schema.json\n",
    "yml-agencies": "# yaml-language-server: $schema=../plugins/thutuc/schema/agencies.schema.json\n",
    "yml-life-events": "# yaml-language-server: $schema=../plugins/thutuc/schema/life-events.schema.json\n"
  };
  // Top-level keys in the schema's order (the national portal's order); filled in at build time.
  var KEY_ORDER = /*KEY_ORDER*/[];

  function ordered(data) {
    var result = {};
    KEY_ORDER.forEach(function (key) {
      if (Object.prototype.hasOwnProperty.call(data, key)) {
        result[key] = data[key];
      }
    });
    Object.keys(data).forEach(function (key) {
      if (!Object.prototype.hasOwnProperty.call(result, key)) {
        result[key] = data[key];
      }
    });
    return result;
  }

  // The core schema keeps dates and codes as text, as the generator reads them.
  var options = { schema: jsyaml.CORE_SCHEMA };
  var dumpOptions = { schema: jsyaml.CORE_SCHEMA, lineWidth: 120, noRefs: true };

  function splitHeader(text) {
    var lines = String(text || "").split("\n");
    var header = [];
    while (lines.length && /^#/.test(lines[0])) {
      header.push(lines.shift());
    }
    return { header: header.length ? header.join("\n") + "\n" : "", body: lines.join("\n") };
  }

  function clean(value) {
    // Decap leaves empty strings and empty lists for untouched optional widgets: drop them.
    if (Array.isArray(value)) {
      return value.map(clean);
    }
    if (value && typeof value === "object") {
      var result = {};
      Object.keys(value).forEach(function (key) {
        var item = clean(value[key]);
        if (key === "_header" || item === "" || item === null && key !== "amount" || item === undefined) {
          return;
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

  CMS.registerCustomFormat("yml-procedure", "yml", {
    fromFile: function (text) {
      var parts = splitHeader(text);
      var data = jsyaml.load(parts.body, options) || {};
      data._header = parts.header;
      return data;
    },
    toFile: function (data) {
      var header = data._header || PROCEDURE_HEADER;
      return header + jsyaml.dump(ordered(clean(data)), dumpOptions);
    }
  });

  Object.keys(LIST_HEADERS).forEach(function (name) {
    CMS.registerCustomFormat(name, "yml", {
      fromFile: function (text) {
        var parts = splitHeader(text);
        return { _header: parts.header, items: jsyaml.load(parts.body, options) || [] };
      },
      toFile: function (data) {
        return (data._header || LIST_HEADERS[name]) + jsyaml.dump(clean(data.items || []), dumpOptions);
      }
    });
  });

  CMS.init();
})();
