/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-notice-draft.c — one notice's draft, checked before it leaves. */
#define G_LOG_DOMAIN "upg-notice-draft"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#if HAVE_LIBPORTAL
#include <libportal-gtk4/portal-gtk4.h>
#endif

#include "upg-a11y.h"
#include "upg-notice-draft.h"
#include "upg-field-rows.h"
#include "core/upg-export.h"
#include "core/upg-ics.h"
#include "core/upg-labels.h"
#include "core/upg-notify.h"
#include "core/upg-output.h"

struct _UpgNoticeDraft
{
  AdwWindow          parent_instance;

  UpgStore          *store;
  UpgProject        *project;
  const char        *moment;
  char              *group;
  const char        *language;     /* of the template being edited */
  UpgDraft          *draft;
  gboolean           override;
  gboolean           loading;
  guint              refresh_id;
  GPtrArray         *problem_rows;
  char              *ics_path;     /* the attachment handed to the mail app */
  char              *edit_error;   /* why the text in the editor was not saved, or NULL */

  AdwToastOverlay   *toast_overlay;
  AdwWindowTitle    *window_title;
  AdwPreferencesGroup *problems_group;
  GtkListBox        *problems_list;
  AdwActionRow      *to_row;
  AdwActionRow      *bcc_row;
  AdwActionRow      *subject_row;
  AdwActionRow      *attachment_row;
  GtkTextView       *body_view;
  GtkWidget         *save_button;
  GtkWidget         *mail_button;
  GtkWidget         *copy_button;
  AdwPreferencesGroup *template_group;
  GtkWidget         *reset_button;
  GtkDropDown       *language_dropdown;
  GPtrArray         *languages;    /* of the draft's groups, in their order (static words) */
  AdwEntryRow       *template_subject;
  GtkLabel          *template_error;
  GtkTextView       *template_body;
};

G_DEFINE_FINAL_TYPE (UpgNoticeDraft, upg_notice_draft, ADW_TYPE_WINDOW)

static void refresh (UpgNoticeDraft *self);

static void
toast (UpgNoticeDraft *self,
       const char     *message)
{
  /* Toast titles are markup in libadwaita 1.2. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static char *
addresses_of (GPtrArray *groups,
              gboolean   bcc)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < groups->len; i++)
    {
      const char * const *addresses = upg_record_get_strv (groups->pdata[i], UPG_GROUP_ADDRESSES);
      if (upg_record_get_bool (groups->pdata[i], UPG_GROUP_BCC) != bcc)
        continue;
      for (guint j = 0; addresses != NULL && addresses[j] != NULL; j++)
        g_string_append_printf (out, "%s%s", out->len ? ", " : "", addresses[j]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void queue_refresh (UpgNoticeDraft *self);

static void
override_cb (GtkSwitch      *sw,
             GParamSpec     *pspec,
             UpgNoticeDraft *self)
{
  self->override = gtk_switch_get_active (sw);
  /* Not now: the refresh rebuilds the row this switch is in. */
  queue_refresh (self);
}

