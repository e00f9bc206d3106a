// The statistics charts. Data comes from a json_script tag (no inline script: CSP script-src 'self');
// every chart has a table with the same numbers next to it.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("stats-data");
  if (!source || !window.echarts) return;
  const d = JSON.parse(source.textContent);
  const charts = [];
  const make = (id, option) => {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = window.echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  };
  // On a phone the labels around a pie would be cut to "领导接…": the legend and the table below name the slices.
  const narrow = window.matchMedia("(max-width: 600px)").matches;
  const pie = (items) => ({
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    // A scrolling legend cut "网上信访" to "网." on a phone; a plain one wraps onto a second line instead.
    legend: { bottom: 0, type: narrow ? "plain" : "scroll" },
    series: [{
      type: "pie",
      radius: ["35%", "65%"],
      center: ["50%", narrow ? "40%" : "45%"],
      data: items,
      label: narrow ? { show: false } : { formatter: "{b}\n{c}" },
    }],
  });

  make("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { data: [d.trend.received_label, d.trend.replied_label] },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.trend.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: d.trend.received_label, type: "bar", data: d.trend.received },
      { name: d.trend.replied_label, type: "line", data: d.trend.replied, smooth: false },
    ],
  });
  make("chart-channel", pie(d.channel.items));
  make("chart-type", pie(d.type.items));
  make("chart-category", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: d.category.labels, inverse: true, axisLabel: { interval: 0 } },
    series: [{ name: d.category.label, type: "bar", data: d.category.values }],
  });
  // One bar group per unit: the chart grows with the number of units so the names stay readable.
  const unitEl = document.getElementById("chart-unit");
  if (unitEl) unitEl.style.height = Math.max(240, 60 + 26 * d.unit.labels.length) + "px";
  make("chart-unit", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { data: [d.unit.cases_label, d.unit.on_time_label, d.unit.late_label] },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: d.unit.labels, inverse: true, axisLabel: { interval: 0 } },
    series: [
      { name: d.unit.cases_label, type: "bar", data: d.unit.cases },
      { name: d.unit.on_time_label, type: "bar", stack: "replied", data: d.unit.on_time },
      { name: d.unit.late_label, type: "bar", stack: "replied", data: d.unit.late },
    ],
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
});
