/*
 * The whole authorisation matrix over HTTP: every role (enterprise, institution, regulator,
 * admin, no key, a revoked key) calls every operation of docs/openapi.json on its own rows
 * and on another tenant's. The oracle is this file's own table (EXPECT, written from the
 * contract's authz table, docs/api.md#roles), not the server's authz.c:
 *   - allowed, own row        -> 2xx (a mutation may meet a documented state conflict: its `state`)
 *   - allowed, another's row  -> 403 or 404, and no other tenant's id in the body
 *   - not allowed for the role -> 403;  no key or a revoked key -> 401
 * Every refusal must be in the server's access log. Reads run first, then the mutations in
 * an order where none breaks a later case (MUTATION_ORDER).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { execFileSync } from 'node:child_process';

import { startPlatform, describeViolations, jsonStrings, jsonMembers, puhuiCli } from './lib.mjs';

/* role -> "resource.action" -> scope (own | all | aggregate); a missing pair is refused. */
const EXPECT = {
    enterprise: {
        'session.read': 'own',
        'application.create': 'own', 'application.read': 'own', 'decision.read': 'own',
        'appeal.create': 'own', 'appeal.read': 'own',
        'consent.create': 'own', 'consent.read': 'own', 'consent.revoke': 'own',
        'access_log.read': 'own',
        'loan.create': 'own', 'loan.read': 'own', 'loan.draw': 'own', 'loan.repay': 'own',
        'monitoring.read': 'own',
        'voucher.read': 'own', 'voucher.prove': 'own',
    },
    institution: {
        'session.read': 'own',
        'application.read': 'own', 'decision.read': 'own', 'decision.replay': 'own',
        'appeal.read': 'own', 'appeal.decide': 'own', 'consent.read': 'own', 'profile.read': 'own',
        'loan.read': 'own', 'loan.repay': 'own',
        'policy.create': 'own', 'policy.read': 'own', 'policy.activate': 'own',
        'model.read': 'all', 'market.read': 'aggregate', 'portfolio.read': 'own',
        'alert.read': 'own', 'alert.ack': 'own', 'alert.close': 'own', 'alert.escalate': 'own', 'alert.summary': 'own',
        'voucher.read': 'own', 'voucher.prove': 'own',
    },
    regulator: {
        'session.read': 'own',
        'market.read': 'aggregate', 'portfolio.read': 'aggregate', 'model.read': 'all', 'policy.read': 'all',
        'alert.summary': 'aggregate',
    },
    admin: {
        'session.read': 'own',
        'model.read': 'all', 'policy.read': 'all', 'market.read': 'aggregate', 'portfolio.read': 'aggregate',
        'decision.replay': 'all', 'alert.summary': 'aggregate',
    },
};

const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /openapi.json',
                        'GET /v1/evidence/checkpoint', 'GET /v1/evidence/key']);

/*
 * Every operation the contract names: what it is, and how to call it on the caller's own row
 * and on another tenant's. `own(ctx)`/`other(ctx)` give { path, body } for tenant A's caller;
 * `otherCaller: true` means "tenant B's caller on A's row" (there is no B row to hand);
 * `other: null` means the operation names no row (a list, a create of one's own, an aggregate):
 * its other-tenant check is that the answer holds only the caller's rows. `state` lists the
 * statuses an allowed call may meet because of the row's state (documented in the document).
 */
