// The regulator's views (aggregates only): the market by segment, lenders'
// approval rates, prices, first-time borrowers, NPL and colours, the models,
// and the early warning's counts over the market.
import { t, getLang } from './i18n.js';
import { api, query } from './api.js';
import { h, card, table, fill, badge, kpis } from './ui.js';
import { money, percent, percentNumber, count, text, yuanNumber } from './format.js';
import { chart, barOption } from './charts.js';
import { LEVELS, levelBadge, ruleTitle } from './alerts.js';

const SEGMENTS = ['city', 'industry', 'size'];

// The server names each segment in both languages (label, label_en).
function segmentLabel(s) {
  return (getLang() === 'en' && s.label_en) || s.label || s.key;
}

export async function market(root) {
  const intro = card('reg.market.title', h('p', { class: 'lead' }, t('reg.market.lead')));
  root.append(intro);
  for (const by of SEGMENTS) {
    const body = h('div');
    root.append(card('reg.market.by_' + by, body));
    await fill(body, async () => {
      const data = await api('GET', '/v1/market/segments' + query({ by }));
      const items = data.items || [];
      const name = (s) => by === 'size' ? t('size.' + s.key, null, s.label || s.key) : segmentLabel(s);
      const labels = items.map(name);
      return h('div', { class: 'split' },
        chart(barOption(labels, [
          { name: t('segment.applications'), data: items.map((s) => s.applications) },
          { name: t('segment.approved'), data: items.map((s) => s.approved) },
          { name: t('segment.first_time'), data: items.map((s) => s.first_time) },
        ], { horizontal: by !== 'size' }), { name: 'segments-' + by, tall: items.length > 8 }),
        table([
          { key: 'segment.key', cell: (s) => text(name(s)) },
          { key: 'segment.applications', num: true, cell: (s) => count(s.applications) },
          { key: 'segment.approval_rate', num: true, cell: (s) => percent(s.approval_rate, 1) },
          { key: 'segment.offered', num: true, cell: (s) => money(s.offered) },
          { key: 'segment.avg_rate', num: true, cell: (s) => percent(s.avg_rate) },
          { key: 'segment.first_time', num: true, cell: (s) => count(s.first_time) },
        ], items, { cls: 'compact' }));
    });
  }
}

const COLOURS = { green: 'ok', yellow: 'warn', red: 'bad' };

export async function lenders(root) {
  const body = h('div');
  root.append(body);
  await fill(body, async () => {
    const [stats, port] = await Promise.all([api('GET', '/v1/market/stats'), api('GET', '/v1/portfolio')]);
    const rows = stats.lenders || [];
    const tot = stats.total || {};
    const names = rows.map((l) => l.lender_name || l.lender);
    return h('div', {},
      card('reg.lenders.title',
        kpis([
          ['reg.lenders.applications', count(stats.applications)],
          ['reg.lenders.with_offer', count(stats.with_offer)],
          ['reg.lenders.first_time', count(tot.first_time)],
          ['reg.lenders.npl_ratio', percent(port.npl_ratio), percentNumber(port.npl_ratio) > 0 ? 'warn' : ''],
          ['reg.lenders.exposure', money(port.exposure)],
        ]),
        chart(barOption(names, [
          { name: t('reg.lenders.approval_rate'), data: rows.map((l) => percentNumber(l.approval_rate)) },
          { name: t('reg.lenders.avg_rate'), data: rows.map((l) => percentNumber(l.avg_rate)) },
          { name: t('reg.lenders.avg_net_apr'), data: rows.map((l) => percentNumber(l.avg_net_apr)) },
        ], { unit: '%', labels: true }), { name: 'lender-rates' }),
        table([
          { key: 'reg.lenders.lender', cell: (l) => text(l.lender_name || l.lender) },
          { key: 'reg.lenders.asked', num: true, cell: (l) => count(l.asked) },
          { key: 'reg.lenders.approved', num: true, cell: (l) => count(l.approved) },
          { key: 'reg.lenders.approval_rate', num: true, cell: (l) => percent(l.approval_rate, 1) },
          { key: 'reg.lenders.offered', num: true, cell: (l) => money(l.offered) },
          { key: 'reg.lenders.avg_rate', num: true, cell: (l) => percent(l.avg_rate) },
          { key: 'reg.lenders.avg_net_apr', num: true, cell: (l) => percent(l.avg_net_apr) },
          { key: 'reg.lenders.credit_offers', num: true, cell: (l) => count(l.credit_offers) },
          { key: 'reg.lenders.first_time', num: true, cell: (l) => count(l.first_time) },
        ], rows, { cls: 'compact' })),
      card('reg.risk.title', h('p', { class: 'lead' }, t('reg.risk.lead', { asof: text(port.asof) })),
        h('p', { class: 'hint chart-caption' }, t('reg.risk.exposure_m')),
        chart(barOption((port.lenders || []).map((l) => l.lender_name || l.lender), [
          { name: t('reg.risk.exposure_m'), data: (port.lenders || []).map((l) => Math.round(yuanNumber(l.exposure) / 1e4) / 100) },
        ], { horizontal: true, labels: true }), { name: 'lender-exposure' }),
        table([
          { key: 'reg.lenders.lender', cell: (l) => text(l.lender_name || l.lender) },
          { key: 'reg.risk.colour', cell: (l) => badge(t('colour.' + l.colour, null, text(l.colour)), COLOURS[l.colour] || 'muted') },
          { key: 'portfolio.loans', num: true, cell: (l) => count(l.loans) },
          { key: 'portfolio.exposure', num: true, cell: (l) => money(l.exposure) },
          { key: 'portfolio.npl_ratio', num: true, cell: (l) => percent(l.npl_ratio) },
        ], port.lenders || [], { cls: 'compact' })));
  });
}