static void
show_problems (UpgNoticeDraft *self)
{
  GPtrArray *problems = upg_draft_get_problems (self->draft);
  gboolean all_overridable = TRUE;

  for (guint i = 0; i < self->problem_rows->len; i++)
    gtk_list_box_remove (self->problems_list, self->problem_rows->pdata[i]);
  g_ptr_array_set_size (self->problem_rows, 0);

  for (guint i = 0; i < problems->len; i++)
    {
      UpgDraftProblem *problem = problems->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (problem->can_override ? "dialog-warning-symbolic"
                                                                            : "dialog-error-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
      gtk_widget_add_css_class (icon, problem->can_override ? "warning" : "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      problem->can_override ? _("Warning") : _("Error"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->problems_list, row);
      g_ptr_array_add (self->problem_rows, row);
      all_overridable &= problem->can_override;
    }
  if (problems->len > 0 && all_overridable)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Send Anyway"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("The notice leaves with the problems above"));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (sw), self->override);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Send Anyway"), -1);
      g_signal_connect (sw, "notify::active", G_CALLBACK (override_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_list_box_append (self->problems_list, row);
      g_ptr_array_add (self->problem_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), problems->len > 0);
}

static void
refresh (UpgNoticeDraft *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  g_autofree char *bcc = NULL;
  const char *subject;
  const char *body;
  gboolean can_send;
  gboolean several;
  GPtrArray *problems;
  const char *template_message = NULL;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->draft, upg_draft_free);
  self->draft = upg_draft_new (self->project, self->moment, self->group, NULL, &error);
  if (self->draft == NULL)
    {
      toast (self, error->message);
      gtk_widget_set_sensitive (self->save_button, FALSE);
      gtk_widget_set_sensitive (self->mail_button, FALSE);
      gtk_widget_set_sensitive (self->copy_button, FALSE);
      return;
    }

  show_problems (self);
  to = addresses_of (upg_draft_get_groups (self->draft), FALSE);
  bcc = addresses_of (upg_draft_get_groups (self->draft), TRUE);
  adw_action_row_set_subtitle (self->to_row, *to ? to : _("Only the sender (every address is in Bcc)"));
  adw_action_row_set_subtitle (self->bcc_row, bcc);
  gtk_widget_set_visible (GTK_WIDGET (self->bcc_row), *bcc != '\0');
  subject = upg_draft_get_subject (self->draft);
  body = upg_draft_get_body (self->draft);
  adw_action_row_set_subtitle (self->subject_row, subject ? subject : "—");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), body ? body : "", -1);
  gtk_widget_set_visible (GTK_WIDGET (self->attachment_row),
                          upg_notify_moment_has_calendar (self->moment) &&
                          upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_WINDOW_START) != NULL);

  problems = upg_draft_get_problems (self->draft);
  for (guint i = 0; i < problems->len; i++)
    if (((UpgDraftProblem *) problems->pdata[i])->kind == UPG_DRAFT_PROBLEM_TEMPLATE)
      template_message = ((UpgDraftProblem *) problems->pdata[i])->message;
  /* What was typed and refused comes first: the draft is of the stored copy. */
  if (self->edit_error != NULL)
    template_message = self->edit_error;
  if (template_message != NULL)
    gtk_label_set_text (self->template_error, template_message);
  gtk_widget_set_visible (GTK_WIDGET (self->template_error), template_message != NULL);

  can_send = upg_draft_can_send (self->draft, self->override);
  several = upg_draft_get_groups (self->draft)->len > 1;
  gtk_widget_set_sensitive (self->save_button, can_send);
  /* Each group has its own message: a mail app gets one at a time. */
  gtk_widget_set_sensitive (self->mail_button, can_send && !several);
  gtk_widget_set_tooltip_text (self->mail_button,
                               several ? _("Each group gets its own message: open a group’s draft to write it in your mail app")
                                       : NULL);
  gtk_widget_set_sensitive (self->copy_button, can_send);
  gtk_widget_set_sensitive (self->reset_button,
                            upg_notify_find_template (self->project, self->moment, self->language) != NULL);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  UpgNoticeDraft *self = data;
  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (UpgNoticeDraft *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (150, refresh_idle_cb, self);
}

/* ---- The template ------------------------------------------------------ */

static void
fill_template (UpgNoticeDraft *self)
{
  UpgRecord *copy = upg_notify_find_template (self->project, self->moment, self->language);
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *title = NULL;

  if (copy != NULL)
    {
      subject = g_strdup (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_SUBJECT));
      body = g_strdup (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_BODY));
    }
  else
    upg_notify_builtin_template (self->moment, self->language, &subject, &body);

  g_clear_pointer (&self->edit_error, g_free);
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->template_subject), subject ? subject : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->template_body), body ? body : "", -1);
  self->loading = FALSE;

  /* TRANSLATORS: %s is a language ("English") */
  title = g_strdup_printf (_("Template (%s)"), upg_enum_label (upg_languages, self->language));
  adw_preferences_group_set_title (self->template_group, title);
  adw_preferences_group_set_description (self->template_group,
    copy ? _("The project’s own copy. Fields: {{project.name}}, {{window.text}}, {{contact.name}}…")
         : _("The built-in template; editing it makes the project’s own copy. Fields: {{project.name}}, {{window.text}}, {{contact.name}}…"));
}

