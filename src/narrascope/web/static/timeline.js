// The zoomable time axis (vis-timeline, vendored). Item content is built as DOM text nodes,
// never as HTML, so article text cannot inject markup.
(function () {
  "use strict";
  var box = document.getElementById("timeline-chart");
  if (!box || !window.vis || !window.vis.Timeline) return;
  var PREC_END = { year: [1, 0, 0], month: [0, 1, 0], season: [0, 3, 0], decade: [10, 0, 0] };

  function range(date, precision) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(date || "");
    if (!m) return null;
    var y = +m[1], mo = m[2] ? +m[2] - 1 : 0, d = m[3] ? +m[3] : 1;
    var start = new Date(Date.UTC(y, mo, d));
    var step = PREC_END[precision];
    if (!step || precision === "day") return { start: start, end: null };
    return { start: start, end: new Date(Date.UTC(y + step[0], mo + step[1], d + step[2])) };
  }

  function content(e) {
    var div = document.createElement("div");
    var when = document.createElement("strong");
    when.textContent = e.date + (e.inferred ? " (inferred)" : "");
    div.appendChild(when);
    div.appendChild(document.createTextNode(" " + (e.label || "").slice(0, 90)));
    var who = document.createElement("div");
    who.className = "muted";
    who.textContent = e.outlets.join(", ");
    div.appendChild(who);
    return div;
  }

  fetch(box.getAttribute("data-src"), { headers: { "Accept": "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var items = [];
      (data.items || []).forEach(function (e, i) {
        var r = range(e.date, e.precision);
        if (!r) return;
        var item = { id: i, start: r.start, content: content(e), className: e.inferred ? "inferred" : "",
                     type: r.end ? "range" : "box", eventId: e.event_id };
        if (r.end) item.end = r.end;
        items.push(item);
      });
      if (!items.length) return;
      box.classList.add("ready");
      var tl = new window.vis.Timeline(box, new window.vis.DataSet(items),
        { stack: true, zoomable: true, zoomKey: "", horizontalScroll: true, maxHeight: 480, xss: { disabled: false } });
      tl.on("select", function (props) {
        var it = items[props.items[0]];
        if (it) { var el = document.getElementById("ev-" + it.eventId); if (el) el.scrollIntoView({ behavior: "smooth" }); }
      });
    })
    .catch(function () { /* the list below stays */ });
})();
