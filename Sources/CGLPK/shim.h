#ifndef TERRITORY_CGLPK_SHIM_H
#define TERRITORY_CGLPK_SHIM_H
#include <glpk.h>
#endif
