/*
 * The early-warning engine's private structures (src/monitor): the compiled
 * rule set (rules.c), shared with the engine (engine.c) and its checkpoint
 * (checkpoint.c). docs/warning.md says what each member means to a user.
 */
#ifndef PH_MONITOR_INTERNAL_H
#define PH_MONITOR_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "puhui/expr.h"
#include "puhui/value.h"
#include "puhui/warning.h"

typedef enum warn_agg { AGG_SUM, AGG_MEAN, AGG_MIN, AGG_MAX, AGG_COUNT } warn_agg;
typedef enum warn_cmp { CMP_BASELINE, CMP_PEERS, CMP_THRESHOLD } warn_cmp;

#define WARN_GRAPH_MAX 8   /* rules a graph rule listens to, and tiers it reaches */
#define WARN_COUNT_MAX 16  /* an event rule's "count.at_least" */

/* The variables of a window rule's condition, by slot. */
enum { WV_VALUE, WV_BASELINE, WV_PEERS, WV_RATIO, WV_CHANGE, WV_EVENTS, WV_COUNT };

typedef struct warn_rule {
    ph_warn_rule_info info;  /* strings owned by the rule */
    int feed;                /* ph_warn_feed_index; -1 for a graph rule */
    /* window */
    int field;               /* -1 for aggregate count */
    ph_field_type field_type;
    warn_agg agg;
    int period_days;         /* 1 or 7 */
    int window, baseline;    /* periods */
    warn_cmp cmp;
    int min_peers;
    int consecutive;
    /* event */
    int count_at_least, count_days, repeat_days;
    int nfields;             /* the feed's fields */
    int slot_val[PH_WARN_FIELDS], slot_rank[PH_WARN_FIELDS];
    int slot_prev[PH_WARN_FIELDS], slot_prev_rank[PH_WARN_FIELDS];
    int slot_days_since;
    size_t nslots;
    /* graph */
    int on[WARN_GRAPH_MAX];
    size_t on_count;
    ph_warn_level tier_level[WARN_GRAPH_MAX];
    size_t tiers;
    ph_expr *when;
} warn_rule;

struct ph_warn_rules {
    const ph_ctx *ctx;
    char *name;
    int64_t version;
    char checksum[PH_CHECKSUM_HEX];
    int memory_days;          /* how long a hit counts towards a colour */
    int calm_days[3];         /* [yellow], [red]: days below a colour before leaving it */
    int red_when_yellow;      /* distinct rules within memory_days that make red; 0: never */
    size_t count;
    warn_rule *rule;
    ph_source_set sources;
};

/* feeds.c */
/* 1 when monitored feed `index` is one of the platform's own records
 * (voucher_late_settlements), not a catalogue feed: no consent names it, no
 * feed table holds it. */
int warn_feed_is_record(size_t index);
int warn_field_index(size_t feed_index, const char *name);
int64_t warn_enum_code(const ph_feed_column *col, const char *label, size_t len);

/* A field's raw event value as an expression value (money fen -> yuan). */
ph_status warn_to_decimal(ph_field_type type, int64_t raw, ph_decimal *out, ph_error *err);


/* ---- the engine's state (engine.c; checkpoint.c writes and reads it) ---- */

/* One registered firm. Days are ph_date; 0 means "never" (no data is dated
 * 1970-01-01). */
typedef struct warn_firm {
    char uscc[19];
    uint8_t watched;
    uint8_t level;            /* ph_warn_level */
    char section;
    int32_t division;
    int32_t group;            /* industry section x city */
    int32_t at_level[3];      /* last day the firm's rules supported [yellow], [red] */
} warn_firm;

