/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-notify.c — stakeholder notifications: moments, templates, the draft's
 * checks, the message parsed back with GMime and the calendar with libical. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <libical/ical.h>
#include <sqlite3.h>

#include "upg-checks.h"
#include "upg-export.h"
#include "upg-ics.h"
#include "upg-notify.h"
#include "upg-plan.h"
#include "upg-sop.h"
#include "upg-test-util.h"

/* GMime 3.2 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)

#define SAMPLE_UID "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"

typedef struct {
  char       *path;
  UpgStore   *store;
  UpgProject *project;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *plan_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *plan = upg_test_read (plan_path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  f->path = upg_test_tmpfile ("notify.upgplan");
  f->store = upg_store_open (f->path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  upg_plan_import (f->store, plan, -1, &ids, &error);
  g_assert_no_error (error);
  f->project = upg_store_lookup_project (f->store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  upg_store_load_children (f->store, UPG_RECORD (f->project), &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->project);
  g_clear_object (&f->store);
  g_unlink (f->path);
  g_free (f->path);
}

static GDateTime *
at (const char *timestamp)
{
  return g_date_time_new_from_iso8601 (timestamp, NULL);
}

static UpgRecord *
child (UpgProject *project, const UpgEntity *entity, guint i)
{
  GListModel *list = upg_record_get_children (UPG_RECORD (project), entity);
  g_autoptr(UpgRecord) record = g_list_model_get_item (list, i);
  return record;  /* the list holds it */
}

static UpgRecord *
pm (Fixture *f)
{
  return child (f->project, &upg_entity_member, 0);
}

/* ---- moments ----------------------------------------------------------- */

static void
test_parse_moment (void)
{
  g_assert_cmpstr (upg_notify_parse_moment ("advance-notice"), ==, "advance_notice");
  g_assert_cmpstr (upg_notify_parse_moment ("rolled_back"), ==, "rolled_back");
  g_assert_null (upg_notify_parse_moment ("rollback"));
  g_assert_null (upg_notify_parse_moment (""));
  g_assert_true (upg_notify_moment_has_calendar ("advance_notice"));
  g_assert_true (upg_notify_moment_has_calendar ("reminder"));
  g_assert_true (upg_notify_moment_has_calendar ("delayed"));
  g_assert_false (upg_notify_moment_has_calendar ("started"));
}

static UpgRecord *
add_step (Fixture *f, const char *phase, gboolean required)
{
  g_autoptr(UpgRecord) step = upg_record_new (&upg_entity_sop_step);
  g_autoptr(GError) error = NULL;

  upg_record_set_string (step, UPG_SOP_STEP_PHASE, phase);
  upg_record_set_string (step, UPG_SOP_STEP_TITLE, "Step");
  upg_record_set_bool (step, UPG_SOP_STEP_REQUIRED, required);
  upg_store_insert (f->store, UPG_RECORD (f->project), step, -1, &error);
  g_assert_no_error (error);
  return step;
}

static void
check_step (Fixture *f, UpgRecord *step)
{
  g_autoptr(GError) error = NULL;
  upg_sop_check (f->store, upg_record_get_children (UPG_RECORD (f->project), &upg_entity_sop_step),
                 step, "Jonas Berg", NULL, "test", &error);
  g_assert_no_error (error);
}

static void
assert_offered (Fixture *f, GDateTime *now, const char *expected, guint expected_called)
{
  guint n_called = 99;
  g_autofree const char **offered = upg_notify_offered_moments (f->project, now, &n_called);
  g_autofree char *joined = g_strjoinv (" ", (char **) offered);

  g_assert_cmpstr (joined, ==, expected);
  g_assert_cmpuint (n_called, ==, expected_called);
}

static void
test_offered_moments (Fixture *f, gconstpointer data)
{
  g_autoptr(GDateTime) before = at ("2026-12-01T00:00:00Z");
  g_autoptr(GDateTime) after = at ("2026-12-05T04:00:00Z");
  g_autoptr(UpgRecord) retro = upg_record_new (&upg_entity_retro);
  g_autoptr(GError) error = NULL;
  UpgRecord *gray, *rollback;

  /* Nothing checked in gray release yet, the window ahead. */
  assert_offered (f, before, "advance_notice reminder started completed delayed rolled_back retrospective cancelled", 0);
  /* The window's end has passed with required steps open: a delay. */
  assert_offered (f, after, "delayed advance_notice reminder started completed rolled_back retrospective cancelled", 1);

  /* The sample's gray release step checked: started. */
  gray = child (f->project, &upg_entity_sop_step, 4);
  g_assert_cmpstr (upg_record_get_string (gray, UPG_SOP_STEP_PHASE), ==, "gray_release");
  check_step (f, gray);
  assert_offered (f, before, "started advance_notice reminder completed delayed rolled_back retrospective cancelled", 1);

  /* A go-live step alone is enough too. */
  upg_sop_uncheck (f->store, gray, "Jonas Berg", NULL, "test", &error);
  g_assert_no_error (error);
  assert_offered (f, before, "advance_notice reminder started completed delayed rolled_back retrospective cancelled", 0);
  check_step (f, add_step (f, "go_live", FALSE));
  assert_offered (f, before, "started advance_notice reminder completed delayed rolled_back retrospective cancelled", 1);

  /* A rollback step checked, then a retrospective: called for once it has
   * its summary. */
  rollback = add_step (f, "rollback", TRUE);
  g_assert_false (upg_notify_moment_called_for (f->project, "rolled_back", before));
  check_step (f, rollback);
  g_assert_true (upg_notify_moment_called_for (f->project, "rolled_back", before));
  upg_store_insert (f->store, UPG_RECORD (f->project), retro, -1, &error);
  g_assert_no_error (error);
  assert_offered (f, before, "started rolled_back advance_notice reminder completed delayed retrospective cancelled", 2);
  upg_record_set_string (retro, UPG_RETRO_SUMMARY, "Rolled back after the canary.");
  assert_offered (f, before, "started rolled_back retrospective advance_notice reminder completed delayed cancelled", 3);

  /* Rolled back: no longer "started", though its steps are checked. */
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_STATUS, "rolled_back");
  assert_offered (f, before, "rolled_back retrospective advance_notice reminder started completed delayed cancelled", 2);
  /* Done: completed. */
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_STATUS, "done");
  assert_offered (f, before, "completed rolled_back retrospective advance_notice reminder started delayed cancelled", 3);
  /* Cancelled: the cancellation and the retrospective, nothing else. */
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_STATUS, "cancelled");
  assert_offered (f, before, "retrospective cancelled advance_notice reminder started completed delayed rolled_back", 2);
}

static void
test_groups_for (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) advance = upg_notify_groups_for (f->project, "advance_notice");
  g_autoptr(GPtrArray) reminder = upg_notify_groups_for (f->project, "reminder");
  UpgRecord *notice;

  g_assert_cmpuint (advance->len, ==, 2);
  g_assert_cmpuint (reminder->len, ==, 1);
  g_assert_cmpstr (upg_record_get_string (reminder->pdata[0], UPG_GROUP_NAME), ==, "Customers");
  g_assert_cmpstr (upg_record_get_string (upg_notify_project_manager (f->project), UPG_MEMBER_NAME), ==, "Ana Souza");
  notice = upg_notify_last_notice (f->project, "advance_notice", "Customers");
  g_assert_nonnull (notice);
  g_assert_cmpstr (upg_record_get_string (notice, UPG_NOTICE_HOW), ==, "eml");
  g_assert_null (upg_notify_last_notice (f->project, "advance_notice", "Support"));
}

/* ---- rendering --------------------------------------------------------- */

static void
test_builtin_templates (Fixture *f, gconstpointer data)
{
  /* Every moment ships in both languages and renders with the sample. */
  for (guint i = 0; upg_moments[i] != NULL; i++)
    for (guint j = 0; upg_languages[j] != NULL; j++)
      {
        g_autofree char *subject_t = NULL, *body_t = NULL, *subject = NULL, *body = NULL;
        g_autoptr(GError) error = NULL;

        g_assert_true (upg_notify_builtin_template (upg_moments[i], upg_languages[j], &subject_t, &body_t));
        upg_notify_render (f->project, child (f->project, &upg_entity_group, j), upg_moments[i],
                           upg_languages[j], subject_t, body_t, &subject, &body, &error);
        g_assert_no_error (error);
        g_assert_null (strchr (subject, '\n'));
        g_assert_nonnull (strstr (body, "Billing service 4.2 upgrade"));
        g_assert_nonnull (strstr (body, "4.1.7"));
        g_assert_nonnull (strstr (body, "4.2.0"));
        g_assert_nonnull (strstr (body, "v4.2.0+build.1187"));
        g_assert_nonnull (strstr (body, "Invoices are not generated during the window"));
        g_assert_nonnull (strstr (body, "Ana Souza <ana@example.org>"));
        g_assert_nonnull (strstr (body, "01:00–03:00 UTC"));
        g_assert_nonnull (strstr (body, j == 0 ? "09:00–11:00 CST (Asia/Shanghai, UTC+08:00)"
                                               : "09:00–11:00 CST（Asia/Shanghai，UTC+08:00）"));
        g_assert_nonnull (strstr (body, j == 0 ? "2 hours" : "2 小时"));
        g_assert_null (strstr (body, "(null)"));
      }
  g_assert_false (upg_notify_builtin_template ("bogus", "en", NULL, NULL));
}

