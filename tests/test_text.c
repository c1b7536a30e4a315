/*
 * The bounded text that remembers overflow (src/core/text.h), the one rule
 * behind the CSV missing-column message, the access gate's refusal and a
 * subsidy's explanation: a piece is kept whole or the text is cut, ends in
 * "..." and takes nothing more.
 */
#include "ph_test.h"

#include "core/text.h"

#include <string.h>

static void test_pieces_that_fit_are_kept_whole(void **state)
{
    (void)state;
    char buf[8];
    text_buf t;
    text_init(&t, buf, sizeof(buf));
    assert_string_equal(buf, "");
    text_append(&t, "%s", "abc");
    text_append(&t, "%d", 1234); /* exactly fills the buffer: 7 bytes and the NUL */
    assert_string_equal(buf, "abc1234");
    assert_int_equal(t.len, 7);
    assert_false(t.full);
}

static void test_a_piece_that_does_not_fit_cuts_and_says_so(void **state)
{
    (void)state;
    char buf[8];
    text_buf t;
    text_init(&t, buf, sizeof(buf));
    text_append(&t, "%s", "abc");
    text_append(&t, "%s", "defgh");
    assert_string_equal(buf, "abcd...");
    assert_true(t.full);
    assert_int_equal(t.len, strlen(buf));
    text_append(&t, "%s", "x"); /* nothing once full */
    assert_string_equal(buf, "abcd...");
}

static void test_reserve_keeps_room_for_the_mark(void **state)
{
    (void)state;
    char buf[8];
    text_buf t;
    text_init(&t, buf, sizeof(buf));
    t.reserve = 3;
    text_append(&t, "%s", "abcd"); /* leaves 3 bytes free: kept */
    assert_string_equal(buf, "abcd");
    assert_false(t.full);
    text_append(&t, "%s", "e"); /* would fit, but not with room for "..." */
    assert_string_equal(buf, "abcd...");
    assert_true(t.full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pieces_that_fit_are_kept_whole),
        cmocka_unit_test(test_a_piece_that_does_not_fit_cuts_and_says_so),
        cmocka_unit_test(test_reserve_keeps_room_for_the_mark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
