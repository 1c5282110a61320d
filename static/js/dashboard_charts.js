// Dashboard charts drawn with Chart.js (served from /static/vendor/chart.js/); each chart has a data table beside it.
// Shapes and line styles carry the meaning as well as colour: circles inside the limits, triangles above,
// squares below, hollow points for too few candidates; solid lines the 95% limits, dashed the 99.8% limits.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof window.Chart === "undefined") return;
  const read = (id) => {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
  const go = (url) => { if (url) window.location.href = url; };

  const bar = (canvas, data) => new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.map((d) => d.label),
      datasets: [{ label: "发证数", data: data.map((d) => d.count), backgroundColor: "#1f5fa8" }],
    },
    options: {
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      onClick: (_event, elements) => { if (elements.length) go(data[elements[0].index].url); },
    },
  });

  const SHAPES = {
    inside: ["circle", "#1f5fa8"], high_95: ["triangle", "#b35900"], high_998: ["triangle", "#b00020"],
    low_95: ["rect", "#b35900"], low_998: ["rect", "#b00020"], too_few: ["circle", "#666666"],
  };
  const line = (limits, key, label, dash) => ({
    type: "line", label, data: limits.map((l) => ({ x: l.n, y: l[key] * 100 })), borderColor: "#444444",
    borderWidth: 1, borderDash: dash, pointRadius: 0, pointStyle: "line", fill: false, tension: 0.2,
  });
  const funnel = (canvas, data) => {
    const points = data.points;
    return new window.Chart(canvas, {
      type: "scatter",
      data: {
        datasets: [
          {
            label: "机构合格率",
            data: points.map((p) => ({ x: p.n, y: p.rate * 100 })),
            pointStyle: points.map((p) => (SHAPES[p.band] || SHAPES.inside)[0]),
            backgroundColor: points.map((p) => (p.band === "too_few" ? "#ffffff" : (SHAPES[p.band] || SHAPES.inside)[1])),
            borderColor: points.map((p) => (SHAPES[p.band] || SHAPES.inside)[1]),
            pointRadius: 6, pointHoverRadius: 8,
          },
          line(data.limits, "high_95", "95%控制限（上）", []),
          line(data.limits, "low_95", "95%控制限（下）", []),
          line(data.limits, "high_998", "99.8%控制限（上）", [6, 4]),
          line(data.limits, "low_998", "99.8%控制限（下）", [6, 4]),
        ],
      },
      options: {
        maintainAspectRatio: false,
        scales: {
          x: {
            type: "linear", title: { display: true, text: "参评人数" }, beginAtZero: true,
            suggestedMax: Math.ceil(Math.max(...points.map((p) => p.n)) * 1.08),
          },
          y: { min: 0, max: 100, title: { display: true, text: "合格率（%）" } },
        },
        plugins: {
          legend: { labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: (ctx) => (ctx.datasetIndex === 0
                ? `${points[ctx.dataIndex].name}：${ctx.parsed.y.toFixed(1)}%（${ctx.parsed.x}人，${points[ctx.dataIndex].band_label || (data.band_labels || {})[points[ctx.dataIndex].band] || ""}）`
                : `${ctx.dataset.label}：${ctx.parsed.y.toFixed(1)}%`),
            },
          },
        },
        onClick: (_event, elements) => {
          const hit = elements.find((e) => e.datasetIndex === 0);
          if (hit) go(points[hit.index].url || (data.url_template || "").replace("{id}", points[hit.index].id));
        },
      },
    });
  };

  const draw = (canvas, data) => {
    if (!data) return;
    if (canvas.dataset.chart === "bar") bar(canvas, data);
    if (canvas.dataset.chart === "funnel") funnel(canvas, data);
    canvas.dataset.drawn = "true";
  };
  // A chart's data is inline (data-source: a json_script element) or, for a large one, fetched (data-src): the funnel
  // plot's thousands of points are not part of the page. The data table beside each chart needs neither.
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    if (canvas.dataset.src) {
      fetch(canvas.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => draw(canvas, data))
        .catch(() => {});
    } else {
      draw(canvas, read(canvas.dataset.source));
    }
  });
});
