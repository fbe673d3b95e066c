/* upg-field-rows.h — libadwaita rows that edit one field of a record.
 *
 * Every row shows the record's value and writes it back: a text field when
 * the user confirms it (Enter) or leaves it, or after a short pause in the
 * typing; the other controls at once. Values the plan format would refuse
 * are not written, and a write the store refuses (a rule, a full disk, a
 * read-only file) shows the stored value again: either way the row is
 * marked with an error icon whose tooltip and accessible description say
 * why. Shared by the Overview, Milestones and Team sections.
 */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"
#include "core/upg-csv.h"

G_BEGIN_DECLS

/* An extra check run on a value that the field itself accepts. @canonical is
 * what would be stored (NULL for an empty nullable field). */
typedef gboolean (*UpgFieldCheck) (UpgRecord   *record,
                                   guint        field,
                                   const char  *canonical,
                                   char       **message);

/* Text, nullable text, date (with a calendar button) or email. */
GtkWidget  *upg_entry_row_new      (UpgRecord  *record,
                                    guint       field,
                                    const char *title);
/* A timestamp field edited on the clocks of the zone @zone_record's
 * @zone_field names (UTC when it names none), "YYYY-MM-DD HH:MM", and
 * stored in UTC; the title ("Start (Asia/Shanghai)") and the text follow
 * that zone when it changes. @check may refuse values (end before start). */
GtkWidget  *upg_timestamp_row_new  (UpgRecord     *record,
                                    guint          field,
                                    const char    *title,
                                    UpgFieldCheck  check,
                                    UpgRecord     *zone_record,
                                    guint          zone_field);
/* A time zone field, chosen from the tz database's zones in a popover
 * with a search entry; the row shows the zone and its offset now. */
GtkWidget  *upg_zone_row_new       (UpgRecord  *record,
                                    guint       field,
                                    const char *title);
/* Re-runs the row's checks on its current text (after the other end of the
 * window changed) and writes the value when it now passes. */
void        upg_field_row_recheck  (GtkWidget  *row);
/* Saves what waits in an entry row now (as Enter or leaving it does). */
void        upg_field_row_save     (GtkWidget  *row);
/* Called with the row's message (NULL when its text is accepted again)
 * whenever it changes. */
typedef void (*UpgFieldRowErrorFunc) (GtkWidget  *row,
                                      const char *message,
                                      gpointer    user_data);
void        upg_field_row_set_error_func (GtkWidget            *row,
                                          UpgFieldRowErrorFunc  func,
                                          gpointer              user_data);
/* The message the row shows now, or NULL when its text is accepted. */
const char *upg_field_row_get_error (GtkWidget *row);

GtkWidget  *upg_combo_row_new      (UpgRecord  *record,
                                    guint       field,
                                    const char *title);
/* Names the rows of @row's popover (a GtkStringList model) for screen
 * readers. */
void        upg_combo_row_name_items (AdwComboRow *row);
GtkWidget  *upg_switch_row_new     (UpgRecord  *record,
                                    guint       field,
                                    const char *title);
/* An integer field; a nullable one shows "—" one below @min for null. */
GtkWidget  *upg_spin_row_new       (UpgRecord  *record,
                                    guint       field,
                                    const char *title,
                                    const char *subtitle,
                                    int         min,
                                    int         max);
/* The most characters a text field takes (issue 17, case 8), held by the
 * window's editors: an entry (an AdwEntryRow or GtkEntry, through its
 * GtkText) takes no more, a text view refuses an insertion that would go
 * over (with the error bell). @max of 0: no limit. */
void        upg_editable_limit     (GtkEditable *editable,
                                    int          max);
void        upg_text_view_limit    (GtkTextView *view,
                                    int          max);
/* The limit of @field of @entity (upg_field_max_chars ()). */
int         upg_field_limit        (const UpgEntity *entity,
                                    guint            field);

/* Multi-line text in a .card, named @title for screen readers. */
GtkWidget  *upg_text_card_new      (UpgRecord  *record,
                                    guint       field,
                                    const char *title);

