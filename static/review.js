/* review.js — what JavaScript adds to the review pages: keyboard
 * shortcuts, zoom and box toggling, and filling a field from what OCR read
 * (a candidate's button or box, or any word on the receipt; Alt+↓/↑ in a
 * field cycles its candidates, best first).  Everything works without it
 * (plain forms and links); this file only makes it quicker. */
(function () {
  "use strict";
  var receipt = document.getElementById("receipt");
  var zoom = 1;

  function setZoom(z) {
    zoom = Math.min(4, Math.max(0.5, z));
    if (receipt) receipt.style.setProperty("--zoom", String(zoom));
  }

  function toggleBoxes() {
    if (!receipt) return;
    var off = receipt.classList.toggle("boxes-off");
    var b = receipt.querySelector("[data-toggle=boxes]");
    if (b) b.setAttribute("aria-pressed", off ? "false" : "true");
  }

  if (receipt) {
    var tools = receipt.querySelector(".tools");
    if (tools) tools.hidden = false;
    receipt.addEventListener("click", function (ev) {
      var t = ev.target.closest("button");
      if (!t) return;
      var z = t.getAttribute("data-zoom");
      if (z === "in") setZoom(zoom * 1.25);
      else if (z === "out") setZoom(zoom / 1.25);
      else if (z === "fit") setZoom(1);
      else if (t.getAttribute("data-toggle") === "boxes") toggleBoxes();
    });
  }

  /* Focusing a field highlights the box it was read from. */
  document.querySelectorAll("tr[data-field]").forEach(function (row) {
    var key = row.getAttribute("data-field");
    function mark(on) {
      document.querySelectorAll("rect.field-" + key).forEach(function (r) {
        r.classList.toggle("hl", on);
      });
    }
    row.addEventListener("focusin", function () { mark(true); });
    row.addEventListener("focusout", function () { mark(false); });
  });

  /* Filling a field from OCR's readings: the field is marked "clicked" so
   * that the correction teaches the model which candidate was right. */
  var lastField = null;
  function fill(input, value) {
    if (!input) return;
    input.value = value;
    var how = input.form && input.form.querySelector(
      "input[name='how-" + input.name + "']");
    if (how) how.value = "clicked";
    input.focus();
    lastField = input;
  }
  document.querySelectorAll("#decide input:not([type=hidden])").forEach(function (i) {
    i.addEventListener("focus", function () { lastField = i; });
    i.addEventListener("input", function () {
      var how = i.form.querySelector("input[name='how-" + i.name + "']");
      if (how) how.value = "typed";
    });
    i.addEventListener("keydown", function (ev) {
      if (!ev.altKey || (ev.key !== "ArrowDown" && ev.key !== "ArrowUp")) return;
      var opts = Array.prototype.slice.call(document.querySelectorAll(
        "button.cand[data-for='" + i.id + "']"));
      if (!opts.length) return;
      ev.preventDefault();
      var at = opts.findIndex(function (b) { return b.getAttribute("data-value") === i.value; });
      at = ev.key === "ArrowDown" ? (at + 1) % opts.length :
        (at <= 0 ? opts.length - 1 : at - 1);
      fill(i, opts[at].getAttribute("data-value"));
    });
  });
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t || !t.getAttribute) return;
    var v = t.getAttribute("data-value"), f = t.getAttribute("data-for");
    if (v !== null && f) {
      ev.preventDefault();
      fill(document.getElementById(f), v);
      return;
    }
    var w = t.getAttribute("data-text");
    if (w !== null && lastField) fill(lastField, w);
  });

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" ||
      el.tagName === "SELECT" || el.isContentEditable);
  }

  function go(id) {
    var a = document.getElementById(id);
    if (a) window.location.assign(a.href);
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape" && typing(document.activeElement)) {
      document.activeElement.blur();
      return;
    }
    if (typing(ev.target)) return;
    var help = document.getElementById("help");
    switch (ev.key) {
    case "a":
      var ap = document.getElementById("approve");
      if (ap) { ev.preventDefault(); ap.click(); }
      break;
    case "r":
      var reason = document.getElementById("reason");
      if (reason) { ev.preventDefault(); reason.focus(); }
      break;
    case "e":
      var first = document.querySelector("#decide input:not([type=hidden])");
      if (first) { ev.preventDefault(); first.focus(); first.select(); }
      break;
    case "j": go("nav-next"); break;
    case "k": go("nav-prev"); break;
    case "+": case "=": setZoom(zoom * 1.25); break;
    case "-": setZoom(zoom / 1.25); break;
    case "0": setZoom(1); break;
    case "b": toggleBoxes(); break;
    case "?":
      if (help) { help.open = !help.open; if (help.open) help.querySelector("summary").focus(); }
      break;
    default: return;
    }
  });
})();
