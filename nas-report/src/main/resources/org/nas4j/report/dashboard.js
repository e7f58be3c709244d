'use strict';
// The live dashboard (see Dashboard.java): polls /api/state, draws the shown round's trials, edits the restriction
// of the next round and starts it. DATA holds the analyst's name, the poll interval and whether rounds can run.

(function () {
  const app = document.getElementById('app');
  const token = new URLSearchParams(location.hash.substring(1)).get('token') || '';
  let state = null;
  let shownRound = 0;          // 0: the latest round
  let editorRound = -1;        // the round whose pending restriction the editor was last loaded from
  let drawnKey = '';

  app.appendChild(el('h1', {}, DATA.title));
  const status = el('p', {id: 'status'}, 'loading...');
  const message = el('p', {id: 'message', class: 'note'});
  app.appendChild(status);
  if (!token) {
    app.appendChild(el('p', {class: 'note'}, 'Read only: open the address printed at start (with #token=...) to steer.'));
  }
  const roundBar = el('div', {id: 'rounds', class: 'row'});
  app.appendChild(roundBar);

  // The scatter of the shown round: estimate against a cost, coloured by a choice's option or by an op.
  app.appendChild(el('h2', {}, 'Sampled architectures'));
  const costSelect = el('select', {id: 'cost'});
  const colourSelect = el('select', {id: 'colour'});
  app.appendChild(el('p', {}, 'cost ', costSelect, ' colour by ', colourSelect));
  const scatterRow = el('div', {class: 'row'});
  app.appendChild(scatterRow);
  const scatter = chart(scatterRow, {});
  scatter.getDom().setAttribute('data-chart', 'dashboard-scatter');
  const selected = el('div', {id: 'selected'}, el('p', {class: 'note'}, 'Click a point to draw its cells.'));
  app.appendChild(selected);
  scatter.on('click', p => p.data && p.data.trial !== undefined && select(p.data.trial));
  costSelect.addEventListener('change', () => { drawnKey = ''; draw(); });
  colourSelect.addEventListener('change', () => { drawnKey = ''; draw(); });

  // The restriction editor: a checkbox per option (checked: kept) and a pin per choice.
  app.appendChild(el('h2', {}, 'Restriction of the next round'));
  const opButtons = el('p', {id: 'ops'});
  const editor = el('div', {id: 'editor'});
  const who = el('input', {id: 'who', value: DATA.analyst, size: '16'});
  const recordButton = el('button', {id: 'record', type: 'button'}, 'Record restriction');
  const startButton = el('button', {id: 'start', type: 'button'}, 'Start next round');
  app.appendChild(opButtons);
  app.appendChild(editor);
  app.appendChild(el('p', {}, 'analyst ', who, ' ', recordButton, ' ', startButton));
  app.appendChild(message);
  app.appendChild(el('h2', {}, 'Restrictions recorded'));
  const records = el('div', {id: 'records'});
  app.appendChild(records);

  function post(path, body) {
    return fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-Nas4j-Token': token},
      body: JSON.stringify(body || {})})
      .then(r => r.text().then(text => {
        if (!r.ok) {
          throw new Error(r.status + ': ' + text);
        }
        return JSON.parse(text);
      }));
  }

  function say(text, isError) {
    message.textContent = text;
    message.setAttribute('data-error', isError ? 'true' : 'false');
  }

  function buildEditor() {
    const pending = state.pending;
    editor.replaceChildren(table(['choice', 'options (unchecked: removed)', 'pin'], state.choices.map(c => {
      const removed = new Set(pending.removed[c.name] || []);
      const pinned = pending.pinned[c.name];
      const boxes = el('span', {});
      c.options.forEach(o => {
        const box = el('input', {type: 'checkbox', 'data-choice': c.name, 'data-option': o});
        box.checked = !removed.has(o);
        boxes.appendChild(el('label', {class: 'option'}, box, ' ' + o + ' '));
      });
      const pin = el('select', {'data-pin': c.name}, el('option', {value: ''}, '-'),
        ...c.options.map(o => el('option', {value: o}, o)));
      pin.value = pinned || '';
      return [c.name, boxes, pin];
    })));
    const ops = [...new Set(state.choices.filter(c => c.kind === 'OPERATION').flatMap(c => c.options))];
    opButtons.replaceChildren('remove an op from every choice: ', ...ops.map(o => el('button', {type: 'button',
      'data-remove-op': o, onclick: () => editor.querySelectorAll('input[type=checkbox]').forEach(b => {
        if (b.getAttribute('data-option') === o) {
          b.checked = false;
        }
      })}, o)));
  }

  function editedRestriction() {
    const removed = {};
    editor.querySelectorAll('input[type=checkbox]').forEach(b => {
      if (!b.checked) {
        (removed[b.getAttribute('data-choice')] = removed[b.getAttribute('data-choice')] || [])
          .push(b.getAttribute('data-option'));
      }
    });
    const pinned = {};
    editor.querySelectorAll('select[data-pin]').forEach(s => {
      if (s.value) {
        pinned[s.getAttribute('data-pin')] = s.value;
      }
    });
    return {who: who.value, removed: removed, pinned: pinned};
  }

  recordButton.addEventListener('click', () => post('/api/restriction', editedRestriction())
    .then(r => { say('restriction recorded for round ' + r.round); editorRound = -1; refresh(); })
    .catch(e => say(e.message, true)));
  startButton.addEventListener('click', () => post('/api/rounds')
    .then(r => { say('round ' + r.round + ' started'); shownRound = 0; refresh(); })
    .catch(e => say(e.message, true)));

  function fillSelect(select, values, labels) {
    const key = values.join('\n');
    if (select.getAttribute('data-key') !== key) {
      const keep = select.value;
      select.replaceChildren(...values.map((v, i) => el('option', {value: v}, labels ? labels[i] : v)));
      if (values.includes(keep)) {
        select.value = keep;
      }
      select.setAttribute('data-key', key);
    }
  }

  /** Shows one trial of the shown round: its text form, estimate and cells. */
  function select(id) {
    const t = state.data && state.data.trials.find(x => x.id === id);
    if (!t) {
      return;
    }
    selected.querySelectorAll('.cell').forEach(div => {
      const chartOfCell = echarts.getInstanceByDom(div);
      if (chartOfCell) {
        CHARTS.splice(CHARTS.indexOf(chartOfCell), 1);
        chartOfCell.dispose();
      }
    });
    selected.replaceChildren(
      el('p', {}, 'round ' + state.round + ', trial ' + t.id + ' · ' + t.state.toLowerCase()
        + (t.reason ? ' · ' + t.reason : '')),
      el('p', {class: 'arch'}, t.arch),
      table(['metric', 'value'], Object.entries(t.metrics)));
    t.cells.forEach(c => drawCell(selected, c));
    selected.setAttribute('data-trial', String(t.id));
  }

  function draw() {
    const data = state.data;
    if (!data) {
      scatter.clear();
      document.body.setAttribute('data-trials', '0');
      return;
    }
    const objective = data.objective.metric;
    const ranked = data.trials.filter(t => t.state === 'COMPLETE' && t.metrics[objective] !== undefined);
    const costs = Object.keys(data.pareto).length ? Object.keys(data.pareto) : ['trial'];
    fillSelect(costSelect, costs);
    const opNames = [...new Set(state.choices.filter(c => c.kind === 'OPERATION').flatMap(c => c.options))];
    fillSelect(colourSelect, [...state.choices.map((c, i) => 'choice:' + i), ...opNames.map(o => 'op:' + o)],
      [...state.choices.map(c => 'choice ' + c.name), ...opNames.map(o => 'holds op ' + o)]);
    const key = [state.round, data.trials.length, costSelect.value, colourSelect.value].join('|');
    if (key === drawnKey) {
      return;
    }
    drawnKey = key;
    const cost = costSelect.value;
    const x = t => cost === 'trial' ? t.id : t.metrics[cost];
    const colour = colourSelect.value;
    let groups;
    if (colour.startsWith('choice:')) {
      const i = Number(colour.substring('choice:'.length));
      groups = state.choices[i].options.map(o => [o, t => t.options[i] === o]);
    } else {
      const op = colour.substring('op:'.length);
      groups = [['holds ' + op, t => t.options.includes(op)], ['without ' + op, t => !t.options.includes(op)]];
    }
    const points = ranked.filter(t => x(t) !== undefined);
    const logScale = cost === 'params' || cost === 'flops' || cost === 'memory_bytes';
    scatter.setOption({
      animation: false,
      title: {text: 'round ' + state.round + ': ' + objective + ' against ' + cost, textStyle: {fontSize: 13}},
      tooltip: {trigger: 'item', formatter: p => 'trial ' + p.data.trial + '<br>' + p.data.arch},
      legend: {bottom: 0, type: 'scroll'},
      xAxis: {type: logScale ? 'log' : 'value', name: cost, scale: true},
      yAxis: {type: 'value', name: objective, scale: true},
      series: groups.map(([name, test]) => ({name: name, type: 'scatter', symbolSize: 7,
        data: points.filter(test).map(t => ({value: [x(t), t.metrics[objective]], trial: t.id, arch: t.arch}))}))
    }, true);
    document.body.setAttribute('data-trials', String(data.trials.length));
  }

  function render() {
    const runs = state.rounds.map(r => r.round);
    status.textContent = (state.steerable ? 'rounds: ' + (runs.length ? runs.join(', ') : 'none yet')
        + (state.running ? ' · round ' + state.running + ' running' : '') : 'watching a plain search journal')
      + (state.data ? ' · round shown: ' + (state.round || 'search') + ', ' + state.data.trials.length + ' trials' : '')
      + (state.error ? ' · ' + state.error : '');
    document.body.setAttribute('data-running', String(state.running));
    document.body.setAttribute('data-round', String(state.round));
    roundBar.replaceChildren(...state.rounds.map(r => el('button', {type: 'button', 'data-show-round': r.round,
      title: r.restriction || 'no restriction', onclick: () => { shownRound = r.round; refresh(); }},
    'round ' + r.round + (r.restriction ? ' (restricted)' : ''))));
    const steer = state.steerable && token !== '';
    recordButton.disabled = !steer;
    startButton.disabled = !steer || !state.canRun || state.running !== 0;
    if (state.steerable && editorRound !== state.nextRound) {
      buildEditor();
      editorRound = state.nextRound;
    }
    records.replaceChildren(state.records.length ? table(['round', 'who', 'at', 'restriction'],
      state.records.map(r => [r.round, r.who, r.at, el('code', {}, r.restriction || '(none)')]))
      : el('p', {class: 'note'}, 'none'));
    draw();
  }

  function refresh() {
    return fetch('/api/state' + (shownRound ? '?round=' + shownRound : ''))
      .then(r => r.json())
      .then(s => { state = s; render(); document.body.setAttribute('data-ready', 'true'); })
      .catch(e => say('cannot read the state: ' + e.message, true));
  }

  refresh();
  setInterval(refresh, DATA.pollMillis);
})();