const OPS = [
    { op: 'GET /v1/whoami', ra: 'session.read', own: () => ({ path: '/v1/whoami' }), other: null },
    { op: 'POST /v1/applications', ra: 'application.create',
      own: () => ({ path: '/v1/applications', body: { amount: '100000.00', term: 12, purpose: 'working_capital' } }),
      other: (c) => ({ path: '/v1/applications', body: { uscc: c.ids.FIRM_B, amount: '100000.00', term: 12, purpose: 'working_capital' } }) },
    /* firm B applied to every lender, lender A too: lender A's "other" is an application it never decided */
    { op: 'GET /v1/applications/{}', ra: 'application.read',
      own: (c) => ({ path: `/v1/applications/${c.need('APPLICATION_A')}` }),
      other: (c) => ({ path: `/v1/applications/${c.need('APPLICATION_B')}` }),
      otherFor: { institution: (c) => (c.found.APPLICATION_NOT_A ? { path: `/v1/applications/${c.found.APPLICATION_NOT_A}` } : null) } },
    { op: 'GET /v1/decisions', ra: 'decision.read', own: () => ({ path: '/v1/decisions?limit=500' }), other: null },
    { op: 'GET /v1/decisions/{}', ra: 'decision.read',
      own: (c) => ({ path: `/v1/decisions/${c.ids.DECISION_A}` }), other: (c) => ({ path: `/v1/decisions/${c.ids.DECISION_B}` }) },
    { op: 'GET /v1/decisions/{}/trace', ra: 'decision.read',
      own: (c) => ({ path: `/v1/decisions/${c.ids.DECISION_A}/trace` }), other: (c) => ({ path: `/v1/decisions/${c.ids.DECISION_B}/trace` }) },
    { op: 'POST /v1/decisions/{}/replay', ra: 'decision.replay',
      own: (c) => ({ path: `/v1/decisions/${c.ids.DECISION_A}/replay`, body: {} }),
      other: (c) => ({ path: `/v1/decisions/${c.ids.DECISION_B}/replay`, body: {} }) },
    /* DECLINE_A is a decline of lender A, of whichever firm: that firm's key appeals it */
    { op: 'POST /v1/decisions/{}/appeals', ra: 'appeal.create', state: [409], ownKey: { enterprise: 'declineFirm' },
      own: (c) => ({ path: `/v1/decisions/${c.ids.DECLINE_A}/appeals`, body: { grounds: 'the matrix: my turnover grew since' } }),
      other: (c) => ({ path: `/v1/decisions/${c.ids.DECISION_B}/appeals`, body: { grounds: 'the matrix: not my decision' } }) },
    { op: 'GET /v1/appeals', ra: 'appeal.read', own: () => ({ path: '/v1/appeals' }), other: null },
    { op: 'POST /v1/appeals/{}/decision', ra: 'appeal.decide', state: [409], otherCaller: true,
      own: (c) => ({ path: `/v1/appeals/${c.need('APPEAL_A')}/decision`, body: { outcome: 'uphold', reviewer: 'matrix reviewer', reason: 'the decline stands' } }),
      other: (c) => ({ path: `/v1/appeals/${c.need('APPEAL_A')}/decision`, body: { outcome: 'overturn', reviewer: 'not my appeal', reason: 'x' } }) },
    { op: 'POST /v1/consents', ra: 'consent.create', state: [409],
      own: (c) => ({ path: '/v1/consents', body: { institution: c.ids.LENDER_A, purpose: 'credit', until: c.until } }), other: null },
    { op: 'GET /v1/consents', ra: 'consent.read', own: () => ({ path: '/v1/consents' }), other: null },
    { op: 'POST /v1/consents/{}/revoke', ra: 'consent.revoke', state: [409],
      own: (c) => ({ path: `/v1/consents/${c.need('CONSENT_A')}/revoke`, body: {} }),
      other: (c) => ({ path: `/v1/consents/${c.need('CONSENT_B')}/revoke`, body: {} }) },
    { op: 'GET /v1/access-log', ra: 'access_log.read', own: () => ({ path: '/v1/access-log' }), other: null },
    { op: 'GET /v1/enterprises/{}/profile', ra: 'profile.read',
      own: (c) => ({ path: `/v1/enterprises/${c.ids.FIRM_A}/profile?purpose=credit` }),
      other: (c) => ({ path: `/v1/enterprises/${c.ids.FIRM_C}/profile?purpose=credit` }) },
    { op: 'POST /v1/loans', ra: 'loan.create', state: [409],
      own: (c) => ({ path: '/v1/loans', body: { decision_id: Number(c.ids.DECISION_A) } }),
      other: (c) => ({ path: '/v1/loans', body: { decision_id: Number(c.ids.DECISION_B) } }) },
    { op: 'GET /v1/loans', ra: 'loan.read', own: () => ({ path: '/v1/loans' }), other: null },
    { op: 'GET /v1/loans/{}', ra: 'loan.read',
      own: (c) => ({ path: `/v1/loans/${c.ids.LOAN_A}` }), other: (c) => ({ path: `/v1/loans/${c.ids.LOAN_B}` }) },
    { op: 'GET /v1/loans/{}/schedule', ra: 'loan.read',
      own: (c) => ({ path: `/v1/loans/${c.ids.LOAN_A}/schedule` }), other: (c) => ({ path: `/v1/loans/${c.ids.LOAN_B}/schedule` }) },
    { op: 'GET /v1/loans/{}/statement', ra: 'loan.read',
      own: (c) => ({ path: `/v1/loans/${c.ids.LOAN_A}/statement` }), other: (c) => ({ path: `/v1/loans/${c.ids.LOAN_B}/statement` }) },
    /* a term loan cannot be drawn again: 409 (or 400 naming the amount) is its state */
    { op: 'POST /v1/loans/{}/draws', ra: 'loan.draw', state: [400, 409],
      own: (c) => ({ path: `/v1/loans/${c.ids.LOAN_A}/draws`, body: { amount: '1000.00' } }),
      other: (c) => ({ path: `/v1/loans/${c.ids.LOAN_B}/draws`, body: { amount: '1000.00' } }) },
    { op: 'POST /v1/loans/{}/repayments', ra: 'loan.repay',
      own: (c) => ({ path: `/v1/loans/${c.ids.LOAN_A}/repayments`, body: { amount: '1.00', reference: `matrix-${c.seq()}` } }),
      other: (c) => ({ path: `/v1/loans/${c.ids.LOAN_B}/repayments`, body: { amount: '100.00', reference: `matrix-${c.seq()}` } }) },
    { op: 'GET /v1/portfolio', ra: 'portfolio.read', own: () => ({ path: '/v1/portfolio' }), other: null },
    { op: 'GET /v1/policies', ra: 'policy.read', own: () => ({ path: '/v1/policies' }), other: null },
    { op: 'POST /v1/policies', ra: 'policy.create', state: [409],
      own: (c) => ({ path: '/v1/policies', body: c.policyDoc(c.ids.LENDER_A) }),
      other: (c) => ({ path: '/v1/policies', body: c.policyDoc(c.ids.LENDER_B) }) },
    { op: 'POST /v1/policies/{}/versions/{}/activate', ra: 'policy.activate', state: [409],
      own: (c) => ({ path: `/v1/policies/${encodeURIComponent(c.need('POLICY_A').name)}/versions/${c.need('POLICY_A').version}/activate`, body: {} }),
      other: (c) => ({ path: `/v1/policies/${encodeURIComponent(c.need('POLICY_B').name)}/versions/${c.need('POLICY_B').version}/activate`, body: {} }) },
    { op: 'GET /v1/models', ra: 'model.read', own: () => ({ path: '/v1/models' }), other: null },
    { op: 'GET /v1/models/{}/versions/{}', ra: 'model.read',
      own: (c) => ({ path: `/v1/models/${encodeURIComponent(c.need('MODEL').name)}/versions/${c.need('MODEL').version}` }), other: null },
    { op: 'GET /v1/market/stats', ra: 'market.read', own: () => ({ path: '/v1/market/stats' }), other: null },
    { op: 'GET /v1/market/segments', ra: 'market.read', own: () => ({ path: '/v1/market/segments?by=city' }), other: null },
    /* early warning: ALERT_A is lender A's (about one of its borrowers), ALERT_B lender B's */
    { op: 'GET /v1/alerts', ra: 'alert.read', own: () => ({ path: '/v1/alerts?limit=500' }), other: null },
    { op: 'GET /v1/alerts/summary', ra: 'alert.summary', own: () => ({ path: '/v1/alerts/summary' }), other: null },
    { op: 'GET /v1/alerts/{}', ra: 'alert.read',
      own: (c) => ({ path: `/v1/alerts/${c.ids.ALERT_A}` }), other: (c) => ({ path: `/v1/alerts/${c.ids.ALERT_B}` }) },
    /* ack, escalate, close run in that order on ALERT_A: each is a legal move; a repeat is a 409 (its state) */
    { op: 'POST /v1/alerts/{}/ack', ra: 'alert.ack', state: [409],
      own: (c) => ({ path: `/v1/alerts/${c.ids.ALERT_A}/ack`, body: {} }),
      other: (c) => ({ path: `/v1/alerts/${c.ids.ALERT_B}/ack`, body: {} }) },
    { op: 'POST /v1/alerts/{}/escalate', ra: 'alert.escalate', state: [409],
      own: (c) => ({ path: `/v1/alerts/${c.ids.ALERT_A}/escalate`, body: { reason: 'the matrix: to the risk department' } }),
      other: (c) => ({ path: `/v1/alerts/${c.ids.ALERT_B}/escalate`, body: {} }) },
    { op: 'POST /v1/alerts/{}/close', ra: 'alert.close', state: [409],
      own: (c) => ({ path: `/v1/alerts/${c.ids.ALERT_A}/close`, body: { reason: 'the matrix: visited, explained' } }),
      other: (c) => ({ path: `/v1/alerts/${c.ids.ALERT_B}/close`, body: { reason: 'not my alert' } }) },
    { op: 'GET /v1/monitoring', ra: 'monitoring.read', own: () => ({ path: '/v1/monitoring' }), other: null },
    /* claim vouchers: VOUCHER_A is held by VFIRM_A (its key: voucherFirm) and financed by lender A,
     * VOUCHER_B held by VFIRM_B and financed by lender B (platform.sh) */
    { op: 'GET /v1/vouchers', ra: 'voucher.read', ownKey: { enterprise: 'voucherFirm' },
      own: () => ({ path: '/v1/vouchers?limit=500' }), other: null },
    { op: 'GET /v1/vouchers/{}/proof', ra: 'voucher.prove', ownKey: { enterprise: 'voucherFirm' },
      own: (c) => ({ path: `/v1/vouchers/${c.ids.VOUCHER_A}/proof` }),
      other: (c) => ({ path: `/v1/vouchers/${c.ids.VOUCHER_B}/proof` }) },
];

