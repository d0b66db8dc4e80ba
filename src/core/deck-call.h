/* deck-call.h: the ctys call syntax (spec §2, §3, §5.1.1-5.1.4, §5.2.1-5.2.2)
 *
 *   ctys { global-option } [ "--" [ "(" default-options ")" ] ] target { target }
 *
 * deck_call_parse() reads the global options (DeckCallOptions), hands the rest to
 * deck_targets_parse() and makes one job per target: the global options with the target's
 * option words (default group, group-file line, group name options, the host's own) applied
 * on top, "later wins" (AC-21). A target may set its own -a, so one call can hold several
 * jobs on one host (AC-19). No target gives one job on "localhost". Duplicate targets are
 * dropped unless the global -A is 1.
 *
 * Long options: --help, --ssh=<command> (command line only) and vmdeck's host options
 * --uri=<libvirt URI> (the URI of the driver its scheme names), --backend=auto|libvirt|xl and
 * --ssh-port=<port> (the host's SSH port, where ~/.ssh/config does not say it), on the
 * command line and in option groups, as deck_host_new_from_target() reads them.
 *
 * Option values are data: nothing is expanded or executed; a value with a control character
 * or invalid UTF-8 is refused. Macros ("macro:NAME", spec §7.1) are expanded only when a
 * DeckMacros is passed in; each option value that contains "macro:" is expanded as a whole
 * before it is parsed, in the global options and in option groups alike. Without one, values
 * are taken as they are (the caller expanded them, or macros are not used).
 *
 * Errors are DECK_ERROR_USAGE with a message that quotes the offending text and says what is
 * expected; errors of a target's own options are prefixed with "<target>: ". Target list
 * errors are those of deck_targets_parse(), macro errors those of deck_macros_expand()
 * (prefixed with the option). Nothing is looked up here: -p directories, b: bases and
 * i:/p: files are checked where they are used.
 *
 * To reach a job's host use job->user and job->options->privilege (global and group -l/-Z
 * merged): deck_host_new_from_target() sees only the target's own words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-address.h"
#include "deck-host.h"
#include "deck-macros.h"
#include "deck-targets.h"

G_BEGIN_DECLS

/* A tri-state int field (-z, -A, -C, ...) that was not given. */
#define DECK_CALL_UNSET (-1)

typedef enum {
  DECK_CALL_ACTION_NONE,            /* no -a */
  DECK_CALL_ACTION_CREATE,
  DECK_CALL_ACTION_CANCEL,
  DECK_CALL_ACTION_LIST,
  DECK_CALL_ACTION_ENUMERATE,
  DECK_CALL_ACTION_SHOW,
  DECK_CALL_ACTION_INFO,
  DECK_CALL_ACTION_GETCLIENTPORT,
  DECK_CALL_ACTION_ISACTIVE,
} DeckCallAction;

/* -b first part: sync|off|0 / async|on|1 */
typedef enum {
  DECK_CALL_SYNC_UNSET,
  DECK_CALL_SYNC_SYNC,
  DECK_CALL_SYNC_ASYNC,
} DeckCallSync;

/* -b second part: sequential|seq|2 / parallel|par|3 */
typedef enum {
  DECK_CALL_ORDER_UNSET,
  DECK_CALL_ORDER_SEQUENTIAL,
  DECK_CALL_ORDER_PARALLEL,
} DeckCallOrder;

/* -L (spec §3.3) */
typedef enum {
  DECK_CALL_LOCATION_UNSET,
  DECK_CALL_LOCATION_DISPLAYFORWARDING,     /* DF, the default */
  DECK_CALL_LOCATION_CONNECTIONFORWARDING,  /* CF */
  DECK_CALL_LOCATION_SERVERONLY,            /* SO */
  DECK_CALL_LOCATION_LOCALONLY,             /* LO */
  DECK_CALL_LOCATION_CLIENTONLY,            /* CO */
} DeckCallLocation;