export async function models(root) {
  const body = h('div');
  root.append(card('reg.models.title', h('p', { class: 'lead' }, t('reg.models.lead')), body));
  await fill(body, async () => {
    const data = await api('GET', '/v1/models');
    return table([
      { key: 'model.name', cell: (m) => h('code', {}, text(m.name)) },
      { key: 'model.version', num: true, cell: (m) => text(m.version) },
      { key: 'model.kind', cell: (m) => text(m.kind) },
      { key: 'model.state', cell: (m) => badge(t('model_state.' + m.state, null, text(m.state)), m.state === 'approved' ? 'ok' : m.state === 'retired' ? 'muted' : 'warn') },
      { key: 'model.auc', num: true, cell: (m) => m.metrics && typeof m.metrics.auc === 'number' ? m.metrics.auc.toFixed(3) : t('fmt.none') },
      { key: 'model.registered', cell: (m) => text(m.registered_at) },
      { key: 'model.state_by', cell: (m) => text(m.state_by) },
      { key: 'model.checksum', cell: (m) => h('code', { class: 'hash', title: m.checksum || '' }, text(m.checksum).slice(0, 12)) },
    ], data.items, { emptyKey: 'reg.models.none' });
  });
}

// Early warning across the market (GET /v1/alerts/summary, view aggregate):
// alerts and firms by colour, a bar chart and a table by rule. Rows of fewer
// than min_firms firms are left out by the server, and then so is the total.
export async function alerts(root) {
  const body = h('div');
  root.append(body);
  await fill(body, async () => {
    const s = await api('GET', '/v1/alerts/summary');
    const byLevel = Object.fromEntries((s.by_level || []).map((r) => [r.level, r]));
    const rules = s.by_rule || [];
    const hidden = (s.suppressed_levels || 0) + (s.suppressed_rules || 0);
    // the market's rule rows carry no colours (summed, they would give a hidden colour back)
    const chartOption = barOption(rules.map((r) => ruleTitle(r.rule, r.rule_title)), [
      { name: t('reg.alerts.alerts'), data: rules.map((r) => r.alerts) },
    ], { horizontal: true, labels: true });
    chartOption.color = ['#d08a2e'];
    return h('div', {},
      card('reg.alerts.title', h('p', { class: 'lead' }, t('reg.alerts.lead', { min: s.min_firms ?? 3 })),
        kpis([
          ['reg.alerts.total', s.total ? count(s.total.alerts) : t('reg.alerts.withheld')],
          ['reg.alerts.open', s.total ? count(s.total.open) : t('reg.alerts.withheld')],
          ...LEVELS.map((l) => ['colour_alerts.' + l, byLevel[l] ? t('reg.alerts.alerts_firms', { alerts: count(byLevel[l].alerts), firms: count(byLevel[l].firms) }) : t('fmt.none'), l === 'red' ? 'bad' : l === 'yellow' ? 'warn' : '']),
        ]),
        hidden ? h('p', { class: 'notice warn suppressed' }, t('reg.alerts.suppressed', { levels: s.suppressed_levels, rules: s.suppressed_rules, min: s.min_firms ?? 3 })) : null),
      card('reg.alerts.by_rule',
        rules.length ? chart(chartOption, { name: 'alerts-by-rule', tall: rules.length > 6 }) : null,
        table([
          { key: 'reg.alerts.rule', cell: (r) => h('span', { title: r.rule }, ruleTitle(r.rule, r.rule_title)) },
          { key: 'reg.alerts.alerts', num: true, cell: (r) => count(r.alerts) },
          { key: 'reg.alerts.firms', num: true, cell: (r) => count(r.firms) },
          { key: 'reg.alerts.open', num: true, cell: (r) => count(r.open) },
        ], rules, { cls: 'compact', emptyKey: 'reg.alerts.none' })),
      card('reg.alerts.by_level',
        table([
          { key: 'alert.level', cell: (r) => levelBadge(r.level) },
          { key: 'reg.alerts.alerts', num: true, cell: (r) => count(r.alerts) },
          { key: 'reg.alerts.firms', num: true, cell: (r) => count(r.firms) },
          { key: 'reg.alerts.open', num: true, cell: (r) => count(r.open) },
        ], s.by_level || [], { cls: 'compact', emptyKey: 'reg.alerts.none' })));
  });
}
