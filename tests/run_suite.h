/* The one way every Check suite here is run: all tests, normal verbosity
 * (its "N%: Checks: X, Failures: Y, Errors: Z" line is what CI reads), exit
 * status from the failure count. */
#ifndef SNORM_TEST_RUN_SUITE_H
#define SNORM_TEST_RUN_SUITE_H

#include <check.h>
#include <stdlib.h>

static inline int run_suite(Suite *s) {
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* SNORM_TEST_RUN_SUITE_H */
