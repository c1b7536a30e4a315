/*
 * Writing a scorecard as a PMML 4.4 document.
 *
 * The output is a pure function of the scorecard: no timestamp, no host, no
 * version of libxml2, numbers in their shortest round-trip form. So writing
 * the same scorecard twice gives the same bytes, a checksum of the file
 * identifies the model, and write -> read -> write is byte-identical.
 *
 * The document is plain PMML any consumer can score: the Output section
 * computes the score, three reason codes and, for a scaled scorecard, the
 * probability of default with PMML built-in functions. What only puhui
 * needs (the scale as numbers, training statistics) sits in <Extension>
 * elements, which other consumers skip.
 *
 * Everything is checked before the first byte is written, so a scorecard
 * PMML cannot express leaves no half-written file behind it.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "pmml_internal.h"

void pmml_format_double(double v, char buf[PMML_NUMBER_MAX])
{
    if (isnan(v)) {
        snprintf(buf, PMML_NUMBER_MAX, "NaN");
    } else if (isinf(v)) {
        snprintf(buf, PMML_NUMBER_MAX, "%s", v > 0 ? "INF" : "-INF");
    } else {
        snprintf(buf, PMML_NUMBER_MAX, "%.15g", v);
        if (strtod(buf, NULL) != v)
            snprintf(buf, PMML_NUMBER_MAX, "%.17g", v);
    }
}

/* ---- checks before writing -------------------------------------------- */

/* XML 1.0 text: valid UTF-8 without control characters other than tab,
 * newline and carriage return (which are written as character references). */
static int xml_safe(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        if (p[i] >= 0x80) {
            size_t n = utf8_sequence_len(p + i, len - i);
            if (n == 0)
                return 0;
            i += n;
            continue;
        }
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') || p[i] == 0x7f)
            return 0;
        i++;
    }
    return 1;
}

static ph_status check_text(const char *what, const char *s, ph_error *err)
{
    if (s && !xml_safe(s))
        return ph_error_set(err, PH_EINVAL, what, s,
                            "expected UTF-8 text without control characters to write as XML");
    return PH_OK;
}

static int range_is_empty(const ph_sc_attribute *a)
{
    return isnan(a->low) || isnan(a->high) || a->low > a->high ||
           (a->low == a->high && !(a->low_inclusive && a->high_inclusive)) ||
           (isinf(a->low) && a->low == a->high);
}

static ph_status check_attribute(const ph_scorecard *sc, const ph_sc_characteristic *c,
                                 size_t index, ph_error *err)
{
    const ph_sc_attribute *a = &c->attributes[index];
    ph_status st = check_text("reason code", a->reason_code, err);
    for (size_t i = 0; st == PH_OK && i < a->n_levels; i++)
        st = check_text("level", a->levels[i] ? a->levels[i] : "", err);
    if (st != PH_OK)
        return st;
    if (a->match == PH_SC_IN && !c->categorical)
        return ph_error_set(err, PH_EINVAL, "characteristic", c->name,
                            "attribute %zu is a set of levels but the characteristic is numeric",
                            index + 1);
    if (a->match == PH_SC_IN) {
        for (size_t i = 0; i < a->n_levels; i++) {
            if (!a->levels[i])
                return ph_error_set(err, PH_EINVAL, "characteristic", c->name,
                                    "attribute %zu has a NULL level", index + 1);
        }
    }
    if (a->match == PH_SC_RANGE && c->categorical)
        return ph_error_set(err, PH_EINVAL, "characteristic", c->name,
                            "attribute %zu is a numeric range but the characteristic is "
                            "categorical", index + 1);
    if (a->match == PH_SC_RANGE && range_is_empty(a))
        return ph_error_set(err, PH_EINVAL, "characteristic", c->name,
                            "attribute %zu is an empty range: expected low < high, or "
                            "low == high with both ends inclusive", index + 1);
    if ((unsigned)a->match > PH_SC_IN)
        return ph_error_set(err, PH_EINVAL, "characteristic", c->name,
                            "attribute %zu has an unknown match kind %d", index + 1, (int)a->match);
    if (sc->use_reason_codes && !a->reason_code && !c->reason_code)
        return ph_error_set(err, PH_EINVAL, "characteristic", c->name,
                            "attribute %zu has no reason code and neither has its "
                            "characteristic; PMML needs one when reason codes are used",
                            index + 1);
    return PH_OK;
}

