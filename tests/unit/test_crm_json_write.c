/* crm_json_write against jansson's own compact dump: the same bytes for
 * every kind of value, escapes, nesting and key order, and for many
 * random documents. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crm_json_write.h"
#include "crm_kept.h"
#include "crm_table.h"

static void
same_as_jansson(json_t *v)
{
	struct crm_buf b;
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	crm_buf_init(&b, NULL, 16);
	crm_json_write(&b, v);
	assert_non_null(want);
	assert_string_equal(b.data, want);
	free(want);
	crm_buf_release(&b);
}

static void
test_values(void **state)
{
	json_t *v;

	(void)state;
	v = json_pack("{s:s,s:i,s:I,s:I,s:f,s:f,s:f,s:f,s:b,s:b,s:n,s:[],s:{}}",
	    "s", "plain", "i", 0, "big", (json_int_t)9223372036854775807LL,
	    "neg", (json_int_t)(-9223372036854775807LL - 1), "r", 1.5, "whole", 3.0, "tiny", 1e-300,
	    "huge", 1.7976931348623157e308, "t", 1, "f", 0, "n", "a", "o");
	same_as_jansson(v);
	json_decref(v);
	v = json_pack("[i,i,i,f,f]", -1, 7, 1234567890, -0.0, 0.1);
	same_as_jansson(v);
	json_decref(v);
}

static void
test_escapes(void **state)
{
	static const char ctl[] = "\x01\x02\x1f\x7f\b\f\n\r\t\"\\/ <script>";
	json_t *v;

	(void)state;
	v = json_pack("{s:s%,s:s,s:s,s:s}", "ctl", ctl, sizeof(ctl) - 1, "zh", "陈小姐 – “引号” 😀",
	    "key \"quoted\"\n", "v", "", "");
	same_as_jansson(v);
	json_decref(v);
	/* A NUL inside a string is kept, escaped. */
	v = json_stringn("a\0b", 3);
	same_as_jansson(v);
	json_decref(v);
}

static void
test_order_and_nesting(void **state)
{
	json_t *v = json_object(), *inner = json_array();
	int i;

	(void)state;
	for (i = 0; i < 40; i++) {
		char k[16];

		snprintf(k, sizeof(k), "k%d", 39 - i);
		json_object_set_new(v, k, json_integer(i));
	}
	for (i = 0; i < 5; i++)
		json_array_append_new(inner, json_pack("{s:[i,{s:s}]}", "x", i, "y", "z"));
	json_object_set_new(v, "inner", inner);
	json_object_del(v, "k10");
	json_object_set_new(v, "k10", json_string("moved to the end"));
	same_as_jansson(v);
	json_decref(v);
}

/* Random documents, deterministic. */
static json_t *
random_value(unsigned *seed, int depth)
{
	int kind = depth > 4 ? (int)(rand_r(seed) % 6) : (int)(rand_r(seed) % 8);
	char s[24];
	int i, n;
	json_t *v;

	switch (kind) {
	case 0: return json_integer((json_int_t)rand_r(seed) - RAND_MAX / 2);
	case 1: return json_real((double)rand_r(seed) / 7.0);
	case 2:
		n = (int)(rand_r(seed) % (sizeof(s) - 1));
		for (i = 0; i < n; i++)
			s[i] = (char)(1 + rand_r(seed) % 127);
		return json_stringn(s, (size_t)n);
	case 3: return json_true();
	case 4: return json_false();
	case 5: return json_null();
	case 6:
		v = json_array();
		for (i = (int)(rand_r(seed) % 5); i > 0; i--)
			json_array_append_new(v, random_value(seed, depth + 1));
		return v;
	default:
		v = json_object();
		for (i = (int)(rand_r(seed) % 5); i > 0; i--) {
			snprintf(s, sizeof(s), "k%u\t\"%d", rand_r(seed) % 100, i);
			json_object_set_new(v, s, random_value(seed, depth + 1));
		}
		return v;
	}
}

static void
test_random_documents(void **state)
{
	unsigned seed = 20261129;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		json_t *v = random_value(&seed, 0);

		same_as_jansson(v);
		json_decref(v);
	}
}

/* Strings around and past 4 KB, where the writer counts what it needs
 * instead of reserving the worst case, full of bytes to escape. */
static void
test_long_strings(void **state)
{
	unsigned seed = 7;
	char *s = malloc(9001);
	size_t n, i;
	json_t *v;

	(void)state;
	for (n = 4090; n < 9000; n += 613) {
		for (i = 0; i < n; i++)
			s[i] = (char)(1 + rand_r(&seed) % 127);
		s[n] = '\0';
		v = json_string(s);
		same_as_jansson(v);
		json_decref(v);
	}
	free(s);
}

