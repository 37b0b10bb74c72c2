// Accessibility glue for every page: after an htmx swap, focus goes somewhere sensible and the
// change is announced in a live region that is always on the page (a role="status" element that
// arrives with the swap is not reliably read out); after a refused form, the first field marked
// invalid gets the focus so its message (tied by aria-describedby) is read with it.
(function () {
  const announcer = document.getElementById("announcer");

  function announce(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    // A fresh text node on the next frame, so the same message twice is read twice.
    window.requestAnimationFrame(() => { announcer.textContent = text.trim(); });
  }

  function firstInvalid(scope) {
    return scope.querySelector(".is-invalid, [aria-invalid='true']");
  }

  document.addEventListener("DOMContentLoaded", () => {
    const invalid = firstInvalid(document);
    if (invalid && !document.querySelector("[autofocus]")) invalid.focus();
  });

  // An outerHTML swap (a row, the library's results) replaces the target itself: the element
  // to look in is its successor with the same id.
  function swapped(target) {
    if (!target) return null;
    if (target.isConnected) return target;
    return target.id ? document.getElementById(target.id) : null;
  }

  // After settling, not swapping: until then htmx gives elements that keep their id their old
  // attributes (a field still marked invalid, or not yet), so the page would be read wrongly.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const target = swapped(event.detail.target);
    if (!target || target.hasAttribute("data-new-rows")) return;  // see afterSettle
    const invalid = firstInvalid(target);
    if (invalid) {
      invalid.focus();
      const message = document.getElementById(invalid.getAttribute("aria-describedby") || "");
      announce(message ? message.textContent : "This needs correcting.");
      return;
    }
    const status = target.querySelector("[role='status']");
    if (status) announce(status.textContent);
    // Focus lost with the swapped element (it was replaced): put it back inside the new one.
    if (document.activeElement === document.body || !document.activeElement) {
      const focusable = target.querySelector("[data-focus-after-swap], button, select, input:not([type='hidden']), textarea, a[href]");
      if (focusable) focusable.focus();
    }
  });

  // A new goal row (in a container marked data-new-rows with its rows' selector: the goal
  // editor, the goal-set editor): the cursor goes to its first field (or the target, when the
  // library filled the rest), so keyboard and screen-reader users start typing where the work is.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (!target || !target.hasAttribute("data-new-rows")) return;
    const rows = target.querySelectorAll(target.dataset.newRows);
    const row = rows[rows.length - 1];
    if (!row) return;
    // The row names its first field to fill: the target for a library goal, the goal's text
    // for a row written from the library's guidance; otherwise the row's first field.
    const first = row.dataset.firstField;
    const field = (first && row.querySelector("[name$='-" + first + "']"))
      || row.querySelector("select, textarea, input:not([type='hidden']):not([type='checkbox'])");
    if (field) {
      field.focus();
      announce("Goal " + rows.length + " added.");
    }
  });
})();
