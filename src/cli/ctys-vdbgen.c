/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli-common.h"
int
main (int argc, char **argv)
{
  return 1;
}