/* Mutations run after every read, in this order: none undoes what a later one needs. */
const MUTATION_ORDER = [
    'POST /v1/decisions/{}/replay', 'POST /v1/policies', 'POST /v1/loans', 'POST /v1/decisions/{}/appeals',
    'POST /v1/appeals/{}/decision', 'POST /v1/consents', 'POST /v1/loans/{}/draws',
    'POST /v1/loans/{}/repayments', 'POST /v1/applications', 'POST /v1/consents/{}/revoke',
    'POST /v1/policies/{}/versions/{}/activate',
    'POST /v1/alerts/{}/ack', 'POST /v1/alerts/{}/escalate', 'POST /v1/alerts/{}/close',
];

const normal = (method, template) => `${method} ${template.replace(/\{[^}]+\}/g, '{}')}`;
const ROLES = ['enterprise', 'institution', 'regulator', 'admin', 'none', 'revoked'];

let P;
let ctx;
const outcomes = []; /* { case, call, expect } for the access-log check */

before(async () => {
    P = await startPlatform('matrix');
    ctx = await setup(P);
});
after(async () => { if (P && !P.stopped) await P.stop(); });

/* Ids the env does not give, found through the API as their owners (checked like any answer). */
async function setup(P) {
    const ids = P.ids;
    const found = {};
    const id = (obj, names) => obj && names.map((n) => obj[n]).find((v) => v !== undefined && v !== null);
    const a = await P.api('GET', `/v1/decisions/${ids.DECISION_A}`, { key: P.keys.enterpriseA });
    if (a.status === 200) found.APPLICATION_A = id(a.json, ['application_id']);
    const b = await P.api('GET', `/v1/decisions/${ids.DECISION_B}`, { key: P.keys.enterpriseB });
    if (b.status === 200) found.APPLICATION_B = id(b.json, ['application_id']);
    /* the firm DECLINE_A declined gets a key (the CLI beside the running server) and appeals */
    const decline = await P.api('GET', `/v1/decisions/${ids.DECLINE_A}`, { key: P.keys.institutionA });
    if (decline.status === 200 && decline.json.uscc) {
        P.keys.declineFirm = puhuiCli(P.env.bin, P.db, ['key', 'create', '--role', 'enterprise', '--tenant',
                                                        decline.json.uscc, '--label', 'http tests: declined firm']).trim();
        P.tenants.declineFirm = decline.json.uscc;
    }
    /* the firm holding VOUCHER_A gets a key */
    P.keys.voucherFirm = puhuiCli(P.env.bin, P.db, ['key', 'create', '--role', 'enterprise', '--tenant', ids.VFIRM_A,
                                                    '--label', 'http tests: voucher holder']).trim();
    P.tenants.voucherFirm = ids.VFIRM_A;
    const appeal = await P.api('POST', `/v1/decisions/${ids.DECLINE_A}/appeals`,
        { key: P.keys.declineFirm, body: { grounds: 'the matrix set-up: please look again' } });
    if (appeal.status === 201) found.APPEAL_A = id(appeal.json, ['appeal_id', 'id']);
    const ca = await P.api('GET', '/v1/consents', { key: P.keys.enterpriseA });
    const consentB = (ca.json?.items || []).find((x) => x.institution === ids.LENDER_B);
    /* firm A's consent to lender B: revoking it touches no other case (lender A's reads stay) */
    if (consentB) found.CONSENT_A = id(consentB, ['consent_id', 'id']);
    const cb = await P.api('GET', '/v1/consents', { key: P.keys.enterpriseB });
    if (cb.json?.items?.length) found.CONSENT_B = id(cb.json.items[0], ['consent_id', 'id']);
    for (const [name, key] of [['POLICY_A', P.keys.institutionA], ['POLICY_B', P.keys.institutionB]]) {
        const pol = await P.api('GET', '/v1/policies', { key });
        const active = (pol.json?.items || []).find((x) => x.active);
        if (active) found[name] = { name: active.name, version: active.version };
    }
    /* an application lender A never decided (sqlite3 on the server's db: ids only) */
    const notA = execFileSync('sqlite3', [P.db, `SELECT a.id FROM application a WHERE NOT EXISTS (SELECT 1 FROM decision d
        WHERE d.application_id = a.id AND d.lender = '${ids.LENDER_A}') ORDER BY a.id LIMIT 1;`], { encoding: 'utf8' }).trim();
    if (notA) found.APPLICATION_NOT_A = Number(notA);
    const models = await P.api('GET', '/v1/models', { key: P.keys.admin });
    const m = models.json?.items?.[0];
    if (m) found.MODEL = { name: m.name, version: m.version };

    const policyTemplate = fs.readFileSync(path.join(P.env.sourceDir, 'tests/fixtures/market/city_bank.json'), 'utf8');
    let n = 0;
    return {
        ids, found,
        until: '2027-06-30',
        seq: () => ++n,
        need(name) {
            if (found[name] === undefined) throw new Error(`set-up found no ${name} through the API (see the calls above)`);
            return found[name];
        },
        policyDoc(lender) {
            const doc = JSON.parse(policyTemplate.replaceAll('@LENDER@', lender));
            doc.name = `matrix ${doc.name}`;
            doc.version = 1;
            return doc;
        },
    };
}

