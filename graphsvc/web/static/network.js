/* The network explorer: draws the data the page carries with the app's own vis-network once
   its layout has settled, then stops the physics; hover tooltips, a clicked node's details, a
   search that centres and highlights a node, and a paged table. Every name is data, written
   with textContent (never markup). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var info = {};
  JSON.parse(document.getElementById("node-info").textContent).forEach(function (node) {
    info[node.id] = node;
  });
  var container = document.getElementById("network");
  var details = document.getElementById("details");
  var network = null;

  function line(label, value) {
    var row = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = label + ": ";
    row.appendChild(strong);
    row.appendChild(document.createTextNode(value));
    return row;
  }

  function whereabouts(node) {
    return [node.organisation, node.sector, node.borough].filter(Boolean);
  }

  function tooltip(node) {  // an element, so vis-network shows it as it is, not as HTML
    var tip = document.createElement("div");
    tip.className = "node-tip";
    var name = document.createElement("strong");
    name.textContent = node.name || "(not named)";
    tip.appendChild(name);
    var where = document.createElement("span");
    where.textContent = whereabouts(node).join(", ") || "Sector and borough not shown";
    tip.appendChild(where);
    return tip;
  }

  function link(text, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function show(id) {
    var node = info[id];
    if (!node) { return; }
    details.replaceChildren();
    var heading = document.createElement("h2");
    heading.textContent = node.name || "(not named)";
    details.appendChild(heading);
    if (node.organisation) { details.appendChild(line("Works at", node.organisation)); }
    details.appendChild(line("Sector", node.sector || "not known or not shown"));
    details.appendChild(line("Borough", node.borough || "not known or not shown"));
    if (node.broker) {
      details.appendChild(line("Broker", "yes: among the 5% who most often sit between others"));
    }
    if (!node.members && id.indexOf("anon:") !== 0) {
      var params = new URLSearchParams(window.location.search);
      params.set("ego", id);
      details.appendChild(link("Show who it works with", "?" + params.toString()));
      details.appendChild(document.createElement("br"));
      details.appendChild(link("Open its page", (id.indexOf("person:") === 0 ?
        "/people/" : "/organisations/") + encodeURIComponent(id)));
    }
    if (network) { network.selectNodes([id]); }
  }

  window.graphsvcTable = pager(document.getElementById("node-table"),
                               document.getElementById("node-pager"));
  var nodes = data.nodes.map(function (node) {
    return info[node.id] ? Object.assign({}, node, {title: tooltip(info[node.id])}) : node;
  });
  var nodeSet = new vis.DataSet(nodes);
  network = new vis.Network(container, {
    nodes: nodeSet, edges: new vis.DataSet(data.edges)
  }, data.options);
  network.on("click", function (event) {
    if (event.nodes.length) { show(event.nodes[0]); }
  });
  document.querySelectorAll("#node-table [data-node]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey) { return; }
      event.preventDefault();
      show(a.dataset.node);
      details.scrollIntoView({block: "nearest"});
    });
  });
  network.once("stabilizationIterationsDone", function () {
    // labels as legible at the settled zoom as the page's text, however far out it fits
    var font = Math.round(14 / Math.min(network.getScale(), 1));
    network.setOptions({physics: false, nodes: {font: {size: font}}});
    nodeSet.update(unroomy(data.nodes, container.clientWidth));
    var ego = Object.keys(info).filter(function (id) { return info[id].ego; });
    if (ego.length) { network.selectNodes(ego); }
    document.getElementById("network-status").hidden = true;
    container.dataset.ready = "yes";
  });
  /* A narrow map has room for fewer names: the largest keep theirs (and the ego its). */
  function unroomy(drawn, width) {
    var room = Math.max(3, Math.floor(width / 110));
    var labelled = drawn.filter(function (node) {
      var known = info[node.id] || {};
      return node.label && !known.ego && known.members === undefined;
    });
    labelled.sort(function (a, b) { return b.size - a.size; });
    return labelled.slice(room).map(function (node) { return {id: node.id, label: ""}; });
  }

  var finder = search(network, info, show, window.graphsvcTable);
  window.graphsvcNetwork = {network: network, show: show, find: finder};

  /* The search box: the first node whose name is the text (any case), else the first whose
     name contains it; centred, selected, its details shown and its table row marked. */
  function search(network, info, show, table) {
    var form = document.getElementById("find-node");
    var input = document.getElementById("find");
    var status = document.getElementById("find-status");
    var names = document.getElementById("node-names");
    var named = Object.keys(info).filter(function (id) { return info[id].name; });
    named.forEach(function (id) {
      var option = document.createElement("option");
      option.value = info[id].name;
      names.appendChild(option);
    });
    function find(text) {
      var wanted = text.trim().toLocaleLowerCase();
      if (!wanted) { return null; }
      var exact = named.filter(function (id) {
        return info[id].name.toLocaleLowerCase() === wanted;
      });
      var partly = named.filter(function (id) {
        return info[id].name.toLocaleLowerCase().indexOf(wanted) >= 0;
      });
      var id = exact[0] || partly[0];
      if (!id) {
        status.textContent = "No one called “" + text.trim() + "” is on this map. Try " +
          "another spelling, or change the filters above.";
        return null;
      }
      network.focus(id, {scale: Math.max(network.getScale(), 1.2), animation: false});
      show(id);
      table.reveal(id);
      status.textContent = "Found " + info[id].name + ": centred on the map and ringed.";
      return id;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      find(input.value);
    });
    form.hidden = false;
    return find;
  }

  /* The node table in pages of data-page-rows rows, with Previous and Next. */
  function pager(table, nav) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-row]"));
    var size = parseInt(table.dataset.pageRows, 10) || 25;
    var pages = Math.max(1, Math.ceil(rows.length / size));
    var status = document.getElementById("pager-status");
    var current = 0;
    function go(page) {
      current = Math.min(Math.max(page, 0), pages - 1);
      rows.forEach(function (row, i) {
        row.hidden = Math.floor(i / size) !== current;
      });
      status.textContent = "Rows " + (current * size + 1) + " to " +
        Math.min(rows.length, (current + 1) * size) + " of " + rows.length +
        " (page " + (current + 1) + " of " + pages + ")";
      nav.querySelector("[data-step='-1']").disabled = current === 0;
      nav.querySelector("[data-step='1']").disabled = current === pages - 1;
    }
    function reveal(id) {
      rows.forEach(function (row, i) {
        var found = row.dataset.row === id;
        row.classList.toggle("found", found);
        if (found) { go(Math.floor(i / size)); }
      });
    }
    nav.querySelectorAll("[data-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        go(current + parseInt(button.dataset.step, 10));
      });
    });
    if (rows.length > size) {
      nav.hidden = false;
      go(0);
    }
    return {go: go, reveal: reveal, page: function () { return current; }};
  }
}());
