/* Reading one SQLite query straight into Arrow's memory layout.
 *
 * Python's sqlite3 makes an object of every value it fetches: 1.4 million for the
 * 100,000 pins of a busy quarter, most of the time a map waits for. This module steps
 * through the rows with the Python lock released and appends each value to plain
 * buffers laid out as Arrow arrays (a validity bitmap, then 64-bit values, or 32-bit
 * offsets and UTF-8 bytes); store/columnar.py wraps them in pyarrow arrays.
 *
 * It links the same libsqlite3 as Python's sqlite3 module (one SQLite in the process,
 * so its file locks stay correct) and opens its own connection for each read.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *data;
    size_t used;
    size_t size;
} Buffer;

typedef struct {
    char kind; /* 'd' double, 'q' int64, 's' UTF-8 text */
    Buffer validity;
    Buffer values;  /* doubles, int64s, or int32 offsets for text */
    Buffer text;    /* the bytes of the texts */
} Column;

static int grow(Buffer *buffer, size_t extra) {
    if (buffer->used + extra <= buffer->size) {
        return 0;
    }
    size_t size = buffer->size ? buffer->size : 4096;
    while (size < buffer->used + extra) {
        size *= 2;
    }
    char *data = realloc(buffer->data, size);
    if (data == NULL) {
        return -1;
    }
    buffer->data = data;
    buffer->size = size;
    return 0;
}

static int append(Buffer *buffer, const void *bytes, size_t count) {
    if (grow(buffer, count) < 0) {
        return -1;
    }
    memcpy(buffer->data + buffer->used, bytes, count);
    buffer->used += count;
    return 0;
}

/* Row `row` of the column is (not) null: the bit of a zero-filled bitmap. */
static int set_valid(Buffer *validity, Py_ssize_t row, int valid) {
    size_t byte = (size_t)row / 8;
    if (byte >= validity->used) {
        if (grow(validity, 1) < 0) {
            return -1;
        }
        validity->data[validity->used++] = 0;
    }
    if (valid) {
        validity->data[byte] |= (char)(1u << (row % 8));
    }
    return 0;
}

/* One value of the current row appended to its column; -1 when memory ran out,
   -2 when the texts outgrow 32-bit offsets. */
static int read_value(sqlite3_stmt *stmt, int index, Column *column, Py_ssize_t row) {
    int is_null = sqlite3_column_type(stmt, index) == SQLITE_NULL;
    if (set_valid(&column->validity, row, !is_null) < 0) {
        return -1;
    }
    if (column->kind == 'd') {
        double value = is_null ? 0.0 : sqlite3_column_double(stmt, index);
        return append(&column->values, &value, sizeof value);
    }
    if (column->kind == 'q') {
        int64_t value = is_null ? 0 : (int64_t)sqlite3_column_int64(stmt, index);
        return append(&column->values, &value, sizeof value);
    }
    if (!is_null) {
        const unsigned char *text = sqlite3_column_text(stmt, index);
        int length = sqlite3_column_bytes(stmt, index);
        if (text == NULL && length > 0) {
            return -1;
        }
        if (column->text.used + (size_t)length > INT32_MAX) {
            return -2;
        }
        if (append(&column->text, text, (size_t)length) < 0) {
            return -1;
        }
    }
    int32_t end = (int32_t)column->text.used;
    return append(&column->values, &end, sizeof end);
}

static int bind_params(sqlite3_stmt *stmt, PyObject *params) {
    Py_ssize_t count = PyTuple_GET_SIZE(params);
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *value = PyTuple_GET_ITEM(params, i);
        int index = (int)i + 1;
        int rc;
        if (value == Py_None) {
            rc = sqlite3_bind_null(stmt, index);
        } else if (PyBool_Check(value) || PyLong_Check(value)) {
            long long number = PyLong_AsLongLong(value);
            if (number == -1 && PyErr_Occurred()) {
                return -1;
            }
            rc = sqlite3_bind_int64(stmt, index, number);
        } else if (PyFloat_Check(value)) {
            rc = sqlite3_bind_double(stmt, index, PyFloat_AS_DOUBLE(value));
        } else if (PyUnicode_Check(value)) {
            Py_ssize_t length;
            const char *text = PyUnicode_AsUTF8AndSize(value, &length);
            if (text == NULL) {
                return -1;
            }
            rc = sqlite3_bind_text64(stmt, index, text, (sqlite3_uint64)length,
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
        } else {
            PyErr_Format(PyExc_TypeError, "parameter %zd: cannot bind %s", i + 1,
                         Py_TYPE(value)->tp_name);
            return -1;
        }
        if (rc != SQLITE_OK) {
            PyErr_SetString(PyExc_RuntimeError, "cannot bind a parameter");
            return -1;
        }
    }
    return 0;
}

