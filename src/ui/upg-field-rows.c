/* upg-field-rows.c — libadwaita rows that edit one field of a record. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-field-rows.h"
#include "core/upg-labels.h"
#include "core/upg-retro.h"
#include "core/upg-clock.h"
#include "core/upg-zone.h"

/* How long typing pauses before a text field saves by itself. */
#define SAVE_DELAY_MS 500

typedef struct {
  UpgRecord     *record;
  guint          field;
  UpgRecord     *zone_record;  /* a timestamp's: its @zone_field names the zone
                                the time is shown and typed in; else NULL */
  guint          zone_field;
  char          *title;        /* a timestamp row's title, without its zone */
  UpgFieldCheck  check;
  GtkWidget     *row;          /* not a reference; NULL once the row is gone */
  GtkWidget     *error_icon;
  char          *error;
  gboolean       syncing;
  gboolean       has_pending;  /* @pending waits to be saved */
  char          *pending;
  guint          save_id;
  UpgFieldRowErrorFunc error_func;
  gpointer       error_data;
} FieldRow;

/* Store writes that fail while a field row saves: the store says why in
 * UpgStore::write-failed, which an emission hook catches for the row. */
static guint capture_depth;
static GError *captured_error;

static gboolean
write_failed_hook (GSignalInvocationHint *hint,
                   guint                  n_values,
                   const GValue          *values,
                   gpointer               user_data)
{
  if (capture_depth > 0 && captured_error == NULL && n_values >= 2)
    captured_error = g_error_copy (g_value_get_boxed (&values[1]));
  return TRUE;
}

static void
ensure_write_failed_hook (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      g_type_class_unref (g_type_class_ref (UPG_TYPE_STORE));
      g_signal_add_emission_hook (g_signal_lookup ("write-failed", UPG_TYPE_STORE), 0,
                                  write_failed_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

static void field_row_save (FieldRow *fr);

static void
field_row_free (FieldRow *fr)
{
  /* A row that goes away saves what was typed into it. */
  fr->row = NULL;
  field_row_save (fr);
  g_clear_handle_id (&fr->save_id, g_source_remove);
  g_clear_object (&fr->record);
  g_clear_object (&fr->zone_record);
  g_free (fr->title);
  g_free (fr->pending);
  g_free (fr->error);
  g_free (fr);
}

static const UpgField *
record_field (UpgRecord *record,
              guint      field)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  g_assert (field < entity->n_fields);
  return &entity->fields[field];
}

static const char *
field_property (UpgRecord *record,
                guint      field)
{
  return g_param_spec_get_name (upg_record_field_pspec (record, field));
}

static gboolean
field_nullable (const UpgField *f)
{
  switch (f->type)
    {
    case UPG_FIELD_STRING_OR_NULL:
    case UPG_FIELD_ENUM_OR_NULL:
    case UPG_FIELD_TIMESTAMP_OR_NULL:
    case UPG_FIELD_DATE_OR_NULL:
    case UPG_FIELD_EMAIL_OR_NULL:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
upg_format_utc_offset (GDateTime *dt)
{
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan offset;
  int minutes;

  if (dt == NULL)
    dt = now = upg_clock_now_local ();
  offset = g_date_time_get_utc_offset (dt);
  minutes = (int) (offset / G_TIME_SPAN_MINUTE);
  if (minutes == 0)
    return g_strdup ("UTC");
  return g_strdup_printf ("UTC%c%02d:%02d", minutes < 0 ? '-' : '+',
                          ABS (minutes) / 60, ABS (minutes) % 60);
}

/* The zone a timestamp row is edited in. */
static const char *
field_row_zone (FieldRow *fr)
{
  return fr->zone_record != NULL ? upg_record_get_string (fr->zone_record, fr->zone_field) : NULL;
}

/* What the row shows for the record's value. */
static char *
field_row_display (FieldRow *fr)
{
  const char *value = upg_record_get_string (fr->record, fr->field);

  if (value == NULL)
    return g_strdup ("");
  if (fr->zone_record != NULL)
    {
      g_autoptr(GDateTime) there = upg_zone_datetime (value, field_row_zone (fr));

      if (there == NULL)
        return g_strdup (value);
      return g_date_time_format (there, "%Y-%m-%d %H:%M");
    }
  return g_strdup (value);
}

/* Checks @text; returns TRUE and the value to store in @canonical, or FALSE
 * and a message. */
static gboolean
field_row_validate (FieldRow    *fr,
                    const char  *text,
                    char       **canonical,
                    char       **message)
{
  const UpgField *f = record_field (fr->record, fr->field);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *value = NULL;

  if (*stripped == '\0' && (field_nullable (f) || (!f->required && f->type == UPG_FIELD_STRING)))
    value = f->type == UPG_FIELD_STRING ? g_strdup ("") : NULL;
  else if (*stripped == '\0')
    {
      *message = g_strdup (_("This cannot be empty."));
      return FALSE;
    }
  else if (fr->zone_record != NULL)
    {
      value = upg_zone_parse_local (stripped, field_row_zone (fr), message);
      if (value == NULL)
        return FALSE;
    }
  else if (f->type == UPG_FIELD_DATE_OR_NULL)
    {
      if (!upg_check_date (stripped, NULL))
        {
          *message = g_strdup (_("Enter a date as YYYY-MM-DD."));
          return FALSE;
        }
      value = g_strdup (stripped);
    }
  else if (f->type == UPG_FIELD_EMAIL_OR_NULL)
    {
      if (!upg_check_email (stripped, NULL))
        {
          *message = g_strdup (_("Enter a valid email address, like name@example.com."));
          return FALSE;
        }
      value = g_strdup (stripped);
    }
  else
    value = g_strdup (text);

  if (fr->check != NULL && !fr->check (fr->record, fr->field, value, message))
    return FALSE;
  *canonical = g_steal_pointer (&value);
  return TRUE;
}

static void
field_row_set_error (FieldRow   *fr,
                     const char *message)
{
  if (g_strcmp0 (fr->error, message) == 0 || fr->row == NULL)
    return;
  g_free (fr->error);
  fr->error = g_strdup (message);
  gtk_widget_set_visible (fr->error_icon, message != NULL);
  gtk_widget_set_tooltip_text (fr->error_icon, message);
  if (message != NULL)
    {
      gtk_widget_add_css_class (fr->row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (fr->row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (fr->row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (fr->row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (fr->row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (fr->row), GTK_ACCESSIBLE_STATE_INVALID);
    }
  /* Let the page react (a message under the group). */
  if (fr->error_func != NULL)
    fr->error_func (fr->row, message, fr->error_data);
}

/* Writes the value waiting in @fr (now, not after the pause). A write the
 * store refuses shows the stored value again and says why on the row. */
static void
field_row_save (FieldRow *fr)
{
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&fr->save_id, g_source_remove);
  if (!fr->has_pending)
    return;
  fr->has_pending = FALSE;
  value = g_steal_pointer (&fr->pending);
  if (g_strcmp0 (value, upg_record_get_string (fr->record, fr->field)) == 0)
    return;

  ensure_write_failed_hook ();
  capture_depth++;
  fr->syncing = TRUE;
  upg_record_set_string (fr->record, fr->field, value);
  fr->syncing = FALSE;
  capture_depth--;
  error = g_steal_pointer (&captured_error);

  if (error != NULL && fr->row != NULL)
    {
      g_autofree char *text = field_row_display (fr);

      fr->syncing = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (fr->row), text);
      fr->syncing = FALSE;
      field_row_set_error (fr, error->message);
    }
}

static gboolean
save_timeout_cb (gpointer data)
{
  FieldRow *fr = data;

  fr->save_id = 0;
  field_row_save (fr);
  return G_SOURCE_REMOVE;
}

static void
entry_changed_cb (GtkEditable *editable,
                  FieldRow    *fr)
{
  g_autofree char *canonical = NULL;
  g_autofree char *message = NULL;

  if (fr->syncing)
    return;
  if (!field_row_validate (fr, gtk_editable_get_text (editable), &canonical, &message))
    {
      /* Refused where it is typed; nothing waits to be saved. */
      g_clear_handle_id (&fr->save_id, g_source_remove);
      g_clear_pointer (&fr->pending, g_free);
      fr->has_pending = FALSE;
      field_row_set_error (fr, message);
      return;
    }
  field_row_set_error (fr, NULL);
  g_free (fr->pending);
  fr->pending = g_steal_pointer (&canonical);
  fr->has_pending = TRUE;
  /* Saved after a pause in the typing, or when confirmed or left. */
  g_clear_handle_id (&fr->save_id, g_source_remove);
  fr->save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, fr);
}

static void
entry_confirm_cb (GtkWidget *row,
                  FieldRow  *fr)
{
  field_row_save (fr);
}

static void
entry_focus_leave_cb (GtkEventControllerFocus *controller,
                      FieldRow                *fr)
{
  field_row_save (fr);
}

void
upg_field_row_save (GtkWidget *row)
{
  FieldRow *fr = g_object_get_data (G_OBJECT (row), "upg-field-row");

  g_return_if_fail (fr != NULL);
  field_row_save (fr);
}

void
upg_field_row_set_error_func (GtkWidget            *row,
                              UpgFieldRowErrorFunc  func,
                              gpointer              user_data)
{
  FieldRow *fr = g_object_get_data (G_OBJECT (row), "upg-field-row");

  g_return_if_fail (fr != NULL);
  fr->error_func = func;
  fr->error_data = user_data;
}

static void
entry_record_notify_cb (UpgRecord  *record,
                        GParamSpec *pspec,
                        GtkWidget  *row)
{
  FieldRow *fr = g_object_get_data (G_OBJECT (row), "upg-field-row");
  g_autofree char *text = NULL;

  if (fr->syncing || fr->has_pending)
    return;
  text = field_row_display (fr);
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (row))) != 0)
    {
      fr->syncing = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (row), text);
      fr->syncing = FALSE;
    }
  field_row_set_error (fr, NULL);
}

