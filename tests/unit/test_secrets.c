/* --secret's list and value rules (src/identity/secrets.c). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "secrets.h"

static struct secret_list list;
static char err[512];

static int parse(const char *text)
{
	memset(&list, 0, sizeof(list));
	err[0] = '\0';
	return secret_list_parse(&list, text, err, sizeof(err));
}

static int name_is(const struct secret_spec *s, const char *name)
{
	return s->name_len == strlen(name) && memcmp(s->name, name, s->name_len) == 0;
}

START_TEST(parses_names_and_paths)
{
	ck_assert_int_eq(parse("API_TOKEN,DB_PASSWORD=/run/secrets/db,_x1"), 0);
	ck_assert_uint_eq(list.count, 3);
	ck_assert(name_is(&list.items[0], "API_TOKEN"));
	ck_assert_ptr_null(list.items[0].path);
	ck_assert(name_is(&list.items[1], "DB_PASSWORD"));
	ck_assert_uint_eq(list.items[1].path_len, strlen("/run/secrets/db"));
	ck_assert_int_eq(memcmp(list.items[1].path, "/run/secrets/db", list.items[1].path_len), 0);
	ck_assert(name_is(&list.items[2], "_x1"));
	/* a path may hold '=' */
	ck_assert_int_eq(parse("K=/a=b"), 0);
	ck_assert_uint_eq(list.items[0].path_len, 4);
	/* and lists add up, option after option */
	ck_assert_int_eq(parse("A"), 0);
	ck_assert_int_eq(secret_list_parse(&list, "B=/b", err, sizeof(err)), 0);
	ck_assert_uint_eq(list.count, 2);
}
END_TEST

START_TEST(refuses_what_is_not_a_variable)
{
	static const char *const bad[] = { "", "1ABC", "A-B", "A B", "A,", ",A", "A,,B", "=/path", "ÄB" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(bad[i]) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(strstr(err, "is not a variable name") != NULL, "'%s': %s", bad[i], err);
	}
	ck_assert_int_eq(parse("A-B"), -1);
	ck_assert_str_eq(err, "--secret: 'A-B' is not a variable name (letters, digits, '_'; not a digit first)");
	char long_name[SECRET_NAME_MAX + 1];
	memset(long_name, 'A', SECRET_NAME_MAX);
	long_name[SECRET_NAME_MAX] = '\0';
	ck_assert_int_eq(parse(long_name), -1);
	ck_assert_int_eq(parse("A="), -1);
	ck_assert_str_eq(err, "--secret A: empty path after '='");
	ck_assert_int_eq(parse("A,B,A=/x"), -1);
	ck_assert_str_eq(err, "--secret A: given twice");
}
END_TEST

START_TEST(at_most_secrets_max)
{
	char text[SECRETS_MAX * 8 + 16] = "";
	for (int i = 0; i <= SECRETS_MAX; i++)
		sprintf(text + strlen(text), "%sS%d", i ? "," : "", i);
	ck_assert_int_eq(parse(text), -1);
	ck_assert_str_eq(err, "--secret: more than 32 secrets");
	*strrchr(text, ',') = '\0';
	ck_assert_int_eq(parse(text), 0);
	ck_assert_uint_eq(list.count, SECRETS_MAX);
}
END_TEST

START_TEST(source_follows_the_file_env_convention)
{
	char *none[] = { "PATH=/bin", NULL };
	char *file[] = { "API_TOKEN_FILE=/run/secrets/t", "API_TOKENX=1", NULL };
	char *both[] = { "API_TOKEN=plain", "API_TOKEN_FILE=/run/secrets/t", NULL };
	char *empty_file[] = { "API_TOKEN=plain", "API_TOKEN_FILE=", NULL };
	char *empty_value[] = { "API_TOKEN=", "API_TOKEN_FILE=/f", NULL };
	const char *from;
	ck_assert_int_eq(parse("API_TOKEN"), 0);
	const struct secret_spec *s = &list.items[0];
	ck_assert_int_eq(secret_source(s, none, &from), SECRET_NOT_GIVEN);
	ck_assert_int_eq(secret_source(s, file, &from), SECRET_FROM_FILE_VARIABLE);
	ck_assert_str_eq(from, "/run/secrets/t");
	ck_assert_int_eq(secret_source(s, both, &from), SECRET_CONFLICT);
	ck_assert_int_eq(secret_source(s, empty_file, &from), SECRET_NOT_GIVEN); /* empty counts as unset */
	ck_assert_int_eq(secret_source(s, empty_value, &from), SECRET_FROM_FILE_VARIABLE);
	ck_assert_int_eq(secret_source(s, NULL, &from), SECRET_NOT_GIVEN);
	ck_assert_int_eq(parse("API_TOKEN=/p"), 0);
	ck_assert_int_eq(secret_source(&list.items[0], both, &from), SECRET_FROM_PATH);
	ck_assert_ptr_null(from);
}
END_TEST

START_TEST(values_lose_trailing_newlines_only)
{
	ck_assert_int_eq(parse("K"), 0);
	const struct secret_spec *s = &list.items[0];
	char pem[] = "-----BEGIN KEY-----\nabc\n-----END KEY-----\n\n";
	size_t len = strlen(pem);
	ck_assert_int_eq(secret_value_check(s, "/k", pem, &len, 1, err, sizeof(err)), 0);
	ck_assert_uint_eq(len, strlen("-----BEGIN KEY-----\nabc\n-----END KEY-----"));
	char crlf[] = "x\r\n";
	len = 3;
	ck_assert_int_eq(secret_value_check(s, "/k", crlf, &len, 1, err, sizeof(err)), 0);
	ck_assert_uint_eq(len, 2); /* as $(< file): the \r stays */
	len = 0;
	ck_assert_int_eq(secret_value_check(s, "/k", "", &len, 1, err, sizeof(err)), 0);
}
END_TEST

START_TEST(values_refused_never_quoted)
{
	ck_assert_int_eq(parse("K"), 0);
	const struct secret_spec *s = &list.items[0];
	char nul[] = "hunter2\0tail";
	size_t len = sizeof(nul) - 1;
	ck_assert_int_eq(secret_value_check(s, "/run/secrets/k", nul, &len, 1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--secret K: /run/secrets/k holds a NUL byte, which no environment string can");
	static char big[SECRET_ENTRY_MAX];
	memset(big, 'h', sizeof(big));
	len = SECRET_ENTRY_MAX - 3; /* "K=" + value + NUL: exactly the limit */
	ck_assert_int_eq(secret_value_check(s, "/k", big, &len, 1, err, sizeof(err)), 0);
	len = SECRET_ENTRY_MAX - 2;
	ck_assert_int_eq(secret_value_check(s, "/k", big, &len, 1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--secret K: /k is longer than an environment string can be (131072 bytes with 'K=')");
	len = 10;
	ck_assert_int_eq(secret_value_check(s, "/k", big, &len, 0, err, sizeof(err)), -1); /* cut short */
	ck_assert_ptr_null(strstr(err, "hh"));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("secrets");
	TCase *tc = tcase_create("secrets");
	tcase_add_test(tc, parses_names_and_paths);
	tcase_add_test(tc, refuses_what_is_not_a_variable);
	tcase_add_test(tc, at_most_secrets_max);
	tcase_add_test(tc, source_follows_the_file_env_convention);
	tcase_add_test(tc, values_lose_trailing_newlines_only);
	tcase_add_test(tc, values_refused_never_quoted);
	suite_add_tcase(s, tc);
	return s;
}
