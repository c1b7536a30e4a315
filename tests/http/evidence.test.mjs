/*
 * The evidence log over HTTP, as a firm on a phone would use it: fetch the signed checkpoint and
 * the verifier key (public, no key), fetch the proof bundle of a voucher part it holds (with its
 * key), and check the bundle offline with `puhui evidence verify` against those two files alone.
 * Also: a lender's financed part, a tampered bundle that fails, another tenant's part answered
 * as a missing one, a new event not yet covered by a checkpoint (409) that the next checkpoint
 * covers - signed by the CLI while the server runs, since the server never takes the writer's
 * lock - and every answer checked against docs/openapi.json.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { startPlatform, describeViolations, puhuiCli } from './lib.mjs';

let P;
let firmKey;
before(async () => {
    P = await startPlatform('evidence');
    firmKey = puhuiCli(P.env.bin, P.db, ['key', 'create', '--role', 'enterprise', '--tenant', P.ids.VFIRM_A,
                                         '--label', 'http tests: voucher holder']).trim();
});
after(async () => {
    if (!P) return;
    const r = await P.stop();
    assert.equal(r.code, 0, `puhui serve exited ${r.code ?? r.signal} on SIGTERM (log: ${r.serverLog})`);
});

/* `puhui evidence verify` on files written from the texts: { status, stdout, stderr }. */
function verify(name, { bundle, checkpoint, key }) {
    const dir = fs.mkdtempSync(path.join(P.dir, `verify-${name}-`));
    const files = { bundle: path.join(dir, 'bundle.json'), checkpoint: path.join(dir, 'checkpoint'), key: path.join(dir, 'log.vkey') };
    fs.writeFileSync(files.bundle, bundle);
    fs.writeFileSync(files.checkpoint, checkpoint);
    fs.writeFileSync(files.key, key);
    /* offline: no --db, no log; the three files alone */
    const r = spawnSync(P.env.bin, ['evidence', 'verify', '--bundle', files.bundle, '--checkpoint', files.checkpoint,
                                    '--key', files.key], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const leavesOf = (bundle) => bundle.leaves.map((l) => Buffer.from(l.data, 'base64').toString('utf8'));

test('the checkpoint and the verifier key are public, as the log wrote them', async () => {
    const cp = await P.api('GET', '/v1/evidence/checkpoint');
    assert.equal(cp.status, 200, cp.body);
    assert.match(cp.contentType, /^text\/plain/);
    assert.equal(cp.body, fs.readFileSync(P.db + '.evidence/checkpoint', 'utf8'));
    assert.match(cp.body, /^puhui\.local\/evidence\n[1-9][0-9]*\n[A-Za-z0-9+/]{43}=\n\n\u2014 /);
    const key = await P.api('GET', '/v1/evidence/key');
    assert.equal(key.status, 200, key.body);
    assert.equal(key.body, fs.readFileSync(P.db + '.evidence/log.vkey', 'utf8'));
    /* HEAD as GET, without a body */
    const head = await fetch(P.base + '/v1/evidence/checkpoint', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('content-length')), Buffer.byteLength(cp.body));
    /* a key is not needed, and a revoked one changes nothing */
    const withKey = await P.api('GET', '/v1/evidence/key', { key: P.keys.revoked });
    assert.equal(withKey.status, 200);
});

test('a firm lists its parts and proves one; the bundle verifies offline against what HTTP gave', async () => {
    const list = await P.api('GET', '/v1/vouchers', { key: firmKey });
    assert.equal(list.status, 200, list.body);
    assert.deepEqual(list.json.items.map((v) => v.voucher_id), [P.ids.VOUCHER_A]);
    assert.equal(list.json.items[0].financing.lender, P.ids.LENDER_A);

    const proof = await P.api('GET', `/v1/vouchers/${P.ids.VOUCHER_A}/proof`, { key: firmKey });
    assert.equal(proof.status, 200, proof.body);
    assert.match(proof.contentType, /^application\/json/);
    const checkpoint = (await P.api('GET', '/v1/evidence/checkpoint')).body;
    const key = (await P.api('GET', '/v1/evidence/key')).body;
    const ok = verify('firm', { bundle: proof.body, checkpoint, key });
    assert.equal(ok.status, 0, `verify: ${ok.stdout}${ok.stderr}`);
    assert.match(ok.stdout, /^verified: 3 leaves are in the log puhui\.local\/evidence at tree size \d+/);
    assert.equal(proof.json.tree_size, Number(checkpoint.split('\n')[1]));
    /* the chain of title: the issue, the split, this part's financing - not the sibling's transfer */
    const leaves = leavesOf(proof.json);
    assert.deepEqual(leaves.map((l) => JSON.parse(l).type), ['voucher.issue', 'voucher.split', 'voucher.finance']);
    assert.ok(!leaves.some((l) => l.includes(P.ids.VFIRM_B)), 'the other firm is not in this firm\'s bundle');

    /* one byte of a leaf changed: the same checkpoint and key refuse it (exit code 3) */
    const forged = structuredClone(proof.json);
    const bytes = Buffer.from(forged.leaves[2].data, 'base64');
    forged.leaves[2].data = Buffer.from(bytes.toString('utf8').replace('"amount":"', '"amount":"9')).toString('base64');
    const bad = verify('forged', { bundle: JSON.stringify(forged), checkpoint, key });
    assert.equal(bad.status, 3, `verify of a forged bundle: ${bad.stdout}${bad.stderr}`);
    /* and a checkpoint signed by someone else's key proves nothing */
    const otherKey = key.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    assert.notEqual(verify('otherkey', { bundle: proof.body, checkpoint, key: otherKey }).status, 0);
});

test('a lender proves the part it financed, with the transfer that brought it to its holder', async () => {
    const list = await P.api('GET', '/v1/vouchers', { key: P.keys.institutionB });
    assert.equal(list.status, 200, list.body);
    assert.deepEqual(list.json.items.map((v) => v.voucher_id), [P.ids.VOUCHER_B]);
    const proof = await P.api('GET', `/v1/vouchers/${P.ids.VOUCHER_B}/proof`, { key: P.keys.institutionB });
    assert.equal(proof.status, 200, proof.body);
    const ok = verify('lender', { bundle: proof.body, checkpoint: (await P.api('GET', '/v1/evidence/checkpoint')).body,
                                  key: (await P.api('GET', '/v1/evidence/key')).body });
    assert.equal(ok.status, 0, `verify: ${ok.stdout}${ok.stderr}`);
    assert.deepEqual(leavesOf(proof.json).map((l) => JSON.parse(l).type),
                     ['voucher.issue', 'voucher.split', 'voucher.transfer', 'voucher.finance']);
});

test('another tenant\'s part answers as a missing one; the regulator has no voucher row', async () => {
    const missing = await P.api('GET', '/v1/vouchers/V999999/proof', { key: firmKey });
    const foreign = await P.api('GET', `/v1/vouchers/${P.ids.VOUCHER_B}/proof`, { key: firmKey });
    assert.equal(missing.status, 404);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.json.detail.replaceAll(P.ids.VOUCHER_B, 'N'), missing.json.detail.replaceAll('V999999', 'N'));
    const lender = await P.api('GET', `/v1/vouchers/${P.ids.VOUCHER_B}/proof`, { key: P.keys.institutionA });
    assert.equal(lender.status, 404);
    for (const p of ['/v1/vouchers', `/v1/vouchers/${P.ids.VOUCHER_A}/proof`]) {
        const r = await P.api('GET', p, { key: P.keys.regulator });
        assert.equal(r.status, 403, `regulator ${p}: ${r.body}`);
    }
});