static void
test_window_text (Fixture *f, gconstpointer data)
{
  g_autofree char *en = upg_notify_format_window (f->project, "America/New_York", "en", FALSE);
  g_autofree char *utc = upg_notify_format_window (f->project, NULL, "en", TRUE);
  g_autofree char *zh = upg_notify_format_window (f->project, NULL, "zh_CN", FALSE);

  /* 01:00Z on 5 December is the evening before in New York. */
  g_assert_cmpstr (en, ==, "Friday 4 December 2026, 20:00–22:00 EST (America/New_York, UTC-05:00)");
  g_assert_cmpstr (utc, ==, "Saturday 5 December 2026, 01:00–03:00 UTC");
  g_assert_cmpstr (zh, ==, "2026年12月5日（星期六）09:00–11:00 CST（Asia/Shanghai，UTC+08:00）");

  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_WINDOW_END, "2026-12-05T17:30:00Z");
  {
    g_autofree char *crossing = upg_notify_format_window (f->project, NULL, "en", FALSE);
    g_assert_cmpstr (crossing, ==, "Saturday 5 December 2026, 09:00 – Sunday 6 December 2026, 01:30 CST (Asia/Shanghai, UTC+08:00)");
  }
}

static void
assert_render_error (Fixture *f, const char *subject_t, const char *body_t, const char *message)
{
  g_autofree char *subject = NULL, *body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (upg_notify_render (f->project, NULL, "started", "en", subject_t, body_t,
                                     &subject, &body, &error));
  g_assert_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_TEMPLATE);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (subject);
  g_assert_null (body);
}

#define CODE "a template shows names ({{ project.name }}), tests them ({{ if … }}) and repeats lists " \
             "({{ for x in changes }}); it runs no code"

static void
test_render_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) huge = g_string_new (NULL);

  assert_render_error (f, "Hi", "Hello\n\nDear {{ project.nme }}, bye",
                       "Body, line 3, column 9: project has no field “nme”");
  assert_render_error (f, "{{ nobody }}", "fine",
                       "Subject, line 1, column 4: “nobody” is not a name a template can use");
  assert_render_error (f, "ok", "a\n  {{ project.name ",
                       "Body, line 2, column 3: “{{” is not closed by “}}”");
  assert_render_error (f, "ok", "{{if project.name}}\nopen block",
                       "Body, line 1, column 1: “{{ if }}” is not closed by “{{ end }}”");
  assert_render_error (f, "ok", "fine\n{{ project.name }} x {{ end }}",
                       "Body, line 2, column 22: “{{ end }}” closes nothing: there is no open {{ if }} or {{ for }}");
  /* Templates that try to run code are refused, never run. */
  assert_render_error (f, "ok", "{{ require GLib }}{{ GLib.get_user_name() }} {{ GLib.get_home_dir() }}",
                       "Body, line 1, column 4: “require” is not allowed: " CODE);
  assert_render_error (f, "{{ GLib.setenv(\"A\", \"B\", true) }}", "ok",
                       "Subject, line 1, column 4: “GLib.setenv(…)” is a call, and a template calls nothing: " CODE);
  assert_render_error (f, "ok", "{{ while true do 1; }}",
                       "Body, line 1, column 4: “while” is not allowed: " CODE);
  /* The budget: a loop in a loop that passes 1 MB. The sample has 2 scope
   * items, so 16 loops make 2¹⁶ rounds of 20 bytes. */
  for (guint i = 0; i < 16; i++)
    g_string_append_printf (huge, "{{ for c%u in changes }}", i);
  g_string_append (huge, "twenty bytes of text");
  for (guint i = 0; i < 16; i++)
    g_string_append (huge, "{{ end }}");
  assert_render_error (f, "ok", huge->str, "Body: the rendered text passes 1 MB, the most a template may make");
}

/* ---- the message ------------------------------------------------------- */

static GMimeMessage *
parse_message (GBytes *bytes)
{
  g_autoptr(GMimeParser) parser = NULL;
  GMimeStream *stream;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  GMimeMessage *message;

  stream = g_mime_stream_mem_new_with_buffer (data, size);
  parser = g_mime_parser_new_with_stream (stream);
  g_object_unref (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (message);
  return message;
}

static char *
mailboxes (InternetAddressList *list)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (int i = 0; list != NULL && i < internet_address_list_length (list); i++)
    {
      InternetAddress *a = internet_address_list_get_address (list, i);
      g_string_append_printf (out, "%s%s <%s>", i ? ", " : "", internet_address_get_name (a) ? internet_address_get_name (a) : "",
                              internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (a)));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A header of the message; GMime files Content-* headers under its
 * top-level part. */
static char *
header (GMimeMessage *message, const char *name)
{
  GMimeObject *object = g_str_has_prefix (name, "Content-") ? g_mime_message_get_mime_part (message)
                                                            : GMIME_OBJECT (message);
  const char *value = g_mime_object_get_header (object, name);
  return value ? g_strdup (value) : NULL;
}

/* The display name of the From header decoded one encoded word at a time.
 * GMime 3.2's decoder joins adjacent base64 words of one charset before
 * decoding, so a word that ends in "=" padding (as its own encoder writes
 * them, each word whole characters as RFC 2047 requires) cuts the rest
 * off; mail clients decode each word alone, as this does. */
static char *
from_name_by_word (GMimeMessage *message)
{
  GMimeHeader *from = g_mime_header_list_get_header (g_mime_object_get_header_list (GMIME_OBJECT (message)), "From");
  g_autofree char *raw = g_strdup (g_mime_header_get_raw_value (from));
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  char *angle = strrchr (raw, '<');

  g_assert_nonnull (angle);
  *angle = '\0';
  words = g_strsplit_set (raw, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        g_autofree char *decoded = g_mime_utils_header_decode_phrase (NULL, words[i]);
        g_string_append (name, decoded);
      }
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static GBytes *draft_eml (Fixture *f, const char *moment, const char *group, gboolean override);
static UpgDraft *new_draft (Fixture *f, const char *moment, const char *group, const char *now);

/* A header's text decoded one encoded word at a time (see above). */
static char *
header_by_word (GMimeMessage *message, const char *name)
{
  GMimeHeader *h = g_mime_header_list_get_header (g_mime_object_get_header_list (GMIME_OBJECT (message)), name);
  g_auto(GStrv) words = g_strsplit_set (g_mime_header_get_raw_value (h), " \t\r\n", -1);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        g_autofree char *decoded = g_mime_utils_header_decode_text (NULL, words[i]);
        /* Plain words were separated by a space; encoded ones carry theirs. */
        if (text->len > 0 && !g_str_has_prefix (words[i], "=?") && text->str[text->len - 1] != ' ')
          g_string_append_c (text, ' ');
        else if (text->len > 0 && g_str_has_prefix (words[i], "=?") && i > 0 && !g_str_has_prefix (words[i - 1], "=?")
                 && text->str[text->len - 1] != ' ')
          g_string_append_c (text, ' ');
        g_string_append (text, decoded);
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_eml_long_subject (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *expected = NULL;

  /* The longest project name allowed (500 characters), Chinese and
   * accented Latin. */
  for (guint i = 0; g_utf8_strlen (name->str, -1) < UPG_TEXT_MAX_LINE; i++)
    g_string_append (name, i % 2 ? "升级计划" : "Mise à jour ");
  long_name = g_utf8_substring (name->str, 0, UPG_TEXT_MAX_LINE);
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_NAME, long_name);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (f->project), UPG_PROJECT_NAME), ==, long_name);

  bytes = draft_eml (f, "completed", "Customers", FALSE);
  message = parse_message (bytes);
  subject = header_by_word (message, "Subject");
  expected = g_strdup_printf ("Maintenance complete: %s is now on 4.2.0", long_name);
  g_assert_cmpstr (subject, ==, expected);
  {
    g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\r\n", -1);
    for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
      g_assert_cmpuint (strlen (lines[i]), <=, 998);
  }
}

/* The names of every header, in order. */
static char *
header_names (GMimeMessage *message)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
  g_autoptr(GString) out = g_string_new (NULL);

  for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
    g_string_append_printf (out, "%s%s", i ? " " : "",
                            g_mime_header_get_name (g_mime_header_list_get_header_at (headers, i)));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
