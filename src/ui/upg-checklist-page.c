/* upg-checklist-page.c — the project's Checklist section: the SOP steps by
 * phase (rollback pinned first), checked with who and when, their history,
 * the readiness rule before gray release, editing, reordering, export and
 * print.
 *
 * Each phase is a boxed GtkListBox bound to a filter of the project's step
 * list. A plan's SOP has tens of steps, not thousands, and list boxes give
 * drag and drop between phases and keyboard focus per row simply; the
 * exports handle the large plans.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/upg-checks.h"
#include "core/upg-export-sop.h"
#include "core/upg-labels.h"
#include "core/upg-output.h"
#include "core/upg-retro.h"
#include "core/upg-sop.h"
#include "core/upg-zone.h"
#include "upg-a11y.h"
#include "upg-checklist-page.h"
#include "upg-step-editor.h"
#include "upg-step-row.h"
#include "upg-field-rows.h"
#include "upg-settings.h"
#include "upg-sop-print.h"

struct _UpgChecklistPage
{
  AdwBin          parent_instance;

  UpgStore       *store;
  UpgProject     *project;
  GListModel     *steps;            /* the project's, borrowed */
  GSettings      *settings;         /* NULL when the schema is not installed */
  char           *checker;          /* fallback without settings */
  GPtrArray      *filters;          /* GtkCustomFilter per displayed phase */
  GPtrArray      *groups;           /* AdwPreferencesGroup per displayed phase */
  gulong          items_changed_id;
  gulong          project_notify_id;
  GListModel     *team;             /* the project's, borrowed */
  gulong          team_changed_id;
  GtkWidget      *rollback_button;  /* Start Rollback / Service Restored */
  GtkWidget      *on_call_group;    /* the team's phones, on release day */
  GPtrArray      *on_call_rows;

  AdwToastOverlay *toast_overlay;
  GtkStack       *stack;
  GtkScrolledWindow *scroller;
  AdwButtonContent *checker_content;
  GtkMenuButton  *export_button;
  GtkProgressBar *progress_bar;
  GtkLabel       *progress_label;
  GtkBox         *phases_box;
};

G_DEFINE_FINAL_TYPE (UpgChecklistPage, upg_checklist_page, ADW_TYPE_BIN)

/* Who checks is asked once per session (then remembered in settings). */
static gboolean checker_confirmed;

typedef void (*CheckerReady) (UpgChecklistPage *self, UpgRecord *step);

static void rebuild (UpgChecklistPage *self);
static void update_progress (UpgChecklistPage *self);
static char *update_rollback (UpgChecklistPage *self);

/* ---- Helpers ------------------------------------------------------------- */

/* AdwToast titles are Pango markup in libadwaita 1.2: escape user text. */
static AdwToast *
new_toast (const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  return adw_toast_new (escaped);
}

static void
toast (UpgChecklistPage *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, new_toast (message));
}

static void
toast_error (UpgChecklistPage *self, GError *error)
{
  if (error != NULL)
    toast (self, error->message);
}

static GtkWindow *
page_window (UpgChecklistPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static char *
get_checker (UpgChecklistPage *self)
{
  if (self->settings != NULL)
    return g_settings_get_string (self->settings, "checker-name");
  return g_strdup (self->checker ? self->checker : "");
}

static void
update_checker_label (UpgChecklistPage *self)
{
  g_autofree char *name = get_checker (self);
  g_autofree char *label = NULL;

  if (name[0] != '\0' && checker_confirmed)
    label = g_strdup_printf (_("Checking as %s"), name);
  else
    label = g_strdup (_("Who Is Checking?"));
  /* Its name is what it shows: AdwButtonContent (libadwaita 1.2) makes
   * its label the button's mnemonic label, so the button is "labelled-by"
   * it; a "label" property besides would be read before it, twice. */
  adw_button_content_set_label (self->checker_content, label);
}

void
upg_checklist_page_set_checker (UpgChecklistPage *self,
                                const char       *name)
{
  g_return_if_fail (UPG_IS_CHECKLIST_PAGE (self));

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "checker-name", name ? name : "");
  g_free (self->checker);
  self->checker = g_strdup (name);
  checker_confirmed = name != NULL && name[0] != '\0';
  update_checker_label (self);
}

static UpgRecord *
row_step (GtkWidget *widget)
{
  return UPG_IS_STEP_ROW (widget) ? upg_step_row_get_step (UPG_STEP_ROW (widget)) : NULL;
}

/* ---- Checking ------------------------------------------------------------ */

typedef struct {
  UpgChecklistPage *self;
  UpgRecord        *step;
  GtkWidget        *entry;
  GtkWidget        *dropdown;
  CheckerReady      then;
  GPtrArray        *blockers;
} DialogData;

static void
dialog_data_free (DialogData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->step);
  g_clear_pointer (&data->blockers, g_ptr_array_unref);
  g_free (data);
}

static void
dialog_data_destroy (gpointer data, GClosure *closure)
{
  dialog_data_free (data);
}

static DialogData *
dialog_data_new (UpgChecklistPage *self, UpgRecord *step)
{
  DialogData *data = g_new0 (DialogData, 1);
  data->self = g_object_ref (self);
  data->step = step ? g_object_ref (step) : NULL;
  return data;
}

static void
sync_rows (UpgChecklistPage *self)
{
  update_progress (self);
}

static void
picker_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DialogData       *data)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (data->entry));
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "choose") != 0)
    return;
  if (typed && g_strstrip (g_strdup (typed))[0] != '\0')
    name = g_strstrip (g_strdup (typed));
  else if (data->dropdown)
    {
      GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (data->dropdown));
      if (item)
        name = g_strdup (gtk_string_object_get_string (item));
    }
  if (name == NULL || name[0] == '\0')
    return;
  upg_checklist_page_set_checker (data->self, name);
  if (data->then)
    data->then (data->self, data->step);
}

