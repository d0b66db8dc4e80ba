/* test-domain.c: LIST rows from backend domain data (spec §5.3.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-domain.h"
#include "deck-fields.h"

static void
test_list_fields (void)
{
  g_autoptr(DeckDomainInfo) info = deck_domain_info_new ();
  g_autoptr(DeckDomainInfo) copy = NULL;
  g_auto(GStrv) f = NULL, g = NULL;

  info->name = g_strdup ("tst100");
  info->type = g_strdup ("XEN");
  info->uuid = g_strdup ("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  info->id = 3;
  info->vnc_port = 5902;
  info->config_path = g_strdup ("/home/acue/xen/tst-ctys/tst100/tst100.conf");
  info->accel = g_strdup ("PARA");
  g_strfreev (info->macs);
  info->macs = g_strdupv ((char *[]) { (char *) "00:50:56:13:11:40", (char *) "00:50:56:13:11:41", NULL });

  f = deck_domain_info_to_list_fields (info, "lab00.soho");
  g_assert_cmpuint (g_strv_length (f), ==, DECK_LIST_N_FIELDS);
  g_assert_cmpstr (f[DECK_LIST_PM - 1], ==, "lab00.soho");
  g_assert_cmpstr (f[DECK_LIST_TYPE - 1], ==, "XEN");
  g_assert_cmpstr (f[DECK_LIST_ID - 1], ==, "/home/acue/xen/tst-ctys/tst100/tst100.conf");
  g_assert_cmpstr (f[DECK_LIST_MAC - 1], ==, "00:50:56:13:11:40");
  g_assert_cmpstr (f[DECK_LIST_DISPLAY - 1], ==, "2");
  g_assert_cmpstr (f[DECK_LIST_CPORT - 1], ==, "5902");
  g_assert_cmpstr (f[DECK_LIST_PID - 1], ==, "3");
  g_assert_cmpstr (f[DECK_LIST_CSTYPE - 1], ==, "SERVER");
  g_assert_cmpstr (f[DECK_LIST_ACCELERATOR - 1], ==, "PARA");
  g_assert_cmpstr (f[DECK_LIST_UID - 1], ==, "");

  /* a shut-off domain without a console: no id, no port */
  copy = deck_domain_info_copy (info);
  copy->id = -1;
  copy->vnc_port = 0;
  g = deck_domain_info_to_list_fields (copy, "lab00.soho");
  g_assert_cmpstr (g[DECK_LIST_PID - 1], ==, "");
  g_assert_cmpstr (g[DECK_LIST_CPORT - 1], ==, "");
  g_assert_cmpstr (g[DECK_LIST_DISPLAY - 1], ==, "");
  g_assert_cmpstr (g[DECK_LIST_LABEL - 1], ==, "tst100");
  g_assert_cmpstr (deck_domain_state_to_string (DECK_DOMAIN_STATE_SHUTOFF), ==, "shut off");
  g_assert_cmpstr (deck_domain_op_to_string (DECK_DOMAIN_OP_RESTORE), ==, "restore");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/domain/list-fields", test_list_fields);
  return g_test_run ();
}