test('an event after the last checkpoint waits for the next one (409), signed while the server runs', async () => {
    /* a new part for the firm, recorded by the CLI beside the running server: the server holds no lock */
    const core = (await P.api('GET', '/v1/vouchers', { key: firmKey })).json.items[0].issuer;
    const issued = puhuiCli(P.env.bin, P.db, ['voucher', 'issue', '--issuer', core, '--to', P.ids.VFIRM_A, '--amount', '5000',
                                              '--maturity', '2026-06-30', '--on', '2025-12-20']);
    const id = /issued (\S+):/.exec(issued)[1];
    const waiting = await P.api('GET', `/v1/vouchers/${id}/proof`, { key: firmKey });
    assert.equal(waiting.status, 409, waiting.body);
    assert.equal(waiting.json.type, 'urn:puhui:problem:conflict');
    assert.match(waiting.json.detail, /sign a newer checkpoint/);
    const before = (await P.api('GET', '/v1/evidence/checkpoint')).body;
    puhuiCli(P.env.bin, P.db, ['evidence', 'checkpoint']);
    const checkpoint = (await P.api('GET', '/v1/evidence/checkpoint')).body;
    assert.ok(Number(checkpoint.split('\n')[1]) > Number(before.split('\n')[1]), 'a larger tree');
    const proof = await P.api('GET', `/v1/vouchers/${id}/proof`, { key: firmKey });
    assert.equal(proof.status, 200, proof.body);
    const ok = verify('new', { bundle: proof.body, checkpoint, key: (await P.api('GET', '/v1/evidence/key')).body });
    assert.equal(ok.status, 0, `verify: ${ok.stdout}${ok.stderr}`);
    /* the older part's proof now leads to the new checkpoint too */
    const older = await P.api('GET', `/v1/vouchers/${P.ids.VOUCHER_A}/proof`, { key: firmKey });
    assert.equal(older.json.tree_size, Number(checkpoint.split('\n')[1]));
});

test('every answer seen here matches docs/openapi.json', () => {
    assert.ok(P.calls.length > 0);
    assert.deepEqual(describeViolations(P.calls), []);
});
