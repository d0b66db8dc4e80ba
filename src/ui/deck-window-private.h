/* deck-window-private.h: what deck-window.c, deck-window-live.c and
 * deck-window-actions.c share, and the hooks the UI tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "deck-address.h"
#include "deck-host-list.h"
#include "deck-libvirt.h"
#include "deck-machine-tree.h"
#include "deck-window.h"

G_BEGIN_DECLS

/* Columns of the tree store: the DeckMachineItem only; the cells read it. */
enum {
  DECK_WINDOW_COLUMN_ITEM,
  DECK_WINDOW_N_COLUMNS
};

struct _DeckWindow
{
  GtkApplicationWindow parent_instance;

  DeckSettings        *settings;
  DeckHostList        *host_list;
  char               **inventory_dirs;   /* NULL: the settings', else the ctys default */
  GCancellable        *cancellable;      /* cancelled in dispose */

  /* the inventory and its tree */
  GPtrArray           *records;          /* DeckRecord of the last load */
  DeckMachineTree     *tree;
  GtkTreeStore        *store;
  GtkTreeModelFilter  *filter_model;
  GHashTable          *rows;             /* DeckMachineItem -> GtkTreeIter * of the store */
  gboolean             loading;
  GHashTable          *extra_hosts;      /* name -> DeckHost the inventory names, not listed */

  /* live state: DeckLibvirt per host name (one driver each, see deck-window-live.c) */
  GHashTable          *connections;      /* host name -> DeckLibvirt */
  guint                retry_source;
  gint64               last_poll;        /* monotonic seconds of the last LIST of polled hosts */
  guint                pulse_source;
  guint                pulse;
  guint                busy;             /* actions in progress */

  GtkWidget           *pending_dialog;   /* the confirmation on screen, or NULL */
  GtkWidget           *context_menu;
  GPtrArray           *busy_items;       /* DeckMachineItem with an action running */

  /* Template children */
  GtkHeaderBar        *header_bar;
  GtkSpinner          *header_spinner;
  GtkInfoBar          *info_bar;
  GtkLabel            *info_label;
  GtkPaned            *paned;
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *filter_entry;
  GtkTreeView         *inventory_view;
  GtkTreeViewColumn   *machine_column;
  GtkCellRenderer     *state_renderer;
  GtkCellRenderer     *spinner_renderer;
  GtkCellRenderer     *text_renderer;
  GtkLabel            *status_label;
  GtkStack            *content_stack;
  GtkWidget           *empty_state;
  GtkLabel            *empty_state_title;
  GtkLabel            *empty_state_label;
  GtkWidget           *empty_state_command;
  GtkWidget           *empty_state_hint;
  GtkNotebook         *console_notebook;
  GMenuModel          *machine_menu;

  /* Geometry remembered while the window is not maximized, saved on dispose */
  int                  saved_width;
  int                  saved_height;
  gboolean             is_maximized;
};

/* deck-window.c */
DeckHost        *deck_window_host_for         (DeckWindow      *self,
                                               const char      *name);
/* Selected MACHINE items (new array), in view order. */
GPtrArray       *deck_window_selected_items   (DeckWindow      *self);
void             deck_window_row_changed      (DeckWindow      *self,
                                               DeckMachineItem *item);
void             deck_window_add_console      (DeckWindow      *self,
                                               GtkWidget       *tab);
/* Reloads the inventory (in a thread) and rebuilds the tree. */
void             deck_window_reload           (DeckWindow      *self);
/* Applies the filter entry's text now (the entry's own "search-changed" is delayed). */
void             deck_window_apply_filter     (DeckWindow      *self);
/* The inventory directories the window reads (new). */
char           **deck_window_dup_inventory_dirs (DeckWindow    *self);

/* deck-window-live.c */
void             deck_window_live_start       (DeckWindow      *self);
void             deck_window_live_stop        (DeckWindow      *self);
/* The connection of host @name (connected or not yet), or NULL for a host without one. */
DeckLibvirt     *deck_window_live_connection  (DeckWindow      *self,
                                               const char      *name);
/* Asks the hypervisor for the current state of @item (after an action). */
void             deck_window_live_refresh     (DeckWindow      *self,
                                               DeckMachineItem *item);

/* deck-window-actions.c */
void             deck_window_actions_init     (DeckWindow      *self);
void             deck_window_actions_update   (DeckWindow      *self);
/* Shows @error in the info bar with what the user can do about it. */
void             deck_window_show_error       (DeckWindow      *self,
                                               const char      *what,
                                               const GError    *error);
void             deck_window_popup_menu       (DeckWindow      *self,
                                               const GdkEvent  *event);
void             deck_window_on_info_bar_response (DeckWindow  *self,
                                               int              response,
                                               GtkInfoBar      *info_bar);

/* --- hooks for the UI tests (tests/test-ui-window.c) --- */

/* A window on @host_list and the inventory in @inventory_dirs (NULL: as the app does). */
DeckWindow      *deck_window_new_for_test     (DeckSettings       *settings,
                                               DeckHostList       *host_list,
                                               const char * const *inventory_dirs);
gboolean         deck_window_is_loading       (DeckWindow      *self);
DeckMachineTree *deck_window_get_tree         (DeckWindow      *self);
GtkTreeView     *deck_window_get_view         (DeckWindow      *self);
GtkSearchEntry  *deck_window_get_filter_entry (DeckWindow      *self);
/* Selects the row of (@host, @label), alone or (@extend) in addition to the selection;
 * FALSE when it is not shown. */
gboolean         deck_window_select           (DeckWindow      *self,
                                               const char      *host,
                                               const char      *label,
                                               gboolean         extend);
GtkWidget       *deck_window_get_pending_dialog (DeckWindow    *self);
/* The info bar's text while it is shown, else NULL. */
const char      *deck_window_get_error_text   (DeckWindow      *self);
guint            deck_window_get_busy         (DeckWindow      *self);

G_END_DECLS
