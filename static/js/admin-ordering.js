"use strict";
// Up and down buttons for the inline rows that carry a hidden position (editorial/ordering.py):
// moving a row numbers every row of its table in the new order. Without this script the rows
// keep their order and new rows go last. The buttons' labels come translated from the page
// (#row-ordering in the change form), so this file holds no text.
(function () {
  let labels = null;  // read once the page is parsed: this script runs in its head

  function rowsOf(group) {
    // Rows are table rows (tabular) or stacked blocks; a stacked block's own lines are not.
    return Array.from(group.querySelectorAll("tr.form-row, div.inline-related")).filter(
      (row) => !row.classList.contains("empty-form") && !row.classList.contains("tabular")
        && row.querySelector("input[data-position]")
    );
  }

  function renumber(group) {
    rowsOf(group).forEach((row, index) => {
      row.querySelector("input[data-position]").value = index + 1;
    });
  }

  function move(row, step, button) {
    const group = row.closest(".inline-group");
    const rows = rowsOf(group);
    const target = rows[rows.indexOf(row) + step];
    if (!target) {
      return;
    }
    if (step < 0) {
      target.before(row);
    } else {
      target.after(row);
    }
    renumber(group);
    button.focus();
  }

  function button(row, step, text, label) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "row-move";
    element.textContent = text;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.addEventListener("click", () => move(row, step, element));
    return element;
  }

  function addButtons(row) {
    if (!labels || row.querySelector(".row-moves") || !row.querySelector("input[data-position]")) {
      return;
    }
    const box = document.createElement("span");
    box.className = "row-moves";
    box.append(button(row, -1, "▲", labels.dataset.up), button(row, 1, "▼", labels.dataset.down));
    const place = row.querySelector("td.original") || row.querySelector("h3");
    if (place) {
      place.append(box);
    }
  }

  function init() {
    labels = document.getElementById("row-ordering");
    document.querySelectorAll(".inline-group").forEach((group) => rowsOf(group).forEach(addButtons));
  }

  document.addEventListener("formset:added", (event) => addButtons(event.target));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
