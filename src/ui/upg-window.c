/* upg-window.c — the main window: one plan file, its projects and sections. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-window.h"
#include "upg-preferences-window.h"
#include "upg-settings.h"
#include "upg-resources.h"
#include "upg-application.h"
#include "upg-checklist-page.h"
#include "upg-connect-dialog.h"
#include "upg-field-rows.h"
#include "upg-milestones-page.h"
#include "upg-notifications-page.h"
#include "upg-overview-page.h"
#include "upg-project-row.h"
#include "upg-risk-page.h"
#include "upg-team-page.h"
#include "upg-retro-page.h"
#include "upg-retro-export.h"
#include "upg-insights-view.h"
#include "core/upg-escape.h"
#include "core/upg-defaults.h"
#include "core/upg-export.h"
#include "core/upg-labels.h"
#include "core/upg-output.h"
#include "core/upg-plan.h"

/* The project's sections, in the order of the view switcher. A section
 * is a widget type with a set_project function of the shape
 * upg_foo_page_set_project (UpgFooPage *, UpgStore *, UpgProject *); a
 * page that has a "show-section" signal (a link to another section) is
 * connected to the window's switcher. A section whose type is not built
 * yet shows @todo as its empty state: to plug a page in, fill its row. */
typedef void (*UpgSectionSetProject) (GtkWidget  *page,
                                      UpgStore   *store,
                                      UpgProject *project);
/* Shows @record in the section (opens its editor); FALSE when the record
 * is not the section's. */
typedef gboolean (*UpgSectionShowRecord) (GtkWidget *page,
                                          UpgRecord *record);
typedef struct {
  const char           *name;
  const char           *title;      /* N_() */
  const char           *icon_name;
  GType               (*get_type) (void);
  UpgSectionSetProject  set_project;
  const char           *todo;       /* N_(), when get_type is NULL */
  UpgSectionShowRecord  show_record;
  gboolean              secondary;  /* narrow: under "More", not in the bar */
} UpgSection;

static const UpgSection sections[] = {
  { "overview", N_("Overview"), "document-properties-symbolic",
    upg_overview_page_get_type, (UpgSectionSetProject) upg_overview_page_set_project, NULL },
  { "milestones", N_("Milestones"), "x-office-calendar-symbolic",
    upg_milestones_page_get_type, (UpgSectionSetProject) upg_milestones_page_set_project, NULL },
  { "risks", N_("Risks"), "dialog-warning-symbolic",
    upg_risk_page_get_type, (UpgSectionSetProject) upg_risk_page_set_project, NULL,
    (UpgSectionShowRecord) upg_risk_page_show_risk },
  { "team", N_("Team"), "system-users-symbolic",
    upg_team_page_get_type, (UpgSectionSetProject) upg_team_page_set_project, NULL, NULL, TRUE },
  { "checklist", N_("Checklist"), "object-select-symbolic",
    upg_checklist_page_get_type, (UpgSectionSetProject) upg_checklist_page_set_project, NULL },
  { "notifications", N_("Notifications"), "mail-send-symbolic",
    upg_notifications_page_get_type, (UpgSectionSetProject) upg_notifications_page_set_project, NULL, NULL, TRUE },
  { "retrospective", N_("Retrospective"), "document-edit-symbolic",
    upg_retro_page_get_type, (UpgSectionSetProject) upg_retro_page_set_project, NULL, NULL, TRUE },
};
#define UPG_N_SECTIONS G_N_ELEMENTS (sections)

static int
section_index (const char *name)
{
  for (guint i = 0; i < UPG_N_SECTIONS; i++)
    if (g_strcmp0 (sections[i].name, name) == 0)
      return i;
  return -1;
}

/* How often the lost-connection bar tries to connect again by itself. */
#define AUTO_RETRY_SECONDS 5

struct _UpgWindow
{
  AdwApplicationWindow parent_instance;

  UpgStore            *store;
  UpgProject          *project;
  GSettings           *settings;
  GtkFilterListModel  *filter_model;
  GtkSliceListModel   *first_rows;    /* the rows the first frame can show */
  GtkStringFilter     *filter;
  GtkSingleSelection  *selection;
  GtkFileChooserNative *chooser;
  gboolean             bench_mapped;
  gboolean             bench_content;
  gboolean             bench_done;
  GtkWindow           *shortcuts;     /* the Keyboard Shortcuts window, once shown */
  guint                selected_pos;  /* where the open project was in the list */
  gboolean             filtering;     /* the search is changing the list */

  GCancellable        *reconnecting;  /* Retry under way (cancelled when the window goes) */
  UpgProject          *loading;       /* a server's project being read in its thread */
  GBinding            *title_binding; /* the shown project's name in the title */
  GCancellable        *loading_cancel; /* cancelled when the window goes */
  guint                auto_retry_id; /* trying again by itself while the bar shows */

  AdwToastOverlay     *toast_overlay;
  GtkRevealer         *lost_revealer;
  GtkLabel            *lost_detail;
  GtkSpinner          *lost_spinner;
  GtkWidget           *retry_button;
  AdwLeaflet          *leaflet;
  AdwWindowTitle      *window_title;
  GtkSearchEntry      *search_entry;
  GtkStack            *sidebar_stack;
  GtkListView         *project_list;
  GtkWidget           *content;
  GtkStack            *content_stack;
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget           *switcher_bar;  /* the narrow section bar, once built */
  GtkWidget           *bar_buttons[UPG_N_SECTIONS];   /* the compact bar's */
  GtkWidget           *full_buttons[UPG_N_SECTIONS];  /* the bar of every section */
  GtkWidget           *more_button;
  GtkRevealer         *switcher_revealer;
  AdwViewStack        *view_stack;
  GtkWidget           *project_menu_button;
  GtkMenuButton       *primary_menu_button;
  GMenuModel          *primary_menu;
  GMenuModel          *project_menu;
  GMenu               *recent_menu;
  UpgOverviewPage     *overview_page;  /* sections[0]'s page */
  /* Each section's bin in the view stack, the page in it (built when first
   * shown) and whether the page has yet to be given the project. */
  AdwBin              *bins[UPG_N_SECTIONS];
  GtkWidget           *pages[UPG_N_SECTIONS];
  gboolean             stale[UPG_N_SECTIONS];
};

G_DEFINE_FINAL_TYPE (UpgWindow, upg_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Sidebar rows ---------------------------------------------------------- */

/* A project row is at least this tall (two lines of text and their padding). */
#define MIN_ROW_HEIGHT 48
/* Where the project list starts: below the header bar and the search entry. */
#define LIST_TOP 100

/* The project's name as the header shows it: bidirectional controls in it
 * stay inside it (issue 17). */
static gboolean
isolate_bidi_cb (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_take_string (to, upg_text_isolate_bidi (g_value_get_string (from)));
  return TRUE;
}

static void
row_released_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 UpgWindow       *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              UpgWindow                *self)
{
  GtkWidget *row = upg_project_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "released", G_CALLBACK (row_released_cb), self);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             UpgWindow                *self)
{
  upg_project_row_set_project (UPG_PROJECT_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               UpgWindow                *self)
{
  upg_project_row_set_project (UPG_PROJECT_ROW (gtk_list_item_get_child (item)), NULL);
}

/* Selection ------------------------------------------------------------- */

/* The honest empty state of a section still to come. */
static GtkWidget *
not_built_page_new (const UpgSection *section)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), section->icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _(section->title));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), _(section->todo));
  return page;
}

static void show_section_cb (UpgWindow *self, const char *section);
static void show_record_cb (UpgWindow *self, UpgRecord *record);

