/* deck-call-request.c: the CREATE and CANCEL suboptions of a ctys call (spec §5.1.1,
 * §5.1.4, §5.2.1): parsing with ctys's exclusions, the location matrix, back to text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-call.h"
#include "deck-call-private.h"

#include <string.h>

#include "deck-error.h"
#include "deck-suboptions.h"

static const NameValue console_names[] = {
  { "CLI", DECK_CONSOLE_CLI },
  { "XTERM", DECK_CONSOLE_XTERM },
  { "GTERM", DECK_CONSOLE_GTERM },
  { "EMACS", DECK_CONSOLE_EMACS },
  { "EMACSM", DECK_CONSOLE_EMACSM },
  { "EMACSA", DECK_CONSOLE_EMACSA },
  { "EMACSAM", DECK_CONSOLE_EMACSAM },
  { "VNC", DECK_CONSOLE_VNC },
  { "NONE", DECK_CONSOLE_NONE },
  { "SDL", DECK_CONSOLE_SDL },
};

static const NameValue bootmode_names[] = {
  { "CD", DECK_BOOTMODE_CD },
  { "FDD", DECK_BOOTMODE_FDD },
  { "USB", DECK_BOOTMODE_USB },
  { "ISO", DECK_BOOTMODE_ISO },
  { "KERNEL", DECK_BOOTMODE_KERNEL },
  { "PXE", DECK_BOOTMODE_PXE },
  { "VHDD", DECK_BOOTMODE_VHDD },
  { "INSTALL", DECK_BOOTMODE_INSTALL },
};

static const NameValue stackcheck_names[] = {
  { "OFF", DECK_STACKCHECK_OFF },
  { "CONTEXT", DECK_STACKCHECK_CONTEXT },
  { "NOCONTEXT", DECK_STACKCHECK_NOCONTEXT },
  { "HWCAP", DECK_STACKCHECK_HWCAP },
  { "NOHWCAP", DECK_STACKCHECK_NOHWCAP },
  { "STACKCAP", DECK_STACKCHECK_STACKCAP },
  { "NOSTACKCAP", DECK_STACKCHECK_NOSTACKCAP },
};

const char *
deck_console_to_string (DeckConsole console)
{
  return deck_call_lookup_name (console_names, G_N_ELEMENTS (console_names), console);
}

/* --- suboption helpers ------------------------------------------------------------ */

static gboolean
has_value (const DeckSuboption *opt)
{
  return opt->value != NULL && opt->value[0] != '\0';
}

static gboolean sub_error (GError **error, const char *action, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
sub_error (GError    **error,
           const char *action,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "%s: %s", action, message);
  return FALSE;
}

/* "KEY:value" as written, for messages. */
static char *
sub_shown (const DeckSuboption *opt)
{
  g_autofree char *text = NULL;

  if (opt->value == NULL)
    return deck_call_shown (opt->raw_key);
  text = g_strconcat (opt->raw_key, ":", opt->value, NULL);
  return deck_call_shown (text);
}

static gboolean
no_value (const char          *action,
          const DeckSuboption *opt,
          GError             **error)
{
  g_autofree char *s = NULL;

  if (!has_value (opt))
    return TRUE;
  s = sub_shown (opt);
  return sub_error (error, action, "“%s”: %s takes no value", s, opt->key);
}

static gboolean
need_value (const char          *action,
            const DeckSuboption *opt,
            const char          *example,
            GError             **error)
{
  g_autofree char *k = NULL;

  if (has_value (opt))
    return TRUE;
  k = deck_call_shown (opt->raw_key);
  return sub_error (error, action, "“%s” needs a value (e.g. %s)", k, example);
}

/* A value, when given, must be one item (write "%%" for a '%' in it). */
static gboolean
one_item (const char          *action,
          const DeckSuboption *opt,
          const char          *form,
          GError             **error)
{
  g_autofree char *s = NULL;

  if (!has_value (opt) || g_strv_length (opt->items) == 1)
    return TRUE;
  s = sub_shown (opt);
  return sub_error (error, action, "“%s”: expected %s (one value; write %%%% for a %% in it)",
                    s, form);
}

/* The items of @opt without empty ones ("c:a%" has an empty second item). */
static char **
nonempty_items (const DeckSuboption *opt)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; opt->items != NULL && opt->items[i] != NULL; i++)
    if (*opt->items[i] != '\0')
      g_strv_builder_add (b, opt->items[i]);
  return g_strv_builder_end (b);
}

