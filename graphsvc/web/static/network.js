/* The network explorer: draws the data the page carries with the app's own vis-network, and
   shows a clicked node's details with textContent (names are data, never markup). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var info = {};
  JSON.parse(document.getElementById("node-info").textContent).forEach(function (node) {
    info[node.id] = node;
  });
  var container = document.getElementById("network");
  var network = new vis.Network(container, {
    nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)
  }, data.options);
  var details = document.getElementById("details");

  function line(label, value) {
    var row = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = label + ": ";
    row.appendChild(strong);
    row.appendChild(document.createTextNode(value));
    return row;
  }

  function show(id) {
    var node = info[id];
    if (!node) { return; }
    details.replaceChildren();
    var heading = document.createElement("h2");
    heading.textContent = node.name || "(not named)";
    details.appendChild(heading);
    details.appendChild(line("Sector", node.sector || "not known"));
    details.appendChild(line("Borough", node.borough || "not known"));
    details.appendChild(line("Betweenness", node.betweenness.toFixed(4)));
    if (node.broker) { details.appendChild(line("Broker", "yes, among the top 5% by betweenness")); }
    if (!node.members && id.indexOf("anon:") !== 0) {
      var link = document.createElement("a");
      var params = new URLSearchParams(window.location.search);
      params.set("ego", id);
      link.href = "?" + params.toString();
      link.textContent = "Show its ego network";
      details.appendChild(link);
      var profile = document.createElement("a");
      profile.href = (id.indexOf("person:") === 0 ? "/people/" : "/organisations/") +
        encodeURIComponent(id);
      profile.textContent = "Open its profile";
      details.appendChild(document.createElement("br"));
      details.appendChild(profile);
    }
    network.selectNodes([id]);
  }

  network.on("click", function (event) {
    if (event.nodes.length) { show(event.nodes[0]); }
  });
  document.querySelectorAll("#node-table a[data-node]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey) { return; }
      event.preventDefault();
      show(a.dataset.node);
      details.scrollIntoView({block: "nearest"});
    });
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    container.dataset.ready = "yes";
  });
  window.graphsvcNetwork = {network: network, show: show};
}());
