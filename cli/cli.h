/*
 * The puhui command-line program: shared state and helpers for subcommands.
 * Each subcommand lives in its own cli/cmd_<name>.c and is listed in the
 * command table in cli/main.c.
 */
#ifndef PUHUI_CLI_H
#define PUHUI_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "puhui/puhui.h"

/* Exit codes (documented in `puhui help`). */
enum {
    PH_EXIT_OK = 0,
    PH_EXIT_FAILURE = 1, /* the command could not do its job */
    PH_EXIT_USAGE = 2,   /* usage error or bad input: fix the command or the data */
    PH_EXIT_VERIFY = 3   /* PH_EVERIFY: a proof or signature does not verify */
};

typedef enum ph_cli_format { PH_FORMAT_TABLE, PH_FORMAT_JSON } ph_cli_format;

typedef struct ph_cli {
    ph_ctx *ctx;
    const char *db_path;  /* --db, else $PUHUI_DB, else ./puhui.db */
    ph_cli_format format; /* --format */
    FILE *out;
    FILE *err;
} ph_cli;

typedef struct ph_cli_command {
    const char *name;
    const char *summary;
    const char *usage; /* the full help text of the command */
    int (*run)(ph_cli *cli, int argc, char **argv);
} ph_cli_command;

/* The subcommands, one file each (cli/cmd_<name>.c). */
int ph_cmd_help(ph_cli *cli, int argc, char **argv);
int ph_cmd_version(ph_cli *cli, int argc, char **argv);
int ph_cmd_init(ph_cli *cli, int argc, char **argv);
int ph_cmd_info(ph_cli *cli, int argc, char **argv);
int ph_cmd_uscc(ph_cli *cli, int argc, char **argv);
int ph_cmd_interest(ph_cli *cli, int argc, char **argv);
int ph_cmd_size(ph_cli *cli, int argc, char **argv);
int ph_cmd_csv(ph_cli *cli, int argc, char **argv);
int ph_cmd_feeds(ph_cli *cli, int argc, char **argv);
int ph_cmd_gen(ph_cli *cli, int argc, char **argv);
int ph_cmd_consent(ph_cli *cli, int argc, char **argv);
int ph_cmd_audit(ph_cli *cli, int argc, char **argv);
int ph_cmd_records(ph_cli *cli, int argc, char **argv);
int ph_cmd_features(ph_cli *cli, int argc, char **argv);
int ph_cmd_profile(ph_cli *cli, int argc, char **argv);
int ph_cmd_ingest(ph_cli *cli, int argc, char **argv);
int ph_cmd_model(ph_cli *cli, int argc, char **argv);
int ph_cmd_policy(ph_cli *cli, int argc, char **argv);
int ph_cmd_apply(ph_cli *cli, int argc, char **argv);
int ph_cmd_appeal(ph_cli *cli, int argc, char **argv);
/* cli/policy_market.c: `policy challenger` and `policy simulate`. */
int ph_policy_challenger(ph_cli *cli, int argc, char **argv);
int ph_policy_simulate(ph_cli *cli, int argc, char **argv);
int ph_cmd_market(ph_cli *cli, int argc, char **argv);
int ph_cmd_decision(ph_cli *cli, int argc, char **argv);
int ph_cmd_loan(ph_cli *cli, int argc, char **argv);
int ph_cmd_riskshare(ph_cli *cli, int argc, char **argv);
int ph_cmd_cob(ph_cli *cli, int argc, char **argv);
int ph_cmd_simulate(ph_cli *cli, int argc, char **argv);
/* The book by category, NPL, coverage and subsidies (cmd_loan.c; the demo and cob print it). */
int ph_loan_book_print(ph_cli *cli, ph_store *store);
/* cmd_loan_import.c: puhui loan import FILE, puhui loan repay --batch FILE */
int ph_loan_import_cli(ph_cli *cli, ph_store *store, const char *path);
int ph_loan_repay_batch_cli(ph_cli *cli, ph_store *store, const char *path);
int ph_cmd_ledger(ph_cli *cli, int argc, char **argv);
int ph_cmd_serve(ph_cli *cli, int argc, char **argv);
int ph_cmd_key(ph_cli *cli, int argc, char **argv);
int ph_cmd_watch(ph_cli *cli, int argc, char **argv);
int ph_cmd_warning(ph_cli *cli, int argc, char **argv);
int ph_cmd_evidence(ph_cli *cli, int argc, char **argv);
int ph_cmd_voucher(ph_cli *cli, int argc, char **argv);
/* cli/cmd_trade.c: order financing and warehouse receipts */
int ph_cmd_order(ph_cli *cli, int argc, char **argv);
int ph_cmd_receipt(ph_cli *cli, int argc, char **argv);

