// The firm's views (an enterprise key): apply and compare offers, consents,
// who read my data, my loans, who monitors me.
import { t } from './i18n.js';
import { api, query } from './api.js';
import { h, card, table, field, fill, problemBox, confirmDialog, badge, notice, kpis, clear } from './ui.js';
import { money, percent, percentNumber, count, text } from './format.js';
import { chart, barOption } from './charts.js';
import { levelBadge } from './alerts.js';

const PURPOSES = ['working_capital', 'equipment', 'trade', 'expansion', 'agriculture', 'green_upgrade'];
const TERMS = [6, 12, 24, 36];

// The last application's answer survives a language switch.
const state = { result: null, form: { amount: '', term: '12', purpose: 'working_capital', guarantor: false }, accepted: {} };

export async function apply(root, ctx) {
  const f = state.form;
  const amount = h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off', required: true, value: f.amount, placeholder: t('firm.apply.amount_placeholder') });
  const term = h('select', { name: 'term' }, TERMS.map((m) => h('option', { value: String(m) }, t('firm.apply.months', { n: m }))));
  term.value = f.term;
  const purpose = h('select', { name: 'purpose' }, PURPOSES.map((p) => h('option', { value: p }, t('purpose.' + p))));
  purpose.value = f.purpose;
  const guarantor = h('input', { name: 'guarantor', type: 'checkbox', checked: f.guarantor });
  const out = h('div', { class: 'apply-result' });
  const submit = h('button', { type: 'submit' }, t('firm.apply.submit'));

  const form = h('form', { class: 'form-grid', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    Object.assign(f, { amount: amount.value.trim(), term: term.value, purpose: purpose.value, guarantor: guarantor.checked });
    const body = { amount: f.amount, term: Number(f.term), purpose: f.purpose, guarantor: f.guarantor };
    submit.disabled = true;
    clear(out).append(h('p', { class: 'loading' }, t('firm.apply.deciding')));
    try {
      state.result = await api('POST', '/v1/applications', body);
      state.accepted = {};
      clear(out).append(renderResult(state.result, ctx));
    } catch (err) {
      clear(out).append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  } },
  field('firm.apply.amount', amount, 'firm.apply.amount_hint'),
  field('firm.apply.term', term),
  field('firm.apply.purpose', purpose),
  h('label', { class: 'check' }, guarantor, h('span', {}, h('span', { class: 'field-label' }, t('firm.apply.guarantor')), h('span', { class: 'hint' }, t('firm.apply.guarantor_hint')))),
  h('div', { class: 'form-actions' }, submit));

  root.append(card('firm.apply.title', h('p', { class: 'lead' }, t('firm.apply.lead')), form), out);
  if (state.result) out.append(renderResult(state.result, ctx));
}

function renderResult(r, ctx) {
  const quotes = r.quotes || [];
  // In the market's order: by net APR, then the larger amount (docs/marketplace.md).
  const offers = quotes.filter((q) => q.status === 'offer' && q.offer);
  const others = quotes.filter((q) => q.status !== 'offer');
  const head = h('p', { class: 'meta' }, t('firm.result.meta', { id: r.application_id, asof: r.asof, lpr: percent(r.lpr), n: offers.length }));

  const parts = [head];
  if (offers.length === 0) parts.push(notice('firm.result.no_offers', {}, 'warn'));
  else {
    parts.push(h('h3', {}, t('firm.result.compare')));
    parts.push(h('p', { class: 'hint' }, t('firm.result.compare_hint')));
    parts.push(chart(barOption(offers.map((q) => q.lender_name || q.lender), [
      { name: t('firm.offer.net_apr'), data: offers.map((q) => percentNumber(q.offer.net_apr)) },
      { name: t('firm.offer.apr'), data: offers.map((q) => percentNumber(q.offer.apr)) },
    ], { horizontal: true, unit: '%', labels: true }), { name: 'net-apr' }));
    parts.push(h('div', { class: 'offers' }, offers.map((q, i) => offerCard(q, i === 0, ctx))));
  }
  if (others.length) {
    parts.push(h('h3', {}, t('firm.result.others')));
    parts.push(h('ul', { class: 'quotes-other' }, others.map((q) => h('li', {},
      h('strong', {}, q.lender_name || q.lender), ' ', badge(t('quote.' + q.status), q.status === 'decline' ? 'bad' : 'muted'),
      q.reasons && q.reasons.length ? h('ul', { class: 'reasons' }, q.reasons.map((x) => h('li', {}, x.text || x.code))) : null,
      q.note ? h('p', { class: 'hint' }, q.note) : null))));
  }
  return card('firm.result.title', ...parts);
}