text_of (GMimeObject *part)
{
  g_assert_true (GMIME_IS_TEXT_PART (part));
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (part, "charset"), ==, "utf-8");
  {
    /* The canonical form has CRLF line ends; the draft has LF. */
    g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
    g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
    g_assert_null (strchr (text, '\n') && strstr (text, "\r\n") == NULL ? "bare LF" : NULL);
    return g_strjoinv ("\n", lines);
  }
}

static GBytes *
part_bytes (GMimePart *part)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (array);

  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (part), stream);
  g_object_unref (stream);
  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

/* Puts the project in a state that @moment fits, at the tests' "now"
 * (2026-11-29, before the window), for the tests of the text and of the
 * other checks: /notify/misfit tests the states that do not fit. */
static void
fit (Fixture *f, const char *moment)
{
  const char *word = upg_notify_parse_moment (moment);
  const char *status = NULL;

  if (g_strcmp0 (word, "started") == 0 || g_strcmp0 (word, "delayed") == 0)
    status = "gray_release";
  else if (g_strcmp0 (word, "completed") == 0)
    status = "done";
  else if (g_strcmp0 (word, "rolled_back") == 0 || g_strcmp0 (word, "cancelled") == 0)
    status = word;
  if (status != NULL)
    upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_STATUS, status);
  if (g_strcmp0 (word, "retrospective") == 0 && upg_project_get_retro (f->project) == NULL)
    {
      g_autoptr(UpgRecord) retro = upg_record_new (&upg_entity_retro);
      g_autoptr(GError) error = NULL;

      upg_record_set_string (retro, UPG_RETRO_SUMMARY, "On time; the canary caught a slow query.");
      upg_store_insert (f->store, UPG_RECORD (f->project), retro, -1, &error);
      g_assert_no_error (error);
    }
}

static GBytes *
draft_eml (Fixture *f, const char *moment, const char *group, gboolean override)
{
  g_autoptr(UpgDraft) draft = NULL;
  g_autoptr(GDateTime) date = at ("2026-11-29T10:00:00Z");
  g_autoptr(GDateTime) now = at ("2026-11-29T10:00:00Z");
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  fit (f, moment);
  draft = upg_draft_new (f->project, moment, group, now, &error);
  g_assert_no_error (error);
  bytes = upg_draft_to_bytes (draft, "eml", override, date, "test.1@upgrade-planner.invalid", &error);
  g_assert_no_error (error);
  return bytes;
}

static void
test_eml_sample (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) bytes = draft_eml (f, "advance_notice", "Customers", FALSE);
  g_autoptr(GMimeMessage) message = parse_message (bytes);
  g_autofree char *from = mailboxes (g_mime_message_get_from (message));
  g_autofree char *reply = mailboxes (g_mime_message_get_reply_to (message));
  g_autofree char *to = mailboxes (g_mime_message_get_to (message));
  g_autofree char *bcc = mailboxes (g_mime_message_get_bcc (message));
  g_autofree char *names = header_names (message);
  g_autofree char *date = header (message, "Date");
  g_autofree char *language = header (message, "Content-Language");
  g_autofree char *unsent = header (message, "X-Unsent");
  g_autofree char *version = header (message, "MIME-Version");
  g_autofree char *body = NULL;
  g_autoptr(GBytes) ics = NULL;
  GMimeMultipart *mixed;
  GMimeObject *calendar;
  icalcomponent *cal, *event;
  const char *raw = g_bytes_get_data (bytes, NULL);

  g_assert_cmpstr (names, ==, "Date From Reply-To Subject To Message-Id MIME-Version X-Unsent");
  g_assert_cmpstr (from, ==, "Ana Souza <ana@example.org>");
  g_assert_cmpstr (reply, ==, "Ana Souza <ana@example.org>");
  g_assert_cmpstr (to, ==, " <merchants@example.com>");
  g_assert_cmpstr (bcc, ==, "");
  /* The sample's own copy of the English advance notice. */
  g_assert_cmpstr (g_mime_message_get_subject (message), ==,
                   "Planned maintenance: Billing service 4.2 upgrade on Saturday 5 December 2026, 09:00 CST (UTC+08:00)");
  g_assert_cmpstr (date, ==, "Sun, 29 Nov 2026 10:00:00 +0000");
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==, "test.1@upgrade-planner.invalid");
  g_assert_cmpstr (version, ==, "1.0");
  g_assert_cmpstr (language, ==, "en");
  g_assert_cmpstr (unsent, ==, "1");
  /* Lines end in CRLF; the body is quoted-printable. */
  g_assert_nonnull (strstr (raw, "\r\nMIME-Version: 1.0\r\nContent-Language: en\r\nX-Unsent: 1\r\n"));
  g_assert_null (strstr (raw, "X-Unsent: 1\n"));

  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  g_assert_true (GMIME_IS_MULTIPART (mixed));
  g_assert_cmpint (g_mime_multipart_get_count (mixed), ==, 2);
  body = text_of (g_mime_multipart_get_part (mixed, 0));
  g_assert_cmpstr (body, ==, "Hello,\n\nBilling service 4.2 upgrade moves from 4.1.7 to 4.2.0.\n\nAna Souza");

  calendar = g_mime_multipart_get_part (mixed, 1);
  {
    /* GMime gives a new string. */
    g_autofree char *mime_type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (calendar));
    g_assert_cmpstr (mime_type, ==, "text/calendar");
  }
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (calendar, "method"), ==, "PUBLISH");
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (calendar)), ==, "maintenance.ics");
  ics = part_bytes (GMIME_PART (calendar));
  {
    g_autoptr(GBytes) window = upg_ics_window (f->project, NULL);
    g_assert_true (g_bytes_equal (ics, window));
  }
  {
    /* The parser reads a C string: the part's bytes have no NUL. */
    gsize size;
    const char *raw_ics = g_bytes_get_data (ics, &size);
    g_autofree char *text = g_strndup (raw_ics, size);
    cal = icalparser_parse_string (text);
  }
  event = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
  g_assert_cmpstr (icalcomponent_get_uid (event), ==, SAMPLE_UID "-window");
  icalcomponent_free (cal);
}

static void
test_eml_builtin_bcc_zh (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) bytes = draft_eml (f, "started", "Support", FALSE);
  g_autoptr(GMimeMessage) message = parse_message (bytes);
  g_autofree char *to = mailboxes (g_mime_message_get_to (message));
  g_autofree char *bcc = mailboxes (g_mime_message_get_bcc (message));
  g_autofree char *language = header (message, "Content-Language");
  g_autofree char *body = text_of (g_mime_message_get_mime_part (message));
  const char *raw = g_bytes_get_data (bytes, NULL);

  /* Bcc only: the message goes To its sender; no calendar for "started". */
  g_assert_cmpstr (to, ==, "Ana Souza <ana@example.org>");
  g_assert_cmpstr (bcc, ==, " <support@example.org>,  <oncall@example.org>");
  g_assert_cmpstr (language, ==, "zh-CN");
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "维护已开始：Billing service 4.2 upgrade 4.2.0");
  /* The subject went out as RFC 2047 encoded words. */
  g_assert_nonnull (strstr (raw, "Subject: =?UTF-8?b?") ? strstr (raw, "Subject: =?UTF-8?b?") : strstr (raw, "=?UTF-8?B?"));
  g_assert_true (g_str_has_prefix (body, "Customer support team，您好：\n\nBilling service 4.2 upgrade 从 4.1.7 版升级到 4.2.0 版（构建号 v4.2.0+build.1187）的工作已经开始。\n\n"
                                         "时间：2026年12月5日（星期六）09:00–11:00 CST（Asia/Shanghai，UTC+08:00）\n"
                                         "换算为 UTC：2026年12月5日（星期六）01:00–03:00 UTC\n"
                                         "时长：2 小时\n"));
  g_assert_true (g_str_has_suffix (body, "维护期间联系人：Ana Souza <ana@example.org>。\n\nAna Souza\n"));
}

/* @text without its Date and Message-Id lines. */
static char *
without_date_and_id (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "Date: ") && !g_str_has_prefix (lines[i], "Message-Id: "))
      g_string_append_printf (out, "%s\r\n", lines[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The messages of an mbox (RFC 4155, CRLF lines): each one's bytes, its
 * "From " line and the empty line after it taken off, mboxrd quoting undone. */
static GPtrArray *
split_mbox (const char *mbox, GPtrArray **from_lines)
{
  g_auto(GStrv) lines = g_strsplit (mbox, "\r\n", -1);
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);
  GString *current = NULL;

  *from_lines = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (g_str_has_prefix (mbox, "From "));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *p = line;

      if (g_str_has_prefix (line, "From "))
        {
          if (current != NULL)
            {
              /* The empty line that ends the message before. */
              g_assert_true (g_str_has_suffix (current->str, "\r\n\r\n"));
              g_string_truncate (current, current->len - 2);
              g_ptr_array_add (messages, g_string_free (current, FALSE));
            }
          current = g_string_new (NULL);
          g_ptr_array_add (*from_lines, g_strdup (line));
          continue;
        }
      if (lines[i + 1] == NULL)
        break;   /* after the last CRLF */
      while (*p == '>')
        p++;
      if (p != line && g_str_has_prefix (p, "From "))
        line++;
      g_string_append_printf (current, "%s\r\n", line);
    }
  g_assert_nonnull (current);
  g_assert_true (g_str_has_suffix (current->str, "\r\n\r\n"));
  g_string_truncate (current, current->len - 2);
  g_ptr_array_add (messages, g_string_free (current, FALSE));
  return messages;
}

