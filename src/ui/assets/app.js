/*
 * app.js: small progressive enhancement; every page works without it.
 * - forms with data-confirm ask before submitting (not before a masking
 *   preview, which changes nothing);
 * - print buttons (hidden without JavaScript) print the page;
 * - an error summary (or, without one, the note that a masking preview
 *   awaits confirmation) takes the keyboard focus so screen readers hear
 *   it.
 */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var text = form.getAttribute("data-confirm");
      if (ev.submitter && ev.submitter.name === "mask_preview") {
        return;
      }
      if (text && !window.confirm(text)) {
        ev.preventDefault();
      }
    });
  });
  document.querySelectorAll("button.print").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  var summary = document.querySelector(".error-summary") ||
    document.querySelector(".mask-pending");
  if (summary) {
    summary.focus();
  }
});
