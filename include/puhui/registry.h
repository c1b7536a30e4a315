/*
 * puhui — the model registry: every decision model's exact bytes, checksum
 * (ph_checksum_hex), features, training summary and metrics, with its
 * approval state and the append-only events that moved it
 * (docs/governance.md).
 */
#ifndef PUHUI_REGISTRY_H
#define PUHUI_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/dataset.h"
#include "puhui/model.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the model registry -------------------------------------------------- */

/*
 * Every model used for decisions is registered: its exact bytes, their
 * BLAKE2b-256 checksum, its features, a summary of the data it was trained
 * on and its metrics at registration. A registered model starts as a draft;
 * a reviewer approves or rejects it; an approved model is retired when it is
 * replaced. Every transition is an event (who, when, why) in an append-only
 * table. Only an approved model can be loaded for decisions
 * (ph_registry_load_approved), and only if its bytes still hash to the
 * recorded checksum.
 *
 * Needs a store at schema version 6 or later (PH_ESCHEMA otherwise: run
 * `puhui init`); functions run their own transaction, so none may be open.
 * Timestamps are UTC ISO 8601 to the second.
 */
typedef enum ph_model_state {
    PH_MODEL_DRAFT = 0,
    PH_MODEL_APPROVED = 1,
    PH_MODEL_REJECTED = 2,
    PH_MODEL_RETIRED = 3
} ph_model_state;

/* "draft", "approved", "rejected", "retired"; NULL for anything else. */
PH_EXTERN const char *ph_model_state_name(ph_model_state state);
/* Parse a state name (exact, lower case). PH_EINVAL naming the four. */
PH_EXTERN ph_status ph_model_state_parse(const char *name, ph_model_state *out, ph_error *err);

/* A registered model as read back. Strings are NUL-terminated; JSON fields
 * are JSON texts (training and metrics NULL when not given). */
typedef struct ph_registry_entry {
    const ph_ctx *ctx;        /* the store's: the entry's memory is from it */
    int64_t id;
    const char *name;
    int64_t version;
    ph_model_kind kind;
    char checksum[PH_CHECKSUM_HEX];
    size_t size;              /* bytes of the model file */
    const char *file;         /* the file name it was registered from */
    const char *features;     /* JSON array of the feature names */
    const char *training;     /* JSON object or NULL */
    const char *metrics;      /* JSON object or NULL */
    ph_model_state state;
    const char *registered_at;
    const char *state_at;     /* the last transition's time (registered_at for a draft) */
    const char *state_by;     /* its actor, "" for a draft */
    const char *state_note;   /* its note, "" for a draft */
} ph_registry_entry;

/* What to register. */
typedef struct ph_registry_spec {
    const char *path;          /* the model file (required) */
    const char *name;          /* the model's name (required): letters, digits, . _ - */
    int64_t version;           /* 0: one more than the name's latest version */
    /* The training sample, for the summary (NULL: none). Its source file is
     * hashed when it is a readable file; target (and bad_label) give the bad
     * rate. */
    const ph_dataset *training;
    const char *target;
    const char *bad_label;
    const char *metrics_json;  /* a JSON object (e.g. ph_model_report_metrics_json), or NULL */
} ph_registry_spec;

/*
 * Register a model file as a draft. The file is read once; those bytes are
 * loaded (ph_model_load_memory: the kind and features come from the model
 * itself, and a file that does not load is refused), hashed and stored.
 * *out (may be NULL) receives the entry; free it with ph_registry_entry_free.
 * Errors: PH_EIO (the file); the loader's errors; PH_EINVAL for a bad name,
 * a version < 0, metrics that are not a JSON object; the training target's
 * errors (ph_dataset_binary_target: PH_ENOTFOUND for a missing column,
 * PH_EINVAL for a value that is not an outcome); PH_EEXISTS when the name
 * already has that version ("model pd already has version 2 (registered
 * versions are never replaced; the next free one is 3)"); PH_ESCHEMA.
 */
PH_EXTERN ph_status ph_registry_register(ph_store *store, const ph_registry_spec *spec,
                                         ph_registry_entry **out, ph_error *err);

/*
 * Move model NAME version VERSION to `to`. Legal transitions: draft ->
 * approved, draft -> rejected, approved -> retired; anything else is
 * PH_EINVAL naming both states ("cannot go from rejected to approved").
 * `actor` (who decides) is required for every transition, and `note` (why)
 * for approval and rejection. Errors: PH_ENOTFOUND for an unknown model or
 * version; PH_EINVAL as above; PH_ESCHEMA.
 */
PH_EXTERN ph_status ph_registry_set_state(ph_store *store, const char *name, int64_t version,
                                          ph_model_state to, const char *actor,
                                          const char *note, ph_error *err);

/* Read one entry (version 0: the name's latest version). PH_ENOTFOUND when
 * there is none. Free with ph_registry_entry_free. */
PH_EXTERN ph_status ph_registry_get(ph_store *store, const char *name, int64_t version,
                                    ph_registry_entry **out, ph_error *err);
PH_EXTERN void ph_registry_entry_free(ph_registry_entry *entry);

/* Called per entry; the entry is valid during the call only. A status other
 * than PH_OK stops the walk and is returned. */
typedef ph_status (*ph_registry_fn)(void *user, const ph_registry_entry *entry, ph_error *err);

/* Every entry (of `name`, or all when NULL), by name then version. */
PH_EXTERN ph_status ph_registry_list(ph_store *store, const char *name, ph_registry_fn fn,
                                     void *user, ph_error *err);

/* One transition, as ph_registry_events reports it. */
typedef struct ph_registry_event {
    int64_t seq;
    const char *at, *from, *to, *actor, *note;
} ph_registry_event;

typedef ph_status (*ph_registry_event_fn)(void *user, const ph_registry_event *event,
                                          ph_error *err);

/* The transitions of NAME VERSION (1 or more), oldest first. PH_ENOTFOUND
 * when there is no such model; PH_EMISUSE for version 0 or a NULL fn. */
PH_EXTERN ph_status ph_registry_events(ph_store *store, const char *name, int64_t version,
                                       ph_registry_event_fn fn, void *user, ph_error *err);

/*
 * Load a model for decisions: NAME at VERSION, or with version 0 the latest
 * APPROVED version. Refused with PH_EDENIED when that version is not
 * approved ("model NAME version 2 is a draft: an unapproved model cannot be
 * used for decisions") or when the name has no approved version; PH_ENOTFOUND
 * when the name (or version) was never registered. The stored bytes are
 * hashed first: a mismatch with the recorded checksum is PH_ESTORE (the row
 * was altered) and nothing is loaded. The model's source
 * (ph_model_source) is "registry:NAME@VERSION".
 */
PH_EXTERN ph_status ph_registry_load_approved(ph_store *store, const char *name,
                                              int64_t version, ph_model **out, ph_error *err);

/*
 * Load NAME at VERSION (>= 1) to replay decisions it took: approved or
 * retired (a retired model's past decisions must still replay), never a
 * draft or rejected one (PH_EDENIED). Checksum checked as above.
 */
PH_EXTERN ph_status ph_registry_load_decided(ph_store *store, const char *name,
                                             int64_t version, ph_model **out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_REGISTRY_H */