/* Every group its own message: the draft of every group is an mbox whose
 * messages are byte for byte each group's own (Date and Message-ID aside),
 * in its language, with the calendar in its language too. */
static void
test_mbox_all_groups (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) bytes = draft_eml (f, "advance-notice", NULL, FALSE);
  g_autoptr(GBytes) customers = draft_eml (f, "advance-notice", "Customers", FALSE);
  g_autoptr(GBytes) support = draft_eml (f, "advance-notice", "Support", FALSE);
  g_autoptr(GPtrArray) from_lines = NULL;
  g_autoptr(GPtrArray) messages = split_mbox (g_bytes_get_data (bytes, NULL), &from_lines);
  const char * const singles[] = { g_bytes_get_data (customers, NULL), g_bytes_get_data (support, NULL) };

  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (from_lines->pdata[0], ==, "From ana@example.org Sun Nov 29 10:00:00 2026");
  g_assert_cmpstr (from_lines->pdata[1], ==, "From ana@example.org Sun Nov 29 10:00:00 2026");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *a = without_date_and_id (messages->pdata[i]);
      g_autofree char *b = without_date_and_id (singles[i]);
      g_assert_cmpstr (a, ==, b);
    }
  /* The Message-IDs differ; the Dates are the draft's. */
  g_assert_nonnull (strstr (messages->pdata[0], "\r\nMessage-Id: <1.test.1@upgrade-planner.invalid>\r\n"));
  g_assert_nonnull (strstr (messages->pdata[1], "\r\nMessage-Id: <2.test.1@upgrade-planner.invalid>\r\n"));

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) one = g_bytes_new (messages->pdata[i], strlen (messages->pdata[i]));
      g_autoptr(GMimeMessage) message = parse_message (one);
      g_autofree char *to = mailboxes (g_mime_message_get_to (message));
      g_autofree char *bcc = mailboxes (g_mime_message_get_bcc (message));
      g_autofree char *language = header (message, "Content-Language");
      GMimeMultipart *mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
      g_autofree char *body = text_of (g_mime_multipart_get_part (mixed, 0));
      g_autoptr(GBytes) ics = part_bytes (GMIME_PART (g_mime_multipart_get_part (mixed, 1)));
      g_autofree char *ics_text = g_strndup (g_bytes_get_data (ics, NULL), g_bytes_get_size (ics));
      icalcomponent *cal = icalparser_parse_string (ics_text);
      icalcomponent *event = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);

      if (i == 0)
        {
          g_assert_cmpstr (to, ==, " <merchants@example.com>");
          g_assert_cmpstr (bcc, ==, "");
          g_assert_cmpstr (language, ==, "en");
          g_assert_true (g_str_has_prefix (body, "Hello,\n\nBilling service 4.2 upgrade moves from 4.1.7 to 4.2.0."));
          g_assert_null (strstr (body, "您好"));
          g_assert_cmpstr (icalcomponent_get_summary (event), ==, "Maintenance: Billing service 4.2 upgrade");
        }
      else
        {
          g_assert_cmpstr (to, ==, "Ana Souza <ana@example.org>");
          g_assert_cmpstr (bcc, ==, " <support@example.org>,  <oncall@example.org>");
          g_assert_cmpstr (language, ==, "zh-CN");
          g_assert_true (g_str_has_prefix (body, "Customer support team，您好：\n"));
          g_assert_null (strstr (body, "Hello"));
          /* The Chinese message's calendar entry is in Chinese. */
          g_assert_cmpstr (icalcomponent_get_summary (event), ==, "维护：Billing service 4.2 upgrade");
          g_assert_true (g_str_has_prefix (icalcomponent_get_description (event), "版本：4.1.7 → 4.2.0\n构建号：v4.2.0+build.1187\n影响："));
        }
      g_assert_cmpstr (icalcomponent_get_uid (event), ==, SAMPLE_UID "-window");
      icalcomponent_free (cal);
    }

  /* The same for one group only, when asked for. */
  {
    g_autoptr(UpgDraft) draft = new_draft (f, "advance_notice", "Customers", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) mbox = upg_draft_to_bytes (draft, "mbox", FALSE, NULL, NULL, &error);
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) one = NULL;

    g_assert_no_error (error);
    one = split_mbox (g_bytes_get_data (mbox, NULL), &lines);
    g_assert_cmpuint (one->len, ==, 1);
  }
}

/* A line of a message that starts with "From " is quoted in the mbox and
 * comes back whole. */
static void
test_mbox_from_lines (Fixture *f, gconstpointer data)
{
  UpgRecord *copy = upg_notify_find_template (f->project, "advance_notice", "en");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) customers = NULL;
  g_autoptr(GPtrArray) from_lines = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *a = NULL, *b = NULL;

  upg_record_set_string (copy, UPG_EMAIL_TEMPLATE_BODY, "Hello,\n\nFrom 09:00 the shop is closed.\n>From the team.\n");
  bytes = draft_eml (f, "advance-notice", NULL, FALSE);
  customers = draft_eml (f, "advance-notice", "Customers", FALSE);
  messages = split_mbox (g_bytes_get_data (bytes, NULL), &from_lines);
  g_assert_cmpuint (messages->len, ==, 2);
  a = without_date_and_id (messages->pdata[0]);
  b = without_date_and_id (g_bytes_get_data (customers, NULL));
  g_assert_cmpstr (a, ==, b);
  /* GMime leaves such lines as they are in quoted-printable text. */
  g_assert_nonnull (strstr (b, "\r\nFrom 09:00 the shop is closed.\r\n>From the team.\r\n"));
  g_assert_nonnull (strstr (g_bytes_get_data (bytes, NULL), "\r\n>From 09:00 the shop is closed.\r\n>>From the team.\r\n"));
}

/* Internal content reaches internal groups only: the goal and the changes
 * of the completion notice, the action items of the retrospective. */
static void
test_internal_content (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) customers = NULL;
  g_autoptr(UpgDraft) support = NULL;
  g_autoptr(UpgDraft) retro_customers = NULL;
  g_autoptr(UpgDraft) retro_support = NULL;
  g_autoptr(UpgRecord) action = upg_record_new (&upg_entity_retro_item);
  g_autoptr(GError) error = NULL;
  static const char * const internal[] = {
    "Patch the payment gateway vulnerability", "billing-api", "billing-db", NULL
  };

  customers = new_draft (f, "completed", "Customers", NULL);
  support = new_draft (f, "completed", "Support", NULL);
  for (guint i = 0; internal[i] != NULL; i++)
    {
      g_assert_null (strstr (upg_draft_get_body (customers), internal[i]));
      g_assert_nonnull (strstr (upg_draft_get_body (support), internal[i]));
    }
  g_assert_nonnull (strstr (upg_draft_get_body (customers),
                            "Planned length: 2 hours\n\nDuring the window: Invoices are not generated"));

  fit (f, "retrospective");
  upg_record_set_string (action, UPG_RETRO_ITEM_KIND, "action");
  upg_record_set_string (action, UPG_RETRO_ITEM_TEXT, "Add an index before the backfill");
  upg_record_set_string (action, UPG_RETRO_ITEM_OWNER, "Mei Lin");
  upg_store_insert (f->store, upg_project_get_retro (f->project), action, -1, &error);
  g_assert_no_error (error);
  retro_customers = new_draft (f, "retrospective", "Customers", NULL);
  retro_support = new_draft (f, "retrospective", "Support", NULL);
  g_assert_null (strstr (upg_draft_get_body (retro_customers), "Add an index"));
  g_assert_null (strstr (upg_draft_get_body (retro_customers), "Open action items"));
  g_assert_nonnull (strstr (upg_draft_get_body (retro_customers), "Summary: On time; the canary caught a slow query.\n\n"
                                                                    "What you should do:"));
  g_assert_nonnull (strstr (upg_draft_get_body (retro_support), "  - Add an index before the backfill — 负责人：Mei Lin\n"));
}

