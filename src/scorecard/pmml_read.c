/*
 * Reading a PMML 4.x Scorecard: ours, or any other tool's.
 *
 * libxml2 parses the whole document into a tree (a scorecard is small)
 * with no network access, no entity substitution and no DTD loading, and a
 * document with a DOCTYPE is refused outright, so a model file cannot make
 * the reader fetch or expand anything (XXE, "billion laughs"). Its error
 * messages go to a handler on our own parser context, never to stderr, and
 * the first one becomes ours, with its line and column.
 *
 * Then: the DataDictionary (which fields exist and their kinds), the
 * MiningSchema (which is the target), the Scorecard's attributes, and the
 * characteristics, whose predicates pmml_predicate.c turns into attributes.
 * A numeric characteristic must cover every number (pmml_coverage.c).
 * Every error names the source, the element's line and what is wrong.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "pmml_internal.h"

/* ---- helpers shared with the other PMML files ------------------------------- */

ph_status pmml_fail(pmml_reader *r, const xmlNode *node, ph_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(r->err, code, NULL, NULL, 0, fmt, ap);
    va_end(ap);
    long line = node ? xmlGetLineNo(node) : 0;
    ph_error_locate(r->err, r->source, line > 0 ? (uint64_t)line : 0, 0);
    return code;
}

/* Keep `s` (from libxml2) until the end; NULL and r->oom when we cannot. */
static const char *pool(pmml_reader *r, xmlChar *s)
{
    if (!s)
        return NULL;
    if (r->n_pool == r->cap_pool) {
        size_t cap = r->cap_pool ? r->cap_pool * 2 : 64;
        xmlChar **p = ph_realloc(r->ctx, r->pool, cap * sizeof(*p));
        if (!p) {
            xmlFree(s);
            r->oom = 1;
            return NULL;
        }
        r->pool = p;
        r->cap_pool = cap;
    }
    r->pool[r->n_pool++] = s;
    return (const char *)s;
}

const char *pmml_attr(pmml_reader *r, const xmlNode *node, const char *name)
{
    if (!xmlHasProp(node, (const xmlChar *)name))
        return NULL;
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!v)
        r->oom = 1;
    return pool(r, v);
}

const char *pmml_text(pmml_reader *r, const xmlNode *node)
{
    xmlChar *v = xmlNodeGetContent(node);
    if (!v)
        v = xmlStrdup((const xmlChar *)"");
    if (!v)
        r->oom = 1;
    return pool(r, v);
}

int pmml_is(const xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE &&
           strcmp((const char *)node->name, name) == 0;
}

const pmml_field *pmml_field_find(const pmml_reader *r, const char *name)
{
    for (size_t i = 0; i < r->n_fields; i++) {
        if (strcmp(r->fields[i].name, name) == 0)
            return &r->fields[i];
    }
    return NULL;
}

ph_status pmml_number(pmml_reader *r, const xmlNode *node, const char *attr_name,
                      const char *text, double *out)
{
    char *end;
    double v = text ? strtod(text, &end) : 0;
    if (!text || end == text || *end != '\0' || isnan(v))
        return pmml_fail(r, node, PH_EINVAL, "%s: %s '%s' is not a number",
                         (const char *)node->name, attr_name, text ? text : "");
    *out = v;
    return PH_OK;
}

/* An optional number attribute: *out keeps its value when absent. */
static ph_status number_attr(pmml_reader *r, const xmlNode *node, const char *name, double *out)
{
    const char *text = pmml_attr(r, node, name);
    return text ? pmml_number(r, node, name, text, out) : PH_OK;
}

static ph_status count_attr(pmml_reader *r, const xmlNode *node, const char *name, uint64_t *out)
{
    const char *text = pmml_attr(r, node, name);
    if (!text)
        return PH_OK;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || v > UINT64_MAX)
        return pmml_fail(r, node, PH_EINVAL, "%s: %s '%s' is not a count",
                         (const char *)node->name, name, text);
    *out = (uint64_t)v;
    return PH_OK;
}

/* An xs:boolean attribute, `dflt` when absent. */
static ph_status bool_attr(pmml_reader *r, const xmlNode *node, const char *name, int dflt,
                           int *out)
{
    const char *text = pmml_attr(r, node, name);
    if (!text)
        *out = dflt;
    else if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
        *out = 1;
    else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
        *out = 0;
    else
        return pmml_fail(r, node, PH_EINVAL, "%s: %s '%s', expected true or false",
                         (const char *)node->name, name, text);
    return PH_OK;
}

