/* Every page: tables marked "sortable" sort by any column. Without scripts tables keep the
   server's order. */
(function () {
  "use strict";
  /* A cell's sort key: its data-value if it has one, else its text; a number when it reads
     as one (1,234 and 45% included); blanks and dashes always last. */
  function key(cell) {
    var text = cell.hasAttribute("data-value") ? cell.getAttribute("data-value")
      : cell.textContent;
    text = text.trim();
    if (text === "" || text === "–" || text === "-") { return null; }
    var number = Number(text.replace(/,/g, "").replace(/%$/, ""));
    return isNaN(number) ? text.toLowerCase() : number;
  }

  function compare(a, b, descending) {
    if (a === null || b === null) { return (a === null) - (b === null); }
    var order = typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0)
      : (typeof a === "number" ? -1 : 1);
    return descending ? -order : order;
  }

  function sortBy(table, heading, column) {
    var descending = heading.getAttribute("aria-sort") === "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return {row: row, key: key(row.cells[column]), at: i};
    });
    rows.sort(function (a, b) { return compare(a.key, b.key, descending) || a.at - b.at; });
    rows.forEach(function (r) { body.appendChild(r.row); });
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    heading.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headings = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headings, function (heading, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (heading.firstChild) { button.appendChild(heading.firstChild); }
      heading.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, heading, column); });
    });
    table.classList.add("sorting");
  });
}());
