// The figures page's charts, drawn with ECharts from our own static files. The same numbers are
// in the tables under each chart, which is what screen readers and printers use; without this
// script (or ECharts) the page still has them all.
(function () {
  "use strict";
  var source = document.getElementById("figures-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  // Told apart by shape and dash as well as by colour.
  var colours = ["#234b5b", "#c0392b", "#2e7d32", "#b26a00", "#6a3d9a", "#00838f", "#5d4037"];
  var symbols = ["circle", "rect", "triangle", "diamond", "pin", "roundRect", "arrow"];
  var dashes = ["solid", "dashed", "dotted", "solid", "dashed", "dotted", "solid"];
  var charts = [];
  var narrow = window.matchMedia("(max-width: 40rem)").matches;

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  function base(categories) {
    return {
      color: colours,
      animation: false,
      textStyle: { fontFamily: "inherit", fontSize: 13 },
      // Drawn inside the chart: the HTML tooltip writes its markup with style attributes,
      // which the Content-Security-Policy refuses.
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll", bottom: 0, itemGap: narrow ? 8 : 16 },
      grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: categories, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", minInterval: 1 }
    };
  }

  var counts = data.series.filter(function (s) { return s.key !== "residents_served"; });
  var monthly = base(data.months);
  monthly.series = counts.map(function (s, i) {
    return {
      name: s.name, type: "line", data: s.data, symbol: symbols[i], symbolSize: 7,
      lineStyle: { width: 2, type: dashes[i] }
    };
  });
  draw("chart-monthly", monthly);

  var served = data.series.filter(function (s) { return s.key === "residents_served"; })[0];
  if (served) {
    var residents = base(data.months);
    residents.legend = { show: false };
    residents.grid.bottom = 16;
    residents.series = [{ name: served.name, type: "bar", data: served.data, barMaxWidth: 28,
      itemStyle: { color: colours[0] }, label: { show: !narrow, position: "top", fontSize: 11 } }];
    draw("chart-served", residents);
  }

  var rates = base(data.quarters);
  rates.yAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
  rates.tooltip.valueFormatter = function (v) { return v === null || v === undefined ? "—" : v + "%"; };
  rates.series = data.rates.map(function (r, i) {
    return {
      name: r.name, type: "bar", data: r.data, barMaxWidth: 36,
      itemStyle: { color: colours[i], decal: { symbol: symbols[i], symbolSize: 0.6 } },
      label: { show: !narrow, position: "top", fontSize: 11, formatter: "{c}%" }
    };
  });
  rates.aria = { enabled: false, decal: { show: true } };
  draw("chart-rates", rates);

  var pending;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 150);
  });
})();