/* Split "a,b,c" (NULL or "": no items) at commas into a NULL-terminated
 * list, empty items skipped, with room for `spare` more entries before the
 * terminator (the caller may append them). The list and the strings are one
 * malloc'd block: free(list) frees all. NULL when out of memory. */
char **ph_cli_split_list(const char *text, size_t spare);

/* Write `text` as one CSV field (RFC 4180): quoted when it holds a comma,
 * a quote or a line break, with quotes doubled. */
void ph_cli_csv_field(FILE *out, const char *text);

/* The command table (cli/main.c). */
const ph_cli_command *ph_cli_commands(size_t *count);
const ph_cli_command *ph_cli_find_command(const char *name);

/* Print "puhui: error: MESSAGE" and, when given, "hint: HINT"; return the
 * exit code that fits the status (2 for bad input, 1 otherwise). */
int ph_cli_fail(ph_cli *cli, ph_status status, const ph_error *err, const char *hint);

/* A usage error in COMMAND: prints the message and where to read more. */
int ph_cli_usage_error(ph_cli *cli, const char *command, const char *fmt, ...)
    PH_PRINTF(3, 4);

/* Reject any argument left after a command's own options. */
int ph_cli_no_more_args(ph_cli *cli, const char *command, int argc, char **argv);

/* Parse a whole number for OPTION in [min, max]; prints a usage error and
 * returns 2 when it is not one. */
int ph_cli_parse_int(ph_cli *cli, const char *command, const char *option, const char *text,
                     long long min, long long max, long long *out);

/* Match argv[*i] against "--name VALUE" or "--name=VALUE". Returns 1 on a
 * match, with *value NULL when the value is missing; advances *i past a
 * separate value. */
int ph_cli_option(int argc, char **argv, int *i, const char *name, const char **value);

/* Walk argv[first..] where every argument is one of `options` with a value;
 * call fn(cli, option, value, user) for each. An unknown argument or a
 * missing value is a usage error; the first non-zero exit code stops the
 * walk and is returned. */
typedef int (*ph_cli_option_fn)(ph_cli *cli, const char *option, const char *value, void *user);
int ph_cli_each_option(ph_cli *cli, const char *command, int argc, char **argv, int first,
                       const char *const *options, size_t count, ph_cli_option_fn fn,
                       void *user);

/* One named option: "--name VALUE" into *value, or with `flag` set a bare
 * "--name" that sets *flag to 1. */
typedef struct ph_cli_named {
    const char *name;
    const char **value;
    int *flag;
} ph_cli_named;

/* Parse argv[first..] against `opts`: an unknown argument, or a value
 * missing or empty, is a usage error of COMMAND (exit code 2 returned). */
int ph_cli_parse_named(ph_cli *cli, const char *command, int argc, char **argv, int first,
                       const ph_cli_named *opts, size_t count);

/* Open the database named by --db; `must_exist` gives the "run puhui init
 * first" error when it is missing. Prints the error and returns NULL on
 * failure, setting *exit_code. */
ph_store *ph_cli_open_store(ph_cli *cli, int must_exist, int *exit_code);

/* The evidence log's directory: `dir` when given (--evidence DIR), else
 * "<db path>.evidence", into buf. */
const char *cli_evidence_dir(const ph_cli *cli, const char *dir, char *buf, size_t size);

/* Open the evidence log (docs/evidence.md) in `dir` (NULL: cli_evidence_dir's
 * default), whatever its origin. With `create`, a missing log is made with
 * its key pair (DIR/log.key, 0600, and DIR/log.vkey), named
 * "puhui.local/evidence". Another process writing to the log is waited for
 * up to 5 s (one writer at a time). Prints the error and returns NULL on
 * failure, setting *exit_code. Free with ph_evidence_free, after
 * committing. */
