/*
 * Verifying the ledger: one pass over the three tables in key order, three
 * cursors side by side (entries by id, lines by (entry, line_no), sub-ledger
 * rows by id), recomputing each entry's hash from the bytes stored, as an
 * independent verifier would (docs/ledger.md). The first problem found is
 * reported with its entry; nothing is repaired.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_internal.h"
#include "puhui/schema.h"

enum { MAX_ACCOUNTS = 64 };

typedef struct cursor {
    ph_stmt *stmt;
    int has_row; /* a row is ready */
} cursor;

typedef struct walk {
    cursor entries, lines, subs;
    int64_t next_id, next_sub;
    char prev[LEDGER_HASH_HEX];
    ph_ledger_verify_result *r;
} walk;

/* Per loan-level account of one entry: the general ledger's and the
 * sub-ledger's debits and credits. */
typedef struct sums {
    ph_money gl_debit[MAX_ACCOUNTS], gl_credit[MAX_ACCOUNTS];
    ph_money sub_debit[MAX_ACCOUNTS], sub_credit[MAX_ACCOUNTS];
    ph_money debits, credits;
} sums;

static int bad(walk *w, int64_t entry, const char *fmt, ...) PH_PRINTF(3, 4);
static int bad(walk *w, int64_t entry, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->r->problem, sizeof(w->r->problem), fmt, ap);
    va_end(ap);
    w->r->bad_entry = entry;
    return 0;
}

static ph_status advance(cursor *c, ph_error *err)
{
    ph_status st = ph_stmt_step(c->stmt, err);
    c->has_row = st == PH_OK;
    return st == PH_DONE ? PH_OK : st;
}

static void hash_column(ledger_hasher *h, ph_stmt *stmt, int col)
{
    const char *text = ph_stmt_column_text(stmt, col);
    ledger_hash_text(h, text ? text : "", ph_stmt_column_bytes(stmt, col));
}

static int add(ph_money *sum, ph_money v)
{
    return !__builtin_add_overflow(*sum, v, sum);
}

/* The entry's general-ledger lines: hashed, checked, summed. 1 when sound. */
static int walk_lines(walk *w, int64_t id, int64_t line_count, ledger_hasher *h, sums *s,
                      ph_status *st, ph_error *err)
{
    ph_stmt *stmt = w->lines.stmt;
    int64_t expected = 1;
    while (*st == PH_OK && w->lines.has_row && ph_stmt_column_int64(stmt, 0) <= id) {
        if (ph_stmt_column_int64(stmt, 0) < id)
            return bad(w, ph_stmt_column_int64(stmt, 0),
                       "journal_line rows of entry %lld stand where no entry does (an entry "
                       "was removed, or its id changed)",
                       (long long)ph_stmt_column_int64(stmt, 0));
        if (ph_stmt_column_int64(stmt, 1) != expected || expected > line_count)
            return bad(w, id, "entry %lld's lines were altered: line %lld where line %lld of %lld "
                              "was expected",
                       (long long)id, (long long)ph_stmt_column_int64(stmt, 1),
                       (long long)expected, (long long)line_count);
        const char *code = ph_stmt_column_text(stmt, 2);
        int account = ledger_account_index_n(code ? code : "", ph_stmt_column_bytes(stmt, 2));
        ph_money debit = ph_stmt_column_int64(stmt, 5), credit = ph_stmt_column_int64(stmt, 6);
        if (account < 0 || account >= MAX_ACCOUNTS)
            return bad(w, id, "entry %lld line %lld names account '%s', which is not in the chart",
                       (long long)id, (long long)expected, code ? code : "");
        if (debit < 0 || credit < 0 || !add(&s->debits, debit) || !add(&s->credits, credit) ||
            !add(&s->gl_debit[account], debit) || !add(&s->gl_credit[account], credit))
            return bad(w, id, "entry %lld line %lld has a negative or overflowing amount",
                       (long long)id, (long long)expected);
        hash_column(h, stmt, 2);
        hash_column(h, stmt, 3);
        hash_column(h, stmt, 4);
        ledger_hash_int(h, debit);
        ledger_hash_int(h, credit);
        w->r->lines++;
        expected++;
        *st = advance(&w->lines, err);
    }
    if (*st == PH_OK && expected - 1 != line_count)
        return bad(w, id, "entry %lld records %lld lines but has %lld (a line was removed or "
                          "added)",
                   (long long)id, (long long)line_count, (long long)(expected - 1));
    return 1;
}

