/* The one-division formulas (share, growth, implied_rate) in one pass each.
 *
 * Why C: numpy needs two passes over memory for each of them, the division and
 * then a check of the divisor (a zero whole must be refused even when the part
 * is missing, and NaN / 0 raises no floating-point flag, so the divisor has to
 * be read again). At 10^6 elements that second pass costs 40-60% of the
 * division; here both happen in the same loop, while the element is in a register.
 *
 * These loops never decide a domain question themselves. Each one returns
 * False if anything in the array needs the rules of tradecalc.calc.arithmetic
 * or could make numpy warn (a zero divisor, signs that differ, an infinite
 * quotient); the caller then throws the output away and
 * computes the whole call on its numpy path, which raises, masks and warns. So they only have to be right
 * where the inputs are ordinary, and there they perform the same IEEE 754
 * operations in the same order as numpy: one correctly rounded division (and,
 * for growth, one subtraction), no contraction into FMA (-ffp-contract=off in
 * setup.py), no fast-math.
 *
 * Arguments: (numerator, divisor, out), objects exporting C-contiguous, aligned
 * buffers of native float64 of one length (numpy arrays), out writable and not
 * overlapping the inputs. Returns True if out holds the result for every element.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#if defined(_MSC_VER) && !defined(restrict)
#define restrict __restrict /* MSVC's C before /std:c11 */
#endif

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
/* the division is 8 lanes wide with AVX-512, 4 with AVX2, 2 without; the resolver (an ifunc:
 * glibc) picks one at load time. Results are the same: each lane is one IEEE division. numpy
 * divides with AVX-512 where the processor has it: with AVX2 only, implied_rate's loop took
 * 1.15x numpy's division on such a machine (a Xeon of 2026-12-03), 1.0x with it. */
#define TC_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TC_CLONES
#endif

/* A signalling NaN (quiet bit clear) is not looked for: the numpy path takes it as a
 * missing number like any NaN, without a warning (its sign test runs under
 * np.errstate(invalid="ignore")), and the division here gives the same quiet NaN. */

/* |x| == inf. With a non-zero divisor the quotient is infinite on an overflow (numpy
 * warns "overflow encountered in divide") or under an infinite numerator (no warning,
 * but rare enough to leave to numpy as well: one comparison fewer per element). */
#define TC_INF(x) (fabs(x) == HUGE_VAL)

TC_CLONES static int64_t
share_loop(const double *restrict p, const double *restrict w, double *restrict out, Py_ssize_t n)
{
    int64_t bad = 0; /* as wide as a double: the vectorised OR needs no repacking */
    for (Py_ssize_t i = 0; i < n; i++) {
        double q = p[i] / w[i];
        out[i] = q;
        bad |= (int64_t)((w[i] == 0.0) | TC_INF(q));
    }
    return bad;
}

/* Signs that differ (deficit turned surplus) also leave the domain; a zero or
 * NaN on either side does not count as a sign. */
#define TC_OPPOSITE(v, b) ((((v) > 0.0) & ((b) < 0.0)) | (((v) < 0.0) & ((b) > 0.0)))

TC_CLONES static int64_t
implied_rate_loop(const double *restrict v, const double *restrict c, double *restrict out,
                  Py_ssize_t n)
{
    int64_t bad = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double q = v[i] / c[i];
        out[i] = q;
        bad |= (int64_t)((c[i] == 0.0) | TC_OPPOSITE(v[i], c[i]) | TC_INF(q));
    }
    return bad;
}

TC_CLONES static int64_t
growth_loop(const double *restrict v, const double *restrict b, double *restrict out, Py_ssize_t n)
{
    int64_t bad = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double q = v[i] / b[i];
        out[i] = q - 1.0;
        bad |= (int64_t)((b[i] == 0.0) | TC_OPPOSITE(v[i], b[i]) | TC_INF(q));
    }
    return bad;
}

#define TC_DOUBLE_ALIGN offsetof(struct { char c; double d; }, d)

