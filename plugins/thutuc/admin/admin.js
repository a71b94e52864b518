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
        if (Array.isArray(item) && item.length === 0 && key !== "fees" && key !== "files") {
          return;
        }
        result[key] = item;
      });
      return result;
    }
    return value;
  }

  // The body of a file cut at its top-level keys: {key: text}, comment and blank lines going with the
  // key below them. Null when the body is not a plain block mapping of simple keys.
  function topLevelBlocks(body) {
    var blocks = {};
    var order = [];
    var pending = "";
    var current = null;
    var lines = body.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i] + (i < lines.length - 1 ? "\n" : "");
      if (line === "") {
        continue;
      }
      var key = /^([A-Za-z_][A-Za-z0-9_]*):(\s|$)/.exec(line);
      if (key) {
        current = key[1];
        if (has(blocks, current)) {
          return null;
        }
        order.push(current);
        blocks[current] = pending + line;
        pending = "";
      } else if (/^(#|\s*$)/.test(line) || current === null) {
        if (current === null && !/^(#|\s*$)/.test(line)) {
          return null;
        }
        pending += line;
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

  function dumpKey(key, value) {
    var single = {};
    single[key] = value;
    return jsyaml.dump(single, dumpOptions);
  }

  // Write data, reusing the text of every top-level key whose value is the same as when the file was read.
  function writeKeeping(data, source, shape) {
    var body = shaped(clean(data), shape);
    var cut = null;
    var before = null;
    if (typeof source === "string" && source) {
      try {
        before = shaped(clean(parse(source) || {}), shape);
        cut = topLevelBlocks(source);
      } catch (error) {
        cut = null;
      }
    }
    if (!cut || !before || typeof before !== "object" || Array.isArray(before)) {
      return jsyaml.dump(body, dumpOptions);
    }
    // The keys of the file as read, in its own order (even one whose value clean() drops, e.g.
    // "keywords: []"), then each new key after the nearest key that precedes it in the content model.
    var keys = cut.order.slice();
    var model = shape.keys || [];
    Object.keys(body).forEach(function (key) {
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
    var text = "";
    keys.forEach(function (key) {
      var kept = has(cut.blocks, key) ? cut.blocks[key] : null;
      if (kept !== null && same(before[key], body[key])) {
        text += kept;
      } else if (has(body, key)) {
        var comments = kept === null ? "" : (/^((?:#.*\n|\s*\n)*)/.exec(kept) || ["", ""])[1];
        text += comments + dumpKey(key, body[key]);
      }
    });
    return text;
  }

  var formats = {
    procedure: {
      fromFile: function (text) {
        var parts = splitHeader(text);
        var data = parse(parts.body) || {};
        data._header = parts.header;
        data._source = parts.body;
        return data;
      },
      toFile: function (data) {
        return header(data, PROCEDURE_HEADER) + writeKeeping(data, data._source, SHAPE);
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
        try {
          if (data._source && same(clean(parse(data._source) || []), items)) {
            return top + data._source; // unchanged: written back as it was
          }
        } catch (error) {
          // the file as read did not parse: write the form's data
        }
        return top + jsyaml.dump(items, dumpOptions);
      }
    };
  });

  if (typeof module === "object" && module.exports) {
    module.exports = formats; // tests run the same code under Node
    return;
  }
  root.CMS.registerCustomFormat("yml-procedure", "yml", formats.procedure);
  Object.keys(formats.lists).forEach(function (name) {
    root.CMS.registerCustomFormat(name, "yml", formats.lists[name]);
  });
  root.CMS.init();
})(typeof window !== "undefined" ? window : globalThis);
