#ifndef TERRITORY_CGLPK_GUARD_H
#define TERRITORY_CGLPK_GUARD_H

#include <glpk.h>

/*
 * Last line of defence around GLPK calls that can raise a fatal error.
 *
 * GLPK reports invalid arguments through glp_error, which calls the error hook and then
 * abort(). Each wrapper below installs an error hook that longjmps back into the wrapper
 * (C frames only), frees the thread's GLPK environment and reports failure through
 * *failed = 1. After a failure every GLPK object created on this thread is gone: the
 * caller must forget its glp_prob pointers without deleting them.
 *
 * The Swift layer validates every index and bound before calling; these guards exist
 * for the bugs that validation misses. Never call them from inside a GLPK callback.
 */

int tglp_guarded_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[],
                             const double ar[], int *failed);
int tglp_guarded_simplex(glp_prob *P, const glp_smcp *parm, int *failed);
int tglp_guarded_intopt(glp_prob *P, const glp_iocp *parm, int *failed);
int tglp_guarded_write_lp(glp_prob *P, const char *fname, int *failed);
int tglp_guarded_write_mps(glp_prob *P, const char *fname, int *failed);

/* Calls glp_error with the given message under the guard: lets tests prove the guard works. */
void tglp_guarded_raise_for_test(int *failed);

#endif