static void
test_eml_hostile (Fixture *f, gconstpointer data)
{
  g_autofree char *long_name = NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  UpgRecord *manager = pm (f);

  /* The longest name allowed (500 characters) with non-ASCII letters, and
   * line breaks that try to start headers in the name and the subject. */
  for (guint i = 0; g_utf8_strlen (name->str, -1) < UPG_TEXT_MAX_LINE; i++)
    g_string_append (name, i % 2 ? "Zoë " : "Łódź ");
  long_name = g_utf8_substring (name->str, 0, UPG_TEXT_MAX_LINE);
  g_assert_cmpint (g_utf8_strlen (long_name, -1), ==, 500);

  for (guint round = 0; round < 2; round++)
    {
      const char *pm_name = round == 0 ? "Ana\r\nBcc: evil@attacker.example\r\n\r\nInjected body" : long_name;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GMimeMessage) message = NULL;
      g_autofree char *from = NULL, *bcc = NULL, *names = NULL, *expected_from = NULL;
      g_autofree char *clean_name = NULL;
      const char *project_name = "Billing \"4.2\" <upgrade>\r\nX-Evil: 1\nSubject: hijack, déjà vu 升级";

      upg_record_set_string (manager, UPG_MEMBER_NAME, pm_name);
      g_assert_cmpstr (upg_record_get_string (manager, UPG_MEMBER_NAME), ==, pm_name);
      upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_NAME, project_name);

      bytes = draft_eml (f, "started", "Customers", FALSE);
      message = parse_message (bytes);
      from = mailboxes (g_mime_message_get_from (message));
      bcc = mailboxes (g_mime_message_get_bcc (message));
      names = header_names (message);
      clean_name = upg_notify_header_text (pm_name);
      expected_from = g_strdup_printf ("%s <ana@example.org>", g_strstrip (clean_name));

      g_assert_cmpstr (names, ==, "Date From Reply-To Subject To Message-Id MIME-Version X-Unsent");
      if (round == 0)
        g_assert_cmpstr (from, ==, expected_from);
      else
        {
          g_autofree char *by_word = from_name_by_word (message);
          g_assert_cmpstr (by_word, ==, g_strstrip (clean_name));
          g_assert_true (g_str_has_suffix (from, " <ana@example.org>"));
        }
      g_assert_cmpstr (bcc, ==, "");
      g_assert_null (g_mime_object_get_header (GMIME_OBJECT (message), "X-Evil"));
      g_assert_cmpstr (g_mime_message_get_subject (message), ==,
                       "Maintenance started: Billing \"4.2\" <upgrade>  X-Evil: 1 Subject: hijack, déjà vu 升级 4.2.0");
      /* Every header line is short enough: GMime folded the long name. */
      {
        g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\r\n", -1);
        for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
          g_assert_cmpuint (strlen (lines[i]), <=, 998);
      }
      {
        g_autofree char *body = text_of (g_mime_message_get_mime_part (message));
        /* In the body the name is text, line breaks and all. */
        g_assert_true (g_str_has_prefix (body, "Hello Merchants using invoicing,\n\nThe upgrade of Billing \"4.2\" <upgrade>\nX-Evil: 1\nSubject: hijack, déjà vu 升级 from 4.1.7"));
      }
    }
}

/* ---- the draft's checks ------------------------------------------------ */

static UpgDraft *
new_draft (Fixture *f, const char *moment, const char *group, const char *now)
{
  g_autoptr(GDateTime) dt = at (now ? now : "2026-11-29T10:00:00Z");
  g_autoptr(GError) error = NULL;
  UpgDraft *draft;

  fit (f, moment);
  draft = upg_draft_new (f->project, moment, group, dt, &error);

  g_assert_no_error (error);
  return draft;
}

static void
assert_problems (UpgDraft *draft, const char *expected)
{
  GPtrArray *problems = upg_draft_get_problems (draft);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      UpgDraftProblem *p = problems->pdata[i];
      g_string_append_printf (text, "%s%s", i ? "\n" : "", p->message);
    }
  g_assert_cmpstr (text->str, ==, expected);
}

static void
assert_blocked (UpgDraft *draft, gboolean overridable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = upg_draft_to_bytes (draft, "eml", FALSE, NULL, NULL, &error);

  g_assert_null (bytes);
  g_assert_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_BLOCKED);
  g_assert_false (upg_draft_can_send (draft, FALSE));
  g_assert_true (upg_draft_can_send (draft, TRUE) == overridable);
}

static void
test_check_clean (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) draft = new_draft (f, "advance_notice", NULL, NULL);

  assert_problems (draft, "");
  g_assert_true (upg_draft_can_send (draft, FALSE));
}

static void
test_check_no_window (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) draft = NULL;
  g_autoptr(UpgDraft) retro = NULL;

  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_WINDOW_END, NULL);
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_WINDOW_START, NULL);
  draft = new_draft (f, "reminder", NULL, NULL);
  assert_problems (draft, "The notice gives the window’s time, but the project has no maintenance window: set it in Overview");
  assert_blocked (draft, TRUE);
  g_assert_nonnull (strstr (upg_draft_get_body (draft), "When: not scheduled yet"));
  /* The retrospective names no time of its own to check. */
  retro = new_draft (f, "retrospective", "Customers", NULL);
  assert_problems (retro, "");
}

static void
test_check_no_pm (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) draft = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  upg_record_set_string (pm (f), UPG_MEMBER_EMAIL, NULL);
  draft = new_draft (f, "completed", "Customers", NULL);
  assert_problems (draft, "No project manager with an email to sign the notice and take replies: add one in Team");
  assert_blocked (draft, TRUE);
  /* Overridden: the message goes without From. */
  bytes = upg_draft_to_bytes (draft, "eml", TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GMimeMessage) message = parse_message (bytes);
    g_assert_cmpint (internet_address_list_length (g_mime_message_get_from (message)), ==, 0);
  }
}

static void
test_check_no_impact (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) draft = NULL;

  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_IMPACT, "  \n ");
  draft = new_draft (f, "started", "Support", NULL);
  assert_problems (draft, "The expected impact is empty: describe what users will notice in Overview");
  assert_blocked (draft, TRUE);
}

static void
test_check_no_addresses (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) draft = NULL;
  const char *none[] = { NULL };

  upg_record_set_strv (child (f->project, &upg_entity_group, 1), UPG_GROUP_ADDRESSES, none);
  draft = new_draft (f, "advance_notice", NULL, NULL);
  assert_problems (draft, "The group “Support” has no addresses");
  assert_blocked (draft, TRUE);
}

static void
test_check_delay_end_passed (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) late = new_draft (f, "delayed", "Customers", "2026-12-05T04:00:00Z");
  g_autoptr(UpgDraft) moved = NULL;

  assert_problems (late, "The window’s end has passed: move it to the new expected end before announcing the delay");
  assert_blocked (late, TRUE);
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_WINDOW_END, "2026-12-05T06:00:00Z");
  moved = new_draft (f, "delayed", "Customers", "2026-12-05T04:00:00Z");
  assert_problems (moved, "");
  g_assert_nonnull (strstr (upg_draft_get_body (moved),
                            "New expected end: Saturday 5 December 2026, 14:00 CST (UTC+08:00)\n"
                            "In UTC: Saturday 5 December 2026, 06:00 UTC\n"));
}

/* Puts @body into the file's copy of the advance notice's template behind
 * the app's back (the sqlite3 shell would), and reopens the plan. */
static void
plant_template (Fixture *f, const char *body)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 id = upg_record_get_id (UPG_RECORD (f->project));

  g_clear_object (&f->project);
  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE email_template SET body = ?1 WHERE moment = 'advance_notice'", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, body, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  f->store = upg_store_open (f->path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->project = upg_store_lookup_project (f->store, id, &error);
  g_assert_no_error (error);
  upg_store_load_children (f->store, UPG_RECORD (f->project), &error);
  g_assert_no_error (error);
}

static void
test_check_template (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) draft = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *id = NULL;
  UpgWarning *warning;

  plant_template (f, "Dear all,\n{{ require GLib }}{{ GLib.get_user_name() }} {{ GLib.get_home_dir() }}");
  draft = new_draft (f, "advance_notice", "Customers", NULL);
  assert_problems (draft, "Body, line 2, column 4: “require” is not allowed: " CODE);
  g_assert_null (upg_draft_get_subject (draft));
  g_assert_null (upg_draft_get_body (draft));
  /* Never sent half-rendered, override or not. */
  assert_blocked (draft, FALSE);

  /* The Overview's warning (and check's) names the moment and language. */
  warnings = upg_project_warnings (f->store, f->project);
  g_assert_cmpuint (warnings->len, >=, 1);
  warning = warnings->pdata[warnings->len - 1];
  g_assert_cmpstr (warning->section, ==, "notifications");
  g_assert_cmpstr (warning->message, ==, "The project’s own “Advance notice” template in English is not allowed, "
                   "so that notice cannot be made: Body, line 2, column 4: “require” is not allowed: " CODE);

  /* The command line: export refuses it, check reports it. */
  id = g_strdup_printf ("%" G_GINT64_FORMAT, upg_record_get_id (UPG_RECORD (f->project)));
  g_clear_object (&f->store);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "email", "--db", f->path, "--project", id,
                                     "--template", "advance_notice", "--force", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "upgrade-planner: The notice is not ready: Body, line 2, column 4: “require” is not allowed: " CODE "\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "check", "--db", f->path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\nwarning: project 1 (Billing service 4.2 upgrade): The project’s own “Advance notice” "
                                 "template in English is not allowed, so that notice cannot be made: Body, line 2, "
                                 "column 4: “require” is not allowed: " CODE "\n"));
}

