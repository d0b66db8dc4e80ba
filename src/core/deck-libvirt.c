/* deck-libvirt.c: the libvirt backend
 *
 * Every libvirt call runs in a GTask worker thread on a reference of the connection
 * (virConnectPtr is thread-safe); nothing in a worker touches the DeckLibvirt. libvirt
 * callbacks (lifecycle events, connection close) arrive on libvirt-glib's event loop
 * (the global default context, sometimes a libvirt I/O thread) and are passed to the
 * context that created the object, through a small reference-counted EventTarget that
 * holds a weak reference to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-libvirt.h"

#include <errno.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "deck-domain-xml.h"
#include "deck-error.h"
#include "deck-libvirt-console.h"
#include "deck-libvirt-private.h"



G_DEFINE_FINAL_TYPE (DeckLibvirt, deck_libvirt, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_DOMAIN_CHANGED,
  SIGNAL_DISCONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- errors -------------------------------------------------------------------------- */

/* The DECK_ERROR code for libvirt's last error of this thread. */
static DeckError
classify (virErrorPtr e,
          gboolean    connecting)
{
  const char *msg;

  if (e == NULL)
    return DECK_ERROR_FAILED;
  msg = e->message ? e->message : "";
  if (strstr (msg, "Host key verification failed") || strstr (msg, "REMOTE HOST IDENTIFICATION HAS CHANGED"))
    return DECK_ERROR_HOST_KEY;
  if (strstr (msg, "Permission denied (publickey") || strstr (msg, "Permission denied (password"))
    return DECK_ERROR_PERMISSION;
  switch (e->code)
    {
    case VIR_ERR_NO_DOMAIN:
      return DECK_ERROR_NOT_FOUND;
    case VIR_ERR_AUTH_FAILED:
    case VIR_ERR_AUTH_CANCELLED:
    case VIR_ERR_AUTH_UNAVAILABLE:
    case VIR_ERR_ACCESS_DENIED:
    case VIR_ERR_OPERATION_DENIED:
      return DECK_ERROR_PERMISSION;
    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_OPERATION_UNSUPPORTED:
    case VIR_ERR_ARGUMENT_UNSUPPORTED:
      return DECK_ERROR_UNSUPPORTED;
    case VIR_ERR_NO_CONNECT:
      if (strstr (msg, "no connection driver available"))
        return DECK_ERROR_UNSUPPORTED;
      return DECK_ERROR_HOST_UNREACHABLE;
    case VIR_ERR_INVALID_CONN:
      return DECK_ERROR_HOST_UNREACHABLE;
    default:
      break;
    }
  /* the transport (socket, ssh, keepalive) failed */
  if (connecting || e->domain == VIR_FROM_RPC || e->domain == VIR_FROM_REMOTE)
    return DECK_ERROR_HOST_UNREACHABLE;
  return DECK_ERROR_FAILED;
}

/* "<where>: <what>: <libvirt's message>" from libvirt's last error of this thread. */
G_GNUC_PRINTF (4, 5)
static void
set_virt_error (GError    **error,
                const char *where,
                gboolean    connecting,
                const char *format,
                ...)
{
  virErrorPtr e = virGetLastError ();
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DECK_ERROR, classify (e, connecting), "%s: %s: %s", where, what,
               e && e->message ? e->message : "unknown libvirt error");
  virResetLastError ();
}

/* --- callbacks from libvirt ---------------------------------------------------------- */

typedef struct _EventTarget {
  GWeakRef self;
  GMainContext *context;
  guint serial;
} EventTarget;

static void
event_target_clear (EventTarget *t)
{
  g_weak_ref_clear (&t->self);
  g_main_context_unref (t->context);
}

static EventTarget *
event_target_new (DeckLibvirt *self,
                  guint        serial)
{
  EventTarget *t = g_atomic_rc_box_new0 (EventTarget);

  g_weak_ref_init (&t->self, self);
  t->context = g_main_context_ref (self->context);
  t->serial = serial;
  return t;
}

static void
event_target_release (gpointer t)
{
  g_atomic_rc_box_release_full (t, (GDestroyNotify) event_target_clear);
}

typedef struct {
  EventTarget *target;
  char *name;                 /* domain-changed: the domain; disconnected: the reason */
  DeckDomainState state;
  gboolean disconnected;
} Emission;

static void
emission_free (gpointer data)
{
  Emission *em = data;

  event_target_release (em->target);
  g_free (em->name);
  g_free (em);
}

static gboolean
emit_in_context (gpointer data)
{
  Emission *em = data;
  g_autoptr(DeckLibvirt) self = g_weak_ref_get (&em->target->self);

  if (self == NULL || self->conn == NULL || self->serial != em->target->serial)
    return G_SOURCE_REMOVE;
  if (em->disconnected)
    {
      if (!self->connected)
        return G_SOURCE_REMOVE;
      self->connected = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
      g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, em->name);
    }
  else
    g_signal_emit (self, signals[SIGNAL_DOMAIN_CHANGED], 0, em->name, em->state);
  return G_SOURCE_REMOVE;
}

