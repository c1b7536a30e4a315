// Early warning (预警) in the console: a lender's alerts (colour chips, the
// list, one alert's evidence and history, acknowledge / escalate / close with
// a reason), and the helpers the regulator's and the firm's views share.
import { t, getLang } from './i18n.js';
import { api, query } from './api.js';
import { h, card, table, field, fill, problemBox, badge, clear } from './ui.js';
import { percent, count, text } from './format.js';

export const LEVELS = ['red', 'yellow', 'green'];
const LEVEL_CLASS = { green: 'ok', yellow: 'warn', red: 'bad' };
const STATES = ['open', 'acknowledged', 'escalated', 'closed'];
const STATE_CLASS = { open: 'warn', acknowledged: '', escalated: 'bad', closed: 'ok' };

export function levelBadge(level) {
  return h('span', { class: 'badge level ' + (LEVEL_CLASS[level] || 'muted'), 'data-level': level },
    t('colour.' + level, null, text(level)));
}

function stateBadge(state) {
  return h('span', { class: 'badge alert-state ' + (STATE_CLASS[state] ?? 'muted'), 'data-state': state },
    t('alert_state.' + state, null, text(state)));
}

// A rule's title: the rule set's own words in English; in Chinese the
// dictionary's translation of a shipped rule, else the rule set's words.
export function ruleTitle(rule, serverTitle) {
  if (getLang() === 'en' && serverTitle) return serverTitle;
  return t('rule.' + rule, null, serverTitle || rule);
}

// Filters survive a move between the list and an alert.
const filters = { level: '', state: '', rule: '' };

export async function alerts(root, ctx, id) {
  const chips = h('div', { class: 'chips', role: 'group', 'aria-label': t('alert.level') });
  const state = h('select', { name: 'state', onchange: () => { filters.state = state.value; loadList(); } },
    h('option', { value: '' }, t('lender.alerts.any_state')),
    STATES.map((s) => h('option', { value: s }, t('alert_state.' + s))));
  state.value = filters.state;
  const rule = h('select', { name: 'rule', onchange: () => { filters.rule = rule.value; loadList(); } },
    h('option', { value: '' }, t('lender.alerts.any_rule')));
  const listBox = h('div', { class: 'alert-list' });
  const panel = h('div', { class: 'alert-panel' });
  root.append(card('lender.alerts.title', h('p', { class: 'lead' }, t('lender.alerts.lead')), chips,
    h('div', { class: 'toolbar' }, field('lender.alerts.state', state), field('lender.alerts.rule', rule))),
  // On a phone an open alert takes the screen; its back link returns to the list.
  h('div', { class: 'split alerts-split' + (id ? ' has-detail' : '') }, h('div', { class: 'alert-list-card' }, card(null, listBox)), panel));

  // The chips count the lender's alerts by colour (GET /v1/alerts/summary).
  const loadSummary = async () => {
    let s;
    try {
      s = await api('GET', '/v1/alerts/summary');
    } catch (err) {
      clear(chips).append(problemBox(err));
      return;
    }
    const by = Object.fromEntries((s.by_level || []).map((r) => [r.level, r]));
    const chip = (level) => h('button', { type: 'button', class: 'chip ' + (level ? LEVEL_CLASS[level] : 'all') + (filters.level === level ? ' active' : ''),
      'data-level': level || 'all', 'aria-pressed': filters.level === level ? 'true' : 'false',
      onclick: () => { filters.level = level; loadSummary(); loadList(); } },
    level ? t('alert.chip', { colour: t('colour.' + level), n: count(by[level] ? by[level].alerts : 0) })
      : t('lender.alerts.all_levels', { n: count(s.total ? s.total.alerts : 0) }));
    clear(chips).append(chip(''), ...LEVELS.map(chip));
    const keep = filters.rule;
    clear(rule).append(h('option', { value: '' }, t('lender.alerts.any_rule')),
      ...(s.by_rule || []).map((r) => h('option', { value: r.rule }, ruleTitle(r.rule, r.rule_title))));
    rule.value = keep;
  };

  let next = null;
  const columns = [
    { key: 'alert.id', cell: (a) => String(a.alert_id) },
    { key: 'alert.level', cell: (a) => levelBadge(a.level) },
    { key: 'alert.rule', cell: (a) => ruleTitle(a.rule, a.rule_title) },
    { key: 'alert.firm', cell: (a) => h('code', {}, text(a.uscc)) },
    { key: 'alert.day', cell: (a) => text(a.day) },
    { key: 'alert.state', cell: (a) => stateBadge(a.state) },
  ];
  const open = (a) => ctx.navigate('alerts/' + a.alert_id);
  const page = (after) => api('GET', '/v1/alerts' + query({ level: filters.level, state: filters.state, rule: filters.rule, limit: 50, after }));
  const loadList = () => fill(listBox, async () => {
    const data = await page(null);
    next = data.next;
    const rows = data.items || [];
    const wrap = h('div', {}, table(columns, rows, { emptyKey: 'lender.alerts.none', onRow: open }));
    if (next) {
      const more = h('button', { type: 'button', class: 'secondary small more', onclick: async () => {
        more.disabled = true;
        try {
          const d = await page(next);
          rows.push(...(d.items || []));
          next = d.next;
          clear(wrap).append(table(columns, rows, { emptyKey: 'lender.alerts.none', onRow: open }));
          if (next) wrap.append(more);
          more.disabled = false;
        } catch (err) {
          wrap.append(problemBox(err));
        }
      } }, t('lender.alerts.more'));
      wrap.append(more);
    }
    return wrap;
  });

  const loadDetail = () => fill(panel, async () => {
    if (!id) return card(null, h('p', { class: 'empty' }, t('lender.alerts.pick')));
    const a = await api('GET', '/v1/alerts/' + encodeURIComponent(id));
    return detail(a, async () => { await Promise.all([loadSummary(), loadList()]); await loadDetail(); });
  });
  await Promise.all([loadSummary(), loadList(), loadDetail()]);
}