static void
choose_checker (UpgChecklistPage *self,
                UpgRecord        *step,
                CheckerReady      then)
{
  g_autofree char *current = get_checker (self);
  GListModel *team = self->project ? upg_record_get_children (UPG_RECORD (self->project), &upg_entity_member) : NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  DialogData *data = dialog_data_new (self, step);
  GtkWidget *dialog, *box;
  guint n = team ? g_list_model_get_n_items (team) : 0;
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (team, i);
      const char *name = upg_record_get_string (m, UPG_MEMBER_NAME);
      gtk_string_list_append (names, name);
      if (g_strcmp0 (name, current) == 0)
        selected = i;
    }

  dialog = adw_message_dialog_new (page_window (self), _("Who Is Checking?"),
                                   _("Your name is recorded with every step you check or uncheck."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (n > 0)
    {
      data->dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
      if (selected != GTK_INVALID_LIST_POSITION)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (data->dropdown), selected);
      gtk_accessible_update_property (GTK_ACCESSIBLE (data->dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Team member"), -1);
      gtk_box_append (GTK_BOX (box), data->dropdown);
    }
  data->entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (data->entry), n > 0 ? _("Or type another name") : _("Your name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, C_("person", "Name"), -1);
  if (selected == GTK_INVALID_LIST_POSITION && current[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (data->entry), current);
  gtk_entry_set_activates_default (GTK_ENTRY (data->entry), TRUE);
  gtk_box_append (GTK_BOX (box), data->entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "choose", _("_Choose"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "choose", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "choose");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  data->then = then;
  g_signal_connect_data (dialog, "response", G_CALLBACK (picker_response_cb), data,
                         dialog_data_destroy, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
with_checker (UpgChecklistPage *self, UpgRecord *step, CheckerReady then)
{
  g_autofree char *name = get_checker (self);

  if (checker_confirmed && name[0] != '\0')
    then (self, step);
  else
    choose_checker (self, step, then);
}

/* The row of @step on this page, if it shows one. */
static UpgStepRow *
row_of (GtkWidget *root, UpgRecord *step)
{
  if (UPG_IS_STEP_ROW (root) && upg_step_row_get_step (UPG_STEP_ROW (root)) == step)
    return UPG_STEP_ROW (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      UpgStepRow *found = row_of (child, step);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_step_busy (UpgChecklistPage *self, UpgRecord *step, gboolean busy)
{
  UpgStepRow *row = row_of (GTK_WIDGET (self->phases_box), step);

  if (row != NULL)
    upg_step_row_set_busy (row, busy);
}

typedef struct {
  UpgChecklistPage *self;
  UpgRecord        *step;
  char             *done;   /* said when it went through, or NULL */
} Marking;

static void
marked_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Marking *m = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = upg_sop_mark_finish (UPG_STORE (source), result, &error);

  /* The window may have closed meanwhile: then there is no one to tell
   * (the server has the change, or not, either way). */
  if (gtk_widget_get_root (GTK_WIDGET (m->self)) != NULL && m->self->phases_box != NULL)
    {
      set_step_busy (m->self, m->step, FALSE);
      if (!ok)
        toast_error (m->self, error);
      else if (m->done != NULL)
        toast (m->self, m->done);
      sync_rows (m->self);
    }
  g_object_unref (m->self);
  g_object_unref (m->step);
  g_free (m->done);
  g_free (m);
}

/* Checks, unchecks or skips @step as @actor (with @reason: for skipping
 * what a check waits on, or why to uncheck or skip), saying @done (taken)
 * when it went through. On a file at once; on a team server in a thread,
 * on a connection of its own, so the window never waits on the network:
 * the row shows a spinner meanwhile and follows the server's
 * notification. Refusals (someone else came first) are told the same
 * way in both. */
static void
mark (UpgChecklistPage *self,
      UpgRecord        *step,
      UpgSopMark        what,
      const char       *actor,
      const char       *reason,
      char             *done)
{
  Marking *m;

  if (!upg_store_is_server (self->store))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      gboolean ok;

      g_ptr_array_add (one, step);
      if (what == UPG_SOP_MARK_CHECK)
        ok = upg_sop_check (self->store, self->steps, step, actor, NULL, reason, &error);
      else if (what == UPG_SOP_MARK_UNCHECK)
        ok = upg_sop_uncheck (self->store, step, actor, NULL, reason, &error);
      else
        ok = upg_sop_skip (self->store, one, actor, NULL, reason, &error);
      if (!ok)
        toast_error (self, error);
      else if (done != NULL)
        toast (self, done);
      g_free (done);
      sync_rows (self);
      return;
    }

  set_step_busy (self, step, TRUE);
  m = g_new0 (Marking, 1);
  m->self = g_object_ref (self);
  m->step = g_object_ref (step);
  m->done = done;
  upg_sop_mark_async (self->store, what, upg_record_get_id (UPG_RECORD (self->project)), upg_record_get_id (step),
                      actor, reason, NULL, marked_cb, m);
}

static void
skip_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  DialogData       *data)
{
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "skip") != 0)
    return;
  name = get_checker (data->self);
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->entry))));
  mark (data->self, data->step, UPG_SOP_MARK_CHECK, name, reason, NULL);
}

static void
reason_changed_cb (GtkEditable *entry, AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  const char *response = g_object_get_data (G_OBJECT (dialog), "upg-response");
  adw_message_dialog_set_response_enabled (dialog, response, text[0] != '\0');
}

/* Enter in the reason does what the dialog is for, with the reason typed
 * (as its button would: the response, then the dialog closes); nothing
 * while there is no reason. */