static void
post (EventTarget *target,
      char        *name,
      DeckDomainState state,
      gboolean     disconnected)
{
  Emission *em = g_new0 (Emission, 1);

  em->target = g_atomic_rc_box_acquire (target);
  em->name = name;
  em->state = state;
  em->disconnected = disconnected;
  g_main_context_invoke_full (target->context, G_PRIORITY_DEFAULT, emit_in_context, em, emission_free);
}

static int
lifecycle_cb (virConnectPtr conn,
              virDomainPtr  dom,
              int           event,
              int           detail,
              void         *opaque)
{
  DeckDomainState state = DECK_DOMAIN_STATE_UNKNOWN;

  switch (event)
    {
    case VIR_DOMAIN_EVENT_STARTED:
    case VIR_DOMAIN_EVENT_RESUMED:
      state = DECK_DOMAIN_STATE_RUNNING;
      break;
    case VIR_DOMAIN_EVENT_SUSPENDED:
      state = DECK_DOMAIN_STATE_PAUSED;
      break;
    case VIR_DOMAIN_EVENT_STOPPED:
      state = DECK_DOMAIN_STATE_SHUTOFF;
      break;
    case VIR_DOMAIN_EVENT_SHUTDOWN:
      state = DECK_DOMAIN_STATE_SHUTDOWN;
      break;
    case VIR_DOMAIN_EVENT_PMSUSPENDED:
      state = DECK_DOMAIN_STATE_SUSPENDED;
      break;
    case VIR_DOMAIN_EVENT_CRASHED:
      state = DECK_DOMAIN_STATE_CRASHED;
      break;
    default:
      break;
    }
  post (opaque, g_strdup (virDomainGetName (dom)), state, FALSE);
  return 0;
}

static void
close_cb (virConnectPtr conn,
          int           reason,
          void         *opaque)
{
  static const char * const reasons[] = {
    "I/O error", "end of file from the daemon", "keepalive timeout", "closed",
  };

  if (reason == VIR_CONNECT_CLOSE_REASON_CLIENT)
    return;
  post (opaque, g_strdup ((guint) reason < G_N_ELEMENTS (reasons) ? reasons[reason] : "unknown reason"),
        DECK_DOMAIN_STATE_UNKNOWN, TRUE);
}

/* --- connection lifetime ------------------------------------------------------------- */

typedef struct {
  virConnectPtr conn;
  GVirConnection *gconn;
  int lifecycle_id;
} Closing;

/* Deregisters and drops a connection; may block (RPC), so it runs in a thread. */
static void
close_connection (virConnectPtr   conn,
                  GVirConnection *gconn,
                  int             lifecycle_id)
{
  if (gconn)
    g_object_unref (gconn);
  if (conn == NULL)
    return;
  if (lifecycle_id >= 0)
    virConnectDomainEventDeregisterAny (conn, lifecycle_id);
  virConnectUnregisterCloseCallback (conn, close_cb);
  virConnectClose (conn);
  virResetLastError ();
}

static void
closing_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  Closing *c = data;

  close_connection (c->conn, c->gconn, c->lifecycle_id);
  c->conn = NULL;
  c->gconn = NULL;
  g_task_return_boolean (task, TRUE);
}

/* Hands a connection to a thread that closes it. */
static void
close_in_thread (virConnectPtr   conn,
                 GVirConnection *gconn,
                 int             lifecycle_id)
{
  g_autoptr(GTask) task = NULL;
  Closing *c;

  if (conn == NULL && gconn == NULL)
    return;
  c = g_new0 (Closing, 1);
  c->conn = conn;
  c->gconn = gconn;
  c->lifecycle_id = lifecycle_id;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, close_in_thread);
  g_task_set_task_data (task, c, g_free);
  g_task_run_in_thread (task, closing_thread);
}

static void
drop_connection (DeckLibvirt *self)
{
  self->serial = 0;
  close_in_thread (g_steal_pointer (&self->conn), g_steal_pointer (&self->gconn), self->lifecycle_id);
  self->lifecycle_id = -1;
}

static void
deck_libvirt_finalize (GObject *object)
{
  DeckLibvirt *self = DECK_LIBVIRT (object);

  drop_connection (self);
  g_free (self->uri);
  g_free (self->label);
  g_free (self->where);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (deck_libvirt_parent_class)->finalize (object);
}