/* The page of section @i, built the first time it is asked for. */
static GtkWidget *
ensure_page (UpgWindow *self,
             guint      i)
{
  const UpgSection *section = &sections[i];

  if (self->pages[i] != NULL)
    return self->pages[i];
  if (section->get_type == NULL)
    {
      self->pages[i] = not_built_page_new (section);
      adw_bin_set_child (self->bins[i], self->pages[i]);
      return self->pages[i];
    }
  self->pages[i] = g_object_new (section->get_type (), NULL);
  if (g_signal_lookup ("show-section", section->get_type ()) != 0)
    g_signal_connect_object (self->pages[i], "show-section", G_CALLBACK (show_section_cb), self, G_CONNECT_SWAPPED);
  if (g_signal_lookup ("show-record", section->get_type ()) != 0)
    g_signal_connect_object (self->pages[i], "show-record", G_CALLBACK (show_record_cb), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->bins[i], self->pages[i]);
  if (i == 0)
    self->overview_page = UPG_OVERVIEW_PAGE (self->pages[i]);
  return self->pages[i];
}

/* Shows the status page @name ("welcome", "none", "loading" or "no-results") in
 * @stack, building it from upg-status-pages.ui the first time. */
static void
show_status_page (GtkStack   *stack,
                  const char *name)
{
  if (gtk_stack_get_child_by_name (stack, name) == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new ();
      const char *ids[] = { name, NULL };
      g_autoptr(GError) error = NULL;

      if (!gtk_builder_add_objects_from_resource (builder, "/io/github/upgrade_planner/UpgradePlanner/upg-status-pages.ui",
                                                  ids, &error))
        g_error ("%s", error->message);  /* a resource we ship: a bug */
      gtk_stack_add_named (stack, GTK_WIDGET (gtk_builder_get_object (builder, name)), name);
    }
  gtk_stack_set_visible_child_name (stack, name);
}

static void
sync_visible_page (UpgWindow *self)
{
  int i = section_index (adw_view_stack_get_visible_child_name (self->view_stack));
  GtkWidget *page;

  if (i < 0)
    return;
  page = ensure_page (self, i);
  if (self->stale[i] && sections[i].set_project != NULL)
    sections[i].set_project (page, self->store, self->project);
  self->stale[i] = FALSE;
}

/* Without a project: a welcome in an empty file, else a hint to choose one. */
static void
show_empty_content (UpgWindow *self)
{
  show_status_page (self->content_stack,
                    g_list_model_get_n_items (upg_store_get_projects (self->store)) == 0 ? "welcome" : "none");
}

/* Whether the plan can be read from its store: not while the team server
 * is lost (the bar with Retry is shown). */
static gboolean
can_read (UpgWindow *self)
{
  return !gtk_revealer_get_reveal_child (self->lost_revealer);
}

/* Whether the plan may be changed from the window: not when it is
 * read-only (a file, or a role that may only read), nor when it cannot be
 * read. */
static gboolean
can_edit (UpgWindow *self)
{
  return !upg_store_is_read_only (self->store) && can_read (self);
}

/* The one place that decides which of the window's actions are offered:
 * the edits while the plan may be changed, what reads the plan (Save a
 * Copy, the exports, the report, the insights) while it can be read, and
 * what acts on the open project while one is open. Called again whenever
 * one of these changes. */
static void
update_editable (UpgWindow *self)
{
  const char * const edits[] = { "win.new-project", "win.import", "win.import-sample" };
  const char * const reads[] = { "win.export", "win.export-file", "win.insights" };
  gboolean editable = can_edit (self);
  gboolean readable = can_read (self);
  gboolean server = upg_store_is_server (self->store);

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), edits[i], editable);
  for (guint i = 0; i < G_N_ELEMENTS (reads); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), reads[i], readable);
  /* A server's plan is saved as a copy; a file's is published. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-copy", server && readable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.publish", !server);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-project", editable && self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-project", readable && self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.print-report", readable && self->project != NULL);
  /* The sections' own edits, exports and printing are inside. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->view_stack), editable);
}

static void show_project (UpgWindow *self, UpgProject *project);

/* The header while a project is loading (@loaded FALSE: its name, and
 * no sections or project menu until it is there) or back once it is. */
static void
show_header_for (UpgWindow  *self,
                 UpgProject *project,
                 gboolean    loaded)
{
  g_autofree char *name = upg_text_isolate_bidi (upg_project_get_name (project));

  adw_view_switcher_title_set_title (self->switcher_title, name);
  gtk_widget_set_visible (self->project_menu_button, loaded);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_revealer), loaded);
}

static void
project_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  UpgWindow *self;
  g_autoptr(UpgProject) project = NULL;

  if (!upg_store_load_children_finish (UPG_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is gone */
  self = user_data;
  /* Another project was chosen meanwhile, whose load is still under way:
   * that one is shown once it is loaded. */
  if (self->loading == NULL || (error == NULL && !upg_record_children_loaded (UPG_RECORD (self->loading))))
    return;
  project = g_steal_pointer (&self->loading);
  if (error != NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (error->message));
      show_project (self, NULL);
      return;
    }
  show_project (self, project);
}

static void
show_project (UpgWindow  *self,
              UpgProject *project)
{
  g_autoptr(GError) error = NULL;
  gboolean was_loading = self->loading != NULL;

  if (project != NULL && project == self->loading)
    return;
  g_clear_object (&self->loading);
  if (project == self->project)
    {
      /* Back from one that was loading. */
      if (was_loading && project != NULL)
        {
          show_header_for (self, project, TRUE);
          gtk_stack_set_visible_child_name (self->content_stack, "project");
        }
      return;
    }
  /* A server's project is read in the store's thread: the window goes
   * on meanwhile, showing that it loads. */
  if (project != NULL && upg_store_is_server (self->store) && !upg_record_children_loaded (UPG_RECORD (project)))
    {
      self->loading = g_object_ref (project);
      show_status_page (self->content_stack, "loading");
      show_header_for (self, project, FALSE);
      upg_store_load_children_async (self->store, UPG_RECORD (project), self->loading_cancel,
                                     project_loaded_cb, self);
      return;
    }
  if (project != NULL && !upg_store_load_children (self->store, UPG_RECORD (project), &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (error->message));
      project = NULL;
    }
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  /* The title follows the project shown, not every one shown before. */
  if (self->title_binding != NULL)
    g_binding_unbind (g_steal_pointer (&self->title_binding));
  g_set_object (&self->project, project);

  /* Only the section on screen gets the project now; the others when shown. */
  for (guint i = 0; i < UPG_N_SECTIONS; i++)
    self->stale[i] = TRUE;
  sync_visible_page (self);

  if (project != NULL)
    {
      g_settings_set (self->settings, "last-project", "(sx)", upg_store_address (self->store),
                      upg_record_get_id (UPG_RECORD (project)));
      self->title_binding = g_object_bind_property_full (project, "name", self->switcher_title, "title",
                                                         G_BINDING_SYNC_CREATE, isolate_bidi_cb, NULL, NULL, NULL);
      gtk_stack_set_visible_child_name (self->content_stack, "project");
    }
  else
    {
      adw_view_switcher_title_set_title (self->switcher_title, "");
      show_empty_content (self);
    }
  gtk_widget_set_visible (self->project_menu_button, project != NULL);
  /* No sections to switch between without a project. */
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_revealer), project != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_title), project != NULL);
  update_editable (self);
}

/* Where @project is in the list the view shows, or GTK_INVALID_LIST_POSITION. */
static guint
list_position (UpgWindow  *self,
               UpgProject *project)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; project != NULL && i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      if (item == G_OBJECT (project))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
store_has_project (UpgWindow  *self,
                   UpgProject *project)
{
  GListModel *projects = upg_store_get_projects (self->store);
  guint n = g_list_model_get_n_items (projects);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (projects, i);
      if (item == G_OBJECT (project))
        return TRUE;
    }
  return FALSE;
}

/* The list's selection follows the open project, not the other way round:
 * a search that hides the open project unselects its row and leaves it
 * open; only a project leaving the file moves the selection on. */