/* The store refuses a template the language refuses, on insert and on
 * change, and keeps what it had. */
static void
test_store_refuses_template (Fixture *f, gconstpointer data)
{
  UpgRecord *copy = upg_notify_find_template (f->project, "advance_notice", "en");
  g_autofree char *before = g_strdup (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_BODY));
  g_autoptr(UpgRecord) record = upg_record_new (&upg_entity_email_template);
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, "{{ while true do 1; }}");
  g_assert_false (upg_store_set_value (f->store, copy, UPG_EMAIL_TEMPLATE_BODY, &value, &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "body: line 1, column 4: “while” is not allowed: " CODE);
  g_assert_cmpstr (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_BODY), ==, before);
  g_clear_error (&error);
  g_value_set_static_string (&value, "{{ project.name = \"x\" }}");
  g_assert_false (upg_store_set_value (f->store, copy, UPG_EMAIL_TEMPLATE_SUBJECT, &value, &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "subject: line 1, column 17: “=” assigns, and a template assigns nothing; compare with “==”");
  g_clear_error (&error);
  g_value_unset (&value);

  upg_record_set_string (record, UPG_EMAIL_TEMPLATE_MOMENT, "started");
  upg_record_set_string (record, UPG_EMAIL_TEMPLATE_LANGUAGE, "en");
  upg_record_set_string (record, UPG_EMAIL_TEMPLATE_SUBJECT, "Started");
  upg_record_set_string (record, UPG_EMAIL_TEMPLATE_BODY, "{{ GLib.getenv(\"HOME\") }}");
  g_assert_false (upg_store_insert (f->store, UPG_RECORD (f->project), record, -1, &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "body: line 1, column 4: “GLib.getenv(…)” is a call, and a template calls nothing: " CODE);
  g_assert_null (upg_notify_find_template (f->project, "started", "en"));
  g_assert_cmpint (upg_record_get_id (record), ==, 0);
}

static void
test_unknown (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgDraft) draft = upg_draft_new (f->project, "rollback", NULL, NULL, &error);

  g_assert_null (draft);
  g_assert_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_UNKNOWN_MOMENT);
  g_assert_cmpstr (error->message, ==, "Unknown moment “rollback”; choose one of advance_notice, reminder, started, completed, delayed, rolled_back, retrospective, cancelled");
  g_clear_error (&error);
  draft = upg_draft_new (f->project, "started", "Nobody", NULL, &error);
  g_assert_null (draft);
  g_assert_cmpstr (error->message, ==, "Unknown group “Nobody”; choose one of “Customers”, “Support”");
}

static void
test_mailto (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) draft = new_draft (f, "started", "Customers", NULL);
  g_autoptr(UpgDraft) support = new_draft (f, "started", "Support", NULL);
  g_autoptr(UpgDraft) every = new_draft (f, "started", NULL, NULL);
  g_autofree char *uri = upg_draft_to_mailto (draft);
  g_autofree char *support_uri = upg_draft_to_mailto (support);
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;

  /* To in the path, Bcc and the text as escaped query parameters. */
  g_assert_true (g_str_has_prefix (uri, "mailto:merchants@example.com?subject="));
  g_assert_null (strchr (uri, ' '));
  g_assert_null (strchr (uri, '\n'));
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (params, "subject"), ==, upg_draft_get_subject (draft));
  g_assert_cmpstr (g_hash_table_lookup (params, "body"), ==, upg_draft_get_body (draft));
  g_assert_null (g_hash_table_lookup (params, "bcc"));
  /* A Bcc group: the addresses as a parameter. */
  g_assert_true (g_str_has_prefix (support_uri, "mailto:?subject="));
  g_assert_true (g_str_has_suffix (support_uri, "&bcc=support@example.org,oncall@example.org"));
  /* Every group: one message each, not one mailto: link. */
  g_assert_null (upg_draft_to_mailto (every));
}

static void
test_record_notice (Fixture *f, gconstpointer data)
{
  g_autoptr(UpgDraft) draft = new_draft (f, "advance_notice", NULL, NULL);
  g_autoptr(GError) error = NULL;
  GListModel *notices = upg_record_get_children (UPG_RECORD (f->project), &upg_entity_notice);
  UpgRecord *support;

  upg_draft_record (draft, f->store, "mail_app", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (notices), ==, 3);
  support = upg_notify_last_notice (f->project, "advance_notice", "Support");
  g_assert_nonnull (support);
  g_assert_cmpstr (upg_record_get_string (support, UPG_NOTICE_HOW), ==, "mail_app");
}

/* ---- moments that do not fit ------------------------------------------- */

#define BEFORE "2026-11-29T10:00:00Z"     /* the window is 01:00–03:00Z on 5 December */
#define DURING "2026-12-05T02:00:00Z"
#define AFTER  "2026-12-06T00:00:00Z"
#define CANCELLED_MSG "The project is cancelled: send the “Cancelled” notice instead"
#define ROLLED_BACK_MSG "The upgrade was rolled back: send the “Rolled back” notice instead"

typedef enum { NO_RETRO, RETRO_BLANK, RETRO_WRITTEN, NO_WINDOW } Extra;

static const struct {
  const char *moment, *status, *now;
  int         extra;            /* Extra, or -1 */
  const char *misfit;           /* NULL: it fits */
} misfits[] = {
  { "advance_notice", "preparing", BEFORE, -1, NULL },
  { "advance_notice", "preparing", DURING, -1,
    "The window started at 2026-12-05 09:00 (Asia/Shanghai): a notice before it is too late" },
  { "advance_notice", "gray_release", BEFORE, -1,
    "The project’s status is “Gray release”: a notice before the window no longer fits" },
  { "advance_notice", "done", AFTER, -1, "The project’s status is “Done”: a notice before the window no longer fits" },
  { "advance_notice", "rolled_back", BEFORE, -1, ROLLED_BACK_MSG },
  { "advance_notice", "cancelled", BEFORE, -1, CANCELLED_MSG },
  { "reminder", "validating", BEFORE, -1, NULL },
  { "reminder", "planning", AFTER, -1,
    "The window started at 2026-12-05 09:00 (Asia/Shanghai): a notice before it is too late" },
  { "reminder", "live", BEFORE, -1, "The project’s status is “Live”: a notice before the window no longer fits" },
  { "reminder", "cancelled", BEFORE, -1, CANCELLED_MSG },
  { "started", "preparing", BEFORE, -1,
    "The window starts at 2026-12-05 09:00 (Asia/Shanghai): the upgrade has not started yet" },
  { "started", "planning", BEFORE, NO_WINDOW, "The project’s status is “Planning”: the upgrade has not started yet" },
  { "started", "preparing", DURING, -1, NULL },
  { "started", "gray_release", BEFORE, -1, NULL },
  { "started", "done", AFTER, -1, "The project’s status is “Done”: the upgrade is over" },
  { "started", "live", DURING, -1, "The project’s status is “Live”: the upgrade is over" },
  { "started", "rolled_back", DURING, -1, ROLLED_BACK_MSG },
  { "started", "cancelled", DURING, -1, CANCELLED_MSG },
  { "completed", "preparing", BEFORE, -1, "The project’s status is “Preparing”: the upgrade is not complete" },
  { "completed", "gray_release", DURING, -1, "The project’s status is “Gray release”: the upgrade is not complete" },
  { "completed", "live", DURING, -1, NULL },
  { "completed", "done", AFTER, -1, NULL },
  { "completed", "rolled_back", AFTER, -1, ROLLED_BACK_MSG },
  { "completed", "cancelled", AFTER, -1, CANCELLED_MSG },
  { "delayed", "preparing", BEFORE, -1,
    "The window starts at 2026-12-05 09:00 (Asia/Shanghai): to move it, change it in Overview and send the advance notice again" },
  { "delayed", "planning", BEFORE, NO_WINDOW, "The project’s status is “Planning”: the upgrade has not started yet" },
  { "delayed", "preparing", DURING, -1, NULL },
  { "delayed", "gray_release", AFTER, -1, NULL },
  { "delayed", "done", AFTER, -1, "The project’s status is “Done”: the upgrade is over" },
  { "delayed", "rolled_back", AFTER, -1, ROLLED_BACK_MSG },
  { "delayed", "cancelled", DURING, -1, CANCELLED_MSG },
  { "rolled_back", "preparing", DURING, -1,
    "Nothing was rolled back: the project’s status is “Preparing” and no rollback step is checked" },
  { "rolled_back", "done", AFTER, -1,
    "Nothing was rolled back: the project’s status is “Done” and no rollback step is checked" },
  { "rolled_back", "rolled_back", AFTER, -1, NULL },
  { "rolled_back", "cancelled", AFTER, -1, CANCELLED_MSG },
  { "retrospective", "done", AFTER, NO_RETRO, "There is no retrospective yet: write it in Retrospective" },
  { "retrospective", "done", AFTER, RETRO_BLANK, "The retrospective has no summary yet: write it in Retrospective" },
  { "retrospective", "done", AFTER, RETRO_WRITTEN, NULL },
  { "retrospective", "cancelled", AFTER, RETRO_WRITTEN, NULL },
  { "cancelled", "preparing", BEFORE, -1,
    "The project’s status is “Preparing”, not “Cancelled”: change it in Overview first" },
  { "cancelled", "done", AFTER, -1, "The project’s status is “Done”, not “Cancelled”: change it in Overview first" },
  { "cancelled", "cancelled", BEFORE, -1, NULL },
  { "cancelled", "cancelled", AFTER, -1, NULL },
};

