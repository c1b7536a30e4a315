/*
 * The HTTP test suite's harness: a real `puhui serve` on a copy of the test platform's
 * database, API keys for every role made with the real CLI, and a fetch wrapper that records
 * every answer and checks it against docs/openapi.json (openapi.mjs).
 *
 * How to run the suite:
 *   sh scripts/bootstrap.sh                       # node, npm ci (ajv, ajv-formats, ...)
 *   cmake -S . -B build && cmake --build build -j2
 *   ctest --test-dir build -R '^(platform|http_)' --output-on-failure
 * ctest runs the fixture `platform` first (tests/http/platform.sh builds
 * build/tests/platform/platform.db and platform.env, ~30 s), then each tests/http/NAME.test.mjs
 * as `http_NAME` through tests/http/run.sh (skipped, exit 77, without node or node_modules).
 * By hand, once the platform exists:
 *   PUHUI_BIN=build/puhui PUHUI_TEST_PLATFORM_DIR=build/tests/platform PUHUI_SOURCE_DIR=. \
 *     node --test tests/http/matrix.test.mjs
 * PUHUI_TEST_KEEP=1 keeps the scratch directory (the db copy, the access and server logs).
 * Every file starts its own server on a free port and its own copy of the db, so files run in
 * parallel (ctest -j) and mutations in one never reach another.
 */
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { OpenApi } from './openapi.mjs';

/* The environment ctest gives (CMakeLists.txt, http_<name>). */
export function suiteEnv() {
    const need = (name) => {
        const v = process.env[name];
        if (!v) throw new Error(`${name} is not set: run through ctest (see the top of tests/http/lib.mjs)`);
        return v;
    };
    return {
        bin: path.resolve(need('PUHUI_BIN')),
        platformDir: path.resolve(need('PUHUI_TEST_PLATFORM_DIR')),
        sourceDir: path.resolve(process.env.PUHUI_SOURCE_DIR || path.join(import.meta.dirname ?? '.', '..', '..')),
        tmpRoot: process.env.PUHUI_TEST_TMP || os.tmpdir(),
    };
}

/* platform.env: shell NAME=value lines (values possibly quoted). */
export function readPlatformEnv(file) {
    const ids = {};
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
        if (!m) continue;
        let v = m[2].trim();
        if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
        ids[m[1]] = v;
    }
    return ids;
}

