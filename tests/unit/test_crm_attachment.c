/* The attachment rules both the service and the automation module keep
 * files by: the allowed types by extension, where a file is stored, and
 * writing one into place. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm_attachment.h"

static void
test_type_allowed(void **state)
{
	(void)state;
	assert_string_equal(crm_attachment_type("screen.png"), "image/png");
	assert_string_equal(crm_attachment_type("photo.JPG"), "image/jpeg");
	assert_string_equal(crm_attachment_type("photo.jpeg"), "image/jpeg");
	assert_string_equal(crm_attachment_type("invoice.2026.pdf"), "application/pdf");
	assert_string_equal(crm_attachment_type("server.log"), "text/plain");
	assert_string_equal(crm_attachment_type("notes.txt"), "text/plain");
	assert_string_equal(crm_attachment_type("export.CSV"), "text/csv");
	assert_string_equal(crm_attachment_type("plan.xlsx"),
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_string_equal(crm_attachment_type("letter.odt"), "application/vnd.oasis.opendocument.text");
	assert_string_equal(crm_attachment_type("报告.docx"),
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

static void
test_type_refused(void **state)
{
	(void)state;
	assert_null(crm_attachment_type("setup.exe"));
	assert_null(crm_attachment_type("page.html"));
	assert_null(crm_attachment_type("image.svg"));
	assert_null(crm_attachment_type("README"));
	assert_null(crm_attachment_type(""));
	assert_null(crm_attachment_type(NULL));
	assert_null(crm_attachment_type("trailing."));
	/* The last extension counts: a double one cannot sneak past. */
	assert_null(crm_attachment_type("report.pdf.exe"));
	assert_string_equal(crm_attachment_type("report.exe.pdf"), "application/pdf");
	assert_null(crm_attachment_type("archive.pdfx"));
	assert_null(crm_attachment_type("pdf"));
}

static void
test_store(void **state)
{
	struct crm_arena *a = crm_arena_new(4096);
	char dir[] = "/tmp/crm-attachment-XXXXXX", buf[16];
	const char *path;
	struct stat sb;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = crm_attachment_path(a, dir, 42);
	assert_string_equal(path + strlen(dir), "/42");
	assert_int_equal(crm_attachment_write(a, dir, 42, (const unsigned char *)"hello", 5), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 5);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_non_null(fp = fopen(path, "r"));
	assert_int_equal(fread(buf, 1, sizeof(buf), fp), 5);
	fclose(fp);
	assert_memory_equal(buf, "hello", 5);
	/* No temporary file is left behind. */
	assert_int_equal(stat(crm_arena_printf(a, "%s/.mail-42.tmp", dir), &sb), -1);
	unlink(path);
	/* A directory that is not there: an error, and no file. */
	assert_int_equal(crm_attachment_write(a, crm_arena_printf(a, "%s/missing", dir), 7,
	    (const unsigned char *)"x", 1), -1);
	assert_int_equal(rmdir(dir), 0);
	crm_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_allowed),
		cmocka_unit_test(test_type_refused),
		cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