ph_evidence_log *cli_evidence_open(ph_cli *cli, const char *dir, int create, int *exit_code);

/* Open the evidence log in `dir` (NULL: the default) for reading only
 * (ph_evidence_open_read): no writer lock, so a proof or an audit neither
 * waits for nor blocks a process recording events; it sees the committed
 * leaves. Prints the error and returns NULL on failure, setting *exit_code. */
ph_evidence_log *cli_evidence_open_read(ph_cli *cli, const char *dir, int *exit_code);

/* The log a command that records events appends to: --evidence DIR (`dir`,
 * NULL: <db>.evidence), created with its keys when missing, or none (*log
 * NULL) with --no-evidence (`none`). The same for voucher, order and
 * receipt. Returns the exit code (PH_EXIT_OK, or the error printed). */
int cli_evidence_for_events(ph_cli *cli, const char *dir, int none, ph_evidence_log **log);

/* The database (--db, must exist) and then cli_evidence_for_events' log, for
 * a command that records events; on failure neither is left open (*store
 * and *log NULL). Returns the exit code (PH_EXIT_OK, or the error printed). */
int cli_open_for_events(ph_cli *cli, const char *dir, int none, ph_store **store,
                        ph_evidence_log **log);

/* `puhui voucher|order|receipt prove ID [--out BUNDLE] [--size N]
 * [--evidence DIR]` (cli/prove_records.c): argv[2] is ID. Opens the store
 * and the log (never creates it), takes the size of the last signed
 * checkpoint (its root checked against the log's) unless --size is given,
 * and calls `prove`, the module's ph_<x>_prove; prints "N events of
 * <subject> ID recomputed from the database match the evidence log ...". An
 * edited row is PH_EVERIFY: exit code 3. */
typedef ph_status (*cli_prove_fn)(ph_store *store, ph_evidence_log *log, const char *id,
                                  uint64_t size, const char *bundle_path, size_t *leaves,
                                  ph_error *err);
int cli_prove_records(ph_cli *cli, const char *command, int argc, char **argv, cli_prove_fn prove,
                      const char *subject);

/* ph_read_file, NUL-terminated (the bytes may hold NULs: *len counts them). */
ph_status cli_read_text(ph_cli *cli, const char *path, const char *what, char **text,
                        size_t *len, ph_error *err);

/* The last signed checkpoint of the log in dir (a directory, as
 * cli_evidence_dir gives): DIR/checkpoint read and checked with DIR/log.vkey.
 * PH_ENOTFOUND ("sign one with `puhui evidence checkpoint`") when there is
 * none yet. Bundles are written against its size. */
ph_status cli_evidence_last_checkpoint(ph_cli *cli, const char *dir,
                                       ph_evidence_checkpoint_info *cp, ph_error *err);

/*
 * Tabular output shared by every command: `--format table` prints aligned
 * columns (Chinese counts two columns wide), `--format json` prints an
 * array of objects. Cells are strings; `numeric` marks right-aligned columns
 * that become JSON numbers.
 */
typedef struct ph_cli_table ph_cli_table;

/* Out of memory ends the program with a message (the CLI, not the library). */
ph_cli_table *ph_cli_table_new(const char *const *headers, const int *numeric, size_t columns);
/* Add a row of `columns` cells (copied). */
void ph_cli_table_add(ph_cli_table *table, const char *const *cells);
void ph_cli_table_print(const ph_cli *cli, const ph_cli_table *table, const char *title);
/* The table as a JSON array of objects (new reference), for commands that
 * print several parts as one JSON document. */
json_t *ph_cli_table_json(const ph_cli_table *table);
/* Print a JSON document (steals the reference). */
void ph_cli_print_json(const ph_cli *cli, json_t *document);
void ph_cli_table_free(ph_cli_table *table);

/* Terminal display width of UTF-8 text: wide (CJK) characters count two. */
size_t ph_cli_display_width(const char *text);

#endif
