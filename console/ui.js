// Small DOM helpers: elements are built with h() and text nodes only (never
// innerHTML), so a value from the server can never become markup.
import { t } from './i18n.js';

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A card: a titled panel of the page.
export function card(titleKey, ...body) {
  return h('section', { class: 'card' }, titleKey ? h('h2', {}, t(titleKey)) : null, ...body);
}

// A table from column definitions {key: i18n key, cell: row -> node|text, num: right-aligned}.
export function table(columns, rows, opts = {}) {
  if (!rows || rows.length === 0) return h('p', { class: 'empty' }, t(opts.emptyKey || 'common.empty'));
  const head = h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : null, scope: 'col' }, t(c.key))));
  const body = rows.map((r) => {
    const tr = h('tr', { class: opts.onRow ? 'clickable' : null, tabindex: opts.onRow ? '0' : null },
      columns.map((c) => h('td', { class: c.num ? 'num' : null, 'data-label': t(c.key) }, c.cell(r))));
    if (opts.onRow) {
      tr.addEventListener('click', () => opts.onRow(r));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') opts.onRow(r); });
    }
    return tr;
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: opts.cls || null }, h('thead', {}, head), h('tbody', {}, body)));
}

// Key figures in a row of tiles.
export function kpis(items) {
  return h('div', { class: 'kpis' }, items.map(([key, value, cls]) =>
    h('div', { class: 'kpi ' + (cls || '') }, h('div', { class: 'kpi-label' }, t(key)), h('div', { class: 'kpi-value' }, value))));
}

export function field(labelKey, control, hintKey) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(labelKey)), control,
    hintKey ? h('span', { class: 'hint' }, t(hintKey)) : null);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

// An API error in the current language's frame: what failed, the server's
// detail, and the field, value and expectation when the problem names them.
export function problemBox(err) {
  const p = (err && err.problem) || {};
  const status = err && err.status;
  let titleKey = 'err.generic';
  if (status === 0) titleKey = 'err.network';
  else if (status === 400) titleKey = 'err.invalid';
  else if (status === 401) titleKey = 'err.unauthorised';
  else if (status === 403) titleKey = 'err.denied';
  else if (status === 404) titleKey = 'err.notfound';
  else if (status === 409) titleKey = 'err.conflict';
  else if (status === 503) titleKey = 'err.busy';
  const rows = [];
  const add = (key, v) => { if (v !== undefined && v !== null && v !== '') rows.push(h('dt', {}, t(key)), h('dd', {}, String(v))); };
  add('err.detail', p.detail);
  add('err.field', p.field);
  add('err.value', p.value);
  add('err.expected', p.expected);
  add('err.code', p.code);
  add('err.request', p.request_id);
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, t(titleKey, { status: status || '' })),
    rows.length ? h('dl', {}, rows) : null);
}

// Run an async loader into `el`: a spinner first, then the content or the error.
export async function fill(el, loader) {
  clear(el).append(loading());
  try {
    const node = await loader();
    clear(el);
    if (node) append(el, [node]);
  } catch (e) {
    clear(el).append(problemBox(e));
    if (e && e.status === 401) document.dispatchEvent(new CustomEvent('puhui:unauthorised'));
  }
}

// A confirmation dialog (native <dialog>): resolves true when confirmed.
export function confirmDialog(messageKey, params, confirmKey) {
  return new Promise((resolve) => {
    const dlg = h('dialog', { class: 'confirm' });
    const done = (ok) => { dlg.close(); dlg.remove(); resolve(ok); };
    dlg.append(
      h('p', {}, t(messageKey, params)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => done(false) }, t('common.cancel')),
        h('button', { type: 'button', class: 'danger', onclick: () => done(true) }, t(confirmKey || 'common.confirm'))));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

export function badge(textValue, cls) {
  return h('span', { class: 'badge ' + (cls || '') }, textValue);
}

export function notice(key, params, cls) {
  return h('p', { class: 'notice ' + (cls || '') , role: 'status' }, t(key, params));
}