// The evidence as rows: nested members by their path ("rules.0"), known
// names labelled, ratios and changes as percentages.
function evidenceRows(evidence, prefix = '', out = []) {
  for (const [k, v] of Object.entries(evidence || {})) {
    const name = prefix ? prefix + '.' + k : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) evidenceRows(v, name, out);
    else out.push({ name, value: v });
  }
  return out;
}

function evidenceValue(row, ev) {
  const v = row.value;
  if (row.name === 'source' && v === null && ev.source_withheld) return h('em', {}, t('alert.source_withheld'));
  if (v === null || v === undefined || v === '') return t('fmt.none');
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if ((row.name === 'ratio' || row.name === 'change') && /^-?\d+(\.\d+)?$/.test(String(v))) return percent(String(v), 1);
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  return String(v);
}

function detail(a, reload) {
  const ev = a.evidence || {};
  const rows = evidenceRows(ev).filter((r) => r.name !== 'source_withheld');
  const reason = h('textarea', { name: 'reason', rows: 2 });
  const out = h('div');
  const act = (op) => async () => {
    const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
    try {
      await api('POST', '/v1/alerts/' + a.alert_id + '/' + op, body);
      await reload();
    } catch (err) {
      clear(out).append(problemBox(err));
    }
  };
  const can = { ack: a.state === 'open', escalate: a.state === 'open' || a.state === 'acknowledged', close: a.state !== 'closed' };
  const button = (op, key, cls) => h('button', { type: 'button', class: cls, 'data-op': op, disabled: !can[op], onclick: act(op) }, t(key));
  const serverTitle = a.rule_title && getLang() !== 'en' ? h('p', { class: 'hint' }, t('alert.rule_words', { title: a.rule_title })) : null;
  return h('article', { class: 'card alert-detail', 'data-alert': a.alert_id },
    h('p', {}, h('a', { href: '#/alerts', class: 'back' }, t('alert.back'))),
    h('h2', {}, t('alert.title', { id: a.alert_id }), ' ', levelBadge(a.level), ' ', stateBadge(a.state)),
    h('p', { class: 'rule-title' }, h('strong', {}, ruleTitle(a.rule, a.rule_title)), ' ', h('code', {}, text(a.rule))),
    serverTitle,
    h('p', { class: 'meta' }, t('alert.meta', { uscc: text(a.uscc), day: text(a.day), loan: a.loan_id ?? t('fmt.none'), set: text(a.rule_set), version: text(a.rule_set_version) })),
    h('p', {}, t('alert.action_is', { action: t('alert_action.' + a.action, null, text(a.action)) })),
    h('h3', {}, t('alert.evidence')),
    h('p', { class: 'hint' }, t('alert.evidence_hint')),
    table([
      { key: 'alert.evidence_item', cell: (r) => h('span', { title: r.name }, t('evidence.' + r.name, null, r.name)) },
      { key: 'alert.evidence_value', num: true, cell: (r) => evidenceValue(r, ev) },
    ], rows, { cls: 'compact evidence', emptyKey: 'alert.evidence_none' }),
    h('h3', {}, t('alert.events')),
    table([
      { key: 'alert.event_at', cell: (e) => text(e.at) },
      { key: 'alert.event', cell: (e) => t('alert_event.' + e.event, null, text(e.event)) },
      { key: 'alert.event_by', cell: (e) => text(e.by) },
      { key: 'alert.event_reason', cell: (e) => text(e.reason) },
    ], a.events || [], { cls: 'compact events', emptyKey: 'alert.events_none' }),
    a.state === 'closed' ? null : h('div', { class: 'alert-act' },
      field('alert.reason', reason, 'alert.reason_hint'),
      h('div', { class: 'actions' },
        button('ack', 'alert.ack', 'secondary'),
        button('escalate', 'alert.escalate', 'secondary'),
        button('close', 'alert.close', 'danger'))),
    out);
}
