/* Shared by test_trade_order.c and test_trade_receipt.c: a store at the
 * latest schema with a few firms, lenders, a supply-chain link and the
 * three warehouse feed tables (created here with the contract's columns
 * until helper feeds' v16 lands; IF NOT EXISTS so the tests run after). */
#ifndef TRADE_FIXTURE_H
#define TRADE_FIXTURE_H

#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SELLER "913301000A0RGM1C3D"
#define BUYER "913301000GYMM8Y680"
#define SUPPLIER "913301000PXHRUW0XM"
#define STRANGER "913301000YWDYFRR3U"
#define OWNER "9133010016UA43PK6F"
#define BANK "BANK01"
#define BANK2 "BANK02"

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
} fixture;


static int trade_setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("trade", &fx->ctx, &fx->dir);
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "t.db");
    ph_test_exec(fx->store,
                 "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES "
                 "('" SELLER "', 'Seller', 330100, 'C'), ('" BUYER "', 'Buyer', 330100, 'C'),"
                 "('" SUPPLIER "', 'Supplier', 330100, 'C'), ('" STRANGER "', 'Stranger', "
                 "330100, 'F'), ('" OWNER "', 'Owner', 330100, 'F');"
                 "INSERT INTO institution (id, name, kind) VALUES ('" BANK "', 'Bank one', "
                 "'commercial_bank'), ('" BANK2 "', 'Bank two', 'rural_bank'), ('GOV', 'Gov', "
                 "'government');"
                 "INSERT INTO feed_supply_chain (chain_id, core_uscc, tier, supplier_uscc, "
                 "buyer_uscc, since, annual_volume_fen, known_on, file_id, line, row_hash) VALUES "
                 "('SC0001', '" BUYER "', 2, '" SUPPLIER "', '" SELLER "', '2024-01-01', "
                 "100000000, '2025-01-01', 0, 1, 0);");
    *state = fx;
    return 0;
}

static int trade_teardown(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static ph_date day_of(const char *s)
{
    ph_date d = 0;
    assert_int_equal(ph_date_parse(s, strlen(s), &d, NULL), PH_OK);
    return d;
}

#endif
