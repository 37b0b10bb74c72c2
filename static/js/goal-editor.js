// Goal editor: move rows up and down and number them, and on a phone fold each row to a one-line
// summary until opened. Adding rows is htmx's job; removing is a checkbox (styled as a button) so
// a removal can be undone until the form is saved.
(function () {
  const rows = document.getElementById("goal-rows");
  if (!rows) return;

  function renumber() {
    let number = 0;
    rows.querySelectorAll(".goal-row").forEach((row) => {
      number += 1;
      row.querySelectorAll(".goal-number, .goal-toggle-number").forEach((label) => (label.textContent = "Goal " + number));
      const order = row.querySelector('input[name$="-ORDER"]');
      if (order && (order.value !== "" || row.dataset.moved)) order.value = number;
    });
  }

  // The folded row's one line: its text, then target and due date, as typed so far.
  function summarise(row) {
    const value = (suffix) => {
      const field = row.querySelector("[name$='-" + suffix + "']");
      return field ? field.value.trim() : "";
    };
    row.querySelector(".goal-summary-text").textContent = value("text") || "New goal";
    const parts = [[value("target"), value("unit")].filter(Boolean).join(" ")];
    const due = value("due_on").match(/^(\d{4})-(\d{2})-(\d{2})$/);
    if (due) {
      // Short ("due Jun 30"): the period's year is in the sheet's header.
      const day = new Date(Number(due[1]), Number(due[2]) - 1, Number(due[3]));
      parts.push("due " + day.toLocaleDateString("en-US", { month: "short", day: "numeric" }));
    }
    row.querySelector(".goal-summary-meta").textContent = parts.filter(Boolean).join(" · ");
  }

  function setOpen(row, open) {
    row.classList.toggle("is-open", open);
    row.querySelector(".goal-toggle").setAttribute("aria-expanded", open ? "true" : "false");
  }

  function prepare() {
    rows.querySelectorAll(".goal-row").forEach((row) => {
      // A row holding an error is opened, whatever the server said, so the message is seen.
      if (row.querySelector(".is-invalid, [aria-invalid='true']")) setOpen(row, true);
      summarise(row);
    });
  }

  rows.classList.add("collapsible");
  rows.addEventListener("input", (event) => {
    const row = event.target.closest(".goal-row");
    if (row) summarise(row);
  });

  rows.addEventListener("click", (event) => {
    const toggle = event.target.closest(".goal-toggle");
    if (toggle) {
      const row = toggle.closest(".goal-row");
      setOpen(row, !row.classList.contains("is-open"));
      return;
    }
    const button = event.target.closest("[data-move]");
    if (!button) return;
    const row = button.closest(".goal-row");
    const sibling = button.dataset.move === "up" ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling || !sibling.classList.contains("goal-row")) return;
    if (button.dataset.move === "up") rows.insertBefore(row, sibling);
    else rows.insertBefore(sibling, row);
    // Once anything moves, every row carries its position explicitly.
    rows.querySelectorAll(".goal-row").forEach((r) => (r.dataset.moved = "1"));
    renumber();
    button.focus();
  });

  document.body.addEventListener("htmx:afterSwap", () => { renumber(); prepare(); });
  // A library entry's button says it was added (here, not in an hx-on attribute: the
  // Content-Security-Policy runs no inline script).
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const button = event.detail.elt;
    if (event.detail.successful && button.matches('[data-testid="add-from-library"]')) {
      button.textContent = "Added ✓ — add again";
    }
  });
  renumber();
  prepare();
})();