static void
template_changed_cb (UpgNoticeDraft *self)
{
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->template_body);
  GtkTextIter start, end;
  g_autofree char *body = NULL;
  const char *subject;
  UpgRecord *copy;

  if (self->loading || self->project == NULL)
    return;
  subject = gtk_editable_get_text (GTK_EDITABLE (self->template_subject));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_clear_pointer (&self->edit_error, g_free);
  if (upg_text_is_blank (subject) || upg_text_is_blank (body))
    self->edit_error = g_strdup (_("A template needs a subject and a body; the copy is kept as it was"));
  /* The one validator: what the store would refuse is not written. */
  else if (!upg_notify_check_template (subject, body, &error))
    /* TRANSLATORS: %s says where and why ("Body, line 1, column 4: …") */
    self->edit_error = g_strdup_printf (_("%s; the copy is kept as it was"), error->message);
  if (self->edit_error != NULL)
    {
      gtk_label_set_text (self->template_error, self->edit_error);
      gtk_widget_set_visible (GTK_WIDGET (self->template_error), TRUE);
      return;
    }

  copy = upg_notify_find_template (self->project, self->moment, self->language);
  if (copy != NULL)
    {
      upg_record_set_string (copy, UPG_EMAIL_TEMPLATE_SUBJECT, subject);
      upg_record_set_string (copy, UPG_EMAIL_TEMPLATE_BODY, body);
    }
  else
    {
      g_autoptr(UpgRecord) record = upg_record_new (&upg_entity_email_template);

      upg_record_set_string (record, UPG_EMAIL_TEMPLATE_MOMENT, self->moment);
      upg_record_set_string (record, UPG_EMAIL_TEMPLATE_LANGUAGE, self->language);
      upg_record_set_string (record, UPG_EMAIL_TEMPLATE_SUBJECT, subject);
      upg_record_set_string (record, UPG_EMAIL_TEMPLATE_BODY, body);
      if (!upg_store_insert (self->store, UPG_RECORD (self->project), record, -1, &error))
        toast (self, error->message);
      else
        adw_preferences_group_set_description (self->template_group,
          _("The project’s own copy. Fields: {{project.name}}, {{window.text}}, {{contact.name}}…"));
    }
  queue_refresh (self);
}

static void
reset_cb (UpgNoticeDraft *self)
{
  UpgRecord *copy = upg_notify_find_template (self->project, self->moment, self->language);
  g_autoptr(GError) error = NULL;

  if (copy == NULL)
    return;
  if (!upg_store_delete (self->store, copy, NULL, &error))
    {
      toast (self, error->message);
      return;
    }
  fill_template (self);
  refresh (self);
  toast (self, _("Back to the built-in template"));
}

/* ---- Ways out ---------------------------------------------------------- */

static void
recorded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(UpgNoticeDraft) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!upg_store_write_finish (UPG_STORE (source), result, &error))
    toast (self, error->message);
}

/* The notice is recorded (in the store's thread on a team server); a
 * refusal is said. */
static void
record (UpgNoticeDraft *self,
        const char     *how)
{
  upg_draft_record_async (self->draft, self->store, how, NULL, recorded_cb, g_object_ref (self));
}

