/* Suggestions for the person fields: as the user types, ask /api/people for named people whose
   name starts with the text and offer them in the field's datalist (value: id, label: name).
   A suggestion picked puts the person's name in the field and their id in the hidden field
   named by data-chosen, so the chosen person stays shown by name. Without scripts the form
   still works: the server resolves a name or lists the candidates. */
(function () {
  "use strict";
  function offer(list, people) {
    list.replaceChildren();
    people.forEach(function (person) {
      var option = document.createElement("option");
      option.value = person.id;
      option.label = person.name;
      option.textContent = person.name;
      list.appendChild(option);
    });
  }

  function picked(input, list, chosen) {
    var match = Array.prototype.find.call(list.options, function (option) {
      return option.value === input.value;
    });
    if (!match) { return false; }
    chosen.value = match.value;
    input.value = match.textContent;
    return true;
  }

  document.querySelectorAll("input[data-people]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var chosen = document.getElementById(input.dataset.chosen) || {value: ""};
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (picked(input, list, chosen)) { asked = input.value.trim(); return; }
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked || text.indexOf("=") >= 0) { return; }
        asked = text;
        fetch(input.dataset.people + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {people: []}; })
          .then(function (data) { offer(list, data.people); })
          .catch(function () { list.replaceChildren(); });
      }, 200);
    });
  });
}());