static void
reason_activate_cb (GtkEntry *entry, AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (dialog), "upg-response");

  if (!adw_message_dialog_get_response_enabled (dialog, response))
    return;
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static GtkWidget *
reason_entry (AdwMessageDialog *dialog, const char *response, const char *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  g_object_set_data (G_OBJECT (dialog), "upg-response", (gpointer) response);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  g_signal_connect (entry, "activate", G_CALLBACK (reason_activate_cb), dialog);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_set_response_enabled (dialog, response, FALSE);
  return entry;
}

static void
do_check (UpgChecklistPage *self, UpgRecord *step)
{
  g_autoptr(GPtrArray) blockers = upg_sop_readiness_blockers (self->store, self->steps, step);
  g_autofree char *name = get_checker (self);

  if (blockers->len > 0)
    {
      GString *body = g_string_new (NULL);
      DialogData *data = dialog_data_new (self, step);
      GtkWidget *dialog;

      g_string_append (body, g_dngettext (GETTEXT_PACKAGE,
                                          "Before the gray release, this required step is not checked:",
                                          "Before the gray release, these required steps are not checked:",
                                          blockers->len));
      for (guint i = 0; i < blockers->len; i++)
        g_string_append_printf (body, "\n• %s",
                                upg_record_get_string (g_ptr_array_index (blockers, i), UPG_SOP_STEP_TITLE));
      g_string_append (body, "\n\n");
      g_string_append (body, g_dngettext (GETTEXT_PACKAGE,
                                          "Skipping it is recorded in its history with your name and reason.",
                                          "Skipping them is recorded in their history with your name and reason.",
                                          blockers->len));

      dialog = adw_message_dialog_new (page_window (self), _("Skip Required Steps?"), NULL);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body->str);
      g_string_free (body, TRUE);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "skip", _("_Skip and Check"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "skip", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      data->entry = reason_entry (ADW_MESSAGE_DIALOG (dialog), "skip", _("Why skip them?"));
      g_signal_connect_data (dialog, "response", G_CALLBACK (skip_response_cb), data,
                             dialog_data_destroy, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  mark (self, step, UPG_SOP_MARK_CHECK, name, NULL, NULL);
}

static void
uncheck_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     DialogData       *data)
{
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "uncheck") != 0)
    return;
  name = get_checker (data->self);
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->entry))));
  mark (data->self, data->step, UPG_SOP_MARK_UNCHECK, name, reason, NULL);
}

/* A destructive action on one step that asks for the reason, as the
 * command line does: @response is the action's response id, @entry_title
 * names the reason's entry, and @callback gets the dialog's response. */
static void
present_reason_dialog (UpgChecklistPage *self,
                       UpgRecord        *step,
                       const char       *heading,
                       char             *body,
                       const char       *response,
                       const char       *response_label,
                       const char       *entry_title,
                       GCallback         callback)
{
  DialogData *data = dialog_data_new (self, step);
  GtkWidget *dialog = adw_message_dialog_new (page_window (self), heading, body);

  g_free (body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), response);
  data->entry = reason_entry (ADW_MESSAGE_DIALOG (dialog), response, entry_title);
  g_signal_connect_data (dialog, "response", callback, data, dialog_data_destroy, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
do_uncheck (UpgChecklistPage *self, UpgRecord *step)
{
  present_reason_dialog (self, step, _("Uncheck Step?"),
                         g_strdup_printf (_("“%s” will be marked as not done. Say why; the reason is kept in the step’s history."),
                                          upg_record_get_string (step, UPG_SOP_STEP_TITLE)),
                         "uncheck", _("_Uncheck"), _("Reason"), G_CALLBACK (uncheck_response_cb));
}

static void
skip_one_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      DialogData       *data)
{
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "skip") != 0)
    return;
  name = get_checker (data->self);
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->entry))));
  mark (data->self, data->step, UPG_SOP_MARK_SKIP, name, reason,
        /* Translators: a step's title, then the reason it was skipped */
        g_strdup_printf (_("“%s” skipped: %s"), upg_record_get_string (data->step, UPG_SOP_STEP_TITLE), reason));
}

/* Skip… in a step's menu: recorded in its history with the name and the
 * reason, as the command line's "sop skip" does; the step stays unchecked. */
static void
do_skip (UpgChecklistPage *self, UpgRecord *step)
{
  present_reason_dialog (self, step, _("Skip Step?"),
                         g_strdup_printf (_("“%s” will be recorded as skipped, with your name and the reason, in the step’s history."),
                                          upg_record_get_string (step, UPG_SOP_STEP_TITLE)),
                         "skip", _("_Skip"), _("Why skip it?"), G_CALLBACK (skip_one_response_cb));
}

/* A step row asks to check or uncheck its step (its box follows the file). */
static void
check_toggled_cb (UpgStepRow       *row,
                  gboolean          want,
                  UpgChecklistPage *self)
{
  UpgRecord *step = upg_step_row_get_step (row);

  if (step == NULL || want == upg_sop_step_is_done (step) || upg_step_row_get_busy (row))
    return;
  with_checker (self, step, want ? do_check : do_uncheck);
}

/* ---- Rows ---------------------------------------------------------------- */

