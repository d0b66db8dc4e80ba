/* deck-xl.c: being written (issue 4) */
#include <glib.h>