static void
deck_libvirt_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DeckLibvirt *self = DECK_LIBVIRT (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_libvirt_class_init (DeckLibvirtClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = deck_libvirt_finalize;
  object_class->get_property = deck_libvirt_get_property;

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_DOMAIN_CHANGED] =
    g_signal_new ("domain-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
  signals[SIGNAL_DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
deck_libvirt_init (DeckLibvirt *self)
{
  self->lifecycle_id = -1;
  self->context = g_main_context_ref_thread_default ();
}

static char *
uri_host (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, NULL);
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  return host && *host ? g_strdup (host) : NULL;
}

DeckLibvirt *
deck_libvirt_new (const char *uri,
                  const char *host_label)
{
  static gsize initialized;
  DeckLibvirt *self;

  g_return_val_if_fail (uri != NULL, NULL);

  if (g_once_init_enter (&initialized))
    {
      gvir_init_object (NULL, NULL);   /* libvirt's event loop on the default context */
      g_once_init_leave (&initialized, 1);
    }
  self = g_object_new (DECK_TYPE_LIBVIRT, NULL);
  self->uri = g_strdup (uri);
  self->label = g_strdup (host_label);
  self->where = host_label && *host_label ? g_strdup (host_label) : uri_host (uri);
  if (self->where == NULL)
    self->where = g_strdup ("localhost");
  return self;
}

const char *
deck_libvirt_get_uri (DeckLibvirt *self)
{
  g_return_val_if_fail (DECK_IS_LIBVIRT (self), NULL);
  return self->uri;
}

const char *
deck_libvirt_get_host_label (DeckLibvirt *self)
{
  g_return_val_if_fail (DECK_IS_LIBVIRT (self), NULL);
  return self->where;
}

gboolean
deck_libvirt_is_connected (DeckLibvirt *self)
{
  g_return_val_if_fail (DECK_IS_LIBVIRT (self), FALSE);
  return self->connected;
}

GVirConnection *
deck_libvirt_get_connection (DeckLibvirt *self)
{
  g_return_val_if_fail (DECK_IS_LIBVIRT (self), NULL);
  return self->gconn;
}

void
deck_libvirt_close (DeckLibvirt *self)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));

  self->attempt++;
  drop_connection (self);
  if (self->connected)
    {
      self->connected = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
    }
}

/* --- connect ------------------------------------------------------------------------- */

typedef struct {
  char *uri;
  char *where;
  EventTarget *target;        /* for the callbacks of the new connection */
} ConnectData;

typedef struct {
  virConnectPtr conn;
  int lifecycle_id;
} Opened;

static void
connect_data_free (ConnectData *cd)
{
  g_free (cd->uri);
  g_free (cd->where);
  event_target_release (cd->target);
  g_free (cd);
}

/* (also where GTask drops the result of an abandoned open, which may be any thread) */
static void
opened_free (Opened *o)
{
  close_in_thread (o->conn, NULL, o->lifecycle_id);
  g_free (o);
}

/* "QEMU-7.2.0", "xen-4.17.3" */
static char *
hyperrel (virConnectPtr conn)
{
  const char *type = virConnectGetType (conn);
  unsigned long version = 0;

  if (type == NULL || virConnectGetVersion (conn, &version) < 0)
    {
      virResetLastError ();
      return NULL;
    }
  return g_strdup_printf ("%s-%lu.%lu.%lu", g_ascii_strcasecmp (type, "xen") == 0 ? "xen" : type,
                          version / 1000000, version / 1000 % 1000, version % 1000);
}

static void
connect_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  ConnectData *cd = data;
  Opened *o;
  GError *error = NULL;
  virConnectPtr conn = virConnectOpen (cd->uri);

  if (conn == NULL)
    {
      set_virt_error (&error, cd->where, TRUE, "cannot connect to %s", cd->uri);
      g_task_return_error (task, error);
      return;
    }
  o = g_new0 (Opened, 1);
  o->conn = conn;
  g_atomic_rc_box_acquire (cd->target);
  if (virConnectRegisterCloseCallback (conn, close_cb, cd->target, event_target_release) < 0)
    {
      event_target_release (cd->target);
      virResetLastError ();
    }
  g_atomic_rc_box_acquire (cd->target);
  o->lifecycle_id = virConnectDomainEventRegisterAny (conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                      VIR_DOMAIN_EVENT_CALLBACK (lifecycle_cb),
                                                      cd->target, event_target_release);
  if (o->lifecycle_id < 0)
    {
      /* a driver without events: wait_state polls */
      event_target_release (cd->target);
      virResetLastError ();
    }
  g_task_return_pointer (task, o, (GDestroyNotify) opened_free);
}

typedef struct {
  GCancellable *inner;        /* cancels the thread's task (timeout or caller) */
  GCancellable *outer;        /* the caller's */
  gulong outer_id;
  GSource *timer;
  guint timeout_s;
  gboolean timed_out;
  guint attempt;
  guint serial;               /* of the connection being opened */
} ConnectWait;

static void
connect_wait_free (ConnectWait *cw)
{
  if (cw->outer_id)
    g_cancellable_disconnect (cw->outer, cw->outer_id);
  g_clear_object (&cw->outer);
  g_clear_object (&cw->inner);
  if (cw->timer)
    {
      g_source_destroy (cw->timer);
      g_source_unref (cw->timer);
    }
  g_free (cw);
}