static gboolean
take_seconds (const char          *action,
              const DeckSuboption *opt,
              int                 *out,
              GError             **error)
{
  g_autofree char *s = NULL;

  if (!need_value (action, opt, "WAITS:10", error))
    return FALSE;
  if (deck_call_parse_count (opt->value, out))
    return TRUE;
  s = sub_shown (opt);
  return sub_error (error, action, "“%s”: %s needs a number of seconds", s, opt->key);
}

static gboolean
take_user (const char          *action,
           const DeckSuboption *opt,
           char               **user,
           char               **credentials,
           GError             **error)
{
  g_autoptr(GError) local = NULL;

  if (!need_value (action, opt, "USER:acue", error))
    return FALSE;
  if (g_strv_length (opt->items) > 2)
    {
      g_autofree char *s = sub_shown (opt);

      return sub_error (error, action, "“%s”: expected USER:<user>[%%<credentials>]", s);
    }
  if (!deck_target_check_user (opt->items[0], &local))
    return sub_error (error, action, "USER: %s", local->message);
  deck_call_set_str (user, opt->items[0]);
  deck_call_set_str (credentials, opt->items[1] != NULL && *opt->items[1] != '\0' ? opt->items[1] : NULL);
  return TRUE;
}

/* Offers @opt to @address; TRUE when it was an address part (stored). FALSE with @error set
 * for a bad address part, FALSE without for another key. */
static gboolean
take_address (DeckAddress         *address,
              const char          *action,
              const DeckSuboption *opt,
              gboolean            *failed,
              GError             **error)
{
  g_autoptr(GError) local = NULL;

  *failed = FALSE;
  if (deck_address_take_suboption (address, opt, &local))
    return TRUE;
  if (local != NULL)
    {
      *failed = TRUE;
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", action);
    }
  return FALSE;
}

/* Appends @value escaped so that deck_suboptions_parse() reads it back as one item. */
static void
append_item (GString    *s,
             const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case ',': g_string_append (s, ",,"); break;
        case ':': g_string_append (s, "::"); break;
        case '%': g_string_append (s, "%%"); break;
        case '\\': g_string_append (s, "\\\\"); break;
        default: g_string_append_c (s, *p); break;
        }
    }
}

static void
append_sub (GString    *s,
            const char *key,
            const char * const *items)
{
  if (s->len > 0)
    g_string_append_c (s, ',');
  g_string_append (s, key);
  if (items == NULL)
    return;
  g_string_append_c (s, ':');
  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (s, '%');
      append_item (s, items[i]);
    }
}

static void
append_sub1 (GString    *s,
             const char *key,
             const char *value)
{
  const char *items[] = { value, NULL };

  append_sub (s, key, value != NULL ? items : NULL);
}

static DeckAddress *
address_copy (DeckAddress *address)
{
  g_autofree char *text = deck_address_to_string (address);
  DeckAddress *copy = deck_address_parse (text, NULL);

  return copy != NULL ? copy : g_object_ref (address);
}

/* --- CREATE ----------------------------------------------------------------------- */

static DeckCreateRequest *
create_request_new (void)
{
  DeckCreateRequest *r = g_new0 (DeckCreateRequest, 1);

  r->address = deck_address_new ();
  r->callopts = g_new0 (char *, 1);
  r->xopts = g_new0 (char *, 1);
  r->ping.state = DECK_CALL_UNSET;
  r->sshping.state = DECK_CALL_UNSET;
  r->waitc = DECK_CALL_UNSET;
  r->waits = DECK_CALL_UNSET;
  return r;
}

void
deck_create_request_free (DeckCreateRequest *r)
{
  if (r == NULL)
    return;
  g_clear_object (&r->address);
  g_free (r->statefile);
  g_strfreev (r->callopts);
  g_strfreev (r->xopts);
  g_strfreev (r->instmode);
  g_free (r->user);
  g_free (r->credentials);
  g_free (r);
}

DeckCreateRequest *
deck_create_request_copy (const DeckCreateRequest *r)
{
  DeckCreateRequest *c;

  g_return_val_if_fail (r != NULL, NULL);

  c = g_new0 (DeckCreateRequest, 1);
  *c = *r;
  c->address = address_copy (r->address);
  c->statefile = g_strdup (r->statefile);
  c->callopts = g_strdupv (r->callopts);
  c->xopts = g_strdupv (r->xopts);
  c->instmode = g_strdupv (r->instmode);
  c->user = g_strdup (r->user);
  c->credentials = g_strdup (r->credentials);
  return c;
}

