// ECharts, when the build vendored it (window.echarts from echarts.min.js);
// without it every chart panel still shows its table.
import { h } from './ui.js';

const live = new Set();

export function chartsAvailable() {
  return typeof window.echarts === 'object' && typeof window.echarts.init === 'function';
}

// A chart container; the option is applied once the element is in the page.
export function chart(option, opts = {}) {
  const el = h('div', { class: 'chart' + (opts.tall ? ' tall' : ''), 'data-chart': opts.name || null });
  if (!chartsAvailable()) {
    el.classList.add('absent');
    return el;
  }
  requestAnimationFrame(() => {
    if (!el.isConnected) return;
    const c = window.echarts.init(el, null, { renderer: 'svg' });
    c.setOption(Object.assign({ animation: false, textStyle: { fontFamily: 'inherit' } }, option));
    live.add(c);
    el.dataset.ready = '1';
  });
  return el;
}

export function disposeCharts() {
  for (const c of live) c.dispose();
  live.clear();
}

window.addEventListener('resize', () => { for (const c of live) c.resize(); });

export const PALETTE = ['#1f6f5c', '#d08a2e', '#3f6fb5', '#b5473f', '#7a5ea8', '#5b8c3a', '#8a8f98'];

// A bar chart of categories against one or more numeric series.
export function barOption(labels, series, opts = {}) {
  const horizontal = !!opts.horizontal;
  const cat = { type: 'category', data: labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : (labels.length > 6 ? 35 : 0), fontSize: 11 } };
  const val = { type: 'value', axisLabel: { formatter: opts.unit ? '{value}' + opts.unit : '{value}', fontSize: 11 } };
  return {
    color: PALETTE,
    grid: { left: horizontal ? 8 : 8, right: 24, top: series.length > 1 ? 36 : 16, bottom: 8, containLabel: true },
    legend: series.length > 1 ? { top: 0 } : undefined,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? Object.assign(cat, { inverse: true }) : val,
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, barMaxWidth: 28,
      label: opts.labels ? { show: true, position: horizontal ? 'right' : 'top', fontSize: 11, formatter: opts.unit ? '{c}' + opts.unit : '{c}' } : undefined })),
  };
}

export function pieOption(items) {
  return {
    color: PALETTE,
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['40%', '68%'], center: ['50%', '45%'], data: items,
      label: { formatter: '{b}\n{d}%' } }],
  };
}