static void
calendar_day_selected_cb (GtkCalendar *calendar,
                          GtkWidget   *row)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  upg_field_row_save (row);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
calendar_popover_show_cb (GtkWidget   *popover,
                          GtkCalendar *calendar)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (calendar), "upg-row");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *iso = NULL;

  if (upg_check_date (text, NULL))
    {
      iso = g_strdup_printf ("%sT12:00:00Z", text);
      date = g_date_time_new_from_iso8601 (iso, NULL);
    }
  if (date == NULL)
    date = upg_clock_now_local ();
  g_signal_handlers_block_by_func (calendar, calendar_day_selected_cb, row);
  gtk_calendar_select_day (calendar, date);
  g_signal_handlers_unblock_by_func (calendar, calendar_day_selected_cb, row);
}

/* A date and time picked, not typed: a calendar and hour and minute spin
 * buttons in a popover; each change writes "YYYY-MM-DD HH:MM" into the row
 * (on the clocks of the row's zone) and saves it. */
typedef struct {
  GtkWidget   *row;         /* not a reference */
  GtkCalendar *calendar;
  GtkWidget   *hour;
  GtkWidget   *minute;
  gboolean     loading;
} TimePicker;

static void
time_picker_changed (TimePicker *tp)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;

  if (tp->loading)
    return;
  date = gtk_calendar_get_date (tp->calendar);
  text = g_strdup_printf ("%04d-%02d-%02d %02d:%02d", g_date_time_get_year (date), g_date_time_get_month (date),
                          g_date_time_get_day_of_month (date),
                          gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (tp->hour)),
                          gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (tp->minute)));
  gtk_editable_set_text (GTK_EDITABLE (tp->row), text);
  upg_field_row_save (tp->row);
}

static void
time_picker_show_cb (GtkWidget  *popover,
                     TimePicker *tp)
{
  FieldRow *fr = g_object_get_data (G_OBJECT (tp->row), "upg-field-row");
  const char *value = upg_record_get_string (fr->record, fr->field);
  g_autoptr(GDateTime) there = value ? upg_zone_datetime (value, field_row_zone (fr)) : NULL;
  g_autoptr(GDateTime) shown = NULL;

  if (there == NULL)
    {
      g_autoptr(GDateTime) now = upg_clock_now ();
      g_autoptr(GTimeZone) zone = upg_zone_get (field_row_zone (fr));

      shown = g_date_time_to_timezone (now, zone);
    }
  tp->loading = TRUE;
  gtk_calendar_select_day (tp->calendar, there ? there : shown);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tp->hour), there ? g_date_time_get_hour (there) : 9);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tp->minute), there ? g_date_time_get_minute (there) : 0);
  tp->loading = FALSE;
}

static gboolean
two_digits_cb (GtkSpinButton *spin,
               gpointer       user_data)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));
  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* Built when first opened: a calendar costs the Overview's first frame. */
static void
time_picker_create_popup (GtkMenuButton *button,
                          gpointer       user_data)
{
  TimePicker *tp = user_data;
  GtkWidget *popover, *box, *time_box;

  if (gtk_menu_button_get_popover (button) != NULL)
    return;
  popover = gtk_popover_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  time_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  tp->calendar = GTK_CALENDAR (gtk_calendar_new ());
  tp->hour = gtk_spin_button_new_with_range (0, 23, 1);
  tp->minute = gtk_spin_button_new_with_range (0, 59, 5);
  gtk_spin_button_set_wrap (GTK_SPIN_BUTTON (tp->hour), TRUE);
  gtk_spin_button_set_wrap (GTK_SPIN_BUTTON (tp->minute), TRUE);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (tp->hour), GTK_ORIENTATION_VERTICAL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (tp->minute), GTK_ORIENTATION_VERTICAL);
  gtk_widget_add_css_class (tp->hour, "numeric");
  gtk_widget_add_css_class (tp->minute, "numeric");
  g_signal_connect (tp->hour, "output", G_CALLBACK (two_digits_cb), NULL);
  g_signal_connect (tp->minute, "output", G_CALLBACK (two_digits_cb), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tp->hour), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Hour"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tp->minute), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Minute"), -1);
  gtk_widget_set_halign (time_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (time_box), tp->hour);
  gtk_box_append (GTK_BOX (time_box), gtk_label_new (":"));
  gtk_box_append (GTK_BOX (time_box), tp->minute);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (tp->calendar));
  gtk_box_append (GTK_BOX (box), time_box);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect_swapped (tp->calendar, "day-selected", G_CALLBACK (time_picker_changed), tp);
  g_signal_connect_swapped (tp->hour, "value-changed", G_CALLBACK (time_picker_changed), tp);
  g_signal_connect_swapped (tp->minute, "value-changed", G_CALLBACK (time_picker_changed), tp);
  g_signal_connect (popover, "show", G_CALLBACK (time_picker_show_cb), tp);
  gtk_menu_button_set_popover (button, popover);
}

static GtkWidget *
time_picker_button (GtkWidget  *row,
                    const char *title)
{
  GtkWidget *button = gtk_menu_button_new ();
  TimePicker *tp = g_new0 (TimePicker, 1);
  g_autofree char *label = g_strdup_printf (_("Choose %s"), title);

  tp->row = row;
  g_object_set_data_full (G_OBJECT (button), "upg-time-picker", tp, g_free);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), time_picker_create_popup, tp, NULL);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  upg_a11y_set_tooltip_name (button, label);
  return button;
}

