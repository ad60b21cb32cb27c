(function () {
  "use strict";
  var dataEl = document.getElementById("rollbook-data");
  var data;
  try { data = JSON.parse(dataEl.textContent); } catch (e) { return; }
  var KEY = "rollbook:" + data.plan_hash;
  var steps = data.steps;
  var saved = true;
  var state = load();

  function fresh() { return { v: 1, boxes: {}, run: { start: null, end: null }, steps: {} }; }
  function load() {
    try {
      var s = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (s && s.v === 1 && s.boxes && s.run && s.steps) { return s; }
    } catch (e) { saved = false; }
    return fresh();
  }
  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); saved = true; } catch (e) { saved = false; }
  }
  function st(n) {
    var k = String(n);
    if (!state.steps[k]) { state.steps[k] = { acc: 0, since: null }; }
    return state.steps[k];
  }
  function done(n) { return state.boxes["step-" + n + "-done"] === true; }
  function current() {
    for (var i = 0; i < steps.length; i++) { if (!done(steps[i].number)) { return steps[i].number; } }
    return null;
  }
  function elapsed(s, now) { return s.acc + (s.since === null ? 0 : Math.max(0, now - s.since)); }

  // The current step's timer runs while the rollback is under way; every other timer is stopped.
  function sync(now) {
    var cur = current();
    var r = state.run;
    if (r.start !== null && cur === null && r.end === null) { r.end = now; }
    if (cur !== null) { r.end = null; }
    for (var i = 0; i < steps.length; i++) {
      var n = steps[i].number, s = st(n);
      var run = r.start !== null && r.end === null && n === cur;
      if (s.since !== null && !run) { s.acc += Math.max(0, now - s.since); s.since = null; }
      if (s.since === null && run) { s.since = now; }
    }
  }
  function fmt(ms) {
    var t = Math.floor(ms / 1000), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
    var ss = (s < 10 ? "0" : "") + s;
    if (h > 0) { return h + ":" + (m < 10 ? "0" : "") + m + ":" + ss; }
    return m + ":" + ss;
  }
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } return el; }
  function flag(el, over) { if (el) { el.classList.toggle("over", over); } }

  function render() {
    var now = Date.now(), cur = current(), count = 0;
    for (var i = 0; i < steps.length; i++) {
      var n = steps[i].number, li = document.getElementById("step-" + n);
      var ms = elapsed(st(n), now);
      if (done(n)) { count++; }
      if (li) {
        li.classList.toggle("done", done(n));
        li.classList.toggle("current", n === cur);
      }
      flag(text("step-" + n + "-timer", fmt(ms)), ms > steps[i].estimate_minutes * 60000);
    }
    var r = state.run;
    var total = r.start === null ? 0 : (r.end === null ? now : r.end) - r.start;
    text("progress", count + " / " + steps.length + " steps done");
    flag(text("elapsed", fmt(total)), total > data.estimated_minutes * 60000);
    text("current-step", cur === null ? (steps.length ? "all steps done" : "no steps") : "current: step " + cur);
    text("start", r.start === null ? "Start rollback" : (r.end === null ? "Under way" : "Finished"));
    var startBtn = document.getElementById("start");
    if (startBtn) { startBtn.disabled = r.start !== null; }
    text("saved", saved ? "" : "progress is not saved in this browser");
    var boxes = document.querySelectorAll("input.persist");
    for (var j = 0; j < boxes.length; j++) { boxes[j].checked = state.boxes[boxes[j].id] === true; }
  }
  function change() { var now = Date.now(); sync(now); save(); render(); }

  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!el.classList || !el.classList.contains("persist")) { return; }
    if (el.checked) { state.boxes[el.id] = true; } else { delete state.boxes[el.id]; }
    // Ticking a step means the rollback has begun.
    if (el.checked && el.classList.contains("step-box") && state.run.start === null) { state.run.start = Date.now(); }
    change();
  });
  document.addEventListener("click", function (ev) {
    var el = ev.target;
    if (!el.closest) { return; }
    var copy = el.closest("button.copy");
    if (copy) { copyText(copy); return; }
    if (el.id === "start" && state.run.start === null) { state.run.start = Date.now(); change(); return; }
    if (el.id === "reset") {
      if (el.getAttribute("data-armed") !== "1") {
        el.setAttribute("data-armed", "1");
        el.textContent = "Click again to reset";
        setTimeout(function () { el.removeAttribute("data-armed"); el.textContent = "Reset progress"; }, 4000);
        return;
      }
      el.removeAttribute("data-armed");
      el.textContent = "Reset progress";
      state = fresh();
      change();
    }
  });
  function copyText(btn) {
    var pre = btn.parentNode.querySelector("pre");
    if (!pre) { return; }
    var value = pre.textContent;
    function ok() { btn.textContent = "Copied"; btn.classList.add("copied"); setTimeout(function () { btn.textContent = "Copy"; btn.classList.remove("copied"); }, 1500); }
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(pre);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try { if (document.execCommand("copy")) { ok(); return; } } catch (e) { /* selected: copy by hand */ }
      btn.textContent = "Selected";
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(value).then(ok, fallback);
    } else { fallback(); }
  }
  window.addEventListener("storage", function (ev) { if (ev.key === KEY) { state = load(); render(); } });
  var bar = document.getElementById("runbar");
  if (bar) { bar.hidden = false; }
  change();
  setInterval(render, 1000);
})();
