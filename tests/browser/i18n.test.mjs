// The console's strings, without a browser: both languages hold the same keys,
// every key the sources name exists, and no text meant for the user is written
// outside console/i18n.js (no CJK text, no English prose in the other sources,
// no text in index.html's body).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONSOLE = process.env.PUHUI_CONSOLE_SRC || path.join(here, '..', '..', 'console');
const { DICT, LANGS } = await import(pathToFileURL(path.join(CONSOLE, 'i18n.js')).href);
const sources = fs.readdirSync(CONSOLE).filter((f) => f.endsWith('.js') && f !== 'i18n.js')
  .map((f) => ({ file: f, text: fs.readFileSync(path.join(CONSOLE, f), 'utf8') }));

// String literals of a JS source, with their line numbers (comments removed first).
function literals(src) {
  const out = [];
  const code = src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"\\])\/\/.*$/gm, (m, p) => p + ' '.repeat(m.length - p.length));
  const re = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;
  let m;
  while ((m = re.exec(code))) {
    const line = code.slice(0, m.index).split('\n').length;
    out.push({ value: m[1] ?? m[2] ?? m[3], line });
  }
  return out;
}

test('both languages have the same keys and no empty string', () => {
  assert.deepEqual(LANGS, ['zh', 'en']);
  const zh = Object.keys(DICT.zh).sort();
  const en = Object.keys(DICT.en).sort();
  assert.deepEqual(zh.filter((k) => !DICT.en[k]), [], 'keys only in zh');
  assert.deepEqual(en.filter((k) => !DICT.zh[k]), [], 'keys only in en');
  for (const lang of LANGS) {
    for (const [k, v] of Object.entries(DICT[lang])) assert.ok(v.length > 0, lang + ' ' + k + ' is empty');
  }
});

test('the Chinese strings are Chinese and the English ones are not', () => {
  const cjk = /[\u3400-\u9fff]/;
  // Keys whose text is the same in both languages by design (symbols, codes).
  const same = new Set(['fmt.none', 'fmt.money', 'fmt.percent', 'model.auc', 'signin.key_placeholder',
    'firm.apply.amount_placeholder', 'loan.repay_placeholder', 'lender.appeals.limit_placeholder',
    'lender.appeals.rate_placeholder']);
  const lang = new Set(['lang.switch']);
  for (const k of Object.keys(DICT.zh)) {
    if (same.has(k)) { assert.equal(DICT.zh[k], DICT.en[k], k); continue; }
    if (lang.has(k)) continue;
    assert.ok(cjk.test(DICT.zh[k]), 'zh ' + k + ' has no Chinese: ' + DICT.zh[k]);
    assert.ok(!cjk.test(DICT.en[k]), 'en ' + k + ' has Chinese: ' + DICT.en[k]);
  }
});

test('every key the sources name exists, and every dynamic family has members', () => {
  const missing = [];
  for (const { file, text } of sources) {
    for (const m of text.matchAll(/\bt\(\s*'([a-z_]+(?:\.[a-z_0-9]+)+)'\s*[,)]/g)) {
      if (!(m[1] in DICT.zh)) missing.push(file + ': ' + m[1]);
    }
    // keys passed as data: { key: 'x.y' }, nav: 'x.y', card('x.y'), field('x.y'), kpis [['x.y', ...]]
    for (const m of text.matchAll(/(?:key|nav|emptyKey):\s*'([a-z_]+\.[a-z_.0-9]+)'|(?:card|field|notice|confirmDialog)\(\s*'([a-z_]+\.[a-z_.0-9]+)'(?!\s*\+)|\[\s*'([a-z_]+\.[a-z_.0-9]+)',/g)) {
      const k = m[1] || m[2] || m[3];
      if (!(k in DICT.zh)) missing.push(file + ': ' + k);
    }
    for (const m of text.matchAll(/(?:\bt|card)\(\s*'([a-z_]+\.[a-z_.]*)'\s*\+/g)) {
      if (!Object.keys(DICT.zh).some((k) => k.startsWith(m[1]))) missing.push(file + ': family ' + m[1]);
    }
  }
  assert.deepEqual(missing, []);
});

test('no user-visible text outside console/i18n.js', () => {
  const found = [];
  for (const { file, text } of sources) {
    for (const { value, line } of literals(text)) {
      if (/[\u3400-\u9fff]/.test(value)) found.push(file + ':' + line + ' Chinese text ' + JSON.stringify(value));
      // Prose: two words with a space between. Selectors and code ("main table", "'Bearer '") are allowed below.
      else if (/[A-Za-z]{2,}[,;:!?]?\s+[A-Za-z]{2,}/.test(value) && !/^[.#\[\]a-z0-9:=" -]+$/.test(value) && !value.startsWith('application/')) {
        found.push(file + ':' + line + ' prose ' + JSON.stringify(value));
      } else if (/^[A-Z][a-z]{2,}/.test(value) && !['Bearer ', 'Content-Type', 'Accept', 'Authorization', 'X-Request-Id', 'Enter'].includes(value)) {
        found.push(file + ':' + line + ' capitalised word ' + JSON.stringify(value));
      }
    }
  }
  const html = fs.readFileSync(path.join(CONSOLE, 'index.html'), 'utf8');
  const body = html.slice(html.indexOf('<body'));
  const texts = body.replace(/<[^>]*>/g, '\n').split('\n').map((s) => s.trim()).filter(Boolean);
  for (const s of texts) found.push('index.html text ' + JSON.stringify(s));
  if (/<title>[^<]+<\/title>/.test(html)) found.push('index.html: the title is set by app.js from the dictionary');
  assert.deepEqual(found, []);
});
