/*
 * puhui — the synthetic province (`puhui gen`).
 *
 * A deterministic simulator of one province's small and micro enterprises
 * (Shandong's GB/T 2260 codes by default) and of the data feeds a provincial
 * platform receives about them: registration, VAT invoices, tax, social
 * security, electricity, payment flows, courts, penalties, patents,
 * subsidies, the credit bureau, supply chains, trucks' GPS events and public
 * opinion; plus the market's lenders, guarantors, risk pools and core
 * enterprises. Beside the feeds it writes
 * the ground truth the feeds are drawn from: each firm's latent health, its
 * true 12-month probability of default at every month end and its default
 * date, so that models and early warnings can be scored honestly.
 *
 * Layout written under `out_dir` (file formats: docs/formats/):
 *   manifest.json        every file with rows, bytes, format version and
 *                        BLAKE2b-256 checksum (`b2sum -l 256 FILE` checks it)
 *   feeds/NAME.csv         what the platform ingests
 *   reference/NAME.csv     lenders, guarantors, risk pools, core enterprises
 *   truth/NAME.csv         ground truth; never to be read by a model
 *
 * Determinism: the same options (whatever `threads` is) give byte-identical
 * files. Every firm and purpose draws from its own random stream derived from
 * (seed, purpose, firm), and blocks of firms are written in order.
 *
 * Memory grows with the number of enterprises (about 120 bytes each), not
 * with the feeds: rows stream to disk block by block.
 */
#ifndef PUHUI_GEN_H
#define PUHUI_GEN_H

#include <stdint.h>

#include "puhui/common.h"
#include "puhui/date.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ph_gen_scenario {
    PH_GEN_BASELINE = 0, /* the province's macro factor follows its own random path */
    PH_GEN_STRESS = 1    /* plus a macro downturn and a shock to one sector */
} ph_gen_scenario;

#define PH_GEN_MAX_ENTERPRISES UINT64_C(20000000)
#define PH_GEN_MAX_MONTHS 120
#define PH_GEN_MAX_DIRTY 0.5

typedef struct ph_gen_options {
    uint64_t enterprises;      /* 1 .. PH_GEN_MAX_ENTERPRISES */
    int months;                /* 1 .. PH_GEN_MAX_MONTHS */
    ph_month start;            /* first month of the window, 2016-01 .. 2030-12 */
    uint64_t seed;
    const char *out_dir;       /* created if absent; must be empty unless `force` */
    ph_gen_scenario scenario;
    double dirty_rate;         /* 0 .. PH_GEN_MAX_DIRTY: bad rows inserted per feed row */
    int threads;               /* 0 = one per online core (at most 8); output is the same */
    int force;                 /* 1 = replace the files of an earlier run in out_dir */
    /* Called from the calling thread after each block of firms is written. */
    void (*progress)(void *user, uint64_t firms_done, uint64_t firms_total);
    void *progress_user;
} ph_gen_options;

/* Defaults: 20,000 enterprises, 24 months from 2024-01, seed 1, baseline,
 * clean, automatic threads, out_dir NULL (must be set). */
PH_EXTERN void ph_gen_options_init(ph_gen_options *opts);

/* Parse "baseline" / "stress". Errors: PH_EINVAL (field "scenario"). */
PH_EXTERN ph_status ph_gen_scenario_parse(const char *s, ph_gen_scenario *out, ph_error *err);
PH_EXTERN const char *ph_gen_scenario_name(ph_gen_scenario scenario);

/* One written file. */
typedef struct ph_gen_file {
    char path[64];             /* relative to out_dir: "feeds/vat_invoices.csv" */
    char feed[32];             /* catalogue name: "vat_invoices" */
    uint64_t rows;             /* data rows, header excluded */
    uint64_t bytes;
    char checksum[80];         /* "blake2b-256:<64 hex digits>" */
} ph_gen_file;

/* Firms and defaults of one group (a city, a section, a size class). */
typedef struct ph_gen_group {
    int key;                   /* city code, section letter, or ph_size_class */
    uint64_t firms;
    uint64_t defaults;         /* default dates inside the window */
    double firm_years;         /* years at risk inside the window */
} ph_gen_group;

/* Data sources whose coverage the summary reports. */
typedef enum ph_gen_source {
    PH_GEN_SRC_VAT,
    PH_GEN_SRC_TAX,
    PH_GEN_SRC_SOCIAL,
    PH_GEN_SRC_POWER,
    PH_GEN_SRC_PAYMENTS,
    PH_GEN_SRC_CREDIT,         /* has a credit-bureau history (not credit-white) */
    PH_GEN_SRC_COUNT
} ph_gen_source;

PH_EXTERN const char *ph_gen_source_name(ph_gen_source source);

#define PH_GEN_MAX_FILES 32
#define PH_GEN_MAX_CITIES 32
#define PH_GEN_SECTIONS 20
#define PH_GEN_SIZES 4

/* What a run produced. All counts are over the whole window. */
typedef struct ph_gen_summary {
    uint64_t enterprises;
    uint64_t county_firms;     /* registered in a county or county-level city */
    uint64_t female_owners;
    uint64_t owners_under_35;  /* at the window start */
    uint64_t young_firms;      /* registered less than 3 years before the window end */
    uint64_t defaults;         /* first 90+ DPD dates inside the window */
    double firm_years;         /* years at risk (registered, not deregistered, not defaulted) */
    double annual_default_rate;/* defaults / firm_years */
    uint64_t covered[PH_GEN_SRC_COUNT];          /* firms with data from each source */
    uint64_t county_covered[PH_GEN_SRC_COUNT];   /* the same among county firms */
    size_t city_count;
    ph_gen_group cities[PH_GEN_MAX_CITIES];
    ph_gen_group sections[PH_GEN_SECTIONS];         /* key 'A'..'T' */
    ph_gen_group sizes[PH_GEN_SIZES];               /* key ph_size_class */
    size_t file_count;
    ph_gen_file files[PH_GEN_MAX_FILES];
    uint64_t total_rows;
    uint64_t total_bytes;
    uint64_t dirty_rows;       /* bad rows inserted (listed in truth/dirty.csv) */
    double seconds;            /* wall-clock time of the run */
} ph_gen_summary;

/*
 * Generate the province into opts->out_dir and fill *summary (may be NULL).
 * Errors: PH_EINVAL for an option out of range (field names the option);
 * PH_EEXISTS when out_dir holds files and force is 0; PH_EIO naming the path
 * for a file-system failure; PH_ENOMEM. On failure the directory may hold
 * partial files but never a manifest.json from this run: the manifest is
 * written last, so its presence marks a complete run.
 */
PH_EXTERN ph_status ph_gen_run(const ph_ctx *ctx, const ph_gen_options *opts,
                               ph_gen_summary *summary, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif
