// Goal editor: move rows up and down and number them. Adding rows is htmx's job; removing is a
// checkbox (styled as a button) so a removal can be undone until the form is saved.
(function () {
  const rows = document.getElementById("goal-rows");
  if (!rows) return;

  function renumber() {
    let number = 0;
    rows.querySelectorAll(".goal-row").forEach((row) => {
      number += 1;
      row.querySelector(".goal-number").textContent = "Goal " + number;
      const order = row.querySelector('input[name$="-ORDER"]');
      if (order && (order.value !== "" || row.dataset.moved)) order.value = number;
    });
  }

  rows.addEventListener("click", (event) => {
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

  document.body.addEventListener("htmx:afterSwap", renumber);
  // A library entry's button says it was added (here, not in an hx-on attribute: the
  // Content-Security-Policy runs no inline script).
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const button = event.detail.elt;
    if (event.detail.successful && button.matches('[data-testid="add-from-library"]')) {
      button.textContent = "Added ✓ — add again";
    }
  });
  renumber();
})();
