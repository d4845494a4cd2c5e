// Small hand-written SVG charts (no chart library: nothing to download at run time, nothing to keep up to date).
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function frame(width, height, max, unit) {
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'svg-chart', role: 'img' });
  for (let i = 0; i <= 4; i++) {
    const y = 10 + (height - 40) * (1 - i / 4);
    root.append(svg('line', { x1: 40, x2: width - 5, y1: y, y2: y, class: 'grid-line' }));
    root.append(svg('text', { x: 36, y: y + 4, class: 'axis', 'text-anchor': 'end' },
      String(Math.round(max * i / 4 * 10) / 10) + (unit || '')));
  }
  return root;
}

function legend(series) {
  const box = document.createElement('div');
  box.className = 'chart-legend';
  series.forEach((name, i) => {
    const item = document.createElement('span');
    item.className = 'swatch s' + (i % 6);
    item.textContent = name;
    box.append(item);
  });
  return box;
}

/**
 * Bars per category; with {stacked: true} each category's series are stacked (deposits per day per company).
 * @param data [{label, values: [number per series]}]
 */
export function barChart(data, series, { stacked = false, unit = '' } = {}) {
  const width = Math.max(320, 50 + data.length * (stacked ? 22 : 14 * series.length + 10));
  const height = 200;
  const totals = data.map((d) => stacked ? d.values.reduce((a, b) => a + b, 0) : Math.max(0, ...d.values));
  const max = Math.max(1, ...totals);
  const root = frame(width, height, max, unit);
  const plot = height - 40;
  const slot = (width - 50) / Math.max(1, data.length);
  data.forEach((d, i) => {
    const x0 = 45 + i * slot;
    let base = 10 + plot;
    d.values.forEach((v, s) => {
      const h = plot * v / max;
      const w = stacked ? slot * 0.7 : slot * 0.8 / d.values.length;
      const x = stacked ? x0 : x0 + s * w;
      const y = stacked ? base - h : 10 + plot - h;
      const bar = svg('rect', { x, y, width: Math.max(1, w - 1), height: Math.max(0, h), class: 'bar s' + (s % 6) });
      bar.append(svg('title', {}, `${d.label} ${series[s] || ''}: ${v}`));
      root.append(bar);
      if (stacked) base -= h;
    });
    if (data.length <= 16 || i % Math.ceil(data.length / 16) === 0) {
      root.append(svg('text', { x: x0 + slot * 0.35, y: height - 14, class: 'axis', 'text-anchor': 'middle' }, d.label));
    }
  });
  const wrap = document.createElement('div');
  wrap.append(root, legend(series));
  return wrap;
}

/** Two bars per category side by side (use share vs funding share, in percent). */
export function pairedBars(data, series, unit) {
  return barChart(data.map((d) => ({ label: d.label, values: d.values.map((v) => Math.round(v * 10) / 10) })),
    series, { unit });
}