void
upg_editable_limit (GtkEditable *editable,
                    int          max)
{
  GtkEditable *delegate;

  g_return_if_fail (GTK_IS_EDITABLE (editable));

  /* AdwEntryRow and GtkEntry edit through a GtkText, which holds the
   * limit; its buffer holds no more than GTK_ENTRY_BUFFER_MAX_SIZE anyway. */
  for (delegate = editable; delegate != NULL && !GTK_IS_TEXT (delegate); )
    delegate = gtk_editable_get_delegate (delegate);
  if (delegate != NULL && max > 0)
    gtk_text_set_max_length (GTK_TEXT (delegate), MIN (max, GTK_ENTRY_BUFFER_MAX_SIZE));
}

static void
text_view_insert_cb (GtkTextBuffer *buffer,
                     GtkTextIter   *location,
                     const char    *text,
                     int            length,
                     GtkTextView   *view)
{
  int max = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (buffer), "upg-max-chars"));
  glong adding = g_utf8_strlen (text, length);

  if (max > 0 && gtk_text_buffer_get_char_count (buffer) + adding > max)
    {
      g_signal_stop_emission_by_name (buffer, "insert-text");
      gtk_widget_error_bell (GTK_WIDGET (view));
    }
}

void
upg_text_view_limit (GtkTextView *view,
                     int          max)
{
  GtkTextBuffer *buffer;

  g_return_if_fail (GTK_IS_TEXT_VIEW (view));

  buffer = gtk_text_view_get_buffer (view);
  if (max <= 0 || g_object_get_data (G_OBJECT (buffer), "upg-max-chars") != NULL)
    return;
  g_object_set_data (G_OBJECT (buffer), "upg-max-chars", GINT_TO_POINTER (max));
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (text_view_insert_cb), view, 0);
}

int
upg_field_limit (const UpgEntity *entity,
                 guint            field)
{
  g_return_val_if_fail (entity != NULL && field < entity->n_fields, 0);

  return upg_field_max_chars (&entity->fields[field]);
}

static GtkWidget *
field_entry_row_new (UpgRecord     *record,
                     guint          field,
                     const char    *title,
                     UpgFieldCheck  check,
                     UpgRecord     *zone_record,
                     guint          zone_field)
{
  const UpgField *f;
  GtkWidget *row;
  FieldRow *fr;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (UPG_IS_RECORD (record), NULL);
  f = record_field (record, field);

  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);

  fr = g_new0 (FieldRow, 1);
  fr->record = g_object_ref (record);
  fr->field = field;
  if (zone_record != NULL)
    {
      fr->zone_record = g_object_ref (zone_record);
      fr->zone_field = zone_field;
      fr->title = g_strdup (title);
    }
  fr->check = check;
  fr->row = row;
  fr->error_icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (fr->error_icon, "error");
  gtk_widget_set_visible (fr->error_icon, FALSE);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), fr->error_icon);
  g_object_set_data_full (G_OBJECT (row), "upg-field-row", fr, (GDestroyNotify) field_row_free);

  if (f->type == UPG_FIELD_DATE_OR_NULL)
    {
      GtkWidget *button = gtk_menu_button_new ();
      GtkWidget *popover = gtk_popover_new ();
      GtkWidget *calendar = gtk_calendar_new ();

      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      detail = g_strdup_printf (_("Choose %s"), title);
      upg_a11y_set_tooltip_name (button, detail);
      gtk_popover_set_child (GTK_POPOVER (popover), calendar);
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
      g_object_set_data (G_OBJECT (calendar), "upg-row", row);
      g_signal_connect (calendar, "day-selected", G_CALLBACK (calendar_day_selected_cb), row);
      g_signal_connect (popover, "show", G_CALLBACK (calendar_popover_show_cb), calendar);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
    }
  if (zone_record != NULL)
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), time_picker_button (row, title));
  if (f->type == UPG_FIELD_EMAIL_OR_NULL)
    gtk_editable_set_enable_undo (GTK_EDITABLE (row), TRUE);

  upg_editable_limit (GTK_EDITABLE (row), upg_field_max_chars (f));
  text = field_row_display (fr);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), fr);
  g_signal_connect (row, "entry-activated", G_CALLBACK (entry_confirm_cb), fr);
  g_signal_connect (row, "unmap", G_CALLBACK (entry_confirm_cb), fr);
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();
    g_signal_connect (focus, "leave", G_CALLBACK (entry_focus_leave_cb), fr);
    gtk_widget_add_controller (row, focus);
  }
  g_free (detail);
  detail = g_strdup_printf ("notify::%s", field_property (record, field));
  g_signal_connect_object (record, detail, G_CALLBACK (entry_record_notify_cb), row, 0);
  return row;
}

GtkWidget *
upg_entry_row_new (UpgRecord  *record,
                   guint       field,
                   const char *title)
{
  return field_entry_row_new (record, field, title, NULL, NULL, 0);
}

/* The row's title names the zone it is edited in. */
static void
timestamp_row_update_title (FieldRow *fr)
{
  /* TRANSLATORS: a field's title and the time zone its time is entered in,
   * e.g. "Start (Asia/Shanghai)" */
  g_autofree char *title = g_strdup_printf (_("%s (%s)"), fr->title, upg_zone_name (field_row_zone (fr)));
  /* TRANSLATORS: %s is a time zone, e.g. "Asia/Shanghai" */
  g_autofree char *hint = g_strdup_printf (_("On the clocks of %s. Enter dates as YYYY-MM-DD HH:MM."),
                                           upg_zone_name (field_row_zone (fr)));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->row), title);
  gtk_widget_set_tooltip_text (fr->row, hint);
}

/* Another zone: the same instant, shown on its clocks. */
static void
timestamp_zone_notify_cb (UpgRecord  *zone_record,
                          GParamSpec *pspec,
                          GtkWidget  *row)
{
  FieldRow *fr = g_object_get_data (G_OBJECT (row), "upg-field-row");

  timestamp_row_update_title (fr);
  entry_record_notify_cb (fr->record, NULL, row);
}

GtkWidget *
upg_timestamp_row_new (UpgRecord     *record,
                       guint          field,
                       const char    *title,
                       UpgFieldCheck  check,
                       UpgRecord     *zone_record,
                       guint          zone_field)
{
  GtkWidget *row;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (UPG_IS_RECORD (zone_record), NULL);
  row = field_entry_row_new (record, field, title, check, zone_record, zone_field);
  timestamp_row_update_title (g_object_get_data (G_OBJECT (row), "upg-field-row"));
  /* Shown again on the new zone's clocks. */
  detail = g_strdup_printf ("notify::%s", field_property (zone_record, zone_field));
  g_signal_connect_object (zone_record, detail, G_CALLBACK (timestamp_zone_notify_cb), row, 0);
  return row;
}

void
upg_field_row_recheck (GtkWidget *row)
{
  FieldRow *fr = g_object_get_data (G_OBJECT (row), "upg-field-row");

  g_return_if_fail (fr != NULL);
  entry_changed_cb (GTK_EDITABLE (row), fr);
  field_row_save (fr);
}

const char *
upg_field_row_get_error (GtkWidget *row)
{
  FieldRow *fr = g_object_get_data (G_OBJECT (row), "upg-field-row");

  g_return_val_if_fail (fr != NULL, NULL);
  return fr->error;
}

/* Combo rows ----------------------------------------------------------- */

/* The popover's rows of a combo row, each named by its text (GTK 4.8 gives
 * list items no name), with a check mark on the selected one. */
static void
combo_item_selected_cb (GtkListItem *item,
                        GParamSpec  *pspec,
                        GtkWidget   *check)
{
  gtk_widget_set_opacity (check, gtk_list_item_get_selected (item) ? 1 : 0);
}

