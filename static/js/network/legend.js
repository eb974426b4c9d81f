/* TIPs map — the network's legend in its exports: the actor types drawn, with their counts, and
 * the relations in the report's legend (TIPS.LINES), on a canvas (PNG) or as SVG. The page's own
 * legend is HTML in the template; an exported image has to carry its legend inside.
 * Every text from the data goes through textContent, never innerHTML: labels are data. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var INK = TIPS.INK;
  var ROW = 24;
  var colour = TIPS.networkDrawing.colour;

  /* What both drawings show, row by row. */
  function rows(labels, relations, typeLabels, counts, hasExternal) {
    var result = [{ kind: "title", text: labels.actorTypes }];
    Object.keys(typeLabels).forEach(function (type) {
      if (counts[type]) result.push({ kind: "type", type: type, text: typeLabels[type] + " (" + counts[type] + ")" });
    });
    if (hasExternal) result.push({ kind: "external", text: labels.external });
    result.push({ kind: "title", text: labels.relationTypes });
    TIPS.RELATION_TYPES.forEach(function (type) {
      result.push({ kind: "relation", type: type, text: relations[type] });
    });
    return result;
  }

  function font(row) {
    return (row.kind === "title" ? "bold 15px " : "14px ") + "system-ui, sans-serif";
  }

  /* The legend's width: its longest text, measured in the font it is drawn with. */
  function width(legendRows) {
    var ctx = document.createElement("canvas").getContext("2d");
    var widest = 0;
    legendRows.forEach(function (row) {
      ctx.font = font(row);
      widest = Math.max(widest, ctx.measureText(row.text).width + (row.kind === "title" ? 0 : 42));
    });
    return Math.ceil(widest) + 40;
  }

  function height(legendRows) {
    return legendRows.length * ROW + 40;
  }

  function drawOnCanvas(ctx, legendRows, x, y) {
    ctx.textBaseline = "middle";
    legendRows.forEach(function (row, i) {
      var mid = y + i * ROW + ROW / 2;
      ctx.fillStyle = INK;
      ctx.font = font(row);
      if (row.kind === "title") {
        ctx.fillText(row.text, x, mid);
        return;
      }
      if (row.kind === "type" || row.kind === "external") {
        ctx.beginPath();
        ctx.arc(x + 8, mid, 7, 0, 2 * Math.PI);
        ctx.fillStyle = row.kind === "type" ? colour(row.type) : "#ffffff";
        ctx.fill();
        ctx.lineWidth = row.kind === "type" ? 1 : 3;
        ctx.strokeStyle = INK;
        ctx.stroke();
      } else {
        var line = TIPS.LINES[row.type];
        ctx.beginPath();
        ctx.strokeStyle = INK;
        ctx.lineWidth = line.width;
        ctx.setLineDash(line.dash || []);
        ctx.moveTo(x, mid);
        ctx.lineTo(x + 28, mid);
        ctx.stroke();
        ctx.setLineDash([]);
        if (line.arrow) {
          ctx.beginPath();
          ctx.fillStyle = INK;
          ctx.moveTo(x + 34, mid);
          ctx.lineTo(x + 26, mid - 5);
          ctx.lineTo(x + 26, mid + 5);
          ctx.fill();
        }
      }
      ctx.fillStyle = INK;
      ctx.fillText(row.text, x + 42, mid);
    });
  }

  function asSvg(doc, legendRows, x, y) {
    var ns = "http://www.w3.org/2000/svg";
    var group = doc.createElementNS(ns, "g");
    group.setAttribute("class", "network-legend");
    group.setAttribute("font-family", "system-ui, sans-serif");
    function el(name, attrs) {
      var node = doc.createElementNS(ns, name);
      Object.keys(attrs).forEach(function (key) {
        node.setAttribute(key, attrs[key]);
      });
      group.appendChild(node);
      return node;
    }
    legendRows.forEach(function (row, i) {
      var mid = y + i * ROW + ROW / 2;
      if (row.kind === "title") {
        el("text", { x: x, y: mid + 5, "font-size": 15, "font-weight": "bold", fill: INK }).textContent = row.text;
        return;
      }
      if (row.kind === "type" || row.kind === "external") {
        el("circle", {
          cx: x + 8,
          cy: mid,
          r: 7,
          fill: row.kind === "type" ? colour(row.type) : "#ffffff",
          stroke: INK,
          "stroke-width": row.kind === "type" ? 1 : 3,
        });
      } else {
        var style = TIPS.LINES[row.type];
        var line = { x1: x, y1: mid, x2: x + 28, y2: mid, stroke: INK, "stroke-width": style.width };
        if (style.dash) line["stroke-dasharray"] = style.dash.join(" ");
        el("line", line);
        if (style.arrow) {
          el("polygon", { points: [x + 34, mid, x + 26, mid - 5, x + 26, mid + 5].join(" "), fill: INK });
        }
      }
      el("text", { x: x + 42, y: mid + 5, "font-size": 14, fill: INK }).textContent = row.text;
    });
    return group;
  }

  TIPS.networkLegend = { rows: rows, width: width, height: height, drawOnCanvas: drawOnCanvas, asSvg: asSvg };
})();
