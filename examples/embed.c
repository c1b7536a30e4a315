/*
 * A bank's own program embedding libpuhui: validate a code, price a loan,
 * record the firm in a database. Built by tests/cli/test_install.sh against
 * the installed library through pkg-config.
 *
 *   cc embed.c $(pkg-config --cflags --libs puhui) -o embed
 *   ./embed DATABASE
 */
#include <stdio.h>
#include <string.h>

#include <puhui/puhui.h>

static int fail(const ph_error *err)
{
    fprintf(stderr, "embed: %s\n", err->message);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: embed DATABASE\n");
        return 2;
    }
    ph_error err;
    ph_ctx *ctx = NULL;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        return fail(&err);

    char code[PH_USCC_LEN + 1];
    if (ph_uscc_generate('9', '1', 370102, 42, code, &err) != PH_OK ||
        ph_uscc_validate(code, strlen(code), &err) != PH_OK)
        return fail(&err);

    ph_money principal, interest;
    ph_rate rate;
    char text[PH_MONEY_FORMAT_MAX];
    if (ph_money_parse("500,000.00", 10, &principal, &err) != PH_OK ||
        ph_rate_parse("3.85%", 5, &rate, &err) != PH_OK ||
        ph_interest(principal, rate, 90, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP, &interest,
                    &err) != PH_OK ||
        ph_money_format(interest, PH_MONEY_GROUPING, text, sizeof(text), &err) != PH_OK)
        return fail(&err);

    ph_store *store = NULL;
    ph_stmt *stmt = NULL;
    if (ph_store_open(ctx, argv[1], NULL, &store, &err) != PH_OK ||
        ph_schema_migrate(store, -1, NULL, &err) != PH_OK ||
        ph_store_prepare(store,
                         "INSERT INTO enterprise (uscc, name, region_code, industry_section) "
                         "VALUES (?, ?, ?, ?)",
                         &stmt, &err) != PH_OK ||
        ph_stmt_bind_text(stmt, 1, code, -1, &err) != PH_OK ||
        ph_stmt_bind_text(stmt, 2, "历下区示例商贸有限公司", -1, &err) != PH_OK ||
        ph_stmt_bind_int64(stmt, 3, 370102, &err) != PH_OK ||
        ph_stmt_bind_text(stmt, 4, "F", -1, &err) != PH_OK ||
        ph_stmt_step(stmt, &err) != PH_DONE)
        return fail(&err);
    ph_stmt_free(stmt);
    ph_store_free(store);
    ph_ctx_free(ctx);
    printf("%s: 90 days' interest on 500,000.00 at 3.85%% is %s\n", code, text);
    return 0;
}