static const xmlNode *child(const xmlNode *node, const char *name)
{
    for (const xmlNode *c = node ? node->children : NULL; c; c = c->next) {
        if (pmml_is(c, name))
            return c;
    }
    return NULL;
}

/* The first element inside puhui's <Extension name="NAME">, or NULL. */
static const xmlNode *puhui_extension(pmml_reader *r, const xmlNode *node, const char *name)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        const char *n = pmml_is(c, "Extension") ? pmml_attr(r, c, "name") : NULL;
        if (n && strcmp(n, name) == 0) {
            for (const xmlNode *e = c->children; e; e = e->next) {
                if (e->type == XML_ELEMENT_NODE)
                    return e;
            }
        }
    }
    return NULL;
}

/* ---- the DataDictionary and the MiningSchema ----------------------------------- */

static int is_one_of(const char *s, const char *a, const char *b)
{
    return s && (strcmp(s, a) == 0 || strcmp(s, b) == 0);
}

static ph_status read_values(pmml_reader *r, const xmlNode *df, pmml_field *f)
{
    size_t n = 0;
    for (const xmlNode *c = df->children; c; c = c->next)
        n += pmml_is(c, "Value");
    if (n == 0)
        return PH_OK;
    f->values = ph_calloc(r->ctx, n, sizeof(char *));
    if (!f->values)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    for (const xmlNode *c = df->children; c; c = c->next) {
        if (!pmml_is(c, "Value"))
            continue;
        const char *v = pmml_attr(r, c, "value");
        const char *property = pmml_attr(r, c, "property");
        if (!v)
            return pmml_fail(r, c, PH_EINVAL, "Value has no value attribute");
        /* Only valid values: "invalid" and "missing" ones are not levels. */
        if (!property || strcmp(property, "valid") == 0)
            f->values[f->n_values++] = v;
    }
    return PH_OK;
}