function offerCard(q, best, ctx) {
  const o = q.offer;
  const done = state.accepted[q.decision_id];
  const status = h('div', { class: 'offer-status' });
  if (done) status.append(notice('firm.offer.accepted', { id: done }, 'ok'));
  const accept = h('button', { type: 'button', class: best ? '' : 'secondary', disabled: !!done, onclick: async () => {
    const ok = await confirmDialog('firm.offer.confirm', { lender: q.lender_name || q.lender, amount: money(o.amount), net: percent(o.net_apr) }, 'firm.offer.accept');
    if (!ok) return;
    accept.disabled = true;
    try {
      const loan = await api('POST', '/v1/loans', { decision_id: q.decision_id });
      const id = loan.loan_id ?? loan.id;
      state.accepted[q.decision_id] = id;
      clear(status).append(notice('firm.offer.accepted', { id }, 'ok'));
    } catch (err) {
      accept.disabled = false;
      clear(status).append(problemBox(err));
    }
  } }, t('firm.offer.accept'));
  return h('article', { class: 'offer' + (best ? ' best' : ''), 'data-decision': q.decision_id },
    h('header', {}, h('h4', {}, q.lender_name || q.lender), best ? badge(t('firm.offer.best'), 'ok') : null),
    h('div', { class: 'offer-main' }, h('span', { class: 'big' }, percent(o.net_apr)), h('span', { class: 'hint' }, t('firm.offer.net_apr'))),
    h('dl', { class: 'facts' },
      h('dt', {}, t('firm.offer.amount')), h('dd', {}, money(o.amount)),
      h('dt', {}, t('firm.offer.limit')), h('dd', {}, money(o.limit)),
      h('dt', {}, t('firm.offer.rate')), h('dd', {}, percent(o.rate)),
      h('dt', {}, t('firm.offer.apr')), h('dd', {}, percent(o.apr)),
      h('dt', {}, t('firm.offer.term')), h('dd', {}, t('firm.apply.months', { n: o.term })),
      h('dt', {}, t('firm.offer.repayment')), h('dd', {}, t('repayment.' + o.repayment, null, o.repayment)),
      h('dt', {}, t('firm.offer.interest')), h('dd', {}, money(o.total_interest)),
      h('dt', {}, t('firm.offer.net_cost')), h('dd', {}, money(o.net_cost)),
      h('dt', {}, t('firm.offer.subsidy_rate')), h('dd', {}, percent(o.subsidy_rate)),
      h('dt', {}, t('firm.offer.award')), h('dd', {}, money(o.first_loan_award))),
    o.subsidy ? h('p', { class: 'hint' }, o.subsidy) : null,
    o.conditions ? h('p', { class: 'hint' }, o.conditions) : null,
    h('div', { class: 'actions' }, accept), status);
}

function consentId(c) { return c.consent_id ?? c.id; }
function consentLive(c) { return !(c.revoked_at || c.status === 'revoked'); }