static const char create_keys[] =
  "a machine address part (l:, f:, i:, p:, u:, m:, t:, dr:, b:), CONNECT, REUSE, RECONNECT, "
  "RESUME, CONSOLE, CALLOPTS (C), XOPTS (X), BOOTMODE, INSTMODE, PING, SSHPING, WAITC, WAITS, "
  "USER or STACKCHECK";

static gboolean
take_probe (const DeckSuboption *opt,
            DeckCreateProbe     *probe,
            GError             **error)
{
  g_autofree char *s = NULL;

  if (!need_value ("CREATE", opt, "PING:20%2 or PING:OFF", error))
    return FALSE;
  if (deck_call_str_equal_ci (opt->value, "OFF"))
    {
      probe->state = 0;
      return TRUE;
    }
  if (g_strv_length (opt->items) == 2)
    {
      int count, sleep;

      if (deck_call_parse_count (opt->items[0], &count) && deck_call_parse_count (opt->items[1], &sleep))
        {
          probe->state = 1;
          probe->count = count;
          probe->sleep = sleep;
          return TRUE;
        }
    }
  s = sub_shown (opt);
  return sub_error (error, "CREATE", "“%s”: expected %s:OFF or %s:<count>%%<sleep seconds> "
                    "(both numbers)", s, opt->key, opt->key);
}

