// The lender's views (an institution key): the queue of decisions, one
// decision with its reasons and trace, the portfolio by category, open appeals.
import { t } from './i18n.js';
import { api, query } from './api.js';
import { h, card, table, field, fill, problemBox, badge, kpis, clear } from './ui.js';
import { money, percent, percentNumber, percentToFraction, probability, count, text, yuanNumber } from './format.js';
import { chart, pieOption } from './charts.js';
import { categoryBadge } from './firm.js';

const state = { approved: '' };

function decisionBadge(d) {
  return d.approved ? badge(t('decision.approved'), 'ok') : badge(t('decision.declined'), 'bad');
}

export async function queue(root, ctx) {
  const filter = h('select', { name: 'approved', onchange: () => { state.approved = filter.value; load(); } },
    h('option', { value: '' }, t('lender.queue.all')),
    h('option', { value: 'true' }, t('lender.queue.approved')),
    h('option', { value: 'false' }, t('lender.queue.declined')));
  filter.value = state.approved;
  const body = h('div');
  root.append(card('lender.queue.title', h('div', { class: 'toolbar' }, field('lender.queue.filter', filter)), body));
  const load = () => fill(body, async () => {
    const data = await api('GET', '/v1/decisions' + query({ approved: state.approved, limit: 100 }));
    return table([
      { key: 'decision.id', cell: (d) => String(d.decision_id) },
      { key: 'decision.firm', cell: (d) => text(d.uscc) },
      { key: 'decision.date', cell: (d) => text(d.asof) },
      { key: 'decision.policy', cell: (d) => t('decision.policy_version', { policy: text(d.policy), version: text(d.policy_version) }) },
      { key: 'decision.amount_offered', num: true, cell: (d) => money(d.amount) },
      { key: 'decision.rate', num: true, cell: (d) => percent(d.rate) },
      { key: 'decision.outcome', cell: decisionBadge },
    ], data.items, { emptyKey: 'lender.queue.none', onRow: (d) => ctx.navigate('decision/' + d.decision_id) });
  });
  await load();
}

export async function decision(root, ctx, id) {
  const body = h('div');
  root.append(h('p', {}, h('a', { href: '#/queue', class: 'back' }, t('lender.decision.back'))), body);
  await fill(body, async () => {
    const [d, trace] = await Promise.all([
      api('GET', '/v1/decisions/' + encodeURIComponent(id)),
      api('GET', '/v1/decisions/' + encodeURIComponent(id) + '/trace'),
    ]);
    const reasons = d.reasons || [];
    return h('div', {},
      card(null, h('h2', {}, t('lender.decision.title', { id: d.decision_id }), ' ', decisionBadge(d)),
        h('p', { class: 'meta' }, t('lender.decision.meta', { uscc: text(d.uscc), app: d.application_id, policy: text(d.policy), version: text(d.policy_version), model: text(d.model), mversion: text(d.model_version), asof: text(d.asof) })),
        kpis([
          ['decision.amount_offered', money(d.amount)],
          ['decision.limit', money(d.limit)],
          ['decision.rate', percent(d.rate)],
          ['decision.net_apr', percent(d.net_apr)],
          ['decision.score', d.score === null || d.score === undefined ? t('fmt.none') : String(Math.round(d.score))],
          ['decision.pd', probability(d.pd)],
        ]),
        h('h3', {}, t('lender.decision.reasons')),
        reasons.length ? h('ol', { class: 'reasons' }, reasons.map((r) => h('li', {}, h('code', {}, r.code), ' ', r.text || ''))) : h('p', { class: 'empty' }, t('lender.decision.no_reasons')),
        d.appeal ? h('p', { class: 'notice warn' }, t('lender.decision.appeal', { status: t('appeal_status.' + d.appeal.status, null, text(d.appeal.status)) })) : null),
      card('lender.decision.trace', h('p', { class: 'hint' }, t('lender.decision.trace_hint')), traceView(trace)));
  });
}

// The trace's steps as collapsible rules; anything else as formatted JSON.
function findSteps(node, depth = 0) {
  if (!node || typeof node !== 'object' || depth > 4) return null;
  if (Array.isArray(node.steps)) return node.steps;
  for (const v of Object.values(node)) {
    const s = findSteps(v, depth + 1);
    if (s) return s;
  }
  return null;
}

