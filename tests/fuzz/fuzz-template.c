/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-template.c — libFuzzer target: any bytes as an email template.
 *
 * The validator (upg_template_parse) must refuse them with a syntax error
 * that says where (a line and column inside the text) and why, or accept
 * them; every template it accepts must render within the budget: text of
 * at most 1 MB, or the budget's error, and never much longer than 100 ms.
 * upg_template_validate and upg_notify_check_template must agree with it.
 */
#define G_LOG_DOMAIN "upgrade-planner-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz-util.h"
#include "core/upg-notify.h"
#include "core/upg-template.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Generous against the 100 ms budget: a sanitized build on a busy machine. */
#define LIMIT_MS 2000

static UpgTemplateData *
fuzz_data (void)
{
  static const char *changes[] = { "billing-api: New TLS client", "", "第三行 “quoted” {{ x }}", NULL };
  static const char *actions[] = { "Write the runbook — owner: Mei Lin", NULL };
  UpgTemplateData *data = upg_template_data_new ();
  const UpgTemplateName *names;
  guint n;

  names = upg_template_names (&n);
  for (guint i = 0; i < n; i++)
    switch (names[i].kind)
      {
      case UPG_TEMPLATE_TEXT:
        upg_template_data_set_text (data, names[i].name, i % 3 == 0 ? "" : names[i].name);
        break;
      case UPG_TEMPLATE_NUMBER:
        upg_template_data_set_number (data, names[i].name, (gint64) i - 20, i % 2 == 0);
        break;
      case UPG_TEMPLATE_FLAG:
        upg_template_data_set_flag (data, names[i].name, i % 2 == 0);
        break;
      case UPG_TEMPLATE_LIST:
        upg_template_data_set_list (data, names[i].name, g_str_equal (names[i].name, "changes") ? changes : actions);
        break;
      default:
        g_assert_not_reached ();
      }
  return data;
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes,
                        size_t         size)
{
  static UpgTemplateData *data;
  g_autofree char *text = NULL;
  g_autoptr(UpgTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *out = NULL;
  int line = 0, column = 0;
  gboolean valid;
  gint64 start, elapsed;

  fuzz_init ();
  if (data == NULL)
    data = fuzz_data ();
  /* A template is a string: it ends at its first NUL. */
  text = g_strndup ((const char *) bytes, size);

  template = upg_template_parse (text, &line, &column, &error);
  valid = upg_template_validate (text, &message);
  if ((template != NULL) != valid)
    fuzz_fail ("upg_template_parse and upg_template_validate disagree");
  if ((template != NULL) != upg_notify_check_template ("Subject", text, &check_error))
    fuzz_fail ("upg_template_parse and upg_notify_check_template disagree");

  if (template == NULL)
    {
      g_autofree char *expected = NULL;
      glong n_lines = 1;

      if (error == NULL || error->domain != UPG_TEMPLATE_ERROR || error->code != UPG_TEMPLATE_ERROR_SYNTAX)
        fuzz_fail ("a refusal without a syntax error");
      if (!g_utf8_validate (error->message, -1, NULL) || *error->message == '\0')
        fuzz_fail ("an empty or broken message");
      for (const char *p = text; *p != '\0'; p++)
        n_lines += *p == '\n';
      if (line < 1 || line > n_lines || column < 1 || (gsize) column > strlen (text) + 1)
        fuzz_fail ("line %d, column %d is not in the text (%ld lines)", line, column, n_lines);
      expected = g_strdup_printf ("line %d, column %d: %s", line, column, error->message);
      if (g_strcmp0 (message, expected) != 0)
        fuzz_fail ("upg_template_validate says “%s”, not “%s”", message, expected);
      return 0;
    }

  start = g_get_monotonic_time ();
  out = upg_template_render (template, data, &error);
  elapsed = (g_get_monotonic_time () - start) / 1000;
  if (elapsed > LIMIT_MS)
    fuzz_fail ("an accepted template rendered for %" G_GINT64_FORMAT " ms", elapsed);
  if (out == NULL)
    {
      if (error == NULL || error->domain != UPG_TEMPLATE_ERROR || error->code != UPG_TEMPLATE_ERROR_BUDGET)
        fuzz_fail ("an accepted template failed without the budget's error");
      return 0;
    }
  if (strlen (out) > UPG_TEMPLATE_MAX_OUTPUT)
    fuzz_fail ("%zu bytes of output, over the budget", strlen (out));
  if (!g_utf8_validate (out, -1, NULL))
    fuzz_fail ("the output is not UTF-8");
  return 0;
}
