#include "CGLPKGuard.h"
#include <setjmp.h>
#include <stddef.h>

/* GLPK's environment is thread-local in Debian's build, so the jump buffer must be too. */
static _Thread_local jmp_buf *tglp_jump_target = NULL;

static void tglp_error_hook(void *info) {
    (void)info;
    if (tglp_jump_target != NULL) {
        jmp_buf *target = tglp_jump_target;
        tglp_jump_target = NULL;
        longjmp(*target, 1);
    }
}

#define TGLP_GUARD(call_expr, failure_value)          \
    do {                                              \
        jmp_buf env;                                  \
        *failed = 0;                                  \
        tglp_jump_target = &env;                      \
        glp_error_hook(tglp_error_hook, NULL);        \
        if (setjmp(env) != 0) {                       \
            tglp_jump_target = NULL;                  \
            *failed = 1;                              \
            glp_free_env();                           \
            return (failure_value);                   \
        }                                             \
        int result__ = (call_expr);                   \
        tglp_jump_target = NULL;                      \
        glp_error_hook(NULL, NULL);                   \
        return result__;                              \
    } while (0)

int tglp_guarded_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[],
                             const double ar[], int *failed) {
    TGLP_GUARD((glp_load_matrix(P, ne, ia, ja, ar), 0), -1);
}

int tglp_guarded_simplex(glp_prob *P, const glp_smcp *parm, int *failed) {
    TGLP_GUARD(glp_simplex(P, parm), -1);
}

int tglp_guarded_intopt(glp_prob *P, const glp_iocp *parm, int *failed) {
    TGLP_GUARD(glp_intopt(P, parm), -1);
}

int tglp_guarded_write_lp(glp_prob *P, const char *fname, int *failed) {
    TGLP_GUARD(glp_write_lp(P, NULL, fname), -1);
}

int tglp_guarded_write_mps(glp_prob *P, const char *fname, int *failed) {
    TGLP_GUARD(glp_write_mps(P, GLP_MPS_FILE, NULL, fname), -1);
}

static int tglp_raise(void) {
    glp_prob *P = glp_create_prob();
    int ia[2] = {0, 5}, ja[2] = {0, 1};
    double ar[2] = {0.0, 1.0};
    glp_add_rows(P, 1);
    glp_add_cols(P, 1);
    glp_load_matrix(P, 1, ia, ja, ar); /* row index 5 is out of range: fatal */
    glp_delete_prob(P);
    return 0;
}

void tglp_guarded_raise_for_test(int *failed) {
    jmp_buf env;
    *failed = 0;
    tglp_jump_target = &env;
    glp_error_hook(tglp_error_hook, NULL);
    if (setjmp(env) != 0) {
        tglp_jump_target = NULL;
        *failed = 1;
        glp_free_env();
        return;
    }
    (void)tglp_raise();
    tglp_jump_target = NULL;
    glp_error_hook(NULL, NULL);
}
