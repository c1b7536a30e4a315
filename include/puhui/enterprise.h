/*
 * puhui — the registered parties: enterprises, institutions, and what the
 * platform knew of a firm's registration on a given day.
 *
 * This module owns the tables `enterprise` and `institution` (schema
 * version 1). It sits in the data hub just above the schema, below ingest,
 * access, features, profile and the market, so that every one of them can
 * call it and none reads those tables itself:
 *
 *   - ingest writes the rows (from the registration feed and the lender,
 *     guarantor and core-enterprise reference feeds) through the upserts
 *     prepared here — ingest owns the feed files and their checks, this
 *     module the registry tables, so the read API need not depend on
 *     ingest's threads and parsers;
 *   - access asks whether a firm or an institution is registered;
 *   - the market and the benchmarks ask for an institution's name or list;
 *   - the market's facts and the profile read a firm's registration as of
 *     a day (ph_registration_asof), by the one point-in-time rule of the
 *     feed tables (ph_schema_version_span in schema.h), which the feature
 *     store's bulk loader applies to every firm at once.
 *
 * The `enterprise` table is the registry as the platform knows it today;
 * the registration of a past day comes from the registration feed's
 * versions (feed_registration and feed_registration_history), never from
 * `enterprise`, so a profile or an application as of a past day sees the
 * size and status the firm had then.
 *
 * Errors follow docs/errors.md.
 */
#ifndef PUHUI_ENTERPRISE_H
#define PUHUI_ENTERPRISE_H

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- A firm's registration as of a day ------------------------------------------ */

#define PH_REGISTRATION_NAME_MAX 256 /* bytes with the terminating NUL */

typedef struct ph_registration {
    char uscc[19];
    char name[PH_REGISTRATION_NAME_MAX]; /* registered name */
    char entity_type[16];                /* company | individual | cooperative, or "" */
    int region_code;                     /* county-level GB/T 2260 code */
    char industry_code[4];               /* GB/T 4754 section and division, "C13" */
    ph_date registered_on;               /* date of establishment */
    char size_class[8];                  /* micro | small | medium | large, or "" */
    char status[16];                     /* active | abnormal | deregistered | revoked, or "":
                                            the status in force on the as-of day */
    ph_date status_date;                 /* the day it took effect; 0: none given */
    ph_date known_on;                    /* the day the platform learned this version */
} ph_registration;

/*
 * The registration of `uscc` that the platform knew on `asof`: among the
 * current row and the superseded versions of the registration feed, the one
 * whose span (ph_schema_version_span) holds on asof — the latest known_on
 * should two hold. A status counts from its status_date, as the features
 * count it: a version that says "revoked" from a day after asof reads as
 * "active" (status_date 0) on asof. One indexed query over the firm's own
 * rows.
 *
 * Errors: PH_EMISUSE for a NULL argument; PH_ENOTFOUND (field
 * "enterprise") when no version was known by asof; PH_ERANGE when a stored
 * text does not fit its field (a name of PH_REGISTRATION_NAME_MAX bytes or
 * more); PH_EINVAL for a stored date that does not parse; store errors.
 * *out is written on success only.
 */
PH_EXTERN ph_status ph_registration_asof(ph_store *store, const char *uscc, ph_date asof,
                                         ph_registration *out, ph_error *err);

/* --- The registry tables ----------------------------------------------------------- */

/*
 * Whether a row of `enterprise` (by USCC) or `institution` (by id) exists:
 * *found is 1 or 0. Errors: PH_EMISUSE for a NULL argument; store errors.
 */
PH_EXTERN ph_status ph_enterprise_exists(ph_store *store, const char *uscc, int *found,
                                         ph_error *err);
PH_EXTERN ph_status ph_institution_exists(ph_store *store, const char *id, int *found,
                                          ph_error *err);

/* Room for an institution's kind ("commercial_bank", "core_enterprise") and its NUL. */
#define PH_INSTITUTION_KIND_MAX 32

