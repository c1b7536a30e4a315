/*
 * The checker the suite trusts (openapi.mjs) must itself fail on what it is there to catch:
 * a wrong type, a bad format, an undocumented status, content type or operation, a shared
 * response reached through $ref, an unresolved $ref. A small document written here; no server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { OpenApi } from './openapi.mjs';

const doc = {
    openapi: '3.1.0',
    info: { title: 'checker', version: '1' },
    paths: {
        '/v1/loans/{id}': { get: {
            operationId: 'getLoan',
            responses: {
                200: { description: 'a loan', content: { 'application/json': { schema: { $ref: '#/components/schemas/Loan' } } } },
                404: { $ref: '#/components/responses/Problem404' },
            } } },
        '/v1/loans/{id}/schedule': { get: { operationId: 'getSchedule',
            responses: { default: { $ref: '#/components/responses/Problem404' } } } },
        '/metrics': { get: { operationId: 'metrics', security: [],
            responses: { 200: { description: 'text', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
    },
    components: {
        schemas: {
            Loan: { type: 'object', required: ['loan_id', 'amount', 'opened'], additionalProperties: false,
                    properties: { loan_id: { type: 'integer' }, amount: { type: 'string', pattern: '^-?[0-9]+\\.[0-9]{2}$' },
                                  opened: { type: 'string', format: 'date' } } },
            Problem: { type: 'object', required: ['type', 'status'], properties: { type: { type: 'string' }, status: { type: 'integer' } } },
        },
        responses: { Problem404: { description: 'not found', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
    },
};
const api = new OpenApi(doc, JSON.stringify(doc));
const check = (method, path, status, contentType, body) => api.checkResponse({ method, path, status, contentType, body });
const LOAN = '{"loan_id":1,"amount":"300000.00","opened":"2025-12-31"}';

test('a conforming answer passes', () => {
    assert.deepEqual(check('GET', '/v1/loans/1', 200, 'application/json; charset=utf-8', LOAN), []);
    assert.deepEqual(check('GET', '/v1/loans/1?x=1', 404, 'application/problem+json', '{"type":"urn:x","status":404}'), []);
    assert.deepEqual(check('GET', '/v1/loans/1/schedule', 503, 'application/problem+json', '{"type":"urn:x","status":503}'), []);
    assert.deepEqual(check('GET', '/metrics', 200, 'text/plain; version=0.0.4', '# TYPE x counter\n'), []);
});

test('wrong types, formats, patterns and members fail', () => {
    assert.equal(check('GET', '/v1/loans/1', 200, 'application/json', '{"loan_id":"1","amount":"300000.00","opened":"2025-12-31"}').length, 1);
    assert.equal(check('GET', '/v1/loans/1', 200, 'application/json', '{"loan_id":1,"amount":300000,"opened":"2025-12-31"}').length, 1);
    assert.equal(check('GET', '/v1/loans/1', 200, 'application/json', '{"loan_id":1,"amount":"300000.00","opened":"2025-02-30"}').length, 1);
    assert.equal(check('GET', '/v1/loans/1', 200, 'application/json', '{"loan_id":1,"amount":"300000.00","opened":"2025-12-31","x":1}').length, 1);
    assert.equal(check('GET', '/v1/loans/1', 404, 'application/problem+json', '{"status":404}').length, 1);
    assert.equal(check('GET', '/v1/loans/1', 200, 'application/json', '{"loan_id":').length, 1);
});

test('what the document does not describe fails', () => {
    assert.match(check('GET', '/v1/loans/1', 500, 'application/json', '{}')[0], /status 500 is not documented/);
    assert.match(check('GET', '/v1/loans/1', 404, 'text/html', '<h1>404</h1>')[0], /content type 'text\/html' is not documented/);
    assert.match(check('POST', '/v1/loans/1', 200, 'application/json', '{}')[0], /no operation POST/);
    assert.match(check('GET', '/v1/nothing', 200, 'application/json', '{}')[0], /no operation GET/);
});

test('unresolved references are found', () => {
    const broken = structuredClone(doc);
    broken.paths['/v1/loans/{id}'].get.responses[200].content['application/json'].schema.$ref = '#/components/schemas/Lone';
    assert.deepEqual(new OpenApi(broken, '').unresolvedRefs(),
        ["#/paths/~1v1~1loans~1{id}/get/responses/200/content/application~1json/schema: $ref '#/components/schemas/Lone'"]);
    assert.deepEqual(api.unresolvedRefs(), []);
});

test('a shared response reached through a chain of $refs is checked by its schema', () => {
    const chained = structuredClone(doc);
    chained.components.responses.Problem409 = { $ref: '#/components/responses/Problem404' };
    chained.paths['/v1/loans/{id}'].get.responses[409] = { $ref: '#/components/responses/Problem409' };
    const api2 = new OpenApi(chained, '');
    assert.deepEqual(api2.checkResponse({ method: 'GET', path: '/v1/loans/1', status: 409,
        contentType: 'application/problem+json', body: '{"type":"urn:x","status":409}' }), []);
    assert.equal(api2.checkResponse({ method: 'GET', path: '/v1/loans/1', status: 409,
        contentType: 'application/problem+json', body: '{"type":7,"status":409}' }).length, 1);
});