static void
selection_changed_cb (UpgWindow *self)
{
  UpgProject *project = gtk_single_selection_get_selected_item (self->selection);
  guint n;

  if (self->filtering)
    return;
  if (project != NULL)
    {
      self->selected_pos = gtk_single_selection_get_selected (self->selection);
      show_project (self, project);
      return;
    }
  if (self->project != NULL && store_has_project (self, self->project))
    return;
  /* The open project was deleted: its neighbour, or nothing. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (n > 0 && gtk_string_filter_get_search (self->filter) == NULL)
    gtk_single_selection_set_selected (self->selection, MIN (self->selected_pos, n - 1));
  else
    show_project (self, NULL);
}

static void
filter_items_changed_cb (UpgWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  if (n == 0 && gtk_string_filter_get_search (self->filter))
    show_status_page (self->sidebar_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->sidebar_stack, "list");
}

static void
project_activated_cb (UpgWindow *self,
                      guint      position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void show_all_rows (UpgWindow *self);

/* Filters the list; the open project stays open (and selected when the
 * search shows it). */
static void
search_changed_cb (UpgWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint position;

  show_all_rows (self);
  self->filtering = TRUE;
  gtk_string_filter_set_search (self->filter, *text ? text : NULL);
  position = list_position (self, self->project);
  gtk_single_selection_set_selected (self->selection, position);
  self->filtering = FALSE;
  if (position != GTK_INVALID_LIST_POSITION)
    self->selected_pos = position;
}

/* The project list is one Tab stop: Tab and Shift+Tab leave it from any
 * row (GTK 4.8 would stop at every row); the arrow keys move inside. */
static gboolean
list_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     UpgWindow             *self)
{
  GtkWidget *list = GTK_WIDGET (self->project_list);
  GtkDirectionType direction;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
    return FALSE;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  direction = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
  /* Moving on from inside the list, with the list closed to focus, lands
   * on the next widget outside it. */
  gtk_widget_set_can_focus (list, FALSE);
  if (!gtk_widget_child_focus (GTK_WIDGET (self), direction))
    gtk_widget_child_focus (GTK_WIDGET (self), direction);
  gtk_widget_set_can_focus (list, TRUE);
  return TRUE;
}

static void
stop_search_cb (UpgWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->project_list));
}

/* Lets the project list show every project, not only the first ones. */
static void
show_all_rows (UpgWindow *self)
{
  if (self->first_rows != NULL && gtk_slice_list_model_get_size (self->first_rows) != G_MAXUINT)
    gtk_slice_list_model_set_size (self->first_rows, G_MAXUINT);
}

static gboolean
show_all_rows_idle (gpointer data)
{
  show_all_rows (data);
  return G_SOURCE_REMOVE;
}

/* Once a frame has shown the window filled in (the project list's first
 * rows and the Overview), the list gets the rest of the projects. */
static void
first_frame_cb (GdkFrameClock *clock,
                UpgWindow     *self)
{
  if (self->project != NULL && self->overview_page != NULL
      && !upg_overview_page_is_complete (self->overview_page))
    return;
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, show_all_rows_idle, g_object_ref (self), g_object_unref);
}

static void
scroll_to_position (GtkListView *view,
                    guint        position)
{
  /* GTK 4.8 has no gtk_list_view_scroll_to(): use the list's own action. */
  gtk_widget_activate_action (GTK_WIDGET (view), "list.scroll-to-item", "u", position);
}

void
upg_window_select_project (UpgWindow  *self,
                           UpgProject *project)
{
  GListModel *model;
  guint n;

  g_return_if_fail (UPG_IS_WINDOW (self));

  show_all_rows (self);
  model = G_LIST_MODEL (self->filter_model);
  n = g_list_model_get_n_items (model);
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (model, i);
          if (item == G_OBJECT (project))
            {
              gtk_single_selection_set_selected (self->selection, i);
              scroll_to_position (self->project_list, i);
              return;
            }
        }
      /* Hidden by the search: clear it and look again. */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      search_changed_cb (self);
      n = g_list_model_get_n_items (model);
    }
}

const char *
upg_store_address (UpgStore *store)
{
  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  return upg_store_is_server (store) ? upg_store_get_uri (store) : upg_store_get_path (store);
}

void
upg_window_add_toast (UpgWindow  *self,
                      const char *message)
{
  g_return_if_fail (UPG_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (message));
}

UpgStore *
upg_window_get_store (UpgWindow *self)
{
  g_return_val_if_fail (UPG_IS_WINDOW (self), NULL);
  return self->store;
}

UpgProject *
upg_window_get_project (UpgWindow *self)
{
  g_return_val_if_fail (UPG_IS_WINDOW (self), NULL);
  return self->project;
}

void
upg_window_show_section (UpgWindow  *self,
                         const char *name)
{
  g_return_if_fail (UPG_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static void
show_section_cb (UpgWindow  *self,
                 const char *section)
{
  upg_window_show_section (self, section);
}

/* A link to a record (an open risk on the Overview): the section that
 * shows such records opens it. */
static void
show_record_cb (UpgWindow *self,
                UpgRecord *record)
{
  for (guint i = 0; i < UPG_N_SECTIONS; i++)
    {
      if (sections[i].show_record == NULL)
        continue;
      adw_view_stack_set_visible_child_name (self->view_stack, sections[i].name);
      sync_visible_page (self);
      if (sections[i].show_record (self->pages[i], record))
        return;
    }
}

/* Projects ------------------------------------------------------------- */

UpgProject *
upg_window_create_project (UpgWindow   *self,
                           const char  *name,
                           const char  *kind,
                           GError     **error)
{
  g_autoptr(UpgProject) project = NULL;

  g_return_val_if_fail (UPG_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  project = upg_defaults_new_project (name, kind);
  {
    g_autofree char *thresholds = upg_preferences_new_project_thresholds ();
    g_autoptr(GTimeZone) local = g_time_zone_new_local ();
    const char *zone = g_time_zone_get_identifier (local);

    upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_RISK_THRESHOLDS, thresholds);
    /* The team works in the zone of whoever plans it, until they say otherwise. */
    if (zone != NULL && upg_check_time_zone (zone, NULL))
      upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_TIME_ZONE, zone);
  }
  if (!upg_store_insert (self->store, NULL, UPG_RECORD (project), -1, error))
    return NULL;
  upg_window_select_project (self, project);
  upg_window_show_section (self, "overview");
  /* A new project is all details to fill in. */
  if (self->overview_page != NULL)
    upg_overview_page_show_details (self->overview_page, TRUE);
  return project;
}

static guint
count_children (UpgProject      *project,
                const UpgEntity *entity)
{
  GListModel *children = upg_record_get_children (UPG_RECORD (project), entity);
  return children != NULL ? g_list_model_get_n_items (children) : 0;
}

/* What deleting @project takes with it, in a sentence. */
static char *
describe_project_contents (UpgProject *project)
{
  guint milestones = count_children (project, &upg_entity_milestone);
  guint risks = count_children (project, &upg_entity_risk);
  guint members = count_children (project, &upg_entity_member);
  guint steps = count_children (project, &upg_entity_sop_step);
  g_autofree char *m = g_strdup_printf (ngettext ("%u milestone", "%u milestones", milestones), milestones);
  g_autofree char *r = g_strdup_printf (ngettext ("%u risk", "%u risks", risks), risks);
  g_autofree char *t = g_strdup_printf (ngettext ("%u team member", "%u team members", members), members);
  g_autofree char *c = g_strdup_printf (ngettext ("%u checklist step", "%u checklist steps", steps), steps);

  /* TRANSLATORS: the body of the delete confirmation; the %s are counts
   * ("5 milestones", "3 risks", "2 team members", "12 checklist steps") */
  return g_strdup_printf (_("It holds %s, %s, %s and %s. You can undo the deletion until you close the notice."),
                          m, r, t, c);
}

static void
undo_reselect_cb (AdwToast  *toast,
                  UpgWindow *self)
{
  UpgProject *project = g_object_get_data (G_OBJECT (toast), "upg-project");

  if (project != NULL && store_has_project (self, project))
    upg_window_select_project (self, project);
}

/* Deletes @project now, with an Undo that stays until dismissed. */
static void
delete_project_now (UpgWindow  *self,
                    UpgProject *project)
{
  g_autofree char *message = NULL;
  AdwToast *toast;

  /* TRANSLATORS: a toast; %s is a project's name */
  message = g_strdup_printf (_("Project “%s” deleted"), upg_project_get_name (project));
  toast = upg_delete_with_undo_toast (GTK_WIDGET (self->toast_overlay), self->store, UPG_RECORD (project), message);
  if (toast == NULL)
    return;
  adw_toast_set_timeout (toast, 0);
  g_object_set_data_full (G_OBJECT (toast), "upg-project", g_object_ref (project), g_object_unref);
  /* After the undo itself (connected first): open the project again. */
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_reselect_cb), self, G_CONNECT_AFTER);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    UpgWindow        *self)
{
  UpgProject *project = g_object_get_data (G_OBJECT (dialog), "upg-project");

  if (g_str_equal (response, "delete") && project != NULL && store_has_project (self, project))
    delete_project_now (self, project);
}