/* The key name a role's caller uses: tenant A's, or tenant B's for `otherCaller` operations. */
function keyName(role, tenantB) {
    return { enterprise: tenantB ? 'enterpriseB' : 'enterpriseA', institution: tenantB ? 'institutionB' : 'institutionA',
             regulator: 'regulator', admin: 'admin', none: undefined, revoked: 'revoked' }[role];
}
const keyOf = (role, tenantB) => P.keys[keyName(role, tenantB)];

/* The tenant behind a key name. */
function tenantOf(name) {
    const i = P.ids;
    return P.tenants[name] ?? { enterpriseA: i.FIRM_A, enterpriseB: i.FIRM_B, institutionA: i.LENDER_A,
                                 institutionB: i.LENDER_B }[name];
}

/* The other tenants' ids, from the caller's side. */
function foreignIds(role, tenant) {
    const i = P.ids;
    if (role === 'enterprise') return [i.FIRM_A, i.FIRM_B, i.FIRM_C, i.VFIRM_A, i.VFIRM_B].filter((x) => x && x !== tenant);
    if (role === 'institution') return [i.LENDER_A, i.LENDER_B].filter((x) => x !== tenant);
    return [];
}

/* What a case must answer: { statuses, why }. */
function expectation(spec, role, which) {
    if (role === 'none' || role === 'revoked') return { statuses: [401], why: `${role === 'none' ? 'no' : 'a revoked'} key` };
    const scope = EXPECT[role][spec.ra];
    if (!scope) return { statuses: [403], why: `${role} may not ${spec.ra}` };
    if (which === 'other' && scope === 'own') return { statuses: [403, 404], why: `another tenant's row (${role} ${spec.ra} own)`, foreign: true };
    const ok = [200, 201, 202, 204];
    return { statuses: [...ok, ...(spec.state || [])], why: `${role} ${spec.ra} ${scope}`, allowed: true, scope };
}

