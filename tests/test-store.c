#include "config.h"

#include "upg-test-util.h"

static void
test_placeholder (void)
{
  g_assert_true (TRUE);
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  g_test_add_func ("/store/placeholder", test_placeholder);
  return g_test_run ();
}