gboolean
upg_notice_draft_save_to (UpgNoticeDraft *self,
                          const char     *path,
                          GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (UPG_IS_NOTICE_DRAFT (self), FALSE);

  bytes = upg_draft_to_bytes (self->draft, "eml", self->override, NULL, NULL, error);
  if (bytes == NULL || !upg_output_write_file (path, bytes, upg_store_get_path (self->store), error))
    return FALSE;
  record (self, "eml");
  return TRUE;
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  UpgNoticeDraft  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL || !upg_notice_draft_save_to (self, path, &error))
        toast (self, error ? error->message : _("The file could not be saved"));
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          /* TRANSLATORS: a toast; %s is a file name */
          g_autofree char *message = g_strdup_printf (_("Saved as “%s”"), name);
          toast (self, message);
        }
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
save_cb (UpgNoticeDraft *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  /* Several groups: one message each, in one mailbox file. */
  gboolean several = self->draft != NULL && upg_draft_get_groups (self->draft)->len > 1;

  chooser = gtk_file_chooser_native_new (_("Save Notice"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, several ? _("Mailboxes") : _("Email messages"));
  gtk_file_filter_add_mime_type (filter, several ? "application/mbox" : "message/rfc822");
  gtk_file_filter_add_suffix (filter, several ? "mbox" : "eml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  name = g_strdup_printf ("%s%s%s.%s", self->moment, self->group ? "-" : "", self->group ? self->group : "",
                          several ? "mbox" : "eml");
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
mailto_fallback (UpgNoticeDraft *self)
{
  g_autofree char *uri = upg_draft_to_mailto (self->draft);

  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
  record (self, "mail_app");
  if (upg_notify_moment_has_calendar (self->moment))
    {
      g_autofree char *escaped = g_markup_escape_text (_("Mail apps often drop attachments from mailto: links: save the .eml to keep the calendar entry"), -1);
      AdwToast *t = adw_toast_new (escaped);

      adw_toast_set_button_label (t, _("Save as .eml…"));
      adw_toast_set_timeout (t, 0);
      g_signal_connect_swapped (t, "button-clicked", G_CALLBACK (save_cb), self);
      adw_toast_overlay_add_toast (self->toast_overlay, t);
    }
}

#if HAVE_LIBPORTAL
static GStrv
address_list (GPtrArray *groups,
              gboolean   bcc)
{
  g_autoptr(GStrvBuilder) list = g_strv_builder_new ();

  for (guint i = 0; i < groups->len; i++)
    if (upg_record_get_bool (groups->pdata[i], UPG_GROUP_BCC) == bcc)
      g_strv_builder_addv (list, (const char **) upg_record_get_strv (groups->pdata[i], UPG_GROUP_ADDRESSES));
  return g_strv_builder_end (list);
}

static void
compose_done_cb (GObject      *portal,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(UpgNoticeDraft) self = data;
  g_autoptr(GError) error = NULL;

  if (xdp_portal_compose_email_finish (XDP_PORTAL (portal), result, &error))
    record (self, "mail_app");
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    mailto_fallback (self);   /* no portal (or no mail app behind it) */
  g_object_unref (portal);
}
#endif

static void
mail_cb (UpgNoticeDraft *self)
{
#if HAVE_LIBPORTAL
  XdpPortal *portal = xdp_portal_new ();
  XdpParent *parent = xdp_parent_new_gtk (GTK_WINDOW (self));
  g_auto(GStrv) to = address_list (upg_draft_get_groups (self->draft), FALSE);
  g_auto(GStrv) bcc = address_list (upg_draft_get_groups (self->draft), TRUE);
  g_autoptr(GBytes) ics = NULL;
  const char *attachments[2] = { NULL, NULL };

  /* The portal attaches files, so the calendar entry travels with it. */
  if (upg_notify_moment_has_calendar (self->moment) &&
      (ics = upg_ics_window (self->project, NULL)) != NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "upgrade-planner", NULL);
      g_autoptr(GError) error = NULL;

      g_mkdir_with_parents (dir, 0700);
      g_free (self->ics_path);
      self->ics_path = g_build_filename (dir, "maintenance.ics", NULL);
      if (upg_output_write_file (self->ics_path, ics, NULL, &error))
        attachments[0] = self->ics_path;
    }
  xdp_portal_compose_email (portal, parent, (const char * const *) to, NULL, (const char * const *) bcc,
                            upg_draft_get_subject (self->draft), upg_draft_get_body (self->draft),
                            attachments[0] ? attachments : NULL, XDP_EMAIL_FLAG_NONE, NULL,
                            compose_done_cb, g_object_ref (self));
  xdp_parent_free (parent);
#else
  mailto_fallback (self);
#endif
}

static void
copy_cb (UpgNoticeDraft *self)
{
  g_autofree char *text = g_strdup_printf ("%s\n\n%s", upg_draft_get_subject (self->draft),
                                           upg_draft_get_body (self->draft));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  record (self, "clipboard");
  toast (self, _("Subject and body copied"));
}

/* ---- The class --------------------------------------------------------- */

const char *
upg_notice_draft_get_subject (UpgNoticeDraft *self)
{
  g_return_val_if_fail (UPG_IS_NOTICE_DRAFT (self), NULL);
  if (self->refresh_id != 0)
    refresh (self);
  return self->draft ? upg_draft_get_subject (self->draft) : NULL;
}

char *
upg_notice_draft_describe_problems (UpgNoticeDraft *self)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (UPG_IS_NOTICE_DRAFT (self), NULL);
  if (self->refresh_id != 0)
    refresh (self);
  for (guint i = 0; i < self->problem_rows->len; i++)
    g_string_append_printf (out, "%s%s", i ? "\n" : "",
                            adw_preferences_row_get_title (self->problem_rows->pdata[i]));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
upg_notice_draft_get_template_error (UpgNoticeDraft *self)
{
  g_return_val_if_fail (UPG_IS_NOTICE_DRAFT (self), NULL);
  if (self->refresh_id != 0)
    refresh (self);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->template_error)))
    return NULL;
  return gtk_label_get_text (self->template_error);
}

gboolean
upg_notice_draft_can_send (UpgNoticeDraft *self)
{
  g_return_val_if_fail (UPG_IS_NOTICE_DRAFT (self), FALSE);
  if (self->refresh_id != 0)
    refresh (self);
  return gtk_widget_get_sensitive (self->save_button);
}

static void
upg_notice_draft_dispose (GObject *object)
{
  UpgNoticeDraft *self = UPG_NOTICE_DRAFT (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->draft, upg_draft_free);
  g_clear_object (&self->store);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (upg_notice_draft_parent_class)->dispose (object);
}