static int walk_subs(walk *w, int64_t id, int64_t first, int64_t count, ledger_hasher *h,
                     sums *s, ph_status *st, ph_error *err)
{
    ph_stmt *stmt = w->subs.stmt;
    if (first != w->next_sub)
        return bad(w, id, "entry %lld's sub-ledger rows start at %lld, but the entry before "
                          "ends at %lld (rows were removed or inserted)",
                   (long long)id, (long long)first, (long long)(w->next_sub - 1));
    ledger_hash_int(h, first);
    ledger_hash_int(h, count);
    for (int64_t k = 0; *st == PH_OK && k < count; k++) {
        int64_t want = first + k;
        if (!w->subs.has_row || ph_stmt_column_int64(stmt, 0) != want)
            return bad(w, id, "sub-ledger row %lld of entry %lld is missing", (long long)want,
                       (long long)id);
        const char *code = ph_stmt_column_text(stmt, 3);
        int account = ledger_account_index_n(code ? code : "", ph_stmt_column_bytes(stmt, 3));
        int64_t loan = ph_stmt_column_int64(stmt, 2);
        ph_money debit = ph_stmt_column_int64(stmt, 4), credit = ph_stmt_column_int64(stmt, 5);
        if (ph_stmt_column_int64(stmt, 1) != id)
            return bad(w, id, "sub-ledger row %lld says it belongs to entry %lld, but it stands "
                              "in entry %lld's range",
                       (long long)want, (long long)ph_stmt_column_int64(stmt, 1), (long long)id);
        if (account < 0 || account >= MAX_ACCOUNTS || !ledger_account_at(account)->loan_level ||
            loan <= 0)
            return bad(w, id, "sub-ledger row %lld of entry %lld names account '%s' and loan "
                              "%lld: expected a loan-level account and a loan",
                       (long long)want, (long long)id, code ? code : "", (long long)loan);
        if (debit < 0 || credit < 0 || (debit > 0) == (credit > 0) ||
            !add(&s->sub_debit[account], debit) || !add(&s->sub_credit[account], credit))
            return bad(w, id, "sub-ledger row %lld of entry %lld is not one debit or one credit",
                       (long long)want, (long long)id);
        ledger_hash_int(h, loan);
        hash_column(h, stmt, 3);
        ledger_hash_int(h, debit);
        ledger_hash_int(h, credit);
        w->r->subledger_rows++;
        *st = advance(&w->subs, err);
    }
    w->next_sub = first + count;
    return 1;
}

static int compare_sums(walk *w, int64_t id, const sums *s)
{
    if (s->debits != s->credits || s->debits == 0)
        return bad(w, id, "entry %lld does not balance: debits %lld fen, credits %lld fen",
                   (long long)id, (long long)s->debits, (long long)s->credits);
    size_t n = 0;
    const ph_ledger_account *chart = ph_ledger_chart(&n);
    for (size_t a = 0; a < n && a < MAX_ACCOUNTS; a++) {
        if (!chart[a].loan_level)
            continue;
        if (s->gl_debit[a] != s->sub_debit[a] || s->gl_credit[a] != s->sub_credit[a])
            return bad(w, id, "entry %lld: the sub-ledger of account %s (%s) holds debits %lld "
                              "and credits %lld fen, the general ledger %lld and %lld",
                       (long long)id, chart[a].code, chart[a].name, (long long)s->sub_debit[a],
                       (long long)s->sub_credit[a], (long long)s->gl_debit[a],
                       (long long)s->gl_credit[a]);
    }
    return 1;
}