static void
history_clicked_cb (UpgStepRow *row, UpgChecklistPage *self)
{
  UpgRecord *step = upg_step_row_get_step (row);
  GtkWidget *button = upg_step_row_get_history_button (row);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = upg_store_list_check_events (self->store, step, &error);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading = gtk_label_new (_("History"));

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  if (events == NULL)
    {
      /* Not read: said, never shown as an empty history. */
      GtkWidget *why = gtk_label_new (error->message);
      gtk_label_set_wrap (GTK_LABEL (why), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (why), 40);
      gtk_label_set_xalign (GTK_LABEL (why), 0);
      gtk_widget_add_css_class (why, "error");
      gtk_box_append (GTK_BOX (box), why);
    }
  else if (events->len == 0)
    {
      GtkWidget *none = gtk_label_new (_("Not checked or unchecked yet"));
      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (GTK_BOX (box), none);
    }
  for (guint i = 0; events && i < events->len; i++)
    {
      UpgCheckEvent *event = g_ptr_array_index (events, i);
      g_autofree char *what = upg_sop_event_describe (event);
      g_autofree char *when = upg_zone_format_for_user (event->at, self->project ? upg_record_get_string (
                                                           UPG_RECORD (self->project), UPG_PROJECT_TIME_ZONE) : NULL);
      GtkWidget *what_label = gtk_label_new (what);
      GtkWidget *when_label = gtk_label_new (when);
      GtkWidget *entry = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_label_set_xalign (GTK_LABEL (what_label), 0);
      gtk_label_set_wrap (GTK_LABEL (what_label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (what_label), 40);
      gtk_label_set_xalign (GTK_LABEL (when_label), 0);
      gtk_widget_add_css_class (when_label, "dim-label");
      gtk_widget_add_css_class (when_label, "caption");
      gtk_widget_add_css_class (when_label, "numeric");
      gtk_box_append (GTK_BOX (entry), what_label);
      gtk_box_append (GTK_BOX (entry), when_label);
      gtk_box_append (GTK_BOX (box), entry);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_widget_set_parent (popover, GTK_WIDGET (button));
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void step_action_cb (UpgStepRow *row, const char *name, UpgChecklistPage *self);

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source, double x, double y, GtkWidget *row)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (widget);

  gtk_drag_source_set_icon (source, icon, (int) x, (int) y);
  return gdk_content_provider_new_typed (UPG_TYPE_SOP_STEP, row_step (row));
}

static void rebuild (UpgChecklistPage *self);
static GtkWidget *find_row (GtkWidget *widget, UpgRecord *step);
static void update_progress (UpgChecklistPage *self);

/* What the page does once a write of several rows (upg-sop.c's
 * *_async ()) is done: say why it failed, or show it (and focus @step's
 * row, or close @editor). */
typedef struct {
  UpgChecklistPage *self;
  UpgRecord        *step;
  GtkWindow        *editor;
  gboolean          rebuild;
} Written;

static Written *
written_new (UpgChecklistPage *self, UpgRecord *step, gboolean rebuild_page)
{
  Written *w = g_new0 (Written, 1);

  w->self = g_object_ref (self);
  w->step = step ? g_object_ref (step) : NULL;
  w->rebuild = rebuild_page;
  return w;
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Written *w = user_data;
  UpgChecklistPage *self = w->self;
  g_autoptr(GError) error = NULL;

  if (!upg_store_write_finish (UPG_STORE (source), result, &error))
    toast_error (self, error);
  else if (w->rebuild)
    {
      rebuild (self);
      if (w->editor != NULL)
        gtk_window_destroy (w->editor);
      if (w->step != NULL)
        {
          GtkWidget *row = find_row (GTK_WIDGET (self->phases_box), w->step);
          if (row != NULL)
            gtk_widget_grab_focus (row);
        }
    }
  update_progress (self);
  g_clear_object (&w->step);
  if (w->editor != NULL)
    g_object_remove_weak_pointer (G_OBJECT (w->editor), (gpointer *) &w->editor);
  g_object_unref (w->self);
  g_free (w);
}

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, GtkWidget *widget)
{
  UpgChecklistPage *self = g_object_get_data (G_OBJECT (widget), "upg-page");
  UpgRecord *dragged = g_value_get_object (value);
  UpgRecord *onto = row_step (widget);
  const char *phase = g_object_get_data (G_OBJECT (widget), "upg-phase");
  int index = -1;

  if (self == NULL || dragged == NULL || dragged == onto)
    return FALSE;
  if (onto != NULL)
    {
      g_autoptr(GPtrArray) siblings = upg_sop_steps_in_phase (self->steps, phase);
      guint pos;
      g_ptr_array_remove (siblings, dragged);
      if (g_ptr_array_find (siblings, onto, &pos))
        index = (int) pos + (y > gtk_widget_get_height (widget) / 2.0 ? 1 : 0);
    }
  upg_sop_move_step_async (self->store, self->project, dragged, phase, index, NULL,
                           written_cb, written_new (self, NULL, TRUE));
  return TRUE;
}

static void
add_drop_target (UpgChecklistPage *self, GtkWidget *widget, const char *phase)
{
  GtkDropTarget *target = gtk_drop_target_new (UPG_TYPE_SOP_STEP, GDK_ACTION_MOVE);

  g_object_set_data (G_OBJECT (widget), "upg-page", self);
  g_object_set_data (G_OBJECT (widget), "upg-phase", (gpointer) phase);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), widget);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (target));
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  UpgChecklistPage *self = user_data;
  UpgRecord *step = item;
  const char *phase = upg_record_get_string (step, UPG_SOP_STEP_PHASE);
  GtkWidget *row = upg_step_row_new (step, self->project);
  GtkDragSource *drag = gtk_drag_source_new ();

  g_signal_connect_object (row, "check-toggled", G_CALLBACK (check_toggled_cb), self, 0);
  g_signal_connect_object (row, "show-history", G_CALLBACK (history_clicked_cb), self, 0);
  g_signal_connect_object (row, "step-action", G_CALLBACK (step_action_cb), self, 0);

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drag));
  add_drop_target (self, row, g_intern_string (phase));
  return row;
}

/* ---- Phases -------------------------------------------------------------- */

static gboolean
phase_filter_func (gpointer item, gpointer phase)
{
  return g_strcmp0 (upg_record_get_string (item, UPG_SOP_STEP_PHASE), phase) == 0;
}

