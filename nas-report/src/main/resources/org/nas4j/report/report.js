'use strict';
// The report of one search, drawn from DATA (see ReportData.java for its fields).

(function () {
  const app = document.getElementById('app');
  const objective = DATA.objective.metric;
  const better = DATA.objective.maximize ? 'higher is better' : 'lower is better';
  const trials = DATA.trials;
  const byId = new Map(trials.map(t => [t.id, t]));
  const ranked = trials.filter(t => t.state === 'COMPLETE' && t.metrics[objective] !== undefined);
  const unfinished = trials.filter(t => t.state !== 'COMPLETE');
  const sign = DATA.objective.maximize ? -1 : 1;
  const best = ranked.slice().sort((a, b) => sign * (a.metrics[objective] - b.metrics[objective]) || a.id - b.id);

  app.appendChild(el('h1', {}, DATA.title));
  const states = Object.entries(DATA.states).map(([s, n]) => n + ' ' + s.toLowerCase()).join(', ');
  app.appendChild(table(['', ''], [
    ...Object.entries(DATA.header).map(([k, v]) => [k, el('code', {}, v)]),
    ['trials', trials.length + (states ? ' (' + states + ')' : '')],
    ['best', best.length ? fmt(best[0].metrics[objective]) + ' ' + objective + ' (trial ' + best[0].id + ')' : 'none']
  ]));

  // The trial shown below the charts: its metrics and its cells.
  const selectedTitle = el('h2', {}, 'Selected trial');
  const selected = el('div', {id: 'selected'}, el('p', {class: 'note'}, 'Click a point or a row to draw its cells.'));
  function select(id) {
    const t = byId.get(id);
    if (!t) {
      return;
    }
    selected.replaceChildren(
      el('p', {}, 'trial ' + t.id + ' · ' + t.state.toLowerCase() + (t.reason ? ' · ' + t.reason : '')),
      el('p', {class: 'arch'}, t.arch),
      table(['metric', 'value'], Object.entries(t.metrics).map(([k, v]) => [k, v])
        .concat([['seconds', t.seconds], ['fidelity', t.fidelity]])));
    t.cells.forEach(c => drawCell(selected, c));
    selected.setAttribute('data-trial', String(t.id));
  }

  // Best so far, against trials and against wall time.
  app.appendChild(el('h2', {}, 'Best ' + objective + ' so far (' + better + ')'));
  const row = el('div', {class: 'row'});
  app.appendChild(row);
  const lowest = ranked.length ? Math.min(...ranked.map(t => t.metrics[objective])) : 0;
  const bestChart = chart(row, {
    title: {text: 'against trials', textStyle: {fontSize: 13}},
    tooltip: {trigger: 'item'},
    legend: {bottom: 0},
    xAxis: {type: 'value', name: 'trial'},
    yAxis: {type: 'value', name: objective, scale: true},
    series: [
      {name: 'best so far', type: 'line', step: 'end', showSymbol: false,
        data: DATA.bestSoFar.map(p => [p.id, p.value])},
      {name: 'trials', type: 'scatter', symbolSize: 5, itemStyle: {opacity: 0.5},
        data: ranked.map(t => ({value: [t.id, t.metrics[objective]], trial: t.id}))},
      {name: 'failed / pruned / rejected', type: 'scatter', symbol: 'triangle', symbolSize: 8,
        itemStyle: {color: '#d62728'},
        data: unfinished.map(t => ({value: [t.id, lowest], trial: t.id}))}
    ]
  });
  bestChart.getDom().setAttribute('data-chart', 'best-by-trial');
  bestChart.on('click', p => p.data && p.data.trial !== undefined && select(p.data.trial));
  chart(row, {
    title: {text: 'against wall time (s)', textStyle: {fontSize: 13}},
    tooltip: {trigger: 'item'},
    xAxis: {type: 'value', name: 'seconds'},
    yAxis: {type: 'value', name: objective, scale: true},
    series: [{name: 'best so far', type: 'line', step: 'end', showSymbol: false,
      data: DATA.bestSoFar.map(p => [p.wallSeconds, p.value])}]
  });
  app.appendChild(el('p', {class: 'note'}, 'Wall time is the trials\' evaluation seconds summed in trial order and '
    + 'divided by the trials run at once; failed, pruned and rejected trials are marked at the bottom of the left chart.'));

  // The objective against each cost, with the Pareto front.
  const costs = Object.keys(DATA.pareto);
  if (costs.length) {
    app.appendChild(el('h2', {}, objective + ' against cost (Pareto front: no trial is better on both)'));
    const scatterRow = el('div', {class: 'row'});
    app.appendChild(scatterRow);
    for (const cost of costs) {
      const points = ranked.filter(t => t.metrics[cost] !== undefined);
      const front = DATA.pareto[cost].map(id => byId.get(id));
      const logScale = cost === 'params' || cost === 'flops' || cost === 'memory_bytes';
      const scatter = chart(scatterRow, {
        title: {text: objective + ' vs ' + cost, textStyle: {fontSize: 13}},
        tooltip: {trigger: 'item', formatter: p => p.data.trial !== undefined
            ? 'trial ' + p.data.trial + '<br>' + cost + ' ' + fmt(p.value[0]) + '<br>' + objective + ' ' + fmt(p.value[1])
            : ''},
        legend: {bottom: 0},
        xAxis: {type: logScale ? 'log' : 'value', name: cost, scale: true},
        yAxis: {type: 'value', name: objective, scale: true},
        series: [
          {name: 'trials', type: 'scatter', symbolSize: 6,
            data: points.map(t => ({value: [t.metrics[cost], t.metrics[objective]], trial: t.id}))},
          {name: 'Pareto front', type: 'line', step: DATA.objective.maximize ? 'start' : 'end', symbolSize: 8,
            itemStyle: {color: '#d62728'},
            data: front.map(t => ({value: [t.metrics[cost], t.metrics[objective]], trial: t.id}))}
        ]
      });
      scatter.getDom().setAttribute('data-chart', 'scatter-' + cost);
      scatter.on('click', p => p.data && p.data.trial !== undefined && select(p.data.trial));
    }
  }

  // One-shot searches: the architecture weights of every epoch (metrics arch_weight.e<edge>.<op>), one column per
  // epoch's trial; a click on a column selects that epoch's derived architecture.
  const weightNames = [...new Set(trials.flatMap(t => Object.keys(t.metrics))
    .filter(k => k.startsWith('arch_weight.')))];
  if (weightNames.length) {
    const epochs = trials.filter(t => weightNames.some(w => t.metrics[w] !== undefined));
    const label = t => t.metrics.epochs !== undefined ? 'epoch ' + t.metrics.epochs : 'trial ' + t.id;
    const cells = [];
    epochs.forEach((t, x) => weightNames.forEach((w, y) => {
      if (t.metrics[w] !== undefined) {
        cells.push({value: [x, y, t.metrics[w]], trial: t.id});
      }
    }));
    app.appendChild(el('h2', {}, 'Architecture weights per epoch'));
    const heat = chart(app, {
      tooltip: {position: 'top', formatter: p => weightNames[p.value[1]].substring('arch_weight.'.length) + ', '
          + label(epochs[p.value[0]]) + ': ' + fmt(p.value[2])},
      grid: {left: 190, bottom: 70},
      xAxis: {type: 'category', data: epochs.map(label), splitArea: {show: true}},
      yAxis: {type: 'category', data: weightNames.map(w => w.substring('arch_weight.'.length)),
        axisLabel: {fontSize: 9}},
      visualMap: {min: 0, max: 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0},
      series: [{type: 'heatmap', data: cells}]
    }, 'chart');
    heat.getDom().style.height = Math.max(360, 14 * weightNames.length + 120) + 'px';
    heat.resize();
    heat.getDom().setAttribute('data-chart', 'arch-weights');
    heat.on('click', p => p.data && select(p.data.trial));
    app.appendChild(el('p', {class: 'note'}, 'softmax(alpha) of each edge after each epoch; click a column to draw '
      + 'the architecture derived after that epoch.'));
  }

  app.appendChild(selectedTitle);
  app.appendChild(selected);

  // Op frequencies among the best trials against all ranked trials.
  const freq = DATA.opFrequencies;
  const ops = Object.keys(freq.all);
  if (ops.length) {
    app.appendChild(el('h2', {}, 'Ops in the cells of the top ' + freq.k + ' trials'));
    chart(app, {
      tooltip: {trigger: 'axis'},
      legend: {bottom: 0},
      xAxis: {type: 'category', data: ops, axisLabel: {interval: 0, rotate: ops.length > 6 ? 20 : 0}},
      yAxis: {type: 'value', name: 'share of ops'},
      series: [
        {name: 'top ' + freq.k, type: 'bar', data: ops.map(o => freq.top[o] || 0)},
        {name: 'all ' + ranked.length + ' ranked trials', type: 'bar', data: ops.map(o => freq.all[o])}
      ]
    });
  }

  // The best trials, and the failed ones with their reasons.
  app.appendChild(el('h2', {}, 'Best trials'));
  const shown = best.slice(0, 20);
  const costColumns = costs.slice(0, 3);
  app.appendChild(table(['trial', objective, ...costColumns, 'seconds', 'architecture'],
    shown.map(t => [t.id, t.metrics[objective], ...costColumns.map(c => t.metrics[c]), t.seconds,
      el('span', {class: 'arch'}, t.arch)]),
    i => select(shown[i].id)));
  if (unfinished.length) {
    app.appendChild(el('h2', {}, 'Failed, pruned and rejected trials'));
    app.appendChild(table(['trial', 'state', 'reason'], unfinished.slice(0, 50).map(t => [t.id, t.state, t.reason || '']),
      i => select(unfinished[i].id)));
  }
  if (best.length) {
    select(best[0].id);
  }
  document.body.setAttribute('data-ready', 'true');
})();
