/*
 * Cholesky factorisation and solve for the small symmetric positive definite
 * systems of training: the penalised Hessian of IRLS and the correlation
 * matrix behind the VIF (a few dozen rows at most, so the textbook
 * row-oriented algorithm is plenty).
 */
#include <math.h>

#include "train_internal.h"

int sc_cholesky_factor(double *a, size_t n, double tiny)
{
    double largest = 0.0;
    for (size_t i = 0; i < n; i++)
        largest = fmax(largest, fabs(a[i * n + i]));
    double floor = tiny * (largest > 0.0 ? largest : 1.0);
    for (size_t j = 0; j < n; j++) {
        double d = a[j * n + j];
        for (size_t k = 0; k < j; k++)
            d -= a[j * n + k] * a[j * n + k];
        if (!(d > floor)) /* also catches NaN */
            return 0;
        double l = sqrt(d);
        a[j * n + j] = l;
        for (size_t i = j + 1; i < n; i++) {
            double s = a[i * n + j];
            for (size_t k = 0; k < j; k++)
                s -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = s / l;
        }
    }
    return 1;
}

void sc_cholesky_solve(const double *l, size_t n, double *b)
{
    for (size_t i = 0; i < n; i++) { /* L y = b */
        double s = b[i];
        for (size_t k = 0; k < i; k++)
            s -= l[i * n + k] * b[k];
        b[i] = s / l[i * n + i];
    }
    for (size_t i = n; i-- > 0;) { /* L' x = y */
        double s = b[i];
        for (size_t k = i + 1; k < n; k++)
            s -= l[k * n + i] * b[k];
        b[i] = s / l[i * n + i];
    }
}
