// Renders a choropleth of the city's districts. The data come from a JSON script tag
// written by the server; the boundaries from the locally served GeoJSON.
(function () {
  const el = document.getElementById("district-map");
  if (!el || typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById("district-data").textContent);
  const chart = echarts.init(el);
  fetch(el.dataset.geojson)
    .then((r) => r.json())
    .then((geo) => {
      echarts.registerMap("city", geo);
      const values = data.filter((d) => d.kind === "district").map((d) => d.value);
      chart.setOption({
        tooltip: { trigger: "item", formatter: (p) => `${p.name}<br/>${el.dataset.label}: ${p.value ?? 0}` },
        visualMap: { min: 0, max: Math.max(1, ...values), left: "left", bottom: 10, calculable: true,
                     inRange: { color: ["#fde8e8", "#f08080", "#b4232a"] } },
        series: [{ type: "map", map: "city", roam: true, label: { show: true, fontSize: 10 },
                   data: data.filter((d) => d.kind === "district").map((d) => ({ name: d.name, value: d.value })) }],
      });
    });
  window.addEventListener("resize", () => chart.resize());
})();