/* -c where the cacheDB is consulted (spec §3.6) */
typedef enum {
  DECK_CALL_NS_CACHE_UNSET,
  DECK_CALL_NS_CACHE_OFF,
  DECK_CALL_NS_CACHE_BOTH,                  /* ON, BOTH: the default */
  DECK_CALL_NS_CACHE_LOCAL,
  DECK_CALL_NS_CACHE_REMOTE,
} DeckCallNsCache;

/* -C flags besides ON/OFF */
typedef enum {
  DECK_CALL_DATA_CACHE_KEEP    = 1 << 0,
  DECK_CALL_DATA_CACHE_KEEPALL = 1 << 1,
  DECK_CALL_DATA_CACHE_ONLY    = 1 << 2,
  DECK_CALL_DATA_CACHE_RAW     = 1 << 3,
  DECK_CALL_DATA_CACHE_AUTO    = 1 << 4,
} DeckCallDataCacheFlags;

/* -s */
typedef enum {
  DECK_CALL_SCOPE_UNSET,
  DECK_CALL_SCOPE_USER,
  DECK_CALL_SCOPE_GROUP,
  DECK_CALL_SCOPE_USRLST,                   /* with scope_args */
  DECK_CALL_SCOPE_GRPLST,                   /* with scope_args */
  DECK_CALL_SCOPE_ALL,                      /* ctys: USRLST=all */
} DeckCallScope;

/* -g <W>x<H>[(+|-)<X>(+|-)<Y>][:<screen>[:<layout>[:<xorg config>]]] (spec §3.7) */
typedef struct {
  char  *text;      /* as given */
  guint  width;
  guint  height;
  char  *offset;    /* "+X+Y" as given (X geometry: '-' counts from the right/bottom), or NULL */
  char  *screen;    /* NULL when not given (also for the next two) */
  char  *layout;
  char  *config;
} DeckCallGeometry;

/* Every generic option of spec §2.1/§3. Enums use *_UNSET and ints DECK_CALL_UNSET for
 * "not given"; deck_call_options_resolve() fills in the defaults. */
typedef struct {
  DeckCallAction         action;        /* -a */
  char                  *action_args;   /* the text after '=' (macros expanded), NULL without '=' */

  char                  *type;          /* -t, upper case, NULL */
  char                 **types;         /* -T, upper case, NULL; { "ALL", NULL } for all */

  DeckCallSync           sync;          /* -b */
  DeckCallOrder          order;
  gboolean               stack;         /* -b stack: sync + sequential; later -b are ignored */
  DeckCallLocation       location;      /* -L */
  int                    pty;           /* -z: 0 (NOPTY), 1 (PTY), 2 (PTY,PTY) */

  gboolean               privilege_set; /* -Z given; each -Z replaces the set before it */
  DeckPrivilege          privilege;

  DeckCallNsCache        ns_cache;      /* -c */
  gboolean               ns_cache_only; /* -c ...,ONLY */
  int                    data_cache;    /* -C: 0 = OFF, 1 = ON */
  DeckCallDataCacheFlags data_cache_flags;
  char                  *data_cache_fin;      /* -C FIN:<file> */
  char                  *data_cache_fout;     /* -C FOUT:<file> */
  int                    data_cache_lifetime; /* -C LIFETIME:<s> */

  DeckCallGeometry      *geometry;      /* -g, NULL */
  guint                  resolution_width;    /* -r <W>x<H>; 0 = not given */
  guint                  resolution_height;
  char                  *user;          /* -l (a checked user name) */
  char                  *db_path;       /* -p as given */
  char                 **db_dirs;       /* -p split at ':' and ',' (deck_inventory_split_dirs) */
  gboolean               db_default;    /* -P: use the default cacheDB directory */
  int                    allow_ambiguity; /* -A 0|1 (also off|on) */
  DeckCallScope          scope;         /* -s */
  char                  *scope_args;    /* USRLST=/GRPLST= list as given */
  char                  *debug;         /* -d as given ("6", "2#101,PRINTFINAL", ...) */
  guint                  debug_level;   /* its numeric level (first item), 0 when none */
  char                  *display;       /* -D */
  char                  *workspace;     /* -W */
  char                  *chain;         /* -x OFF|STAR|CHAIN (upper case) */

  gboolean               dry_run;       /* -n */
  gboolean               terse;         /* -X */
  gboolean               forward_agent; /* -Y */
  gboolean               colors;        /* -y */
  gboolean               force;         /* -f */
  guint                  verbose;       /* -v, counted */
  gboolean               version;       /* -V */
  gboolean               help;          /* -h, --help */
  char                  *help_topic;    /* -H <topic> */
  char                  *ssh_command;   /* --ssh=<command> (checked to split like a shell; set it
                                         * with deck_ssh_set_default_program()) */
  char                 **uris;          /* --uri=<libvirt URI> (vmdeck), NULL: at most one per
                                         * driver (the scheme before '+' or ':'), the last given
                                         * for a driver wins; for deck_host_take_uri_option() */
  int                    backend;       /* --backend=auto|libvirt|xl (vmdeck): a DeckBackendChoice,
                                         * DECK_CALL_UNSET when not given */
  guint                  ssh_port;      /* --ssh-port=<1..65535> (vmdeck), 0 when not given */
} DeckCallOptions;

