/* TIPs map — the network page's exports: the drawing as PNG or SVG, with its legend and the date
 * of the data, so that an image taken out of the page still says what it shows and when. */
(function () {
  "use strict";
  var TIPS = (window.TIPS = window.TIPS || {});
  var legend = TIPS.networkLegend;
  var CREDIT = " — TIPs map";

  function download(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    // Revoked later, not at once: the browser may still be reading the blob for the download.
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 10000);
  }

  /* `drawn`: the counts per type of the drawing and the date of its data. */
  function parts(cy, settings, drawn) {
    var hasExternal = cy.nodes(".external").length > 0;
    var rows = legend.rows(settings.labels, settings.relations, settings.types, drawn.counts || {}, hasExternal);
    var bb = cy.elements().boundingBox();
    // About 1,400 pixels on the longer side, whatever the zoom of the page.
    var scale = Math.min(3, Math.max(0.5, 1400 / Math.max(bb.w || 1, bb.h || 1)));
    return {
      rows: rows,
      width: legend.width(rows),
      scale: scale,
      caption: settings.labels.date.replace("%(date)s", TIPS.formatDate(drawn.date)) + CREDIT,
      stamp: drawn.date || "",
    };
  }

  function png(cy, settings, drawn) {
    var p = parts(cy, settings, drawn);
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = image.width + p.width;
      canvas.height = Math.max(image.height, legend.height(p.rows)) + 40;
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0);
      legend.drawOnCanvas(ctx, p.rows, image.width + 20, 20);
      ctx.fillStyle = TIPS.INK;
      ctx.font = "14px system-ui, sans-serif";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(p.caption, 20, canvas.height - 14);
      canvas.toBlob(function (blob) {
        download(blob, "reseau-" + p.stamp + ".png");
      }, "image/png");
    };
    image.src = cy.png({ full: true, bg: "#ffffff", scale: p.scale, output: "base64uri" });
  }

  function svg(cy, settings, drawn) {
    var p = parts(cy, settings, drawn);
    var source = cy.svg({ full: true, bg: "#ffffff", scale: p.scale });
    var doc = new DOMParser().parseFromString(source, "image/svg+xml");
    var root = doc.documentElement;
    var width = parseFloat(root.getAttribute("width")) || 800;
    var height = parseFloat(root.getAttribute("height")) || 600;
    var totalWidth = width + p.width;
    var totalHeight = Math.max(height, legend.height(p.rows)) + 40;
    var ns = "http://www.w3.org/2000/svg";
    var background = doc.createElementNS(ns, "rect");
    background.setAttribute("width", totalWidth);
    background.setAttribute("height", totalHeight);
    background.setAttribute("fill", "#ffffff");
    root.insertBefore(background, root.firstChild);
    root.setAttribute("width", totalWidth);
    root.setAttribute("height", totalHeight);
    root.setAttribute("viewBox", "0 0 " + totalWidth + " " + totalHeight);
    root.appendChild(legend.asSvg(doc, p.rows, width + 20, 20));
    var text = doc.createElementNS(ns, "text");
    text.setAttribute("class", "network-date");
    text.setAttribute("x", 20);
    text.setAttribute("y", totalHeight - 14);
    text.setAttribute("font-size", 14);
    text.setAttribute("font-family", "system-ui, sans-serif");
    text.setAttribute("fill", TIPS.INK);
    text.textContent = p.caption;
    root.appendChild(text);
    var blob = new Blob([new XMLSerializer().serializeToString(doc)], { type: "image/svg+xml" });
    download(blob, "reseau-" + p.stamp + ".svg");
  }

  TIPS.networkExport = { png: png, svg: svg };
})();