static void
update_progress (UpgChecklistPage *self)
{
  const char * const *phases = upg_sop_display_phases ();
  UpgSopProgress total;
  g_autofree char *label = NULL;

  if (self->steps == NULL)
    return;
  upg_sop_progress (self->steps, NULL, &total);
  gtk_progress_bar_set_fraction (self->progress_bar, upg_sop_progress_fraction (&total));
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u step done", "%u of %u steps done", total.total),
                           total.done, total.total);
  gtk_label_set_text (self->progress_label, label);

  for (guint i = 0; phases[i] && i < self->groups->len; i++)
    {
      AdwPreferencesGroup *group = g_ptr_array_index (self->groups, i);
      UpgSopProgress p;
      g_autofree char *text = NULL;

      upg_sop_progress (self->steps, phases[i], &p);
      if (p.total == 0)
        text = g_strdup (_("No steps"));
      else
        text = g_strdup_printf (_("%u of %u done"), p.done, p.total);
      if (g_str_equal (phases[i], "rollback"))
        {
          int minutes = upg_record_get_int (UPG_RECORD (self->project), UPG_PROJECT_ROLLBACK_TARGET_MINUTES);
          g_autofree char *target = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  "Restore service within %d minute",
                                                                  "Restore service within %d minutes", minutes),
                                                     minutes);
          g_autofree char *state = update_rollback (self);
          g_autofree char *both = state ? g_strdup_printf ("%s · %s\n%s", target, text, state)
                                        : g_strdup_printf ("%s · %s", target, text);
          adw_preferences_group_set_description (group, both);
        }
      else
        adw_preferences_group_set_description (group, text);
    }
}

/* ---- Release day: the rollback and who is on call ------------------------ */

static void
rollback_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      DialogData       *data)
{
  UpgChecklistPage *self = data->self;

  if (self->project == NULL || (g_strcmp0 (response, "start") != 0 && g_strcmp0 (response, "end") != 0))
    return;
  upg_sop_rollback_async (self->store, self->project, g_str_equal (response, "start"), NULL,
                          written_cb, written_new (self, NULL, FALSE));
}

/* Start Rollback, then Service Restored: each records the time now, so the
 * minutes to restore reach the retrospective and Insights. */
static void
rollback_clicked_cb (GtkButton *button, UpgChecklistPage *self)
{
  UpgRecord *p = UPG_RECORD (self->project);
  const char *started = upg_record_get_string (p, UPG_PROJECT_ROLLBACK_STARTED_AT);
  DialogData *data = dialog_data_new (self, NULL);
  GtkWidget *dialog;

  if (started == NULL)
    {
      dialog = adw_message_dialog_new (page_window (self), _("Start Rollback?"),
                                       _("The time now is recorded as when the rollback began; the retrospective and Insights count the minutes to restore from it."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "start", _("_Start Rollback"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    }
  else
    {
      g_autofree char *since = upg_zone_format_time (started, upg_record_get_string (p, UPG_PROJECT_TIME_ZONE));

      dialog = adw_message_dialog_new (page_window (self), _("Service Restored?"), NULL);
      /* Translators: %s is when the rollback began, "2026-12-05 10:31 (Asia/Shanghai)" */
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("The time now is recorded as when service was restored, ending the rollback that began at %s."),
                                      since);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "end", _("_Service Restored"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "end", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "end");
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (rollback_response_cb), data,
                         dialog_data_destroy, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The button's face for where the rollback is, and a line that says it
 * (NULL before it starts). */
static char *
update_rollback (UpgChecklistPage *self)
{
  UpgRecord *p = UPG_RECORD (self->project);
  const char *zone = upg_record_get_string (p, UPG_PROJECT_TIME_ZONE);
  const char *started = upg_record_get_string (p, UPG_PROJECT_ROLLBACK_STARTED_AT);
  const char *ended = upg_record_get_string (p, UPG_PROJECT_ROLLBACK_ENDED_AT);
  GtkWidget *button = self->rollback_button;
  gint64 minutes;

  if (button == NULL)
    return NULL;
  gtk_widget_set_visible (button, ended == NULL);
  if (started == NULL)
    {
      upg_a11y_button_set_label (GTK_BUTTON (button), _("_Start Rollback"));
      gtk_widget_remove_css_class (button, "suggested-action");
      gtk_widget_add_css_class (button, "destructive-action");
      return NULL;
    }
  if (ended == NULL)
    {
      g_autofree char *since = upg_zone_format_time (started, zone);

      upg_a11y_button_set_label (GTK_BUTTON (button), _("_Service Restored"));
      gtk_widget_remove_css_class (button, "destructive-action");
      gtk_widget_add_css_class (button, "suggested-action");
      /* Translators: %s is "2026-12-05 10:31 (Asia/Shanghai)" */
      return g_strdup_printf (_("Rolling back since %s"), since);
    }
  {
    g_autofree char *restored = upg_zone_format_time (ended, zone);
    g_autofree char *took = upg_project_rollback_minutes (p, &minutes) ? upg_retro_format_minutes (minutes)
                                                                        : g_strdup ("?");
    /* Translators: how long the rollback took ("12 min"), then when service was restored */
    return g_strdup_printf (_("Rolled back in %s; service restored at %s"), took, restored);
  }
}

/* On release day, the phones and on-call contacts of the team, above the
 * steps. */
static void
update_on_call (UpgChecklistPage *self)
{
  guint n = self->team ? g_list_model_get_n_items (self->team) : 0;

  if (self->on_call_group == NULL)
    return;
  for (guint i = 0; i < self->on_call_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->on_call_group), self->on_call_rows->pdata[i]);
  g_ptr_array_set_size (self->on_call_rows, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) member = g_list_model_get_item (self->team, i);
      const char *phone = upg_record_get_string (member, UPG_MEMBER_PHONE);
      GtkWidget *row, *label;

      if (upg_text_is_blank (phone))
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), upg_record_get_string (member, UPG_MEMBER_NAME));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   upg_enum_label (upg_roles, upg_record_get_string (member, UPG_MEMBER_ROLE)));
      label = gtk_label_new (phone);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->on_call_group), row);
      g_ptr_array_add (self->on_call_rows, row);
    }
  gtk_widget_set_visible (self->on_call_group,
                          self->on_call_rows->len > 0 && upg_project_is_release_day (self->project, NULL));
}

