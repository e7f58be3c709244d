'use strict';
// Helpers shared by the report pages (no network access, no other library than the inlined ECharts).

/** Creates an element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'onclick') {
      e.addEventListener('click', v);
    } else {
      e.setAttribute(k, v);
    }
  }
  for (const c of children) {
    if (c !== null && c !== undefined) {
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
  }
  return e;
}

/** A number for people: integers with separators, others with 4 significant digits. */
function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) {
    return '';
  }
  if (Number.isInteger(v)) {
    return v.toLocaleString('en-US');
  }
  return Number(v.toPrecision(4)).toString();
}

/** A chart in a new div appended to parent; kept so that window resizes reach it. */
const CHARTS = [];
function chart(parent, option, cssClass) {
  const div = el('div', {class: cssClass || 'chart'});
  parent.appendChild(div);
  const c = echarts.init(div, null, {renderer: 'canvas'});
  c.setOption(option);
  CHARTS.push(c);
  return c;
}
window.addEventListener('resize', () => CHARTS.forEach(c => c.resize()));

/** A table with a header row; rows are arrays of cells (strings, numbers or elements). */
function table(headers, rows, onRowClick) {
  const t = el('table', {});
  t.appendChild(el('tr', {}, ...headers.map(h => el('th', {}, h))));
  rows.forEach((r, i) => {
    const tr = el('tr', onRowClick ? {class: 'clickable', onclick: () => onRowClick(i)} : {},
      ...r.map(c => typeof c === 'number' ? el('td', {class: 'num'}, fmt(c)) : el('td', {}, c)));
    t.appendChild(tr);
  });
  return t;
}

/**
 * Draws one cell (nodes in topological order, edges labelled with their ops) as an ECharts graph in a new div of
 * parent. Edges carrying "none" are drawn dashed and grey: they are absent from the network.
 */
function drawCell(parent, cell) {
  const nodes = cell.nodes.map(n => ({
    id: String(n.id),
    name: String(n.id),
    x: n.id * 140,
    y: (n.id % 2) * 70,
    symbolSize: 34,
    label: {show: true, formatter: n.combine === 'INPUT' ? 'in ' + n.id
        : (n.op !== 'identity' ? n.id + ': ' + n.op : String(n.id))},
    itemStyle: {color: n.combine === 'INPUT' ? '#9ecae1' : (n.combine === 'CONCAT' ? '#fdae6b' : '#c7e9c0')}
  }));
  const links = cell.edges.map(e => ({
    source: String(e.from),
    target: String(e.to),
    label: {show: true, formatter: e.op, fontSize: 10},
    lineStyle: {
      curveness: 0.15 * (e.to - e.from - 1),
      type: e.op === 'none' ? 'dashed' : 'solid',
      color: e.op === 'none' ? '#bbb' : '#555',
      width: 1.5
    }
  }));
  return chart(parent, {
    title: {text: cell.name, textStyle: {fontSize: 12}},
    animation: false,
    series: [{
      type: 'graph', layout: 'none', roam: true, edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 8,
      data: nodes, links: links, label: {position: 'bottom'}, edgeLabel: {position: 'middle'}
    }]
  }, 'cell');
}
