#ifndef CLVKIT_CLAPACK_SHIM_H
#define CLVKIT_CLAPACK_SHIM_H
// The only C boundary of clvkit: CBLAS and LAPACKE from Debian's
// libopenblas-dev and liblapacke-dev. Imported by Sources/CLVNumerics/LinearAlgebra only.
#include <cblas.h>
#include <lapacke.h>
// OpenBLAS extension: number of threads used by BLAS calls.
void openblas_set_num_threads(int num_threads);
#endif
