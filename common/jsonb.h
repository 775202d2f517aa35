/*
 * A checked json-c builder.  json_object_new_*() returns NULL and
 * json_object_object_add() fails when memory runs out; a document built
 * with unchecked adds then loses members silently and is written out
 * incomplete.  Each function here takes a sticky error (*err, 0 to
 * begin): the first failure is kept as -ENOMEM, later calls do nothing
 * but free what they were given, so a sequence of adds is checked once,
 * at the end.
 */
#ifndef TT_JSONB_H
#define TT_JSONB_H

#include <json-c/json.h>

#include "tt.h"

/* Adds val (owned from here: it is put on failure) as obj's member key.
 * A NULL val is taken as a failed json_object_new_*() call.  Returns
 * *err. */
int tt_jsonb_add(json_object *obj, const char *key, json_object *val, int *err);
/* Adds a string member; a NULL s adds JSON null. */
int tt_jsonb_str(json_object *obj, const char *key, const char *s, int *err);
int tt_jsonb_int(json_object *obj, const char *key, int64_t v, int *err);
int tt_jsonb_bool(json_object *obj, const char *key, bool v, int *err);
/* Adds a new empty object (array) as member key and returns it, owned by
 * obj; NULL after a failure (now or earlier). */
json_object *tt_jsonb_obj(json_object *obj, const char *key, int *err);
json_object *tt_jsonb_arr(json_object *obj, const char *key, int *err);
/* Adds (appends) a new reference to v, which stays the caller's; a NULL
 * v adds JSON null (json_object_get(NULL) is NULL: not a failure). */
int tt_jsonb_ref(json_object *obj, const char *key, json_object *v, int *err);
int tt_jsonb_append_ref(json_object *arr, json_object *v, int *err);
/* Appends val (owned from here) to the array arr.  Returns *err. */
int tt_jsonb_append(json_object *arr, json_object *val, int *err);

#endif