GtkWindow *
upg_window_delete_project (UpgWindow *self)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (UPG_IS_WINDOW (self), NULL);
  if (self->project == NULL)
    return NULL;

  /* TRANSLATORS: the heading of the delete confirmation; %s is a project's name */
  heading = g_strdup_printf (_("Delete “%s”?"), upg_project_get_name (self->project));
  body = describe_project_contents (self->project);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  gtk_widget_set_name (dialog, "delete-project-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  /* Enter and Escape keep the project. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "upg-project", g_object_ref (self->project), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

typedef struct {
  UpgWindow  *window;
  GtkWidget  *name_row;
  GtkWidget  *kind_row;
} NewProjectDialog;

static void
new_project_name_changed_cb (GtkEditable      *editable,
                             AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  adw_message_dialog_set_response_enabled (dialog, "create", *name != '\0');
}

static void
new_project_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         NewProjectDialog *data)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  guint kind;

  if (!g_str_equal (response, "create"))
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->name_row))));
  if (*name == '\0')
    return;
  kind = adw_combo_row_get_selected (ADW_COMBO_ROW (data->kind_row));
  if (upg_window_create_project (data->window, name,
                                 kind < upg_enum_count (upg_project_kinds) ? upg_project_kinds[kind] : NULL,
                                 &error) == NULL)
    adw_toast_overlay_add_toast (data->window->toast_overlay, upg_toast_new (error->message));
}

static void
name_activate_cb (GtkWidget        *row,
                  AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "create"))
    {
      adw_message_dialog_response (dialog, "create");
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

static void
new_project_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  UpgWindow *self = UPG_WINDOW (widget);
  GtkWidget *dialog, *group, *name_row, *kind_row;
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  NewProjectDialog *data;

  for (guint i = 0; upg_project_kinds[i] != NULL; i++)
    gtk_string_list_append (kinds, upg_enum_label (upg_project_kinds, upg_project_kinds[i]));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("New Project"),
                                   _("The project starts with the standard milestones and checklist."));
  group = adw_preferences_group_new ();
  name_row = adw_entry_row_new ();
  gtk_widget_set_name (name_row, "new-project-name");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name_row), _("Name"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (name_row), FALSE);
  kind_row = adw_combo_row_new ();
  gtk_widget_set_name (kind_row, "new-project-kind");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (kind_row), _("Kind"));
  adw_combo_row_set_model (ADW_COMBO_ROW (kind_row), G_LIST_MODEL (kinds));
  upg_combo_row_name_items (ADW_COMBO_ROW (kind_row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind_row), upg_enum_index (upg_project_kinds, "feature"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), name_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), kind_row);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), group);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "create", _("C_reate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "create", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (NewProjectDialog, 1);
  data->window = self;
  data->name_row = name_row;
  data->kind_row = kind_row;
  g_signal_connect (name_row, "changed", G_CALLBACK (new_project_name_changed_cb), dialog);
  g_signal_connect (name_row, "entry-activated", G_CALLBACK (name_activate_cb), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (new_project_response_cb), data,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (name_row);
}

static void
delete_project_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  upg_window_delete_project (UPG_WINDOW (widget));
}

/* ---- The report and the insights (upg-retro-export.c, upg-insights-view.c) ---- */

static void
print_report_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  UpgWindow *self = UPG_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->project != NULL && !upg_retro_print (GTK_WINDOW (self), self->store, self->project, "report", &error))
    upg_show_toast (widget, error->message);
}

static void
insights_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  UpgWindow *self = UPG_WINDOW (widget);

  gtk_window_present (upg_insights_window_new (GTK_WINDOW (self), self->store));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  UpgWindow *self = UPG_WINDOW (widget);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  UpgWindow *self = UPG_WINDOW (widget);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Files ---------------------------------------------------------------- */

void
upg_show_error_dialog (GtkWindow      *parent,
                       GtkApplication *application,
                       const char     *heading,
                       const GError   *error)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  if (application != NULL)
    gtk_window_set_application (GTK_WINDOW (dialog), application);
  gtk_window_set_modal (GTK_WINDOW (dialog), parent != NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GArray *
import_add (UpgStore *store, gpointer data, GError **error)
{
  GArray *ids = NULL;

  return upg_plan_import_file (store, data, &ids, error) ? ids : NULL;
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(UpgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = upg_store_add_projects_finish (UPG_STORE (source), result, &error);
  g_autofree char *message = NULL;

  if (ids == NULL)
    {
      upg_show_error_dialog (GTK_WINDOW (self), NULL, _("Could Not Import the Plan"), error);
      return;
    }
  message = g_strdup_printf (ngettext ("Imported %u project", "Imported %u projects", ids->len), ids->len);
  adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (message));
  if (ids->len > 0 && UPG_STORE (source) == self->store)
    {
      g_autoptr(UpgProject) project = upg_store_lookup_project (self->store, g_array_index (ids, gint64, 0), NULL);
      if (project != NULL)
        upg_window_select_project (self, project);
    }
}

/* Imports @file's plan (in the store's thread on a team server); the
 * window says how it went, and shows the first project imported. */
void
upg_window_import_file (UpgWindow *self,
                        GFile     *file)
{
  g_return_if_fail (UPG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  upg_store_add_projects_async (self->store, import_add, g_object_ref (file), g_object_unref, NULL,
                                imported_cb, g_object_ref (self));
}

/* Publish to Team Server: the open plan file's plan document (export
 * plan) imported into a server with --replace (projects whose uid is
 * there already are replaced, the others added), in a thread. */
static void
publish_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  UpgStore *server = source_object;
  g_autoptr(GArray) ids = NULL;
  GError *error = NULL;

  /* The store is this task's alone: no window watches it yet. */
  if (!upg_plan_import_with_flags (server, task_data, -1, UPG_PLAN_IMPORT_REPLACE, &ids, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, ids->len);
}

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(UpgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  g_autofree char *message = NULL;

  if (n < 0)
    /* TRANSLATORS: a toast; %s says why */
    message = g_strdup_printf (_("Could not publish the plan: %s"), error->message);
  else
    /* TRANSLATORS: a toast; %u is a number of projects, %s the team
     * server ("plans on db.example.com") */
    message = g_strdup_printf (ngettext ("Published %u project to %s", "Published %u projects to %s", n),
                               (guint) n, upg_store_get_location (UPG_STORE (source)));
  adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (message));
}

static void
publish_connected_cb (UpgConnectDialog *dialog,
                      UpgStore         *server,
                      const char       *notice,
                      UpgWindow        *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *document = upg_plan_export (self->store, 0, &error);
  g_autoptr(GTask) task = NULL;

  if (notice != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (notice));
  if (document == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not publish the plan: %s"), error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (message));
      return;
    }
  task = g_task_new (server, NULL, published_cb, g_object_ref (self));
  g_task_set_source_tag (task, publish_connected_cb);
  g_task_set_task_data (task, g_steal_pointer (&document), g_free);
  g_task_run_in_thread (task, publish_thread);
}

GtkWindow *
upg_window_publish (UpgWindow *self)
{
  UpgConnectDialog *dialog;

  g_return_val_if_fail (UPG_IS_WINDOW (self), NULL);

  /* An empty database becomes a plan. */
  dialog = upg_connect_dialog_new (GTK_WINDOW (self), UPG_STORE_OPEN_CREATE);
  upg_connect_dialog_set_purpose (dialog, _("Publish to Team Server"), _("_Publish"));
  g_signal_connect_object (dialog, "connected", G_CALLBACK (publish_connected_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  upg_window_publish (UPG_WINDOW (widget));
}

static void
import_sample_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri ("resource:///io/github/upgrade_planner/UpgradePlanner/sample-plan.json");
  upg_window_import_file (UPG_WINDOW (widget), file);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern,
            const char     *mime)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, name);
  if (pattern != NULL)
    gtk_file_filter_add_pattern (filter, pattern);
  if (mime != NULL)
    gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_chooser_add_filter (chooser, filter);
}

