/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-notify-message.c — the notice as an RFC 5322 / MIME message (GMime 3).
 *
 * UTF-8 text/plain, quoted-printable; RFC 2047 encoded words for subjects
 * and names that need them (GMime writes them and folds long headers); the
 * window's .ics attached for the moments that carry it. No user text can
 * add or split a header: every header value is made one line first, and
 * addresses are ones the model has already checked.
 */
#define G_LOG_DOMAIN "upg-notify"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>

#include "upg-ics.h"
#include "upg-notify.h"
#include "upg-clock.h"

/* GMime 3.2 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMultipart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)

char *
upg_notify_header_text (const char *text)
{
  GString *out = g_string_sized_new (text ? strlen (text) : 0);

  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      /* C0, DEL, C1 and the Unicode line and paragraph separators. */
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static void
ensure_gmime (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}

static void
add_mailbox (GMimeMessage     *message,
             GMimeAddressType  type,
             const char       *name,
             const char       *address)
{
  g_autofree char *clean_name = upg_notify_header_text (name);
  g_autofree char *clean_address = upg_notify_header_text (address);

  InternetAddress *mailbox = internet_address_mailbox_new (g_strstrip (clean_name), clean_address);

  /* Encoded words in UTF-8, not whichever legacy charset would do. */
  internet_address_set_charset (mailbox, "utf-8");
  internet_address_list_add (g_mime_message_get_addresses (message, type), mailbox);
  g_object_unref (mailbox);
}

static void
add_group_addresses (GMimeMessage *message,
                     GPtrArray    *groups,
                     gboolean      bcc,
                     guint        *n_added)
{
  for (guint i = 0; i < groups->len; i++)
    {
      UpgRecord *group = groups->pdata[i];
      const char * const *addresses = upg_record_get_strv (group, UPG_GROUP_ADDRESSES);

      if (upg_record_get_bool (group, UPG_GROUP_BCC) != bcc)
        continue;
      for (guint j = 0; addresses != NULL && addresses[j] != NULL; j++, (*n_added)++)
        add_mailbox (message, bcc ? GMIME_ADDRESS_TYPE_BCC : GMIME_ADDRESS_TYPE_TO, "", addresses[j]);
    }
}

static GMimeObject *
text_part (const char *body)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype ("plain");

  g_mime_text_part_set_text (part, body);
  g_mime_text_part_set_charset (part, "utf-8");
  g_mime_part_set_content_encoding (GMIME_PART (part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return GMIME_OBJECT (part);
}

static GMimeObject *
calendar_part (GBytes *ics)
{
  GMimePart *part = g_mime_part_new_with_type ("text", "calendar");
  gsize size;
  const guint8 *data = g_bytes_get_data (ics, &size);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
  g_autoptr(GMimeDataWrapper) wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

  g_mime_object_set_content_type_parameter (GMIME_OBJECT (part), "charset", "utf-8");
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (part), "method", "PUBLISH");
  g_mime_part_set_content (part, wrapper);
  g_mime_part_set_filename (part, "maintenance.ics");
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  return GMIME_OBJECT (part);
}

/* The addresses a message goes from and to, checked as import checks them
 * (issue 17): a file changed by other means may hold "a@b.example\r\nBcc: …". */
static gboolean
check_addresses (UpgRecord  *pm,
                 GPtrArray  *groups,
                 GError    **error)
{
  const char *sender = pm ? upg_record_get_string (pm, UPG_MEMBER_EMAIL) : NULL;
  g_autofree char *message = NULL;

  if (sender != NULL && !upg_check_email (sender, &message))
    {
      g_autofree char *name = upg_notify_header_text (upg_record_get_string (pm, UPG_MEMBER_NAME));
      g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_BAD_ADDRESS,
                   /* TRANSLATORS: a team member's name, then "must be a valid email address, like …" */
                   _("The email of %s in the plan file is not an address (it %s); no message was made"),
                   name, message);
      return FALSE;
    }
  for (guint i = 0; i < groups->len; i++)
    {
      const char * const *addresses = upg_record_get_strv (groups->pdata[i], UPG_GROUP_ADDRESSES);

      for (guint j = 0; addresses != NULL && addresses[j] != NULL; j++)
        if (!upg_check_email (addresses[j], &message))
          {
            g_autofree char *name = upg_notify_header_text (upg_record_get_string (groups->pdata[i], UPG_GROUP_NAME));
            g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_BAD_ADDRESS,
                         /* TRANSLATORS: a group's name, the address's number (1 is the first), then
                          * "must be a valid email address, like …" */
                         _("Address %u of the group “%s” in the plan file is not an address (it %s); no message was made"),
                         j + 1, name, message);
            return FALSE;
          }
    }
  return TRUE;
}