static gboolean
connect_timeout (gpointer data)
{
  ConnectWait *cw = data;

  cw->timed_out = TRUE;
  g_cancellable_cancel (cw->inner);
  return G_SOURCE_REMOVE;
}

static void
connect_outer_cancelled (GCancellable *cancellable,
                         gpointer      data)
{
  g_cancellable_cancel (data);
}

static void
connect_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeckLibvirt *self = g_task_get_source_object (task);
  ConnectWait *cw = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Opened *o = g_task_propagate_pointer (G_TASK (result), &error);

  if (o == NULL)
    {
      if (cw->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                                 "%s: cannot connect to %s: no answer within %u s", self->where,
                                 self->uri, cw->timeout_s);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (cw->attempt != self->attempt)
    {
      /* close() or another connect came in between: this one is not wanted any more */
      opened_free (o);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: connection superseded", self->where);
      return;
    }

  drop_connection (self);
  self->conn = g_steal_pointer (&o->conn);
  self->lifecycle_id = o->lifecycle_id;
  self->serial = cw->serial;
  g_free (o);
  self->gconn = g_object_new (GVIR_TYPE_CONNECTION, "uri", self->uri, "handle", self->conn, NULL);
  if (!self->connected)
    {
      self->connected = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
    }
  g_task_return_boolean (task, TRUE);
}

void
deck_libvirt_connect_async (DeckLibvirt        *self,
                            guint               timeout_s,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  ConnectWait *cw;
  ConnectData *cd;

  g_return_if_fail (DECK_IS_LIBVIRT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, deck_libvirt_connect_async);
  cw = g_new0 (ConnectWait, 1);
  cw->inner = g_cancellable_new ();
  cw->timeout_s = timeout_s ? timeout_s : DECK_LIBVIRT_CONNECT_TIMEOUT;
  cw->attempt = ++self->attempt;
  cw->serial = ++self->next_serial;
  g_task_set_task_data (task, cw, (GDestroyNotify) connect_wait_free);
  if (cancellable)
    {
      cw->outer = g_object_ref (cancellable);
      cw->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (connect_outer_cancelled),
                                            g_object_ref (cw->inner), g_object_unref);
    }
  cw->timer = g_timeout_source_new (cw->timeout_s * 1000);
  g_source_set_callback (cw->timer, connect_timeout, cw, NULL);
  g_source_attach (cw->timer, g_task_get_context (task));

  cd = g_new0 (ConnectData, 1);
  cd->uri = g_strdup (self->uri);
  cd->where = g_strdup (self->where);
  cd->target = event_target_new (self, cw->serial);

  /* no source object: a thread left behind by a timeout must not keep @self alive */
  inner = g_task_new (NULL, cw->inner, connect_done, g_steal_pointer (&task));
  g_task_set_source_tag (inner, connect_thread);
  g_task_set_task_data (inner, cd, (GDestroyNotify) connect_data_free);
  g_task_set_return_on_cancel (inner, TRUE);
  g_task_run_in_thread (inner, connect_thread);
}

