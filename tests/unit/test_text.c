/* base/text.c: the one splitter (comma lists, lines) and the key walker
 * that pairs, caplist, secrets, accounts, dns, procs and oom share. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "text.h"

/* The pieces of s split at sep, joined with '|' for one compare. */
static const char *pieces(const char *s, char sep)
{
	static char out[256];
	struct text_span rest = text_span_of(s), piece;
	size_t len = 0;

	out[0] = '\0';
	while (text_next(&rest, sep, &piece)) {
		ck_assert_uint_lt(len + piece.len + 2, sizeof(out));
		memcpy(out + len, piece.p, piece.len);
		len += piece.len;
		out[len++] = '|';
		out[len] = '\0';
	}
	return out;
}

START_TEST(every_separator_ends_a_piece)
{
	ck_assert_str_eq(pieces("a,b,c", ','), "a|b|c|");
	ck_assert_str_eq(pieces("a,,b", ','), "a||b|");
	ck_assert_str_eq(pieces("a,", ','), "a||");
	ck_assert_str_eq(pieces(",a", ','), "|a|");
	ck_assert_str_eq(pieces("", ','), "|"); /* one empty item: the list's caller refuses it */
	ck_assert_str_eq(pieces("one\ntwo\n", '\n'), "one|two||");
}
END_TEST

START_TEST(a_span_is_bounded_by_its_length_not_a_nul)
{
	const char text[] = "x=1\ny=2\0z=3";
	struct text_span rest = { text, 7 }, piece; /* "x=1\ny=2" */

	ck_assert(text_next(&rest, '\n', &piece));
	ck_assert_uint_eq(piece.len, 3);
	ck_assert(text_next(&rest, '\n', &piece));
	ck_assert_uint_eq(piece.len, 3);
	ck_assert(memcmp(piece.p, "y=2", 3) == 0);
	ck_assert(!text_next(&rest, '\n', &piece));
	ck_assert(!text_next(&rest, '\n', &piece)); /* spent stays spent */
}
END_TEST

START_TEST(line_value_matches_a_whole_key_at_a_line_start)
{
	const char *status = "Name:\tapp\nSigIgn:\t0000000000080000\nSigCgt:\t0000000000004000\n";

	ck_assert_str_eq(text_line_value(status, "SigIgn", ':'), "\t0000000000080000\nSigCgt:\t0000000000004000\n");
	ck_assert_ptr_null(text_line_value(status, "Sig", ':'));   /* not a prefix of another key */
	ck_assert_ptr_null(text_line_value(status, "app", ':'));   /* not inside a line */
	ck_assert_str_eq(text_line_value("oom 1\noom_kill 3\n", "oom_kill", ' '), "3\n");
	ck_assert_ptr_null(text_line_value("", "oom_kill", ' '));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, every_separator_ends_a_piece);
	tcase_add_test(tc, a_span_is_bounded_by_its_length_not_a_nul);
	tcase_add_test(tc, line_value_matches_a_whole_key_at_a_line_start);
	suite_add_tcase(s, tc);
	return s;
}