/* A table (crm_table.h) is written as the list of objects it stands for:
 * a hidden column left out, a short row's missing cells null. Its own
 * helpers add, find, hide and set columns. */
static void
test_tables(void **state)
{
	json_t *cols = json_pack("[s,s,s]", "id", "name", "secret");
	json_t *t = crm_table_new(cols), *list, *row;
	struct crm_buf b;
	int at;

	(void)state;
	assert_true(crm_table_is(t));
	assert_false(crm_table_is(cols));
	crm_table_append(t, row = json_pack("[i,s,s]", 1, "Ann \"A\"", "x"));
	json_decref(row);
	crm_table_append(t, row = json_pack("[i]", 2));
	json_decref(row);
	assert_int_equal(crm_table_size(t), 2);
	assert_int_equal(crm_table_col(cols, "name"), 1);
	assert_int_equal(crm_table_col(cols, "nope"), -1);
	crm_table_hide_col(cols, "secret");
	assert_int_equal(crm_table_col(cols, "secret"), -1);
	at = crm_table_add_col(cols, "extra");
	assert_int_equal(at, 3);
	assert_int_equal(crm_table_add_col(cols, "extra"), 3);
	crm_table_set_new(crm_table_row(t, 1), at, json_string("late"));
	crm_table_set_new(crm_table_row(t, 1), -1, json_string("nowhere"));
	assert_true(json_is_null(crm_table_cell(crm_table_row(t, 1), 1)));
	assert_null(crm_table_cell(crm_table_row(t, 1), -1));
	assert_string_equal(json_string_value(crm_table_cell(crm_table_row(t, 1), at)), "late");
	list = json_pack("{s:[{s:i,s:s,s:n},{s:i,s:n,s:s}]}", "t", "id", 1, "name", "Ann \"A\"", "extra",
	    "id", 2, "name", "extra", "late");
	crm_buf_init(&b, NULL, 16);
	{
		json_t *view = json_pack("{s:O}", "t", t);

		crm_json_write(&b, view);
		json_decref(view);
	}
	{
		char *want = json_dumps(list, JSON_COMPACT);

		assert_string_equal(b.data, want);
		free(want);
	}
	crm_buf_release(&b);
	json_decref(list);
	json_decref(cols);
	json_decref(t);
	/* A table wider than the keys written once: the same bytes as the
	 * objects. */
	{
		json_t *wcols = json_array(), *wrow = json_array(), *obj = json_object(), *wt;
		size_t i;
		char name[16], *want;

		for (i = 0; i < 70; i++) {
			snprintf(name, sizeof(name), "k\"%zu", i);
			json_array_append_new(wcols, json_string(name));
			json_array_append_new(wrow, json_integer((json_int_t)i));
			json_object_set_new(obj, name, json_integer((json_int_t)i));
		}
		wt = crm_table_new(wcols);
		crm_table_append(wt, wrow);
		crm_table_append(wt, wrow);
		list = json_pack("[O,O]", obj, obj);
		crm_buf_init(&b, NULL, 16);
		crm_json_write(&b, wt);
		want = json_dumps(list, JSON_COMPACT);
		assert_string_equal(b.data, want);
		free(want);
		crm_buf_release(&b);
		json_decref(list);
		json_decref(obj);
		json_decref(wt);
		json_decref(wrow);
		json_decref(wcols);
	}
}

/* A kept value (crm_kept.h) is written once and its text used again, in
 * any document that holds it, until it is dropped. The test changes it,
 * which its keeper never does, to see whose text comes out. */
static void
test_kept_values(void **state)
{
	json_t *chart = json_pack("{s:s, s:[i,i]}", "t", "A", "n", 1, 2), *doc, *other;
	struct crm_buf b;

	(void)state;
	doc = json_pack("{s:[O], s:i}", "charts", chart, "x", 1);
	other = json_pack("[O, s]", chart, "z");
	assert_int_equal(crm_kept_add(chart), 0);
	same_as_jansson(doc);
	json_object_set_new(chart, "t", json_string("B"));
	json_object_set_new(doc, "x", json_integer(2));
	crm_buf_init(&b, NULL, 16);
	crm_json_write(&b, doc);
	assert_string_equal(b.data, "{\"charts\":[{\"t\":\"A\",\"n\":[1,2]}],\"x\":2}");
	crm_buf_clear(&b);
	crm_json_write(&b, other);
	assert_string_equal(b.data, "[{\"t\":\"A\",\"n\":[1,2]},\"z\"]");
	crm_buf_release(&b);
	crm_kept_drop(chart);
	assert_int_equal(crm_kept_count, 0);
	same_as_jansson(doc);
	same_as_jansson(other);
	json_decref(doc);
	json_decref(other);
	json_decref(chart);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_order_and_nesting),
		cmocka_unit_test(test_random_documents),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_kept_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
