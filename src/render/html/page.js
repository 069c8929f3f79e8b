// racelab's page script: be the scheduler, and the tree of schedules.
// It plays the tree the engine recorded (#racelab-data): it never decides itself what a
// thread does; every step, refusal and outcome comes from the data.
(function () {
  "use strict";
  var dataEl = document.getElementById("racelab-data");
  var game = document.getElementById("game");
  if (!dataEl || !game) return;
  var D = JSON.parse(dataEl.textContent);
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    (kids || []).forEach(function (c) { e.append(c); });
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The tree: node = [outcome or -1, [thread, step, child, ...], [thread, reason, ...]].
  function moves(id) {
    var a = D.nodes[id][1], out = [];
    for (var i = 0; i < a.length; i += 3) out.push({ thread: a[i], step: a[i + 1], node: a[i + 2] });
    return out;
  }
  function refusals(id) {
    var a = D.nodes[id][2], out = [];
    for (var i = 0; i < a.length; i += 2) out.push({ thread: a[i], reason: a[i + 1] });
    return out;
  }
  function endOf(id) { return D.nodes[id][0]; }
  var parent = [], via = [];
  D.nodes.forEach(function (_, id) {
    moves(id).forEach(function (m) { parent[m.node] = id; via[m.node] = m; });
  });
  // Leaves below each node, per outcome (children come after their parent).
  var counts = D.nodes.map(function () { return D.outcomes.map(function () { return 0; }); });
  for (var id = D.nodes.length - 1; id >= 0; id--) {
    if (endOf(id) >= 0) counts[id][endOf(id)] += 1;
    if (id > 0) counts[id].forEach(function (n, o) { counts[parent[id]][o] += n; });
  }
  var threadById = {};
  D.threads.forEach(function (t) { threadById[t.id] = t; });
  function laneOf(thread) {
    for (var i = 0; i < D.threads.length; i++) if (D.threads[i].id === thread) return i;
    return 0;
  }
  function mark(o) { return o.verdict === "forbidden" ? "✗ forbidden" : "✓ acceptable"; }

  // The swimlane, drawn as svg.rs draws it.
  function lanes(path) {
    var cells = [], waits = [];
    for (var i = 0; i < path.length; i++) {
      var w = refusals(path[i]).filter(function (r) {
        return D.reasons[r.reason].blocked && (i + 1 >= path.length || via[path[i + 1]].thread !== r.thread);
      });
      waits.push(w);
      if (i + 1 < path.length) cells.push(via[path[i + 1]]);
    }
    var longest = 7;
    cells.forEach(function (c) { longest = Math.max(longest, D.steps[c.step].text.length); });
    var colW = longest * 8 + 22, labelW = 96, laneH = 46, top = 22;
    var endWaits = waits[cells.length].length > 0;
    var columns = Math.max(1, cells.length + (endWaits ? 1 : 0));
    var width = labelW + colW * columns + 8, height = top + laneH * D.threads.length + 4;
    var svg = sv("svg", { "class": "lanes", viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img" });
    var words = cells.map(function (c, i) {
      return "step " + (i + 1) + ": " + threadById[c.thread].name + " " + D.steps[c.step].text;
    });
    svg.append(sv("title", {}, cells.length ? "Your run so far" : "No step taken yet"));
    svg.append(sv("desc", {}, words.join("; ")));
    var defs = sv("defs", {}), marker = sv("marker", { id: "game-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.append(sv("path", { d: "M0,0 L10,5 L0,10 z", "class": "arrowhead" }));
    defs.append(marker);
    svg.append(defs);
    D.threads.forEach(function (t, lane) {
      var y = top + lane * laneH + laneH / 2;
      svg.append(sv("line", { x1: labelW, y1: y, x2: width - 4, y2: y, "class": "lane" }));
      svg.append(sv("text", { x: 4, y: y + 4, "class": "name" }, t.name));
    });
    function bx(col) { return labelW + col * colW + 5; }
    function by(lane) { return top + lane * laneH + 8; }
    var bw = colW - 10;
    for (var col = 0; col < columns; col++) {
      svg.append(sv("text", { x: bx(col) + bw / 2, y: 14, "class": "colnum" }, col < cells.length ? String(col + 1) : "now"));
      (waits[col] || []).forEach(function (r) {
        var g = sv("g", { "class": "wait" });
        g.append(sv("title", {}, D.reasons[r.reason].text));
        g.append(sv("rect", { x: bx(col), y: by(laneOf(r.thread)), width: bw, height: 30, rx: 4 }));
        g.append(sv("text", { x: bx(col) + bw / 2, y: by(laneOf(r.thread)) + 19 }, "waits"));
        svg.append(g);
      });
    }
    cells.forEach(function (c, i) {
      var lane = laneOf(c.thread);
      if (i > 0 && cells[i - 1].thread !== c.thread) {
        var x1 = bx(i - 1) + bw, y1 = by(laneOf(cells[i - 1].thread)) + 15, x2 = bx(i), y2 = by(lane) + 15, mid = (x1 + x2) / 2;
        svg.append(sv("path", { d: "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2, "class": "switch", "marker-end": "url(#game-arrow)" }));
      }
      var g = sv("g", { "class": "step" });
      g.append(sv("title", {}, D.steps[c.step].python));
      g.append(sv("rect", { x: bx(i), y: by(lane), width: bw, height: 30, rx: 4 }));
      g.append(sv("text", { x: bx(i) + bw / 2, y: by(lane) + 19 }, D.steps[c.step].text));
      svg.append(g);
    });
    return svg;
  }

  // Be the scheduler.
  var path = [0];
  function here() { return path[path.length - 1]; }
  function schedule() {
    return path.slice(1).map(function (n) { return threadById[via[n].thread].token; }).join(" ");
  }
  function pick(thread) {
    var m = moves(here()).filter(function (m) { return m.thread === thread; })[0];
    if (!m) return false;
    path.push(m.node);
    render();
    return true;
  }
  function undo() {
    if (path.length > 1) { path.pop(); render(); }
  }
  function render() {
    var id = here();
    var buttons = document.getElementById("buttons");
    buttons.replaceChildren();
    D.threads.forEach(function (t) {
      var m = moves(id).filter(function (m) { return m.thread === t.id; })[0];
      var r = refusals(id).filter(function (r) { return r.thread === t.id; })[0];
      var label = t.key + " · " + t.name + (m ? ": " + D.steps[m.step].text : "");
      var b = el("button", { type: "button", id: "thread-" + t.id, "data-thread": t.id }, [label]);
      var row = el("div", { "class": "thread" }, [b]);
      if (m) {
        b.title = D.steps[m.step].python;
        b.addEventListener("click", function () { pick(t.id); });
      } else {
        b.disabled = true;
        var why = el("span", { "class": "reason", id: "reason-" + t.id }, [r ? D.reasons[r.reason].text : "cannot take a step"]);
        b.setAttribute("aria-describedby", why.id);
        row.append(why);
      }
      buttons.append(row);
    });
    document.getElementById("undo").disabled = path.length === 1;
    document.getElementById("game-lanes").replaceChildren(lanes(path));
    var status = document.getElementById("game-status");
    status.replaceChildren();
    var end = endOf(id);
    if (end >= 0) {
      var o = D.outcomes[end];
      var cls = o.verdict === "forbidden" ? "bad" : "ok";
      status.append(el("p", { "class": "verdict-line " + cls, id: "verdict" }, [o.text + " (" + mark(o) + ")"]));
      if (o.explanation) status.append(el("p", {}, [o.explanation]));
    } else {
      status.append(el("p", { "class": "muted" }, [path.length === 1 ? "Pick a thread to take the first step." : "Pick the next thread."]));
    }
    var s = schedule();
    document.getElementById("game-schedule").textContent = s || "(empty)";
    document.getElementById("game-command").textContent =
      s ? "racelab replay " + D.scenario + D.size_args + ' "' + s + '"' : "(take a step first)";
  }
  function keyThread(key) {
    for (var i = 0; i < D.threads.length; i++) {
      if (D.threads[i].keys.indexOf(key.toLowerCase()) >= 0) return D.threads[i].id;
    }
    return null;
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tag = (ev.target && ev.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA") return;
    if (ev.key === "Backspace") { ev.preventDefault(); undo(); return; }
    var t = keyThread(ev.key);
    if (t !== null && pick(t)) ev.preventDefault();
  });
  document.getElementById("undo").addEventListener("click", undo);
  document.getElementById("restart").addEventListener("click", function () { path = [0]; render(); });
  D.start.forEach(function (t) {
    var m = moves(here()).filter(function (m) { return m.thread === t; })[0];
    if (m) path.push(m.node);
  });
  game.hidden = false;
  render();

  // The tree of schedules: each choice opens to what may follow it; a leaf plays its run.
  function countsText(id) {
    var parts = [];
    counts[id].forEach(function (n, o) {
      if (n) parts.push(D.outcomes[o].text + " ×" + n + " " + (D.outcomes[o].verdict === "forbidden" ? "✗" : "✓"));
    });
    return parts.join(" · ");
  }
  function playLeaf(id) {
    var p = [];
    for (var n = id; n !== undefined; n = parent[n]) p.unshift(n);
    path = p;
    render();
    document.getElementById("play").scrollIntoView();
  }
  function fill(ul, id) {
    moves(id).forEach(function (m) {
      var t = threadById[m.thread];
      var text = t.key + " · " + t.name + ": " + D.steps[m.step].text;
      var end = endOf(m.node);
      if (end >= 0 && moves(m.node).length === 0) {
        var o = D.outcomes[end];
        var b = el("button", { type: "button", title: "Play this run" }, [text + " → " + o.text + " " + mark(o)]);
        b.addEventListener("click", function () { playLeaf(m.node); });
        ul.append(el("li", { "class": "leaf " + (o.verdict === "forbidden" ? "bad" : "ok") }, [b]));
      } else {
        var summary = el("summary", {}, [text, el("span", { "class": "counts" }, [countsText(m.node)])]);
        var sub = el("ul", {});
        var details = el("details", {}, [summary, sub]);
        details.addEventListener("toggle", function () {
          if (details.open && !sub.hasChildNodes()) fill(sub, m.node);
        });
        ul.append(el("li", {}, [details]));
      }
    });
  }
  var tree = document.getElementById("tree");
  if (tree) fill(tree, 0);
})();
