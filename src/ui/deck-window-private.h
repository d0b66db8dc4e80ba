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
#include "deck-xl.h"

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
  GHashTable          *xl_backends;      /* host name -> DeckXl, for consoles (lazily) */
  guint                retry_source;
  gint64               last_poll;        /* monotonic seconds of the last LIST of polled hosts */
  guint                pulse_source;
  guint                pulse;
  guint                busy;             /* actions in progress */

  GtkWidget           *pending_dialog;   /* the confirmation on screen, or NULL */
  GtkWidget           *context_menu;
  GPtrArray           *busy_items;       /* DeckMachineItem with an action running */

  /* hosts and rescan (deck-window-hosts.c) */
  GtkWidget           *host_dialog;      /* the DeckHostDialog on screen, or NULL */
  DeckHost            *editing_host;     /* the list's host it edits, NULL: a new one */
  GtkWidget           *host_context_menu;
  GCancellable        *rescan_cancellable; /* a rescan runs */
  GPtrArray           *rescan_jobs;      /* DeckScanJob */

  /* drag-to-host (deck-window-dnd.c) */
  DeckMachineItem     *drag_item;        /* the machine being dragged */

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
  GMenuModel          *host_menu;
  GMenu               *place_menu;
  GtkRevealer         *rescan_revealer;
  GtkProgressBar      *rescan_progress;

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
/* Enables or disables the window action @name (win.@name). */
void             deck_window_set_action_enabled (DeckWindow    *self,
                                                 const char    *name,
                                                 gboolean       enabled);
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
/* The xl backend of host @name for its consoles (one per host: the privilege prefix is
 * probed once), or NULL when the window cannot reach that host. */
DeckXl          *deck_window_live_xl          (DeckWindow      *self,
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

/* deck-window-live.c */
/* Drops the connection of host @name (the host was edited or removed). */
void             deck_window_live_forget      (DeckWindow      *self,
                                               const char      *name);

/* deck-window-actions.c */
/* Starts @item (CREATE) on its host, as win.start does (drag-to-host of a stopped
 * machine passes the row of the same machine under the target host). */
void             deck_window_start_item       (DeckWindow      *self,
                                               DeckMachineItem *item);
/* Shuts @item down (CANCEL POWEROFF), then starts @then (CREATE) once it is off. */
void             deck_window_stop_then_start  (DeckWindow      *self,
                                               DeckMachineItem *item,
                                               DeckMachineItem *then);
void             deck_window_set_busy         (DeckWindow      *self,
                                               DeckMachineItem *item,
                                               gboolean         busy);
/* Shows @text in the info bar with @type (information, a warning, ...). */
void             deck_window_show_info        (DeckWindow      *self,
                                               GtkMessageType   type,
                                               const char      *text);

/* deck-window-hosts.c: add/edit/remove hosts, rescan */
void             deck_window_hosts_init       (DeckWindow      *self);
void             deck_window_hosts_update     (DeckWindow      *self);
void             deck_window_hosts_dispose    (DeckWindow      *self);
/* The selected host row, or NULL. */
DeckMachineItem *deck_window_selected_host    (DeckWindow      *self);
void             deck_window_popup_host_menu  (DeckWindow      *self,
                                               const GdkEvent  *event);

/* deck-window-dnd.c: dragging a machine onto a host */
void             deck_window_dnd_init         (DeckWindow      *self);
/* The "Move to Host" submenu lists the tree's hosts; the action is enabled for one machine. */
void             deck_window_dnd_update       (DeckWindow      *self);
/* Why @item cannot go to @host (NULL: it can), and what would happen (*plan, new). */
typedef enum {
  DECK_PLACE_REFUSED,
  DECK_PLACE_START,          /* stopped, the host sees its config: start it there */
  DECK_PLACE_MIGRATE,        /* running: live migration */
  DECK_PLACE_STOP_START,     /* running, config shared, no migration: stop here, start there */
} DeckPlacement;
/* @counterpart: the row of the same machine under @host (START, STOP_START), or NULL. */
DeckPlacement    deck_window_placement        (DeckWindow      *self,
                                               DeckMachineItem *item,
                                               DeckMachineItem *host,
                                               DeckMachineItem **counterpart,
                                               char           **reason);
/* The drop: asks with a confirmation that says what will happen (a refused one says why
 * in the info bar). */
void             deck_window_drop_on_host     (DeckWindow      *self,
                                               DeckMachineItem *item,
                                               DeckMachineItem *host);

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
/* The host dialog on screen, or NULL. */
GtkWidget       *deck_window_get_host_dialog  (DeckWindow      *self);
/* Selects the row of host @name; FALSE when it is not shown. */
gboolean         deck_window_select_host      (DeckWindow      *self,
                                               const char      *name);
gboolean         deck_window_is_rescanning    (DeckWindow      *self);
/* The item of the row at @path of the view's model. */
DeckMachineItem *deck_window_item_at_path     (DeckWindow      *self,
                                               GtkTreePath     *path);
/* The view path of @item's row (new), or NULL. */
GtkTreePath     *deck_window_path_of          (DeckWindow      *self,
                                               DeckMachineItem *item);

G_END_DECLS
