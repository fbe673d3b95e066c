/* test-json-check.c — plan documents json-glib would crash on or silently
 * change: refused with the JSON path, or kept exactly (issue 12, cases 5–7). */
#include "config.h"

#include <string.h>

#include "upg-test-util.h"
#include "core/upg-json-check.h"
#include "core/upg-plan.h"
#include "core/store/upg-store.h"

/* A one-project plan with @extra inside the project (after its fields). */
static char *
plan_with (const char *extra)
{
  return g_strdup_printf ("{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": "
                          "[{\"name\": \"A\", \"kind\": \"feature\", \"status\": \"planning\"%s}]}", extra);
}

static void
assert_refused (const char *json, int code, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = upg_plan_parse (json, -1, NULL, &error);

  g_assert_null (projects);
  g_assert_error (error, UPG_PLAN_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

/* Imports @json into a new file and exports it again. */
static char *
round_trip (const char *json)
{
  g_autofree char *path = upg_test_tmpfile ("round.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  char *out;

  g_assert_no_error (error);
  g_assert_true (upg_plan_import (store, json, -1, NULL, &error));
  g_assert_no_error (error);
  out = upg_plan_export (store, 0, &error);
  g_assert_no_error (error);
  return out;
}

static char *
nested (const char *open, const char *inner, const char *close, int depth)
{
  GString *s = g_string_new (NULL);
  for (int i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (int i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

/* Case 5: a deep document is refused before json-glib's recursive parser
 * sees it (100,000 levels would overflow its stack). */
static void
test_too_deep (void)
{
  const char *message = "The document is nested too deeply (more than 64 levels of arrays and objects)";
  g_autofree char *deep_arrays = nested ("[", "", "]", 100000);
  g_autofree char *deep_objects = nested ("{\"a\": ", "1", "}", 100000);
  g_autofree char *in_projects = g_strdup_printf ("{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": %s}", deep_arrays);
  g_autofree char *ext = g_strdup_printf (", \"extensions\": {\"x\": %s}", deep_objects);
  g_autofree char *in_extensions = plan_with (ext);
  /* The plan, projects, the project and extensions are 4 levels: 60 more
   * reach the limit, 61 go over it. */
  g_autofree char *inner60 = nested ("[", "1", "]", 60);
  g_autofree char *inner61 = nested ("[", "1", "]", 61);
  g_autofree char *ext60 = g_strdup_printf (", \"extensions\": {\"x\": %s}", inner60);
  g_autofree char *ext61 = g_strdup_printf (", \"extensions\": {\"x\": %s}", inner61);
  g_autofree char *at_limit = plan_with (ext60);
  g_autofree char *over_limit = plan_with (ext61);
  g_autofree char *exported = NULL;

  assert_refused (deep_arrays, UPG_PLAN_ERROR_INVALID_JSON, message);
  assert_refused (in_projects, UPG_PLAN_ERROR_INVALID_JSON, message);
  assert_refused (in_extensions, UPG_PLAN_ERROR_INVALID_JSON, message);
  assert_refused (over_limit, UPG_PLAN_ERROR_INVALID_JSON, message);
  exported = round_trip (at_limit);
  g_assert_nonnull (strstr (exported, "\"extensions\": {\n"));
}

/* Case 6: nesting inside extensions cannot make export blow up: what one
 * extensions object becomes is bounded, and export stays linear. */
static void
test_extensions_size (void)
{
  g_autoptr(GString) leaves = g_string_new (NULL);
  g_autofree char *small = NULL;
  g_autofree char *large = NULL;
  g_autofree char *ext = NULL;
  g_autofree char *json = NULL;
  g_autofree char *exported = NULL;
  gsize input;

  /* 2,000 numbers 58 levels down: 4 KB of input. */
  for (int i = 0; i < 2000; i++)
    g_string_append (leaves, i ? ",0" : "0");
  small = nested ("[", leaves->str, "]", 58);
  ext = g_strdup_printf (", \"extensions\": {\"x\": %s}", small);
  json = plan_with (ext);
  input = strlen (json);
  exported = round_trip (json);
  /* Each number takes a line indented by its depth: about 130 bytes. */
  g_assert_cmpuint (strlen (exported), <, 150 * input);

  /* 100,000 of them (200 KB) would be 13 MB: refused. */
  g_string_truncate (leaves, 0);
  for (int i = 0; i < 100000; i++)
    g_string_append (leaves, i ? ",0" : "0");
  large = nested ("[", leaves->str, "]", 58);
  g_free (ext);
  g_free (json);
  ext = g_strdup_printf (", \"extensions\": {\"x\": %s}", large);
  json = plan_with (ext);
  assert_refused (json, UPG_PLAN_ERROR_INVALID, "projects[0].extensions: is too large: extensions may take up to 4 MiB when exported");
}

typedef struct {
  const char *name;
  const char *extra;      /* inside the project */
  const char *message;
} Refused;

/* Case 7: what json-glib would change is refused, with its path. */
static const Refused refused[] = {
  { "nul-in-name", ", \"goal\": \"a\\u0000b\"", "projects[0].goal: contains a NUL character (\\u0000), which cannot be kept" },
  { "nul-in-extensions", ", \"extensions\": {\"k\": [\"x\", \"\\u0000\"]}", "projects[0].extensions.k[1]: contains a NUL character (\\u0000), which cannot be kept" },
  { "nul-in-key", ", \"extensions\": {\"a\\u0000b\": 1}", "projects[0].extensions: contains a NUL character (\\u0000), which cannot be kept" },
  { "lone-high-surrogate", ", \"goal\": \"x\\ud800y\"", "projects[0].goal: contains an unpaired UTF-16 surrogate (\\uD800), which is not a character" },
  { "lone-low-surrogate", ", \"goal\": \"\\uDC00\"", "projects[0].goal: contains an unpaired UTF-16 surrogate (\\uDC00), which is not a character" },
  { "high-then-letter", ", \"goal\": \"\\ud83d\\u0041\"", "projects[0].goal: contains an unpaired UTF-16 surrogate (\\uD83D), which is not a character" },
  { "infinity", ", \"extensions\": {\"n\": 1e400}", "projects[0].extensions.n: the number 1e400 is too large to keep" },
  { "minus-infinity", ", \"extensions\": {\"n\": [-1.5E+999]}", "projects[0].extensions.n[0]: the number -1.5E+999 is too large to keep" },
  { "underflow", ", \"extensions\": {\"n\": 1e-400}", "projects[0].extensions.n: the number 1e-400 is too small to keep" },
  { "big-integer", ", \"extensions\": {\"n\": 12345678901234567890}", "projects[0].extensions.n: the number 12345678901234567890 is too large to keep exactly (integers must fit in 64 bits)" },
  { "big-negative", ", \"extensions\": {\"n\": -9223372036854775809}", "projects[0].extensions.n: the number -9223372036854775809 is too large to keep exactly (integers must fit in 64 bits)" },
  { "big-likelihood", ", \"rollback_target_minutes\": 99999999999999999999", "projects[0].rollback_target_minutes: the number 99999999999999999999 is too large to keep exactly (integers must fit in 64 bits)" },
  { "duplicate-field", ", \"name\": \"B\"", "projects[0].name: the key is given more than once in the same object" },
  { "duplicate-extension", ", \"extensions\": {\"a\": 1, \"b\": {\"c\": 1}, \"a\": 2}", "projects[0].extensions.a: the key is given more than once in the same object" },
  { "duplicate-escaped", ", \"extensions\": {\"a\": 1, \"\\u0061\": 2}", "projects[0].extensions.a: the key is given more than once in the same object" },
};

static void
test_refused (gconstpointer data)
{
  const Refused *r = data;
  g_autofree char *json = plan_with (r->extra);
  assert_refused (json, UPG_PLAN_ERROR_INVALID, r->message);
}

/* Many keys (the hash table takes over from the list) still find a twin. */
static void
test_duplicate_among_many (void)
{
  g_autoptr(GString) ext = g_string_new (", \"extensions\": {");
  g_autofree char *json = NULL;

  for (int i = 0; i < 100; i++)
    g_string_append_printf (ext, "\"k%d\": %d, ", i, i);
  g_string_append (ext, "\"k42\": 0}");
  json = plan_with (ext->str);
  assert_refused (json, UPG_PLAN_ERROR_INVALID, "projects[0].extensions.k42: the key is given more than once in the same object");
}

/* Case 7: what fits is kept exactly. */
static void
test_kept_exactly (void)
{
  g_autofree char *json = plan_with (", \"goal\": \"smile \\ud83d\\ude00 \\u00e9\", "
                                     "\"extensions\": {\"max\": 9223372036854775807, \"min\": -9223372036854775808, "
                                     "\"pi\": 3.141592653589793, \"tiny\": 5e-324, \"same\": {\"a\": 1}, \"other\": {\"a\": 2}}");
  g_autofree char *exported = round_trip (json);

  g_assert_nonnull (strstr (exported, "\"goal\": \"smile \xf0\x9f\x98\x80 \xc3\xa9\""));
  g_assert_nonnull (strstr (exported, "\"max\": 9223372036854775807,"));
  g_assert_nonnull (strstr (exported, "\"min\": -9223372036854775808,"));
  g_assert_nonnull (strstr (exported, "\"pi\": 3.141592653589793,"));
  g_assert_true (strstr (exported, "\"tiny\": 4.9406564584124654e-324,") != NULL || strstr (exported, "\"tiny\": 5e-324,") != NULL);
}

/* Strict JSON: json-glib's extensions (comments, single quotes, hex) and
 * raw control characters are refused, with the line and column. */
static void
test_strict_syntax (void)
{
  static const struct { const char *json, *message; } cases[] = {
    { "{\"format\": /* c */ \"upgrade-planner\"}", "The file is not valid JSON: line 1, column 12: unexpected “/”" },
    { "{'format': 1}", "The file is not valid JSON: line 1, column 2: unexpected “'”" },
    { "{\"a\": 0x10}", "The file is not valid JSON: line 1, column 8: unexpected “x”" },
    { "{\"a\": [1, 2,]}", "The file is not valid JSON: line 1, column 13: unexpected “]”" },
    { "{\"a\": 1,\n \"b\": 2,\n}", "The file is not valid JSON: line 3, column 1: unexpected “}”" },
    { "{\"a\": \"tab\there\"}", "The file is not valid JSON: line 1, column 11: a control character inside a string must be written as an escape" },
    { "{\"a\": \"\\x41\"}", "The file is not valid JSON: line 1, column 9: unexpected “x”" },
    { "{\"a\": \"\\u12\"}", "The file is not valid JSON: line 1, column 8: “\\u” must be followed by four hexadecimal digits" },
    { "{\"a\": 1} x", "The file is not valid JSON: line 1, column 10: unexpected “x”" },
    { "{\"a\": tru}", "The file is not valid JSON: line 1, column 7: unexpected “t”" },
    { "{\"a\": 1", "The file is not valid JSON: line 1, column 8: the document ends too soon" },
    { "{\"é\": 01}", "The file is not valid JSON: line 1, column 8: unexpected “1”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_false (upg_json_check (cases[i].json, strlen (cases[i].json), &error));
      g_assert_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID_JSON);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/json/too-deep", test_too_deep);
  g_test_add_func ("/json/extensions-size", test_extensions_size);
  g_test_add_func ("/json/duplicate-among-many", test_duplicate_among_many);
  g_test_add_func ("/json/kept-exactly", test_kept_exactly);
  g_test_add_func ("/json/strict-syntax", test_strict_syntax);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json/refused/%s", refused[i].name);
      g_test_add_data_func (path, &refused[i], test_refused);
    }

  return g_test_run ();
}
