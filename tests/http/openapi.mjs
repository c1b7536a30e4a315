/*
 * Checks answers against docs/openapi.json: the operation by method and path template, the
 * response by status (then "4XX"-style ranges, then "default"), the schema by content type,
 * validated with ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) and ajv-formats.
 * An answer whose operation, status or content type the document does not describe is a
 * violation, like one that does not match its schema.
 */
import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DOC_ID = 'urn:puhui:openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/* JSON pointer escape of one token. */
export const pointerToken = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

/* Resolve a local reference "#/a/b" in doc; undefined when it does not resolve. */
export function resolvePointer(doc, ref) {
    if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
    if (ref === '#') return doc;
    if (!ref.startsWith('#/')) return undefined;
    let node = doc;
    for (const raw of ref.slice(2).split('/')) {
        const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
        if (node === null || typeof node !== 'object' || !(token in node)) return undefined;
        node = node[token];
    }
    return node;
}

/* The media type without parameters, lower case. */
const mediaType = (ct) => (ct || '').split(';')[0].trim().toLowerCase();
const isJsonMedia = (mt) => mt === 'application/json' || mt.endsWith('+json');

export class OpenApi {
    static load(file) {
        const text = fs.readFileSync(file, 'utf8');
        return new OpenApi(JSON.parse(text), text);
    }

    constructor(doc, text) {
        this.doc = doc;
        this.text = text;
        this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
        addFormats(this.ajv);
        /* The document as one schema resource, so that "#/components/schemas/X" inside any
         * schema resolves against it; each response schema is compiled by its pointer. */
        this.ajv.addSchema({ ...doc, $id: DOC_ID });
        this.compiled = new Map();
        this.operations = [];
        for (const [template, item] of Object.entries(doc.paths || {})) {
            const segments = template.split('/');
            const literal = segments.filter((s) => !/^\{.*\}$/.test(s)).length;
            const re = new RegExp('^' + segments.map((s) => (/^\{.*\}$/.test(s) ? '[^/]+' : escapeRe(s))).join('/') + '$');
            for (const method of METHODS) {
                if (item[method]) {
                    this.operations.push({ method: method.toUpperCase(), template, re, literal, op: item[method], item });
                }
            }
        }
    }

    /* Follow a $ref chain of a non-schema object (a response, a parameter). */
    deref(obj) {
        let seen = 0;
        while (obj && typeof obj === 'object' && typeof obj.$ref === 'string') {
            if (++seen > 16) return undefined;
            obj = resolvePointer(this.doc, obj.$ref);
        }
        return obj;
    }

    /* The operation a request reaches: the template that matches with the most literal segments. */
    findOperation(method, urlPath) {
        const p = urlPath.split('?')[0].split('#')[0];
        let best = null;
        for (const o of this.operations) {
            if (o.method === method.toUpperCase() && o.re.test(p) && (!best || o.literal > best.literal)) best = o;
        }
        return best;
    }

    /* The violations (strings; [] when none) of one answer. */
    checkResponse({ method, path: urlPath, status, contentType, body }) {
        const o = this.findOperation(method, urlPath);
        if (!o) return [`no operation ${method} for ${urlPath.split('?')[0]} in docs/openapi.json`];
        const responses = o.op.responses || {};
        const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
        if (!key) return [`${method} ${o.template}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
        const response = this.deref(responses[key]);
        if (!response) return [`${method} ${o.template} ${key}: the response's $ref does not resolve`];
        const content = response.content || {};
        const mt = mediaType(contentType);
        if (Object.keys(content).length === 0) {
            return body && body.length ? [`${method} ${o.template} ${status}: a body of ${mt}, but the document says none`] : [];
        }
        const docMt = Object.keys(content).find((k) => k.toLowerCase() === mt)
            ?? Object.keys(content).find((k) => k.endsWith('/*') && mt.startsWith(k.slice(0, -1)))
            ?? (content['*/*'] ? '*/*' : undefined);
        if (!docMt) return [`${method} ${o.template} ${status}: content type '${contentType}' is not documented (documented: ${Object.keys(content).join(', ')})`];
        const schema = content[docMt].schema;
        if (!schema) return [];
        let value = body;
        if (isJsonMedia(mt)) {
            try { value = JSON.parse(body); } catch (e) { return [`${method} ${o.template} ${status}: the body is not JSON (${e.message})`]; }
        }
        const pointer = ['paths', o.template, o.method.toLowerCase(), 'responses', key].map(pointerToken).join('/');
        /* a shared response (a $ref chain): compile it once, by the pointer of the chain's end */
        let responsePointer = pointer;
        for (let r = responses[key], hops = 0; r && typeof r.$ref === 'string' && hops < 16; hops++) {
            responsePointer = r.$ref.slice(2);
            r = resolvePointer(this.doc, r.$ref);
        }
        const ref = `${DOC_ID}#/${responsePointer}/content/${pointerToken(docMt)}/schema`;
        let validate = this.compiled.get(ref);
        if (!validate) {
            try { validate = this.ajv.compile({ $ref: ref }); } catch (e) { return [`${ref}: the schema does not compile: ${e.message}`]; }
            this.compiled.set(ref, validate);
        }
        if (validate(value)) return [];
        return validate.errors.map((e) => `${o.method} ${o.template} ${status}: ${e.instancePath || '(body)'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
    }

    /* Every local $ref in the document that does not resolve (and every non-local one). */
    unresolvedRefs() {
        const bad = [];
        const walk = (node, where) => {
            if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${where}/${i}`));
            else if (node && typeof node === 'object') {
                for (const [k, v] of Object.entries(node)) {
                    if (k === '$ref' && typeof v === 'string') {
                        if (resolvePointer(this.doc, v) === undefined) bad.push(`${where}: $ref '${v}'`);
                    } else walk(v, `${where}/${pointerToken(k)}`);
                }
            }
        };
        walk(this.doc, '#');
        return bad;
    }
}

function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