static void
team_changed_cb (GListModel *model, guint position, guint removed, guint added, UpgChecklistPage *self)
{
  update_on_call (self);
}

static void
project_notify_cb (UpgRecord *project, GParamSpec *pspec, UpgChecklistPage *self)
{
  switch (upg_record_field_from_pspec (project, pspec))
    {
    case UPG_PROJECT_ROLLBACK_STARTED_AT:
    case UPG_PROJECT_ROLLBACK_ENDED_AT:
    case UPG_PROJECT_ROLLBACK_TARGET_MINUTES:
      update_progress (self);
      break;
    case UPG_PROJECT_WINDOW_START:
    case UPG_PROJECT_WINDOW_END:
    case UPG_PROJECT_TIME_ZONE:
      update_progress (self);
      update_on_call (self);
      break;
    default:
      break;
    }
}

static void
steps_changed_cb (GListModel *model, guint position, guint removed, guint added, UpgChecklistPage *self)
{
  update_progress (self);
}

static void add_step (UpgChecklistPage *self, const char *phase);

static void
phase_add_clicked_cb (GtkButton *button, UpgChecklistPage *self)
{
  add_step (self, g_object_get_data (G_OBJECT (button), "upg-phase"));
}

static void
clear_phases (UpgChecklistPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->phases_box))) != NULL)
    gtk_box_remove (self->phases_box, child);
  g_ptr_array_set_size (self->filters, 0);
  g_ptr_array_set_size (self->groups, 0);
  self->rollback_button = NULL;
  self->on_call_group = NULL;
  if (self->on_call_rows != NULL)
    g_ptr_array_set_size (self->on_call_rows, 0);
}

/* The keyboard on release day: a step row is one stop. Space ticks it (the
 * row activates its check box), Tab reaches its History and Actions
 * buttons, and ↓/↑ go to the next or previous step, from the last step of
 * a phase to the first of the next phase that has steps (a list box alone
 * stops at its ends). */
static gboolean
phase_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      UpgChecklistPage      *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (list);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = focus ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;
  GListModel *model = g_object_get_data (G_OBJECT (list), "upg-model");
  gboolean down = keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down;
  gboolean up = keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up;
  int index, at = -1;

  if ((!down && !up) || (state & gtk_accelerator_get_default_mod_mask ()) != 0 ||
      row == NULL || gtk_widget_get_parent (row) != list)
    return FALSE;
  index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  if ((down && index + 1 < (int) g_list_model_get_n_items (model)) || (up && index > 0))
    return FALSE;   /* inside the phase: the list box moves */
  for (guint i = 0; i < self->groups->len; i++)
    if (g_object_get_data (self->groups->pdata[i], "upg-list") == list)
      at = i;
  for (int i = at + (down ? 1 : -1); at >= 0 && i >= 0 && i < (int) self->groups->len; i += down ? 1 : -1)
    {
      GtkWidget *next = g_object_get_data (self->groups->pdata[i], "upg-list");
      guint n = g_list_model_get_n_items (g_object_get_data (G_OBJECT (next), "upg-model"));

      if (n == 0)
        continue;
      gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (next), down ? 0 : n - 1)));
      return TRUE;
    }
  return FALSE;
}

static void
build_phases (UpgChecklistPage *self)
{
  const char * const *phases = upg_sop_display_phases ();

  clear_phases (self);
  self->on_call_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->on_call_group, "on-call");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->on_call_group), _("On Call"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->on_call_group),
                                         _("Release day: how to reach the team"));
  gtk_box_append (self->phases_box, self->on_call_group);
  update_on_call (self);

  for (guint i = 0; phases[i]; i++)
    {
      const char *phase = phases[i];
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *placeholder = gtk_label_new (_("No steps yet. Drop a step here or add one."));
      GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
      GtkCustomFilter *filter = gtk_custom_filter_new (phase_filter_func, (gpointer) phase, NULL);
      GtkFilterListModel *model = gtk_filter_list_model_new (g_object_ref (self->steps),
                                                             GTK_FILTER (g_object_ref (filter)));
      g_autofree char *add_label = g_strdup_printf (_("Add Step to %s"), upg_enum_label (upg_phases, phase));

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), upg_enum_label (upg_phases, phase));
      gtk_widget_add_css_class (add, "flat");
      gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
      upg_a11y_set_tooltip_name (add, add_label);
      g_object_set_data (G_OBJECT (add), "upg-phase", (gpointer) phase);
      g_signal_connect (add, "clicked", G_CALLBACK (phase_add_clicked_cb), self);
      if (g_str_equal (phase, "rollback"))
        {
          GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

          self->rollback_button = gtk_button_new ();
          gtk_button_set_use_underline (GTK_BUTTON (self->rollback_button), TRUE);
          upg_a11y_button_set_label (GTK_BUTTON (self->rollback_button), _("_Start Rollback"));
          gtk_widget_set_name (self->rollback_button, "rollback-button");
          gtk_widget_set_valign (self->rollback_button, GTK_ALIGN_CENTER);
          g_signal_connect (self->rollback_button, "clicked", G_CALLBACK (rollback_clicked_cb), self);
          gtk_box_append (GTK_BOX (suffix), self->rollback_button);
          gtk_box_append (GTK_BOX (suffix), add);
          adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), suffix);
        }
      else
        adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);

      gtk_widget_add_css_class (list, "boxed-list");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (placeholder, "dim-label");
      gtk_widget_set_margin_top (placeholder, 12);
      gtk_widget_set_margin_bottom (placeholder, 12);
      gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
      gtk_list_box_set_placeholder (GTK_LIST_BOX (list), placeholder);
      gtk_list_box_bind_model (GTK_LIST_BOX (list), G_LIST_MODEL (model), create_row, self, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      upg_enum_label (upg_phases, phase), -1);
      add_drop_target (self, list, phase);
      g_object_set_data_full (G_OBJECT (list), "upg-model", model, g_object_unref);
      g_object_set_data (G_OBJECT (group), "upg-list", list);
      {
        GtkEventController *keys = gtk_event_controller_key_new ();
        /* Before the list box's own ↓/↑, which stop at its ends. */
        gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
        g_signal_connect (keys, "key-pressed", G_CALLBACK (phase_key_pressed_cb), self);
        gtk_widget_add_controller (list, keys);
      }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);

      if (g_str_equal (phase, "rollback"))
        gtk_widget_add_css_class (group, "upg-rollback");
      gtk_box_append (self->phases_box, group);
      g_ptr_array_add (self->filters, filter);
      g_ptr_array_add (self->groups, group);
    }
  update_progress (self);
}