/* One entry, from the row the entries cursor stands on. 1 when sound. */
static int walk_entry(walk *w, ph_status *st, ph_error *err)
{
    ph_stmt *e = w->entries.stmt;
    int64_t id = ph_stmt_column_int64(e, 0);
    if (id != w->next_id)
        return bad(w, w->next_id, "entry %lld is missing: the journal goes from entry %lld to "
                                  "entry %lld",
                   (long long)w->next_id, (long long)(w->next_id - 1), (long long)id);
    const char *prev = ph_stmt_column_text(e, 8);
    if (prev == NULL || strcmp(prev, w->prev) != 0)
        return bad(w, id, "entry %lld does not follow entry %lld: it records prev_hash %s but "
                          "entry %lld's hash is %s",
                   (long long)id, (long long)(id - 1), prev ? prev : "NULL", (long long)(id - 1),
                   w->prev);
    ledger_hasher h;
    ledger_hash_init(&h);
    const char *day = ph_stmt_column_text(e, 1);
    size_t day_len = ph_stmt_column_bytes(e, 1);
    const char *event = ph_stmt_column_text(e, 2);
    size_t event_len = ph_stmt_column_bytes(e, 2);
    const char *memo = ph_stmt_column_text(e, 3);
    size_t memo_len = ph_stmt_column_bytes(e, 3);
    int64_t line_count = ph_stmt_column_int64(e, 5);
    ledger_hash_head(&h, id, day ? day : "", day_len, event ? event : "", event_len,
                     memo ? memo : "", memo_len, ph_stmt_column_int64(e, 4), line_count);
    static const sums ZERO;
    sums s = ZERO;
    if (!walk_lines(w, id, line_count, &h, &s, st, err) || *st != PH_OK)
        return 0;
    if (!walk_subs(w, id, ph_stmt_column_int64(e, 6), ph_stmt_column_int64(e, 7), &h, &s, st,
                   err) ||
        *st != PH_OK)
        return 0;
    ledger_hash_text(&h, prev, LEDGER_HASH_HEX - 1);
    char computed[LEDGER_HASH_HEX];
    ledger_hash_final(&h, computed);
    const char *stored = ph_stmt_column_text(e, 9);
    if (stored == NULL || strcmp(stored, computed) != 0)
        return bad(w, id, "entry %lld was altered: its contents hash to %s but it records %s",
                   (long long)id, computed, stored ? stored : "NULL");
    if (!compare_sums(w, id, &s))
        return 0;
    memcpy(w->prev, computed, LEDGER_HASH_HEX);
    w->next_id++;
    w->r->entries++;
    return 1;
}

static const char *const TRIGGERS[][2] = {
    {"journal_entry", "journal_entry_no_update"},
    {"journal_entry", "journal_entry_no_delete"},
    {"journal_line", "journal_line_no_update"},
    {"journal_line", "journal_line_no_delete"},
    {"ledger_subledger", "ledger_subledger_no_update"},
    {"ledger_subledger", "ledger_subledger_no_delete"},
};

/* Copy SQL with every run of white space made one space (none at the ends,
 * none after '(' or before ')' and ';'), cut to size. */
static void squeeze(const char *in, char *out, size_t size)
{
    size_t n = 0;
    int space = 0;
    for (; *in != '\0' && n + 2 < size; in++) {
        if (isspace((unsigned char)*in)) {
            space = n > 0 && out[n - 1] != '(';
            continue;
        }
        if (space && *in != ')' && *in != ';')
            out[n++] = ' ';
        space = 0;
        out[n++] = *in;
    }
    out[n] = '\0';
}

static ph_status check_triggers(ph_store *s, walk *w, ph_error *err)
{
    for (size_t i = 0; i < sizeof(TRIGGERS) / sizeof(TRIGGERS[0]); i++) {
        char sql[512], a[512], b[512];
        long len = 0;
        ph_status st = ph_store_trigger_sql(s, TRIGGERS[i][0], TRIGGERS[i][1], sql, sizeof(sql),
                                            &len, err);
        if (st != PH_OK)
            return st;
        const char *definition = ph_schema_trigger_definition(TRIGGERS[i][1]);
        squeeze(sql, a, sizeof(a));
        squeeze(definition ? definition : "", b, sizeof(b));
        if (len < 0 || (size_t)len >= sizeof(sql) || strcmp(a, b) != 0) {
            snprintf(w->r->problem, sizeof(w->r->problem),
                     "the append-only protection of the ledger is gone: trigger %s on %s is "
                     "missing or not as the schema creates it, so rows could be changed or "
                     "deleted without the database refusing it (restore it from the schema)",
                     TRIGGERS[i][1], TRIGGERS[i][0]);
            return ph_error_set(err, PH_ESTORE, "trigger", TRIGGERS[i][1], "%s",
                                w->r->problem);
        }
    }
    return PH_OK;
}