DeckCallOptions *deck_call_options_new      (void);
DeckCallOptions *deck_call_options_copy     (const DeckCallOptions *options);
void             deck_call_options_free     (DeckCallOptions       *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckCallOptions, deck_call_options_free)

/* Applies option words on top of @options ("later wins"): all of @words must be options, as
 * in an option group. --ssh= is refused here (it is for the command line only); --uri=,
 * --backend= and --ssh-port= are accepted. On error @options may be partly changed. */
gboolean         deck_call_options_apply    (DeckCallOptions     *options,
                                             const char * const  *words,
                                             DeckMacros          *macros,
                                             GError             **error);

/* Fills what was not given with the defaults of spec §3 for options->action: -b async,par
 * for CREATE/CANCEL and sync,par otherwise; -L DF; -z 0; -c BOTH; -A 0; -s ALL for LIST and
 * USER otherwise. -C, -Z and the rest stay as they are (not given = off/none). */
void             deck_call_options_resolve  (DeckCallOptions     *options);

/* The options as ctys words that parse back to the same options (unset ones omitted). */
char           **deck_call_options_to_argv  (const DeckCallOptions *options);
/* The same joined with blanks, words quoted like a shell where needed. */
char            *deck_call_options_to_string (const DeckCallOptions *options);

/* "CREATE", ...; NULL for DECK_CALL_ACTION_NONE. */
const char      *deck_call_action_to_string (DeckCallAction action);
/* Upper-case names for the enums ("DISPLAYFORWARDING", ...); NULL for *_UNSET. */
const char      *deck_call_location_to_string (DeckCallLocation location);

/* --- CREATE (spec §5.1.1-5.1.4) ---------------------------------------------------- */

typedef enum {
  DECK_CREATE_MODE_NONE,        /* start; error if the session exists */
  DECK_CREATE_MODE_CONNECT,
  DECK_CREATE_MODE_REUSE,
  DECK_CREATE_MODE_RECONNECT,
  DECK_CREATE_MODE_RESUME,      /* with statefile or without */
} DeckCreateMode;

typedef enum {
  DECK_CONSOLE_DEFAULT,         /* not given: the plugin's default (XEN_CONSOLE_DEFAULT) */
  DECK_CONSOLE_CLI,
  DECK_CONSOLE_XTERM,
  DECK_CONSOLE_GTERM,
  DECK_CONSOLE_EMACS,
  DECK_CONSOLE_EMACSM,
  DECK_CONSOLE_EMACSA,
  DECK_CONSOLE_EMACSAM,
  DECK_CONSOLE_VNC,
  DECK_CONSOLE_NONE,
  DECK_CONSOLE_SDL,
} DeckConsole;