static ph_status read_data_dictionary(pmml_reader *r, const xmlNode *pmml)
{
    const xmlNode *dd = child(pmml, "DataDictionary");
    if (!dd)
        return pmml_fail(r, pmml, PH_EINVAL, "PMML has no DataDictionary");
    size_t n = 0;
    for (const xmlNode *c = dd->children; c; c = c->next)
        n += pmml_is(c, "DataField");
    r->fields = ph_calloc(r->ctx, n ? n : 1, sizeof(pmml_field));
    if (!r->fields)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    for (const xmlNode *c = dd->children; c; c = c->next) {
        if (!pmml_is(c, "DataField"))
            continue;
        const char *name = pmml_attr(r, c, "name");
        if (!name)
            return pmml_fail(r, c, PH_EINVAL, "DataField has no name");
        if (pmml_field_find(r, name))
            return pmml_fail(r, c, PH_EINVAL, "DataField '%s' is defined twice", name);
        const char *optype = pmml_attr(r, c, "optype");
        const char *type = pmml_attr(r, c, "dataType");
        pmml_field *f = &r->fields[r->n_fields++];
        f->name = name;
        f->categorical = optype ? is_one_of(optype, "categorical", "ordinal")
                                : is_one_of(type, "string", "boolean");
        f->integer = type && strcmp(type, "integer") == 0;
        ph_status st = read_values(r, c, f);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

static ph_status read_mining_schema(pmml_reader *r, const xmlNode *model, ph_scorecard *sc)
{
    const xmlNode *ms = child(model, "MiningSchema");
    if (!ms)
        return pmml_fail(r, model, PH_EINVAL, "Scorecard has no MiningSchema");
    for (const xmlNode *c = ms->children; c; c = c->next) {
        if (!pmml_is(c, "MiningField"))
            continue;
        const char *name = pmml_attr(r, c, "name");
        pmml_field *f = name ? (pmml_field *)pmml_field_find(r, name) : NULL;
        if (!f)
            return pmml_fail(r, c, PH_EINVAL, "MiningField: field '%s' is not in the "
                             "DataDictionary", name ? name : "");
        f->in_schema = 1;
        const char *usage = pmml_attr(r, c, "usageType");
        if (is_one_of(usage, "predicted", "target")) {
            f->predicted = 1;
            if (!sc->target && !(sc->target = ph_strdup(r->ctx, name)))
                return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
        }
    }
    return PH_OK;
}

/* ---- the Scorecard element ------------------------------------------------------ */

typedef enum baseline_method { BASELINE_OTHER, BASELINE_MAX, BASELINE_MIN } baseline_method;

typedef struct scorecard_defaults {
    int has_baseline;
    double baseline;
    baseline_method method;
    const char *method_name;
} scorecard_defaults;

static ph_status read_scorecard_attributes(pmml_reader *r, const xmlNode *model,
                                           ph_scorecard *sc, scorecard_defaults *d)
{
    const char *name = pmml_attr(r, model, "modelName");
    if (name && !(sc->name = ph_strdup(r->ctx, name)))
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    ph_status st = number_attr(r, model, "initialScore", &sc->initial_score);
    if (st == PH_OK)
        st = bool_attr(r, model, "useReasonCodes", 1, &sc->use_reason_codes);
    if (st != PH_OK)
        return st;
    const char *algorithm = pmml_attr(r, model, "reasonCodeAlgorithm");
    if (!algorithm || strcmp(algorithm, "pointsBelow") == 0)
        sc->reason_algorithm = PH_SC_POINTS_BELOW;
    else if (strcmp(algorithm, "pointsAbove") == 0)
        sc->reason_algorithm = PH_SC_POINTS_ABOVE;
    else
        return pmml_fail(r, model, PH_EINVAL, "Scorecard: reasonCodeAlgorithm '%s', expected "
                         "pointsBelow or pointsAbove", algorithm);
    const char *baseline = pmml_attr(r, model, "baselineScore");
    d->has_baseline = baseline != NULL;
    if (baseline && (st = pmml_number(r, model, "baselineScore", baseline, &d->baseline)) != PH_OK)
        return st;
    d->method_name = pmml_attr(r, model, "baselineMethod");
    d->method = !d->method_name ? BASELINE_OTHER
                : strcmp(d->method_name, "max") == 0 ? BASELINE_MAX
                : strcmp(d->method_name, "min") == 0 ? BASELINE_MIN : BASELINE_OTHER;
    if (!d->method_name)
        d->method_name = "other";
    return PH_OK;
}

static ph_status read_puhui_extensions(pmml_reader *r, const xmlNode *model, ph_scorecard *sc)
{
    ph_status st = PH_OK;
    const xmlNode *scale = puhui_extension(r, model, "puhui-scale");
    if (scale) {
        sc->has_scale = 1;
        sc->base_points = NAN, sc->base_odds = NAN, sc->pdo = NAN;
        if ((st = number_attr(r, scale, "basePoints", &sc->base_points)) == PH_OK &&
            (st = number_attr(r, scale, "baseOdds", &sc->base_odds)) == PH_OK)
            st = number_attr(r, scale, "pdo", &sc->pdo);
        if (st == PH_OK && !(isfinite(sc->base_points) && sc->base_odds > 0 &&
                             isfinite(sc->base_odds) && sc->pdo > 0 && isfinite(sc->pdo)))
            return pmml_fail(r, scale, PH_EINVAL, "puhui-scale: expected basePoints, "
                             "baseOdds > 0 and pdo > 0, all finite");
    }
    const xmlNode *train = puhui_extension(r, model, "puhui-training");
    if (st == PH_OK && train && (st = count_attr(r, train, "rows", &sc->train_rows)) == PH_OK &&
        (st = count_attr(r, train, "bads", &sc->train_bads)) == PH_OK)
        st = number_attr(r, train, "intercept", &sc->intercept);
    return st;
}

/* ---- characteristics --------------------------------------------------------------- */

static ph_status grow_attributes(pmml_reader *r, ph_sc_characteristic *c, size_t more)
{
    ph_sc_attribute *v = ph_realloc(r->ctx, c->attributes,
                                    (c->n_attributes + more) * sizeof(*v));
    if (!v)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    memset(v + c->n_attributes, 0, more * sizeof(*v));
    c->attributes = v;
    return PH_OK;
}

static const xmlNode *predicate_of(const xmlNode *attribute)
{
    static const char *const names[] = {"SimplePredicate", "CompoundPredicate",
                                        "SimpleSetPredicate", "True", "False"};
    for (const xmlNode *c = attribute->children; c; c = c->next) {
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            if (pmml_is(c, names[i]))
                return c;
        }
        if (c->type == XML_ELEMENT_NODE && !pmml_is(c, "Extension") &&
            !pmml_is(c, "ComplexPartialScore"))
            return c; /* pmml_predicate names it as unsupported */
    }
    return NULL;
}

/* One <Attribute>: as many attributes as its predicate has shapes, all
 * with its points, its reason code and its statistics. */
static ph_status read_attribute(pmml_reader *r, const xmlNode *node, const ph_scorecard *sc,
                                ph_sc_characteristic *c, const pmml_field **field)
{
    ph_sc_attribute proto = {0};
    const char *score = pmml_attr(r, node, "partialScore");
    if (!score && child(node, "ComplexPartialScore"))
        return pmml_fail(r, node, PH_EINVAL, "Attribute: ComplexPartialScore is not supported; "
                         "expected a partialScore");
    if (!score)
        return pmml_fail(r, node, PH_EINVAL, "Attribute has no partialScore");
    ph_status st = pmml_number(r, node, "partialScore", score, &proto.partial_score);
    if (st != PH_OK)
        return st;
    const char *code = pmml_attr(r, node, "reasonCode");
    if (sc->use_reason_codes && !code && !c->reason_code)
        return pmml_fail(r, node, PH_EINVAL, "Attribute has no reasonCode and neither has "
                         "Characteristic '%s' (useReasonCodes is true)",
                         c->name ? c->name : "");
    const xmlNode *train = puhui_extension(r, node, "puhui-training");
    if (train && ((st = count_attr(r, train, "count", &proto.count)) != PH_OK ||
                  (st = count_attr(r, train, "bads", &proto.bads)) != PH_OK ||
                  (st = number_attr(r, train, "woe", &proto.woe)) != PH_OK))
        return st;
    const xmlNode *pred = predicate_of(node);
    if (!pred)
        return pmml_fail(r, node, PH_EINVAL, "Attribute has no predicate");
    pmml_atoms atoms = {0};
    if ((st = pmml_predicate(r, pred, field, &atoms)) != PH_OK)
        return st;
    if ((st = grow_attributes(r, c, atoms.n)) != PH_OK) {
        pmml_atoms_clear(r->ctx, &atoms);
        return st;
    }
    for (size_t i = 0; i < atoms.n; i++) {
        ph_sc_attribute *a = &c->attributes[c->n_attributes++];
        *a = atoms.v[i];
        memset(&atoms.v[i], 0, sizeof(atoms.v[i]));
        a->partial_score = proto.partial_score;
        a->count = proto.count, a->bads = proto.bads, a->woe = proto.woe;
        if (code && !(a->reason_code = ph_strdup(r->ctx, code)))
            st = ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    }
    pmml_atoms_clear(r->ctx, &atoms);
    return st;
}

static ph_status set_baseline(pmml_reader *r, const xmlNode *node, const scorecard_defaults *d,
                              ph_sc_characteristic *c, const ph_scorecard *sc)
{
    const char *text = pmml_attr(r, node, "baselineScore");
    if (text)
        return pmml_number(r, node, "baselineScore", text, &c->baseline_score);
    if (d->has_baseline) {
        c->baseline_score = d->baseline;
        return PH_OK;
    }
    if (d->method == BASELINE_OTHER && sc->use_reason_codes)
        return pmml_fail(r, node, PH_EINVAL, "Characteristic '%s' has no baselineScore, nor has "
                         "the Scorecard, and baselineMethod '%s' does not say how to compute "
                         "one (max or min do)", c->name, d->method_name);
    /* "max": the best points the characteristic can give, so reasons
     * measure what the firm lost against the best (min: the reverse). */
    double b = c->attributes[0].partial_score;
    for (size_t i = 1; i < c->n_attributes; i++) {
        double p = c->attributes[i].partial_score;
        b = d->method == BASELINE_MIN ? fmin(b, p) : fmax(b, p);
    }
    c->baseline_score = d->method == BASELINE_OTHER ? 0.0 : b;
    return PH_OK;
}

static ph_status read_characteristic(pmml_reader *r, const xmlNode *node,
                                     const scorecard_defaults *d, ph_scorecard *sc,
                                     ph_sc_characteristic *c)
{
    const char *name = pmml_attr(r, node, "name");
    const char *code = pmml_attr(r, node, "reasonCode");
    if ((name && !(c->name = ph_strdup(r->ctx, name))) ||
        (code && !(c->reason_code = ph_strdup(r->ctx, code))))
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    ph_status st = PH_OK;
    const xmlNode *train = puhui_extension(r, node, "puhui-training");
    if (train && ((st = number_attr(r, train, "iv", &c->iv)) != PH_OK ||
                  (st = number_attr(r, train, "coefficient", &c->coefficient)) != PH_OK))
        return st;
    const pmml_field *field = NULL;
    size_t seen = 0;
    for (const xmlNode *a = node->children; a && st == PH_OK; a = a->next) {
        if (pmml_is(a, "Attribute")) {
            seen++;
            st = read_attribute(r, a, sc, c, &field);
        }
    }
    if (st != PH_OK)
        return st;
    const char *shown = name ? name : field ? field->name : "";
    if (!field)
        return pmml_fail(r, node, PH_EINVAL, "Characteristic '%s' reads no field (its %zu "
                         "attributes are all True or False)", shown, seen);
    if ((!c->name && !(c->name = ph_strdup(r->ctx, field->name))) ||
        !(c->field = ph_strdup(r->ctx, field->name)))
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    c->categorical = field->categorical;
    if (c->n_attributes == 0)
        return pmml_fail(r, node, PH_EINVAL, "Characteristic '%s' has no attribute that can "
                         "match", c->name);
    if ((st = set_baseline(r, node, d, c, sc)) != PH_OK)
        return st;
    return c->categorical ? PH_OK : pmml_check_coverage(r, node, c, field->integer);
}

static ph_status read_characteristics(pmml_reader *r, const xmlNode *model,
                                      const scorecard_defaults *d, ph_scorecard *sc)
{
    const xmlNode *list = child(model, "Characteristics");
    size_t n = 0;
    for (const xmlNode *c = list ? list->children : NULL; c; c = c->next)
        n += pmml_is(c, "Characteristic");
    if (n == 0)
        return pmml_fail(r, list ? list : model, PH_EINVAL,
                         "Scorecard has no Characteristics/Characteristic");
    sc->characteristics = ph_calloc(r->ctx, n, sizeof(ph_sc_characteristic));
    if (!sc->characteristics)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    for (const xmlNode *c = list->children; c; c = c->next) {
        if (!pmml_is(c, "Characteristic"))
            continue;
        ph_sc_characteristic *ch = &sc->characteristics[sc->n_characteristics++];
        ph_status st = read_characteristic(r, c, d, sc, ch);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

/* ---- the document ---------------------------------------------------------------------- */

/* The first problem libxml2 reports: later ones are mostly its echoes. */
typedef struct first_error {
    int seen;
    char message[256];
    long line, column;
} first_error;

/* libxml2's messages come here (the parser context's structured handler),
 * never to stderr. The handler's parameter became const in libxml2 2.12. */
#if LIBXML_VERSION >= 21200
static void keep_first(void *user, const xmlError *error)
#else
static void keep_first(void *user, xmlErrorPtr error)
#endif
{
    const xmlParserCtxt *pctx = user; /* a context's userData is itself */
    first_error *first = pctx ? pctx->_private : NULL;
    if (!first || first->seen || !error || error->level < XML_ERR_ERROR)
        return;
    first->seen = 1;
    snprintf(first->message, sizeof(first->message), "%s",
             error->message ? error->message : "not well-formed");
    for (size_t n = strlen(first->message); n && (first->message[n - 1] == '\n' ||
                                                  first->message[n - 1] == ' ');)
        first->message[--n] = '\0';
    first->line = error->line;
    first->column = error->int2;
}

static ph_status parse(pmml_reader *r, const char *data, size_t len, xmlDoc **out)
{
    if (len > INT_MAX)
        return ph_error_set(r->err, PH_ERANGE, NULL, r->source,
                            "a PMML document of %zu bytes is larger than the parser takes "
                            "(2 GiB)", len);
    xmlParserCtxt *pctx = xmlNewParserCtxt();
    if (!pctx)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for the XML parser");
    first_error first = {0};
    pctx->_private = &first;
    pctx->sax->serror = keep_first;
    xmlDoc *doc = xmlCtxtReadMemory(pctx, data ? data : "", (int)len, r->source, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                        XML_PARSE_BIG_LINES);
    ph_status st = PH_OK;
    if (!doc || !pctx->wellFormed) {
        if (!first.seen) { /* no report reached the handler: use the context's */
            const xmlError *e = &pctx->lastError;
            keep_first(pctx, (xmlErrorPtr)e);
        }
        st = ph_error_set(r->err, PH_EINVAL, NULL, NULL, "malformed XML: %s",
                          first.seen ? first.message : "not well-formed");
        ph_error_locate(r->err, r->source, first.line > 0 ? (uint64_t)first.line : 0,
                        first.column > 0 ? (uint64_t)first.column : 0);
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (doc->intSubset || doc->extSubset) {
        st = pmml_fail(r, (const xmlNode *)doc->intSubset, PH_EINVAL,
                       "a DOCTYPE is not allowed in a PMML model (entities are never expanded)");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(pctx);
    *out = doc;
    return st;
}

/* The model element of the document: the first that is not one of the
 * document-level parts. */
static const xmlNode *model_element(const xmlNode *pmml)
{
    static const char *const parts[] = {"Header", "MiningBuildTask", "DataDictionary",
                                        "TransformationDictionary", "Extension"};
    for (const xmlNode *c = pmml->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        size_t i = 0;
        while (i < sizeof(parts) / sizeof(parts[0]) && !pmml_is(c, parts[i]))
            i++;
        if (i == sizeof(parts) / sizeof(parts[0]))
            return c;
    }
    return NULL;
}

static ph_status read_document(pmml_reader *r, ph_scorecard *sc)
{
    const xmlNode *root = xmlDocGetRootElement(r->doc);
    if (!pmml_is(root, "PMML"))
        return pmml_fail(r, root, PH_EINVAL, "root element %s, expected PMML",
                         root ? (const char *)root->name : "(none)");
    const char *version = pmml_attr(r, root, "version");
    if (!version || strncmp(version, "4.", 2) != 0)
        return pmml_fail(r, root, PH_EINVAL, "PMML version '%s', expected 4.x",
                         version ? version : "");
    ph_status st = read_data_dictionary(r, root);
    if (st != PH_OK)
        return st;
    const xmlNode *model = model_element(root);
    if (!model)
        return pmml_fail(r, root, PH_EINVAL, "PMML holds no model; expected a Scorecard");
    if (!pmml_is(model, "Scorecard"))
        return pmml_fail(r, model, PH_EINVAL, "%s: expected a Scorecard model",
                         (const char *)model->name);
    scorecard_defaults d = {0};
    if ((st = read_scorecard_attributes(r, model, sc, &d)) != PH_OK ||
        (st = read_mining_schema(r, model, sc)) != PH_OK ||
        (st = read_puhui_extensions(r, model, sc)) != PH_OK)
        return st;
    return read_characteristics(r, model, &d, sc);
}

static void reader_release(pmml_reader *r)
{
    for (size_t i = 0; i < r->n_pool; i++)
        xmlFree(r->pool[i]);
    ph_free(r->ctx, r->pool);
    for (size_t i = 0; i < r->n_fields; i++)
        ph_free(r->ctx, (void *)r->fields[i].values);
    ph_free(r->ctx, r->fields);
    xmlFreeDoc(r->doc);
}

ph_status ph_scorecard_read_pmml(const ph_ctx *ctx, const char *data, size_t len,
                                 const char *source, ph_scorecard **out, ph_error *err)
{
    if (!ctx || (!data && len) || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_scorecard_read_pmml needs ctx, data and out");
    pmml_reader r = {.ctx = ctx, .source = source ? source : "<memory>", .err = err};
    ph_status st = parse(&r, data, len, &r.doc);
    ph_scorecard *sc = NULL;
    if (st == PH_OK)
        st = ph_scorecard_new(ctx, &sc, err);
    if (st == PH_OK)
        st = read_document(&r, sc);
    if (r.oom)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading PMML");
    reader_release(&r);
    if (st != PH_OK) {
        ph_scorecard_free(sc);
        return st;
    }
    *out = sc;
    return PH_OK;
}
