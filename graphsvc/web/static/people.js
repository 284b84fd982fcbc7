/* Suggestions for the person fields: as the user types, ask /api/people for named people whose
   name starts with the text and offer them in the field's datalist (value: id, label: name).
   Without scripts the form still works: the server resolves a name or lists the candidates. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-people]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked || text.indexOf("=") >= 0) { return; }
        asked = text;
        fetch(input.dataset.people + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {people: []}; })
          .then(function (data) {
            list.replaceChildren();
            data.people.forEach(function (person) {
              var option = document.createElement("option");
              option.value = person.id;
              option.label = person.name;
              option.textContent = person.name;
              list.appendChild(option);
            });
          })
          .catch(function () { list.replaceChildren(); });
      }, 200);
    });
  });
}());
