// The hot-issue bar chart. Data comes from a json_script tag (no inline script: CSP script-src 'self').
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("hot-chart");
  const source = document.getElementById("hot-data");
  if (!el || !source || !window.echarts) return;
  const d = JSON.parse(source.textContent);
  const chart = window.echarts.init(el);
  chart.setOption({
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      // The axis shows a shortened name; the tooltip gives the whole one (text only: no HTML from the data).
      formatter: (items) => {
        const i = items[0].dataIndex;
        const lines = [`#${i + 1} ${d.names[i] || ""}`].concat(items.map((x) => `${x.seriesName}: ${x.value}`));
        return lines.map((line) => line.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)).join("<br>");
      },
    },
    legend: { data: [d.size_label, d.recent_label] },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { interval: 0 } },
    series: [
      { name: d.size_label, type: "bar", data: d.sizes },
      { name: d.recent_label, type: "bar", data: d.recent },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
