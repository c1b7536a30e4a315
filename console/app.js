// The console: sign in with an API key, ask the server who that is
// (GET /v1/whoami), then show the views of that role. Views are chosen by the
// hash (#/apply, #/decision/42); the key lives in sessionStorage only.
import { t, setLang, getLang, LANGS } from './i18n.js';
import { api, setKey, getKey } from './api.js';
import { h, clear, field, problemBox } from './ui.js';
import { disposeCharts } from './charts.js';
import * as firm from './firm.js';
import * as lender from './lender.js';
import * as regulator from './regulator.js';
import * as alerts from './alerts.js';

// Each role's views, in menu order; the first is the landing view.
const REGULATOR_VIEWS = [
  { id: 'market', nav: 'nav.market', render: regulator.market },
  { id: 'lenders', nav: 'nav.lenders', render: regulator.lenders },
  { id: 'models', nav: 'nav.models', render: regulator.models },
  { id: 'alerts', nav: 'nav.alert_summary', render: regulator.alerts },
];
const VIEWS = {
  enterprise: [
    { id: 'apply', nav: 'nav.apply', render: firm.apply },
    { id: 'consents', nav: 'nav.consents', render: firm.consents },
    { id: 'access', nav: 'nav.access', render: firm.accessLog },
    { id: 'loans', nav: 'nav.loans', render: firm.loans },
    { id: 'monitoring', nav: 'nav.monitoring', render: firm.monitoring },
  ],
  institution: [
    { id: 'queue', nav: 'nav.queue', render: lender.queue },
    { id: 'decision', nav: null, render: lender.decision, parent: 'queue' },
    { id: 'portfolio', nav: 'nav.portfolio', render: lender.portfolio },
    { id: 'appeals', nav: 'nav.appeals', render: lender.appeals },
    { id: 'alerts', nav: 'nav.alerts', render: alerts.alerts },
  ],
  regulator: REGULATOR_VIEWS,
  admin: REGULATOR_VIEWS,
};

const KEY_STORE = 'puhui.key';
const LANG_STORE = 'puhui.lang';
const app = document.getElementById('app');
let who = null;
let signInError = null;

function navigate(path) { location.hash = '#/' + path; }

function langSwitch() {
  const other = LANGS.find((l) => l !== getLang());
  return h('button', { type: 'button', class: 'lang', 'data-lang': other, lang: other, onclick: () => {
    setLang(other);
    try { localStorage.setItem(LANG_STORE, other); } catch (e) { /* private mode */ }
    render();
  } }, t('lang.switch'));
}

function signIn() {
  const key = h('input', { name: 'key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: t('signin.key_placeholder') });
  const form = h('form', { class: 'signin card', onsubmit: async (e) => {
    e.preventDefault();
    await start(key.value.trim());
  } },
  h('h2', {}, t('signin.title')),
  h('p', { class: 'lead' }, t('signin.lead')),
  field('signin.key', key, 'signin.key_hint'),
  signInError ? problemBox(signInError) : null,
  h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, t('signin.submit'))));
  return h('div', { class: 'signin-wrap' }, form);
}

async function start(key) {
  setKey(key);
  try {
    who = await api('GET', '/v1/whoami');
    signInError = null;
    sessionStorage.setItem(KEY_STORE, key);
    const views = VIEWS[who.role] || [];
    if (!views.some((v) => v.id === currentPath()[0]) && views.length) {
      history.replaceState(null, '', '#/' + views[0].id);
    }
  } catch (err) {
    who = null;
    setKey('');
    sessionStorage.removeItem(KEY_STORE);
    signInError = err;
  }
  render();
}

function signOut() {
  who = null;
  setKey('');
  signInError = null;
  sessionStorage.removeItem(KEY_STORE);
  history.replaceState(null, '', location.pathname);
  render();
}

function currentPath() {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

function header() {
  const right = [langSwitch()];
  if (who) {
    right.unshift(h('span', { class: 'who', 'data-role': who.role },
      h('span', { class: 'role' }, t('role.' + who.role, null, who.role)),
      who.tenant ? h('span', { class: 'tenant' }, who.tenant) : null));
    right.push(h('button', { type: 'button', class: 'secondary small signout', onclick: signOut }, t('signin.out')));
  }
  return h('header', { class: 'top' },
    h('div', { class: 'brand' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, t('brand.mark')), h('span', {}, t('brand.name'))),
    h('div', { class: 'top-right' }, right));
}

async function render() {
  disposeCharts();
  document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  document.title = t('brand.title');
  clear(app);
  app.append(header());
  const main = h('main', { id: 'main' });
  if (!who) {
    main.append(signIn());
    app.append(main, footer());
    return;
  }
  const views = VIEWS[who.role] || [];
  const [id, ...args] = currentPath();
  const view = views.find((v) => v.id === id) || views[0];
  const active = view ? (view.parent || view.id) : '';
  const nav = h('nav', { class: 'tabs', 'aria-label': t('nav.label') }, views.filter((v) => v.nav).map((v) =>
    h('a', { href: '#/' + v.id, class: v.id === active ? 'active' : null, 'aria-current': v.id === active ? 'page' : null, 'data-view': v.id }, t(v.nav))));
  app.append(nav);
  // On a phone the tabs scroll sideways: keep the current one in sight.
  const current = nav.querySelector('a.active');
  if (current && nav.scrollWidth > nav.clientWidth) nav.scrollLeft = Math.max(0, current.offsetLeft - 24);
  app.append(main, footer());
  if (!view) {
    main.append(h('p', { class: 'empty' }, t('signin.no_views')));
    return;
  }
  main.dataset.view = view.id;
  await view.render(main, { who, navigate }, ...args);
  main.dataset.ready = '1';
}

function footer() {
  return h('footer', {}, t('brand.footer'));
}

document.addEventListener('puhui:unauthorised', () => {
  signInError = null;
  who = null;
  sessionStorage.removeItem(KEY_STORE);
});
window.addEventListener('hashchange', () => { if (who) render(); });

let saved = null;
try { saved = localStorage.getItem(LANG_STORE); } catch (e) { saved = null; }
if (saved && LANGS.includes(saved)) setLang(saved);
const savedKey = sessionStorage.getItem(KEY_STORE);
if (savedKey) start(savedKey); else render();
