// Draws the charts a publication carries: [{title, type: "bar"|"line", labels, values}].
(function () {
  const source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  JSON.parse(source.textContent).forEach((chart, i) => {
    const el = document.getElementById(`chart-${i + 1}`);
    if (!el) return;
    const instance = echarts.init(el);
    instance.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 20, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: chart.labels, axisLabel: { rotate: chart.labels.length > 8 ? 40 : 0 } },
      yAxis: { type: "value" },
      series: [{ type: chart.type === "line" ? "line" : "bar", data: chart.values, itemStyle: { color: "#b4232a" } }],
    });
    window.addEventListener("resize", () => instance.resize());
  });
})();