/* Re-filters every phase after a step changed phase. */
static void
rebuild (UpgChecklistPage *self)
{
  for (guint i = 0; i < self->filters->len; i++)
    gtk_filter_changed (g_ptr_array_index (self->filters, i), GTK_FILTER_CHANGE_DIFFERENT);
  update_progress (self);
}

static GtkWidget *
find_row (GtkWidget *widget, UpgRecord *step)
{
  if (UPG_IS_STEP_ROW (widget) && row_step (widget) == step)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, step);
      if (found)
        return found;
    }
  return NULL;
}

/* ---- Step actions -------------------------------------------------------- */

static void edit_step (UpgChecklistPage *self, UpgRecord *step, const char *phase);

static void
undo_clicked_cb (AdwToast *toast_, UpgChecklistPage *self)
{
  UpgDeletion *undo = g_object_get_data (G_OBJECT (toast_), "upg-undo");
  g_autoptr(GError) error = NULL;

  if (undo == NULL)
    return;
  if (!upg_store_undo_delete (self->store, undo, &error))
    toast_error (self, error);
  g_object_set_data (G_OBJECT (toast_), "upg-undo", NULL);
  rebuild (self);
}

static void
delete_step (UpgChecklistPage *self, UpgRecord *step)
{
  g_autoptr(GError) error = NULL;
  UpgDeletion *undo = NULL;
  g_autofree char *title = g_strdup_printf (_("“%s” deleted"), upg_record_get_string (step, UPG_SOP_STEP_TITLE));
  AdwToast *t;

  if (!upg_store_delete (self->store, step, &undo, &error))
    {
      toast_error (self, error);
      return;
    }
  t = new_toast (title);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (t), "upg-undo", undo, (GDestroyNotify) upg_deletion_free);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (undo_clicked_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
  update_progress (self);
}

static void
move_step (UpgChecklistPage *self, UpgRecord *step, int delta)
{
  const char * const *phases = upg_sop_display_phases ();
  const char *phase = upg_record_get_string (step, UPG_SOP_STEP_PHASE);
  g_autoptr(GPtrArray) siblings = upg_sop_steps_in_phase (self->steps, phase);
  guint pos = 0, p = 0;
  const char *target_phase = phase;
  int index;

  g_ptr_array_find (siblings, step, &pos);
  for (p = 0; phases[p] && !g_str_equal (phases[p], phase); p++)
    ;
  if (delta < 0 && pos == 0)
    {
      if (p == 0)
        return;
      target_phase = phases[p - 1];      /* to the end of the phase above */
      index = -1;
    }
  else if (delta > 0 && pos + 1 >= siblings->len)
    {
      if (phases[p] == NULL || phases[p + 1] == NULL)
        return;
      target_phase = phases[p + 1];      /* to the top of the phase below */
      index = 0;
    }
  else
    index = (int) pos + delta;

  upg_sop_move_step_async (self->store, self->project, step, target_phase, index, NULL,
                           written_cb, written_new (self, step, TRUE));
}

static void
step_action_cb (UpgStepRow *row, const char *name, UpgChecklistPage *self)
{
  g_autoptr(UpgRecord) step = g_object_ref (upg_step_row_get_step (row));

  if (g_str_equal (name, "uncheck") && upg_sop_step_is_done (step))
    with_checker (self, step, do_uncheck);
  else if (g_str_equal (name, "skip") && !upg_sop_step_is_done (step))
    with_checker (self, step, do_skip);
  else if (g_str_equal (name, "edit"))
    edit_step (self, step, NULL);
  else if (g_str_equal (name, "move-up"))
    move_step (self, step, -1);
  else if (g_str_equal (name, "move-down"))
    move_step (self, step, +1);
  else if (g_str_equal (name, "delete"))
    delete_step (self, step);
}

/* ---- The step editor ----------------------------------------------------- */

/* The editor asks to save: the step's fields, and its phase (moving it
 * there), in one transaction; the editor closes when that worked. */
static void
editor_save_cb (UpgStepEditor    *editor,
                UpgChecklistPage *self)
{
  g_autofree char *title = upg_step_editor_get_title (editor);
  g_autofree char *details = upg_step_editor_get_details (editor);
  UpgStepEdit edit = {
    .title = title,
    .details = details,
    .owner_role = upg_step_editor_get_role (editor),
    .required = upg_step_editor_get_required (editor),
    .note = upg_step_editor_get_note (editor),
    .phase = upg_step_editor_get_phase (editor),
  };
  Written *w;

  if (title[0] == '\0' || self->project == NULL)
    return;
  /* The editor closes once the step is saved, and stays when not. */
  w = written_new (self, NULL, TRUE);
  w->editor = GTK_WINDOW (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &w->editor);
  upg_sop_save_step_async (self->store, self->project, upg_step_editor_get_step (editor), &edit, NULL,
                           written_cb, w);
}