static void
combo_item_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  g_signal_connect_object (item, "notify::selected", G_CALLBACK (combo_item_selected_cb), check, 0);
  gtk_list_item_set_child (item, box);
}

static void
combo_item_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *label = GTK_IS_LABEL (box) ? box : gtk_widget_get_first_child (box);
  GObject *object = gtk_list_item_get_item (item);
  const char *text = GTK_IS_STRING_OBJECT (object) ? gtk_string_object_get_string (GTK_STRING_OBJECT (object)) : "";

  gtk_label_set_text (GTK_LABEL (label), text);
  if (!GTK_IS_LABEL (box))
    combo_item_selected_cb (item, NULL, gtk_widget_get_last_child (box));
  if (gtk_widget_get_parent (box) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* The row's own display of the selected value: a label. */
static void
combo_current_setup_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

void
upg_combo_row_name_items (AdwComboRow *row)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkListItemFactory *current = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (combo_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (combo_item_bind_cb), NULL);
  g_signal_connect (current, "setup", G_CALLBACK (combo_current_setup_cb), NULL);
  g_signal_connect (current, "bind", G_CALLBACK (combo_item_bind_cb), NULL);
  adw_combo_row_set_factory (row, current);
  adw_combo_row_set_list_factory (row, factory);
  upg_a11y_name_row_lists (ADW_PREFERENCES_ROW (row));
  g_object_unref (current);
  g_object_unref (factory);
}

static void
combo_selected_cb (AdwComboRow *row,
                   GParamSpec  *pspec,
                   UpgRecord   *record)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "upg-field"));
  const UpgField *f = record_field (record, field);
  guint selected = adw_combo_row_get_selected (row);

  if (selected < upg_enum_count (f->values))
    upg_record_set_string (record, field, f->values[selected]);
}

static void
combo_record_notify_cb (UpgRecord   *record,
                        GParamSpec  *pspec,
                        AdwComboRow *row)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "upg-field"));
  const UpgField *f = record_field (record, field);
  int index = upg_enum_index (f->values, upg_record_get_string (record, field));

  if (index >= 0 && (guint) index != adw_combo_row_get_selected (row))
    adw_combo_row_set_selected (row, index);
}

GtkWidget *
upg_combo_row_new (UpgRecord  *record,
                   guint       field,
                   const char *title)
{
  const UpgField *f;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *detail = NULL;
  GtkWidget *row;

  g_return_val_if_fail (UPG_IS_RECORD (record), NULL);
  f = record_field (record, field);
  g_return_val_if_fail (f->values != NULL, NULL);

  for (guint i = 0; f->values[i] != NULL; i++)
    gtk_string_list_append (labels, upg_enum_label (f->values, f->values[i]));

  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  upg_combo_row_name_items (ADW_COMBO_ROW (row));
  g_object_set_data (G_OBJECT (row), "upg-field", GUINT_TO_POINTER (field));
  combo_record_notify_cb (record, NULL, ADW_COMBO_ROW (row));
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (combo_selected_cb), record, 0);
  detail = g_strdup_printf ("notify::%s", field_property (record, field));
  g_signal_connect_object (record, detail, G_CALLBACK (combo_record_notify_cb), row, 0);
  return row;
}

/* Zone rows ------------------------------------------------------------ */

/* A zone chosen from the tz database's in a dialog with a search entry (as
 * GNOME Settings chooses a time zone): typing narrows the list, Enter or a
 * click takes a zone, Escape leaves it as it was. */
typedef struct {
  UpgRecord  *record;
  guint       field;
  GtkWidget  *row;        /* not a reference */
  GtkWidget  *dialog;     /* not a reference; NULL when closed */
  GtkWidget  *search;
  GtkListBox *list;
} ZoneRow;

static void
zone_row_free (ZoneRow *zr)
{
  if (zr->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (zr->dialog));
  g_clear_object (&zr->record);
  g_free (zr);
}

/* "Asia/Shanghai (UTC+08:00)", the offset now. */
static void
zone_row_update (ZoneRow *zr)
{
  const char *name = upg_zone_name (upg_record_get_string (zr->record, zr->field));
  g_autoptr(GTimeZone) zone = upg_zone_get (name);
  g_autoptr(GDateTime) now = upg_clock_now ();
  g_autoptr(GDateTime) there = g_date_time_to_timezone (now, zone);
  g_autofree char *offset = upg_format_utc_offset (there);
  /* TRANSLATORS: a time zone and its offset now, e.g. "Asia/Shanghai (UTC+08:00)" */
  g_autofree char *subtitle = g_strcmp0 (name, "UTC") == 0 ? g_strdup (name) : g_strdup_printf (_("%s (%s)"), name, offset);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (zr->row), subtitle);
}

static void
zone_record_notify_cb (UpgRecord  *record,
                       GParamSpec *pspec,
                       GtkWidget  *row)
{
  zone_row_update (g_object_get_data (G_OBJECT (row), "upg-zone-row"));
}

/* Whether @name matches what was typed: any part, in any case, a space
 * standing for the tz database's underscore ("new york" finds
 * America/New_York). */
static gboolean
zone_matches (const char *name,
              const char *typed)
{
  g_autofree char *folded_name = NULL;
  g_autofree char *folded_typed = NULL;

  if (typed == NULL || *typed == '\0')
    return TRUE;
  folded_name = g_utf8_casefold (name, -1);
  folded_typed = g_utf8_casefold (typed, -1);
  g_strdelimit (folded_name, "_", ' ');
  g_strdelimit (folded_typed, "_", ' ');
  return strstr (folded_name, g_strstrip (folded_typed)) != NULL;
}

static gboolean
zone_filter_cb (GtkListBoxRow *row,
                gpointer       data)
{
  ZoneRow *zr = data;

  return zone_matches (g_object_get_data (G_OBJECT (row), "upg-zone"),
                       gtk_editable_get_text (GTK_EDITABLE (zr->search)));
}

static void
zone_choose (ZoneRow    *zr,
             const char *name)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (name, upg_record_get_string (zr->record, zr->field)) != 0)
    {
      ensure_write_failed_hook ();
      capture_depth++;
      upg_record_set_string (zr->record, zr->field, name);
      capture_depth--;
      error = g_steal_pointer (&captured_error);
      if (error != NULL)
        upg_show_toast (zr->row, error->message);
    }
  gtk_window_destroy (GTK_WINDOW (zr->dialog));
}

static void
zone_activated_cb (GtkListBox    *list,
                   GtkListBoxRow *row,
                   ZoneRow       *zr)
{
  zone_choose (zr, g_object_get_data (G_OBJECT (row), "upg-zone"));
}

static void
zone_search_changed_cb (GtkSearchEntry *search,
                        ZoneRow        *zr)
{
  gtk_list_box_invalidate_filter (zr->list);
}

/* Enter takes the first zone that matches. */
static void
zone_search_activate_cb (GtkSearchEntry *search,
                         ZoneRow        *zr)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (zr->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && zone_filter_cb (GTK_LIST_BOX_ROW (row), zr))
      {
        zone_choose (zr, g_object_get_data (G_OBJECT (row), "upg-zone"));
        return;
      }
}

static void
zone_dialog_destroy_cb (GtkWidget *dialog,
                        ZoneRow   *zr)
{
  zr->dialog = NULL;
  zr->search = NULL;
  zr->list = NULL;
}

static void
zone_add (ZoneRow    *zr,
          const char *name,
          const char *current)
{
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "upg-zone", g_strdup (name), g_free);
  gtk_list_box_append (zr->list, row);
  if (g_strcmp0 (name, current) == 0)
    gtk_list_box_select_row (zr->list, GTK_LIST_BOX_ROW (row));
}