/*
 * The kind of institution `id` (one of the schema's CHECK list: state_bank
 * ... regulator) into `kind`, and *found 1; *found 0 and `kind` untouched
 * when there is no such institution. One primary-key read. Errors:
 * PH_EMISUSE for a NULL argument; PH_ERANGE when a stored kind does not fit
 * PH_INSTITUTION_KIND_MAX; store errors.
 */
PH_EXTERN ph_status ph_institution_kind(ph_store *store, const char *id,
                                        char kind[PH_INSTITUTION_KIND_MAX], int *found,
                                        ph_error *err);

/* 1 when institutions of `kind` lend (the banks, micro-lenders and digital
 * banks of the schema's list), 0 for guarantors, governments, core
 * enterprises, regulators and anything else (NULL included). */
PH_EXTERN int ph_institution_kind_lends(const char *kind);

/*
 * The name of institution `id`, whole, into *out (free with ph_free and the
 * store's context). Errors: PH_EMISUSE for a NULL argument; PH_ENOTFOUND for
 * an unknown id; PH_ENOMEM; store errors. On error *out is NULL.
 */
PH_EXTERN ph_status ph_institution_name(ph_store *store, const char *id, char **out,
                                        ph_error *err);

/* Called once per row; a status other than PH_OK stops the walk and is
 * returned. The strings live until the callback returns. */
typedef ph_status (*ph_enterprise_fn)(void *user, const char *uscc, ph_error *err);
typedef ph_status (*ph_institution_fn)(void *user, const char *id, const char *name,
                                       const char *kind, ph_error *err);

/*
 * Every registered enterprise (by USCC) and every institution (by id, with
 * its name and kind), each in code order. One scan of the table. Errors:
 * PH_EMISUSE for a NULL store or fn; the callback's; store errors.
 */
PH_EXTERN ph_status ph_enterprise_each(ph_store *store, ph_enterprise_fn fn, void *user,
                                       ph_error *err);
PH_EXTERN ph_status ph_institution_each(ph_store *store, ph_institution_fn fn, void *user,
                                        ph_error *err);

/* One registered firm's place among its peers: its county (region_code)
 * and its GB/T 4754 section letter, as the registry holds them today. */
typedef ph_status (*ph_enterprise_place_fn)(void *user, const char *uscc, int32_t region_code,
                                            char section, ph_error *err);

/*
 * Every registered enterprise in USCC order with its county and industry
 * section: the bulk read the early warning registers its firms and their
 * peer groups from (monitor.h), so that no other module reads `enterprise`.
 * One scan of the table; the statement is open during the calls, so fn must
 * not write to the store. Errors: PH_EMISUSE for a NULL store or fn; the
 * callback's status; store errors.
 */
PH_EXTERN ph_status ph_enterprise_each_place(ph_store *store, ph_enterprise_place_fn fn,
                                             void *user, ph_error *err);

/*
 * The writers' upserts, prepared for a caller that binds and steps them
 * once per row (ingest, in its own transaction); free with ph_stmt_free.
 * A row with the same key is replaced.
 *
 *   enterprise:  1 uscc, 2 name, 3 region_code, 4 industry_section (one
 *                letter), 5 industry_division (or NULL), 6 size_class (or
 *                NULL), 7 registered_on, 8 status
 *   institution: 1 id, 2 name, 3 kind (one of the kinds in the schema's
 *                CHECK list: state_bank ... regulator)
 *
 * The table's CHECK constraints refuse a bad value at the step (PH_EINVAL).
 * Errors: PH_EMISUSE for a NULL argument; store errors.
 */
PH_EXTERN ph_status ph_enterprise_upsert_prepare(ph_store *store, ph_stmt **out, ph_error *err);
PH_EXTERN ph_status ph_institution_upsert_prepare(ph_store *store, ph_stmt **out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_ENTERPRISE_H */