static gboolean
take_instmode (DeckCreateRequest   *r,
               const DeckSuboption *opt,
               GError             **error)
{
  static const char * const modes[] = { "CD", "DVD", "PXE", "KS", "CONFIG", NULL };
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *mode = NULL;
  guint n = opt->items != NULL ? g_strv_length (opt->items) : 0;

  if (n > 5)
    {
      g_autofree char *s = sub_shown (opt);

      return sub_error (error, "CREATE", "“%s”: expected INSTMODE:<mode>%%<source>%%<target mode>"
                        "%%<target>%%<stage>", s);
    }
  mode = g_ascii_strup (n > 0 ? opt->items[0] : "", -1);
  if (*mode == '\0')
    deck_call_set_str (&mode, "CONFIG");
  else if (!g_strv_contains (modes, mode))
    {
      g_autofree char *s = sub_shown (opt);

      return sub_error (error, "CREATE", "“%s”: unknown install mode; expected CD, DVD, PXE, KS "
                        "or CONFIG (also written as an empty mode)", s);
    }
  g_strv_builder_add (b, mode);
  for (guint i = 1; i < n; i++)
    g_strv_builder_add (b, opt->items[i]);
  g_strfreev (r->instmode);
  r->instmode = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
take_stackcheck (DeckCreateRequest   *r,
                 const DeckSuboption *opt,
                 GError             **error)
{
  static const DeckStackCheck pairs[][2] = {
    { DECK_STACKCHECK_CONTEXT, DECK_STACKCHECK_NOCONTEXT },
    { DECK_STACKCHECK_HWCAP, DECK_STACKCHECK_NOHWCAP },
    { DECK_STACKCHECK_STACKCAP, DECK_STACKCHECK_NOSTACKCAP },
  };
  DeckStackCheck check = 0;
  g_autofree char *s = NULL;

  if (!need_value ("CREATE", opt, "STACKCHECK:OFF or STACKCHECK:CONTEXT%HWCAP", error))
    return FALSE;
  s = sub_shown (opt);
  for (guint i = 0; opt->items[i] != NULL; i++)
    {
      int v;

      if (!deck_call_lookup_ci (stackcheck_names, G_N_ELEMENTS (stackcheck_names), opt->items[i], &v))
        return sub_error (error, "CREATE", "“%s”: expected STACKCHECK:OFF or "
                          "[CONTEXT|NOCONTEXT][%%HWCAP|%%NOHWCAP][%%STACKCAP|%%NOSTACKCAP]", s);
      check |= v;
    }
  if ((check & DECK_STACKCHECK_OFF) && check != DECK_STACKCHECK_OFF)
    return sub_error (error, "CREATE", "“%s”: OFF cannot be combined with other checks", s);
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    if ((check & pairs[i][0]) && (check & pairs[i][1]))
      return sub_error (error, "CREATE", "“%s”: %s and %s exclude each other", s,
                        deck_call_lookup_name (stackcheck_names, G_N_ELEMENTS (stackcheck_names), pairs[i][0]),
                        deck_call_lookup_name (stackcheck_names, G_N_ELEMENTS (stackcheck_names), pairs[i][1]));
  r->stackcheck = check;
  return TRUE;
}

static gboolean
take_create (DeckCreateRequest   *r,
             const DeckSuboption *opt,
             const char         **mode_key,
             const DeckSuboption **console_opt,
             GError             **error)
{
  const char *key = opt->key;
  g_autofree char *s = sub_shown (opt);
  int v;

  if (strcmp (key, "CONNECT") == 0 || strcmp (key, "REUSE") == 0
      || strcmp (key, "RECONNECT") == 0 || strcmp (key, "RESUME") == 0)
    {
      if (*mode_key != NULL)
        return sub_error (error, "CREATE", "only one of CONNECT, RECONNECT, REUSE and RESUME may "
                          "be given (“%s” and “%s”)", *mode_key, opt->raw_key);
      *mode_key = opt->raw_key;
      if (strcmp (key, "RESUME") == 0)
        {
          if (!one_item ("CREATE", opt, "RESUME:<state file>", error))
            return FALSE;
          r->mode = DECK_CREATE_MODE_RESUME;
          deck_call_set_str (&r->statefile, has_value (opt) ? opt->value : NULL);
          return TRUE;
        }
      if (!no_value ("CREATE", opt, error))
        return FALSE;
      r->mode = strcmp (key, "CONNECT") == 0 ? DECK_CREATE_MODE_CONNECT
                : strcmp (key, "REUSE") == 0 ? DECK_CREATE_MODE_REUSE
                : DECK_CREATE_MODE_RECONNECT;
      return TRUE;
    }

  if (strcmp (key, "CONSOLE") == 0)
    {
      if (!need_value ("CREATE", opt, "CONSOLE:VNC", error))
        return FALSE;
      if (*console_opt != NULL)
        {
          g_autofree char *first = sub_shown (*console_opt);

          return sub_error (error, "CREATE", "CONSOLE must be unique (“%s” and “%s”)", first, s);
        }
      if (!deck_call_lookup_ci (console_names, G_N_ELEMENTS (console_names), opt->value, &v))
        return sub_error (error, "CREATE", "“%s”: unknown console; expected CLI, XTERM, GTERM, "
                          "EMACS, EMACSM, EMACSA, EMACSAM, VNC, NONE or SDL", s);
      *console_opt = opt;
      r->console = v;
      return TRUE;
    }

  if (strcmp (key, "CALLOPTS") == 0 || strcmp (key, "C") == 0
      || strcmp (key, "XOPTS") == 0 || strcmp (key, "X") == 0)
    {
      gboolean call = key[0] == 'C';
      char **items;

      if (!need_value ("CREATE", opt, call ? "C:memory=512%vcpus=2" : "X:-bg%black", error))
        return FALSE;
      items = nonempty_items (opt);
      if (items[0] == NULL)
        {
          g_strfreev (items);
          return sub_error (error, "CREATE", "“%s”: no argument given", s);
        }
      /* As in ctys, a repeated key replaces the earlier list. */
      if (call)
        {
          g_strfreev (r->callopts);
          r->callopts = items;
        }
      else
        {
          g_strfreev (r->xopts);
          r->xopts = items;
        }
      return TRUE;
    }

  if (strcmp (key, "BOOTMODE") == 0)
    {
      if (!need_value ("CREATE", opt, "BOOTMODE:PXE", error))
        return FALSE;
      if (!deck_call_lookup_ci (bootmode_names, G_N_ELEMENTS (bootmode_names), opt->value, &v))
        return sub_error (error, "CREATE", "“%s”: unknown boot mode; expected CD, FDD, USB, ISO, "
                          "KERNEL, PXE, VHDD or INSTALL", s);
      r->bootmode = v;
      return TRUE;
    }

  if (strcmp (key, "INSTMODE") == 0)
    return take_instmode (r, opt, error);
  if (strcmp (key, "PING") == 0)
    return take_probe (opt, &r->ping, error);
  if (strcmp (key, "SSHPING") == 0)
    return take_probe (opt, &r->sshping, error);
  if (strcmp (key, "WAITC") == 0)
    return take_seconds ("CREATE", opt, &r->waitc, error);
  if (strcmp (key, "WAITS") == 0)
    return take_seconds ("CREATE", opt, &r->waits, error);
  if (strcmp (key, "USER") == 0)
    return take_user ("CREATE", opt, &r->user, &r->credentials, error);
  if (strcmp (key, "STACKCHECK") == 0)
    return take_stackcheck (r, opt, error);

  return sub_error (error, "CREATE", "unknown suboption “%s”; expected %s", s, create_keys);
}

DeckCreateRequest *
deck_create_request_parse (const char  *text,
                           GError     **error)
{
  g_autoptr(DeckCreateRequest) r = NULL;
  g_autoptr(GPtrArray) opts = NULL;
  const char *mode_key = NULL;
  const DeckSuboption *console_opt = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  opts = deck_suboptions_parse (text != NULL ? text : "", error);
  if (opts == NULL)
    {
      g_prefix_error (error, "CREATE: ");
      return NULL;
    }

  r = create_request_new ();
  for (guint i = 0; i < opts->len; i++)
    {
      const DeckSuboption *opt = opts->pdata[i];

      if (strcmp (opt->key, "ALL") == 0)
        {
          sub_error (error, "CREATE", "“%s” selects all running sessions and belongs to CANCEL; "
                     "CREATE needs the address of one machine", opt->raw_key);
          return NULL;
        }
      gboolean failed;

      if (take_address (r->address, "CREATE", opt, &failed, error))
        continue;
      if (failed || !take_create (r, opt, &mode_key, &console_opt, error))
        return NULL;
    }

  if (!deck_address_has_target (r->address))
    {
      sub_error (error, "CREATE", "missing machine address: give l:<label>, f:<part of the "
                 "path>, i:<absolute path>, u:<uuid>, m:<mac>, t:<ip> or dr:<record> "
                 "(b:<base> alone only limits the search)");
      return NULL;
    }
  return g_steal_pointer (&r);
}

static void
add_note (GPtrArray  *notes,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_note (GPtrArray  *notes,
          const char *format,
          ...)
{
  va_list args;

  if (notes == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (notes, g_strdup_vprintf (format, args));
  va_end (args);
}

gboolean
deck_create_request_apply (const DeckCreateRequest  *r,
                           DeckCallOptions          *o,
                           GPtrArray                *notes,
                           GError                  **error)
{
  const char *console;

  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (o != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  console = deck_console_to_string (r->console);

  /* Spec §5.1.4: the rows -L CF and -L SO. The plugin default console is checked when it is
   * known (by the actions layer). */
  switch (r->console)
    {
    case DECK_CONSOLE_CLI:
    case DECK_CONSOLE_XTERM:
    case DECK_CONSOLE_GTERM:
    case DECK_CONSOLE_EMACS:
    case DECK_CONSOLE_EMACSM:
    case DECK_CONSOLE_EMACSA:
    case DECK_CONSOLE_EMACSAM:
    case DECK_CONSOLE_SDL:
      if (o->location == DECK_CALL_LOCATION_CONNECTIONFORWARDING)
        return sub_error (error, "CREATE", "CONNECTIONFORWARDING (-L CF) is not supported for "
                          "CONSOLE:%s; it works with CONSOLE:VNC and CONSOLE:NONE only (use -L DF "
                          "to show the console through ssh -X)", console);
      if (o->location == DECK_CALL_LOCATION_SERVERONLY
          && (r->console == DECK_CONSOLE_CLI || r->console == DECK_CONSOLE_SDL))
        return sub_error (error, "CREATE", "SERVERONLY (-L SO) starts no console, but CONSOLE:%s "
                          "is one (use CONSOLE:NONE for a headless start)", console);
      break;
    case DECK_CONSOLE_VNC:
      if (o->location == DECK_CALL_LOCATION_SERVERONLY)
        return sub_error (error, "CREATE", "SERVERONLY (-L SO) starts no console, but CONSOLE:VNC "
                          "is one (use CONSOLE:NONE for a headless start)");
      break;
    case DECK_CONSOLE_NONE:
    case DECK_CONSOLE_DEFAULT:
      break;
    }

  if (r->console == DECK_CONSOLE_CLI)
    {
      /* Interactive console in the caller's terminal: one target after the other, in the
       * foreground, with a real terminal (pyGRUB). */
      if (o->sync != DECK_CALL_SYNC_SYNC || o->order != DECK_CALL_ORDER_SEQUENTIAL)
        {
          o->sync = DECK_CALL_SYNC_SYNC;
          o->order = DECK_CALL_ORDER_SEQUENTIAL;
          add_note (notes, "CONSOLE:CLI forces -b sync,seq");
        }
      if (o->pty == 0)
        add_note (notes, "-z NOPTY kept with CONSOLE:CLI: the console has no terminal "
                  "(echoed passwords, no full-screen programs)");
      else if (o->pty != 2)
        {
          o->pty = 2;
          add_note (notes, "CONSOLE:CLI forces -z 2");
        }
    }
  else if (r->console == DECK_CONSOLE_NONE
           && o->location != DECK_CALL_LOCATION_SERVERONLY
           && o->location != DECK_CALL_LOCATION_LOCALONLY)
    {
      o->location = DECK_CALL_LOCATION_SERVERONLY;
      add_note (notes, "CONSOLE:NONE implies -L SERVERONLY");
    }
  return TRUE;
}

static void
append_probe (GString               *s,
              const char            *key,
              const DeckCreateProbe *probe)
{
  g_autofree char *v = NULL;

  if (probe->state == DECK_CALL_UNSET)
    return;
  if (probe->state == 0)
    {
      append_sub1 (s, key, "OFF");
      return;
    }
  v = g_strdup_printf ("%s:%u%%%u", key, probe->count, probe->sleep);
  append_sub (s, v, NULL);
}

char *
deck_create_request_to_string (const DeckCreateRequest *r)
{
  g_autofree char *address = NULL;
  GString *s;

  g_return_val_if_fail (r != NULL, NULL);

  address = deck_address_to_string (r->address);
  s = g_string_new (address);
  switch (r->mode)
    {
    case DECK_CREATE_MODE_NONE: break;
    case DECK_CREATE_MODE_CONNECT: append_sub (s, "CONNECT", NULL); break;
    case DECK_CREATE_MODE_REUSE: append_sub (s, "REUSE", NULL); break;
    case DECK_CREATE_MODE_RECONNECT: append_sub (s, "RECONNECT", NULL); break;
    case DECK_CREATE_MODE_RESUME: append_sub1 (s, "RESUME", r->statefile); break;
    }
  if (r->console != DECK_CONSOLE_DEFAULT)
    append_sub1 (s, "CONSOLE", deck_console_to_string (r->console));
  if (r->callopts[0] != NULL)
    append_sub (s, "C", (const char * const *) r->callopts);
  if (r->xopts[0] != NULL)
    append_sub (s, "X", (const char * const *) r->xopts);
  if (r->bootmode != DECK_BOOTMODE_DEFAULT)
    append_sub1 (s, "BOOTMODE", deck_call_lookup_name (bootmode_names, G_N_ELEMENTS (bootmode_names),
                                             r->bootmode));
  if (r->instmode != NULL)
    append_sub (s, "INSTMODE", (const char * const *) r->instmode);
  append_probe (s, "PING", &r->ping);
  append_probe (s, "SSHPING", &r->sshping);
  if (r->waitc != DECK_CALL_UNSET)
    g_string_append_printf (s, ",WAITC:%d", r->waitc);
  if (r->waits != DECK_CALL_UNSET)
    g_string_append_printf (s, ",WAITS:%d", r->waits);
  if (r->user != NULL)
    {
      const char *items[] = { r->user, r->credentials, NULL };

      append_sub (s, "USER", items);
    }
  if (r->stackcheck != 0)
    {
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_auto(GStrv) items = NULL;

      for (gsize i = 0; i < G_N_ELEMENTS (stackcheck_names); i++)
        if (r->stackcheck & stackcheck_names[i].value)
          g_strv_builder_add (b, stackcheck_names[i].name);
      items = g_strv_builder_end (b);
      append_sub (s, "STACKCHECK", (const char * const *) items);
    }
  return g_string_free (s, FALSE);
}

/* --- CANCEL ----------------------------------------------------------------------- */

static DeckCancelRequest *
cancel_request_new (void)
{
  DeckCancelRequest *r = g_new0 (DeckCancelRequest, 1);

  r->address = deck_address_new ();
  r->method = DECK_CANCEL_POWEROFF;
  r->delay = DECK_CALL_UNSET;
  r->parts = DECK_CANCEL_SERVER;
  r->timeout = DECK_CALL_UNSET;
  return r;
}

void
deck_cancel_request_free (DeckCancelRequest *r)
{
  if (r == NULL)
    return;
  g_clear_object (&r->address);
  g_free (r->init_level);
  g_free (r->statefile);
  g_free (r->user);
  g_free (r->credentials);
  g_free (r);
}

DeckCancelRequest *
deck_cancel_request_copy (const DeckCancelRequest *r)
{
  DeckCancelRequest *c;

  g_return_val_if_fail (r != NULL, NULL);

  c = g_new0 (DeckCancelRequest, 1);
  *c = *r;
  c->address = address_copy (r->address);
  c->init_level = g_strdup (r->init_level);
  c->statefile = g_strdup (r->statefile);
  c->user = g_strdup (r->user);
  c->credentials = g_strdup (r->credentials);
  return c;
}

static const char cancel_keys[] =
  "a machine address part (l:, f:, i:, p:, u:, m:, t:, dr:, b:) or ALL, FORCE, STACK, SELF, "
  "RESET, REBOOT, INIT:<level>, S3, PAUSE, SUSPEND, S4, POWEROFF[:<s>], S5[:<s>], CLIENT, SERVER, BOTH, "
  "TIMEOUT:<s> or USER:<user>";

static const char cancel_methods[] =
  "RESET, REBOOT, INIT:<level>, S3, PAUSE, SUSPEND[:<file>], S4, POWEROFF[:<s>] or S5[:<s>]";

typedef struct {
  const char *method_key;   /* as written, for messages */
  const char *parts_key;
  const char *stack_key;    /* FORCE or STACK */
} CancelSeen;

static gboolean
take_method (DeckCancelRequest   *r,
             const DeckSuboption *opt,
             CancelSeen          *seen,
             DeckCancelMethod     method,
             GError             **error)
{
  g_autofree char *s = sub_shown (opt);

  if (seen->method_key != NULL)
    return sub_error (error, "CANCEL", "the methods exclude each other (“%s” and “%s”); give one "
                      "of %s", seen->method_key, s, cancel_methods);
  seen->method_key = opt->raw_key;
  r->method = method;
  r->method_given = TRUE;

  switch (method)
    {
    case DECK_CANCEL_POWEROFF:
      if (has_value (opt) && !deck_call_parse_count (opt->value, &r->delay))
        return sub_error (error, "CANCEL", "“%s”: the delay of %s is a number of seconds "
                          "(e.g. POWEROFF:0)", s, opt->key);
      return TRUE;
    case DECK_CANCEL_INIT:
      if (!has_value (opt))
        return sub_error (error, "CANCEL", "“%s” needs a run level (INIT:0 ... INIT:6 or INIT:S)",
                          s);
      if (strlen (opt->value) != 1 || strchr ("0123456sS", opt->value[0]) == NULL)
        return sub_error (error, "CANCEL", "“%s”: unknown run level; expected INIT:0 ... INIT:6 "
                          "or INIT:S", s);
      r->init_level = g_ascii_strup (opt->value, -1);
      return TRUE;
    case DECK_CANCEL_SUSPEND:
      if (!one_item ("CANCEL", opt, "SUSPEND:<state file>", error))
        return FALSE;
      deck_call_set_str (&r->statefile, has_value (opt) ? opt->value : NULL);
      return TRUE;
    case DECK_CANCEL_RESET:
    case DECK_CANCEL_REBOOT:
    case DECK_CANCEL_PAUSE:
      return no_value ("CANCEL", opt, error);
    }
  g_assert_not_reached ();
}

static gboolean
take_cancel (DeckCancelRequest   *r,
             const DeckSuboption *opt,
             CancelSeen          *seen,
             GError             **error)
{
  const char *key = opt->key;
  g_autofree char *s = sub_shown (opt);

  if (strcmp (key, "FORCE") == 0 || strcmp (key, "STACK") == 0)
    {
      if (seen->stack_key != NULL)
        return sub_error (error, "CANCEL", "FORCE and STACK exclude each other (“%s” and “%s”)",
                          seen->stack_key, opt->raw_key);
      seen->stack_key = opt->raw_key;
      r->force = key[0] == 'F';
      return no_value ("CANCEL", opt, error);
    }
  if (strcmp (key, "SELF") == 0)
    {
      r->self = TRUE;
      return no_value ("CANCEL", opt, error);
    }
  if (strcmp (key, "CLIENT") == 0 || strcmp (key, "SERVER") == 0 || strcmp (key, "BOTH") == 0)
    {
      if (seen->parts_key != NULL)
        return sub_error (error, "CANCEL", "CLIENT, SERVER and BOTH exclude each other (“%s” and "
                          "“%s”)", seen->parts_key, opt->raw_key);
      seen->parts_key = opt->raw_key;
      r->parts = key[0] == 'C' ? DECK_CANCEL_CLIENT : key[0] == 'S' ? DECK_CANCEL_SERVER
                                                                  : DECK_CANCEL_BOTH;
      r->parts_given = TRUE;
      return no_value ("CANCEL", opt, error);
    }
  if (strcmp (key, "POWEROFF") == 0 || strcmp (key, "S5") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_POWEROFF, error);
  if (strcmp (key, "RESET") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_RESET, error);
  if (strcmp (key, "REBOOT") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_REBOOT, error);
  if (strcmp (key, "INIT") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_INIT, error);
  /* spec §5.2 REC: PAUSE is a real pause, as S3 (ctys itself refuses a bare PAUSE, AC-62,
   * but its use cases write it and the issue asks for it) */
  if (strcmp (key, "S3") == 0 || strcmp (key, "PAUSE") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_PAUSE, error);
  if (strcmp (key, "SUSPEND") == 0 || strcmp (key, "S4") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_SUSPEND, error);
  if (strcmp (key, "TIMEOUT") == 0)
    return take_seconds ("CANCEL", opt, &r->timeout, error);
  if (strcmp (key, "USER") == 0)
    return take_user ("CANCEL", opt, &r->user, &r->credentials, error);

  return sub_error (error, "CANCEL", "unknown suboption “%s”; expected %s", s, cancel_keys);
}

DeckCancelRequest *
deck_cancel_request_parse (const char  *text,
                           GError     **error)
{
  g_autoptr(DeckCancelRequest) r = NULL;
  g_autoptr(GPtrArray) opts = NULL;
  CancelSeen seen = { NULL, };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  opts = deck_suboptions_parse (text != NULL ? text : "", error);
  if (opts == NULL)
    {
      g_prefix_error (error, "CANCEL: ");
      return NULL;
    }

  r = cancel_request_new ();
  for (guint i = 0; i < opts->len; i++)
    {
      const DeckSuboption *opt = opts->pdata[i];

      gboolean failed;

      if (take_address (r->address, "CANCEL", opt, &failed, error))
        continue;
      if (failed || !take_cancel (r, opt, &seen, error))
        return NULL;
    }

  if (r->parts == DECK_CANCEL_CLIENT && r->method_given
      && (r->method == DECK_CANCEL_POWEROFF || r->method == DECK_CANCEL_SUSPEND
          || r->method == DECK_CANCEL_RESET))
    {
      sub_error (error, "CANCEL", "CLIENT cannot be combined with “%s” (CLIENT only stops the "
                 "consoles; SUSPEND, RESET and POWEROFF act on the server)", seen.method_key);
      return NULL;
    }

  if (deck_address_get_all (r->address))
    {
      for (guint part = 0; part < DECK_ADDRESS_N_PARTS; part++)
        if (part != DECK_ADDRESS_PART_BASE && deck_address_get_values (r->address, part)[0] != NULL)
          {
            g_autofree char *a = deck_address_to_string (r->address);
            g_autofree char *sa = deck_call_shown (a);

            sub_error (error, "CANCEL", "ALL cannot be combined with a machine address (“%s”); "
                       "give either ALL or the address", sa);
            return NULL;
          }
    }
  else if (!deck_address_has_target (r->address))
    {
      sub_error (error, "CANCEL", "missing machine address: give l:<label>, f:<part of the "
                 "path>, i:<absolute path>, u:<uuid>, m:<mac>, t:<ip>, dr:<record> or ALL "
                 "(b:<base> alone only limits the search)");
      return NULL;
    }
  return g_steal_pointer (&r);
}

char *
deck_cancel_request_to_string (const DeckCancelRequest *r)
{
  g_autofree char *address = NULL;
  GString *s;

  g_return_val_if_fail (r != NULL, NULL);

  address = deck_address_to_string (r->address);
  s = g_string_new (address);
  /* The default POWEROFF is shown, except with CLIENT where it would be refused. */
  switch (r->method_given || r->parts != DECK_CANCEL_CLIENT ? (int) r->method : -1)
    {
    case -1:
      break;
    case DECK_CANCEL_POWEROFF:
      if (r->delay != DECK_CALL_UNSET)
        g_string_append_printf (s, ",POWEROFF:%d", r->delay);
      else
        append_sub (s, "POWEROFF", NULL);
      break;
    case DECK_CANCEL_RESET: append_sub (s, "RESET", NULL); break;
    case DECK_CANCEL_REBOOT: append_sub (s, "REBOOT", NULL); break;
    case DECK_CANCEL_INIT: append_sub1 (s, "INIT", r->init_level); break;
    case DECK_CANCEL_PAUSE: append_sub (s, "S3", NULL); break;
    case DECK_CANCEL_SUSPEND: append_sub1 (s, "SUSPEND", r->statefile); break;
    }
  append_sub (s, r->force ? "FORCE" : "STACK", NULL);
  if (r->self)
    append_sub (s, "SELF", NULL);
  append_sub (s, r->parts == DECK_CANCEL_CLIENT ? "CLIENT"
                 : r->parts == DECK_CANCEL_BOTH ? "BOTH" : "SERVER", NULL);
  if (r->timeout != DECK_CALL_UNSET)
    g_string_append_printf (s, ",TIMEOUT:%d", r->timeout);
  if (r->user != NULL)
    {
      const char *items[] = { r->user, r->credentials, NULL };

      append_sub (s, "USER", items);
    }
  return g_string_free (s, FALSE);
}

