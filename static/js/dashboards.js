// Draws each dashboard chart from the JSON the server put beside its canvas (Chart.js, a static file).
(function () {
  "use strict";
  function percentTicks(config) {
    // Attainment axes read "87 %", like the tables.
    var scales = (config.options && config.options.scales) || {};
    Object.keys(scales).forEach(function (axis) {
      var title = scales[axis].title;
      if (title && /%/.test(title.text)) {
        scales[axis].ticks = { callback: function (value) { return value + " %"; } };
      }
    });
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) { return; }
    var config = JSON.parse(source.textContent);
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    percentTicks(config);
    new window.Chart(canvas, config);
    canvas.dataset.rendered = "true";
  });
})();