static void
upg_notice_draft_finalize (GObject *object)
{
  UpgNoticeDraft *self = UPG_NOTICE_DRAFT (object);

  g_ptr_array_unref (self->problem_rows);
  g_ptr_array_unref (self->languages);
  g_free (self->group);
  g_free (self->ics_path);
  g_free (self->edit_error);
  G_OBJECT_CLASS (upg_notice_draft_parent_class)->finalize (object);
}

static void
upg_notice_draft_class_init (UpgNoticeDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_notice_draft_dispose;
  object_class->finalize = upg_notice_draft_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-notice-draft.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, window_title);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, problems_group);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, problems_list);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, to_row);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, bcc_row);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, subject_row);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, attachment_row);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, body_view);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, save_button);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, mail_button);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, copy_button);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, template_group);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, reset_button);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, language_dropdown);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, template_subject);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, template_error);
  gtk_widget_class_bind_template_child (widget_class, UpgNoticeDraft, template_body);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
  gtk_widget_class_bind_template_callback (widget_class, mail_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_cb);
  gtk_widget_class_bind_template_callback (widget_class, template_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
upg_notice_draft_init (UpgNoticeDraft *self)
{
  self->problem_rows = g_ptr_array_new ();
  self->languages = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_editable_limit (GTK_EDITABLE (self->template_subject),
                      upg_field_limit (&upg_entity_email_template, UPG_EMAIL_TEMPLATE_SUBJECT));
  upg_text_view_limit (self->template_body, upg_field_limit (&upg_entity_email_template, UPG_EMAIL_TEMPLATE_BODY));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->template_body), "changed",
                            G_CALLBACK (template_changed_cb), self);
}

static void
add_language (UpgNoticeDraft *self,
              UpgRecord      *group)
{
  int i = upg_enum_index (upg_languages, upg_record_get_string (group, UPG_GROUP_LANGUAGE));
  const char *language = upg_languages[MAX (0, i)];

  for (guint j = 0; j < self->languages->len; j++)
    if (self->languages->pdata[j] == language)
      return;
  g_ptr_array_add (self->languages, (gpointer) language);
}

static void
language_changed_cb (UpgNoticeDraft *self)
{
  guint i = gtk_drop_down_get_selected (self->language_dropdown);

  if (i >= self->languages->len)
    return;
  self->language = self->languages->pdata[i];
  fill_template (self);
  refresh (self);
}

UpgNoticeDraft *
upg_notice_draft_new (UpgStore   *store,
                      UpgProject *project,
                      const char *moment,
                      const char *group)
{
  UpgNoticeDraft *self;
  UpgRecord *first = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);
  g_return_val_if_fail (upg_notify_parse_moment (moment) != NULL, NULL);

  self = g_object_new (UPG_TYPE_NOTICE_DRAFT, NULL);
  self->store = g_object_ref (store);
  self->project = g_object_ref (project);
  self->moment = upg_notify_parse_moment (moment);
  self->group = g_strdup (group);

  if (group != NULL)
    {
      first = upg_notify_find_group (project, group);
      if (first != NULL)
        add_language (self, first);
    }
  else
    {
      g_autoptr(GPtrArray) groups = upg_notify_groups_for (project, self->moment);
      for (guint i = 0; i < groups->len; i++)
        add_language (self, groups->pdata[i]);
    }
  if (self->languages->len == 0)
    g_ptr_array_add (self->languages, (gpointer) upg_languages[0]);
  self->language = self->languages->pdata[0];

  /* A message in several languages: choose whose template to edit. */
  if (self->languages->len > 1)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

      for (guint i = 0; i < self->languages->len; i++)
        gtk_string_list_append (labels, upg_enum_label (upg_languages, self->languages->pdata[i]));
      gtk_drop_down_set_model (self->language_dropdown, G_LIST_MODEL (labels));
      gtk_widget_set_visible (GTK_WIDGET (self->language_dropdown), TRUE);
      g_signal_connect_swapped (self->language_dropdown, "notify::selected", G_CALLBACK (language_changed_cb), self);
    }

  adw_window_title_set_title (self->window_title, upg_notify_moment_label (self->moment));
  subtitle = group ? g_strdup (group) : g_strdup (_("Every group that hears about it"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  {
    /* TRANSLATORS: the draft window's title: a moment and a group */
    g_autofree char *title = g_strdup_printf (_("%s — %s"), upg_notify_moment_label (self->moment), subtitle);
    gtk_window_set_title (GTK_WINDOW (self), title);
  }
  fill_template (self);
  refresh (self);
  return self;
}