gboolean
deck_libvirt_connect_finish (DeckLibvirt  *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == deck_libvirt_connect_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- calls in worker threads --------------------------------------------------------- */


typedef struct {
  CallKind kind;
  virConnectPtr conn;         /* a reference of its own */
  char *where;
  char *hyperrel;             /* asked for when first needed (it may cost a QEMU probe) */
  gboolean hyperrel_asked;
  char *name;
  char *arg;                  /* state file, XML */
  DeckDomainOp op;
} Call;

static void
call_free (Call *call)
{
  if (call->conn)
    virConnectClose (call->conn);
  g_free (call->where);
  g_free (call->hyperrel);
  g_free (call->name);
  g_free (call->arg);
  g_free (call);
}

static const char *
call_hyperrel (Call *call)
{
  if (!call->hyperrel_asked)
    {
      call->hyperrel = hyperrel (call->conn);
      call->hyperrel_asked = TRUE;
    }
  return call->hyperrel;
}

static gboolean
looks_like_uuid (const char *s)
{
  g_autoptr(GRegex) re = g_regex_new ("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
                                      0, 0, NULL);

  return g_regex_match (re, s, 0, NULL);
}

/* The domain named @call->name (or with that UUID); @what says what was to be done. */
static virDomainPtr
lookup (Call       *call,
        const char *what,
        GError    **error)
{
  virDomainPtr dom = virDomainLookupByName (call->conn, call->name);

  if (dom == NULL && looks_like_uuid (call->name))
    {
      virErrorPtr e = virGetLastError ();

      if (e && e->code == VIR_ERR_NO_DOMAIN)
        dom = virDomainLookupByUUIDString (call->conn, call->name);
    }
  if (dom == NULL)
    set_virt_error (error, call->where, FALSE, "%s %s", what, call->name);
  return dom;
}

static DeckDomainState
map_state (int state)
{
  switch (state)
    {
    case VIR_DOMAIN_RUNNING:     return DECK_DOMAIN_STATE_RUNNING;
    case VIR_DOMAIN_BLOCKED:     return DECK_DOMAIN_STATE_BLOCKED;
    case VIR_DOMAIN_PAUSED:      return DECK_DOMAIN_STATE_PAUSED;
    case VIR_DOMAIN_SHUTDOWN:    return DECK_DOMAIN_STATE_SHUTDOWN;
    case VIR_DOMAIN_SHUTOFF:     return DECK_DOMAIN_STATE_SHUTOFF;
    case VIR_DOMAIN_CRASHED:     return DECK_DOMAIN_STATE_CRASHED;
    case VIR_DOMAIN_PMSUSPENDED: return DECK_DOMAIN_STATE_SUSPENDED;
    default:                     return DECK_DOMAIN_STATE_UNKNOWN;
    }
}

static DeckDomainInfo *
domain_info (Call        *call,
             virDomainPtr dom,
             GError     **error)
{
  g_autoptr(DeckDomainInfo) info = deck_domain_info_new ();
  char uuid[VIR_UUID_STRING_BUFLEN];
  int state = VIR_DOMAIN_NOSTATE, reason = 0;
  char *xml;
  gboolean ok;

  info->name = g_strdup (virDomainGetName (dom));
  if (virDomainGetUUIDString (dom, uuid) == 0)
    info->uuid = g_ascii_strdown (uuid, -1);
  if (virDomainGetState (dom, &state, &reason, 0) < 0)
    {
      set_virt_error (error, call->where, FALSE, "cannot get the state of %s", info->name);
      return NULL;
    }
  info->state = map_state (state);
  if (state != VIR_DOMAIN_SHUTOFF && virDomainIsActive (dom) == 1)
    {
      unsigned int id = virDomainGetID (dom);

      info->id = id == (unsigned int) -1 ? -1 : (int) id;
      info->hyperrel = g_strdup (call_hyperrel (call));
    }
  virResetLastError ();
  xml = virDomainGetXMLDesc (dom, 0);
  if (xml == NULL)
    {
      set_virt_error (error, call->where, FALSE, "cannot get the XML of %s", info->name);
      return NULL;
    }
  ok = deck_domain_xml_fill_info (info, xml, error);
  free (xml);
  return ok ? g_steal_pointer (&info) : NULL;
}

static int
compare_infos (gconstpointer a,
               gconstpointer b)
{
  const DeckDomainInfo *ia = *(DeckDomainInfo * const *) a;
  const DeckDomainInfo *ib = *(DeckDomainInfo * const *) b;

  return g_strcmp0 (ia->name, ib->name);
}

static GPtrArray *
do_list (Call    *call,
         GError **error)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_domain_info_free);
  virDomainPtr *doms = NULL;
  int n = virConnectListAllDomains (call->conn, &doms, 0);
  gboolean ok = TRUE;

  if (n < 0)
    {
      set_virt_error (error, call->where, FALSE, "cannot list the domains");
      return NULL;
    }
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      DeckDomainInfo *info = ok ? domain_info (call, doms[i], &local_error) : NULL;

      if (info)
        g_ptr_array_add (infos, info);
      else if (ok && !g_error_matches (local_error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
      virDomainFree (doms[i]);
    }
  free (doms);
  if (!ok)
    return NULL;
  g_ptr_array_sort (infos, compare_infos);
  return g_steal_pointer (&infos);
}

/* The name of the domain saved in @file (read by the daemon). */
static char *
saved_domain_name (Call       *call,
                   const char *file,
                   GError    **error)
{
  char *xml = virDomainSaveImageGetXMLDesc (call->conn, file, 0);
  GVirConfigDomain *domain;
  g_autoptr(GError) local_error = NULL;
  char *name;

  if (xml == NULL)
    {
      /* libvirt's libxl driver (Xen) cannot read a state file's XML: NULL without an
       * error, the caller restores unchecked */
      if (virGetLastErrorCode () == VIR_ERR_NO_SUPPORT)
        return NULL;
      set_virt_error (error, call->where, FALSE, "cannot read the state file %s", file);
      return NULL;
    }
  domain = gvir_config_domain_new_from_xml (xml, &local_error);
  free (xml);
  if (domain == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "%s: cannot read the domain in %s: %s", call->where,
                   file, local_error->message);
      return NULL;
    }
  name = g_strdup (gvir_config_domain_get_name (domain));
  g_object_unref (domain);
  return name;
}

