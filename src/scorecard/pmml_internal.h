/*
 * Shared between the PMML files of the scorecard module: the reader's state
 * (pmml_read.c), predicates turned into attributes (pmml_predicate.c), the
 * coverage check (pmml_coverage.c) and number formatting (pmml_write.c).
 */
#ifndef PH_PMML_INTERNAL_H
#define PH_PMML_INTERNAL_H

#include <libxml/tree.h>

#include "puhui/scorecard.h"
#include "scorecard/scorecard_internal.h"

/* Room for any double in its shortest round-trip text form. */
#define PMML_NUMBER_MAX 32

/*
 * `v` as the shortest of %.15g / %.17g that reads back as the same double,
 * so a written scorecard reads back exactly. Infinities and NaN are written
 * in the xs:double lexical forms INF, -INF and NaN.
 */
void pmml_format_double(double v, char buf[PMML_NUMBER_MAX]);

/* One DataField of the DataDictionary. Strings point into the reader's pool. */
typedef struct pmml_field {
    const char *name;
    int categorical;    /* optype categorical/ordinal, or dataType string/boolean */
    int integer;        /* dataType integer: only whole numbers are ever scored */
    const char **values; /* the <Value> list (valid values), may be empty */
    size_t n_values;
    int predicted;      /* usageType predicted or target in the MiningSchema */
    int in_schema;      /* listed in the MiningSchema */
} pmml_field;

/* The reader's state: where errors point and what it owns. */
typedef struct pmml_reader {
    const ph_ctx *ctx;
    const char *source;
    ph_error *err;
    xmlDoc *doc;
    /* Every string libxml2 handed us (attribute values, element text),
     * released together at the end. */
    xmlChar **pool;
    size_t n_pool, cap_pool;
    int oom;
    pmml_field *fields;
    size_t n_fields;
} pmml_reader;

/*
 * Fail with `code` at `node`: the message is "SOURCE:LINE: " followed by the
 * formatted detail, which names the element and what is wrong.
 */
ph_status pmml_fail(pmml_reader *r, const xmlNode *node, ph_status code, const char *fmt, ...)
    PH_PRINTF(4, 5);

/* The value of attribute `name` of `node` (no namespace), or NULL when it
 * has none. The string stays valid until the reader is released. Running
 * out of memory sets r->oom (checked once at the end: the reader then fails
 * with PH_ENOMEM whatever it concluded). */
const char *pmml_attr(pmml_reader *r, const xmlNode *node, const char *name);

/* The text inside `node` ("" when empty; NULL only with r->oom set). */
const char *pmml_text(pmml_reader *r, const xmlNode *node);

/* True when `node` is an element with local name `name` (any namespace). */
int pmml_is(const xmlNode *node, const char *name);

/* The DataField named `name`, or NULL. */
const pmml_field *pmml_field_find(const pmml_reader *r, const char *name);

/* Read a number attribute: PH_EINVAL naming the element unless the whole
 * text reads as a double. */
ph_status pmml_number(pmml_reader *r, const xmlNode *node, const char *attr_name,
                      const char *text, double *out);

/* A list of attributes that one PMML <Attribute> becomes: its predicate
 * as a union of the shapes ph_sc_attribute can hold. */
typedef struct pmml_atoms {
    ph_sc_attribute *v;
    size_t n, cap;
} pmml_atoms;

void pmml_atoms_clear(const ph_ctx *ctx, pmml_atoms *a);

/*
 * Compile the predicate element `node` into `out` (empty when it never
 * matches). *field is the field the characteristic reads: set by the first
 * predicate naming one, and every later one must name the same.
 */
ph_status pmml_predicate(pmml_reader *r, const xmlNode *node, const pmml_field **field,
                         pmml_atoms *out);

/*
 * Check that the range attributes of a numeric characteristic (PH_SC_ANY
 * included) cover every number; with `integer`, every whole number. The
 * error names the first uncovered interval with its bracket types.
 */
ph_status pmml_check_coverage(pmml_reader *r, const xmlNode *node,
                              const ph_sc_characteristic *c, int integer);

#endif /* PH_PMML_INTERNAL_H */