function traceView(trace) {
  const steps = findSteps(trace);
  const raw = h('details', { class: 'raw' }, h('summary', {}, t('lender.decision.raw')), h('pre', {}, JSON.stringify(trace, null, 2)));
  if (!steps) return raw;
  return h('div', { class: 'trace' }, steps.map((s, i) => {
    const matched = s.matched === undefined ? null : (Array.isArray(s.matched) ? s.matched.length > 0 : !!s.matched);
    return h('details', { class: 'step', 'data-step': i + 1 },
      h('summary', {}, h('span', { class: 'step-no' }, String(i + 1)), ' ', h('span', { class: 'step-kind' }, t('step.' + s.kind, null, text(s.kind))), ' ', h('code', {}, text(s.name)),
        s.value !== undefined && typeof s.value !== 'object' ? h('code', { class: 'step-value' }, '= ' + String(s.value)) : null,
        matched === null ? null : badge(matched ? t('lender.decision.fired') : t('lender.decision.not_fired'), matched ? 'warn' : 'muted')),
      h('pre', {}, JSON.stringify(s, null, 2)));
  }), raw);
}

export async function portfolio(root) {
  const body = h('div');
  root.append(body);
  await fill(body, async () => {
    const p = await api('GET', '/v1/portfolio');
    const cats = p.categories || [];
    return h('div', {},
      card('lender.portfolio.title', h('p', { class: 'meta' }, t('lender.portfolio.asof', { asof: text(p.asof) })),
        kpis([
          ['portfolio.loans', count(p.loans)],
          ['portfolio.exposure', money(p.exposure)],
          ['portfolio.npl', money(p.npl)],
          ['portfolio.npl_ratio', percent(p.npl_ratio), percentNumber(p.npl_ratio) > 0 ? 'warn' : ''],
          ['portfolio.provision', money(p.provision)],
          ['portfolio.coverage', percent(p.coverage, 0)],
        ])),
      card('lender.portfolio.by_category',
        chart(pieOption(cats.map((c) => ({ name: t('category.' + c.category, null, c.category), value: yuanNumber(c.exposure) }))), { name: 'categories' }),
        table([
          { key: 'portfolio.category', cell: (c) => categoryBadge(c.category) },
          { key: 'portfolio.loans', num: true, cell: (c) => count(c.loans) },
          { key: 'portfolio.exposure', num: true, cell: (c) => money(c.exposure) },
          { key: 'portfolio.provision', num: true, cell: (c) => money(c.provision) },
        ], cats, { cls: 'compact' })));
  });
}

export async function appeals(root) {
  const body = h('div');
  root.append(card('lender.appeals.title', h('p', { class: 'lead' }, t('lender.appeals.lead')), body));
  const load = () => fill(body, async () => {
    const data = await api('GET', '/v1/appeals' + query({ status: 'open' }));
    if (!data.items || data.items.length === 0) return h('p', { class: 'empty' }, t('lender.appeals.none'));
    return h('div', { class: 'appeals' }, data.items.map((a) => appealCard(a, load)));
  });
  await load();
}

function appealCard(a, reload) {
  const id = a.appeal_id ?? a.id;
  const reviewer = h('input', { name: 'reviewer', required: true, autocomplete: 'name' });
  const reason = h('textarea', { name: 'reason', required: true, rows: 2 });
  const limit = h('input', { name: 'limit', inputmode: 'decimal', autocomplete: 'off', placeholder: t('lender.appeals.limit_placeholder') });
  const rate = h('input', { name: 'rate', inputmode: 'decimal', autocomplete: 'off', placeholder: t('lender.appeals.rate_placeholder') });
  const out = h('div');
  const decide = (outcome) => async () => {
    const body = { outcome, reviewer: reviewer.value.trim(), reason: reason.value.trim() };
    if (outcome === 'overturn') {
      if (limit.value.trim()) body.limit = limit.value.trim();
      // The rate is typed in percent; an unreadable one goes as typed, for the server to name.
      if (rate.value.trim()) body.rate = percentToFraction(rate.value) ?? rate.value.trim();
    }
    try {
      await api('POST', '/v1/appeals/' + id + '/decision', body);
      reload();
    } catch (err) {
      clear(out).append(problemBox(err));
    }
  };
  return h('article', { class: 'appeal', 'data-appeal': id },
    h('h3', {}, t('lender.appeals.item', { id, decision: a.decision_id, uscc: text(a.uscc) })),
    h('p', { class: 'meta' }, t('lender.appeals.opened', { at: text(a.opened_at) })),
    h('blockquote', {}, text(a.grounds)),
    h('div', { class: 'form-grid' }, field('lender.appeals.reviewer', reviewer), field('lender.appeals.reason', reason),
      field('lender.appeals.limit', limit, 'lender.appeals.overturn_hint'), field('lender.appeals.rate', rate, 'lender.appeals.overturn_hint')),
    h('div', { class: 'actions' },
      h('a', { href: '#/decision/' + a.decision_id, class: 'button secondary' }, t('lender.appeals.open_decision')),
      h('button', { type: 'button', class: 'secondary', 'data-outcome': 'uphold', onclick: decide('uphold') }, t('lender.appeals.uphold')),
      h('button', { type: 'button', 'data-outcome': 'overturn', onclick: decide('overturn') }, t('lender.appeals.overturn'))),
    out);
}