/* The zone chosen, scrolled to the middle of the list once it has its
 * place (a frame after the dialog opened). */
static gboolean
zone_scroll_to_selected_cb (GtkWidget     *list,
                            GdkFrameClock *clock,
                            gpointer       data)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (list));
  GtkWidget *scrolled = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (row == NULL || scrolled == NULL)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_height (GTK_WIDGET (row)) <= 0 || !gtk_widget_compute_bounds (GTK_WIDGET (row), list, &bounds))
    return G_SOURCE_CONTINUE;
  {
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (v, bounds.origin.y - (gtk_adjustment_get_page_size (v) - bounds.size.height) / 2);
  }
  return G_SOURCE_REMOVE;
}

/* The row's dialog, made when the row is activated. */
static void
zone_row_activated_cb (AdwActionRow *row,
                       ZoneRow      *zr)
{
  const char * const *zones = upg_zone_list ();
  const char *current = upg_zone_name (upg_record_get_string (zr->record, zr->field));
  GtkWidget *box, *header, *scrolled, *placeholder;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (row));
  GtkEventController *keys;

  if (zr->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (zr->dialog));
      return;
    }
  zr->dialog = adw_window_new ();
  gtk_widget_set_name (zr->dialog, "zone-dialog");
  gtk_window_set_title (GTK_WINDOW (zr->dialog), _("Time Zone"));
  gtk_window_set_modal (GTK_WINDOW (zr->dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (zr->dialog), 360, 480);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (zr->dialog), GTK_WINDOW (root));
  gtk_window_set_hide_on_close (GTK_WINDOW (zr->dialog), FALSE);
  keys = GTK_EVENT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (zr->dialog, keys);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  zr->search = gtk_search_entry_new ();
  gtk_widget_set_name (zr->search, "zone-search");
  gtk_widget_set_hexpand (zr->search, TRUE);
  g_object_set (zr->search, "placeholder-text", _("Search Time Zones"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (zr->search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search Time Zones"), -1);
  zr->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (zr->list), "zone-list");
  gtk_list_box_set_selection_mode (zr->list, GTK_SELECTION_SINGLE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (zr->list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Time Zones"), -1);
  placeholder = gtk_label_new (_("No Time Zone Found"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_widget_set_margin_bottom (placeholder, 24);
  gtk_list_box_set_placeholder (zr->list, placeholder);
  /* A zone the plan names that the tables do not list (an old alias the
   * system still knows) is offered too. */
  if (!g_strv_contains (zones, current))
    zone_add (zr, current, current);
  for (guint i = 0; zones[i] != NULL; i++)
    zone_add (zr, zones[i], current);
  gtk_list_box_set_filter_func (zr->list, zone_filter_cb, zr, NULL);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (zr->list));
  gtk_widget_set_margin_start (zr->search, 12);
  gtk_widget_set_margin_end (zr->search, 12);
  gtk_widget_set_margin_top (zr->search, 6);
  gtk_widget_set_margin_bottom (zr->search, 6);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), zr->search);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (zr->dialog), box);
  g_signal_connect (zr->search, "search-changed", G_CALLBACK (zone_search_changed_cb), zr);
  g_signal_connect (zr->search, "activate", G_CALLBACK (zone_search_activate_cb), zr);
  g_signal_connect (zr->list, "row-activated", G_CALLBACK (zone_activated_cb), zr);
  g_signal_connect (zr->dialog, "destroy", G_CALLBACK (zone_dialog_destroy_cb), zr);
  gtk_widget_add_tick_callback (GTK_WIDGET (zr->list), zone_scroll_to_selected_cb, NULL, NULL);
  gtk_window_present (GTK_WINDOW (zr->dialog));
  gtk_widget_grab_focus (zr->search);
}

GtkWidget *
upg_zone_row_new (UpgRecord  *record,
                  guint       field,
                  const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  ZoneRow *zr = g_new0 (ZoneRow, 1);
  g_autofree char *detail = NULL;

  g_return_val_if_fail (UPG_IS_RECORD (record), NULL);
  zr->record = g_object_ref (record);
  zr->field = field;
  zr->row = row;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "upg-zone-row", zr, (GDestroyNotify) zone_row_free);
  g_signal_connect (row, "activated", G_CALLBACK (zone_row_activated_cb), zr);
  zone_row_update (zr);
  detail = g_strdup_printf ("notify::%s", field_property (record, field));
  g_signal_connect_object (record, detail, G_CALLBACK (zone_record_notify_cb), row, 0);
  return row;
}

/* Switch rows ---------------------------------------------------------- */

GtkWidget *
upg_switch_row_new (UpgRecord  *record,
                    guint       field,
                    const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  g_return_val_if_fail (UPG_IS_RECORD (record), NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  /* Named by the row's title (set_activatable_widget labels it): a label
   * of its own would be read twice. */
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  g_object_bind_property (record, field_property (record, field), sw, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  return row;
}

/* Spin rows ------------------------------------------------------------ */

static gboolean
spin_output_cb (GtkSpinButton *spin,
                gpointer       user_data)
{
  int null_value = GPOINTER_TO_INT (user_data);

  if ((int) gtk_spin_button_get_value (spin) == null_value)
    {
      gtk_editable_set_text (GTK_EDITABLE (spin), "—");
      return TRUE;
    }
  return FALSE;
}

static void
spin_value_changed_cb (GtkSpinButton *spin,
                       UpgRecord     *record)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "upg-field"));
  const UpgField *f = record_field (record, field);
  int value = gtk_spin_button_get_value_as_int (spin);
  double lower;

  gtk_spin_button_get_range (spin, &lower, NULL);
  if (f->type == UPG_FIELD_INT_OR_NULL && value == (int) lower)
    value = UPG_INT_NULL;
  upg_record_set_int (record, field, value);
}

static void
spin_record_notify_cb (UpgRecord     *record,
                       GParamSpec    *pspec,
                       GtkSpinButton *spin)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "upg-field"));
  int value = upg_record_get_int (record, field);
  double lower;

  gtk_spin_button_get_range (spin, &lower, NULL);
  if (value == UPG_INT_NULL)
    value = (int) lower;
  if (value != gtk_spin_button_get_value_as_int (spin))
    gtk_spin_button_set_value (spin, value);
}

GtkWidget *
upg_spin_row_new (UpgRecord  *record,
                  guint       field,
                  const char *title,
                  const char *subtitle,
                  int         min,
                  int         max)
{
  const UpgField *f;
  GtkWidget *row, *spin;
  g_autofree char *detail = NULL;
  int lower = min;

  g_return_val_if_fail (UPG_IS_RECORD (record), NULL);
  f = record_field (record, field);
  if (f->type == UPG_FIELD_INT_OR_NULL)
    lower = min - 1;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  spin = gtk_spin_button_new_with_range (lower, max, 1);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), f->type != UPG_FIELD_INT_OR_NULL);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (spin, "numeric");
  /* Named by the row's title, as the switch. */
  g_object_set_data (G_OBJECT (spin), "upg-field", GUINT_TO_POINTER (field));
  if (f->type == UPG_FIELD_INT_OR_NULL)
    g_signal_connect (spin, "output", G_CALLBACK (spin_output_cb), GINT_TO_POINTER (lower));
  spin_record_notify_cb (record, NULL, GTK_SPIN_BUTTON (spin));
  if (f->type == UPG_FIELD_INT_OR_NULL && upg_record_get_int (record, field) == UPG_INT_NULL)
    spin_output_cb (GTK_SPIN_BUTTON (spin), GINT_TO_POINTER (lower));
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (spin_value_changed_cb), record, 0);
  detail = g_strdup_printf ("notify::%s", field_property (record, field));
  g_signal_connect_object (record, detail, G_CALLBACK (spin_record_notify_cb), spin, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

/* Text cards ----------------------------------------------------------- */

typedef struct {
  UpgRecord     *record;
  guint          field;
  GtkTextBuffer *buffer;       /* not a reference */
  guint          save_id;
  gboolean       dirty;        /* typed, not saved yet */
  gboolean       syncing;
} TextCard;

static void
text_card_save (TextCard *tc)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_clear_handle_id (&tc->save_id, g_source_remove);
  if (!tc->dirty || tc->buffer == NULL)
    return;
  tc->dirty = FALSE;
  gtk_text_buffer_get_bounds (tc->buffer, &start, &end);
  text = gtk_text_buffer_get_text (tc->buffer, &start, &end, FALSE);
  tc->syncing = TRUE;
  upg_record_set_string (tc->record, tc->field, text);
  tc->syncing = FALSE;
  /* A refused write: the store put the stored value back; show it. */
  if (g_strcmp0 (text, upg_record_get_string (tc->record, tc->field) ? upg_record_get_string (tc->record, tc->field) : "") != 0)
    {
      const char *value = upg_record_get_string (tc->record, tc->field);
      tc->syncing = TRUE;
      gtk_text_buffer_set_text (tc->buffer, value ? value : "", -1);
      tc->syncing = FALSE;
    }
}

