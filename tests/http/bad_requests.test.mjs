/*
 * Bad requests: malformed JSON, unknown members, wrong types, missing members, a missing,
 * malformed or revoked key, an oversize body, too many headers. Each answers
 * application/problem+json with its status and detail (and field/value where one member is
 * at fault), and nothing is stored: the tables the endpoints write keep their row counts
 * (sqlite3 on the server's live db) and the loan they aim at is unchanged (GET).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';

import { startPlatform, describeViolations, rowCount } from './lib.mjs';

const MAX_BODY = 65536;
const TABLES = ['application', 'decision', 'appeal', 'consent', 'loan', 'loan_event', 'policy', 'api_key',
                'warning_alert_event'];

let P;
let counts;
let loanBefore;
let alertBefore;
before(async () => {
    P = await startPlatform('bad_requests', { extraArgs: ['--max-body', String(MAX_BODY)] });
    counts = Object.fromEntries(TABLES.map((t) => [t, rowCount(P.db, t)]));
    loanBefore = await P.api('GET', `/v1/loans/${P.ids.LOAN_A}`, { key: P.keys.enterpriseA });
    alertBefore = await P.api('GET', `/v1/alerts/${P.ids.ALERT_A}`, { key: P.keys.institutionA });
});
after(async () => { if (P && !P.stopped) await P.stop(); });

const APPLY = { amount: '100000.00', term: 12, purpose: 'working_capital' };

/* Send and check the problem: status, detail, and field/value when given. */
async function refused(name, { method = 'POST', path = '/v1/applications', key = 'enterpriseA', body, raw, headers,
                               status, field, value }) {
    const res = await P.api(method, path, { key: key && P.keys[key], body, raw, headers });
    const what = `${name}: ${method} ${path}`;
    assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.body.slice(0, 300)}`);
    assert.match(res.contentType, /^application\/problem\+json/, `${what}: content type '${res.contentType}'`);
    assert.ok(res.json, `${what}: the problem is JSON`);
    assert.equal(res.json.status, status, `${what}: problem.status`);
    assert.ok(typeof res.json.detail === 'string' && res.json.detail.length > 0, `${what}: problem.detail`);
    assert.match(String(res.json.type), /^urn:puhui:problem:/, `${what}: problem.type`);
    if (field !== undefined) assert.equal(res.json.field, field, `${what}: problem.field (${res.json.detail})`);
    if (value !== undefined) assert.ok(String(res.json.value).includes(value), `${what}: problem.value '${res.json.value}' holds '${value}'`);
    return res;
}

test('malformed JSON', async () => {
    await refused('truncated', { raw: '{"amount": "100000.00", "term": 12,', status: 400 });
    await refused('not JSON at all', { raw: 'amount=100000', status: 400 });
    await refused('an array, not an object', { raw: '[1, 2, 3]', status: 400, field: 'body' });
    await refused('a bare string', { raw: '"hello"', status: 400, field: 'body' });
    await refused('an empty body', { raw: '', status: 400, field: 'body' });
});

test('unknown members are named', async () => {
    await refused('unknown member', { body: { ...APPLY, colour: 'red' }, status: 400, field: 'colour' });
    await refused('unknown member of a consent', { path: '/v1/consents',
        body: { institution: P.ids.LENDER_A, purpose: 'credit', until: '2027-06-30', uscc: P.ids.FIRM_B }, status: 400, field: 'uscc' });
    await refused('unknown member of a repayment', { path: `/v1/loans/${P.ids.LOAN_A}/repayments`,
        body: { amount: '10.00', amout: '10.00' }, status: 400, field: 'amout' });
});

test('wrong types and values name the member and the value', async () => {
    await refused('money as a number', { body: { ...APPLY, amount: 100000 }, status: 400, field: 'amount', value: '100000' });
    await refused('term as a string', { body: { ...APPLY, term: 'twelve' }, status: 400, field: 'term', value: 'twelve' });
    await refused('purpose as an object', { body: { ...APPLY, purpose: { a: 1 } }, status: 400, field: 'purpose' });
    await refused('three decimals', { body: { ...APPLY, amount: '100.001' }, status: 400, field: 'amount', value: '100.001' });
    await refused('a negative repayment', { path: `/v1/loans/${P.ids.LOAN_A}/repayments`,
        body: { amount: '-3' }, status: 400, field: 'amount', value: '-3' });
    await refused('a decision id as a string', { path: '/v1/loans', body: { decision_id: 'three' }, status: 400, field: 'decision_id' });
    await refused('a date that is not one', { path: '/v1/consents',
        body: { institution: P.ids.LENDER_A, purpose: 'credit', until: '2027-02-30' }, status: 400, field: 'until', value: '2027-02-30' });
});

test('missing members are named', async () => {
    await refused('no amount', { body: { term: 12, purpose: 'working_capital' }, status: 400, field: 'amount' });
    await refused('no grounds', { path: `/v1/decisions/${P.ids.DECLINE_A}/appeals`, body: {}, status: 400, field: 'grounds' });
    await refused('no decision id', { path: '/v1/loans', body: {}, status: 400, field: 'decision_id' });
});

test('a missing, malformed or revoked key is 401 with WWW-Authenticate', async () => {
    const cases = [
        ['no key', { key: null }],
        ['a revoked key', { key: 'revoked' }],
        ['a key of nonsense', { key: null, headers: { Authorization: 'Bearer nonsense' } }],
        ['an unknown key', { key: null, headers: { Authorization: `Bearer phk_999999_${'0'.repeat(64)}` } }],
        ['another scheme', { key: null, headers: { Authorization: 'Basic dXNlcjpwYXNz' } }],
        ['a key with its last digit changed', { key: null, headers: { Authorization: `Bearer ${P.keys.enterpriseA.slice(0, -1)}${P.keys.enterpriseA.endsWith('0') ? '1' : '0'}` } }],
    ];
    for (const [name, c] of cases) {
        const res = await refused(name, { key: c.key, headers: c.headers, body: APPLY, status: 401 });
        assert.match(res.headers.get('www-authenticate') || '', /^Bearer/, `${name}: WWW-Authenticate`);
    }
});

test('an oversize body is refused with a problem, and nothing runs', async () => {
    /* a little over --max-body reaches the server, which answers the problem (docs/api.md#limits) */
    const big = JSON.stringify({ ...APPLY, purpose: 'x'.repeat(Math.floor(MAX_BODY * 1.5)) });
    let res;
    try {
        res = await P.api('POST', '/v1/applications', { key: P.keys.enterpriseA, raw: big });
    } catch (e) {
        assert.fail(`the server dropped the connection instead of answering 413: ${e.cause?.code || e.message}`);
    }
    assert.equal(res.status, 413, res.body.slice(0, 300));
    assert.match(res.contentType, /^application\/problem\+json/);
    assert.equal(res.json?.status, 413);
    assert.equal(res.json?.field, 'body');
});

test('a body more than twice the limit is stopped by libevent with 413', async () => {
    /* libevent's own cap (twice --max-body) answers with its HTML page before the server sees
     * the request (docs/api.md#limits), so this answer is outside the document: sent directly,
     * not through the recorder that checks every answer against docs/openapi.json */
    const huge = JSON.stringify({ ...APPLY, purpose: 'x'.repeat(MAX_BODY * 3) });
    let res;
    try {
        res = await fetch(P.base + '/v1/applications', { method: 'POST', body: huge,
            headers: { Authorization: `Bearer ${P.keys.enterpriseA}`, 'Content-Type': 'application/json' } });
        await res.text();
    } catch (e) {
        assert.fail(`the server dropped the connection instead of answering 413: ${e.cause?.code || e.message}`);
    }
    assert.equal(res.status, 413);
});

test('too many headers are refused with a problem', async () => {
    const headers = {};
    for (let i = 0; i < 300; i++) headers[`X-Filler-${i}`] = 'y'.repeat(40);
    let res;
    try {
        res = await P.api('GET', '/v1/whoami', { key: P.keys.enterpriseA, headers });
    } catch (e) {
        assert.fail(`the server dropped the connection instead of answering: ${e.cause?.code || e.message}`);
    }
    assert.ok([400, 431].includes(res.status), `expected 431 (or 400), got ${res.status}`);
    assert.match(res.contentType, /^application\/problem\+json/);
});

/* Raw bytes on one connection (what fetch cannot send: a NUL, a header twice); the answers' status lines. */
function rawStatuses(bytes) {
    const url = new URL(P.base);
    return new Promise((resolve, reject) => {
        const sock = net.connect(Number(url.port), url.hostname, () => sock.end(bytes));
        let data = Buffer.alloc(0);
        sock.on('data', (d) => { data = Buffer.concat([data, d]); });
        sock.on('error', reject);
        sock.on('close', () => resolve(data.toString('latin1').match(/^HTTP\/1\.1 \d+/gm) || []));
    });
}

test('a key with a NUL byte and more after it, or two Authorization headers, is 401', async () => {
    const key = P.keys.enterpriseA;
    const get = (auth) => `GET /v1/loans/${P.ids.LOAN_A} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}\r\n`;
    assert.deepEqual(await rawStatuses(get(`Authorization: Bearer ${key}\r\n`)), ['HTTP/1.1 200']);
    assert.deepEqual(await rawStatuses(get(`Authorization: Bearer ${key}\0junk\r\n`)), ['HTTP/1.1 401']);
    assert.deepEqual(await rawStatuses(get(`Authorization: Bearer ${key}\r\nAuthorization: Bearer ${key}\r\n`)),
                     ['HTTP/1.1 401']);
    assert.deepEqual(await rawStatuses(get(`Authorization: Bearer nonsense\r\nAuthorization: Bearer ${key}\r\n`)),
                     ['HTTP/1.1 401']);
});

test('repeated, NUL-bearing and badly escaped query parameters are 400 naming the parameter', async () => {
    const cases = [
        ['a repeated limit', '/v1/loans?limit=500&limit=abc', 'limit'],
        ['an escaped NUL', '/v1/loans?limit=1%00', 'limit'],
        ['a bad escape', '/v1/loans?after=%zz', 'after'],
        ['a bad escape in a name', '/v1/loans?li%zzmit=3', 'query'],
    ];
    for (const [name, path, field] of cases)
        await refused(name, { method: 'GET', path, status: 400, field });
    const ok = await P.api('GET', '/v1/loans?limit=2', { key: P.keys.enterpriseA });
    assert.equal(ok.status, 200);
});

test('the alerts: unknown query parameters, bad ids, bad filters and bodies, close without a reason', async () => {
    const A = P.ids.ALERT_A;
    const get = (name, path, field, value) => refused(name, { method: 'GET', path, key: 'institutionA', status: 400, field, value });
    await get('a misspelt limit', '/v1/alerts?limt=5', 'limt', '5');
    await get('a parameter of another list', '/v1/alerts?approved=true', 'approved', 'true');
    await get('the summary takes none', '/v1/alerts/summary?level=red', 'level', 'red');
    await get('one alert takes none', `/v1/alerts/${A}?evidence=1`, 'evidence', '1');
    await refused('the firm\'s view takes none', { method: 'GET', path: '/v1/monitoring?firm=x', key: 'enterpriseA', status: 400, field: 'firm' });
    await get('a level that is not a colour', '/v1/alerts?level=purple', 'level', 'purple');
    await get('a state that is not one', '/v1/alerts?state=done', 'state', 'done');
    await get('a day that is not one', '/v1/alerts?from=2025-02-30', 'from', '2025-02-30');
    await get('from after to', '/v1/alerts?from=2025-06-01&to=2025-01-01', 'to', '2025-01-01');
    await get('an empty firm', '/v1/alerts?firm=', 'firm');
    await get('a limit too large', '/v1/alerts?limit=501', 'limit', '501');
    await get('after that is not an id', '/v1/alerts?after=-3', 'after', '-3');
    for (const id of ['abc', '0', '-1', '1.5', '01', '99999999999999999999']) {
        await get(`an alert id '${id}'`, `/v1/alerts/${id}`, 'alert', id);
        await refused(`ack of alert id '${id}'`, { path: `/v1/alerts/${id}/ack`, key: 'institutionA', body: {}, status: 400, field: 'alert', value: id });
    }
    const post = (name, path, body, field, value, raw) =>
        refused(name, { path, key: 'institutionA', body, raw, status: 400, field, value });
    await post('close without a body', `/v1/alerts/${A}/close`, undefined, 'reason');
    await post('close with {}', `/v1/alerts/${A}/close`, {}, 'reason');
    await post('close with an empty reason', `/v1/alerts/${A}/close`, { reason: '' }, 'reason');
    await post('a reason that is a number', `/v1/alerts/${A}/close`, { reason: 42 }, 'reason', '42');
    await post('an unknown member', `/v1/alerts/${A}/ack`, { by: 'someone else' }, 'by');
    await post('a body that is not an object', `/v1/alerts/${A}/escalate`, undefined, 'body', undefined, '["x"]');
    await post('malformed JSON', `/v1/alerts/${A}/ack`, undefined, undefined, undefined, '{"reason": ');
    await refused('a query parameter on a move', { path: `/v1/alerts/${A}/ack?force=1`, key: 'institutionA', body: {}, status: 400, field: 'force' });
    /* the alert did not move */
    const now = await P.api('GET', `/v1/alerts/${A}`, { key: P.keys.institutionA });
    assert.equal(now.body, alertBefore.body);
});

test('HEAD answers the GET\'s headers with its Content-Length and no body', async () => {
    const path = `/v1/loans/${P.ids.LOAN_A}`;
    const get = await P.api('GET', path, { key: P.keys.enterpriseA });
    const head = await P.api('HEAD', path, { key: P.keys.enterpriseA });
    P.calls.pop(); /* docs/openapi.json describes the GET; HEAD is it without the body (docs/api.md) */
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(get.body)));
    assert.equal(head.contentType, get.contentType);
});

test('nothing was stored', async () => {
    const now = Object.fromEntries(TABLES.map((t) => [t, rowCount(P.db, t)]));
    assert.deepEqual(now, counts);
    /* and the loan the bad repayments aimed at still answers as before them */
    const loan = await P.api('GET', `/v1/loans/${P.ids.LOAN_A}`, { key: P.keys.enterpriseA });
    assert.equal(loan.status, 200);
    assert.equal(loan.body, loanBefore.body);
});

test('every answer here matches docs/openapi.json', () => {
    assert.deepEqual(describeViolations(P.calls), []);
});

test('the server stops on SIGTERM with exit 0', async () => {
    const r = await P.stop();
    P.stopped = true;
    assert.equal(r.code, 0, `exit ${r.code ?? r.signal}; log ${r.serverLog}`);
});