typedef enum {
  DECK_BOOTMODE_DEFAULT,
  DECK_BOOTMODE_CD,
  DECK_BOOTMODE_FDD,
  DECK_BOOTMODE_USB,
  DECK_BOOTMODE_ISO,
  DECK_BOOTMODE_KERNEL,
  DECK_BOOTMODE_PXE,
  DECK_BOOTMODE_VHDD,
  DECK_BOOTMODE_INSTALL,
} DeckBootMode;

/* PING / SSHPING: OFF or <count>%<sleep> */
typedef struct {
  int   state;                  /* DECK_CALL_UNSET, 0 = OFF, 1 = on with count and sleep */
  guint count;
  guint sleep;
} DeckCreateProbe;

/* STACKCHECK: OFF or [CONTEXT|NOCONTEXT][%HWCAP|%NOHWCAP][%STACKCAP|%NOSTACKCAP] */
typedef enum {
  DECK_STACKCHECK_OFF        = 1 << 0,
  DECK_STACKCHECK_CONTEXT    = 1 << 1,
  DECK_STACKCHECK_NOCONTEXT  = 1 << 2,
  DECK_STACKCHECK_HWCAP      = 1 << 3,
  DECK_STACKCHECK_NOHWCAP    = 1 << 4,
  DECK_STACKCHECK_STACKCAP   = 1 << 5,
  DECK_STACKCHECK_NOSTACKCAP = 1 << 6,
} DeckStackCheck;

typedef struct {
  DeckAddress     *address;     /* machine address parts (never NULL; names a machine) */
  DeckCreateMode   mode;
  char            *statefile;   /* RESUME:<file>, else NULL */
  DeckConsole      console;
  char           **callopts;    /* CALLOPTS/C items, one word each ('%' separates, "%%" = '%'),
                                 * never NULL */
  char           **xopts;       /* XOPTS/X items, never NULL */
  DeckBootMode     bootmode;
  char           **instmode;    /* INSTMODE items: mode (upper case; CONFIG when empty),
                                 * source, target mode, target, stage; NULL when not given */
  DeckCreateProbe  ping;
  DeckCreateProbe  sshping;
  int              waitc;       /* seconds or DECK_CALL_UNSET */
  int              waits;
  char            *user;        /* USER:<user>[%<credentials>] */
  char            *credentials;
  DeckStackCheck   stackcheck;  /* 0 = not given */
} DeckCreateRequest;

/* Parses and checks the CREATE suboptions (the text after "CREATE="). */
DeckCreateRequest *deck_create_request_parse  (const char               *text,
                                               GError                  **error);
DeckCreateRequest *deck_create_request_copy   (const DeckCreateRequest *request);
void               deck_create_request_free   (DeckCreateRequest       *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckCreateRequest, deck_create_request_free)

/* Checks @request against the location matrix (spec §5.1.4) and applies what the console
 * forces on @options (not yet resolved): CONSOLE:CLI forces -b 0,2 and -z 2 (an explicit
 * -z NOPTY is kept: degraded terminal), CONSOLE:NONE forces -L SERVERONLY (except -L
 * LOCALONLY). Each forced change is added to @notes (char *) when it is not NULL.
 * DECK_CONSOLE_DEFAULT is not checked (the plugin's default is known only where it runs).
 * Errors: CLI, XTERM, GTERM, EMACS... or SDL with -L CONNECTIONFORWARDING; CLI, VNC or SDL
 * with -L SERVERONLY. */
gboolean           deck_create_request_apply  (const DeckCreateRequest  *request,
                                               DeckCallOptions          *options,
                                               GPtrArray                *notes,
                                               GError                  **error);

/* Canonical suboption text ("l:tst100,REUSE,CONSOLE:VNC,C:memory=512") that parses back to
 * the same request. */
char              *deck_create_request_to_string (const DeckCreateRequest *request);
const char        *deck_console_to_string     (DeckConsole console);   /* NULL for DEFAULT */

/* --- CANCEL (spec §5.2.1-5.2.2) ---------------------------------------------------- */