typedef int64_t (*loop_fn)(const double *restrict, const double *restrict, double *restrict,
                       Py_ssize_t);

static int
is_native_double(const Py_buffer *view)
{
    const char *f = view->format;
    if (view->itemsize != (Py_ssize_t)sizeof(double) || f == NULL) {
        return 0;
    }
    if (f[0] == '@' || f[0] == '=') {
        f++;
    }
#if PY_LITTLE_ENDIAN
    else if (f[0] == '<') {
        f++;
    }
#else
    else if (f[0] == '>' || f[0] == '!') {
        f++;
    }
#endif
    return strcmp(f, "d") == 0;
}

static int
get_doubles(PyObject *obj, Py_buffer *view, int writable, const char *what)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        return -1;
    }
    if (!is_native_double(view) || ((uintptr_t)view->buf) % TC_DOUBLE_ALIGN != 0) {
        PyErr_Format(PyExc_TypeError, "%s: an aligned, C-contiguous float64 buffer is needed",
                     what);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *
run(PyObject *args, loop_fn loop, const char *name)
{
    PyObject *a, *b, *o;
    Py_buffer va, vb, vo;
    int64_t bad;

    if (!PyArg_UnpackTuple(args, name, 3, 3, &a, &b, &o)) {
        return NULL;
    }
    if (get_doubles(a, &va, 0, name) < 0) {
        return NULL;
    }
    if (get_doubles(b, &vb, 0, name) < 0) {
        PyBuffer_Release(&va);
        return NULL;
    }
    if (get_doubles(o, &vo, 1, name) < 0) {
        PyBuffer_Release(&vb);
        PyBuffer_Release(&va);
        return NULL;
    }
    if (va.len != vb.len || va.len != vo.len) {
        PyErr_Format(PyExc_ValueError, "%s: the three buffers must have one length", name);
        bad = -1;
    }
    else {
        Py_ssize_t n = va.len / (Py_ssize_t)sizeof(double);
        Py_BEGIN_ALLOW_THREADS
        bad = loop((const double *)va.buf, (const double *)vb.buf, (double *)vo.buf, n);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&vo);
    PyBuffer_Release(&vb);
    PyBuffer_Release(&va);
    if (bad < 0) {
        return NULL;
    }
    return PyBool_FromLong(!bad);
}

static PyObject *
share(PyObject *self, PyObject *args)
{
    (void)self;
    return run(args, share_loop, "share");
}

static PyObject *
implied_rate(PyObject *self, PyObject *args)
{
    (void)self;
    return run(args, implied_rate_loop, "implied_rate");
}

static PyObject *
growth(PyObject *self, PyObject *args)
{
    (void)self;
    return run(args, growth_loop, "growth");
}

static PyMethodDef methods[] = {
    {"share", share, METH_VARARGS,
     "share(part, whole, out) -> bool: out = part / whole; False if a whole is zero or a "
     "quotient overflowed (then out means nothing)."},
    {"implied_rate", implied_rate, METH_VARARGS,
     "implied_rate(value, converted, out) -> bool: out = value / converted; False if a "
     "divisor is zero, the signs differ or a quotient overflowed."},
    {"growth", growth, METH_VARARGS,
     "growth(value, base, out) -> bool: out = value / base - 1; False if a base is zero, the "
     "signs differ or a quotient overflowed."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "tradecalc.calc._kernels",
    "One-pass loops for the one-division formulas (see tradecalc.calc.arithmetic).",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

/* setup.py passes the SHA-256 of this file: a test compares it with the file, so a .so
   left over from an earlier version of the loops fails the suite instead of running. */
#ifndef TRADECALC_KERNEL_SOURCE_SHA256
#define TRADECALC_KERNEL_SOURCE_SHA256 ""
#endif

PyMODINIT_FUNC
PyInit__kernels(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m != NULL &&
        PyModule_AddStringConstant(m, "SOURCE_SHA256", TRADECALC_KERNEL_SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