static gboolean export_to (UpgWindow *self, const char *kind, const char *format, UpgCsvForm csv_form,
                           gboolean whole_file, GFile *file);

static void
chooser_response_cb (GtkNativeDialog *native,
                     int              response,
                     UpgWindow       *self)
{
  const char *what = g_object_get_data (G_OBJECT (native), "upg-what");
  g_autoptr(GFile) file = NULL;
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  if (file == NULL)
    goto out;

  if (g_str_equal (what, "open"))
    upg_application_open_path (UPG_APPLICATION (app), g_file_peek_path (file), FALSE);
  else if (g_str_equal (what, "new-file"))
    upg_application_open_path (UPG_APPLICATION (app), g_file_peek_path (file), TRUE);
  else if (g_str_equal (what, "import"))
    upg_window_import_file (self, file);
  else
    export_to (self, g_object_get_data (G_OBJECT (native), "upg-kind"),
               g_object_get_data (G_OBJECT (native), "upg-format"),
               upg_csv_choice_get (GTK_FILE_CHOOSER (native)),
               g_str_equal (what, "export") || g_str_equal (what, "save-copy"), file);
out:
  g_clear_object (&self->chooser);
}

static void
file_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  UpgWindow *self = UPG_WINDOW (widget);
  const char *what = action_name + strlen ("win.");
  GtkFileChooserAction mode = GTK_FILE_CHOOSER_ACTION_OPEN;
  const char *title, *accept;

  if (g_str_equal (what, "open"))
    title = _("Open Plan File"), accept = _("_Open");
  else if (g_str_equal (what, "new-file"))
    title = _("New Plan File"), accept = _("_Create"), mode = GTK_FILE_CHOOSER_ACTION_SAVE;
  else if (g_str_equal (what, "import"))
    title = _("Import Plan"), accept = _("_Import");
  else if (g_str_equal (what, "save-copy"))
    title = _("Save a Copy"), accept = _("_Save"), mode = GTK_FILE_CHOOSER_ACTION_SAVE;
  else
    title = _("Export Plan"), accept = _("_Export"), mode = GTK_FILE_CHOOSER_ACTION_SAVE;

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), mode, accept, _("_Cancel"));
  g_object_set_data_full (G_OBJECT (self->chooser), "upg-what", g_strdup (what), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (g_str_equal (what, "open") || g_str_equal (what, "new-file"))
    add_filter (GTK_FILE_CHOOSER (self->chooser), _("Plan files"), "*.upgplan", NULL);
  else
    add_filter (GTK_FILE_CHOOSER (self->chooser), _("JSON plans"), "*.json", "application/json");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("All files"), "*", NULL);

  if (g_str_equal (what, "new-file"))
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("Upgrade plans.upgplan"));
  else if (mode == GTK_FILE_CHOOSER_ACTION_SAVE)
    {
      g_autofree char *name = NULL;
      if (g_str_equal (what, "export-project") && self->project != NULL)
        name = g_strdup_printf ("%s.json", upg_project_get_name (self->project));
      else
        name = g_strdup (_("plan.json"));
      g_strdelimit (name, "/\\", '-');
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* An export: what to write, and where. */
typedef struct {
  char             *kind;
  char             *format;
  char             *paper;
  UpgCsvForm        csv_form;
  gint64            project_id;   /* 0: the whole plan */
  char             *path;
  char             *base;         /* the file's name, for the toast */
} Export;

static void
export_free (gpointer data)
{
  Export *e = data;

  g_free (e->kind);
  g_free (e->format);
  g_free (e->paper);
  g_free (e->path);
  g_free (e->base);
  g_free (e);
}

/* Runs on @store: the window's own (a file), or the thread's (a server). */
static gpointer
export_read (UpgStore  *store,
             gpointer   data,
             GError   **error)
{
  Export *e = data;
  UpgExportOptions options = { .format = e->format, .paper = e->paper, .csv_form = e->csv_form };
  g_autoptr(GBytes) bytes = upg_export_run (store, e->kind, e->project_id, &options, error);

  if (bytes == NULL)
    return NULL;
  if (e->path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Choose a file on this computer."));
      return NULL;
    }
  if (!upg_output_write_file (e->path, bytes, upg_store_get_path (store), error))
    return NULL;
  return g_strdup (e->base);
}

static gboolean
export_said (UpgWindow *self, char *base, GError *error)
{
  g_autofree char *message = NULL;

  if (base == NULL)
    /* TRANSLATORS: a toast; %s says why */
    message = g_strdup_printf (_("Could not export: %s"), error->message);
  else
    /* TRANSLATORS: a toast; %s is a file name */
    message = g_strdup_printf (_("Exported to %s"), base);
  adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (message));
  g_free (base);
  return error == NULL;
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char *base = upg_store_read_finish (UPG_STORE (source), result, &error);

  if (base == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is gone */
  export_said (user_data, base, error);
}

/* The one way the window writes a file: core's export table (the command
 * line's), for the open project unless @whole_file, then a toast. From a
 * server the plan is read, and the file written, in the store's thread:
 * TRUE then says it began, and the toast says how it ended. */
static gboolean
export_to (UpgWindow  *self,
           const char *kind,
           const char *format,
           UpgCsvForm  csv_form,
           gboolean    whole_file,
           GFile      *file)
{
  Export *e = g_new0 (Export, 1);
  g_autoptr(GError) error = NULL;
  char *base;

  e->kind = g_strdup (kind != NULL ? kind : "plan");
  e->format = g_strdup (format);
  /* Letter in the Americas' locales, A4 elsewhere. */
  e->paper = g_strdup (g_str_equal (gtk_paper_size_get_default (), GTK_PAPER_NAME_LETTER) ? "letter" : "a4");
  e->csv_form = csv_form;
  if (!whole_file && self->project != NULL)
    e->project_id = upg_record_get_id (UPG_RECORD (self->project));
  e->path = g_file_get_path (file);
  e->base = g_file_get_basename (file);
  if (upg_store_is_server (self->store))
    {
      upg_store_read_async (self->store, export_read, e, export_free, g_free, self->loading_cancel,
                            exported_cb, self);
      return TRUE;
    }
  base = export_read (self->store, e, &error);
  export_free (e);
  return export_said (self, base, error);
}

gboolean
upg_window_export (UpgWindow  *self,
                   const char *kind,
                   const char *format,
                   gboolean    whole_file,
                   GFile      *file)
{
  g_return_val_if_fail (UPG_IS_WINDOW (self), FALSE);
  return export_to (self, kind, format, UPG_CSV_SPREADSHEET, whole_file, file);
}

/* win.export-file ("(ss)": an export kind of core's table and its format):
 * asks where, then exports the open project. The sections' Export menus
 * use it. */
static void
export_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  UpgWindow *self = UPG_WINDOW (widget);
  const char *kind, *format;
  const UpgExportKind *k;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_variant_get (parameter, "(&s&s)", &kind, &format);
  k = upg_export_lookup (kind);
  if (k == NULL || !g_strv_contains (k->formats, format) || (k->needs_project && self->project == NULL))
    return;

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  g_object_set_data_full (G_OBJECT (self->chooser), "upg-what", g_strdup ("export-file"), g_free);
  g_object_set_data_full (G_OBJECT (self->chooser), "upg-kind", g_strdup (kind), g_free);
  g_object_set_data_full (G_OBJECT (self->chooser), "upg-format", g_strdup (format), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_add_suffix (filter, upg_export_suffix (format) + 1);
  gtk_file_filter_set_name (filter, upg_export_suffix (format));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  /* TRANSLATORS: a suggested file name: the project's name and what the file
   * holds ("plan", "risks", "sop"), e.g. "Billing 4.2 risks.csv" */
  name = g_strdup_printf (_("%s %s%s"), self->project ? upg_project_get_name (self->project) : _("Upgrade plans"),
                          kind, upg_export_suffix (format));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  if (g_str_equal (format, "csv"))
    upg_csv_choice_add (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
update_recent_menu (UpgWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-files");

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; recent[i] != NULL && i < 8; i++)
    {
      g_autofree char *base = g_path_get_basename (recent[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (base, NULL);
      g_menu_item_set_action_and_target_value (item, "app.open-file", g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_menu, item);
    }
  if (recent[0] == NULL)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Files"), "app.no-recent");
      g_menu_append_item (self->recent_menu, item);
    }
}

/* A lost team server --------------------------------------------------
 *
 * The store reports a lost connection (a write that failed, or reading
 * again after the server went away) as UPG_STORE_ERROR_CONNECTION: a bar
 * says so with Retry. Every failed change is still told in a toast. */

/* While the bar is shown, nothing offers to change the plan, as for a
 * read-only plan, nor to read it (Save a Copy, the exports): nothing is
 * tried and refused one by one. */
static void
lost_bar_changed_cb (UpgWindow *self)
{
  update_editable (self);
}

static void
hide_lost_bar (UpgWindow *self)
{
  g_clear_handle_id (&self->auto_retry_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->lost_revealer, FALSE);
}

static void retry_clicked_cb (UpgWindow *self);

/* While the bar shows, the window connects again by itself every few
 * seconds (in a thread), as if Retry were pressed. */
static gboolean
auto_retry_cb (gpointer data)
{
  UpgWindow *self = data;

  retry_clicked_cb (self);
  return G_SOURCE_CONTINUE;
}

static void
write_failed_cb (UpgStore     *store,
                 const GError *error,
                 UpgWindow    *self)
{
  /* TRANSLATORS: a toast; %s says why */
  g_autofree char *message = g_strdup_printf (_("Could not save the change: %s"), error->message);

  if (g_error_matches (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION))
    {
      /* The bar says it, with why and what became of the change ("nothing
       * was changed", "the change was not saved"): no toast on top of it,
       * which would say "save" when it was a read that failed. */
      gtk_label_set_text (self->lost_detail, error->message);
      gtk_revealer_set_reveal_child (self->lost_revealer, TRUE);
      if (self->auto_retry_id == 0)
        self->auto_retry_id = g_timeout_add_seconds (AUTO_RETRY_SECONDS, auto_retry_cb, self);
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (message));
}

static void
reconnected_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(UpgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = upg_store_reconnect_finish (UPG_STORE (source), result, &error);

  /* The window was closed meanwhile. */
  if (g_cancellable_is_cancelled (self->reconnecting))
    {
      g_clear_object (&self->reconnecting);
      return;
    }
  g_clear_object (&self->reconnecting);
  gtk_spinner_stop (self->lost_spinner);
  gtk_widget_set_sensitive (self->retry_button, TRUE);
  if (!ok)
    {
      gtk_label_set_text (self->lost_detail, error->message);
      return;
    }
  hide_lost_bar (self);
  adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (_("Connected to the team server again")));
}

/* Connects again in a thread (the window stays responsive while the
 * network waits); the plan is read again once connected. */
static void
retry_clicked_cb (UpgWindow *self)
{
  if (self->reconnecting != NULL)
    return;
  self->reconnecting = g_cancellable_new ();
  gtk_widget_set_sensitive (self->retry_button, FALSE);
  gtk_spinner_start (self->lost_spinner);
  upg_store_reconnect_async (self->store, self->reconnecting, reconnected_cb, g_object_ref (self));
}

/* Benchmark hook: UPG_BENCH_EXIT_ON_MAP=1 prints when the first frame is
 * drawn ("mapped"), when a frame shows the Overview filled in ("content"),
 * and when a frame shows the project list with every project ("list": the
 * rest of the list comes in an idle callback after the content), then
 * quits. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      UpgWindow     *self)
{
  if (self->bench_done)
    return;
  if (!self->bench_mapped)
    {
      self->bench_mapped = TRUE;
      g_print ("UPG_BENCH mapped %" G_GINT64_FORMAT "\n", g_get_real_time ());
    }
  if (!self->bench_content)
    {
      if (self->project != NULL && !upg_overview_page_is_complete (self->overview_page))
        return;
      self->bench_content = TRUE;
      g_print ("UPG_BENCH content %" G_GINT64_FORMAT "\n", g_get_real_time ());
    }
  if (self->first_rows != NULL && gtk_slice_list_model_get_size (self->first_rows) != G_MAXUINT)
    {
      /* Not yet: draw again once the idle callback gave the list the rest. */
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
      return;
    }
  self->bench_done = TRUE;
  g_print ("UPG_BENCH list %" G_GINT64_FORMAT "\n", g_get_real_time ());
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

/* Built when first opened, not with every window: the menus' popovers, the
 * narrow window's switcher bar and the status pages. */
static void
create_menu_popup (GtkMenuButton *button,
                   gpointer       user_data)
{
  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, G_MENU_MODEL (user_data));
}