GBytes *
upg_notify_build_message (UpgProject  *project,
                          const char  *moment,
                          GPtrArray   *groups,
                          const char  *languages,
                          const char  *subject,
                          const char  *body,
                          GDateTime   *date,
                          const char  *message_id,
                          GError     **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeObject) text = NULL;
  g_autoptr(GMimeMultipart) mixed = NULL;
  g_autoptr(GBytes) ics = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autofree char *clean_subject = NULL;
  g_autofree char *id = NULL;
  GMimeFormatOptions *format;
  UpgRecord *pm;
  GByteArray *array;
  guint n_to = 0, n_bcc = 0;

  ensure_gmime ();

  pm = upg_notify_project_manager (project);
  if (!check_addresses (pm, groups, error))
    return NULL;
  message = g_mime_message_new (TRUE);
  if (pm != NULL && upg_record_get_string (pm, UPG_MEMBER_EMAIL) != NULL)
    {
      const char *name = upg_record_get_string (pm, UPG_MEMBER_NAME);
      const char *address = upg_record_get_string (pm, UPG_MEMBER_EMAIL);

      add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, name, address);
      add_mailbox (message, GMIME_ADDRESS_TYPE_REPLY_TO, name, address);
    }
  add_group_addresses (message, groups, FALSE, &n_to);
  add_group_addresses (message, groups, TRUE, &n_bcc);
  /* Only Bcc recipients: the message goes to its sender, as mail clients do. */
  if (n_to == 0 && pm != NULL && upg_record_get_string (pm, UPG_MEMBER_EMAIL) != NULL)
    add_mailbox (message, GMIME_ADDRESS_TYPE_TO, upg_record_get_string (pm, UPG_MEMBER_NAME),
                 upg_record_get_string (pm, UPG_MEMBER_EMAIL));

  clean_subject = upg_notify_header_text (subject);
  g_mime_message_set_subject (message, clean_subject, "utf-8");
  now = date ? g_date_time_ref (date) : upg_clock_now ();
  g_mime_message_set_date (message, now);
  id = message_id ? upg_notify_header_text (message_id) : g_mime_utils_generate_message_id ("upgrade-planner.invalid");
  g_mime_message_set_message_id (message, id);
  g_mime_object_set_header (GMIME_OBJECT (message), "MIME-Version", "1.0", NULL);
  g_mime_object_set_header (GMIME_OBJECT (message), "Content-Language", languages, NULL);
  g_mime_object_set_header (GMIME_OBJECT (message), "X-Unsent", "1", NULL);

  text = text_part (body);
  /* The calendar entry speaks the message's language: its group's. */
  if (upg_notify_moment_has_calendar (moment))
    ics = upg_ics_window_in (project, groups->len == 1 ? upg_record_get_string (groups->pdata[0], UPG_GROUP_LANGUAGE)
                                                        : NULL, NULL);
  if (ics != NULL)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      g_autofree char *boundary = NULL;
      g_autoptr(GMimeObject) calendar = calendar_part (ics);
      gsize ics_size;
      const guchar *ics_data = g_bytes_get_data (ics, &ics_size);

      /* The same draft gives the same bytes (Date and Message-ID aside). */
      g_checksum_update (checksum, (const guchar *) clean_subject, -1);
      g_checksum_update (checksum, (const guchar *) "\n", 1);
      g_checksum_update (checksum, (const guchar *) body, -1);
      g_checksum_update (checksum, (const guchar *) "\n", 1);
      g_checksum_update (checksum, ics_data, ics_size);
      boundary = g_strdup_printf ("=-upgrade-planner-%.32s", g_checksum_get_string (checksum));
      mixed = g_mime_multipart_new_with_subtype ("mixed");
      g_mime_multipart_set_boundary (mixed, boundary);
      g_mime_multipart_add (mixed, text);
      g_mime_multipart_add (mixed, calendar);
      g_mime_message_set_mime_part (message, GMIME_OBJECT (mixed));
    }
  else
    g_mime_message_set_mime_part (message, text);

  format = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (format, GMIME_NEWLINE_FORMAT_DOS);
  stream = g_mime_stream_mem_new ();
  if (g_mime_object_write_to_stream (GMIME_OBJECT (message), format, stream) < 0)
    {
      g_mime_format_options_free (format);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the message could not be written");
      return NULL;
    }
  g_mime_format_options_free (format);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  {
    GString *copy = g_string_new_len ((const char *) array->data, array->len);  /* NUL-terminated */
    return g_string_free_to_bytes (copy);
  }
}