static void
text_card_free (TextCard *tc)
{
  /* Text typed just before the card went away is saved (on unmap; here
   * if the buffer is still alive). */
  text_card_save (tc);
  g_clear_handle_id (&tc->save_id, g_source_remove);
  if (tc->buffer != NULL)
    g_object_remove_weak_pointer (G_OBJECT (tc->buffer), (gpointer *) &tc->buffer);
  g_signal_handlers_disconnect_by_data (tc->record, tc);
  g_clear_object (&tc->record);
  g_free (tc);
}

static gboolean
text_save_timeout_cb (gpointer data)
{
  TextCard *tc = data;

  tc->save_id = 0;
  text_card_save (tc);
  return G_SOURCE_REMOVE;
}

static void
buffer_changed_cb (GtkTextBuffer *buffer,
                   TextCard      *tc)
{
  if (tc->syncing)
    return;
  tc->dirty = TRUE;
  g_clear_handle_id (&tc->save_id, g_source_remove);
  tc->save_id = g_timeout_add (SAVE_DELAY_MS, text_save_timeout_cb, tc);
}

static void
text_focus_leave_cb (GtkEventControllerFocus *controller,
                     TextCard                *tc)
{
  text_card_save (tc);
}

static void
text_unmap_cb (GtkWidget *view,
               TextCard  *tc)
{
  text_card_save (tc);
}

static void
text_record_notify_cb (UpgRecord  *record,
                       GParamSpec *pspec,
                       TextCard   *tc)
{
  const char *value = upg_record_get_string (record, tc->field);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (tc->syncing || tc->dirty || tc->buffer == NULL)
    return;
  gtk_text_buffer_get_bounds (tc->buffer, &start, &end);
  text = gtk_text_buffer_get_text (tc->buffer, &start, &end, FALSE);
  if (g_strcmp0 (text, value ? value : "") == 0)
    return;
  tc->syncing = TRUE;
  gtk_text_buffer_set_text (tc->buffer, value ? value : "", -1);
  tc->syncing = FALSE;
}

GtkWidget *
upg_text_card_new (UpgRecord  *record,
                   guint       field,
                   const char *title)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkEventController *focus = gtk_event_controller_focus_new ();
  g_autofree char *detail = NULL;
  const char *value;
  TextCard *tc;

  g_return_val_if_fail (UPG_IS_RECORD (record), NULL);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  upg_text_view_limit (GTK_TEXT_VIEW (view), upg_field_max_chars (record_field (record, field)));
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_widget_add_css_class (view, "card");
  gtk_widget_add_css_class (view, "upg-text-card");
  gtk_widget_set_size_request (view, -1, 72);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE, -1);

  tc = g_new0 (TextCard, 1);
  tc->record = g_object_ref (record);
  tc->field = field;
  tc->buffer = buffer;
  g_object_add_weak_pointer (G_OBJECT (buffer), (gpointer *) &tc->buffer);
  g_object_set_data_full (G_OBJECT (view), "upg-text-card", tc, (GDestroyNotify) text_card_free);

  value = upg_record_get_string (record, field);
  gtk_text_buffer_set_text (buffer, value ? value : "", -1);
  g_signal_connect (buffer, "changed", G_CALLBACK (buffer_changed_cb), tc);
  g_signal_connect (focus, "leave", G_CALLBACK (text_focus_leave_cb), tc);
  gtk_widget_add_controller (view, focus);
  g_signal_connect (view, "unmap", G_CALLBACK (text_unmap_cb), tc);
  detail = g_strdup_printf ("notify::%s", field_property (record, field));
  g_signal_connect (record, detail, G_CALLBACK (text_record_notify_cb), tc);
  return view;
}

/* Delete and undo ------------------------------------------------------ */

typedef struct {
  UpgStore    *store;
  UpgDeletion *deletion;
} UndoData;

static void
undo_data_free (gpointer data,
                GClosure *closure)
{
  UndoData *undo = data;
  g_clear_object (&undo->store);
  g_clear_pointer (&undo->deletion, upg_deletion_free);
  g_free (undo);
}

static void
toast_undo_cb (AdwToast *toast,
               UndoData *undo)
{
  g_autoptr(GError) error = NULL;

  if (undo->deletion == NULL)
    return;
  if (!upg_store_undo_delete (undo->store, undo->deletion, &error))
    g_warning ("Could not undo a deletion: %s", error->message);
  g_clear_pointer (&undo->deletion, upg_deletion_free);
}

AdwToast *
upg_toast_new (const char *text)
{
  /* libadwaita 1.2 reads a toast's title as Pango markup. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  return adw_toast_new (escaped);
}

void
upg_show_toast (GtkWidget  *widget,
                const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), upg_toast_new (message));
}

typedef struct {
  GtkWidget      *widget;
  gint64          item_id;
  char           *target_name;  /* as when carried, for the toast */
  char           *target_uid;
  UpgCarriedFunc  carried;
} Carrying;

