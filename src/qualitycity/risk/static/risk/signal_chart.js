// Time series of one signal series: observed counts (bars), expected value and upper
// bound (lines), alarms as red markers. Data come from a JSON script tag.
(function () {
  const el = document.getElementById("signal-chart");
  if (!el || typeof echarts === "undefined") return;
  const d = JSON.parse(document.getElementById("chart-data").textContent);
  const alarms = d.weeks.map((w, i) => (d.alarm[i] ? [w, d.observed[i]] : null)).filter(Boolean);
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [el.dataset.observed, el.dataset.expected, el.dataset.upper, el.dataset.alarm] },
    xAxis: { type: "category", data: d.weeks },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: el.dataset.observed, type: "bar", data: d.observed, itemStyle: { color: "#8aa4c8" } },
      { name: el.dataset.expected, type: "line", data: d.expected, smooth: true, showSymbol: false },
      { name: el.dataset.upper, type: "line", data: d.upper, lineStyle: { type: "dashed" }, showSymbol: false,
        itemStyle: { color: "#d08000" } },
      { name: el.dataset.alarm, type: "scatter", data: alarms, symbolSize: 14, itemStyle: { color: "#c0202a" } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