static ph_status check_characteristic(const ph_scorecard *sc, size_t index, ph_error *err)
{
    const ph_sc_characteristic *c = &sc->characteristics[index];
    if (!c->name || !c->field)
        return ph_error_set(err, PH_EINVAL, "characteristic", c->name ? c->name : "",
                            "characteristic %zu needs a name and a field", index + 1);
    ph_status st = check_text("characteristic", c->name, err);
    if (st == PH_OK)
        st = check_text("field", c->field, err);
    if (st == PH_OK)
        st = check_text("reason code", c->reason_code, err);
    if (st != PH_OK)
        return st;
    if (c->n_attributes == 0)
        return ph_error_set(err, PH_EINVAL, "characteristic", c->name,
                            "a characteristic needs at least one attribute");
    if (sc->target && strcmp(sc->target, c->field) == 0)
        return ph_error_set(err, PH_EINVAL, "characteristic", c->name,
                            "it reads the target field '%s'", sc->target);
    for (size_t j = 0; j < index; j++) {
        const ph_sc_characteristic *o = &sc->characteristics[j];
        if (strcmp(o->field, c->field) == 0 && !o->categorical != !c->categorical)
            return ph_error_set(err, PH_EINVAL, "field", c->field,
                                "characteristics '%s' and '%s' read it as different kinds "
                                "(numeric and categorical)", o->name, c->name);
    }
    for (size_t i = 0; i < c->n_attributes; i++) {
        st = check_attribute(sc, c, i, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

static ph_status check_scorecard(const ph_scorecard *sc, ph_error *err)
{
    ph_status st = check_text("name", sc->name, err);
    if (st == PH_OK)
        st = check_text("target", sc->target, err);
    if (st != PH_OK)
        return st;
    if (sc->n_characteristics == 0)
        return ph_error_set(err, PH_EINVAL, "scorecard", sc->name,
                            "a PMML scorecard needs at least one characteristic");
    for (size_t i = 0; i < sc->n_characteristics; i++) {
        st = check_characteristic(sc, i, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

/* ---- output --------------------------------------------------------------- */

/* Escaped for an attribute value (in_attribute) or element text. Tab,
 * newline and carriage return become character references so that XML's
 * whitespace normalisation gives them back unchanged. */
static void put_xml(FILE *f, const char *s, int in_attribute)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"':
            fputs(in_attribute ? "&quot;" : "\"", f);
            break;
        case '\t': fputs("&#9;", f); break;
        case '\n': fputs("&#10;", f); break;
        case '\r': fputs("&#13;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void put_escaped(FILE *f, const char *s)
{
    put_xml(f, s, 1);
}

/* ` name="value"` with the value escaped. */
static void put_attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    put_escaped(f, value);
    fputc('"', f);
}

static void put_number(FILE *f, const char *name, double v)
{
    char buf[PMML_NUMBER_MAX];
    pmml_format_double(v, buf);
    fprintf(f, " %s=\"%s\"", name, buf);
}

/* One value of an <Array type="string">: quoted when it is empty or holds
 * whitespace, a quote or a backslash, with \" and \\ inside the quotes. */
static void put_array_value(FILE *f, const char *s)
{
    int quote = *s == '\0' || strpbrk(s, " \t\n\r\"\\") != NULL;
    if (!quote) {
        put_xml(f, s, 0);
        return;
    }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        char one[2] = {*p, '\0'};
        if (*p == '"' || *p == '\\')
            fputc('\\', f);
        put_xml(f, one, 0);
    }
    fputc('"', f);
}

/* Does an earlier characteristic read the same field? */
static int field_seen(const ph_scorecard *sc, size_t index)
{
    for (size_t j = 0; j < index; j++) {
        if (strcmp(sc->characteristics[j].field, sc->characteristics[index].field) == 0)
            return 1;
    }
    return 0;
}

static size_t distinct_fields(const ph_scorecard *sc)
{
    size_t n = 0;
    for (size_t i = 0; i < sc->n_characteristics; i++)
        n += !field_seen(sc, i);
    return n;
}

/* Has `level` of `field` been listed already, before characteristic ci's
 * attribute ai level li? */
static int level_seen(const ph_scorecard *sc, const char *field, size_t ci, size_t ai,
                      size_t li, const char *level)
{
    for (size_t i = 0; i <= ci; i++) {
        const ph_sc_characteristic *c = &sc->characteristics[i];
        if (strcmp(c->field, field) != 0)
            continue;
        for (size_t j = 0; j < c->n_attributes && (i < ci || j <= ai); j++) {
            const ph_sc_attribute *a = &c->attributes[j];
            size_t stop = (i == ci && j == ai) ? li : a->n_levels;
            for (size_t k = 0; a->match == PH_SC_IN && k < stop; k++) {
                if (strcmp(a->levels[k], level) == 0)
                    return 1;
            }
        }
    }
    return 0;
}

/* The levels of every characteristic reading `field`, first appearance first. */
static void write_values(FILE *f, const ph_scorecard *sc, const char *field)
{
    for (size_t i = 0; i < sc->n_characteristics; i++) {
        const ph_sc_characteristic *c = &sc->characteristics[i];
        if (strcmp(c->field, field) != 0)
            continue;
        for (size_t j = 0; j < c->n_attributes; j++) {
            const ph_sc_attribute *a = &c->attributes[j];
            for (size_t k = 0; a->match == PH_SC_IN && k < a->n_levels; k++) {
                if (level_seen(sc, field, i, j, k, a->levels[k]))
                    continue;
                fputs("      <Value", f);
                put_attr(f, "value", a->levels[k]);
                fputs("/>\n", f);
            }
        }
    }
}

static void write_data_dictionary(FILE *f, const ph_scorecard *sc)
{
    fprintf(f, "  <DataDictionary numberOfFields=\"%zu\">\n",
            distinct_fields(sc) + (sc->target ? 1 : 0));
    for (size_t i = 0; i < sc->n_characteristics; i++) {
        const ph_sc_characteristic *c = &sc->characteristics[i];
        if (field_seen(sc, i))
            continue;
        fputs("    <DataField", f);
        put_attr(f, "name", c->field);
        if (!c->categorical) {
            fputs(" optype=\"continuous\" dataType=\"double\"/>\n", f);
            continue;
        }
        fputs(" optype=\"categorical\" dataType=\"string\">\n", f);
        write_values(f, sc, c->field);
        fputs("    </DataField>\n", f);
    }
    if (sc->target) {
        /* The model predicts the score, a continuous value (functionName
         * "regression"); the target column's name says what it was fit to. */
        fputs("    <DataField", f);
        put_attr(f, "name", sc->target);
        fputs(" optype=\"continuous\" dataType=\"double\"/>\n", f);
    }
    fputs("  </DataDictionary>\n", f);
}

static void write_mining_schema(FILE *f, const ph_scorecard *sc)
{
    fputs("    <MiningSchema>\n", f);
    for (size_t i = 0; i < sc->n_characteristics; i++) {
        const ph_sc_characteristic *c = &sc->characteristics[i];
        if (field_seen(sc, i))
            continue;
        fputs("      <MiningField", f);
        put_attr(f, "name", c->field);
        /* A level outside the Value list must reach the predicates (a
         * catch-all <True/> attribute may score it), not be "invalid". */
        if (c->categorical)
            fputs(" invalidValueTreatment=\"asIs\"", f);
        fputs("/>\n", f);
    }
    if (sc->target) {
        fputs("      <MiningField", f);
        put_attr(f, "name", sc->target);
        fputs(" usageType=\"predicted\"/>\n", f);
    }
    fputs("    </MiningSchema>\n", f);
}

static void put_constant(FILE *f, const char *indent, double v)
{
    char buf[PMML_NUMBER_MAX];
    pmml_format_double(v, buf);
    fprintf(f, "%s<Constant dataType=\"double\">%s</Constant>\n", indent, buf);
}

/* PD = 1 / (1 + base_odds * pow(2, (score - base_points) / pdo)), the
 * scale of include/puhui/scorecard.h, in PMML built-in functions. */
static void write_pd_expression(FILE *f, const ph_scorecard *sc)
{
    fputs("        <Apply function=\"/\">\n", f);
    put_constant(f, "          ", 1.0);
    fputs("          <Apply function=\"+\">\n", f);
    put_constant(f, "            ", 1.0);
    fputs("            <Apply function=\"*\">\n", f);
    put_constant(f, "              ", sc->base_odds);
    fputs("              <Apply function=\"pow\">\n", f);
    put_constant(f, "                ", 2.0);
    fputs("                <Apply function=\"/\">\n"
          "                  <Apply function=\"-\">\n"
          "                    <FieldRef field=\"puhui_score\"/>\n", f);
    put_constant(f, "                    ", sc->base_points);
    fputs("                  </Apply>\n", f);
    put_constant(f, "                  ", sc->pdo);
    fputs("                </Apply>\n"
          "              </Apply>\n"
          "            </Apply>\n"
          "          </Apply>\n"
          "        </Apply>\n", f);
}

static void write_output(FILE *f, const ph_scorecard *sc)
{
    fputs("    <Output>\n"
          "      <OutputField name=\"puhui_score\" optype=\"continuous\" dataType=\"double\" "
          "feature=\"predictedValue\"/>\n", f);
    for (int rank = 1; sc->use_reason_codes && rank <= 3; rank++)
        fprintf(f, "      <OutputField name=\"puhui_reason_%d\" optype=\"categorical\" "
                   "dataType=\"string\" feature=\"reasonCode\" rank=\"%d\"/>\n", rank, rank);
    if (sc->has_scale) {
        fputs("      <OutputField name=\"puhui_pd\" optype=\"continuous\" dataType=\"double\" "
              "feature=\"transformedValue\">\n", f);
        write_pd_expression(f, sc);
        fputs("      </OutputField>\n", f);
    }
    fputs("    </Output>\n", f);
}

static void write_scorecard_extensions(FILE *f, const ph_scorecard *sc)
{
    if (sc->has_scale) {
        fputs("    <Extension extender=\"puhui\" name=\"puhui-scale\">\n      <Scale", f);
        put_number(f, "basePoints", sc->base_points);
        put_number(f, "baseOdds", sc->base_odds);
        put_number(f, "pdo", sc->pdo);
        fputs("/>\n    </Extension>\n", f);
    }
    if (sc->train_rows || sc->train_bads || sc->intercept != 0.0) {
        fprintf(f, "    <Extension extender=\"puhui\" name=\"puhui-training\">\n"
                   "      <Training rows=\"%" PRIu64 "\" bads=\"%" PRIu64 "\"",
                sc->train_rows, sc->train_bads);
        put_number(f, "intercept", sc->intercept);
        fputs("/>\n    </Extension>\n", f);
    }
}

static void write_range(FILE *f, const char *field, const ph_sc_attribute *a)
{
    const char *indent = "          ";
    int both = !isinf(a->low) && !isinf(a->high);
    if (isinf(a->low) && isinf(a->high)) {
        /* Every number, but never a missing value. */
        fprintf(f, "%s<SimplePredicate", indent);
        put_attr(f, "field", field);
        fputs(" operator=\"isNotMissing\"/>\n", f);
        return;
    }
    if (both && a->low == a->high) {
        fprintf(f, "%s<SimplePredicate", indent);
        put_attr(f, "field", field);
        fputs(" operator=\"equal\"", f);
        put_number(f, "value", a->low);
        fputs("/>\n", f);
        return;
    }
    if (both) {
        fprintf(f, "%s<CompoundPredicate booleanOperator=\"and\">\n", indent);
        indent = "            ";
    }
    if (!isinf(a->low)) {
        fprintf(f, "%s<SimplePredicate", indent);
        put_attr(f, "field", field);
        fprintf(f, " operator=\"%s\"", a->low_inclusive ? "greaterOrEqual" : "greaterThan");
        put_number(f, "value", a->low);
        fputs("/>\n", f);
    }
    if (!isinf(a->high)) {
        fprintf(f, "%s<SimplePredicate", indent);
        put_attr(f, "field", field);
        fprintf(f, " operator=\"%s\"", a->high_inclusive ? "lessOrEqual" : "lessThan");
        put_number(f, "value", a->high);
        fputs("/>\n", f);
    }
    if (both)
        fputs("          </CompoundPredicate>\n", f);
}

static void write_predicate(FILE *f, const char *field, const ph_sc_attribute *a)
{
    switch (a->match) {
    case PH_SC_ANY:
        fputs("          <True/>\n", f);
        break;
    case PH_SC_MISSING:
        fputs("          <SimplePredicate", f);
        put_attr(f, "field", field);
        fputs(" operator=\"isMissing\"/>\n", f);
        break;
    case PH_SC_RANGE:
        write_range(f, field, a);
        break;
    case PH_SC_IN:
        fputs("          <SimpleSetPredicate", f);
        put_attr(f, "field", field);
        fprintf(f, " booleanOperator=\"isIn\">\n            <Array n=\"%zu\" type=\"string\">",
                a->n_levels);
        for (size_t k = 0; k < a->n_levels; k++) {
            if (k)
                fputc(' ', f);
            put_array_value(f, a->levels[k]);
        }
        fputs("</Array>\n          </SimpleSetPredicate>\n", f);
        break;
    }
}

static void write_attribute(FILE *f, const ph_sc_characteristic *c, const ph_sc_attribute *a)
{
    fputs("        <Attribute", f);
    if (a->reason_code)
        put_attr(f, "reasonCode", a->reason_code);
    put_number(f, "partialScore", a->partial_score);
    fputs(">\n", f);
    if (a->count || a->bads || a->woe != 0.0) {
        fprintf(f, "          <Extension extender=\"puhui\" name=\"puhui-training\">"
                   "<Training count=\"%" PRIu64 "\" bads=\"%" PRIu64 "\"", a->count, a->bads);
        put_number(f, "woe", a->woe);
        fputs("/></Extension>\n", f);
    }
    write_predicate(f, c->field, a);
    fputs("        </Attribute>\n", f);
}

static void write_characteristics(FILE *f, const ph_scorecard *sc)
{
    fputs("    <Characteristics>\n", f);
    for (size_t i = 0; i < sc->n_characteristics; i++) {
        const ph_sc_characteristic *c = &sc->characteristics[i];
        fputs("      <Characteristic", f);
        put_attr(f, "name", c->name);
        if (c->reason_code)
            put_attr(f, "reasonCode", c->reason_code);
        put_number(f, "baselineScore", c->baseline_score);
        fputs(">\n", f);
        if (c->iv != 0.0 || c->coefficient != 0.0) {
            fputs("        <Extension extender=\"puhui\" name=\"puhui-training\"><Training", f);
            put_number(f, "iv", c->iv);
            put_number(f, "coefficient", c->coefficient);
            fputs("/></Extension>\n", f);
        }
        for (size_t j = 0; j < c->n_attributes; j++)
            write_attribute(f, c, &c->attributes[j]);
        fputs("      </Characteristic>\n", f);
    }
    fputs("    </Characteristics>\n", f);
}

static void write_document(FILE *f, const ph_scorecard *sc)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n"
          "  <Header>\n"
          "    <Application name=\"puhui\" version=\"" PH_VERSION_STRING "\"/>\n"
          "  </Header>\n", f);
    write_data_dictionary(f, sc);
    fputs("  <Scorecard", f);
    if (sc->name)
        put_attr(f, "modelName", sc->name);
    fprintf(f, " functionName=\"regression\" useReasonCodes=\"%s\" reasonCodeAlgorithm=\"%s\" "
               "baselineMethod=\"max\"",
            sc->use_reason_codes ? "true" : "false",
            sc->reason_algorithm == PH_SC_POINTS_ABOVE ? "pointsAbove" : "pointsBelow");
    put_number(f, "initialScore", sc->initial_score);
    fputs(">\n", f);
    write_scorecard_extensions(f, sc);
    write_mining_schema(f, sc);
    write_output(f, sc);
    write_characteristics(f, sc);
    fputs("  </Scorecard>\n</PMML>\n", f);
}

ph_status ph_scorecard_write_pmml(const ph_scorecard *sc, FILE *out, ph_error *err)
{
    if (!sc || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_scorecard_write_pmml needs a scorecard and a stream");
    ph_status st = check_scorecard(sc, err);
    if (st != PH_OK)
        return st;
    errno = 0;
    write_document(out, sc);
    if (fflush(out) != 0 || ferror(out))
        return ph_error_set(err, PH_EIO, NULL, NULL, "cannot write the PMML document: %s",
                            strerror(errno ? errno : EIO));
    return PH_OK;
}