/* The narrow window's section bar ----------------------------------------
 *
 * When the header bar has no room for the view switcher, a bar under the
 * sections holds them. Where the bar has room (a window of 1000 px or more
 * beside the project list) it shows every section, one click away; where
 * it has not (360 px) the GNOME HIG keeps a view switcher bar to a few views
 * with short labels: the sections of the day (Overview, Milestones, Risks,
 * Checklist) and "More" for the others, so no label is cut short. An
 * AdwSqueezer shows the first of the two that fits at its natural width. */

static void
sync_buttons (UpgWindow  *self,
              GtkWidget **buttons,
              const char *name)
{
  for (guint i = 0; i < UPG_N_SECTIONS; i++)
    {
      if (buttons[i] == NULL)
        continue;
      g_signal_handlers_block_matched (buttons[i], G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (buttons[i]), g_strcmp0 (sections[i].name, name) == 0);
      g_signal_handlers_unblock_matched (buttons[i], G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
}

static void
sync_section_bar (UpgWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  int current = section_index (name);

  if (self->switcher_bar == NULL)
    return;
  sync_buttons (self, self->bar_buttons, name);
  sync_buttons (self, self->full_buttons, name);
  if (current >= 0 && sections[current].secondary)
    gtk_widget_add_css_class (self->more_button, "upg-section-current");
  else
    gtk_widget_remove_css_class (self->more_button, "upg-section-current");
}

static void
bar_button_toggled_cb (GtkToggleButton *button,
                       UpgWindow       *self)
{
  if (gtk_toggle_button_get_active (button))
    upg_window_show_section (self, g_object_get_data (G_OBJECT (button), "upg-section"));
  else
    sync_section_bar (self);
}

static GtkWidget *
bar_content (const char *icon_name,
             const char *label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *text = gtk_label_new (label);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  gtk_widget_add_css_class (text, "caption-heading");
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

static GtkWidget *
section_bar_new (void)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (bar, "upg-section-bar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sections"), -1);
  return bar;
}

static GtkWidget *
section_button_new (UpgWindow *self,
                    guint      i)
{
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_button_set_child (GTK_BUTTON (button), bar_content (sections[i].icon_name, _(sections[i].title)));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_hexpand (button, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _(sections[i].title), -1);
  g_object_set_data (G_OBJECT (button), "upg-section", (gpointer) sections[i].name);
  g_signal_connect (button, "toggled", G_CALLBACK (bar_button_toggled_cb), self);
  return button;
}

static void
build_section_bar (UpgWindow *self)
{
  GtkWidget *compact = section_bar_new ();
  GtkWidget *full = section_bar_new ();
  GtkWidget *squeezer = adw_squeezer_new ();
  g_autoptr(GMenu) more = g_menu_new ();

  /* Not homogeneous: each button as wide as its label needs, the room
   * left shared out, so "Milestones" fits at 360 px. */
  gtk_widget_set_name (compact, "section-bar");
  gtk_widget_set_name (full, "section-bar-full");
  for (guint i = 0; i < UPG_N_SECTIONS; i++)
    {
      self->full_buttons[i] = section_button_new (self, i);
      gtk_box_append (GTK_BOX (full), self->full_buttons[i]);
      if (sections[i].secondary)
        {
          g_autoptr(GMenuItem) item = g_menu_item_new (_(sections[i].title), NULL);
          g_menu_item_set_action_and_target_value (item, "win.show-section", g_variant_new_string (sections[i].name));
          g_menu_append_item (more, item);
          continue;
        }
      self->bar_buttons[i] = section_button_new (self, i);
      gtk_box_append (GTK_BOX (compact), self->bar_buttons[i]);
    }
  self->more_button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->more_button), bar_content ("view-more-symbolic", _("More")));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->more_button), G_MENU_MODEL (more));
  gtk_menu_button_set_direction (GTK_MENU_BUTTON (self->more_button), GTK_ARROW_UP);
  gtk_widget_add_css_class (self->more_button, "flat");
  gtk_widget_set_hexpand (self->more_button, TRUE);
  /* Its name says what it holds; no tooltip that would repeat it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->more_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("More Sections"), -1);
  gtk_box_append (GTK_BOX (compact), self->more_button);

  /* Every section when they fit at their natural width, else the compact
   * bar; no cross-fade, as a view switcher title changes. */
  adw_squeezer_set_switch_threshold_policy (ADW_SQUEEZER (squeezer), ADW_FOLD_THRESHOLD_POLICY_NATURAL);
  adw_squeezer_set_transition_type (ADW_SQUEEZER (squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  adw_squeezer_set_homogeneous (ADW_SQUEEZER (squeezer), FALSE);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), full);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), compact);

  /* In a scrolled window without scroll bars, so a window too short for
   * everything clips the bar rather than squeezing its buttons. */
  self->switcher_bar = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->switcher_bar), GTK_POLICY_NEVER, GTK_POLICY_EXTERNAL);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->switcher_bar), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->switcher_bar), squeezer);
  gtk_revealer_set_child (self->switcher_revealer, self->switcher_bar);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name", G_CALLBACK (sync_section_bar),
                           self, G_CONNECT_SWAPPED);
  sync_section_bar (self);
}

