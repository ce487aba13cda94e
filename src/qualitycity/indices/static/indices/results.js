// Charts of one index result: choropleth, radar, rank intervals, trends and Sobol indices.
// All data come from the JSON script tag the server writes; boundaries from the local GeoJSON.
(function () {
  if (typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById("index-data").textContent);
  const L = data.labels;
  const charts = [];
  const make = (id) => {
    const el = document.getElementById(id);
    if (!el) return null;
    const c = echarts.init(el);
    charts.push(c);
    return c;
  };

  const map = make("index-map");
  if (map) {
    fetch(document.getElementById("index-map").dataset.geojson)
      .then((r) => r.json())
      .then((geo) => {
        echarts.registerMap("index-city", geo);
        map.setOption({
          tooltip: { trigger: "item", formatter: (p) => `${p.name}<br/>${L.score}: ${p.value ?? "-"}` },
          visualMap: { min: Math.min(...data.score), max: Math.max(...data.score), left: "left", bottom: 10,
                       calculable: true, inRange: { color: ["#fde8e8", "#f08080", "#b4232a"] } },
          series: [{ type: "map", map: "index-city", roam: true, label: { show: true, fontSize: 10 },
                     data: data.units.map((u, i) => ({ name: u, value: data.score[i] })) }],
        });
      });
  }

  const radar = make("index-radar");
  const select = document.getElementById("radar-unit");
  const drawRadar = () => {
    if (!radar) return;
    const unit = select.value;
    radar.setOption({
      tooltip: {},
      legend: { data: [unit, L.median] },
      radar: { indicator: data.dimensions.map((d) => ({ name: d, max: 100 })) },
      series: [{ type: "radar", data: [
        { name: unit, value: data.dimScores[unit] },
        { name: L.median, value: data.dimMedian, lineStyle: { type: "dashed" } },
      ] }],
    }, true);
  };
  if (select) { select.addEventListener("change", drawRadar); drawRadar(); }

  const iv = make("index-intervals");
  if (iv && data.uncertainty) {
    const order = data.units.map((u, i) => i).sort((a, b) => data.rank[a] - data.rank[b]);
    const u = data.uncertainty;
    iv.setOption({
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: order.map((i) => data.units[i]), axisLabel: { rotate: 40 } },
      yAxis: { type: "value", inverse: true, min: 1, max: data.units.length, name: L.rank },
      series: [
        { type: "bar", stack: "r", itemStyle: { color: "transparent" }, data: order.map((i) => u.p05[i]) , silent: true},
        { type: "bar", stack: "r", itemStyle: { color: "#f4b6b6" }, name: "5%–95%",
          data: order.map((i) => u.p95[i] - u.p05[i]) },
        { type: "scatter", name: L.rank, data: order.map((i) => data.rank[i]), itemStyle: { color: "#b4232a" } },
      ],
    });
  }

  const tr = make("index-trends");
  if (tr) {
    tr.setOption({
      tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
      grid: { top: 40 },
      xAxis: { type: "category", data: data.trends.years },
      yAxis: { type: "value", name: L.score },
      series: data.trends.series.map((s) => ({ type: "line", name: s.name, data: s.data })),
    });
  }

  const sb = make("index-sobol");
  if (sb && data.sensitivity) {
    sb.setOption({
      tooltip: { trigger: "axis" }, legend: { data: [L.s1, L.st] },
      xAxis: { type: "category", data: data.sensitivity.labels },
      yAxis: { type: "value", min: 0 },
      series: [
        { type: "bar", name: L.s1, data: data.sensitivity.S1.map((x) => Math.max(0, x)) },
        { type: "bar", name: L.st, data: data.sensitivity.ST },
      ],
    });
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