/* Deletes @record from @store and shows "@title" in the nearest
 * AdwToastOverlay above @widget with an Undo button that restores it. */
gboolean    upg_delete_with_undo   (GtkWidget  *widget,
                                    UpgStore   *store,
                                    UpgRecord  *record,
                                    const char *title);

/* The same; the toast (owned by the overlay), or NULL when nothing was
 * deleted (or no overlay shows the toast). */
AdwToast   *upg_delete_with_undo_toast (GtkWidget  *widget,
                                        UpgStore   *store,
                                        UpgRecord  *record,
                                        const char *title);
/* Asks whether the risks @member owns go to another member or have no
 * owner, then removes @member (upg_store_delete_member) with Undo in a
 * toast showing @message. Returns the question's dialog (owned by GTK). */
GtkWindow  *upg_ask_remove_member  (GtkWidget  *widget,
                                    UpgStore   *store,
                                    UpgRecord  *member,
                                    const char *message);
/* A toast showing @text as it is (escaped: libadwaita 1.2 reads a toast's
 * title as markup, and a project may be called "A & B <x>"). */
AdwToast   *upg_toast_new          (const char *text);
/* Shows @message (plain text) in the nearest AdwToastOverlay above @widget. */
void        upg_show_toast         (GtkWidget  *widget,
                                    const char *message);

/* Hears that the action @item_id went into the checklist of the project
 * whose uid is @target_uid. */
typedef void (*UpgCarriedFunc) (GtkWidget  *widget,
                                gint64      item_id,
                                const char *target_uid);
/* Carries the action @item_id of @from's retrospective into @target's
 * checklist (in the store's thread on a team server): a toast above
 * @widget says how it went, and @carried (if any) hears once it went in. */
void        upg_carry_action       (GtkWidget      *widget,
                                    UpgStore       *store,
                                    UpgProject     *from,
                                    gint64          item_id,
                                    UpgProject     *target,
                                    UpgCarriedFunc  carried);

/* A CSV export's file chooser asks whom the file is for: spreadsheets
 * (the default: a byte order mark, the user's language) or other programs
 * (the plan format's words, as `export --machine-csv`). */
void        upg_csv_choice_add     (GtkFileChooser *chooser);
UpgCsvForm  upg_csv_choice_get     (GtkFileChooser *chooser);

/* The local time zone's offset as "UTC+08:00" (for @dt, or now). */
char       *upg_format_utc_offset  (GDateTime  *dt);

/* The toast text after deleting a record ("Milestone “X” deleted"). */
typedef char *(*UpgDescribeDeletion) (UpgRecord *record);

/* A row with Move Up, Move Down and Delete buttons for @record (an item of a
 * list the store keeps). Put it last inside the record's expander row. */
GtkWidget  *upg_record_actions_row_new (UpgStore            *store,
                                        UpgRecord           *record,
                                        UpgDescribeDeletion  describe);
/* Delete on a focused row of @list (rows with an actions row) deletes its
 * record; Alt+Up / Alt+Down move it. */
void        upg_record_list_add_shortcuts (GtkListBox *list);

/* An AdwExpanderRow with a plain-text title that screen readers hear as its
 * name (libadwaita 1.2 does not name expander rows). */
GtkWidget  *upg_expander_row_new       (void);
/* The same, for a record of a list. */
GtkWidget  *upg_record_expander_new    (UpgRecord  *record);
/* Fills an expander's rows only when it is first expanded (or ensured), so a
 * long list costs one row a record until someone opens it. */
typedef void (*UpgPopulateFunc) (GtkWidget *expander,
                                 gpointer   user_data);
void        upg_record_expander_set_populate (GtkWidget       *expander,
                                              UpgPopulateFunc  populate,
                                              gpointer         user_data);
void        upg_record_expander_ensure       (GtkWidget       *expander);
/* Adds the actions row (upg_record_actions_row_new) as @expander's last row. */
void        upg_record_expander_add_actions (GtkWidget           *expander,
                                             UpgStore            *store,
                                             UpgDescribeDeletion  describe);

G_END_DECLS