static void
switcher_title_visible_cb (UpgWindow *self)
{
  gboolean narrow = adw_view_switcher_title_get_title_visible (self->switcher_title);

  if (narrow && self->switcher_bar == NULL)
    build_section_bar (self);
  /* Hidden, not only folded away: a collapsed revealer would squeeze the
   * bar's buttons to no height. */
  if (self->switcher_bar != NULL)
    gtk_widget_set_visible (self->switcher_bar, narrow);
}

static void
show_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  upg_window_show_section (UPG_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* The Keyboard Shortcuts window, built the first time it is asked for (not
 * at the base path "gtk/help-overlay.ui", where GTK would build it with
 * every window). */
static void
shortcuts_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  UpgWindow *self = UPG_WINDOW (widget);

  if (self->shortcuts == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/upgrade_planner/UpgradePlanner/upg-shortcuts.ui");
      self->shortcuts = GTK_WINDOW (g_object_ref (gtk_builder_get_object (builder, "help_overlay")));
      gtk_window_set_transient_for (self->shortcuts, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->shortcuts, TRUE);
    }
  gtk_window_present (self->shortcuts);
}

static void
upg_window_map (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  /* Connected before the children map, so these run first after a paint. */
  if (g_getenv ("UPG_BENCH_EXIT_ON_MAP") != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), widget, 0);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (first_frame_cb), widget, 0);

  GTK_WIDGET_CLASS (upg_window_parent_class)->map (widget);
}

static gboolean
upg_window_close_request (GtkWindow *window)
{
  UpgWindow *self = UPG_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (self->store != NULL)
    g_settings_set_string (self->settings, "last-file", upg_store_address (self->store));
  return GTK_WINDOW_CLASS (upg_window_parent_class)->close_request (window);
}

/* Construction ----------------------------------------------------------- */

/* The store read its project list again: keep the same project on screen
 * (its pages are rebuilt from the new record). */
static void
changed_externally_cb (UpgWindow *self)
{
  /* Read again from the server: the connection works (again). */
  if (self->reconnecting == NULL)
    hide_lost_bar (self);
  gint64 id = self->project ? upg_record_get_id (UPG_RECORD (self->project)) : 0;
  GListModel *projects = upg_store_get_projects (self->store);
  guint n = g_list_model_get_n_items (projects);

  for (guint i = 0; id != 0 && i < n; i++)
    {
      g_autoptr(UpgProject) project = g_list_model_get_item (projects, i);
      if (upg_record_get_id (UPG_RECORD (project)) == id)
        {
          if (project != self->project)
            {
              upg_window_select_project (self, project);
              show_project (self, project);
            }
          return;
        }
    }
  show_project (self, gtk_single_selection_get_selected_item (self->selection));
}