export async function consents(root) {
  const body = h('div');
  root.append(card('firm.consents.title', h('p', { class: 'lead' }, t('firm.consents.lead')), body));
  const load = () => fill(body, async () => {
    const data = await api('GET', '/v1/consents');
    return table([
      { key: 'firm.consents.id', cell: (c) => String(consentId(c)) },
      { key: 'firm.consents.institution', cell: (c) => text(c.institution_name || c.institution) },
      { key: 'firm.consents.purpose', cell: (c) => t('consent_purpose.' + c.purpose, null, text(c.purpose)) },
      { key: 'firm.consents.sources', cell: (c) => Array.isArray(c.sources) ? c.sources.join(', ') : text(c.sources) },
      { key: 'firm.consents.from', cell: (c) => text(c.granted_on ?? c.from) },
      { key: 'firm.consents.until', cell: (c) => text(c.until ?? c.expires_on) },
      { key: 'firm.consents.status', cell: (c) => consentLive(c) ? badge(t('firm.consents.live'), 'ok') : badge(t('firm.consents.revoked'), 'muted') },
      { key: 'common.actions', cell: (c) => consentLive(c) ? h('button', { type: 'button', class: 'danger small', 'data-revoke': consentId(c), onclick: async (e) => {
        e.stopPropagation();
        const ok = await confirmDialog('firm.consents.confirm', { institution: c.institution_name || c.institution }, 'firm.consents.revoke');
        if (!ok) return;
        try {
          await api('POST', '/v1/consents/' + consentId(c) + '/revoke', {});
          load();
        } catch (err) {
          body.prepend(problemBox(err));
        }
      } }, t('firm.consents.revoke')) : '' },
    ], data.items, { emptyKey: 'firm.consents.none' });
  });
  await load();
}

export async function accessLog(root) {
  const body = h('div');
  root.append(card('firm.access.title', h('p', { class: 'lead' }, t('firm.access.lead')), body));
  await fill(body, async () => {
    const data = await api('GET', '/v1/access-log' + query({ limit: 100 }));
    return table([
      { key: 'firm.access.at', cell: (r) => text(r.at) },
      { key: 'firm.access.institution', cell: (r) => text(r.institution_name || r.institution) },
      { key: 'firm.access.purpose', cell: (r) => t('consent_purpose.' + r.purpose, null, text(r.purpose)) },
      { key: 'firm.access.what', cell: (r) => text(r.what) },
      { key: 'firm.access.outcome', cell: (r) => badge(t('outcome.' + r.outcome, null, text(r.outcome)), r.outcome === 'allowed' || r.outcome === 'granted' ? 'ok' : 'bad') },
      { key: 'firm.access.reason', cell: (r) => text(r.reason) },
    ], data.items, { emptyKey: 'firm.access.none' });
  });
}

export async function loans(root, ctx) {
  const list = h('div');
  const detail = h('div', { class: 'loan-detail' });
  root.append(card('firm.loans.title', list), detail);
  await fill(list, async () => {
    const data = await api('GET', '/v1/loans' + query({ limit: 100 }));
    return table(loanColumns(), data.items, { emptyKey: 'firm.loans.none', onRow: (l) => showLoan(detail, l.loan_id ?? l.id, true) });
  });
}

export function loanColumns() {
  return [
    { key: 'loan.id', cell: (l) => String(l.loan_id ?? l.id) },
    { key: 'loan.lender', cell: (l) => text(l.lender_name || l.lender) },
    { key: 'loan.amount', num: true, cell: (l) => money(l.amount) },
    { key: 'loan.outstanding', num: true, cell: (l) => money(l.principal_outstanding) },
    { key: 'loan.rate', num: true, cell: (l) => percent(l.rate) },
    { key: 'loan.matures', cell: (l) => text(l.matures) },
    { key: 'loan.category', cell: (l) => categoryBadge(l.category) },
    { key: 'loan.status', cell: (l) => t('loan_status.' + l.status, null, text(l.status)) },
  ];
}

export function categoryBadge(c) {
  const cls = c === 'normal' ? 'ok' : c === 'special_mention' ? 'warn' : c ? 'bad' : 'muted';
  return badge(t('category.' + c, null, text(c)), cls);
}

