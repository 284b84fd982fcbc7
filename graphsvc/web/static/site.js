/* Every page: the site menu folds behind a button on narrow screens, a table that scrolls
   sideways in its box can be scrolled from the keyboard, and tables marked "sortable" sort by
   any column. Without scripts the menu is simply shown and tables keep the server's order. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }

  /* A table wider than the screen scrolls in its own box; the keyboard must reach that box
     to scroll it, so a box that scrolls (and only while it does) takes focus, named by its
     table's caption. */
  function markScrollers() {
    document.querySelectorAll("main table, .table-box, .scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth
        && getComputedStyle(box).overflowX !== "visible";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("data-scroll-focus", "");
        if (box.tagName !== "TABLE") {
          var caption = box.querySelector("caption");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table")
            + " (scrolls sideways)");
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        ["tabindex", "data-scroll-focus", "role", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  markScrollers();
  window.addEventListener("resize", markScrollers);

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