/* The project that was open last in this file, else the first one. */
static void
select_first_project (UpgWindow *self)
{
  g_autofree char *path = NULL;
  gint64 id = 0;
  GListModel *projects = upg_store_get_projects (self->store);
  guint n = g_list_model_get_n_items (projects);

  g_settings_get (self->settings, "last-project", "(sx)", &path, &id);
  if (id > 0 && g_strcmp0 (path, upg_store_address (self->store)) == 0)
    {
      g_autoptr(UpgRecord) last = upg_record_list_find (projects, id);
      if (last != NULL)
        {
          upg_window_select_project (self, UPG_PROJECT (last));
          /* A narrow window opens on the project, as it was left. */
          adw_leaflet_set_visible_child (self->leaflet, self->content);
          return;
        }
    }
  if (n > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  else
    show_project (self, NULL);
}

/* A file the user cannot write, or a team server whose role may only
 * read, opens to read and export: the title says so and nothing offers to
 * change it. */
static void
set_read_only (UpgWindow  *self,
               const char *base)
{
  /* TRANSLATORS: the window's subtitle; %s is the plan file's name (or
   * the team server and role: "plans on db.example.com · role pm") */
  g_autofree char *subtitle = g_strdup_printf (_("%s (read-only)"), base);
  g_autofree char *message = NULL;

  adw_window_title_set_subtitle (self->window_title, subtitle);
  update_editable (self);
  if (upg_store_is_server (self->store))
    /* TRANSLATORS: a toast; %s is a database role */
    message = g_strdup_printf (_("The role “%s” may only read this plan: you can read and export it, not change it"),
                               upg_store_get_role (self->store));
  else
    message = g_strdup (_("This plan file is read-only: you can read and export it, not change it"));
  adw_toast_overlay_add_toast (self->toast_overlay, upg_toast_new (message));
}

/* What the title says under the app's name: the file's name, or the
 * team server and the role the window acts as. */
static char *
location_subtitle (UpgStore *store)
{
  if (upg_store_is_server (store))
    /* TRANSLATORS: the window's subtitle on a team server: "plans on
     * db.example.com · role pm" (a database and its host, then a
     * database role) */
    return g_strdup_printf (_("%s · role %s"), upg_store_get_location (store), upg_store_get_role (store));
  return g_path_get_basename (upg_store_get_path (store));
}

static void
upg_window_constructed (GObject *object)
{
  UpgWindow *self = UPG_WINDOW (object);
  g_autofree char *base = NULL;
  GtkListItemFactory *factory;
  GtkExpression *expression;

  G_OBJECT_CLASS (upg_window_parent_class)->constructed (object);
  g_assert (self->store != NULL);

  base = location_subtitle (self->store);
  adw_window_title_set_subtitle (self->window_title, base);
  update_editable (self);
  if (upg_store_is_read_only (self->store))
    set_read_only (self, base);
  /* A call never waits on a lost server's network: it fails at once,
   * and the lost-connection bar connects again in a thread. */
  upg_store_set_reconnect_on_use (self->store, FALSE);
  /* Nor on a slow one: fields are written, and others' changes read, in
   * a thread. */
  if (upg_store_is_server (self->store))
    upg_store_set_work_in_thread (self->store, TRUE);
  g_signal_connect_object (self->store, "write-failed", G_CALLBACK (write_failed_cb), self, 0);
  g_signal_connect_object (self->lost_revealer, "notify::reveal-child", G_CALLBACK (lost_bar_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* The command line (sop check, import…) or another program may change
   * the file while the window is open: show it. */
  g_signal_connect_object (self->store, "changed-externally", G_CALLBACK (changed_externally_cb), self,
                           G_CONNECT_SWAPPED);
  upg_store_watch_external_changes (self->store, 1000);

  expression = gtk_property_expression_new (UPG_TYPE_PROJECT, NULL, "name");
  self->filter = gtk_string_filter_new (expression);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (upg_store_get_projects (self->store)),
                                                  GTK_FILTER (g_object_ref (self->filter)));
  /* GTK 4.8's list view builds up to 200 rows at once, whatever fits on
   * screen. Offer it the rows a first frame can show, and the rest right
   * after that frame (show_all_rows). */
  {
    int width, height;
    gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
    if (gtk_window_is_maximized (GTK_WINDOW (self)) || height <= 0)
      height = 2160;
    /* The list sits under a header bar and the search entry. */
    self->first_rows = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)), 0,
                                                 MAX (height - LIST_TOP, 0) / MIN_ROW_HEIGHT + 1);
  }
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->first_rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  /* Made with autoselect on, it chose the first row: select_first_project()
   * chooses. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->filter_model, "items-changed", G_CALLBACK (filter_items_changed_cb), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (sync_visible_page), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->project_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->project_list, GTK_SELECTION_MODEL (self->selection));

  select_first_project (self);
  filter_items_changed_cb (self);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_revealer), self->project != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_title), self->project != NULL);
  gtk_widget_set_visible (self->project_menu_button, self->project != NULL);
  if (self->project == NULL && self->loading == NULL)
    show_empty_content (self);
  if (self->project == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
upg_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  UpgWindow *self = UPG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UpgWindow *self = UPG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_window_dispose (GObject *object)
{
  UpgWindow *self = UPG_WINDOW (object);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_handle_id (&self->auto_retry_id, g_source_remove);
  if (self->reconnecting != NULL)
    g_cancellable_cancel (self->reconnecting);
  if (self->loading_cancel != NULL)
    g_cancellable_cancel (self->loading_cancel);
  g_clear_object (&self->loading_cancel);
  g_clear_object (&self->loading);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);
  if (self->shortcuts != NULL)
    gtk_window_destroy (self->shortcuts);
  g_clear_object (&self->shortcuts);
  g_clear_object (&self->selection);
  g_clear_object (&self->first_rows);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  if (self->title_binding != NULL)
    g_binding_unbind (g_steal_pointer (&self->title_binding));
  g_clear_object (&self->project);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (upg_window_parent_class)->dispose (object);
}

static void
upg_window_class_init (UpgWindowClass *klass)
{
  /* The resources live in a static library: referencing them links them in
   * (their constructor registers them). */
  (void) upg_get_resource ();

  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = upg_window_constructed;
  object_class->dispose = upg_window_dispose;
  object_class->set_property = upg_window_set_property;
  object_class->get_property = upg_window_get_property;
  widget_class->map = upg_window_map;
  window_class->close_request = upg_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, UPG_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, lost_revealer);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, lost_detail);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, lost_spinner);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, project_list);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, content);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, switcher_revealer);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, project_menu_button);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, project_menu);
  gtk_widget_class_bind_template_child (widget_class, UpgWindow, recent_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, project_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.new-project", NULL, new_project_action);
  gtk_widget_class_install_action (widget_class, "win.delete-project", NULL, delete_project_action);
  gtk_widget_class_install_action (widget_class, "win.print-report", NULL, print_report_action);
  gtk_widget_class_install_action (widget_class, "win.insights", NULL, insights_action);
  gtk_widget_class_install_action (widget_class, "win.new-file", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "win.save-copy", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "win.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "win.export-project", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "win.export-file", "(ss)", export_file_action);
  gtk_widget_class_install_action (widget_class, "win.import-sample", NULL, import_sample_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.show-section", "s", show_section_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, shortcuts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "win.show-help-overlay", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-project", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

static void
upg_window_init (UpgWindow *self)
{
  GtkEventController *shortcuts;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  self->loading_cancel = g_cancellable_new ();

  for (guint i = 0; i < UPG_N_SECTIONS; i++)
    {
      AdwViewStackPage *page;

      self->bins[i] = ADW_BIN (adw_bin_new ());
      page = adw_view_stack_add_titled (self->view_stack, GTK_WIDGET (self->bins[i]),
                                        sections[i].name, _(sections[i].title));
      adw_view_stack_page_set_icon_name (page, sections[i].icon_name);
      self->stale[i] = TRUE;
    }
  /* The switchers follow the stack only once it holds every section:
   * libadwaita 1.2's switchers rebuild all their buttons on each page
   * added, which cost a third of the window's construction. */
  adw_view_switcher_title_set_stack (self->switcher_title, self->view_stack);
  ensure_page (self, 0);

  self->settings = upg_settings_new ();
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  update_recent_menu (self);
  gtk_menu_button_set_create_popup_func (self->primary_menu_button, create_menu_popup, self->primary_menu, NULL);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->project_menu_button), create_menu_popup,
                                         self->project_menu, NULL);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (switcher_title_visible_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::recent-files", G_CALLBACK (update_recent_menu), self, G_CONNECT_SWAPPED);

  /* Delete on the project list deletes the selected project. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_KP_Delete, 0)),
                      gtk_named_action_new ("win.delete-project")));
  gtk_widget_add_controller (GTK_WIDGET (self->project_list), shortcuts);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->project_list));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->project_list), keys);
}

UpgWindow *
upg_window_new (GtkApplication *application,
                UpgStore       *store)
{
  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  return g_object_new (UPG_TYPE_WINDOW, "application", application, "store", store, NULL);
}