static gboolean
do_restore (Call    *call,
            GError **error)
{
  const char *file = call->arg;

  if (file == NULL)
    {
      virDomainPtr dom = lookup (call, "cannot restore", error);
      int has;

      if (dom == NULL)
        return FALSE;
      has = virDomainHasManagedSaveImage (dom, 0);
      if (has != 1)
        {
          if (has < 0)
            set_virt_error (error, call->where, FALSE, "cannot restore %s", call->name);
          else
            g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "%s: cannot restore %s: it has no saved state",
                         call->where, call->name);
          virDomainFree (dom);
          return FALSE;
        }
      if (virDomainCreate (dom) < 0)
        {
          set_virt_error (error, call->where, FALSE, "cannot restore %s", call->name);
          virDomainFree (dom);
          return FALSE;
        }
      virDomainFree (dom);
      return TRUE;
    }

  if (call->name)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *saved = saved_domain_name (call, file, &local_error);

      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (saved && !g_str_equal (saved, call->name))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "%s: cannot restore %s: %s holds the state of %s",
                       call->where, call->name, file, saved);
          return FALSE;
        }
    }
  if (virDomainRestore (call->conn, file) < 0)
    {
      set_virt_error (error, call->where, FALSE, "cannot restore %s from %s", call->name ? call->name : "a domain", file);
      return FALSE;
    }
  return TRUE;
}

static gboolean
do_control (Call    *call,
            GError **error)
{
  static const char * const verbs[] = {
    [DECK_DOMAIN_OP_START] = "start",
    [DECK_DOMAIN_OP_SHUTDOWN] = "shut down",
    [DECK_DOMAIN_OP_DESTROY] = "destroy",
    [DECK_DOMAIN_OP_REBOOT] = "reboot",
    [DECK_DOMAIN_OP_RESET] = "reset",
    [DECK_DOMAIN_OP_PAUSE] = "pause",
    [DECK_DOMAIN_OP_UNPAUSE] = "unpause",
    [DECK_DOMAIN_OP_SAVE] = "save",
    [DECK_DOMAIN_OP_RESTORE] = "restore",
  };
  g_autofree char *what = g_strconcat ("cannot ", verbs[call->op], NULL);
  virDomainPtr dom;
  int r = -1;

  if (call->op == DECK_DOMAIN_OP_RESTORE)
    return do_restore (call, error);
  if ((dom = lookup (call, what, error)) == NULL)
    return FALSE;
  switch (call->op)
    {
    case DECK_DOMAIN_OP_START:    r = virDomainCreate (dom); break;
    case DECK_DOMAIN_OP_SHUTDOWN: r = virDomainShutdown (dom); break;
    case DECK_DOMAIN_OP_DESTROY:  r = virDomainDestroy (dom); break;
    case DECK_DOMAIN_OP_REBOOT:   r = virDomainReboot (dom, 0); break;
    case DECK_DOMAIN_OP_RESET:    r = virDomainReset (dom, 0); break;
    case DECK_DOMAIN_OP_PAUSE:    r = virDomainSuspend (dom); break;
    case DECK_DOMAIN_OP_UNPAUSE:  r = virDomainResume (dom); break;
    case DECK_DOMAIN_OP_SAVE:
      r = call->arg ? virDomainSave (dom, call->arg) : virDomainManagedSave (dom, 0);
      break;
    case DECK_DOMAIN_OP_RESTORE:
      g_assert_not_reached ();
    }
  if (r < 0)
    {
      if (call->op == DECK_DOMAIN_OP_SAVE && call->arg)
        set_virt_error (error, call->where, FALSE, "%s %s to %s", what, call->name, call->arg);
      else
        set_virt_error (error, call->where, FALSE, "%s %s", what, call->name);
    }
  virDomainFree (dom);
  return r == 0;
}

static char *
do_define (Call    *call,
           GError **error)
{
  virDomainPtr dom = virDomainDefineXML (call->conn, call->arg);
  char *name;

  if (dom == NULL)
    {
      set_virt_error (error, call->where, FALSE, "cannot define a domain");
      return NULL;
    }
  name = g_strdup (virDomainGetName (dom));
  virDomainFree (dom);
  return name;
}

/* @call->name is the format, @call->arg the config text */
static char *
do_from_native (Call    *call,
                GError **error)
{
  char *xml = virConnectDomainXMLFromNative (call->conn, call->name, call->arg, 0);
  char *copy;

  if (xml == NULL)
    {
      set_virt_error (error, call->where, FALSE, "cannot convert the %s config", call->name);
      return NULL;
    }
  copy = g_strdup (xml);
  free (xml);
  return copy;
}

static gboolean
do_undefine (Call    *call,
             GError **error)
{
  virDomainPtr dom = lookup (call, "cannot undefine", error);
  int r;

  if (dom == NULL)
    return FALSE;
  r = virDomainUndefineFlags (dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE);
  if (r < 0)
    {
      virErrorPtr e = virGetLastError ();

      if (e && (e->code == VIR_ERR_NO_SUPPORT || e->code == VIR_ERR_INVALID_ARG))
        r = virDomainUndefine (dom);
    }
  if (r < 0)
    set_virt_error (error, call->where, FALSE, "cannot undefine %s", call->name);
  virDomainFree (dom);
  return r == 0;
}