/* Raise sqlite3.OperationalError with SQLite's message, as Python's sqlite3 would, so
   the store maps it to what a participant is told (store/db.py). */
static void raise_sqlite(sqlite3 *db, int rc) {
    PyObject *module = PyImport_ImportModule("sqlite3");
    PyObject *error = module ? PyObject_GetAttrString(module, "OperationalError") : NULL;
    if (error != NULL) {
        PyErr_SetString(error, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
    Py_XDECREF(error);
    Py_XDECREF(module);
}

/* A buffer as bytes (Py_BuildValue makes None of a NULL pointer: no rows read). */
#define BYTES(buffer) ((buffer).data ? (buffer).data : ""), (Py_ssize_t)(buffer).used

static PyObject *column_buffers(Column *column) {
    if (column->kind == 's') {
        return Py_BuildValue("(y#y#y#)", BYTES(column->validity), BYTES(column->values),
                             BYTES(column->text));
    }
    return Py_BuildValue("(y#y#)", BYTES(column->validity), BYTES(column->values));
}

static PyObject *read_columns(PyObject *Py_UNUSED(self), PyObject *args) {
    const char *path;
    const char *sql;
    PyObject *params;
    const char *kinds;
    int timeout_ms;
    if (!PyArg_ParseTuple(args, "ssO!si", &path, &sql, &PyTuple_Type, &params, &kinds,
                          &timeout_ms)) {
        return NULL;
    }
    int width = (int)strlen(kinds);
    for (int i = 0; i < width; i++) {
        if (kinds[i] != 'd' && kinds[i] != 'q' && kinds[i] != 's') {
            return PyErr_Format(PyExc_ValueError, "unknown column kind '%c'", kinds[i]);
        }
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    Column *columns = calloc((size_t)(width ? width : 1), sizeof(Column));
    PyObject *result = NULL;
    if (columns == NULL) {
        return PyErr_NoMemory();
    }
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        raise_sqlite(db, rc);
        goto done;
    }
    sqlite3_busy_timeout(db, timeout_ms);
    rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        raise_sqlite(db, rc);
        goto done;
    }
    if (sqlite3_column_count(stmt) != width) {
        PyErr_Format(PyExc_ValueError, "the query has %d columns, %d kinds given",
                     sqlite3_column_count(stmt), width);
        goto done;
    }
    if (bind_params(stmt, params) < 0) {
        goto done;
    }
    Py_ssize_t rows = 0;
    int failed = 0;
    int32_t zero = 0;
    for (int i = 0; i < width; i++) {
        columns[i].kind = kinds[i];
        if (kinds[i] == 's' && append(&columns[i].values, &zero, sizeof zero) < 0) {
            failed = -1;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    while (!failed && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        for (int i = 0; i < width && !failed; i++) {
            failed = read_value(stmt, i, &columns[i], rows);
        }
        rows++;
    }
    Py_END_ALLOW_THREADS
    if (failed == -1) {
        PyErr_NoMemory();
        goto done;
    }
    if (failed == -2) {
        PyErr_SetString(PyExc_ValueError, "the texts of one column exceed 2 GB");
        goto done;
    }
    if (rc != SQLITE_DONE) {
        raise_sqlite(db, rc);
        goto done;
    }
    PyObject *buffers = PyList_New(width);
    if (buffers == NULL) {
        goto done;
    }
    for (int i = 0; i < width; i++) {
        PyObject *column = column_buffers(&columns[i]);
        if (column == NULL) {
            Py_DECREF(buffers);
            goto done;
        }
        PyList_SET_ITEM(buffers, i, column);
    }
    result = Py_BuildValue("(nN)", rows, buffers);
done:
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    for (int i = 0; i < width; i++) {
        free(columns[i].validity.data);
        free(columns[i].values.data);
        free(columns[i].text.data);
    }
    free(columns);
    return result;
}

static PyMethodDef methods[] = {
    {"read_columns", read_columns, METH_VARARGS,
     "read_columns(path, sql, params, kinds, timeout_ms) -> (rows, [buffers per column])\n\n"
     "Run `sql` with `params` (a tuple) on the SQLite file `path`; kinds has one letter per\n"
     "column: 'd' double, 'q' int64, 's' UTF-8 text. Each column comes back as Arrow\n"
     "buffers: (validity bitmap, values) or (validity bitmap, int32 offsets, bytes)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_sqlite_columns", "A SQLite query read into Arrow buffers.", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__sqlite_columns(void) {
    return PyModule_Create(&module);
}