/* Each moment in the states where it does not fit: the reason, exactly; a
 * draft that shows it as its first problem and leaves only when forced;
 * never suggested. And the states where it fits. */
static void
test_misfit (Fixture *f, gconstpointer data)
{
  UpgRecord *p = UPG_RECORD (f->project);
  g_autoptr(UpgRecord) retro = upg_record_new (&upg_entity_retro);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (misfits); i++)
    {
      g_autoptr(GDateTime) now = at (misfits[i].now);
      g_autofree char *misfit = NULL;
      g_autoptr(UpgDraft) draft = NULL;
      GPtrArray *problems;

      g_test_message ("%s, %s, %s", misfits[i].moment, misfits[i].status, misfits[i].now);
      upg_record_set_string (p, UPG_PROJECT_STATUS, misfits[i].status);
      upg_record_set_string (p, UPG_PROJECT_WINDOW_START, misfits[i].extra == NO_WINDOW ? NULL : "2026-12-05T01:00:00Z");
      upg_record_set_string (p, UPG_PROJECT_WINDOW_END, misfits[i].extra == NO_WINDOW ? NULL : "2026-12-05T03:00:00Z");
      if (misfits[i].extra == NO_RETRO && upg_project_get_retro (f->project) != NULL)
        {
          upg_store_delete (f->store, upg_project_get_retro (f->project), NULL, &error);
          g_assert_no_error (error);
        }
      if ((misfits[i].extra == RETRO_BLANK || misfits[i].extra == RETRO_WRITTEN) &&
          upg_project_get_retro (f->project) == NULL)
        {
          upg_store_insert (f->store, p, retro, -1, &error);
          g_assert_no_error (error);
        }
      if (misfits[i].extra == RETRO_BLANK || misfits[i].extra == RETRO_WRITTEN)
        upg_record_set_string (upg_project_get_retro (f->project), UPG_RETRO_SUMMARY,
                               misfits[i].extra == RETRO_WRITTEN ? "Smooth." : " \n");

      misfit = upg_notify_moment_misfit (f->project, misfits[i].moment, now);
      g_assert_cmpstr (misfit, ==, misfits[i].misfit);
      if (misfit == NULL)
        continue;
      g_assert_false (upg_notify_moment_called_for (f->project, misfits[i].moment, now));

      draft = upg_draft_new (f->project, misfits[i].moment, "Customers", now, &error);
      g_assert_no_error (error);
      problems = upg_draft_get_problems (draft);
      g_assert_cmpuint (problems->len, >=, 1);
      g_assert_cmpint (((UpgDraftProblem *) problems->pdata[0])->kind, ==, UPG_DRAFT_PROBLEM_MOMENT);
      g_assert_cmpstr (((UpgDraftProblem *) problems->pdata[0])->message, ==, misfit);
      assert_blocked (draft, TRUE);
    }
}

/* The cancelled notice carries the window's event, cancelled. */
static void
test_cancelled_notice (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) bytes = draft_eml (f, "cancelled", "Customers", FALSE);
  g_autoptr(GMimeMessage) message = parse_message (bytes);
  GMimeMultipart *mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  g_autofree char *body = NULL;
  g_autoptr(GBytes) ics = NULL;
  icalcomponent *cal, *event;

  g_assert_cmpstr (g_mime_message_get_subject (message), ==,
                   "Maintenance cancelled: Billing service 4.2 upgrade on Saturday 5 December 2026");
  g_assert_true (GMIME_IS_MULTIPART (mixed));
  body = text_of (g_mime_multipart_get_part (mixed, 0));
  g_assert_true (g_str_has_prefix (body, "Hello Merchants using invoicing,\n\n"
                                         "The planned upgrade of Billing service 4.2 upgrade from version 4.1.7 to 4.2.0 "
                                         "(build v4.2.0+build.1187) is cancelled. The maintenance window will not take place:\n\n"
                                         "Planned for: Saturday 5 December 2026, 09:00–11:00 CST (Asia/Shanghai, UTC+08:00)\n"));
  ics = part_bytes (GMIME_PART (g_mime_multipart_get_part (mixed, 1)));
  {
    gsize size;
    const char *raw = g_bytes_get_data (ics, &size);
    g_autofree char *text = g_strndup (raw, size);
    cal = icalparser_parse_string (text);
  }
  event = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
  g_assert_cmpstr (icalcomponent_get_uid (event), ==, SAMPLE_UID "-window");
  g_assert_cmpint (icalcomponent_get_status (event), ==, ICAL_STATUS_CANCELLED);
  icalcomponent_free (cal);

  /* The Chinese one too. */
  {
    g_autoptr(UpgDraft) zh = new_draft (f, "cancelled", "Support", NULL);
    g_assert_cmpstr (upg_draft_get_subject (zh), ==, "维护已取消：Billing service 4.2 upgrade（2026年12月5日（星期六））");
    g_assert_true (g_str_has_prefix (upg_draft_get_body (zh), "Customer support team，您好：\n\n原定将 Billing service 4.2 upgrade 从 4.1.7 版"));
  }
}

/* ---- the calendar ------------------------------------------------------ */

static icalcomponent *
export_ics (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  UpgExportOptions options = { .format = "ics" };
  g_autoptr(GBytes) bytes = upg_export_run (f->store, "milestones", upg_record_get_id (UPG_RECORD (f->project)),
                                            &options, &error);
  g_assert_no_error (error);
  return icalparser_parse_string (g_bytes_get_data (bytes, NULL));
}

static char *
describe_calendar (icalcomponent *cal)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_cmpint (icalcomponent_get_method (cal), ==, ICAL_METHOD_PUBLISH);
  for (icalcomponent *e = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT); e != NULL;
       e = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
    {
      struct icaltimetype start = icalcomponent_get_dtstart (e);
      icalproperty *dtstart = icalcomponent_get_first_property (e, ICAL_DTSTART_PROPERTY);
      icalparameter *tzid = icalproperty_get_first_parameter (dtstart, ICAL_TZID_PARAMETER);

      g_string_append_printf (out, "%s %s%s%s seq=%d %s %s\n", icalcomponent_get_uid (e),
                              icaltime_as_ical_string (start),
                              tzid ? " TZID=" : "", tzid ? icalparameter_get_tzid (tzid) : "",
                              icalcomponent_get_sequence (e),
                              icalproperty_status_to_string (icalcomponent_get_status (e)),
                              icalcomponent_get_summary (e));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_ics (Fixture *f, gconstpointer data)
{
  icalcomponent *cal = export_ics (f);
  g_autofree char *first = describe_calendar (cal);
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  icalcomponent *vtz = icalcomponent_get_first_component (cal, ICAL_VTIMEZONE_COMPONENT);
  g_autoptr(UpgRecord) milestone = upg_record_new (&upg_entity_milestone);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (vtz);
  g_assert_cmpstr (icalproperty_get_tzid (icalcomponent_get_first_property (vtz, ICAL_TZID_PROPERTY)), ==, "Asia/Shanghai");
  g_assert_cmpstr (first, ==,
    SAMPLE_UID "-window 20261205T090000 TZID=Asia/Shanghai seq=1 CONFIRMED Maintenance: Billing service 4.2 upgrade\n"
    SAMPLE_UID "-milestone-aca26566-2661-5a05-957c-400caf3c31eb 20261127 seq=1 CONFIRMED Billing service 4.2 upgrade: Development complete\n"
    SAMPLE_UID "-milestone-b92b7b9c-4997-5b4e-978e-4ee904ab51e0 20261201 seq=1 CONFIRMED Billing service 4.2 upgrade: Regression and load tests passed\n"
    SAMPLE_UID "-milestone-3cb2cb89-6251-5a69-8275-d7073191a4a7 20261205 seq=1 CONFIRMED Billing service 4.2 upgrade: Canary 5%\n"
    SAMPLE_UID "-milestone-c116f016-3314-5b1d-8591-1f183ffeabd2 20261206 seq=1 CONFIRMED Billing service 4.2 upgrade: Canary 50%\n"
    SAMPLE_UID "-milestone-2e958728-a77b-5f92-a68a-ec9f328f7cc0 20261208 seq=1 CONFIRMED Billing service 4.2 upgrade: Full launch\n");
  icalcomponent_free (cal);

  /* The window moves a day and a milestone is added first: the same UIDs
   * (the new one aside), a higher SEQUENCE, and the calendar moves. */
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_WINDOW_END, "2026-12-06T03:00:00Z");
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_WINDOW_START, "2026-12-06T01:00:00Z");
  upg_record_set_string (milestone, UPG_MILESTONE_TITLE, "Kick-off");
  upg_record_set_string (milestone, UPG_MILESTONE_DUE, "2026-11-21");
  upg_store_insert (f->store, UPG_RECORD (f->project), milestone, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (upg_record_get_int (UPG_RECORD (f->project), UPG_PROJECT_CALENDAR_SEQUENCE), >, 1);
  cal = export_ics (f);
  second = describe_calendar (cal);
  icalcomponent_free (cal);
  {
    int seq = upg_record_get_int (UPG_RECORD (f->project), UPG_PROJECT_CALENDAR_SEQUENCE);
    g_autofree char *window = g_strdup_printf (SAMPLE_UID "-window 20261206T090000 TZID=Asia/Shanghai seq=%d CONFIRMED", seq);
    g_autofree char *canary = g_strdup_printf (SAMPLE_UID "-milestone-3cb2cb89-6251-5a69-8275-d7073191a4a7 20261205 seq=%d CONFIRMED Billing service 4.2 upgrade: Canary 5%%\n", seq);
    g_assert_true (g_str_has_prefix (second, window));
    g_assert_nonnull (strstr (second, canary));
    g_assert_nonnull (strstr (second, "Kick-off"));
  }

  /* Cancelled: every entry says so. */
  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_STATUS, "cancelled");
  cal = export_ics (f);
  third = describe_calendar (cal);
  icalcomponent_free (cal);
  g_assert_null (strstr (third, "CONFIRMED"));
  g_assert_nonnull (strstr (third, "-window 20261206T090000 TZID=Asia/Shanghai"));
  g_assert_nonnull (strstr (third, " CANCELLED Maintenance"));
}