static GHashTable *
do_info (Call    *call,
         GError **error)
{
  g_autoptr(GHashTable) info = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  const char *type = virConnectGetType (call->conn);
  unsigned long version = 0;
  virNodeInfo node;
  char *s;

  if (type == NULL)
    {
      set_virt_error (error, call->where, FALSE, "cannot get the hypervisor type");
      return NULL;
    }
  g_hash_table_insert (info, DECK_LIBVIRT_INFO_HYPERVISOR, g_strdup (type));
  if (virConnectGetVersion (call->conn, &version) == 0 && version > 0)
    g_hash_table_insert (info, DECK_LIBVIRT_INFO_HV_VERSION,
                         g_strdup_printf ("%lu.%lu.%lu", version / 1000000, version / 1000 % 1000, version % 1000));
  if (call_hyperrel (call))
    g_hash_table_insert (info, DECK_LIBVIRT_INFO_HYPERREL, g_strdup (call->hyperrel));
  if (virConnectGetLibVersion (call->conn, &version) == 0)
    g_hash_table_insert (info, DECK_LIBVIRT_INFO_LIBVIRT,
                         g_strdup_printf ("%lu.%lu.%lu", version / 1000000, version / 1000 % 1000, version % 1000));
  if ((s = virConnectGetHostname (call->conn)) != NULL)
    {
      g_hash_table_insert (info, DECK_LIBVIRT_INFO_HOSTNAME, g_strdup (s));
      free (s);
    }
  if ((s = virConnectGetURI (call->conn)) != NULL)
    {
      g_hash_table_insert (info, DECK_LIBVIRT_INFO_URI, g_strdup (s));
      free (s);
    }
  if (virNodeGetInfo (call->conn, &node) == 0)
    {
      g_hash_table_insert (info, DECK_LIBVIRT_INFO_ARCH, g_strndup (node.model, sizeof node.model));
      g_hash_table_insert (info, DECK_LIBVIRT_INFO_CPUS, g_strdup_printf ("%u", node.cpus));
      g_hash_table_insert (info, DECK_LIBVIRT_INFO_MEMORY_KIB, g_strdup_printf ("%lu", node.memory));
    }
  virResetLastError ();
  return g_steal_pointer (&info);
}

static GIOStream *do_console (Call *call, GError **error);

static void
call_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Call *call = data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  switch (call->kind)
    {
    case CALL_LIST:
      {
        GPtrArray *infos = do_list (call, &error);

        if (infos)
          g_task_return_pointer (task, infos, (GDestroyNotify) g_ptr_array_unref);
        else
          g_task_return_error (task, error);
      }
      break;
    case CALL_LOOKUP:
    case CALL_STATE:
      {
        virDomainPtr dom = lookup (call, call->kind == CALL_STATE ? "cannot get the state of" : "cannot look up",
                                   &error);
        DeckDomainInfo *info = NULL;

        if (dom && call->kind == CALL_LOOKUP)
          info = domain_info (call, dom, &error);
        else if (dom)
          {
            int state, reason;

            if (virDomainGetState (dom, &state, &reason, 0) == 0)
              {
                info = deck_domain_info_new ();
                info->name = g_strdup (virDomainGetName (dom));
                info->state = map_state (state);
              }
            else
              set_virt_error (&error, call->where, FALSE, "cannot get the state of %s", call->name);
          }
        if (dom)
          virDomainFree (dom);
        if (info)
          g_task_return_pointer (task, info, (GDestroyNotify) deck_domain_info_free);
        else
          g_task_return_error (task, error);
      }
      break;
    case CALL_CONTROL:
    case CALL_UNDEFINE:
      if (call->kind == CALL_CONTROL ? do_control (call, &error) : do_undefine (call, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      break;
    case CALL_DEFINE:
    case CALL_FROM_NATIVE:
      {
        char *text = call->kind == CALL_DEFINE ? do_define (call, &error) : do_from_native (call, &error);

        if (text)
          g_task_return_pointer (task, text, g_free);
        else
          g_task_return_error (task, error);
      }
      break;
    case CALL_CONSOLE:
      {
        GIOStream *stream = do_console (call, &error);

        if (stream)
          g_task_return_pointer (task, stream, g_object_unref);
        else
          g_task_return_error (task, error);
      }
      break;
    case CALL_INFO:
      {
        GHashTable *info = do_info (call, &error);

        if (info)
          g_task_return_pointer (task, info, (GDestroyNotify) g_hash_table_unref);
        else
          g_task_return_error (task, error);
      }
      break;
    }
}

/* Starts @kind in a worker thread; fails the task at once when not connected. */
void
deck_libvirt_call_start (DeckLibvirt        *self,
                         CallKind            kind,
                         const char         *name,
                         DeckDomainOp        op,
                         const char         *arg,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data,
                         gpointer            source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Call *call;

  g_task_set_source_tag (task, source_tag);
  if (self->conn == NULL)
    {
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_FAILED, "%s: not connected to %s", self->where,
                               self->uri);
      return;
    }
  call = g_new0 (Call, 1);
  call->kind = kind;
  call->conn = self->conn;
  virConnectRef (call->conn);
  call->where = g_strdup (self->where);
  call->name = g_strdup (name);
  call->arg = g_strdup (arg);
  call->op = op;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  g_task_run_in_thread (task, call_thread);
}