static ph_status open_cursors(ph_store *s, walk *w, ph_error *err)
{
    ph_status st = ph_store_prepare(
        s,
        "SELECT id, value_date, event, memo, COALESCE(reverses, 0), line_count, first_sub, "
        "sub_count, prev_hash, hash FROM journal_entry ORDER BY id",
        &w->entries.stmt, err);
    if (st == PH_OK)
        st = ph_store_prepare(s,
                              "SELECT entry_id, line_no, account, product, party, debit, credit "
                              "FROM journal_line ORDER BY entry_id, line_no",
                              &w->lines.stmt, err);
    if (st == PH_OK)
        st = ph_store_prepare(s,
                              "SELECT id, entry_id, loan_id, account, debit, credit FROM "
                              "ledger_subledger ORDER BY id",
                              &w->subs.stmt, err);
    if (st == PH_OK)
        st = advance(&w->entries, err);
    if (st == PH_OK)
        st = advance(&w->lines, err);
    if (st == PH_OK)
        st = advance(&w->subs, err);
    return st;
}

static ph_status verify_walk(ph_store *s, ph_ledger_verify_result *r, ph_error *err)
{
    walk w;
    memset(&w, 0, sizeof(w));
    w.next_id = 1;
    w.next_sub = 1;
    w.r = r;
    memcpy(w.prev, LEDGER_GENESIS, LEDGER_HASH_HEX);
    ph_status st = open_cursors(s, &w, err);
    int sound = 1;
    while (st == PH_OK && sound && w.entries.has_row) {
        sound = walk_entry(&w, &st, err);
        if (st == PH_OK && sound)
            st = advance(&w.entries, err);
    }
    if (st == PH_OK && sound && w.lines.has_row)
        sound = bad(&w, ph_stmt_column_int64(w.lines.stmt, 0),
                    "journal_line rows of entry %lld stand after the last entry (%lld)",
                    (long long)ph_stmt_column_int64(w.lines.stmt, 0), (long long)(w.next_id - 1));
    if (st == PH_OK && sound && w.subs.has_row)
        sound = bad(&w, ph_stmt_column_int64(w.subs.stmt, 1),
                    "sub-ledger row %lld stands after the last entry's rows (entry %lld)",
                    (long long)ph_stmt_column_int64(w.subs.stmt, 0), (long long)(w.next_id - 1));
    memcpy(r->head, w.prev, sizeof(r->head));
    ph_stmt_free(w.entries.stmt);
    ph_stmt_free(w.lines.stmt);
    ph_stmt_free(w.subs.stmt);
    if (st != PH_OK)
        return st;
    if (!sound) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)r->bad_entry);
        return ph_error_set(err, PH_ESTORE, "entry", value, "%s", r->problem);
    }
    return check_triggers(s, &w, err);
}

ph_status ph_ledger_verify(ph_store *s, ph_ledger_verify_result *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_verify: store and out must not be NULL");
    ph_status st = ledger_require_schema(s, err);
    if (st != PH_OK)
        return st;
    ph_ledger_verify_result r;
    memset(&r, 0, sizeof(r));
    int own = !ph_store_in_transaction(s);
    if (own && (st = ph_store_begin_read(s, err)) != PH_OK)
        return st;
    st = verify_walk(s, &r, err);
    if (own)
        ph_store_rollback(s, NULL); /* a read: nothing to keep */
    /* a finding fills the result too; a failure to read leaves it alone */
    if (st == PH_OK || r.problem[0] != '\0')
        *out = r;
    return st;
}