static void
test_ics_utc_and_csv (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UpgExportOptions options = { .format = "csv", .csv_form = UPG_CSV_MACHINE };
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) ics = NULL;
  g_auto(GStrv) lines = NULL;
  const char *text;

  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_TIME_ZONE, "UTC");
  ics = upg_ics_window (f->project, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (ics, NULL);
  g_assert_nonnull (strstr (text, "\r\nDTSTART:20261205T010000Z\r\n"));
  g_assert_null (strstr (text, "VTIMEZONE"));

  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_NAME, "=cmd|' /C calc'!A0");
  csv = upg_export_run (f->store, "milestones", upg_record_get_id (UPG_RECORD (f->project)), &options, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_bytes_get_data (csv, NULL), "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "uid,kind,title,start,end,done,rollout_percent,status,sequence");
  g_assert_true (g_str_has_prefix (lines[1], SAMPLE_UID "-window,maintenance_window,"));
  g_assert_nonnull (strstr (lines[1], ",2026-12-05T01:00:00Z,2026-12-05T03:00:00Z,,,confirmed,"));
  g_assert_null (strstr (lines[1], ",=cmd"));
  g_assert_cmpstr (lines[4], ==, SAMPLE_UID "-milestone-3cb2cb89-6251-5a69-8275-d7073191a4a7,gray_release,Canary 5%,2026-12-05,2026-12-05,,5,confirmed,2");
}

/* ---- the command line -------------------------------------------------- */


static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *eml_path = upg_test_tmpfile ("notice.eml");
  g_autofree char *saved = NULL;
  g_autoptr(GBytes) window_bytes = NULL;
  g_autoptr(UpgDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, upg_record_get_id (UPG_RECORD (f->project)));
  g_autofree char *a = NULL, *b = NULL;

  g_clear_object (&f->store);   /* let the command line have the file */
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "email", "--db", f->path, "--project", id,
                                     "--template", "advance-notice", "-o", eml_path, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  saved = upg_test_read (eml_path, NULL);

  /* The same bytes as the window's save, Date and Message-ID aside. */
  draft = upg_draft_new (f->project, "advance_notice", NULL, NULL, &error);
  g_assert_no_error (error);
  window_bytes = upg_draft_to_bytes (draft, "eml", FALSE, NULL, NULL, &error);
  g_assert_no_error (error);
  a = without_date_and_id (saved);
  b = without_date_and_id (g_bytes_get_data (window_bytes, NULL));
  g_assert_cmpstr (a, ==, b);

  /* Without --group, an mbox: each message byte for byte what --group
   * writes for its group (Date and Message-ID aside). */
  {
    g_autoptr(GPtrArray) from_lines = NULL;
    g_autoptr(GPtrArray) messages = split_mbox (saved, &from_lines);
    const char * const groups[] = { "Customers", "Support" };

    g_assert_cmpuint (messages->len, ==, 2);
    for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
      {
        g_autofree char *one_out = NULL, *one_err = NULL, *x = NULL, *y = NULL;

        g_assert_cmpint (upg_test_run_cli (&one_out, &one_err, "export", "email", "--db", f->path, "--project", id,
                                           "--template", "advance-notice", "--group", groups[i], NULL), ==, 0);
        x = without_date_and_id (messages->pdata[i]);
        y = without_date_and_id (one_out);
        g_assert_cmpstr (x, ==, y);
      }
  }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "email", "--db", f->path, "--project", id,
                                     "--template", "rollback", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "upgrade-planner: Unknown moment “rollback”; choose one of advance_notice, reminder, started, completed, delayed, rolled_back, retrospective, cancelled\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "email", "--db", f->path, "--project", id,
                                     "--template", "started", "--group", "Nobody", NULL), ==, 1);
  g_assert_cmpstr (err, ==, "upgrade-planner: Unknown group “Nobody”; choose one of “Customers”, “Support”\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* A moment that does not fit the project now is refused with the reason,
   * unless forced. */
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "email", "--db", f->path, "--project", id,
                                     "--template", "completed", "--group", "Customers", "--format", "txt", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "upgrade-planner: The notice is not ready: The project’s status is “Preparing”: "
                            "the upgrade is not complete\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "email", "--db", f->path, "--project", id,
                                     "--template", "completed", "--group", "Customers", "--format", "txt",
                                     "--force", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Maintenance complete: Billing service 4.2 upgrade is now on 4.2.0\n\nHello Merchants using invoicing,\n"));
  /* An external group: no module names. */
  g_assert_null (strstr (out, "billing-api"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  upg_test_assert_usage_error ("--group and --force are only for export email",
                               "export", "sop", "--db", f->path, "--project", id, "--group", "Customers");
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  g_mime_init ();

#define FIXTURE(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/notify/parse-moment", test_parse_moment);
  FIXTURE ("/notify/offered-moments", test_offered_moments);
  FIXTURE ("/notify/groups-for", test_groups_for);
  FIXTURE ("/notify/misfit", test_misfit);
  FIXTURE ("/notify/cancelled-notice", test_cancelled_notice);
  FIXTURE ("/notify/builtin-templates", test_builtin_templates);
  FIXTURE ("/notify/window-text", test_window_text);
  FIXTURE ("/notify/render-errors", test_render_errors);
  FIXTURE ("/notify/eml/sample", test_eml_sample);
  FIXTURE ("/notify/eml/builtin-bcc-zh", test_eml_builtin_bcc_zh);
  FIXTURE ("/notify/mbox/all-groups", test_mbox_all_groups);
  FIXTURE ("/notify/mbox/from-lines", test_mbox_from_lines);
  FIXTURE ("/notify/internal-content", test_internal_content);
  FIXTURE ("/notify/eml/hostile", test_eml_hostile);
  FIXTURE ("/notify/eml/long-subject", test_eml_long_subject);
  FIXTURE ("/notify/check/clean", test_check_clean);
  FIXTURE ("/notify/check/no-window", test_check_no_window);
  FIXTURE ("/notify/check/no-project-manager", test_check_no_pm);
  FIXTURE ("/notify/check/no-impact", test_check_no_impact);
  FIXTURE ("/notify/check/no-addresses", test_check_no_addresses);
  FIXTURE ("/notify/check/delay-end-passed", test_check_delay_end_passed);
  FIXTURE ("/notify/check/template", test_check_template);
  FIXTURE ("/notify/store-refuses-template", test_store_refuses_template);
  FIXTURE ("/notify/unknown", test_unknown);
  FIXTURE ("/notify/mailto", test_mailto);
  FIXTURE ("/notify/record-notice", test_record_notice);
  FIXTURE ("/notify/ics", test_ics);
  FIXTURE ("/notify/ics-utc-and-csv", test_ics_utc_and_csv);
  FIXTURE ("/notify/cli", test_cli);
  return g_test_run ();
}