gboolean
deck_libvirt_check_result (DeckLibvirt  *self,
                           GAsyncResult *result,
                           gpointer      source_tag)
{
  return g_task_is_valid (result, self) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

void
deck_libvirt_list_async (DeckLibvirt        *self,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));
  deck_libvirt_call_start (self, CALL_LIST, NULL, 0, NULL, cancellable, callback, user_data, deck_libvirt_list_async);
}

GPtrArray *
deck_libvirt_list_finish (DeckLibvirt  *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_list_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
deck_libvirt_lookup_async (DeckLibvirt        *self,
                           const char         *name,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));
  g_return_if_fail (name != NULL);
  deck_libvirt_call_start (self, CALL_LOOKUP, name, 0, NULL, cancellable, callback, user_data, deck_libvirt_lookup_async);
}

DeckDomainInfo *
deck_libvirt_lookup_finish (DeckLibvirt  *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_lookup_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
deck_libvirt_control_async (DeckLibvirt        *self,
                            const char         *name,
                            DeckDomainOp        op,
                            const char         *state_file,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));
  g_return_if_fail (name != NULL || (op == DECK_DOMAIN_OP_RESTORE && state_file != NULL));
  g_return_if_fail (op >= DECK_DOMAIN_OP_START && op <= DECK_DOMAIN_OP_RESTORE);

  if (state_file && !g_path_is_absolute (state_file))
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, deck_libvirt_control_async);
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_USAGE,
                               "%s: the state file must be an absolute path: %s", self->where, state_file);
      return;
    }
  deck_libvirt_call_start (self, CALL_CONTROL, name, op, state_file, cancellable, callback, user_data,
              deck_libvirt_control_async);
}

gboolean
deck_libvirt_control_finish (DeckLibvirt  *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_control_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
deck_libvirt_define_async (DeckLibvirt        *self,
                           const char         *xml,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));
  g_return_if_fail (xml != NULL);
  deck_libvirt_call_start (self, CALL_DEFINE, NULL, 0, xml, cancellable, callback, user_data, deck_libvirt_define_async);
}

char *
deck_libvirt_define_finish (DeckLibvirt  *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_define_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
deck_libvirt_from_native_async (DeckLibvirt        *self,
                                const char         *format,
                                const char         *config,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));
  g_return_if_fail (format != NULL && config != NULL);
  deck_libvirt_call_start (self, CALL_FROM_NATIVE, format, 0, config, cancellable, callback, user_data,
                           deck_libvirt_from_native_async);
}

char *
deck_libvirt_from_native_finish (DeckLibvirt  *self,
                                 GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_from_native_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
deck_libvirt_undefine_async (DeckLibvirt        *self,
                             const char         *name,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));
  g_return_if_fail (name != NULL);
  deck_libvirt_call_start (self, CALL_UNDEFINE, name, 0, NULL, cancellable, callback, user_data, deck_libvirt_undefine_async);
}

gboolean
deck_libvirt_undefine_finish (DeckLibvirt  *self,
                              GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_undefine_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
deck_libvirt_info_async (DeckLibvirt        *self,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));
  deck_libvirt_call_start (self, CALL_INFO, NULL, 0, NULL, cancellable, callback, user_data, deck_libvirt_info_async);
}

GHashTable *
deck_libvirt_info_finish (DeckLibvirt  *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_info_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- console ------------------------------------------------------------------------- */

static GIOStream *
do_console (Call    *call,
            GError **error)
{
  virDomainPtr dom = lookup (call, "cannot open the console of", error);
  virStreamPtr st;

  if (dom == NULL)
    return NULL;
  st = virStreamNew (call->conn, VIR_STREAM_NONBLOCK);
  if (st == NULL || virDomainOpenConsole (dom, NULL, st, VIR_DOMAIN_CONSOLE_FORCE) < 0)
    {
      set_virt_error (error, call->where, FALSE, "cannot open the console of %s", call->name);
      if (st)
        virStreamFree (st);
      virDomainFree (dom);
      return NULL;
    }
  virDomainFree (dom);

  return deck_libvirt_console_pump_new (st, call->where, call->name, error);
}

void
deck_libvirt_open_console_async (DeckLibvirt        *self,
                                 const char         *name,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (DECK_IS_LIBVIRT (self));
  g_return_if_fail (name != NULL);
  deck_libvirt_call_start (self, CALL_CONSOLE, name, 0, NULL, cancellable, callback, user_data,
              deck_libvirt_open_console_async);
}

GIOStream *
deck_libvirt_open_console_finish (DeckLibvirt  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_open_console_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
