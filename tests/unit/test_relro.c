/* Which pages relro.c makes read-only, for the layouts the release binaries
 * have (program headers as readelf shows them) on 4 KiB and 64 KiB pages. */
#include <check.h>

#include "check_main.h"
#include "relro.h"

#define BASE ((uintptr_t)0x7fff00000000)
#define K4 ((uintptr_t)0x1000)
#define K64 ((uintptr_t)0x10000)

static relro_phdr segment(unsigned type, uintptr_t vaddr, uintptr_t memsz)
{
	relro_phdr p = {.p_type = type, .p_vaddr = vaddr, .p_memsz = memsz};
	return p;
}

/* binutils' layout on ppc64le: the tables end the first writable page. */
static const relro_phdr binutils[] = {
	{.p_type = PT_LOAD, .p_vaddr = 0, .p_memsz = 0x11334},
	{.p_type = PT_LOAD, .p_vaddr = 0x2fce0, .p_memsz = 0x44e90},
	{.p_type = PT_GNU_RELRO, .p_vaddr = 0x2fce0, .p_memsz = 0x320},
};

/* cmake/relro-first.ld's: headers and tables in a segment of their own. */
static const relro_phdr first[] = {
	{.p_type = PT_LOAD, .p_vaddr = 0, .p_memsz = 0x278},
	{.p_type = PT_LOAD, .p_vaddr = 0x10278, .p_memsz = 0x1119c},
	{.p_type = PT_LOAD, .p_vaddr = 0x31418, .p_memsz = 0x44d00},
	{.p_type = PT_TLS, .p_vaddr = 0x1c8, .p_memsz = 0x40},
	{.p_type = PT_GNU_RELRO, .p_vaddr = 0x1c8, .p_memsz = 0xb0},
};

static void expect(const relro_phdr *phdr, unsigned count, uintptr_t page, uintptr_t start, uintptr_t end)
{
	uintptr_t got_start = 0, got_end = 0;
	ck_assert_int_eq(relro_span(phdr, count, BASE, page, &got_start, &got_end), 1);
	ck_assert_uint_eq(got_start, BASE + start);
	ck_assert_uint_eq(got_end, BASE + end);
}

static void expect_none(const relro_phdr *phdr, unsigned count, uintptr_t page)
{
	uintptr_t start = 0, end = 0;
	ck_assert_int_eq(relro_span(phdr, count, BASE, page, &start, &end), 0);
}

START_TEST(binutils_layout_up_to_the_boundary)
{
	expect(binutils, 3, K64, 0x20000, 0x30000);
	expect(binutils, 3, K4, 0x2f000, 0x30000);
}
END_TEST

START_TEST(tables_first_their_page_whole)
{
	expect(first, 5, K64, 0, 0x10000);
	expect(first, 5, K4, 0, 0x1000);
}
END_TEST

START_TEST(a_page_shared_with_another_segment_stays_writable)
{
	/* Linked for 4 KiB pages, the code would share the tables' 64 KiB page. */
	relro_phdr phdr[] = {segment(PT_LOAD, 0, 0x278), segment(PT_LOAD, 0x1278, 0x1119c),
			     segment(PT_GNU_RELRO, 0x1c8, 0xb0)};
	expect_none(phdr, 3, K64);
	expect(phdr, 3, K4, 0, 0x1000);
}
END_TEST

START_TEST(a_page_shared_with_data_stays_writable)
{
	/* Tables ending on a 4 KiB boundary, with data after them. */
	relro_phdr phdr[] = {segment(PT_LOAD, 0, 0x11334), segment(PT_LOAD, 0x21ce0, 0x44e90),
			     segment(PT_GNU_RELRO, 0x21ce0, 0x320)};
	expect(phdr, 3, K4, 0x21000, 0x22000);
	expect_none(phdr, 3, K64);
}
END_TEST

START_TEST(no_relro_nothing)
{
	relro_phdr phdr[] = {segment(PT_LOAD, 0, 0x11334), segment(PT_LOAD, 0x21334, 0x100)};
	expect_none(phdr, 2, K4);
	expect_none(binutils, 3, 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("relro");
	TCase *tc = tcase_create("relro");
	tcase_add_test(tc, binutils_layout_up_to_the_boundary);
	tcase_add_test(tc, tables_first_their_page_whole);
	tcase_add_test(tc, a_page_shared_with_another_segment_stays_writable);
	tcase_add_test(tc, a_page_shared_with_data_stays_writable);
	tcase_add_test(tc, no_relro_nothing);
	suite_add_tcase(s, tc);
	return s;
}