typedef enum {
  DECK_CANCEL_POWEROFF,         /* POWEROFF|S5[:<delay>]; the default */
  DECK_CANCEL_RESET,
  DECK_CANCEL_REBOOT,
  DECK_CANCEL_INIT,             /* INIT:<level> */
  DECK_CANCEL_PAUSE,            /* S3 or PAUSE: a real pause (spec §5.2 REC) */
  DECK_CANCEL_SUSPEND,          /* SUSPEND|S4[:<statefile>] */
} DeckCancelMethod;

typedef enum {
  DECK_CANCEL_SERVER,           /* the default */
  DECK_CANCEL_CLIENT,
  DECK_CANCEL_BOTH,
} DeckCancelParts;

typedef struct {
  DeckAddress      *address;    /* never NULL; names a machine or ALL */
  DeckCancelMethod  method;
  gboolean          method_given;
  int               delay;      /* POWEROFF:<s>, DECK_CALL_UNSET = DEFAULT_KILL_DELAY_POWEROFF */
  char             *init_level; /* INIT:<level>: 0-6 or S */
  char             *statefile;  /* SUSPEND:<file>, NULL = the default state file */
  gboolean          force;      /* FORCE (hypervisor only); FALSE = STACK (the default) */
  gboolean          self;       /* SELF */
  DeckCancelParts   parts;
  gboolean          parts_given;
  int               timeout;    /* TIMEOUT:<s> or DECK_CALL_UNSET */
  char             *user;       /* USER:<user>[%<credentials>] */
  char             *credentials;
} DeckCancelRequest;

DeckCancelRequest *deck_cancel_request_parse  (const char               *text,
                                               GError                  **error);
DeckCancelRequest *deck_cancel_request_copy   (const DeckCancelRequest *request);
void               deck_cancel_request_free   (DeckCancelRequest       *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckCancelRequest, deck_cancel_request_free)

char              *deck_cancel_request_to_string (const DeckCancelRequest *request);

/* --- the call and its jobs --------------------------------------------------------- */

typedef struct {
  DeckTarget         *target;   /* as deck_targets_parse() gave it (options = the group words) */
  char               *user;     /* login: the target's user, else -l, else NULL (ssh's default) */
  DeckCallOptions    *options;  /* effective: global + target words, forced values, resolved */
  DeckCreateRequest  *create;   /* when options->action is CREATE, else NULL */
  DeckCancelRequest  *cancel;   /* when options->action is CANCEL, else NULL */
  char              **notes;    /* values forced on this job ("CONSOLE:CLI forces -z 2"), never NULL */
} DeckCallJob;

typedef struct {
  DeckCallOptions *options;     /* the global options, as given (not resolved): the local call */
  GPtrArray       *jobs;        /* DeckCallJob, in target order, at least one */
} DeckCall;

void        deck_call_job_free (DeckCallJob *job);
DeckCallJob *deck_call_job_copy (const DeckCallJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckCallJob, deck_call_job_free)

void        deck_call_free      (DeckCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckCall, deck_call_free)

/* Parses a ctys call: @args are the words after the program name. @groups_path NULL = the
 * default groups path; @macros NULL = no macro expansion. The global action is checked with
 * the global options (as ctys does on the caller), then every job with its own. */
DeckCall   *deck_call_parse      (const char * const *args,
                                  const char * const *groups_path,
                                  DeckMacros         *macros,
                                  GError            **error);
/* The same from main()'s argc/argv (argv[0] is skipped). */
DeckCall   *deck_call_parse_argv (int                 argc,
                                  char              **argv,
                                  const char * const *groups_path,
                                  DeckMacros         *macros,
                                  GError            **error);

/* "[user@]host: <effective options>" then, indented, "create: ..."/"cancel: ..." and one
 * "note: ..." line each; for -n dry runs and tests. */
char       *deck_call_job_describe (const DeckCallJob *job);
/* "call: <global options>" and every job described, one block per job. */
char       *deck_call_describe     (const DeckCall    *call);

G_END_DECLS