function checkOwnRows(res, role, tenant) {
    const problems = [];
    for (const [k, v] of jsonMembers(res.json)) {
        if (role === 'enterprise' && k === 'uscc' && v !== tenant) problems.push(`uscc ${v}`);
        if (role === 'institution' && k === 'lender' && v !== tenant) problems.push(`lender ${v}`);
    }
    return problems;
}

async function runCase(spec, role, which) {
    const tenantB = which === 'other' && spec.otherCaller;
    const name = (which === 'own' && spec.ownKey?.[role]) || keyName(role, tenantB);
    const tenant = tenantOf(name);
    const req = which === 'own' ? spec.own(ctx) : (spec.otherFor?.[role] ?? spec.other)(ctx);
    if (!req) return `${role} (${which}) ${spec.op}: no such row on this platform; not called`;
    const [method] = spec.op.split(' ');
    const exp = expectation(spec, role, which);
    if (name && !P.keys[name]) throw new Error(`set-up made no key '${name}' (see the calls above)`);
    const res = await P.api(method, req.path, { key: name && P.keys[name], body: req.body ?? (method === 'POST' ? {} : undefined) });
    outcomes.push({ name: `${role} ${which} ${spec.op}`, call: res, exp });
    const where = `${role} (${which}) ${method} ${req.path}`;
    assert.ok(exp.statuses.includes(res.status),
        `${where}: expected ${exp.statuses.join('/')} (${exp.why}), got ${res.status}: ${res.body.slice(0, 400)}`);
    if (res.status >= 400) {
        assert.match(res.contentType, /^application\/problem\+json/, `${where}: a refusal is problem+json`);
        assert.equal(res.json?.status, res.status, `${where}: problem.status`);
        if (res.status === 401) assert.match(res.headers.get('www-authenticate') || '', /^Bearer/, `${where}: WWW-Authenticate`);
    }
    /* never the other tenant's data: no string of the body is one of its ids, unless we sent it */
    const sent = req.path + JSON.stringify(req.body ?? '');
    const leaked = jsonStrings(res.json).filter((s) => foreignIds(role, tenant).includes(s) && !sent.includes(s));
    if (exp.foreign || (exp.allowed && exp.scope === 'own' && res.status < 300)) {
        assert.deepEqual(leaked, [], `${where}: another tenant's id in the answer`);
    }
    if (exp.allowed && exp.scope === 'own' && res.status < 300 && method === 'GET') {
        assert.deepEqual(checkOwnRows(res, role, tenant), [], `${where}: rows of another owner in the answer`);
    }
    if (exp.allowed && exp.scope === 'aggregate' && res.status < 300) {
        assert.ok(!jsonMembers(res.json).some(([k]) => k === 'uscc'), `${where}: an aggregate answer holds a firm's uscc`);
    }
}