static void
carried_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Carrying *c = user_data;
  g_autoptr(GError) error = NULL;

  if (upg_store_write_finish (UPG_STORE (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Added to the checklist of “%s”"), c->target_name);

      if (c->carried != NULL)
        c->carried (c->widget, c->item_id, c->target_uid);
      upg_show_toast (c->widget, message);
    }
  else
    upg_show_toast (c->widget, error->message);
  g_object_unref (c->widget);
  g_free (c->target_name);
  g_free (c->target_uid);
  g_free (c);
}

void
upg_carry_action (GtkWidget      *widget,
                  UpgStore       *store,
                  UpgProject     *from,
                  gint64          item_id,
                  UpgProject     *target,
                  UpgCarriedFunc  carried)
{
  Carrying *c = g_new0 (Carrying, 1);

  c->widget = g_object_ref (widget);
  c->item_id = item_id;
  c->target_name = g_strdup (upg_project_get_name (target));
  c->target_uid = g_strdup (upg_record_get_string (UPG_RECORD (target), UPG_PROJECT_UID));
  c->carried = carried;
  upg_retro_carry_action_async (store, from, item_id, upg_record_get_id (UPG_RECORD (target)), NULL,
                                carried_cb, c);
}

void
upg_csv_choice_add (GtkFileChooser *chooser)
{
  const char *ids[] = { "spreadsheet", "machine", NULL };
  const char *labels[] = { _("Spreadsheets"), _("Other Programs"), NULL };

  /* TRANSLATORS: in a file chooser: whom a CSV file is for */
  gtk_file_chooser_add_choice (chooser, "csv-form", _("CSV For"), ids, labels);
  gtk_file_chooser_set_choice (chooser, "csv-form", "spreadsheet");
}

UpgCsvForm
upg_csv_choice_get (GtkFileChooser *chooser)
{
  return g_strcmp0 (gtk_file_chooser_get_choice (chooser, "csv-form"), "machine") == 0
         ? UPG_CSV_MACHINE : UPG_CSV_SPREADSHEET;
}

static gboolean delete_with_undo (GtkWidget *widget, UpgStore *store, UpgRecord *record,
                                  const char *title, AdwToast **toast_out);

gboolean
upg_delete_with_undo (GtkWidget  *widget,
                      UpgStore   *store,
                      UpgRecord  *record,
                      const char *title)
{
  return delete_with_undo (widget, store, record, title, NULL);
}

AdwToast *
upg_delete_with_undo_toast (GtkWidget  *widget,
                            UpgStore   *store,
                            UpgRecord  *record,
                            const char *title)
{
  AdwToast *toast = NULL;

  delete_with_undo (widget, store, record, title, &toast);
  return toast;
}

/* Shows @title with Undo for @deletion (taken) in @overlay. */
static AdwToast *
add_undo_toast (GtkWidget   *overlay,
                UpgStore    *store,
                UpgDeletion *deletion,
                const char  *title)
{
  UndoData *undo = g_new0 (UndoData, 1);
  AdwToast *toast;

  undo->store = g_object_ref (store);
  undo->deletion = deletion;
  toast = upg_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (toast_undo_cb), undo, undo_data_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  /* For tests and for a second Undo path: the latest undo toast. */
  g_object_set_data_full (G_OBJECT (overlay), "upg-undo-toast", g_object_ref (toast), g_object_unref);
  return toast;
}

/* Shows @title with Undo for @deletion (taken) in the overlay above @widget. */
static AdwToast *
show_undo_toast (GtkWidget   *widget,
                 UpgStore    *store,
                 UpgDeletion *deletion,
                 const char  *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      upg_deletion_free (deletion);
      return NULL;
    }
  return add_undo_toast (overlay, store, deletion, title);
}

static gboolean
delete_with_undo (GtkWidget  *widget,
                  UpgStore   *store,
                  UpgRecord  *record,
                  const char *title,
                  AdwToast  **toast_out)
{
  g_autoptr(UpgRecord) keep G_GNUC_UNUSED = g_object_ref (record);
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  g_autoptr(GError) error = NULL;
  UpgDeletion *deletion = NULL;
  AdwToast *toast;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);

  if (overlay != NULL)
    g_object_ref (overlay);
  if (!upg_store_delete (store, record, &deletion, &error))
    {
      if (overlay != NULL)
        {
          adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), upg_toast_new (error->message));
          g_object_unref (overlay);
        }
      return FALSE;
    }
  if (overlay == NULL)
    {
      upg_deletion_free (deletion);
      return TRUE;
    }

  /* The overlay was found before the delete, which may take @widget away. */
  toast = add_undo_toast (overlay, store, deletion, title);
  g_object_unref (overlay);
  if (toast_out != NULL)
    *toast_out = toast;
  return TRUE;
}

/* Lists of records ------------------------------------------------------ */

typedef struct {
  UpgStore            *store;
  UpgRecord           *record;
  UpgDescribeDeletion  describe;
} ActionsData;

static void
actions_data_free (ActionsData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->record);
  g_free (data);
}

static void
focus_moved (GtkListBox *list,
             guint       position,
             const char *button_key)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, position);
  GtkWidget *button;

  if (row == NULL)
    return;
  if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  upg_record_expander_ensure (GTK_WIDGET (row));
  button = g_object_get_data (G_OBJECT (row), "upg-actions-row");
  button = button ? g_object_get_data (G_OBJECT (button), button_key) : NULL;
  if (button != NULL && gtk_widget_get_sensitive (button))
    gtk_widget_grab_focus (button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
move_record (GtkWidget *button,
             int        delta)
{
  ActionsData *data = g_object_get_data (G_OBJECT (button), "upg-actions");
  GListStore *container = upg_record_get_container (data->record);
  GtkWidget *list = gtk_widget_get_ancestor (button, GTK_TYPE_LIST_BOX);
  g_autoptr(GError) error = NULL;
  guint position;
  int target;

  if (container == NULL || !g_list_store_find (container, data->record, &position))
    return;
  target = (int) position + delta;
  if (target < 0 || (guint) target >= g_list_model_get_n_items (G_LIST_MODEL (container)))
    return;
  if (list != NULL)
    g_object_ref (list);
  if (!upg_store_move (data->store, data->record, target, &error))
    upg_show_toast (button, error->message);
  else if (list != NULL)
    focus_moved (GTK_LIST_BOX (list), target, delta < 0 ? "upg-up-button" : "upg-down-button");
  g_clear_object (&list);
}

static void
move_up_cb (GtkWidget *button)
{
  move_record (button, -1);
}

static void
move_down_cb (GtkWidget *button)
{
  move_record (button, +1);
}

/* Removing a team member who owns risks: hand them on, or clear them. */
typedef struct {
  GtkWidget   *anchor;      /* a widget under the toast overlay (a reference) */
  UpgStore    *store;
  UpgRecord   *member;
  GtkWidget   *dropdown;
  GStrv        names;       /* the other members' names, as in the drop-down */
  char        *message;
} MemberRemoval;

static void
member_removal_free (gpointer data,
                     GClosure *closure)
{
  MemberRemoval *mr = data;
  g_clear_object (&mr->anchor);
  g_clear_object (&mr->store);
  g_clear_object (&mr->member);
  g_strfreev (mr->names);
  g_free (mr->message);
  g_free (mr);
}

static void
member_removal_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            MemberRemoval    *mr)
{
  g_autoptr(GError) error = NULL;
  UpgDeletion *deletion = NULL;
  const char *new_owner = NULL;

  if (g_str_equal (response, "hand") && mr->dropdown != NULL)
    {
      guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (mr->dropdown));
      if (mr->names != NULL && i < g_strv_length (mr->names))
        new_owner = mr->names[i];
    }
  else if (!g_str_equal (response, "clear"))
    return;
  if (!upg_store_delete_member (mr->store, mr->member, new_owner, &deletion, &error))
    {
      upg_show_toast (mr->anchor, error->message);
      return;
    }
  show_undo_toast (mr->anchor, mr->store, deletion, mr->message);
}