/* One rule's arrays, each indexed by firm (window slots: firm * slots). */
typedef struct warn_rule_state {
    int32_t *last_hit;        /* last day the rule held for the firm */
    int32_t *last_alert;      /* last day it was reported (repeat suppression) */
    uint8_t *hit_level;       /* the level of that hit (a graph rule's decays by tier) */
    /* window rules */
    int slots;                /* window + baseline + 1 periods in the ring */
    int32_t *first_period;    /* 1 + the first period with an event; 0: none */
    int32_t *streak;          /* periods in a row the condition held */
    int64_t *acc;             /* per period: sum, min or max of the field (raw units) */
    int32_t *cnt;             /* per period: events */
    /* derived, not in a checkpoint: a sum or mean's baseline for the next
     * period to close, kept running (see engine.c) */
    int running;              /* 1 when the rule keeps them */
    int64_t *bsum, *bcnt;
    /* event rules */
    int64_t *prev;            /* the last event's fields (nfields per firm) */
    int32_t *prev_day;        /* its day; 0: none */
    int32_t *recent;          /* the days of the last count_at_least matches */
} warn_rule_state;

typedef struct warn_link {
    uint32_t chain, supplier, buyer;
} warn_link;

typedef struct warn_group_key {
    int32_t key;              /* section * 10000 + city; 0: empty */
    int32_t group;
} warn_group_key;

struct ph_warn_engine {
    const ph_ctx *ctx;
    const ph_warn_rules *rules;
    ph_warn_engine_opts opts;
    ph_date closed;           /* last day closed; 0: none yet */
    size_t nfirms, cap;
    warn_firm *firm;
    warn_rule_state *rs;      /* one per rule */
    size_t nlinks, link_cap;
    warn_link *link;
    size_t ngroups;
    warn_group_key *gtab;     /* open addressing, gtab_cap entries */
    size_t gtab_cap;
    /* derived, rebuilt when needed (not in a checkpoint) */
    int adj_dirty;
    uint32_t *adj_start;      /* nfirms + 1 */
    warn_link *adj;           /* per firm: (chain, neighbour, 0) */
    uint8_t *dist;            /* graph walk scratch, 0xFF: not reached */
    int64_t *peer_x;          /* peer pass scratch, 4 per firm (engine.c: PX_*) */
    uint8_t *peer_ok;
    int64_t *gsum;
    int32_t *gcnt;
    size_t scratch_cap, group_scratch_cap;
    int *feed_window, *feed_event; /* rule indices by feed: nfeeds x count */
    size_t *feed_nwindow, *feed_nevent;
    size_t nfeeds;
    const ph_feed_column **field; /* nfeeds x PH_WARN_FIELDS: ph_warn_field_at's answers */
    ph_value *enum_label;     /* every enum field's labels, text values into the catalogue */
    uint32_t *enum_first, *enum_count; /* by field as `field`: its first label, how many */
    uint32_t *uscc_tab;       /* USCC index (engine.c): 1 + firm index by hash; 0: empty */
    size_t uscc_cap, uscc_count; /* its slots; firms [0, uscc_count) are in it */
    char evidence[2048];
};

/* engine.c: grow the per-firm arrays to hold `cap` firms (new entries 0). */
ph_status warn_engine_reserve(ph_warn_engine *eng, size_t cap, ph_error *err);
/* engine.c: after a restore, the running sums derived from the rings. */
void warn_engine_derive_baselines(ph_warn_engine *eng);
/* engine.c: every per-firm array of a rule, with its bytes per firm, in
 * the one order the checkpoint writes and reads them (at most
 * WARN_RULE_ARRAYS); the derived ones (running baselines) are not among them. */
#define WARN_RULE_ARRAYS 8
typedef struct warn_rule_array {
    void **p;
    size_t per_firm;
} warn_rule_array;
size_t warn_rule_arrays(const warn_rule *r, warn_rule_state *s, warn_rule_array *out);
/* engine.c: a rule's bytes of state per firm: the sum of its arrays. */
size_t warn_rule_state_bytes(const warn_rule *r);
/* engine.c: an engine without firms, its rule lookup built. */
ph_status warn_engine_alloc(const ph_ctx *ctx, const ph_warn_rules *rules,
                            const ph_warn_engine_opts *opts, ph_warn_engine **out, ph_error *err);
/* engine.c: place a firm in its group (section x city). */
ph_status warn_engine_group_of(ph_warn_engine *eng, char section, int32_t division,
                               int32_t *group, ph_error *err);

#endif /* PH_MONITOR_INTERNAL_H */