test('every operation of the document is in the matrix, and the matrix is the document', () => {
    const mine = new Map(OPS.map((s) => [s.op, s]));
    const problems = [];
    for (const o of P.openapi.operations) {
        const key = normal(o.method, o.template);
        if (PUBLIC.has(key) || o.template.startsWith('/console')) continue;
        const spec = mine.get(key);
        if (!spec) { problems.push(`${key}: in docs/openapi.json but not in the matrix (add it to OPS)`); continue; }
        const ra = `${o.op['x-resource']}.${o.op['x-action']}`;
        if (ra !== spec.ra) problems.push(`${key}: the document says ${ra}, the contract ${spec.ra}`);
        mine.delete(key);
    }
    for (const key of mine.keys()) problems.push(`${key}: in the contract but not in docs/openapi.json`);
    assert.deepEqual(problems, []);
});

test('the public endpoints answer every caller', async () => {
    for (const p of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/v1/evidence/checkpoint', '/v1/evidence/key']) {
        for (const role of ROLES) {
            const res = await P.api('GET', p, { key: keyOf(role, false) });
            assert.equal(res.status, 200, `${role} GET ${p}: ${res.status}`);
        }
    }
});

const reads = OPS.filter((s) => s.op.startsWith('GET '));
const writes = MUTATION_ORDER.map((op) => OPS.find((s) => s.op === op));
test('MUTATION_ORDER names every mutation once', () => {
    assert.deepEqual(writes.filter((s) => !s).length, 0);
    assert.equal(writes.length + reads.length, OPS.length);
});