GtkWindow *
upg_ask_remove_member (GtkWidget  *widget,
                       UpgStore   *store,
                       UpgRecord  *member,
                       const char *message)
{
  guint owned = upg_store_count_owned_risks (store, member);
  GListStore *team = upg_record_get_container (member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  MemberRemoval *mr;
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *name = upg_record_get_string (member, UPG_MEMBER_NAME);

  for (guint i = 0; team != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (team)); i++)
    {
      g_autoptr(UpgRecord) other = g_list_model_get_item (G_LIST_MODEL (team), i);
      if (other != member)
        g_strv_builder_add (builder, upg_record_get_string (other, UPG_MEMBER_NAME));
    }

  mr = g_new0 (MemberRemoval, 1);
  mr->anchor = g_object_ref (widget);
  mr->store = g_object_ref (store);
  mr->member = g_object_ref (member);
  mr->names = g_strv_builder_end (builder);
  mr->message = g_strdup (message);

  /* TRANSLATORS: the heading of a question; %s is a person's name */
  heading = g_strdup_printf (_("Remove “%s”?"), name);
  /* TRANSLATORS: %s is a person's name */
  body = g_strdup_printf (ngettext ("%s owns %u risk. Hand it to someone else, or leave it without an owner. Undo restores both.",
                                    "%s owns %u risks. Hand them to someone else, or leave them without an owner. Undo restores all.",
                                    owned), name, owned);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  gtk_widget_set_name (dialog, "remove-member-dialog");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "clear", _("_Leave Without Owner"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear", ADW_RESPONSE_DESTRUCTIVE);
  if (mr->names[0] != NULL)
    {
      mr->dropdown = gtk_drop_down_new_from_strings ((const char * const *) mr->names);
      gtk_accessible_update_property (GTK_ACCESSIBLE (mr->dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New owner"), -1);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), mr->dropdown);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "hand", _("_Hand Over"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "hand", ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (member_removal_response_cb), mr, member_removal_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
delete_cb (GtkWidget *button)
{
  ActionsData *data = g_object_get_data (G_OBJECT (button), "upg-actions");
  g_autofree char *message = data->describe (data->record);
  g_autoptr(UpgStore) store = g_object_ref (data->store);
  g_autoptr(UpgRecord) record = g_object_ref (data->record);

  /* A member who owns risks: ask what becomes of them first. */
  if (upg_record_get_entity (record) == &upg_entity_member && upg_store_count_owned_risks (store, record) > 0)
    {
      upg_ask_remove_member (button, store, record, message);
      return;
    }
  upg_delete_with_undo (button, store, record, message);
}

static GtkWidget *
icon_button (const char *icon,
             const char *label,
             GCallback   callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  upg_a11y_set_tooltip_name (button, label);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect (button, "clicked", callback, NULL);
  return button;
}

static void
update_move_buttons (GtkWidget *row)
{
  ActionsData *data = g_object_get_data (G_OBJECT (row), "upg-actions");
  GListStore *container = upg_record_get_container (data->record);
  guint position = 0, n = 0;

  if (container != NULL && g_list_store_find (container, data->record, &position))
    n = g_list_model_get_n_items (G_LIST_MODEL (container));
  gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (row), "upg-up-button"), n > 0 && position > 0);
  gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (row), "upg-down-button"), n > 0 && position + 1 < n);
}

static void
actions_row_map_cb (GtkWidget *row)
{
  update_move_buttons (row);
}

GtkWidget *
upg_record_actions_row_new (UpgStore            *store,
                            UpgRecord           *record,
                            UpgDescribeDeletion  describe)
{
  ActionsData *data;
  GtkWidget *row, *box, *up, *down, *del;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_RECORD (record), NULL);

  data = g_new0 (ActionsData, 1);
  data->store = g_object_ref (store);
  data->record = g_object_ref (record);
  data->describe = describe;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Order"));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  up = icon_button ("go-up-symbolic", _("Move Up"), G_CALLBACK (move_up_cb));
  down = icon_button ("go-down-symbolic", _("Move Down"), G_CALLBACK (move_down_cb));
  del = gtk_button_new_with_mnemonic (_("_Delete"));
  gtk_widget_set_valign (del, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (del, "destructive-action");
  g_signal_connect (del, "clicked", G_CALLBACK (delete_cb), NULL);
  g_object_set_data_full (G_OBJECT (row), "upg-actions", data, (GDestroyNotify) actions_data_free);
  g_object_set_data (G_OBJECT (up), "upg-actions", data);
  g_object_set_data (G_OBJECT (down), "upg-actions", data);
  g_object_set_data (G_OBJECT (del), "upg-actions", data);
  g_object_set_data (G_OBJECT (row), "upg-up-button", up);
  g_object_set_data (G_OBJECT (row), "upg-down-button", down);
  g_object_set_data (G_OBJECT (row), "upg-delete-button", del);
  gtk_box_append (GTK_BOX (box), up);
  gtk_box_append (GTK_BOX (box), down);
  gtk_box_append (GTK_BOX (box), del);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  g_signal_connect (row, "map", G_CALLBACK (actions_row_map_cb), NULL);
  return row;
}

/* libadwaita 1.2 does not name an expander row for screen readers. */
static void
expander_title_cb (GtkWidget  *row,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
}

GtkWidget *
upg_expander_row_new (void)
{
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_signal_connect (row, "notify::title", G_CALLBACK (expander_title_cb), NULL);
  upg_a11y_name_row_lists (ADW_PREFERENCES_ROW (row));
  return row;
}

GtkWidget *
upg_record_expander_new (UpgRecord *record)
{
  GtkWidget *row = upg_expander_row_new ();

  g_object_set_data_full (G_OBJECT (row), "upg-record", g_object_ref (record), g_object_unref);
  return row;
}

void
upg_record_expander_ensure (GtkWidget *expander)
{
  UpgPopulateFunc populate = g_object_get_data (G_OBJECT (expander), "upg-populate");

  if (populate == NULL)
    return;
  g_object_set_data (G_OBJECT (expander), "upg-populate", NULL);
  populate (expander, g_object_get_data (G_OBJECT (expander), "upg-populate-data"));
}

static void
expander_expanded_cb (GtkWidget  *expander,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (expander)))
    upg_record_expander_ensure (expander);
}

void
upg_record_expander_set_populate (GtkWidget       *expander,
                                  UpgPopulateFunc  populate,
                                  gpointer         user_data)
{
  g_object_set_data (G_OBJECT (expander), "upg-populate", populate);
  g_object_set_data (G_OBJECT (expander), "upg-populate-data", user_data);
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (expander_expanded_cb), NULL);
}

void
upg_record_expander_add_actions (GtkWidget           *expander,
                                 UpgStore            *store,
                                 UpgDescribeDeletion  describe)
{
  UpgRecord *record = g_object_get_data (G_OBJECT (expander), "upg-record");
  GtkWidget *actions = upg_record_actions_row_new (store, record, describe);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), actions);
  g_object_set_data (G_OBJECT (expander), "upg-actions-row", actions);
}

/* Finds the actions row inside the list row that has the focus. */
static GtkWidget *
focused_actions_row (GtkWidget *list)
{
  GtkRoot *root = gtk_widget_get_root (list);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, list))
    return NULL;
  /* Not while typing in an entry of the row. */
  if (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus))
    return NULL;
  for (row = focus; row != NULL && gtk_widget_get_parent (row) != list; row = gtk_widget_get_parent (row))
    ;
  if (row == NULL)
    return NULL;
  upg_record_expander_ensure (row);
  return g_object_get_data (G_OBJECT (row), "upg-actions-row");
}

static gboolean
list_shortcut_cb (GtkWidget *list,
                  GVariant  *args,
                  gpointer   user_data)
{
  const char *what = g_variant_get_string (args, NULL);
  GtkWidget *actions = focused_actions_row (list);
  GtkWidget *button;

  if (actions == NULL)
    return FALSE;
  if (g_str_equal (what, "delete"))
    {
      delete_cb (actions);
      return TRUE;
    }
  button = g_object_get_data (G_OBJECT (actions), g_str_equal (what, "up") ? "upg-up-button" : "upg-down-button");
  move_record (button, g_str_equal (what, "up") ? -1 : +1);
  return TRUE;
}

void
upg_record_list_add_shortcuts (GtkListBox *list)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  struct { guint key; GdkModifierType mods; const char *what; } keys[] = {
    { GDK_KEY_Delete, 0, "delete" },
    { GDK_KEY_KP_Delete, 0, "delete" },
    { GDK_KEY_Up, GDK_ALT_MASK, "up" },
    { GDK_KEY_Down, GDK_ALT_MASK, "down" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                        gtk_callback_action_new (list_shortcut_cb, NULL, NULL)));
  /* gtk_callback_action has no arguments of its own: set them per shortcut. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
      gtk_shortcut_set_arguments (shortcut, g_variant_new_string (keys[i].what));
    }
  gtk_widget_add_controller (GTK_WIDGET (list), controller);
}
