/*
 * The OpenAPI document itself: served byte for byte as kept in the repository, a valid
 * OpenAPI 3.1 document in the essentials, and the public endpoints' answers match it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { startPlatform, describeViolations } from './lib.mjs';

let P;
before(async () => { P = await startPlatform('openapi'); });
after(async () => {
    if (!P) return;
    const r = await P.stop();
    assert.equal(r.code, 0, `puhui serve exited ${r.code ?? r.signal} on SIGTERM (log: ${r.serverLog})`);
});

test('GET /openapi.json is docs/openapi.json byte for byte', async () => {
    const res = await P.api('GET', '/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.contentType, /^application\/(json|vnd\.oai\.openapi\+json)/);
    const file = fs.readFileSync(path.join(P.env.sourceDir, 'docs', 'openapi.json'), 'utf8');
    assert.ok(res.body === file,
        `the served document (${res.body.length} bytes) differs from docs/openapi.json (${file.length} bytes): ` +
        'the binary embeds a stale copy');
});

test('the document is OpenAPI 3.1 in the essentials', () => {
    const doc = P.openapi.doc;
    assert.match(String(doc.openapi), /^3\.1\.\d+$/, 'openapi: "3.1.x"');
    assert.ok(doc.info && doc.info.title && doc.info.version, 'info.title and info.version');
    assert.deepEqual(P.openapi.unresolvedRefs(), [], 'every $ref resolves');
    const ids = new Map();
    const problems = [];
    for (const o of P.openapi.operations) {
        const name = `${o.method} ${o.template}`;
        if (!o.op.operationId) problems.push(`${name}: no operationId`);
        else if (ids.has(o.op.operationId)) problems.push(`${name}: operationId '${o.op.operationId}' also on ${ids.get(o.op.operationId)}`);
        else ids.set(o.op.operationId, name);
        const isPublic = Array.isArray(o.op.security) && o.op.security.length === 0;
        const hasAuthz = typeof o.op['x-resource'] === 'string' && typeof o.op['x-action'] === 'string';
        if (!isPublic && !hasAuthz) problems.push(`${name}: neither x-resource/x-action nor public (security: [])`);
        if (isPublic && hasAuthz) problems.push(`${name}: public (security: []) yet x-resource ${o.op['x-resource']}`);
        if (!o.op.responses || Object.keys(o.op.responses).length === 0) problems.push(`${name}: no responses`);
        for (const param of (o.template.match(/\{[^}]+\}/g) || [])) {
            const declared = [...(o.item.parameters || []), ...(o.op.parameters || [])]
                .map((p) => P.openapi.deref(p)).some((p) => p && p.in === 'path' && `{${p.name}}` === param);
            if (!declared) problems.push(`${name}: path parameter ${param} is not declared`);
        }
    }
    assert.deepEqual(problems, []);
});

test('the public endpoints answer without a key, with a request id', async () => {
    for (const p of ['/healthz', '/readyz', '/metrics']) {
        const res = await P.api('GET', p);
        assert.equal(res.status, 200, `GET ${p}: ${res.status} ${res.body.slice(0, 200)}`);
        assert.equal(res.headers.get('x-request-id'), res.requestId, `GET ${p} echoes X-Request-Id`);
    }
    const health = P.calls.find((c) => c.path === '/healthz');
    assert.deepEqual(health.json, { status: 'ok' });
    const metrics = P.calls.find((c) => c.path === '/metrics');
    assert.match(metrics.contentType, /^text\/plain/);
    assert.match(metrics.body, /^# (HELP|TYPE) /m, 'Prometheus text');
});

test('a request id the server cannot trust is replaced', async () => {
    const res = await P.api('GET', '/healthz', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    const id = res.headers.get('x-request-id');
    assert.ok(id && id !== 'bad id with spaces' && /^[A-Za-z0-9._-]{1,64}$/.test(id), `generated id, got '${id}'`);
});

test('every answer seen here matches docs/openapi.json', () => {
    assert.ok(P.calls.length > 0);
    assert.deepEqual(describeViolations(P.calls), []);
});