async function freePort() {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const { port } = srv.address();
    srv.close();
    await once(srv, 'close');
    return port;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Run the CLI on the db; stdout as text (throws with stderr on a non-zero exit). */
export function puhuiCli(bin, db, args) {
    try {
        return execFileSync(bin, ['--db', db, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
        throw new Error(`puhui ${args.join(' ')} exited ${e.status}: ${e.stderr}`);
    }
}

/* The key text's id: phk_<id>_<64 hex>. */
export function keyId(key) {
    const m = /^phk_(\d+)_[0-9a-f]{64}$/.exec(key);
    if (!m) throw new Error(`'${key}' is not a key (phk_<id>_<64 hex>)`);
    return m[1];
}

/*
 * Start a platform: copy the db, create the keys, start `puhui serve`, wait for /readyz.
 * Returns { base, ids, keys, db, accessLog, api, calls, openapi, stop }.
 *   keys: { enterpriseA, enterpriseB, institutionA, institutionB, regulator, admin, revoked }
 *   api(method, path, { key, body, raw, headers }) -> { status, headers, contentType, text, json,
 *       requestId, route } and records the answer in `calls` (checked against the document).
 */
export async function startPlatform(name, { extraArgs = [] } = {}) {
    const env = suiteEnv();
    const ids = readPlatformEnv(path.join(env.platformDir, 'platform.env'));
    fs.mkdirSync(env.tmpRoot, { recursive: true });
    const dir = fs.mkdtempSync(path.join(env.tmpRoot, `http-${name}-`));
    const db = path.join(dir, 'platform.db');
    for (const suffix of ['', '-wal']) {
        const from = path.join(env.platformDir, 'platform.db' + suffix);
        if (fs.existsSync(from)) fs.copyFileSync(from, db + suffix);
    }
    /* the evidence log beside it (the server publishes <db>.evidence, read-only) */
    const evidence = path.join(env.platformDir, 'platform.db.evidence');
    if (fs.existsSync(evidence)) fs.cpSync(evidence, db + '.evidence', { recursive: true });

    const keyFor = (role, tenant, label) => {
        const args = ['key', 'create', '--role', role, '--label', label];
        if (tenant) args.push('--tenant', tenant);
        return puhuiCli(env.bin, db, args).trim();
    };
    const keys = {
        enterpriseA: keyFor('enterprise', ids.FIRM_A, 'http tests: firm A'),
        enterpriseB: keyFor('enterprise', ids.FIRM_B, 'http tests: firm B'),
        institutionA: keyFor('institution', ids.LENDER_A, 'http tests: lender A'),
        institutionB: keyFor('institution', ids.LENDER_B, 'http tests: lender B'),
        regulator: keyFor('regulator', ids.REGULATOR || '', 'http tests: regulator'),
        admin: keyFor('admin', '', 'http tests: admin'),
        revoked: keyFor('admin', '', 'http tests: revoked admin'),
    };
    puhuiCli(env.bin, db, ['key', 'revoke', keyId(keys.revoked)]);

    const openapi = OpenApi.load(path.join(env.sourceDir, 'docs', 'openapi.json'));
    const accessLog = path.join(dir, 'access.log');
    const serverLog = path.join(dir, 'server.log');
    let port, child, exited, out;
    for (let attempt = 0; ; attempt++) {
        port = await freePort();
        out = fs.openSync(serverLog, 'a');
        child = spawn(env.bin, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`, '--access-log', accessLog,
                                ...extraArgs], { stdio: ['ignore', out, out] });
        exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
        const base = `http://127.0.0.1:${port}`;
        const ready = await waitReady(base, exited);
        if (ready === true) break;
        fs.closeSync(out);
        if (attempt >= 2) {
            throw new Error(`puhui serve did not become ready (${ready}); its log:\n` + fs.readFileSync(serverLog, 'utf8'));
        }
    }
    const base = `http://127.0.0.1:${port}`;
    const calls = [];
    let seq = 0;

    async function api(method, urlPath, { key, body, raw, headers = {} } = {}) {
        const requestId = `t-${name}-${++seq}-${randomBytes(3).toString('hex')}`;
        const h = { 'X-Request-Id': requestId, ...headers };
        if (key) h.Authorization = `Bearer ${key}`;
        let payload;
        if (raw !== undefined) payload = raw;
        else if (body !== undefined) payload = JSON.stringify(body);
        if (payload !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type'))
            h['Content-Type'] = 'application/json';
        const res = await fetch(base + urlPath, { method, headers: h, body: payload });
        const text = await res.text();
        const contentType = res.headers.get('content-type') || '';
        let json;
        if (/json/.test(contentType)) {
            try { json = JSON.parse(text); } catch { json = undefined; }
        }
        const op = openapi.findOperation(method, urlPath);
        const call = {
            method, path: urlPath, route: op ? op.template : null, status: res.status, contentType,
            body: text, json, requestId, headers: res.headers, sentKey: key,
            violations: openapi.checkResponse({ method, path: urlPath, status: res.status, contentType, body: text }),
        };
        calls.push(call);
        return call;
    }

    async function stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        let timer;
        const timeout = new Promise((resolve) => {
            timer = setTimeout(() => resolve({ code: null, signal: 'timeout' }), 20000);
        });
        const result = await Promise.race([exited, timeout]);
        clearTimeout(timer); /* else the pending timer holds node for 20 s */
        if (result.signal === 'timeout') child.kill('SIGKILL');
        fs.closeSync(out);
        /* the log is read before the scratch directory goes, for the checks that follow */
        loggedAtStop = readAccessLog();
        if (!process.env.PUHUI_TEST_KEEP && result.code === 0) fs.rmSync(dir, { recursive: true, force: true });
        return { ...result, serverLog, dir };
    }

    let loggedAtStop = null;
    function readAccessLog() {
        if (!fs.existsSync(accessLog)) throw new Error(`no access log at ${accessLog}`);
        return fs.readFileSync(accessLog, 'utf8').split('\n').filter(Boolean).map((l) => {
            try { return JSON.parse(l); } catch { return { unparsed: l }; }
        });
    }
    /* The access log's JSON lines, parsed (bad lines are kept as { unparsed }); after stop(),
     * the lines as they were when the server had exited. */
    const accessLines = () => loggedAtStop ?? readAccessLog();

    /* tenants of keys made later (name -> tenant), beside the fixed ones above */
    const tenants = {};
    return { base, ids, keys, tenants, db, dir, accessLog, serverLog, api, calls, openapi, stop, accessLines, env };
}

async function waitReady(base, exited) {
    const deadline = Date.now() + 60000; /* an ASan build opens slowly */
    let last = 'no answer';
    let gone = null;
    exited.then((r) => { gone = r; });
    while (Date.now() < deadline) {
        if (gone) return `exited with ${gone.code ?? gone.signal}`;
        try {
            const res = await fetch(base + '/readyz');
            await res.text();
            if (res.status === 200) return true;
            last = `GET /readyz answered ${res.status}`;
        } catch (e) {
            last = e.cause?.code || e.message;
        }
        await sleep(100);
    }
    return last;
}

/* The calls whose answers the document does not describe, one line per operation, status and
 * fault (with how often and one example), so that a long run's failure stays readable. */
export function describeViolations(calls) {
    const groups = new Map();
    for (const c of calls) {
        for (const v of c.violations) {
            const key = `${c.method} ${c.route ?? c.path.split('?')[0]} -> ${c.status}: ${v}`;
            const g = groups.get(key) ?? { n: 0, example: c };
            g.n++;
            groups.set(key, g);
        }
    }
    return [...groups].map(([key, g]) => `${key} (x${g.n}; e.g. ${g.example.path}: ${g.example.body.slice(0, 160)})`);
}

/* Every string value in a JSON value (for "no other tenant's id in the body"). */
export function jsonStrings(value, out = []) {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => jsonStrings(v, out));
    else if (value && typeof value === 'object') Object.values(value).forEach((v) => jsonStrings(v, out));
    return out;
}

/* Every (member, value) pair of objects in a JSON value, at any depth. */
export function jsonMembers(value, out = []) {
    if (Array.isArray(value)) value.forEach((v) => jsonMembers(v, out));
    else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
            out.push([k, v]);
            jsonMembers(v, out);
        }
    }
    return out;
}

/* Row count of a table in the db (sqlite3 CLI): for "nothing is stored". */
export function rowCount(db, table) {
    const text = execFileSync('sqlite3', [db, `SELECT count(*) FROM ${table};`], { encoding: 'utf8' });
    return Number(text.trim());
}