for (const spec of [...reads, ...writes.filter(Boolean)]) {
    test(`matrix: ${spec.op} (${spec.ra})`, async (t) => {
        /* refusals first, the allowed own-row call last: a mutation then changes nothing earlier */
        const cases = [];
        for (const role of ROLES) {
            if (spec.other) cases.push([role, 'other']);
        }
        for (const role of ROLES) cases.push([role, 'own']);
        const allowedOwn = (role) => EXPECT[role]?.[spec.ra];
        cases.sort((x, y) => (x[1] === 'own' && allowedOwn(x[0]) ? 1 : 0) - (y[1] === 'own' && allowedOwn(y[0]) ? 1 : 0));
        const failures = [];
        for (const [role, which] of cases) {
            try {
                const skipped = await runCase(spec, role, which);
                if (skipped) t.diagnostic(skipped);
            } catch (e) {
                failures.push(e.message);
            }
        }
        const stateHits = outcomes.filter((o) => o.name.endsWith(spec.op) && o.exp.allowed && o.call.status >= 400);
        for (const o of stateHits) t.diagnostic(`${o.name}: ${o.call.status} (a state conflict): ${o.call.json?.detail}`);
        assert.deepEqual(failures, []);
    });
}

test('a row of another tenant answers like a missing row (existence is not leaked)', async () => {
    const missing = await P.api('GET', '/v1/loans/987654321', { key: P.keys.enterpriseA });
    const foreign = await P.api('GET', `/v1/loans/${P.ids.LOAN_B}`, { key: P.keys.enterpriseA });
    assert.equal(foreign.status, missing.status);
    if (foreign.status === 404) {
        assert.equal(foreign.json.detail.replaceAll(P.ids.LOAN_B, 'N'), missing.json.detail.replaceAll('987654321', 'N'));
    }
});

test('every answer of the matrix matches docs/openapi.json', () => {
    assert.deepEqual(describeViolations(P.calls), []);
});

test('the server stops on SIGTERM with exit 0', async () => {
    const r = await P.stop();
    P.stopped = true;
    assert.equal(r.code, 0, `exit ${r.code ?? r.signal}; log ${r.serverLog}`);
});

test('every refusal is in the access log', () => {
    const byId = new Map(P.accessLines().map((l) => [l.request_id, l]));
    const problems = [];
    for (const o of outcomes) {
        if (o.call.status < 400) continue;
        const line = byId.get(o.call.requestId);
        if (!line) { problems.push(`${o.name}: no access-log line for request ${o.call.requestId}`); continue; }
        if (line.status !== o.call.status) problems.push(`${o.name}: logged ${line.status}, answered ${o.call.status}`);
        if (o.exp.foreign && o.call.status === 404 && !line.refused) problems.push(`${o.name}: a cross-tenant 404 without 'refused'`);
    }
    assert.deepEqual(problems, []);
});