// One loan: its figures, its schedule and (for a firm) a repayment form.
export async function showLoan(el, id, canRepay) {
  await fill(el, async () => {
    const [loan, sched] = await Promise.all([
      api('GET', '/v1/loans/' + id),
      api('GET', '/v1/loans/' + id + '/schedule'),
    ]);
    const parts = [
      kpis([
        ['loan.outstanding', money(loan.principal_outstanding)],
        ['loan.principal_due', money(loan.principal_due)],
        ['loan.interest_due', money(loan.interest_due)],
        ['loan.overdue_days', count(loan.overdue_days), loan.overdue_days > 0 ? 'bad' : ''],
      ]),
      h('p', { class: 'meta' }, t('loan.meta', { product: text(loan.product), opened: text(loan.opened), matures: text(loan.matures), rate: percent(loan.rate), repayment: t('repayment.' + loan.repayment, null, text(loan.repayment)) }), ' ', categoryBadge(loan.category)),
    ];
    if (canRepay) parts.push(repayForm(el, id));
    parts.push(h('h3', {}, t('loan.schedule')));
    parts.push(table([
      { key: 'schedule.no', cell: (s) => text(s.k) },
      { key: 'schedule.due', cell: (s) => text(s.due_on) },
      { key: 'schedule.principal', num: true, cell: (s) => money(s.principal) },
      { key: 'schedule.interest', num: true, cell: (s) => money(s.interest) },
      { key: 'schedule.balance', num: true, cell: (s) => money(s.balance_after) },
    ], sched.items, { emptyKey: 'loan.no_schedule', cls: 'compact' }));
    return card(null, h('h2', {}, t('loan.title', { id })), ...parts);
  });
  el.scrollIntoView({ block: 'nearest' });
}

function repayForm(el, id) {
  const amount = h('input', { name: 'repay_amount', inputmode: 'decimal', autocomplete: 'off', required: true, placeholder: t('loan.repay_placeholder') });
  const out = h('div');
  return h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await api('POST', '/v1/loans/' + id + '/repayments', { amount: amount.value.trim() });
      await showLoan(el, id, true);
      el.querySelector('.card').prepend(notice('loan.repaid', { amount: money(amount.value.trim()), outstanding: money(r.loan && r.loan.principal_outstanding) }, 'ok'));
    } catch (err) {
      clear(out).append(problemBox(err));
    }
  } }, field('loan.repay_amount', amount), h('button', { type: 'submit' }, t('loan.repay')), out);
}


// Who monitors the firm (GET /v1/monitoring): each lender it let monitor it,
// the consent, whether the lender watches it now, and the colour of that
// lender's open alerts. The alerts themselves are the lender's.
export async function monitoring(root) {
  const body = h('div');
  root.append(card('firm.monitoring.title', h('p', { class: 'lead' }, t('firm.monitoring.lead')), body));
  await fill(body, async () => {
    const data = await api('GET', '/v1/monitoring');
    const yes = (v) => badge(t(v ? 'common.yes' : 'common.no'), v ? 'ok' : 'muted');
    return table([
      { key: 'firm.monitoring.lender', cell: (m) => text(m.lender_name || m.lender) },
      { key: 'firm.monitoring.consent', cell: (m) => t('firm.monitoring.consent_span', { id: m.consent.consent_id, from: text(m.consent.granted_on), until: text(m.consent.expires_on) }) },
      { key: 'firm.monitoring.live', cell: (m) => yes(m.live) },
      { key: 'firm.monitoring.borrower', cell: (m) => yes(m.borrower) },
      { key: 'firm.monitoring.watched', cell: (m) => yes(m.watched) },
      { key: 'firm.monitoring.colour', cell: (m) => levelBadge(m.colour) },
    ], data.items, { emptyKey: 'firm.monitoring.none' });
  });
}