static void
edit_step (UpgChecklistPage *self, UpgRecord *step, const char *phase)
{
  UpgStepEditor *editor = upg_step_editor_new (page_window (self), step, phase);

  g_signal_connect_object (editor, "save", G_CALLBACK (editor_save_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_step (UpgChecklistPage *self, const char *phase)
{
  if (self->project == NULL)
    return;
  edit_step (self, NULL, phase ? phase : "preparation");
}

/* ---- Page actions: who checks, add, export, print ------------------------ */

static void
checker_chosen (UpgChecklistPage *self, UpgRecord *step)
{
  update_checker_label (self);
}

static void
choose_checker_action (GtkWidget *widget, const char *name, GVariant *param)
{
  choose_checker (UPG_CHECKLIST_PAGE (widget), NULL, checker_chosen);
}

static void
add_action (GtkWidget *widget, const char *name, GVariant *param)
{
  add_step (UPG_CHECKLIST_PAGE (widget), NULL);
}

/* The window's one export entry point (core's export table). */
static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgChecklistPage *self = UPG_CHECKLIST_PAGE (widget);

  if (self->project == NULL)
    return;
  gtk_widget_activate_action (widget, "win.export-file", "(ss)", "sop", g_variant_get_string (param, NULL));
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgChecklistPage *self = UPG_CHECKLIST_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;
  if (!upg_sop_print (page_window (self), self->store, self->project, &error))
    toast_error (self, error);
}

/* ---- Class --------------------------------------------------------------- */

static void
disconnect_steps (UpgChecklistPage *self)
{
  if (self->steps != NULL && self->items_changed_id != 0)
    g_signal_handler_disconnect (self->steps, self->items_changed_id);
  self->items_changed_id = 0;
  self->steps = NULL;
  if (self->team != NULL && self->team_changed_id != 0)
    g_signal_handler_disconnect (self->team, self->team_changed_id);
  self->team_changed_id = 0;
  self->team = NULL;
  if (self->project != NULL && self->project_notify_id != 0)
    g_signal_handler_disconnect (self->project, self->project_notify_id);
  self->project_notify_id = 0;
}

static void
upg_checklist_page_dispose (GObject *object)
{
  UpgChecklistPage *self = UPG_CHECKLIST_PAGE (object);

  disconnect_steps (self);
  if (self->phases_box)
    clear_phases (self);
  g_clear_object (&self->store);
  g_clear_object (&self->project);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->filters, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->on_call_rows, g_ptr_array_unref);
  g_clear_pointer (&self->checker, g_free);

  G_OBJECT_CLASS (upg_checklist_page_parent_class)->dispose (object);
}

static void
upg_checklist_page_class_init (UpgChecklistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_checklist_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-checklist-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgChecklistPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, UpgChecklistPage, stack);
  gtk_widget_class_bind_template_child (widget_class, UpgChecklistPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, UpgChecklistPage, checker_content);
  gtk_widget_class_bind_template_child (widget_class, UpgChecklistPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, UpgChecklistPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, UpgChecklistPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, UpgChecklistPage, phases_box);

  gtk_widget_class_install_action (widget_class, "checklist.choose-checker", NULL, choose_checker_action);
  gtk_widget_class_install_action (widget_class, "checklist.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "checklist.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "checklist.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "checklist.print", NULL);
}

static void
upg_checklist_page_init (UpgChecklistPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  self->filters = g_ptr_array_new_with_free_func (g_object_unref);
  self->groups = g_ptr_array_new ();
  self->on_call_rows = g_ptr_array_new ();
  if (schema != NULL && g_settings_schema_has_key (schema, "checker-name"))
    self->settings = upg_settings_new ();

  g_menu_append (menu, _("_Markdown"), "checklist.export::md");
  g_menu_append (menu, _("_HTML"), "checklist.export::html");
  g_menu_append (menu, _("_PDF"), "checklist.export::pdf");
  g_menu_append (menu, _("_CSV Spreadsheet"), "checklist.export::csv");
  g_menu_append (menu, _("Plain _Text"), "checklist.export::txt");
  gtk_menu_button_set_menu_model (self->export_button, G_MENU_MODEL (menu));

  update_checker_label (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
upg_checklist_page_new (void)
{
  return g_object_new (UPG_TYPE_CHECKLIST_PAGE, NULL);
}

void
upg_checklist_page_set_project (UpgChecklistPage *self,
                                UpgStore         *store,
                                UpgProject       *project)
{
  g_return_if_fail (UPG_IS_CHECKLIST_PAGE (self));

  disconnect_steps (self);
  clear_phases (self);
  g_set_object (&self->store, store);
  g_set_object (&self->project, project);

  if (project != NULL && store != NULL &&
      upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step) == NULL)
    {
      g_autoptr(GError) error = NULL;
      if (!upg_store_load_children (store, UPG_RECORD (project), &error))
        toast_error (self, error);
    }
  self->steps = project ? upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step) : NULL;
  if (self->steps == NULL || store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  self->items_changed_id = g_signal_connect (self->steps, "items-changed", G_CALLBACK (steps_changed_cb), self);
  self->team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  if (self->team != NULL)
    self->team_changed_id = g_signal_connect (self->team, "items-changed", G_CALLBACK (team_changed_cb), self);
  self->project_notify_id = g_signal_connect (project, "notify", G_CALLBACK (project_notify_cb), self);
  build_phases (self);
  gtk_stack_set_visible_child_name (self->stack, "checklist");
  update_checker_label (self);
}
